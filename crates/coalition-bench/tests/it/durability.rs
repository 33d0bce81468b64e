//! The durability harnesses, and their negative controls: kill -9 must lose no acknowledged
//! append, and (under strace) every acknowledgement must follow the fsync of its own commit.
//! Each harness must also catch the deliberately broken writers, or it proves nothing.

use crate::support::{bench, report_of};

/// Whether `strace` is on PATH. Without it the audit is skipped, unless `REQUIRE_STRACE=1`.
fn strace_available() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("strace").is_file()));
    if !found {
        assert!(
            std::env::var("REQUIRE_STRACE").as_deref() != Ok("1"),
            "REQUIRE_STRACE=1 but strace is not installed"
        );
        eprintln!("SKIP: strace not installed, the fsync audit is not run");
    }
    found
}

const CRASH: [&str; 5] = ["--cycles", "30", "--seed", "20260106", "--json"];
const AUDIT: [&str; 3] = ["--acks", "100", "--json"];

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
fn every_acknowledgement_follows_the_fsync_of_its_own_commit() {
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
            .contains("came before the fsync of their own commit"),
        "{run:?}"
    );
    assert!(report_of(&run)["unsynced_acks"].as_u64().unwrap() > 0);
}

#[test]
fn the_fsync_audit_catches_a_writer_that_acknowledges_before_commit() {
    if !strace_available() {
        return;
    }
    // Each early acknowledgement follows the fsync of the commit before it: only tying each
    // one to its own commit catches it, as the kill -9 harness does.
    let run = bench("fsync-audit", &AUDIT, Some("ack-before-commit"));
    assert_eq!(run.code, Some(3), "{run:?}");
    let report = report_of(&run);
    assert_eq!(report["unsynced_acks"], 100, "every one of them: {report}");
    assert_eq!(
        report["acks_before_their_commit_was_written"], 100,
        "{report}"
    );
}

#[test]
fn the_benches_print_their_baseline_and_ratio_on_their_last_line() {
    for (kind, flags) in [
        ("append", &["--events", "20"][..]),
        ("replay", &["--events", "300", "--rounds", "1"][..]),
        (
            "activation",
            &[
                "--coalitions",
                "4",
                "--commitments-per-coalition",
                "3",
                "--samples",
                "2",
            ][..],
        ),
    ] {
        let run = bench(kind, flags, None);
        assert_eq!(run.code, Some(0), "{kind}: {run:?}");
        let last = run.stdout.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("ratio ") && last.contains("baseline"),
            "{kind}: {last}"
        );
    }
}

#[test]
fn a_bad_flag_is_bad_input() {
    let run = bench("append", &["--events", "0"], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("--events"), "{run:?}");
}

/// Whether PostgreSQL is installed for the harness to start; skipped, saying so, where it is
/// not, unless `REQUIRE_POSTGRES=1`.
fn postgres_available(test: &str) -> bool {
    if coalition_pgtest::bin_dir().is_some() {
        return true;
    }
    assert!(
        !coalition_pgtest::required(),
        "{test}: REQUIRE_POSTGRES=1 but PostgreSQL is not installed"
    );
    coalition_pgtest::skip(&format!("{test}: PostgreSQL is not installed"));
    false
}

#[test]
fn kill_9_of_writers_and_of_the_postgres_server_loses_no_acknowledged_append() {
    if !postgres_available("kill_9_on_postgres") {
        return;
    }
    let run = bench(
        "crash",
        &[
            "--postgres",
            "--cycles",
            "9",
            "--seed",
            "20260106",
            "--json",
        ],
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let report = report_of(&run);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["backend"], "postgres");
    assert_eq!(report["writers"], 2);
    assert_eq!(report["database_restarts"], 3, "{report}");
    assert_eq!(report["lost"], 0);
    assert!(report["acks"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn on_postgres_the_crash_harness_catches_a_writer_that_acknowledges_before_commit() {
    if !postgres_available("ack_before_commit_on_postgres") {
        return;
    }
    let run = bench(
        "crash",
        &[
            "--postgres",
            "--cycles",
            "20",
            "--seed",
            "20260106",
            "--json",
        ],
        Some("ack-before-commit"),
    );
    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(run.stderr.contains("FAIL at cycle"), "{run:?}");
    assert!(report_of(&run)["lost"].as_u64().unwrap() >= 1);
}

#[test]
fn append_on_postgres_reports_both_backends_and_their_baselines() {
    if !postgres_available("append_on_postgres") {
        return;
    }
    let run = bench("append", &["--events", "20", "--postgres", "--json"], None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let report = report_of(&run);
    let postgres = &report["postgres"];
    for key in [
        "ledger_appends_per_second",
        "baseline_inserts_per_second",
        "ratio",
        "against_sqlite",
    ] {
        assert!(postgres[key].as_f64().unwrap() > 0.0, "{key}: {report}");
    }
}

#[test]
fn the_load_runs_one_node_then_two_and_names_every_failure() {
    let run = bench(
        "load",
        &["--clients", "2", "--seconds", "0.5", "--json"],
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let report = report_of(&run);
    let runs = report["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2, "{report}");
    for (run, name) in runs.iter().zip(["one node", "two nodes"]) {
        assert_eq!(run["run"], name);
        assert!(run["reads"].as_u64() > Some(0), "{run}");
        assert!(run["writes"].as_u64() > Some(0), "{run}");
        assert_eq!(run["unexpected_failures"], 0, "{run}");
        assert!(run["read_p99_us"].as_u64() >= run["read_p50_us"].as_u64());
    }
    let bad = bench("load", &["--write-share", "2"], None);
    assert_eq!(bad.code, Some(2), "{bad:?}");
    assert!(bad.stderr.contains("--write-share"), "{bad:?}");
}
