//! Tampering with the SQLite file itself: `log verify` exits 3 naming the event, and every
//! other command on that coalition refuses to work on a broken record.

use crate::support::*;

/// A string only one event contains.
const MARKER: &str = "unique-tamper-marker-4711";

/// The demo plus an incident whose description is `MARKER`; returns its sequence number and
/// the incident's id.
fn with_marked_event() -> (Env, u64, String) {
    let env = Env::demo();
    let reported = env.json(&report(&["--description", MARKER]));
    let seq = reported["seq"]
        .as_u64()
        .expect("the report's sequence number");
    let incident = reported["id"].as_str().expect("its id").to_owned();
    // More events after it, so the broken one is not the last.
    env.ok(&["incident", "confirm", DEMO, &incident, "--as", "monitor"]);
    (env, seq, incident)
}

fn occurrences(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(offset, _)| offset)
        .collect()
}

#[test]
fn one_changed_byte_in_the_database_file_is_named_by_log_verify_with_exit_3() {
    let (env, seq, incident) = with_marked_event();
    env.ok(&["log", "verify", DEMO]);
    // Every command has exited, so the WAL has been checkpointed into the main file.
    let wal = env.data_dir().join("coalition.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the WAL was not checkpointed"
    );
    let mut bytes = std::fs::read(env.database()).unwrap();
    let found = occurrences(&bytes, MARKER.as_bytes());
    assert!(!found.is_empty(), "the event's text is in the file");
    for offset in found {
        // "unique" → "uNique": still valid JSON and UTF-8, a different event.
        bytes[offset + 1] ^= 0x20;
    }
    std::fs::write(env.database(), &bytes).unwrap();

    let stderr = env.fails(3, &["log", "verify", DEMO]);
    assert!(stderr.contains(&format!("event {seq}")), "{stderr}");
    let run = env.run(&["log", "verify", DEMO, "--json"]);
    assert_eq!(run.code, Some(3));
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(report["verified"], false);
    assert_eq!(report["first_bad_seq"], seq);

    // Reads and writes on the broken coalition refuse too.
    for args in [
        vec!["obligations", DEMO],
        vec!["commitments", DEMO],
        vec!["coverage", DEMO],
        vec!["log", "show", DEMO],
        vec![
            "incident",
            "confirm",
            DEMO,
            &incident,
            "--as",
            "secretariat",
        ],
        CEASEFIRE.to_vec(),
    ] {
        let stderr = env.fails(3, &args);
        assert!(
            stderr.contains(&seq.to_string()),
            "coalition {}: {stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn byte_flips_anywhere_in_the_file_are_caught_or_change_nothing() {
    // RELIABILITY row 5: no flip of the raw file may change what the log says and still verify.
    let (env, _, _) = with_marked_event();
    // This machine has verified (and pinned) the genuine log before the flips.
    env.ok(&["log", "verify", DEMO]);
    let genuine = env.json(&["log", "show", DEMO]);
    let (events, head) = env.head(DEMO);
    let pristine = std::fs::read(env.database()).unwrap();
    let mut outcome = std::collections::BTreeMap::<&str, usize>::new();
    // A fixed spread of offsets over the whole file (deterministic, 48 samples).
    let samples = 48;
    // Each flip is made in the same data directory (checkpoints are pinned per directory),
    // restored with this machine's pins from these copies before the next.
    let (kept_data, kept_trust) = (env.root().join("kept-data"), env.root().join("kept-trust"));
    copy_tree(&env.data_dir(), &kept_data);
    copy_tree(&env.trust_dir(), &kept_trust);
    for k in 0..samples {
        let offset = (pristine.len() / samples) * k + (k * 7919) % (pristine.len() / samples);
        for (kept, dir) in [(&kept_data, env.data_dir()), (&kept_trust, env.trust_dir())] {
            std::fs::remove_dir_all(&dir).unwrap();
            copy_tree(kept, &dir);
        }
        let copy = &env;
        let mut bytes = pristine.clone();
        bytes[offset] ^= 0x01;
        std::fs::write(copy.database(), &bytes).unwrap();
        let run = copy.run(&["log", "verify", DEMO, "--json"]);
        match run.code {
            Some(0) => {
                let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                assert_eq!(
                    (
                        report["events"].as_u64().unwrap(),
                        report["head"].as_str().unwrap()
                    ),
                    (events, head.as_str()),
                    "flip at {offset} verified with another head"
                );
                assert!(
                    copy.json(&["log", "show", DEMO]) == genuine,
                    "flip at {offset} changed the log and still verified"
                );
                *outcome.entry("no logical change").or_default() += 1;
            }
            // A changed event, a malformed file (SQLite's own corruption checks) or a vanished
            // coalition: all are verification failures, never an internal error or a typo.
            Some(3) => *outcome.entry("caught (exit 3)").or_default() += 1,
            other => panic!("flip at {offset}: expected exit 0 or 3, got {other:?}: {run:?}"),
        }
    }
    eprintln!("{samples} byte flips: {outcome:?}");
    assert!(
        outcome.get("caught (exit 3)").copied().unwrap_or(0) > 0,
        "some flips land in event bodies: {outcome:?}"
    );
}

/// Issue 14's first gaps: a checkpoint this machine signs is pinned, and a record swapped under
/// a kept log key is refused rather than signed for.
#[test]
fn a_swapped_database_is_caught_after_a_checkpoint_and_never_signed_for() {
    let env = Env::demo();
    env.ok(&["log", "checkpoint", DEMO]);
    // Another demo's database (another log key registered) replaces this one's.
    let other = Env::demo();
    std::fs::copy(other.database(), env.database()).unwrap();
    let stderr = env.fails(3, &["log", "verify", DEMO]);
    assert!(stderr.contains("not a key this log registered"), "{stderr}");
    let stderr = env.fails(3, &["log", "checkpoint", DEMO]);
    assert!(stderr.contains("nothing was signed or pinned"), "{stderr}");
    let bundle = env.root().join("swapped.bundle");
    env.fails(3, &["log", "export", DEMO, "--out", path(&bundle)]);
    assert!(!bundle.exists(), "no bundle was written");
}

/// A coalition this machine verified cannot vanish from the record unnoticed: a database that
/// no longer holds it (here: another record with another coalition) fails verification.
#[test]
fn a_verified_coalition_missing_from_the_record_fails_verification() {
    let env = Env::demo();
    env.ok(&["log", "verify", DEMO]);
    let other = Env::new();
    let text = scenario_text().replacen("id = \"paris-2026\"", "id = \"elsewhere-2026\"", 1);
    let file = other.write("elsewhere.toml", &text);
    other.ok(&["import", file.to_str().unwrap()]);
    std::fs::copy(other.database(), env.database()).unwrap();
    let stderr = env.fails(3, &["log", "verify", DEMO]);
    assert!(stderr.contains("holds no entry of it"), "{stderr}");
}
