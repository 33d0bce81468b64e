//! The statements tests' coalition and the commands they repeat, on the one test environment
//! ([`Env`]).

use std::path::{Path, PathBuf};

use crate::support::{Env, Run, path};

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

/// A fresh environment on the morning of the Paris summit.
pub(crate) fn world() -> Env {
    Env::at("2026-01-06T10:00:00Z")
}

/// The same, with the test coalition imported.
pub(crate) fn imported() -> Env {
    let world = world();
    let scenario = world.write("cli-test.toml", SCENARIO);
    world.ok(&["import", path(&scenario)]);
    world
}

/// The commands the statements tests repeat.
impl Env {
    /// `log verify C` must pass having checked `approvals` signatures.
    pub(crate) fn verified(&self, approvals: u64) {
        let out = self.ok(&["log", "verify", C]);
        let expected = format!("{approvals} approval signatures verified");
        assert!(out.contains(&expected), "{out}");
    }

    /// Generates a key file (encrypted when a passphrase is set) and returns (file, public key).
    pub(crate) fn key(&self, name: &str) -> (PathBuf, String) {
        let file = self.root().join(format!("{name}.pem"));
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
    pub(crate) fn add_leader(&self, id: &str, party: &str, public_key: &str) -> Run {
        let mut args = vec!["principal", "add", C, id, "--name", id, "--party", party];
        args.extend(["--role", "leader", "--clearance", "SECRET"]);
        args.extend(["--public-key", public_key, "--as", "secretariat"]);
        self.run(&args)
    }

    /// `statement approve C joint --version N --key FILE --as LEADER`.
    pub(crate) fn approve(&self, leader: &str, key: &Path, version: u32) -> Run {
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
    ) -> Run {
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
    ) -> Run {
        let mut args = vec!["statement", "draft", C, "--id", id, "--title", id];
        args.extend(["--signatories", signatories, "--from", path(file)]);
        args.extend(extra);
        args.extend(["--as", "secretariat"]);
        self.run(&args)
    }

    /// `statement revise C STATEMENT --from FILE --as secretariat`.
    pub(crate) fn revise_from(&self, statement: &str, file: &Path) -> Run {
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
