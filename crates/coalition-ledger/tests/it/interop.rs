//! Interop with Cloudflare's `signed_note` and `tlog_tiles` (the C2SP note, checkpoint and tlog
//! implementation of the azul project): each side parses, verifies and agrees byte for byte with
//! what the other produces — our checkpoints and their signatures, our cosignatures and theirs
//! (their note machinery with a cosignature/v1 signer and verifier written against their traits),
//! and our consistency proofs against theirs.

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, open_checkpoint, sign_checkpoint};
use coalition_ledger::cosignature::{
    COSIGNATURE_V1, CosignerKey, add_cosignatures, cosign, cosignatures, signed_message,
};
use coalition_ledger::merkle::{consistency_proof, leaf_hash, root, verify_consistency};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use proptest::prelude::*;
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

/// The signed-note private key encoding, `PRIVATE+KEY+<name>+<id>+base64(0x01 || seed)`.
fn their_signer(name: &str, key: &SigningKey) -> StandardSigner {
    let public = [&[0x01], key.verifying_key().as_bytes().as_slice()].concat();
    let id = signed_note::key_id(name, &public);
    let secret = [&[0x01], key.to_bytes().as_slice()].concat();
    StandardSigner::new(&format!(
        "PRIVATE+KEY+{name}+{id:08x}+{}",
        base64_encode(&secret)
    ))
    .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A cosignature/v1 verifier written against their `Verifier` trait, from the spec: it proves
/// that their note parser and key IDs carry our cosignature lines unchanged.
struct TheirCosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl TheirCosignatureVerifier {
    fn new(name: &str, key: VerifyingKey) -> Self {
        let encoded = [&[COSIGNATURE_V1], key.as_bytes().as_slice()].concat();
        TheirCosignatureVerifier {
            name: name.to_owned(),
            id: signed_note::key_id(name, &encoded),
            key,
        }
    }
}

impl signed_note::Verifier for TheirCosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        let Some((ts, sig)) = sig.split_first_chunk::<8>() else {
            return false;
        };
        let Ok(sig) = <[u8; 64]>::try_from(sig) else {
            return false;
        };
        let mut message =
            format!("cosignature/v1\ntime {}\n", u64::from_be_bytes(*ts)).into_bytes();
        message.extend_from_slice(msg);
        self.key
            .verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&sig))
            .is_ok()
    }
}

/// A cosignature/v1 signer against their `Signer` trait, at a fixed time.
struct TheirCosigner {
    name: String,
    id: u32,
    key: SigningKey,
    timestamp: u64,
}

impl signed_note::Signer for TheirCosigner {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        let mut message = format!("cosignature/v1\ntime {}\n", self.timestamp).into_bytes();
        message.extend_from_slice(msg);
        let sig = self.key.sign(&message);
        Ok([self.timestamp.to_be_bytes().as_slice(), &sig.to_bytes()].concat())
    }
}

fn leaves(n: u64, salt: u8) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(&[i.to_le_bytes().as_slice(), &[salt]].concat()))
        .collect()
}

/// The stored hashes of their tlog, built record by record with their code.
struct Stored(Vec<tlog_tiles::Hash>);

impl tlog_tiles::HashReader for Stored {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<tlog_tiles::Hash>, tlog_tiles::Error> {
        Ok(indexes.iter().map(|&i| self.0[i as usize]).collect())
    }
}

fn their_tree(leaves: &[Hash]) -> Stored {
    let mut stored = Stored(Vec::new());
    for (n, leaf) in leaves.iter().enumerate() {
        let new =
            tlog_tiles::stored_hashes_for_record_hash(n as u64, tlog_tiles::Hash(leaf.0), &stored)
                .unwrap();
        stored.0.extend(new);
    }
    stored
}

#[test]
fn our_signed_checkpoint_is_theirs_byte_for_byte_and_verifies_with_their_verifier() {
    let log = key(1);
    let all = leaves(13, 0);
    let ours = Checkpoint::new("coalition/paris-2026", 13, root(&all));
    let note = sign_checkpoint(&ours, "coalition/paris-2026", &log).unwrap();

    // Their checkpoint of the same tree writes the same body.
    let theirs = tlog_tiles::Checkpoint::new(
        "coalition/paris-2026",
        13,
        tlog_tiles::tree_hash(13, &their_tree(&all)).unwrap(),
        "",
    )
    .unwrap();
    assert_eq!(theirs.to_bytes(), ours.body().as_bytes());

    // Their note parser and verifier accept our note, and their signer writes the same bytes
    // (Ed25519 is deterministic).
    let verifier = VerifierKey::new("coalition/paris-2026", log.verifying_key()).unwrap();
    let their_verifier = StandardVerifier::new(&verifier.to_string()).unwrap();
    let parsed = Note::from_bytes(note.as_bytes()).unwrap();
    let (verified, _) = parsed
        .verify(&VerifierList::new(vec![Box::new(their_verifier)]))
        .unwrap();
    assert_eq!(verified.len(), 1);
    let parsed_body = tlog_tiles::Checkpoint::from_bytes(parsed.text()).unwrap();
    assert_eq!(parsed_body.size(), 13);
    assert_eq!(parsed_body.hash().0, ours.root.0);

    let mut their_note = Note::new(ours.body().as_bytes(), &[]).unwrap();
    their_note
        .add_sigs(&[&their_signer("coalition/paris-2026", &log)])
        .unwrap();
    assert_eq!(their_note.to_bytes(), note.as_bytes());
    assert_eq!(
        open_checkpoint(
            std::str::from_utf8(&their_note.to_bytes()).unwrap(),
            &verifier
        )
        .unwrap(),
        ours
    );
}

#[test]
fn our_cosignatures_verify_with_their_note_machinery_and_theirs_with_ours() {
    let log = key(1);
    let all = leaves(6, 0);
    let checkpoint = Checkpoint::new("coalition/c", 6, root(&all));
    let note = sign_checkpoint(&checkpoint, "coalition/c", &log).unwrap();
    let witness = key(7);
    let ours = cosign(
        &checkpoint.body(),
        1_767_225_600,
        "witness.gouv.fr/w1",
        &witness,
    )
    .unwrap();
    let cosigned = add_cosignatures(&note, std::slice::from_ref(&ours)).unwrap();

    // Theirs reads ours: the cosignature line, under their key ID computation, verifies.
    let parsed = Note::from_bytes(cosigned.as_bytes()).unwrap();
    let their_witness =
        TheirCosignatureVerifier::new("witness.gouv.fr/w1", witness.verifying_key());
    assert_eq!(
        their_witness.id,
        CosignerKey::new("witness.gouv.fr/w1", witness.verifying_key())
            .unwrap()
            .key_id()
    );
    let (verified, unverified) = parsed
        .verify(&VerifierList::new(vec![Box::new(their_witness)]))
        .unwrap();
    assert_eq!(verified.len(), 1);
    assert_eq!(
        unverified.len(),
        1,
        "the log's own line is not the witness's"
    );

    // Ours reads theirs: the same cosignature made through their Signer trait is the same line.
    let cosigner = CosignerKey::new("witness.gouv.fr/w1", witness.verifying_key()).unwrap();
    let mut theirs = Note::from_bytes(note.as_bytes()).unwrap();
    theirs
        .add_sigs(&[&TheirCosigner {
            name: "witness.gouv.fr/w1".into(),
            id: cosigner.key_id(),
            key: witness.clone(),
            timestamp: 1_767_225_600,
        }])
        .unwrap();
    let theirs = String::from_utf8(theirs.to_bytes()).unwrap();
    assert_eq!(theirs, cosigned);
    assert_eq!(cosignatures(&theirs, &[cosigner]).unwrap().len(), 1);
    assert!(
        signed_message(&checkpoint.body(), 1).starts_with("cosignature/v1\ntime 1\ncoalition/c\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Consistency proofs: ours and theirs are the same list of hashes, and each side verifies
    /// the other's.
    #[test]
    fn consistency_proofs_agree_with_tlog_tiles(new in 1u64..200, old_pick in 0u64..200, salt: u8) {
        let old = 1 + old_pick % new;
        let all = leaves(new, salt);
        let stored = their_tree(&all);
        let ours = consistency_proof(&all, old).unwrap();
        let theirs = tlog_tiles::prove_tree(new, old, &stored).unwrap();
        prop_assert_eq!(ours.iter().map(|h| h.0).collect::<Vec<_>>(), theirs.iter().map(|h| h.0).collect::<Vec<_>>());
        let (old_root, new_root) = (root(&all[..old as usize]), root(&all));
        prop_assert_eq!(tlog_tiles::tree_hash(new, &stored).unwrap().0, new_root.0);
        let theirs_as_ours: Vec<Hash> = theirs.iter().map(|h| Hash(h.0)).collect();
        prop_assert!(verify_consistency(old, new, &old_root, &new_root, &theirs_as_ours).is_ok());
        let ours_as_theirs: Vec<tlog_tiles::Hash> = ours.iter().map(|h| tlog_tiles::Hash(h.0)).collect();
        prop_assert!(tlog_tiles::check_tree(&ours_as_theirs, new, tlog_tiles::Hash(new_root.0), old, tlog_tiles::Hash(old_root.0)).is_ok());
    }
}
