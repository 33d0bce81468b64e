//! Witness cosignatures in the C2SP `tlog-cosignature` format (Ed25519, `cosignature/v1`).
//!
//! A cosignature is a signed-note signature line on a checkpoint:
//! `"— " <witness name> " " base64(key ID || timestamp || signature) "\n"`, where
//!
//! - the key ID is the first four bytes of SHA-256(name || 0x0A || 0x04 || 32-byte public key)
//!   (0x04 is the cosignature/v1 signature type, so a witness key never shares an ID with a
//!   plain Ed25519 note key of the same name),
//! - the timestamp is 8 bytes, big-endian, POSIX seconds, at most 2^63 − 1,
//! - the signature is Ed25519 over `"cosignature/v1\ntime " <timestamp in decimal> "\n"`
//!   followed by the whole checkpoint body (with extension lines and its final newline).
//!
//! A verifier key for a witness is written `<name>+<key ID hex>+base64(0x04 || public key)`.
//! Checks are strict (`verify_strict`, canonical base64, exact lengths).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::checkpoint::{
    CheckpointError, SIGNATURE_PREFIX, check_key_name, parse_signature_line, parse_vkey,
    split_note, write_vkey,
};
use crate::hash::Hash;

/// The signature type byte of a `cosignature/v1` (Ed25519) key.
pub const COSIGNATURE_V1: u8 = 0x04;
/// The largest timestamp a cosignature may carry.
pub const MAX_TIMESTAMP: u64 = (1 << 63) - 1;
/// Key ID, timestamp, signature.
const BLOB_LEN: usize = 4 + 8 + 64;

/// Why a cosignature or a witness key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CosignatureError {
    /// The note or a line in it is malformed.
    #[error(transparent)]
    Note(#[from] CheckpointError),
    /// A witness verifier key that is not `<name>+<8 hex digits>+base64(0x04 || key)`.
    #[error("malformed witness key: {0}")]
    MalformedKey(&'static str),
    /// The cosignature is not key ID, 8-byte timestamp and 64-byte signature.
    #[error("the cosignature by {name} is {len} bytes, not {BLOB_LEN}")]
    WrongLength {
        /// The witness name.
        name: String,
        /// The length found.
        len: usize,
    },
    /// A timestamp beyond 2^63 − 1.
    #[error("timestamp {0} is beyond 2^63 - 1")]
    TimestampTooLarge(u64),
    /// A line names a known witness (name and key ID) but its signature does not verify.
    #[error("the cosignature by {name}+{key_id:08x} does not verify")]
    BadSignature {
        /// The witness name.
        name: String,
        /// Its key ID.
        key_id: u32,
    },
}

/// The public key of a witness, as notes name it: name, key ID (type 0x04) and the key, which
/// has been checked not to be weak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignerKey {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

/// The key ID of a cosignature/v1 key.
pub fn cosigner_key_id(name: &str, key: &VerifyingKey) -> u32 {
    let digest = Hash::of(&[name.as_bytes(), b"\n", &[COSIGNATURE_V1], key.as_bytes()]);
    let [a, b, c, d, ..] = digest.0;
    u32::from_be_bytes([a, b, c, d])
}

impl CosignerKey {
    /// The witness key `key` under `name`; refuses invalid names and weak keys.
    pub fn new(name: &str, key: VerifyingKey) -> Result<CosignerKey, CosignatureError> {
        check_key_name(name)?;
        if key.is_weak() {
            return Err(CheckpointError::WeakPublicKey.into());
        }
        Ok(CosignerKey {
            name: name.to_owned(),
            key_id: cosigner_key_id(name, &key),
            key,
        })
    }

    /// Reads `<name>+<8 lowercase hex digits>+base64(0x04 || 32-byte key)`.
    pub fn parse(text: &str) -> Result<CosignerKey, CosignatureError> {
        let (name, stated, kind, key) = parse_vkey(text)?;
        if kind != COSIGNATURE_V1 {
            return Err(CosignatureError::MalformedKey(
                "a witness key has signature type 0x04 (cosignature/v1)",
            ));
        }
        let cosigner = CosignerKey::new(name, key)?;
        if cosigner.key_id != stated {
            return Err(CheckpointError::KeyIdMismatch {
                stated,
                computed: cosigner.key_id,
            }
            .into());
        }
        Ok(cosigner)
    }

    /// The witness name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }
}

impl fmt::Display for CosignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_vkey(f, &self.name, self.key_id, COSIGNATURE_V1, &self.key)
    }
}

/// One cosignature: which witness, when, and its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness name.
    pub name: String,
    /// The witness key ID.
    pub key_id: u32,
    /// When the witness cosigned (POSIX seconds).
    pub timestamp: u64,
    /// The Ed25519 signature over [`signed_message`].
    pub signature: [u8; 64],
}

/// The bytes a witness signs: the header, the time line, then the checkpoint body.
pub fn signed_message(checkpoint_body: &str, timestamp: u64) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_body}")
}

/// Cosigns a checkpoint body (the note text, with its final newline) at `timestamp`.
pub fn cosign(
    checkpoint_body: &str,
    timestamp: u64,
    name: &str,
    key: &SigningKey,
) -> Result<Cosignature, CosignatureError> {
    check_key_name(name)?;
    if timestamp > MAX_TIMESTAMP {
        return Err(CosignatureError::TimestampTooLarge(timestamp));
    }
    let signature: Signature = key.sign(signed_message(checkpoint_body, timestamp).as_bytes());
    Ok(Cosignature {
        name: name.to_owned(),
        key_id: cosigner_key_id(name, &key.verifying_key()),
        timestamp,
        signature: signature.to_bytes(),
    })
}

impl Cosignature {
    /// The signature line, with its newline.
    pub fn line(&self) -> String {
        let mut blob = Vec::with_capacity(BLOB_LEN);
        blob.extend_from_slice(&self.key_id.to_be_bytes());
        blob.extend_from_slice(&self.timestamp.to_be_bytes());
        blob.extend_from_slice(&self.signature);
        format!(
            "{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(blob)
        )
    }

    /// Reads one signature line (without its newline) as a cosignature: its form only, not
    /// whether it verifies.
    pub fn parse_line(line: &str) -> Result<Cosignature, CosignatureError> {
        let parsed = parse_signature_line(line, 1)?;
        Cosignature::from_parts(parsed.name, parsed.key_id, &parsed.signature)
    }

    fn from_parts(name: &str, key_id: u32, rest: &[u8]) -> Result<Cosignature, CosignatureError> {
        let wrong = || CosignatureError::WrongLength {
            name: name.to_owned(),
            len: rest.len() + 4,
        };
        let (timestamp, signature) = rest.split_first_chunk::<8>().ok_or_else(wrong)?;
        let signature: [u8; 64] = signature.try_into().map_err(|_| wrong())?;
        let timestamp = u64::from_be_bytes(*timestamp);
        if timestamp > MAX_TIMESTAMP {
            return Err(CosignatureError::TimestampTooLarge(timestamp));
        }
        Ok(Cosignature {
            name: name.to_owned(),
            key_id,
            timestamp,
            signature,
        })
    }

    /// Whether this line is by `key` (same name and key ID).
    pub fn is_by(&self, key: &CosignerKey) -> bool {
        self.name == key.name && self.key_id == key.key_id
    }

    /// Checks the signature by `key` over `checkpoint_body` strictly.
    pub fn verify(&self, key: &CosignerKey, checkpoint_body: &str) -> Result<(), CosignatureError> {
        let bad = || CosignatureError::BadSignature {
            name: key.name.clone(),
            key_id: key.key_id,
        };
        if !self.is_by(key) {
            return Err(bad());
        }
        key.key
            .verify_strict(
                signed_message(checkpoint_body, self.timestamp).as_bytes(),
                &Signature::from_bytes(&self.signature),
            )
            .map_err(|_| bad())
    }
}

/// A verified cosignature found on a checkpoint: which of the given witnesses, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witnessed {
    /// The position of the witness in the list given.
    pub witness: usize,
    /// When it cosigned.
    pub timestamp: u64,
}

/// The cosignatures on `note` by the given witnesses, verified. Lines by other keys are
/// ignored (they may be the log's signature or unknown witnesses); a line that names a known
/// witness and does not verify makes the note malformed, as signed-note requires. A witness
/// counts once however many lines it has.
pub fn cosignatures(
    note: &str,
    witnesses: &[CosignerKey],
) -> Result<Vec<Witnessed>, CosignatureError> {
    let (text, lines) = split_note(note)?;
    let mut found: Vec<Witnessed> = Vec::new();
    for line in &lines {
        let Some(index) = witnesses
            .iter()
            .position(|w| w.name == line.name && w.key_id == line.key_id)
        else {
            continue;
        };
        let cosignature = Cosignature::from_parts(line.name, line.key_id, &line.signature)?;
        cosignature.verify(&witnesses[index], text)?;
        if !found.iter().any(|w| w.witness == index) {
            found.push(Witnessed {
                witness: index,
                timestamp: cosignature.timestamp,
            });
        }
    }
    Ok(found)
}

/// `note` with the given cosignature lines appended, skipping any whose witness (name and key
/// ID) already signed it. The note must be a well-formed signed note.
pub fn add_cosignatures(note: &str, added: &[Cosignature]) -> Result<String, CosignatureError> {
    let (_, lines) = split_note(note)?;
    let mut out = note.to_owned();
    let mut present: Vec<(String, u32)> = lines
        .iter()
        .map(|l| (l.name.to_owned(), l.key_id))
        .collect();
    for cosignature in added {
        let id = (cosignature.name.clone(), cosignature.key_id);
        if !present.contains(&id) {
            out.push_str(&cosignature.line());
            present.push(id);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::{Checkpoint, VerifierKey, open_checkpoint, sign_checkpoint};

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn note() -> (String, VerifierKey) {
        let checkpoint = Checkpoint::new("coalition/c1", 7, Hash::of(&[b"root"]));
        let log = key(1);
        let note = sign_checkpoint(&checkpoint, "coalition/c1", &log).unwrap();
        (
            note,
            VerifierKey::new("coalition/c1", log.verifying_key()).unwrap(),
        )
    }

    #[test]
    fn a_cosigned_note_still_opens_with_the_log_key_and_counts_its_witness() {
        let (note, log_key) = note();
        let body = open_checkpoint(&note, &log_key).unwrap().body();
        let w = key(2);
        let cosig = cosign(&body, 1_700_000_000, "witness.fr", &w).unwrap();
        let cosigned = add_cosignatures(&note, std::slice::from_ref(&cosig)).unwrap();
        assert!(open_checkpoint(&cosigned, &log_key).is_ok());
        let wkey = CosignerKey::new("witness.fr", w.verifying_key()).unwrap();
        let found = cosignatures(&cosigned, std::slice::from_ref(&wkey)).unwrap();
        assert_eq!(
            found,
            vec![Witnessed {
                witness: 0,
                timestamp: 1_700_000_000
            }]
        );
        // The log's own line is not a cosignature by anyone.
        assert!(cosignatures(&note, &[wkey]).unwrap().is_empty());
    }

    #[test]
    fn a_witness_key_round_trips_and_differs_from_a_note_key_of_the_same_name() {
        let w = key(3);
        let cosigner = CosignerKey::new("w", w.verifying_key()).unwrap();
        let text = cosigner.to_string();
        assert_eq!(CosignerKey::parse(&text).unwrap(), cosigner);
        let note_key = VerifierKey::new("w", w.verifying_key()).unwrap();
        assert_ne!(note_key.key_id(), cosigner.key_id());
        // A type-0x01 key is not a witness key.
        assert!(CosignerKey::parse(&note_key.to_string()).is_err());
    }

    #[test]
    fn a_cosignature_does_not_verify_for_another_size_root_or_time() {
        let w = key(4);
        let wkey = CosignerKey::new("w", w.verifying_key()).unwrap();
        let body = Checkpoint::new("coalition/c1", 7, Hash::of(&[b"a"])).body();
        let cosig = cosign(&body, 10, "w", &w).unwrap();
        assert!(cosig.verify(&wkey, &body).is_ok());
        for other in [
            Checkpoint::new("coalition/c1", 8, Hash::of(&[b"a"])).body(),
            Checkpoint::new("coalition/c1", 7, Hash::of(&[b"b"])).body(),
            Checkpoint::new("coalition/c2", 7, Hash::of(&[b"a"])).body(),
        ] {
            assert!(cosig.verify(&wkey, &other).is_err());
        }
        let mut shifted = cosig.clone();
        shifted.timestamp += 1;
        assert!(shifted.verify(&wkey, &body).is_err());
        assert_eq!(
            Cosignature::parse_line(cosig.line().trim_end()).unwrap(),
            cosig
        );
    }

    #[test]
    fn a_forged_line_by_a_known_witness_makes_the_note_malformed() {
        let (note, log_key) = note();
        let body = open_checkpoint(&note, &log_key).unwrap().body();
        let w = key(5);
        let mut cosig = cosign(&body, 10, "w", &w).unwrap();
        cosig.signature[0] ^= 1;
        let forged = add_cosignatures(&note, &[cosig]).unwrap();
        let wkey = CosignerKey::new("w", w.verifying_key()).unwrap();
        assert!(matches!(
            cosignatures(&forged, &[wkey]),
            Err(CosignatureError::BadSignature { .. })
        ));
    }

    #[test]
    fn timestamps_beyond_two_to_the_63_are_refused() {
        assert!(matches!(
            cosign("x\n", MAX_TIMESTAMP + 1, "w", &key(6)),
            Err(CosignatureError::TimestampTooLarge(_))
        ));
    }
}
