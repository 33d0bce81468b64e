//! Bad input exits 2 and leaves the log's head where it was: a malformed draft (the message names
//! file and line), an unknown signatory, a version that does not exist, a signature by the wrong
//! key file for `--as`.

use std::path::Path;

use super::world::{C, imported};
use crate::support::{Env, Run};

/// Runs, expects exit 2 and an unchanged head; returns stderr.
fn refused(world: &Env, run: impl FnOnce(&Env) -> Run) -> String {
    let before = world.head(C);
    let err = run(world).exits(2);
    assert_eq!(
        world.head(C),
        before,
        "a refused command changed the log: {err}"
    );
    err
}

#[test]
fn a_malformed_draft_file_is_refused_naming_file_and_line() {
    let world = imported();
    let cases = [
        // (file name, text, what the message must contain beside the name)
        (
            "unmarked.md",
            "# Title\n\n(PUBLIC) One.\n\nTwo, unmarked.\n",
            ":5:",
        ),
        ("bad-marking.md", "(PUBLIC) One.\n\n(SEKRET) Two.\n", ":3:"),
        ("no-text.md", "(PUBLIC) One.\n\n\n(SECRET)\n", ":4:"),
        ("empty.md", "# Only a heading\n", "no paragraphs"),
        (
            "broken.toml",
            "[[paragraphs]]\ntext = \"x\"\nmarking = \n",
            ":3:",
        ),
        (
            "bad.toml",
            "[[paragraphs]]\ntext = \"x\"\nmarking = \"SEKRET\"\n",
            "paragraphs[0]",
        ),
    ];
    for (name, text, expected) in cases {
        let file = world.write(name, text);
        let err = refused(&world, |w| w.draft_from("bad", "FRA", &file, &[]));
        assert!(err.contains(name), "{name}: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in {err}"
        );
    }
    // A missing file.
    let missing = Path::new("does-not-exist.md");
    let err = refused(&world, |w| w.draft_from("bad", "FRA", missing, &[]));
    assert!(err.contains("does-not-exist.md"), "{err}");
    // The same goes for a revision.
    let good = world.write("good.md", "(PUBLIC) Fine.\n");
    world.draft_from("bad", "FRA", &good, &[]).ok();
    let bad = world.write("bad.md", "(PUBLIC) Fine.\n\nUnmarked.\n");
    let err = refused(&world, |w| w.revise_from("bad", &bad));
    assert!(err.contains("bad.md:3:"), "{err}");
}

#[test]
fn an_unknown_signatory_is_refused() {
    let world = imported();
    let file = world.write("d.md", "(PUBLIC) Text.\n");
    // Not a party code at all; a party without a seat; the adversary; a party listed twice.
    for (signatories, expected) in [
        ("FRA,XYZ", "XYZ"),
        ("FRA,NZL", "NZL has no seat"),
        ("FRA,RUS", "RUS"),
        ("FRA,FRA", "listed twice"),
    ] {
        let err = refused(&world, |w| w.draft_from("bad", signatories, &file, &[]));
        assert!(err.contains(expected), "{signatories}: {err}");
    }
}

#[test]
fn approving_a_version_that_does_not_exist_or_with_the_wrong_key_is_refused() {
    let world = imported();
    let macron = world.leader("macron", "FRA");
    let starmer = world.leader("starmer", "GBR");
    let sanchez = world.leader("sanchez", "ESP");
    world.draft("FRA,GBR");
    for version in [0, 2, 99] {
        let err = refused(&world, |w| w.approve("macron", &macron, version));
        assert!(err.contains(&format!("no version {version}")), "{err}");
    }
    // The wrong key file for --as: another leader's key.
    let err = refused(&world, |w| w.approve("macron", &starmer, 1));
    assert!(err.contains("not the key registered for macron"), "{err}");
    // A leader of a party that is not a required signatory, with its own key.
    let err = refused(&world, |w| w.approve("sanchez", &sanchez, 1));
    assert!(
        err.contains("ESP is not a required signatory of joint"),
        "{err}"
    );
    // An unknown statement; a key file that is not a key.
    let err = refused(&world, |w| w.approve_in("nope", "macron", &macron, 1, &[]));
    assert!(err.contains("unknown statement nope"), "{err}");
    let not_a_key = world.write("not-a-key.pem", "hello\n");
    let err = refused(&world, |w| w.approve("macron", &not_a_key, 1));
    assert!(err.contains("not-a-key.pem"), "{err}");
    // A version approved after a newer one was tabled: the rules refuse it as stale.
    let v2 = world.write("v2.md", "(PUBLIC) Version two.\n");
    world.revise_from("joint", &v2).ok();
    let err = refused(&world, |w| w.approve("macron", &macron, 1));
    assert!(
        err.contains("version 1") && err.contains("current is 2"),
        "{err}"
    );
    // And the genuine approval goes through.
    world.approve("macron", &macron, 2).ok();
}
