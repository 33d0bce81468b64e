//! `key generate`: file mode, public key, no overwrite, passphrase required unless waived, and
//! an encrypted key that needs its passphrase to sign.

use std::os::unix::fs::PermissionsExt as _;

use coalition_core::signature::PublicKey;

use super::world::{C, imported, world};
use crate::support::path;

#[test]
fn key_generate_writes_an_owner_only_file_and_prints_its_public_key() {
    let mut world = world();
    world.passphrase = Some("a long passphrase".into());
    let file = world.root().join("leader.pem");
    let printed = world.ok(&["key", "generate", "--out", path(&file)]);
    let public = printed.trim();
    assert_eq!(public.len(), 44, "{printed}");
    PublicKey::parse(public).expect("the printed public key parses");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let pem = std::fs::read_to_string(&file).unwrap();
    assert!(pem.contains("BEGIN ENCRYPTED PRIVATE KEY"), "{pem}");
    // `key public` reads it back (with the passphrase) to the same public key.
    assert_eq!(
        world.ok(&["key", "public", "--key", path(&file)]).trim(),
        public
    );

    // Never overwritten, with or without a passphrase.
    let err = world.fails(2, &["key", "generate", "--out", path(&file)]);
    assert!(err.contains("never overwritten"), "{err}");
    world.fails(
        2,
        &["key", "generate", "--out", path(&file), "--no-passphrase"],
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), pem);
}

#[test]
fn key_generate_needs_a_passphrase_unless_told_the_key_is_throwaway() {
    let world = world();
    let file = world.root().join("k.pem");
    let err = world.fails(2, &["key", "generate", "--out", path(&file)]);
    assert!(
        err.contains("COALITION_KEY_PASSPHRASE") && err.contains("--no-passphrase"),
        "{err}"
    );
    assert!(!file.exists());
    let public = world.ok(&["key", "generate", "--out", path(&file), "--no-passphrase"]);
    PublicKey::parse(public.trim()).unwrap();
    let pem = std::fs::read_to_string(&file).unwrap();
    assert!(
        pem.contains("BEGIN PRIVATE KEY") && !pem.contains("ENCRYPTED"),
        "{pem}"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_encrypted_key_needs_its_passphrase_to_approve() {
    let mut world = imported();
    world.passphrase = Some("s3cret passphrase".into());
    let macron = world.leader("macron", "FRA");
    world.draft("FRA,GBR");
    let before = world.head(C);

    world.passphrase = None;
    let ran = world.approve("macron", &macron, 1);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("encrypted") && ran.stderr.contains("COALITION_KEY_PASSPHRASE"));
    world.passphrase = Some("wrong".into());
    let ran = world.approve("macron", &macron, 1);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("wrong passphrase"), "{}", ran.stderr);
    assert_eq!(world.head(C), before, "a refused approval changed the log");

    world.passphrase = Some("s3cret passphrase".into());
    let ran = world.approve("macron", &macron, 1);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(world.head(C).0, before.0 + 1);
}

#[test]
fn a_rotated_key_signs_and_the_old_one_no_longer_does() {
    let world = imported();
    let old = world.leader("macron", "FRA");
    world.draft("FRA,GBR");
    world.approve("macron", &old, 1).ok();
    let (new, public) = world.key("macron-2026");
    let rotate = |key: &str, by: &str| {
        world.run(&[
            "principal",
            "rotate-key",
            C,
            "macron",
            "--public-key",
            key,
            "--as",
            by,
        ])
    };
    // Only the secretariat rotates.
    let (_, other) = world.key("other");
    rotate(&other, "macron").exits(2);
    rotate(&public, "secretariat").ok();
    // The approval made before the rotation still verifies.
    world.verified(1);
    world.ok(&[
        "statement",
        "withdraw-approval",
        C,
        "joint",
        "--as",
        "macron",
    ]);
    let before = world.head(C);
    let err = world.approve("macron", &old, 1).exits(2);
    assert!(err.contains("not the key registered for macron"), "{err}");
    assert_eq!(world.head(C), before);
    world.approve("macron", &new, 1).ok();
    world.verified(2);
}

#[test]
fn weak_malformed_or_reused_public_keys_are_refused_at_registration() {
    let world = imported();
    let before = world.head(C);
    // The identity point and the point of order 2 (small order), and a truncated key.
    for key in [
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "7P////////////////////////////////////////8=",
        "AAAA",
    ] {
        let err = world.add_leader("weak", "FRA", key).exits(2);
        assert!(err.contains("public key"), "{err}");
    }
    assert_eq!(world.head(C), before);
    // A key already registered to another principal (of another party).
    let (_, public) = world.key("shared");
    world.add_leader("macron", "FRA", &public).ok();
    let before = world.head(C);
    let err = world.add_leader("starmer", "GBR", &public).exits(2);
    assert!(err.contains("registered to macron"), "{err}");
    assert_eq!(world.head(C), before);
}

#[test]
fn key_sign_signs_the_bytes_a_page_shows_with_the_signers_own_key() {
    let mut world = world();
    world.passphrase = Some("a long passphrase".into());
    let file = world.root().join("leader.pem");
    let public = world.ok(&["key", "generate", "--out", path(&file)]);
    let public = PublicKey::parse(public.trim()).expect("a public key");
    let message = "5855948af56cba5bb3b7a2fafd90c6b3893d4b0e807f393cbaa5a8c0c9776b9c";
    let printed = world.ok(&["key", "sign", "--key", path(&file), "--message", message]);
    let signature = coalition_core::signature::SignatureBytes::parse(printed.trim())
        .expect("a base64 signature");
    let bytes = coalition_core::hash::Hash::from_hex(message).expect("hex");
    assert!(public.verify_strict(bytes.as_bytes(), &signature));
    // Not 32 bytes of hex: refused, naming the flag.
    let err = world.fails(
        2,
        &["key", "sign", "--key", path(&file), "--message", "abc"],
    );
    assert!(err.contains("--message"), "{err}");
}
