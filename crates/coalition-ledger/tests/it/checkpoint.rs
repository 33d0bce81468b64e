//! Signed checkpoints: round trips, known answers derived outside this code, and refusal of
//! every altered note.

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{
    Checkpoint, CheckpointError, VerifierKey, key_id, open_checkpoint, open_note, sign_checkpoint,
    sign_note,
};
use coalition_ledger::merkle::{leaf_hash, root};
use ed25519_dalek::{SigningKey, VerifyingKey};

/// The secret key of RFC 8032 §7.1, TEST 1.
const RFC8032_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

fn key_from_hex(seed: &str) -> SigningKey {
    SigningKey::from_bytes(&hex::decode(seed).unwrap().try_into().unwrap())
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn verifier(name: &str, key: &SigningKey) -> VerifierKey {
    VerifierKey::new(name, key.verifying_key()).unwrap()
}

/// The root of the first five leaves of the RFC 6962 reference tree (the leaves "", 00, 10,
/// 2021, 3031 in hex), 4e3bbb1f…64d4.
fn reference_root() -> Hash {
    let leaves: Vec<Hash> = ["", "00", "10", "2021", "3031"]
        .iter()
        .map(|h| leaf_hash(&hex::decode(h).unwrap()))
        .collect();
    root(&leaves)
}

// The known answer below was derived by hand from the two C2SP specs with coreutils and
// OpenSSL 3.0, not with this code:
//
//   seed=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60   # RFC 8032 TEST 1
//   # PKCS#8 wrapping of an Ed25519 seed (RFC 8410): fixed 16-byte prefix || seed
//   printf '302e020100300506032b657004220420%s' $seed | xxd -r -p > k.der
//   openssl pkey -inform DER -in k.der -pubout -outform DER | tail -c 32 | xxd -p -c 64
//     -> d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a (RFC 8032's public key)
//   name=example.com/coalition/kat
//   root=$(echo 4e3bbb1f…64d4 | xxd -r -p | base64 -w0)
//   printf '%s\n5\n%s\n' $name $root > body.txt                      # tlog-checkpoint body
//   { printf '%s\n\x01' $name; xxd -r -p k.pub; } | sha256sum | cut -c1-8   # key ID
//     -> d97b3be0
//   openssl pkeyutl -sign -rawin -inkey k.der -keyform DER -in body.txt > k.sig
//   { echo d97b3be0 | xxd -r -p; cat k.sig; } | base64 -w0          # signature line blob
//   { printf '\x01'; xxd -r -p k.pub; } | base64 -w0                # verifier key data
//
// The same commands, run on the example key of Go's sumdb/note package, reproduce that
// package's published note byte for byte (see `go_sumdb_note_example_interoperates`), which
// checks the method itself.
const KAT_NAME: &str = "example.com/coalition/kat";
const KAT_NOTE: &str = "example.com/coalition/kat\n\
                        5\n\
                        Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\n\
                        \n\
                        \u{2014} example.com/coalition/kat 2Xs74Df5GPomTw/oCtmijypPbBaDLgITzDAeJF6tLLbgezMu+jsvuaUZADNt8DWCpc2pjYJ5z5RzHqvrTVQSjCIycw8=\n";
const KAT_VERIFIER: &str =
    "example.com/coalition/kat+d97b3be0+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";

#[test]
fn known_answer_derived_from_the_specs() {
    let signing = key_from_hex(RFC8032_SEED);
    assert_eq!(
        hex::encode(signing.verifying_key().as_bytes()),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
    assert_eq!(key_id(KAT_NAME, &signing.verifying_key()), 0xd97b3be0);

    let checkpoint = Checkpoint::new(KAT_NAME, 5, reference_root());
    assert_eq!(
        checkpoint.body(),
        "example.com/coalition/kat\n5\nTju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\n"
    );
    assert_eq!(
        sign_checkpoint(&checkpoint, KAT_NAME, &signing).unwrap(),
        KAT_NOTE
    );

    let verifier = verifier(KAT_NAME, &signing);
    assert_eq!(verifier.to_string(), KAT_VERIFIER);
    assert_eq!(VerifierKey::parse(KAT_VERIFIER).unwrap(), verifier);
    assert_eq!(open_checkpoint(KAT_NOTE, &verifier).unwrap(), checkpoint);
}

/// The example of Go's `golang.org/x/mod/sumdb/note` documentation: its signer key (type byte
/// 0x01, then the seed), verifier key and signed note.
#[test]
fn go_sumdb_note_example_interoperates() {
    let signer = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    let verifier_text = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    let text = "If you think cryptography is the answer to your problem,\n\
                then you don't know what your problem is.\n";
    let note = format!(
        "{text}\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    );

    use base64::Engine;
    let seed = base64::engine::general_purpose::STANDARD
        .decode(signer)
        .unwrap();
    assert_eq!(seed[0], 0x01);
    let signing = SigningKey::from_bytes(&seed[1..].try_into().unwrap());

    let verifier = VerifierKey::parse(verifier_text).unwrap();
    assert_eq!(verifier.key_id(), 0xc74f20a3);
    assert_eq!(
        verifier,
        VerifierKey::new("PeterNeumann", signing.verifying_key()).unwrap()
    );
    assert_eq!(verifier.to_string(), verifier_text);
    assert_eq!(open_note(&note, &verifier).unwrap(), text);
    assert_eq!(sign_note(text, "PeterNeumann", &signing).unwrap(), note);
}

#[test]
fn checkpoints_round_trip() {
    let signing = key(7);
    let verifier = verifier("log.example/c1", &signing);
    for checkpoint in [
        Checkpoint::new("log.example/c1", 0, coalition_ledger::merkle::empty_root()),
        Checkpoint::new("log.example/c1", 1, leaf_hash(b"x")),
        Checkpoint::new("log.example/c1", u64::MAX, Hash([0xff; 32])),
        Checkpoint {
            extensions: vec!["ext one".into(), "— ext two".into()],
            ..Checkpoint::new("an origin with spaces", 42, Hash::GENESIS)
        },
    ] {
        let note = sign_checkpoint(&checkpoint, "log.example/c1", &signing).unwrap();
        assert_eq!(open_checkpoint(&note, &verifier).unwrap(), checkpoint);
        assert_eq!(
            Checkpoint::parse_body(&checkpoint.body()).unwrap(),
            checkpoint
        );
    }
}

/// Every note that differs from the signed one in one byte (four bits of each byte flipped in
/// turn, each byte deleted, a byte inserted at each position) is refused: either it is no longer
/// UTF-8, so it cannot even be handed to `open_checkpoint`, or `open_checkpoint` rejects it.
/// Bit 0 and 1 turn digits and letters into others, bit 5 changes letter case and turns a
/// newline into '*', bit 7 breaks or changes UTF-8 sequences.
#[test]
fn every_one_byte_change_is_rejected() {
    let verifier = VerifierKey::parse(KAT_VERIFIER).unwrap();
    let original = KAT_NOTE.as_bytes();
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    for position in 0..original.len() {
        for bit in [0, 1, 5, 7] {
            let mut bytes = original.to_vec();
            bytes[position] ^= 1 << bit;
            variants.push((format!("bit {bit} of byte {position} flipped"), bytes));
        }
        let mut bytes = original.to_vec();
        bytes.remove(position);
        variants.push((format!("byte {position} deleted"), bytes));
    }
    for position in 0..=original.len() {
        for inserted in [b'\n', b' ', b'A'] {
            let mut bytes = original.to_vec();
            bytes.insert(position, inserted);
            variants.push((format!("{inserted:#04x} inserted at {position}"), bytes));
        }
    }

    let (mut not_utf8, mut rejected) = (0, 0);
    for (what, bytes) in &variants {
        assert_ne!(bytes.as_slice(), original);
        match std::str::from_utf8(bytes) {
            Err(_) => not_utf8 += 1,
            Ok(note) => {
                let result = open_checkpoint(note, &verifier);
                assert!(result.is_err(), "{what}: accepted as {result:?}");
                rejected += 1;
            }
        }
    }
    println!(
        "{} one-byte variants of a {}-byte note: {rejected} rejected, {not_utf8} not UTF-8",
        variants.len(),
        original.len()
    );
    assert!(rejected > 4 * original.len());
    // The unaltered note still opens, so the rejections above are the alterations' doing.
    assert!(open_checkpoint(KAT_NOTE, &verifier).is_ok());
}

#[test]
fn a_note_signed_by_another_key_is_rejected() {
    let checkpoint = Checkpoint::new("log.example/c1", 3, leaf_hash(b"x"));
    let ours = key(1);
    let theirs = key(2);
    let verifier = verifier("log.example/c1", &ours);

    // Same name, other key: its key ID differs, so it is not a signature by our key.
    let forged = sign_checkpoint(&checkpoint, "log.example/c1", &theirs).unwrap();
    assert_eq!(
        open_checkpoint(&forged, &verifier),
        Err(CheckpointError::NotSignedByKey {
            name: "log.example/c1".into(),
            key_id: verifier.key_id()
        })
    );

    // Other key's signature under our name and key ID: the signature check catches it.
    let genuine = sign_checkpoint(&checkpoint, "log.example/c1", &ours).unwrap();
    let forged_line = forged.lines().last().unwrap();
    let genuine_line = genuine.lines().last().unwrap();
    let (_, forged_blob) = forged_line.rsplit_once(' ').unwrap();
    let (prefix, genuine_blob) = genuine_line.rsplit_once(' ').unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut blob = b64.decode(genuine_blob).unwrap();
    blob[4..].copy_from_slice(&b64.decode(forged_blob).unwrap()[4..]);
    let spliced = genuine.replace(genuine_line, &format!("{prefix} {}", b64.encode(&blob)));
    assert!(matches!(
        open_checkpoint(&spliced, &verifier),
        Err(CheckpointError::BadSignature { .. })
    ));

    // A cosignature by an unknown key next to ours is ignored, as the spec requires.
    let cosigned = format!(
        "{genuine}{}\n",
        forged_line.replace("log.example/c1", "witness.example")
    );
    assert_eq!(open_checkpoint(&cosigned, &verifier).unwrap(), checkpoint);
    // But our key signing twice is refused.
    let twice = format!("{genuine}{genuine_line}\n");
    assert!(matches!(
        open_checkpoint(&twice, &verifier),
        Err(CheckpointError::DuplicateSignature { .. })
    ));
}

fn sign_text(text: &str) -> (String, VerifierKey) {
    let signing = key(9);
    (
        sign_note(text, "log.example", &signing).unwrap(),
        verifier("log.example", &signing),
    )
}

#[test]
fn bodies_are_parsed_strictly() {
    let root_b64 = "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=";
    let ok = format!("o\n5\n{root_b64}\n");
    assert!(Checkpoint::parse_body(&ok).is_ok());
    let cases: Vec<(String, CheckpointError)> = vec![
        (
            format!("o\n5\n{root_b64}"),
            CheckpointError::MissingFinalNewline("checkpoint body"),
        ),
        ("o\n5\n".into(), CheckpointError::TooFewLines { found: 2 }),
        (
            format!("\n5\n{root_b64}\n"),
            CheckpointError::EmptyLine { line: 1 },
        ),
        (
            format!("o\n5\n{root_b64}\n\n"),
            CheckpointError::EmptyLine { line: 4 },
        ),
        (
            format!("o\n05\n{root_b64}\n"),
            CheckpointError::InvalidSize("05".into()),
        ),
        (
            format!("o\n+5\n{root_b64}\n"),
            CheckpointError::InvalidSize("+5".into()),
        ),
        (
            format!("o\n 5\n{root_b64}\n"),
            CheckpointError::InvalidSize(" 5".into()),
        ),
        (
            format!("o\n5 \n{root_b64}\n"),
            CheckpointError::InvalidSize("5 ".into()),
        ),
        (
            format!("o\n\n{root_b64}\n"),
            CheckpointError::EmptyLine { line: 2 },
        ),
        (
            format!("o\n00\n{root_b64}\n"),
            CheckpointError::InvalidSize("00".into()),
        ),
        (
            format!("o\n0x5\n{root_b64}\n"),
            CheckpointError::InvalidSize("0x5".into()),
        ),
        (
            format!("o\n18446744073709551616\n{root_b64}\n"),
            CheckpointError::InvalidSize("18446744073709551616".into()),
        ),
        // Non-canonical: the last character differs only in bits the decoder should ignore.
        (
            "o\n5\nTju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNR=\n".into(),
            CheckpointError::InvalidRoot("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNR=".into()),
        ),
        (
            "o\n5\nTju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ\n".into(),
            CheckpointError::InvalidRoot("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ".into()),
        ),
        (
            "o\n5\nTju7H3tHjc_nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\n".into(),
            CheckpointError::InvalidRoot("Tju7H3tHjc_nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=".into()),
        ),
        (
            "o\n5\nAAAA\n".into(),
            CheckpointError::InvalidRoot("AAAA".into()),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            Checkpoint::parse_body(&body),
            Err(expected.clone()),
            "{body:?}"
        );
        // And the same body, validly signed, is still refused by open_checkpoint.
        if body.ends_with('\n') && !body.starts_with('\n') && !body.ends_with("\n\n") {
            let (note, verifier) = sign_text(&body);
            assert_eq!(open_checkpoint(&note, &verifier), Err(expected), "{body:?}");
        }
    }
    let with_extensions = Checkpoint::parse_body(&format!("o\n5\n{root_b64}\nx\ny z\n")).unwrap();
    assert_eq!(with_extensions.extensions, ["x", "y z"]);
}

#[test]
fn notes_are_parsed_strictly() {
    let checkpoint = Checkpoint::new("log.example", 5, reference_root());
    let (note, verifier) = sign_text(&checkpoint.body());
    assert_eq!(open_checkpoint(&note, &verifier).unwrap(), checkpoint);

    let missing_newline = note.trim_end_matches('\n');
    assert_eq!(
        open_checkpoint(missing_newline, &verifier),
        Err(CheckpointError::MissingFinalNewline("note"))
    );
    let crlf = note.replace('\n', "\r\n");
    assert!(matches!(
        open_checkpoint(&crlf, &verifier),
        Err(CheckpointError::ControlCharacter { byte: b'\r', .. })
    ));
    let text_only = checkpoint.body();
    assert_eq!(
        open_checkpoint(&text_only, &verifier),
        Err(CheckpointError::NoSignatures)
    );
    let blank_after = format!("{note}\n");
    assert_eq!(
        open_checkpoint(&blank_after, &verifier),
        Err(CheckpointError::NoSignatures)
    );
    let hyphen = note.replace('\u{2014}', "-");
    assert!(matches!(
        open_checkpoint(&hyphen, &verifier),
        Err(CheckpointError::MalformedSignatureLine { line: 1, .. })
    ));
    let two_spaces = note.replace("log.example ", "log.example  ");
    assert!(matches!(
        open_checkpoint(&two_spaces, &verifier),
        Err(CheckpointError::MalformedSignatureLine { line: 1, .. })
    ));
    let short_blob = format!("{}\n\u{2014} log.example AAA=\n", checkpoint.body());
    assert!(matches!(
        open_checkpoint(&short_blob, &verifier),
        Err(CheckpointError::MalformedSignatureLine { line: 1, .. })
    ));
    let no_text = note[checkpoint.body().len()..].to_owned();
    assert_eq!(
        open_checkpoint(&no_text, &verifier),
        Err(CheckpointError::NoSignatures)
    );
    let mut crowded = checkpoint.body() + "\n";
    for i in 0..101 {
        crowded.push_str(&format!("\u{2014} witness{i}.example AAAAAAAA\n"));
    }
    assert_eq!(
        open_checkpoint(&crowded, &verifier),
        Err(CheckpointError::TooManySignatures { max: 100 })
    );

    // Signing refuses what it could not write faithfully.
    let signing = key(9);
    assert!(sign_note("no newline", "log.example", &signing).is_err());
    assert!(sign_note("", "log.example", &signing).is_err());
    assert!(sign_note("tab\there\n", "log.example", &signing).is_err());
    assert!(sign_note("x\n", "bad name", &signing).is_err());
    assert!(sign_note("x\n", "bad+name", &signing).is_err());
    assert!(sign_note("x\n", "", &signing).is_err());
    for unwritable in [
        Checkpoint::new("", 1, Hash::GENESIS),
        Checkpoint::new("two\nlines", 1, Hash::GENESIS),
        Checkpoint {
            extensions: vec![String::new()],
            ..Checkpoint::new("o", 1, Hash::GENESIS)
        },
        Checkpoint {
            extensions: vec!["a\nb".into()],
            ..Checkpoint::new("o", 1, Hash::GENESIS)
        },
    ] {
        assert!(
            matches!(
                sign_checkpoint(&unwritable, "log.example", &signing),
                Err(CheckpointError::Unwritable(_))
            ),
            "{unwritable:?}"
        );
    }
}

#[test]
fn verifier_keys_are_parsed_strictly_and_weak_keys_refused() {
    let good = VerifierKey::parse(KAT_VERIFIER).unwrap();
    assert_eq!(good.name(), KAT_NAME);
    assert_eq!(KAT_VERIFIER.parse::<VerifierKey>().unwrap(), good);

    let bad_id = KAT_VERIFIER.replace("d97b3be0", "d97b3be1");
    assert_eq!(
        VerifierKey::parse(&bad_id),
        Err(CheckpointError::KeyIdMismatch {
            stated: 0xd97b3be1,
            computed: 0xd97b3be0
        })
    );
    let other_name = KAT_VERIFIER.replace("coalition/kat", "coalition/kau");
    assert!(matches!(
        VerifierKey::parse(&other_name),
        Err(CheckpointError::KeyIdMismatch { .. })
    ));
    for malformed in [
        KAT_VERIFIER.replace("d97b3be0", "D97B3BE0"),
        KAT_VERIFIER.replace("d97b3be0", "d97b3be"),
        KAT_VERIFIER.replace("+d97b3be0", ""),
        format!("{KAT_VERIFIER}="),
        KAT_VERIFIER.replace("AddamAG", "AddamAG="),
        "+d97b3be0+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea".into(),
        "".into(),
    ] {
        assert!(VerifierKey::parse(&malformed).is_err(), "{malformed:?}");
    }

    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let with_data = |data: &[u8]| format!("n+00000000+{}", b64.encode(data));
    // Another signature type.
    let mut ecdsa = vec![0x02];
    ecdsa.extend_from_slice(&[0; 32]);
    assert_eq!(
        VerifierKey::parse(&with_data(&ecdsa)),
        Err(CheckpointError::UnsupportedKeyType(0x02))
    );
    // Wrong length.
    assert!(matches!(
        VerifierKey::parse(&with_data(&[0x01; 32])),
        Err(CheckpointError::MalformedVerifierKey(_))
    ));
    // The identity point (y = 1) has small order: a weak key, refused whatever its ID.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = VerifyingKey::from_bytes(&identity).unwrap();
    assert!(weak.is_weak());
    assert_eq!(
        VerifierKey::new("n", weak),
        Err(CheckpointError::WeakPublicKey)
    );
    let weak_text = format!(
        "n+{:08x}+{}",
        key_id("n", &weak),
        b64.encode([&[0x01][..], &identity].concat())
    );
    assert_eq!(
        VerifierKey::parse(&weak_text),
        Err(CheckpointError::WeakPublicKey)
    );
    // Bytes that are not a curve point at all.
    let not_a_point = (2u8..=255)
        .map(|y| {
            let mut bytes = [0u8; 32];
            bytes[0] = y;
            bytes
        })
        .find(|b| VerifyingKey::from_bytes(b).is_err())
        .unwrap();
    assert_eq!(
        VerifierKey::parse(&with_data(&[&[0x01][..], &not_a_point].concat())),
        Err(CheckpointError::InvalidPublicKey)
    );
}

#[test]
fn the_origin_can_be_pinned() {
    let signing = key(3);
    let verifier = verifier("server.example", &signing);
    let note = sign_checkpoint(
        &Checkpoint::new("server.example/coalition/A", 2, Hash::GENESIS),
        "server.example",
        &signing,
    )
    .unwrap();
    let opened = open_checkpoint(&note, &verifier).unwrap();
    assert!(
        opened
            .clone()
            .expect_origin("server.example/coalition/A")
            .is_ok()
    );
    assert_eq!(
        opened.expect_origin("server.example/coalition/B"),
        Err(CheckpointError::WrongOrigin {
            expected: "server.example/coalition/B".into(),
            found: "server.example/coalition/A".into()
        })
    );
}
