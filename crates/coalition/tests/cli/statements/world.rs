//! One test's private world: a data directory, a trust directory, a working directory for files,
//! a fixed clock and (optionally) a key passphrase; and a small coalition to import.

use std::path::{Path, PathBuf};
use std::process::Output;

/// The coalition the tests import.
pub(crate) const C: &str = "cli-test";

/// A string that appears only in the SECRET paragraph of the draft (and the SECRET commitment):
/// it must never reach anything printed for the public.
pub(crate) const CANARY: &str = "CANARY-5e1f0b7d";

/// A small coalition: FRA, GBR, DEU and ESP members, UKR protected, RUS adversary, the
/// secretariat, and one SECRET commitment whose text carries the canary.
pub(crate) const SCENARIO: &str = r#"
[coalition]
id = "cli-test"
name = "CLI test coalition"
protected = "UKR"
recorded_by = "secretariat"

[[seats]]
parties = ["FRA", "GBR", "DEU", "ESP"]
role = "member"
from = "2025-03-02"

[[seats]]
party = "UKR"
role = "protected-state"

[[seats]]
party = "RUS"
role = "adversary"

[[principals]]
id = "secretariat"
name = "Secretariat"
party = "FRA"
role = "secretariat"
clearance = "TOP SECRET"

[[commitments]]
id = "fra-force"
guarantor = "FRA"
category = "force-land"
what = "CANARY-5e1f0b7d brigade on the ground"
trigger = { kind = "armed-attack", aggressor = "RUS" }
discretion = "automatic"
responses = [{ kind = "deploy", within = "30d", clock = "verification" }]
from = "2026-01-01"
classification = "SECRET"
"#;

/// Version 1 of the joint statement: two PUBLIC paragraphs and a SECRET one with the canary.
pub(crate) const DRAFT_V1: &str = "# Joint statement

(PUBLIC) We, the leaders, stand with Ukraine
for a just and lasting peace.

(PUBLIC) Our support will include air defence.

(SECRET) CANARY-5e1f0b7d operational modalities: basing and readiness.
";

/// Version 2: the second paragraph changed.
pub(crate) const DRAFT_V2: &str = "# Joint statement

(PUBLIC) We, the leaders, stand with Ukraine
for a just and lasting peace.

(PUBLIC) Our support will include air defence and a reassurance force.

(SECRET) CANARY-5e1f0b7d operational modalities: basing and readiness.
";

pub(crate) struct World {
    root: tempfile::TempDir,
    pub(crate) now: String,
    pub(crate) passphrase: Option<String>,
    /// The trust directory in use (another one simulates another machine).
    pub(crate) trust: PathBuf,
}

/// A finished run.
pub(crate) struct Ran {
    pub(crate) args: String,
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl World {
    pub(crate) fn new() -> World {
        let root = tempfile::tempdir().unwrap();
        let trust = root.path().join("trust");
        World {
            root,
            now: "2026-01-06T10:00:00Z".into(),
            passphrase: None,
            trust,
        }
    }

    /// With the test coalition imported.
    pub(crate) fn imported() -> World {
        let world = World::new();
        let scenario = world.write("cli-test.toml", SCENARIO);
        world.ok(&["import", path(&scenario)]);
        world
    }

    pub(crate) fn dir(&self) -> &Path {
        self.root.path()
    }

    pub(crate) fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// Writes a file in the working directory and returns its path.
    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let file = self.root.path().join(name);
        std::fs::write(&file, text).unwrap();
        file
    }

    pub(crate) fn run<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(&self, args: &[S]) -> Ran {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_coalition"));
        command
            .args(args)
            .current_dir(self.root.path())
            .env("COALITION_DATA_DIR", self.data())
            .env("COALITION_TRUST_DIR", &self.trust)
            .env("COALITION_NOW", &self.now)
            .env_remove("COALITION_KEY_PASSPHRASE");
        if let Some(passphrase) = &self.passphrase {
            command.env("COALITION_KEY_PASSPHRASE", passphrase);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = command.output().unwrap();
        Ran {
            args: format!("{args:?}"),
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// Runs and expects exit 0; returns stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        self.run(args).ok()
    }

    /// Runs and expects `code`; returns stderr.
    pub(crate) fn fails(&self, code: i32, args: &[&str]) -> String {
        self.run(args).exits(code)
    }

    /// `log verify C` must pass having checked `approvals` signatures.
    pub(crate) fn verified(&self, approvals: u64) {
        let out = self.ok(&["log", "verify", C]);
        let expected = format!("{approvals} approval signatures verified");
        assert!(out.contains(&expected), "{out}");
    }

    /// Where the log of the test coalition ends: (events, head hash).
    pub(crate) fn head(&self) -> (u64, String) {
        let list: serde_json::Value =
            serde_json::from_str(&self.ok(&["coalitions", "--json"])).unwrap();
        let entry = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == C)
            .unwrap_or_else(|| panic!("no coalition {C} in {list}"));
        (
            entry["events"].as_u64().unwrap(),
            entry["head"].as_str().unwrap().to_owned(),
        )
    }

    /// Generates a key file (encrypted when a passphrase is set) and returns (file, public key).
    pub(crate) fn key(&self, name: &str) -> (PathBuf, String) {
        let file = self.root.path().join(format!("{name}.pem"));
        let mut args = vec!["key", "generate", "--out", path(&file)];
        if self.passphrase.is_none() {
            args.push("--no-passphrase");
        }
        let public = self.ok(&args).trim().to_owned();
        (file, public)
    }

    /// Registers a leader with a fresh key; returns the key file.
    pub(crate) fn leader(&self, id: &str, party: &str) -> PathBuf {
        let (file, public) = self.key(id);
        self.add_leader(id, party, &public).ok();
        file
    }

    /// `principal add C ID --party P --role leader … --public-key KEY --as secretariat`.
    pub(crate) fn add_leader(&self, id: &str, party: &str, public_key: &str) -> Ran {
        let mut args = vec!["principal", "add", C, id, "--name", id, "--party", party];
        args.extend(["--role", "leader", "--clearance", "SECRET"]);
        args.extend(["--public-key", public_key, "--as", "secretariat"]);
        self.run(&args)
    }

    /// `statement approve C joint --version N --key FILE --as LEADER`.
    pub(crate) fn approve(&self, leader: &str, key: &Path, version: u32) -> Ran {
        self.approve_in("joint", leader, key, version, &[])
    }

    /// `statement approve C STATEMENT --version N --key FILE [EXTRA…] --as LEADER`.
    pub(crate) fn approve_in(
        &self,
        statement: &str,
        leader: &str,
        key: &Path,
        version: u32,
        extra: &[&str],
    ) -> Ran {
        let version = version.to_string();
        let mut args = vec!["statement", "approve", C, statement, "--version", &version];
        args.extend(["--key", path(key), "--as", leader]);
        args.extend(extra);
        self.run(&args)
    }

    /// `statement draft C --id ID --title ID --signatories S --from FILE [EXTRA…] --as
    /// secretariat`.
    pub(crate) fn draft_from(
        &self,
        id: &str,
        signatories: &str,
        file: &Path,
        extra: &[&str],
    ) -> Ran {
        let mut args = vec!["statement", "draft", C, "--id", id, "--title", id];
        args.extend(["--signatories", signatories, "--from", path(file)]);
        args.extend(extra);
        args.extend(["--as", "secretariat"]);
        self.run(&args)
    }

    /// `statement revise C STATEMENT --from FILE --as secretariat`.
    pub(crate) fn revise_from(&self, statement: &str, file: &Path) -> Ran {
        self.run(&[
            "statement",
            "revise",
            C,
            statement,
            "--from",
            path(file),
            "--as",
            "secretariat",
        ])
    }

    /// Tables the joint statement (version 1, [`DRAFT_V1`]) for the given signatories.
    pub(crate) fn draft(&self, signatories: &str) {
        let v1 = self.write("joint-v1.md", DRAFT_V1);
        self.draft_from("joint", signatories, &v1, &[]).ok();
    }
}

impl Ran {
    /// Expects exit 0; returns stdout.
    pub(crate) fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "coalition {} failed:\n{}\n{}",
            self.args, self.stdout, self.stderr
        );
        self.stdout
    }

    /// Expects `code`; returns stderr.
    pub(crate) fn exits(self, code: i32) -> String {
        assert_eq!(
            self.code, code,
            "coalition {}: expected exit {code}\nstdout: {}\nstderr: {}",
            self.args, self.stdout, self.stderr
        );
        self.stderr
    }
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}
