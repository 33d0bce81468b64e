//! The durability harnesses, and their negative controls: kill -9 must lose no acknowledged
//! append, and (under strace) every acknowledgement must follow an fsync of the WAL. Each
//! harness must also catch the deliberately broken writer, or it proves nothing.

use serde_json::Value;

use crate::support::*;

/// Whether `strace` is on PATH. Without it the audit is skipped, unless `REQUIRE_STRACE=1`.
fn strace_available() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("strace").is_file()));
    if !found {
        assert!(
            std::env::var("REQUIRE_STRACE").as_deref() != Ok("1"),
            "REQUIRE_STRACE=1 but strace is not installed"
        );
        eprintln!("SKIPPED: strace not installed");
    }
    found
}

/// `coalition bench KIND --dir DIR … [--negative-control CONTROL] --json` in a fresh directory.
fn bench(kind: &str, flags: &[&str], control: Option<&str>) -> Run {
    let env = Env::new();
    let dir = env.root().join(kind);
    let mut args = vec!["bench", kind, "--dir", dir.to_str().unwrap()];
    args.extend_from_slice(flags);
    if let Some(control) = control {
        args.extend(["--negative-control", control]);
    }
    args.push("--json");
    env.run(&args)
}

fn report_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {run:?}"))
}

const CRASH: [&str; 4] = ["--cycles", "30", "--seed", "20260106"];
const AUDIT: [&str; 2] = ["--acks", "100"];

#[test]
fn thirty_kill_9_cycles_lose_no_acknowledged_append() {
    let run = bench("crash", &CRASH, None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let report = report_of(&run);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["cycles"], 30);
    assert_eq!(report["lost"], 0);
    assert!(
        report["acks"].as_u64().unwrap() > 0,
        "appends were acknowledged, so something was at stake: {report}"
    );
}

#[test]
fn the_crash_harness_catches_a_writer_that_acknowledges_before_commit() {
    let run = bench("crash", &CRASH, Some("ack-before-commit"));
    assert_eq!(
        run.code,
        Some(3),
        "a lost acknowledgement is a verification failure: {run:?}"
    );
    assert!(run.stderr.contains("FAIL at cycle"), "{run:?}");
    let report = report_of(&run);
    assert_eq!(report["ok"], false);
    assert!(
        report["acked_max"].as_u64().unwrap() >= report["lost_from"].as_u64().unwrap(),
        "{report}"
    );
}

#[test]
fn every_acknowledgement_follows_an_fsync_of_the_wal() {
    if !strace_available() {
        return;
    }
    let run = bench("fsync-audit", &AUDIT, None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let report = report_of(&run);
    assert_eq!(report["acks"], 100, "{report}");
    assert_eq!(report["acks_seen_on_stdout"], 100, "{report}");
    assert_eq!(report["unsynced_acks"], 0, "{report}");
    assert!(report["wal_fsyncs"].as_u64().unwrap() >= 100, "{report}");
}

#[test]
fn the_fsync_audit_catches_a_writer_with_synchronous_normal() {
    if !strace_available() {
        return;
    }
    let run = bench("fsync-audit", &AUDIT, Some("normal-sync"));
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(
        run.stderr
            .contains("were not preceded by an fsync of the WAL"),
        "{run:?}"
    );
    assert!(report_of(&run)["unsynced_acks"].as_u64().unwrap() > 0);
}
