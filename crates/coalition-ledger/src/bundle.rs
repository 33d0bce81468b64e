//! Offline verification: a bundle holds a coalition's whole log, the public keys, the log's
//! verifier key and a signed checkpoint; `verify_bundle` checks all of it with no database.
//!
//! The bundle is one JSON document in RFC 8785 canonical form, so every byte of it matters: a
//! change anywhere either breaks the JSON, makes it non-canonical, or changes content that a
//! hash or a signature covers.

use coalition_core::Event;
use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::signature::PublicKey;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use crate::audit::{AuditSummary, audit_signatures};
use crate::canonical::Envelope;
use crate::checkpoint::{
    Checkpoint, CheckpointError, VerifierKey, open_checkpoint, sign_checkpoint,
};
use crate::cosignature::{CosignerKey, cosignatures};
use crate::merkle;
use crate::seal::SealedEvent;
use crate::verify::verify_chain;
use coalition_core::witness::{PolicyInForce, Witness};

/// The format tag of bundles this code writes and reads.
pub const BUNDLE_FORMAT: &str = "coalition-bundle/v1";

/// The checkpoint origin (and log signer name) of a coalition's log.
pub fn origin(coalition: &CoalitionId) -> String {
    format!("coalition/{coalition}")
}

/// One key registration found in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// The principal.
    pub principal: PrincipalId,
    /// The key.
    pub key: PublicKey,
    /// The event that registered it.
    pub seq: u64,
}

/// One log entry in a bundle: its canonical bytes (as text) and their hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleEntry {
    /// Position in the log.
    pub seq: u64,
    /// `SHA-256(0x00 ‖ body)`.
    pub hash: Hash,
    /// The canonical event, exactly as hashed.
    pub body: String,
}

/// A self-contained, verifiable copy of a coalition's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The coalition.
    pub coalition: CoalitionId,
    /// The log's verifier key (C2SP signed-note form).
    pub log_key: String,
    /// A checkpoint of the whole log, signed by the log key (C2SP signed note).
    pub checkpoint: String,
    /// Every signing key registered in the log, in order.
    pub keys: Vec<KeyEntry>,
    /// Every entry, in order.
    pub entries: Vec<BundleEntry>,
    /// The latest checkpoint the witnesses cosigned (a signed note with their cosignatures),
    /// of the whole log or a prefix of it; absent when none was gathered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witnessed: Option<String>,
}

/// The first reason a bundle fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleFailure {
    /// The bundle itself is malformed or not canonical.
    #[error("bundle is not a canonical {BUNDLE_FORMAT} document: {0}")]
    Format(String),
    /// An entry fails the chain (bad bytes, bad hash, bad link, bad sequence).
    #[error("bad chain: {0}")]
    Chain(#[from] crate::verify::ChainBreak),
    /// The checkpoint or the log key does not check out.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// A signature does not check out.
    #[error("signature: {0}")]
    Signature(#[from] crate::audit::SignatureFailure),
    /// The bundle's key list disagrees with the log.
    #[error("key list: {0}")]
    Keys(String),
    /// The log is not consistent with an earlier checkpoint: truncated or rewritten.
    #[error("not consistent with the earlier checkpoint: {0}")]
    Inconsistent(String),
}

/// What a verified bundle contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The coalition.
    pub coalition: CoalitionId,
    /// How many entries.
    pub events: u64,
    /// The signed checkpoint.
    pub checkpoint: Checkpoint,
    /// The signatures checked.
    pub audit: AuditSummary,
    /// The earlier checkpoint it was shown consistent with, if one was given.
    pub consistent_with: Option<Checkpoint>,
    /// Every log key the log registered, in order.
    pub log_keys: Vec<PublicKey>,
    /// The witness policy in force at the end of the log.
    pub policy: Option<PolicyInForce>,
    /// The bundle's witnessed checkpoint, checked against the log and the policy.
    pub witnessing: Option<Witnessing>,
}

/// The log keys a log registered, in order (the first at founding, then rotations).
pub fn log_keys(envelopes: &[Envelope]) -> Vec<PublicKey> {
    envelopes
        .iter()
        .filter_map(|e| match &e.event {
            Event::LogKeyRegistered { key, .. } => Some(*key),
            _ => None,
        })
        .collect()
}

/// The key registrations in a log, in order.
pub fn key_entries(envelopes: &[Envelope]) -> Vec<KeyEntry> {
    envelopes
        .iter()
        .filter_map(|e| match &e.event {
            Event::KeyRegistered { principal, key } => Some(KeyEntry {
                principal: principal.clone(),
                key: *key,
                seq: e.seq,
            }),
            Event::PrincipalRegistered { principal } => principal.public_key.map(|key| KeyEntry {
                principal: principal.id.clone(),
                key,
                seq: e.seq,
            }),
            _ => None,
        })
        .collect()
}

/// Signs a checkpoint of `entries` (the whole log) with the log key.
pub fn sign_log(
    coalition: &CoalitionId,
    entries: &[SealedEvent],
    log_key: &SigningKey,
) -> Result<(Checkpoint, String), CheckpointError> {
    let leaves: Vec<Hash> = entries.iter().map(|e| e.hash).collect();
    let checkpoint = Checkpoint::new(
        origin(coalition),
        leaves.len() as u64,
        merkle::root(&leaves),
    );
    let note = sign_checkpoint(&checkpoint, &origin(coalition), log_key)?;
    Ok((checkpoint, note))
}

impl Bundle {
    /// Builds a bundle from a verified log and its signing key.
    pub fn build(
        coalition: &CoalitionId,
        entries: &[(SealedEvent, Envelope)],
        log_key: &SigningKey,
    ) -> Result<Bundle, CheckpointError> {
        let sealed: Vec<SealedEvent> = entries.iter().map(|(s, _)| s.clone()).collect();
        let envelopes: Vec<Envelope> = entries.iter().map(|(_, e)| e.clone()).collect();
        let (_, note) = sign_log(coalition, &sealed, log_key)?;
        let verifier = VerifierKey::new(&origin(coalition), log_key.verifying_key())?;
        Ok(Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            coalition: coalition.clone(),
            log_key: verifier.to_string(),
            checkpoint: note,
            keys: key_entries(&envelopes),
            witnessed: None,
            entries: sealed
                .iter()
                .map(|s| BundleEntry {
                    seq: s.seq,
                    hash: s.hash,
                    body: String::from_utf8_lossy(&s.body).into_owned(),
                })
                .collect(),
        })
    }

    /// The bundle with a witnessed checkpoint: verification checks it against the log.
    pub fn with_witnessed(mut self, note: Option<String>) -> Bundle {
        self.witnessed = note;
        self
    }

    /// The bundle's canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // A bundle holds only strings and integers, so canonicalisation cannot fail.
        serde_json_canonicalizer::to_vec(self).unwrap_or_default()
    }

    /// Parses canonical bytes, refusing anything else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Bundle, BundleFailure> {
        let bundle: Bundle =
            serde_json::from_slice(bytes).map_err(|e| BundleFailure::Format(e.to_string()))?;
        if bundle.format != BUNDLE_FORMAT {
            return Err(BundleFailure::Format(format!("format {:?}", bundle.format)));
        }
        if bundle.to_bytes() != bytes {
            return Err(BundleFailure::Format(
                "the bytes are not the canonical form of their content".into(),
            ));
        }
        Ok(bundle)
    }
}

/// Verifies a bundle's bytes offline: canonical form, chain, every signature, the key list, the
/// signed checkpoint and its Merkle root; and, given an earlier checkpoint (its signed note and
/// the key that signed it, by default the bundle's log key), that the log extends it.
pub fn verify_bundle(
    bytes: &[u8],
    earlier: Option<(&str, Option<&VerifierKey>)>,
) -> Result<Verified, BundleFailure> {
    let bundle = Bundle::from_bytes(bytes)?;
    let coalition = bundle.coalition.clone();
    let sealed: Vec<SealedEvent> = bundle
        .entries
        .iter()
        .map(|e| SealedEvent {
            seq: e.seq,
            body: e.body.as_bytes().to_vec(),
            hash: e.hash,
        })
        .collect();
    let envelopes = verify_chain(&coalition, &sealed)?;
    let audit = audit_signatures(&envelopes)?;
    if key_entries(&envelopes) != bundle.keys {
        return Err(BundleFailure::Keys(
            "the listed keys are not the keys registered in the log".into(),
        ));
    }

    let log_key = VerifierKey::parse(&bundle.log_key)
        .map_err(|e| BundleFailure::Checkpoint(e.to_string()))?;
    let registered = log_keys(&envelopes).last().copied();
    if registered.map(|k| k.0) != Some(log_key.public_key().to_bytes()) {
        return Err(BundleFailure::Checkpoint(
            "the log key is not the one registered in the log".into(),
        ));
    }
    let checkpoint = open_checkpoint(&bundle.checkpoint, &log_key)
        .and_then(|c| c.expect_origin(&origin(&coalition)))
        .map_err(|e| BundleFailure::Checkpoint(e.to_string()))?;
    let leaves: Vec<Hash> = sealed.iter().map(|e| e.hash).collect();
    if checkpoint.size != leaves.len() as u64 || checkpoint.root != merkle::root(&leaves) {
        return Err(BundleFailure::Checkpoint(format!(
            "signed checkpoint (size {}, root {}) does not match the log (size {}, root {})",
            checkpoint.size,
            checkpoint.root,
            leaves.len(),
            merkle::root(&leaves)
        )));
    }

    let consistent_with = match earlier {
        None => None,
        Some((note, key)) => Some(check_extends(
            note,
            key.unwrap_or(&log_key),
            &coalition,
            &leaves,
            &checkpoint,
        )?),
    };
    let witnessing = match &bundle.witnessed {
        Some(note) => check_witnessed(note, &log_key, &coalition, &leaves, &envelopes)?,
        None => None,
    };
    Ok(Verified {
        coalition,
        events: leaves.len() as u64,
        checkpoint,
        audit,
        consistent_with,
        log_keys: log_keys(&envelopes),
        policy: policy_at(&envelopes, leaves.len() as u64),
        witnessing,
    })
}

/// Checks that the log whose leaves are given extends the earlier signed checkpoint: a
/// consistency proof from the earlier tree to the current one must verify.
pub fn check_extends(
    note: &str,
    key: &VerifierKey,
    coalition: &CoalitionId,
    leaves: &[Hash],
    current: &Checkpoint,
) -> Result<Checkpoint, BundleFailure> {
    let old = open_checkpoint(note, key)
        .and_then(|c| c.expect_origin(&origin(coalition)))
        .map_err(|e| {
            BundleFailure::Inconsistent(format!("the earlier checkpoint does not verify: {e}"))
        })?;
    if old.size > current.size {
        return Err(BundleFailure::Inconsistent(format!(
            "the log has {} events but an earlier checkpoint covered {}: it was truncated",
            current.size, old.size
        )));
    }
    let proof = merkle::consistency_proof(leaves, old.size)
        .map_err(|e| BundleFailure::Inconsistent(e.to_string()))?;
    merkle::verify_consistency(old.size, current.size, &old.root, &current.root, &proof).map_err(|e| {
        BundleFailure::Inconsistent(format!(
            "the first {} events no longer hash to the earlier root ({e}): the history was rewritten",
            old.size
        ))
    })?;
    Ok(old)
}

/// Who cosigned a witnessed checkpoint, checked against the coalition's witness policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witnessing {
    /// The witnessed checkpoint (a prefix of the log, or all of it).
    pub checkpoint: Checkpoint,
    /// The policy it was judged by: the one in force at its size (or, before the first
    /// policy, the first one), and its number.
    pub policy: PolicyInForce,
    /// The policy's witnesses that cosigned it, with when.
    pub cosigned: Vec<(Witness, u64)>,
    /// The policy's witnesses that did not.
    pub missing: Vec<Witness>,
}

/// The witness policy in force after the first `size` entries, if one was set by then.
pub fn policy_at(envelopes: &[Envelope], size: u64) -> Option<PolicyInForce> {
    let prefix = &envelopes[..envelopes
        .len()
        .min(usize::try_from(size).unwrap_or(usize::MAX))];
    prefix.iter().rev().find_map(|e| match &e.event {
        Event::WitnessPolicySet {
            version, policy, ..
        } => Some(PolicyInForce {
            version: *version,
            policy: policy.clone(),
        }),
        _ => None,
    })
}

/// Checks a witnessed checkpoint against the log it claims to witness: signed by the log key,
/// of this log's origin, a prefix of its leaves; then counts the cosignatures of the policy's
/// witnesses. `None` when the log never set a witness policy.
pub fn check_witnessed(
    note: &str,
    log_key: &VerifierKey,
    coalition: &CoalitionId,
    leaves: &[Hash],
    envelopes: &[Envelope],
) -> Result<Option<Witnessing>, BundleFailure> {
    let fail =
        |problem: String| BundleFailure::Checkpoint(format!("witnessed checkpoint: {problem}"));
    let checkpoint = open_checkpoint(note, log_key)
        .and_then(|c| c.expect_origin(&origin(coalition)))
        .map_err(|e| fail(e.to_string()))?;
    let size = usize::try_from(checkpoint.size).unwrap_or(usize::MAX);
    if size > leaves.len() || merkle::root(&leaves[..size]) != checkpoint.root {
        return Err(BundleFailure::Inconsistent(format!(
            "the witnessed checkpoint (size {}, root {}) is not a prefix of this log of {} events",
            checkpoint.size,
            checkpoint.root,
            leaves.len()
        )));
    }
    let Some(policy) =
        policy_at(envelopes, checkpoint.size).or_else(|| policy_at(envelopes, leaves.len() as u64))
    else {
        return Ok(None);
    };
    let keys = policy
        .policy
        .witnesses
        .iter()
        .map(|w| {
            ed25519_dalek::VerifyingKey::from_bytes(&w.key.0)
                .map_err(|e| e.to_string())
                .and_then(|k| CosignerKey::new(&w.name, k).map_err(|e| e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let found = cosignatures(note, &keys).map_err(|e| fail(e.to_string()))?;
    let cosigned: Vec<(Witness, u64)> = found
        .iter()
        .map(|w| (policy.policy.witnesses[w.witness].clone(), w.timestamp))
        .collect();
    let missing = policy
        .policy
        .witnesses
        .iter()
        .enumerate()
        .filter(|(i, _)| !found.iter().any(|w| w.witness == *i))
        .map(|(_, w)| w.clone())
        .collect();
    Ok(Some(Witnessing {
        checkpoint,
        policy,
        cosigned,
        missing,
    }))
}
