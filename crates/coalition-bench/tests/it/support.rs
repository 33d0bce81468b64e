//! Running the built `coalition-bench` binary in a throwaway directory.

use serde_json::Value;

/// What a run of the binary produced.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// `coalition-bench KIND --dir DIR FLAGS… [--negative-control CONTROL]` in a fresh directory.
pub(crate) fn bench(kind: &str, flags: &[&str], control: Option<&str>) -> Run {
    let root = tempfile::tempdir().expect("a temporary directory");
    let dir = root.path().join(kind);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_coalition-bench"));
    command.args([kind, "--dir", dir.to_str().expect("a UTF-8 path")]);
    command.args(flags);
    if let Some(control) = control {
        command.args(["--negative-control", control]);
    }
    let output = command.output().expect("coalition-bench runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The JSON document a `--json` run printed.
pub(crate) fn report_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {run:?}"))
}
