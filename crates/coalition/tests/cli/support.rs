//! Running the built `coalition` binary in a throwaway data directory with a fixed clock, as
//! ripgrep's `TestCommand` does.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The clock every command sees unless a test moves it.
pub(crate) const NOW: &str = "2026-11-20T12:00:00Z";

/// The demo coalition.
pub(crate) const DEMO: &str = "paris-2026";

/// The scenario the demo loads.
pub(crate) fn scenario_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/paris-2026.toml");
    std::fs::read_to_string(path).expect("the Paris scenario")
}

/// A data directory, a directory for trusted checkpoints, a working directory for files, a
/// clock and (optionally) a key passphrase, all private to one test.
pub(crate) struct Env {
    root: tempfile::TempDir,
    /// The clock every command sees.
    pub(crate) now: String,
    /// `COALITION_KEY_PASSPHRASE`, if set.
    pub(crate) passphrase: Option<String>,
    /// The trust directory in use (another one simulates another machine).
    pub(crate) trust: PathBuf,
    /// `COALITION_DATABASE_URL`, if the record is not the data directory's SQLite file.
    pub(crate) database_url: Option<String>,
}

/// What a run of the binary produced.
#[derive(Debug)]
pub(crate) struct Run {
    /// The command line, for messages.
    pub(crate) args: String,
    /// The exit code (`None` when killed by a signal).
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Expects exit 0; returns stdout.
    pub(crate) fn ok(self) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "coalition {} failed: {self:?}",
            self.args
        );
        self.stdout
    }

    /// Expects `code`, with a reason on stderr; returns stderr.
    pub(crate) fn exits(self, code: i32) -> String {
        assert_eq!(
            self.code,
            Some(code),
            "coalition {}: expected exit {code}: {self:?}",
            self.args
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "a failure says why on stderr"
        );
        self.stderr
    }
}

impl Env {
    /// A fresh environment at [`NOW`].
    pub(crate) fn new() -> Env {
        Env::at(NOW)
    }

    /// A fresh environment whose clock reads `now`.
    pub(crate) fn at(now: &str) -> Env {
        let root = tempfile::tempdir().expect("a temporary directory");
        let trust = root.path().join("trust");
        Env {
            root,
            now: now.to_owned(),
            passphrase: None,
            trust,
            database_url: None,
        }
    }

    /// A fresh environment with the demo loaded.
    pub(crate) fn demo() -> Env {
        let env = Env::new();
        env.ok(&["demo"]);
        env
    }

    /// The root of the test's private directory (files written by the test go here).
    pub(crate) fn root(&self) -> &Path {
        self.root.path()
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub(crate) fn trust_dir(&self) -> PathBuf {
        self.trust.clone()
    }

    /// The log key this machine pinned for a log of this environment's data directory (pins
    /// are kept per source, one subdirectory each).
    pub(crate) fn pinned_key(&self, log: &str) -> String {
        let sources = std::fs::read_dir(self.trust_dir()).expect("a trust directory");
        let file = sources
            .map(|source| source.expect("an entry").path().join(format!("{log}.key")))
            .find(|file| file.exists())
            .unwrap_or_else(|| panic!("no key pinned for {log}"));
        std::fs::read_to_string(file)
            .expect("the pinned key")
            .trim()
            .to_owned()
    }

    /// The SQLite file holding the record.
    pub(crate) fn database(&self) -> PathBuf {
        self.data_dir().join("coalition.sqlite")
    }

    /// Moves the clock.
    pub(crate) fn set_now(&mut self, now: &str) {
        now.clone_into(&mut self.now);
    }

    /// The binary, set up for this environment.
    pub(crate) fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_coalition"));
        command
            .current_dir(self.root.path())
            .env("COALITION_DATA_DIR", self.data_dir())
            .env("COALITION_TRUST_DIR", self.trust_dir())
            .env("COALITION_NOW", &self.now)
            .env_remove("COALITION_CONFIG")
            .env_remove("COALITION_KEY_PASSPHRASE")
            .env_remove("COALITION_DATABASE_URL")
            .env_remove("RUST_LOG");
        if let Some(url) = &self.database_url {
            command.env("COALITION_DATABASE_URL", url);
        }
        if let Some(passphrase) = &self.passphrase {
            command.env("COALITION_KEY_PASSPHRASE", passphrase);
        }
        command
    }

    /// Runs the binary with `args`.
    pub(crate) fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        let output = assert_cmd::Command::from_std(self.command())
            .args(args)
            .output()
            .expect("the binary runs");
        Run {
            args: args
                .iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs a command that must succeed; returns its stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        self.run(args).ok()
    }

    /// Runs a command with `--json` that must succeed; returns the parsed document.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let stdout = self.ok(&with_json);
        serde_json::from_str(&stdout).unwrap_or_else(|err| {
            panic!(
                "coalition {}: not one JSON document ({err}):\n{stdout}",
                with_json.join(" ")
            )
        })
    }

    /// Runs a command that must fail with `code`; returns its stderr.
    pub(crate) fn fails(&self, code: i32, args: &[&str]) -> String {
        self.run(args).exits(code)
    }

    /// Where a coalition's log ends, as `coalitions --json` lists it: (events, head hash).
    /// Reading it changes nothing, not even this machine's trusted checkpoint.
    pub(crate) fn head(&self, coalition: &str) -> (u64, String) {
        let list = self.json(&["coalitions"]);
        let entry = find(&list, "id", coalition);
        (
            entry["events"].as_u64().expect("events"),
            entry["head"].as_str().expect("head").to_owned(),
        )
    }

    /// Reports the attack of [`report`] with `extra` flags; returns the id the record derived
    /// for it (ids are not counters: read them, never guess them).
    pub(crate) fn reported(&self, extra: &[&str]) -> String {
        let created = self.json(&report(extra));
        created["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id in {created}"))
            .to_owned()
    }

    /// Writes a file in the test's directory; returns its path.
    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.root.path().join(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }
}

/// `incident report` of an armed attack by RUS on UKR at 03:40 on 20 November 2026, reported
/// by Zelenskyy, with `extra` flags.
pub(crate) fn report<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "incident",
        "report",
        DEMO,
        "--aggressor",
        "RUS",
        "--target",
        "UKR",
        "--at",
        "2026-11-20T03:40:00Z",
        "--as",
        "zelenskyy",
    ];
    args.extend_from_slice(extra);
    args
}

/// The ceasefire of 1 March 2026 declared by the secretariat: the Paris guarantees of the
/// parties that ratified come into force.
pub(crate) const CEASEFIRE: [&str; 6] = [
    "ceasefire",
    DEMO,
    "--in-force-from",
    "2026-03-01T00:00:00Z",
    "--as",
    "secretariat",
];

/// The elements of a JSON array.
pub(crate) fn items(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected an array: {value}"))
}

/// The element of a JSON array whose `key` is `id`.
pub(crate) fn find<'a>(value: &'a Value, key: &str, id: &str) -> &'a Value {
    items(value)
        .iter()
        .find(|item| item[key] == id)
        .unwrap_or_else(|| panic!("no {key} = {id} in {value:#}"))
}

/// Whether a JSON array has an element whose `key` is `id`.
pub(crate) fn has(value: &Value, key: &str, id: &str) -> bool {
    items(value).iter().any(|item| item[key] == id)
}

/// A path as a command-line argument.
pub(crate) fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Copies a directory tree.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read a directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A `coalition serve` child, killed if the test ends early.
pub(crate) struct Serving {
    pub(crate) child: Child,
    /// stderr, read as it comes so that the server never blocks on a full pipe.
    pub(crate) stderr: std::thread::JoinHandle<String>,
    /// `host:port`.
    pub(crate) addr: String,
    /// The lines printed before `ready`.
    pub(crate) banner: Vec<String>,
}

impl Serving {
    pub(crate) fn start(env: &Env, args: &[&str]) -> Serving {
        Serving::start_at(env, "127.0.0.1:0", args)
    }

    /// Serves on `addr` (a test that restarts a server on the same address).
    pub(crate) fn start_at(env: &Env, addr: &str, args: &[&str]) -> Serving {
        let mut child = env
            .command()
            .arg("serve")
            .args(["--addr", addr])
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut pipe = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        });
        let mut banner = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            if line == "ready" {
                break;
            }
            banner.push(line);
        }
        let addr = banner
            .first()
            .and_then(|line| line.strip_prefix("listening on http://"))
            .unwrap_or_else(|| panic!("no URL printed: {banner:?}"))
            .to_owned();
        Serving {
            child,
            stderr,
            addr,
            banner,
        }
    }

    /// `http://host:port`, as `--server` takes it.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The token `serve --demo` printed for a demo principal.
    pub(crate) fn token(&self, principal: &str) -> String {
        let prefix = format!("token {principal} ");
        self.banner
            .iter()
            .find_map(|line| line.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no token printed for {principal}: {:?}", self.banner))
            .to_owned()
    }

    /// SIGTERM, then the exit code and stderr.
    pub(crate) fn terminate(mut self) -> (Option<i32>, String) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        (status.code(), stderr.join().expect("stderr"))
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
