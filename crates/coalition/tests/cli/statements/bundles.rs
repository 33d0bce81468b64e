//! `log export`, `log verify --bundle [--since-checkpoint]`, `log checkpoint` and `log verify C`
//! against the checkpoint this machine trusted: a changed byte, a truncated or rewritten history,
//! a rewritten database — each exits 3 naming the failure.

use std::path::{Path, PathBuf};

use super::world::{C, DRAFT_V2, imported, world};
use crate::support::{Env, Run, path};

/// A coalition with the joint statement approved by FRA and GBR, adopted.
fn adopted(draft: &str) -> Env {
    let world = imported();
    let macron = world.leader("macron", "FRA");
    let starmer = world.leader("starmer", "GBR");
    let file = world.write("draft.md", draft);
    world.draft_from("joint", "FRA,GBR", &file, &[]).ok();
    world.approve("macron", &macron, 1).ok();
    world.approve("starmer", &starmer, 1).ok();
    world
}

/// Tables one more statement (one PUBLIC paragraph, FRA alone).
fn one_more(world: &Env, id: &str) {
    let file = world.write(&format!("{id}.md"), "(PUBLIC) Another statement.\n");
    world.draft_from(id, "FRA", &file, &[]).ok();
}

/// `log verify --bundle B [--since-checkpoint C [--log-key K]]` on a machine that has trusted
/// nothing yet.
fn verify_fresh(world: &mut Env, bundle: &Path, since: Option<(&Path, Option<&str>)>) -> Run {
    world.trust = world.root().join(format!("trust-{}", fresh()));
    let mut args = vec!["log", "verify", "--bundle", path(bundle)];
    if let Some((checkpoint, key)) = since {
        args.extend(["--since-checkpoint", path(checkpoint)]);
        args.extend(key.map(|k| ["--log-key", k]).into_iter().flatten());
    }
    world.run(&args)
}

fn fresh() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn export(world: &Env, name: &str) -> PathBuf {
    let file = world.root().join(name);
    world.ok(&["log", "export", C, "--out", path(&file)]);
    file
}

#[test]
fn an_exported_bundle_verifies_and_one_changed_byte_is_named() {
    let mut world = adopted(DRAFT_V2);
    let bundle = export(&world, "joint.bundle");
    let out = verify_fresh(&mut world, &bundle, None).ok();
    assert!(out.contains("2 approval signatures"), "{out}");

    let bytes = std::fs::read(&bundle).unwrap();
    let find = |needle: &str| {
        bytes
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap_or_else(|| panic!("{needle} not in the bundle"))
    };
    // (where, what the failure must name)
    let cases = [
        (find("reassurance force") + 2, "bad chain"),
        (find("\"checkpoint\":\"") + 40, "checkpoint"),
        (find("\"keys\":[") + 30, "bundle"),
        (bytes.len() - 3, "bundle"),
        (find("\"hash\":\"") + 12, "bad chain"),
    ];
    for (position, expected) in cases {
        let mut changed = bytes.clone();
        changed[position] ^= 0x01;
        let file = world.write("changed.bundle", "");
        std::fs::write(&file, &changed).unwrap();
        let err = verify_fresh(&mut world, &file, None).exits(3);
        assert!(err.contains("changed.bundle"), "{err}");
        assert!(err.contains(expected), "byte {position}: {err}");
    }
}

#[test]
fn a_truncated_or_rewritten_bundle_fails_against_an_earlier_checkpoint() {
    let mut world = adopted(DRAFT_V2);
    let early = export(&world, "early.bundle");
    // More is recorded; the checkpoint of the longer log is kept.
    one_more(&world, "more");
    let checkpoint = world.root().join("old.checkpoint");
    world.ok(&["log", "checkpoint", C, "--out", path(&checkpoint)]);
    let note = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(note.starts_with(&format!("coalition/{C}\n")), "{note}");
    // The log key as a verifier key, from what `log verify` trusted.
    world.ok(&["log", "verify", C]);
    let log_key = world.pinned_key(C);
    let keys = [None, Some(log_key.as_str())];

    // An honest later bundle extends it.
    one_more(&world, "more-2");
    let later = export(&world, "later.bundle");
    let out = verify_fresh(&mut world, &later, Some((&checkpoint, None))).ok();
    assert!(
        out.contains("consistent with the earlier checkpoint"),
        "{out}"
    );

    // The earlier bundle lacks the last event: truncated.
    for key in keys {
        let err = verify_fresh(&mut world, &early, Some((&checkpoint, key))).exits(3);
        assert!(err.contains("truncated"), "{err}");
    }

    // Rebuilt from scratch elsewhere with another text (and so another log key), as long as
    // the original, then longer.
    let rewritten = adopted(&DRAFT_V2.replace("reassurance force", "training mission"));
    one_more(&rewritten, "more");
    let same_length = export(&rewritten, "same-length.bundle");
    one_more(&rewritten, "more-2");
    let longer = export(&rewritten, "longer.bundle");
    for bundle in [&same_length, &longer] {
        // On its own, it verifies: only the earlier checkpoint shows the rewrite.
        verify_fresh(&mut world, bundle, None).ok();
        for key in keys {
            let err = verify_fresh(&mut world, bundle, Some((&checkpoint, key))).exits(3);
            assert!(
                err.contains("not consistent with the earlier checkpoint"),
                "{err}"
            );
        }
    }
    // The machine that verified the original log refuses the rewrite without being told.
    world.trust = world.root().join("trust");
    let err = world.fails(3, &["log", "verify", "--bundle", path(&longer)]);
    assert!(
        err.contains("earlier checkpoint this machine verified"),
        "{err}"
    );
}

#[test]
fn log_verify_refuses_a_rewritten_database_every_time() {
    let world = world();
    world.ok(&["demo"]);
    let first = world.ok(&["log", "verify", "paris-2026"]);
    assert!(first.contains("approval signatures verified"), "{first}");
    let again = world.ok(&["log", "verify", "paris-2026"]);
    assert!(
        again.contains("consistent with the checkpoint verified earlier"),
        "{again}"
    );
    // The database is replaced by another history of the same coalition (the same scenario with
    // new keys and signatures), behind this machine's back.
    std::fs::remove_dir_all(world.data_dir()).unwrap();
    world.ok(&["demo"]);
    for _ in 0..2 {
        let err = world.fails(3, &["log", "verify", "paris-2026"]);
        assert!(
            err.contains("not consistent with the earlier checkpoint"),
            "{err}"
        );
        assert!(err.contains("rewritten"), "{err}");
    }
    // Nor does a bundle of it pass on this machine.
    let bundle = world.root().join("rewritten.bundle");
    world.ok(&["log", "export", "paris-2026", "--out", path(&bundle)]);
    let err = world.fails(3, &["log", "verify", "--bundle", path(&bundle)]);
    assert!(
        err.contains("earlier checkpoint this machine verified"),
        "{err}"
    );
    // `demo --reset` is the custodian starting the log again on purpose: it forgets the kept
    // checkpoint, and the new log verifies.
    world.ok(&["demo", "--reset"]);
    world.ok(&["log", "verify", "paris-2026"]);
}

#[test]
fn inclusion_and_consistency_proofs_are_printed_for_the_log() {
    let world = adopted(DRAFT_V2);
    let (events, _) = world.head(C);
    let proof: serde_json::Value =
        serde_json::from_str(&world.ok(&["log", "prove", C, "1", "--json"])).unwrap();
    assert_eq!(proof["tree_size"].as_u64(), Some(events));
    world.fails(2, &["log", "prove", C, "0"]);
    world.fails(2, &["log", "prove", C, &(events + 1).to_string()]);
    let consistency: serde_json::Value =
        serde_json::from_str(&world.ok(&["log", "consistency", C, "--old-size", "3", "--json"]))
            .unwrap();
    assert_eq!(consistency["new_size"].as_u64(), Some(events));
    world.fails(
        2,
        &[
            "log",
            "consistency",
            C,
            "--old-size",
            &(events + 1).to_string(),
        ],
    );
}
