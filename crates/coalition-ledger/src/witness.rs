//! The checks a witness makes before it cosigns, and the request and answer formats of C2SP
//! `tlog-witness` `add-checkpoint` — pure, so that the server, the offline tools and the tests
//! share one definition of "consistent".
//!
//! A request body is an old size line (`old N`), up to 63 base64 consistency proof lines, an
//! empty line, then the signed checkpoint. The witness holds, per log, the latest checkpoint it
//! cosigned; it cosigns a new one only if the log signed it, the client names the size the
//! witness holds, and the proof shows the held tree is a prefix of the new one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::checkpoint::{Checkpoint, VerifierKey, open_checkpoint};
use crate::hash::Hash;
use crate::merkle::{self, empty_root};

/// The most consistency proof lines a request may carry.
pub const MAX_PROOF_LINES: usize = 63;
/// The `Content-Type` of a 409 answer.
pub const SIZE_CONTENT_TYPE: &str = "text/x.tlog.size";

/// An `add-checkpoint` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpoint {
    /// The size of the checkpoint the client believes the witness holds.
    pub old_size: u64,
    /// A consistency proof from `old_size` to the new checkpoint's size.
    pub proof: Vec<Hash>,
    /// The new checkpoint, a signed note (it may carry several signatures).
    pub checkpoint: String,
}

/// Why a witness refused to cosign, with the HTTP status the protocol gives it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// 400: the request is malformed, or the old size exceeds the checkpoint's.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 404: the witness does not witness this origin.
    #[error("unknown log {0:?}")]
    UnknownLog(String),
    /// 403: no valid signature by the log key this witness trusts for the origin.
    #[error("not signed by the log key: {0}")]
    Forbidden(String),
    /// 409: the client named another size than the one the witness holds.
    #[error("the witness holds size {held}")]
    Conflict {
        /// The size of the latest checkpoint the witness cosigned.
        held: u64,
    },
    /// 422: the checkpoint is not consistent with what the witness holds (a bad proof, a
    /// different root at the same size, a non-empty proof from size 0, a wrong empty root).
    #[error("not consistent: {0}")]
    Inconsistent(String),
}

impl Refusal {
    /// The HTTP status code of this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadRequest(_) => 400,
            Refusal::Forbidden(_) => 403,
            Refusal::UnknownLog(_) => 404,
            Refusal::Conflict { .. } => 409,
            Refusal::Inconsistent(_) => 422,
        }
    }

    /// Whether the refused checkpoint, being signed by the log, is evidence that the log
    /// misbehaved (and should be kept).
    pub fn is_evidence(&self) -> bool {
        matches!(self, Refusal::Inconsistent(_))
    }
}

impl AddCheckpoint {
    /// The request body.
    pub fn to_body(&self) -> String {
        let mut body = format!("old {}\n", self.old_size);
        for hash in &self.proof {
            body.push_str(&STANDARD.encode(hash.as_bytes()));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&self.checkpoint);
        body
    }

    /// Reads a request body strictly.
    pub fn parse(body: &str) -> Result<AddCheckpoint, Refusal> {
        let bad = |what: &str| Refusal::BadRequest(what.to_owned());
        let (head, checkpoint) = body
            .split_once("\n\n")
            .ok_or_else(|| bad("no empty line between the proof and the checkpoint"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .ok_or_else(|| bad("the first line must be `old <size>`"))?;
        let canonical = !old.is_empty()
            && old.bytes().all(|b| b.is_ascii_digit())
            && (old == "0" || !old.starts_with('0'));
        let old_size: u64 =
            old.parse().ok().filter(|_| canonical).ok_or_else(|| {
                bad("the old size must be a decimal number without leading zeros")
            })?;
        let mut proof = Vec::new();
        for line in lines {
            let bytes: [u8; 32] = STANDARD
                .decode(line)
                .ok()
                .filter(|b| STANDARD.encode(b) == line)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("a proof line must be the base64 of a 32-byte hash"))?;
            proof.push(Hash(bytes));
            if proof.len() > MAX_PROOF_LINES {
                return Err(bad("more than 63 proof lines"));
            }
        }
        Ok(AddCheckpoint {
            old_size,
            proof,
            checkpoint: checkpoint.to_owned(),
        })
    }
}

/// The origin a checkpoint note claims (its first line), before any signature is checked: the
/// witness looks up the log key by it.
pub fn claimed_origin(note: &str) -> Option<&str> {
    note.split_once('\n').map(|(origin, _)| origin)
}

/// Decides whether a witness that holds `held` (the latest checkpoint it cosigned for this log,
/// or none) may cosign the request's checkpoint, in the order tlog-witness gives the checks.
/// On success, returns the checkpoint to cosign, which becomes the one held.
pub fn check_add(
    request: &AddCheckpoint,
    log_key: &VerifierKey,
    held: Option<&Checkpoint>,
) -> Result<Checkpoint, Refusal> {
    let origin = log_key.name();
    let new = open_checkpoint(&request.checkpoint, log_key)
        .map_err(|e| Refusal::Forbidden(e.to_string()))?;
    if new.origin != origin {
        return Err(Refusal::Forbidden(format!(
            "the checkpoint is for {:?}, signed as {origin:?}",
            new.origin
        )));
    }
    if request.old_size > new.size {
        return Err(Refusal::BadRequest(format!(
            "old size {} is larger than the checkpoint's size {}",
            request.old_size, new.size
        )));
    }
    let held_size = held.map_or(0, |h| h.size);
    if request.old_size != held_size {
        return Err(Refusal::Conflict { held: held_size });
    }
    if new.size == 0 && new.root != empty_root() {
        return Err(Refusal::Inconsistent(
            "a checkpoint of size 0 must have the empty tree's root".into(),
        ));
    }
    match held {
        None => {
            if !request.proof.is_empty() {
                return Err(Refusal::Inconsistent(
                    "a proof from size 0 must be empty".into(),
                ));
            }
        }
        Some(held) => {
            merkle::verify_consistency(held.size, new.size, &held.root, &new.root, &request.proof)
                .map_err(|e| {
                    Refusal::Inconsistent(format!(
                        "size {} root {} does not extend the held size {} root {}: {e}",
                        new.size, new.root, held.size, held.root
                    ))
                })?;
        }
    }
    Ok(new)
}

/// Reads a 409 answer body: the size the witness holds, then a newline.
pub fn parse_size_answer(body: &str) -> Option<u64> {
    let size = body.strip_suffix('\n')?;
    let canonical = !size.is_empty()
        && size.bytes().all(|b| b.is_ascii_digit())
        && (size == "0" || !size.starts_with('0'));
    size.parse().ok().filter(|_| canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::sign_checkpoint;
    use crate::merkle::{consistency_proof, leaf_hash, root};
    use ed25519_dalek::SigningKey;

    fn leaves(n: u64, fork: u8) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(&[i.to_be_bytes().as_slice(), &[fork]].concat()))
            .collect()
    }

    fn signed(leaves: &[Hash], key: &SigningKey) -> (Checkpoint, String) {
        let c = Checkpoint::new("coalition/c", leaves.len() as u64, root(leaves));
        let note = sign_checkpoint(&c, "coalition/c", key).unwrap();
        (c, note)
    }

    #[test]
    fn the_body_round_trips_and_malformed_bodies_are_bad_requests() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let all = leaves(9, 0);
        let (_, note) = signed(&all, &key);
        let request = AddCheckpoint {
            old_size: 4,
            proof: consistency_proof(&all, 4).unwrap(),
            checkpoint: note,
        };
        assert_eq!(AddCheckpoint::parse(&request.to_body()).unwrap(), request);
        for bad in [
            "old 04\n\nx",
            "old -1\n\nx",
            "new 4\n\nx",
            "old 4\nnot-base64\n\nx",
            "old 4",
        ] {
            assert_eq!(
                AddCheckpoint::parse(bad).unwrap_err().status(),
                400,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn each_refusal_has_the_status_the_protocol_gives_it() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let log = VerifierKey::new("coalition/c", key.verifying_key()).unwrap();
        let all = leaves(9, 0);
        let (held, _) = signed(&all[..4], &key);
        let (_, note) = signed(&all, &key);
        let ok = AddCheckpoint {
            old_size: 4,
            proof: consistency_proof(&all, 4).unwrap(),
            checkpoint: note.clone(),
        };
        assert_eq!(check_add(&ok, &log, Some(&held)).unwrap().size, 9);
        // Behind: the client names 2, the witness holds 4.
        let behind = AddCheckpoint {
            old_size: 2,
            ..ok.clone()
        };
        assert_eq!(
            check_add(&behind, &log, Some(&held)),
            Err(Refusal::Conflict { held: 4 })
        );
        // Another key signed it.
        let other = VerifierKey::new(
            "coalition/c",
            SigningKey::from_bytes(&[2; 32]).verifying_key(),
        )
        .unwrap();
        assert_eq!(
            check_add(&ok, &other, Some(&held)).unwrap_err().status(),
            403
        );
        // A corrupted proof.
        let mut corrupted = ok.clone();
        corrupted.proof[0].0[0] ^= 1;
        assert_eq!(
            check_add(&corrupted, &log, Some(&held))
                .unwrap_err()
                .status(),
            422
        );
        // A fork of the same size.
        let fork = leaves(4, 1);
        let (_, fork_note) = signed(&fork, &key);
        let same_size = AddCheckpoint {
            old_size: 4,
            proof: vec![],
            checkpoint: fork_note,
        };
        assert!(
            check_add(&same_size, &log, Some(&held))
                .unwrap_err()
                .is_evidence()
        );
        // A smaller tree than the one held.
        let (_, small) = signed(&all[..3], &key);
        let smaller = AddCheckpoint {
            old_size: 4,
            proof: vec![],
            checkpoint: small,
        };
        assert_eq!(
            check_add(&smaller, &log, Some(&held)).unwrap_err().status(),
            400
        );
        // First contact: no proof allowed.
        let first = AddCheckpoint {
            old_size: 0,
            proof: vec![all[0]],
            checkpoint: note,
        };
        assert_eq!(check_add(&first, &log, None).unwrap_err().status(), 422);
        assert_eq!(parse_size_answer("4\n"), Some(4));
        assert_eq!(parse_size_answer("04\n"), None);
    }
}
