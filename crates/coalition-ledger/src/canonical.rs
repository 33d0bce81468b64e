//! The canonical bytes of an event: what is hashed, stored and exported.
//!
//! Format version 1 (docs/record-format.md has the full description):
//!
//! - The event is a JSON object with exactly these members: `v` (the format version, 1),
//!   `coalition`, `seq` (1-based), `recorded_at` (RFC 3339, UTC, seconds, `Z`), `actor` (the
//!   principal id), `kind` and `payload` (the event), `classification` (its marking) and `prev`
//!   (the previous event's hash, 64 hex digits; 64 zeros for the first event).
//! - The bytes are that object in RFC 8785 (JSON Canonicalization Scheme) form: members sorted,
//!   no whitespace, minimal escaping. Numbers are integers no larger than 2^53 − 1, so every
//!   JCS implementation writes them the same way; no floating-point number ever appears.
//! - The event's hash is SHA-256(0x00 ‖ bytes): the RFC 9162 Merkle leaf hash of the bytes, so
//!   the same value links the chain and forms the Merkle tree's leaves.

use coalition_core::Event;
use coalition_core::classification::Marking;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hash::Hash;

/// The version of the canonical form this code writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// The largest integer allowed in canonical bytes (2^53 − 1): beyond it JSON numbers lose
/// precision in many implementations.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// An event with everything the log records about it, before hashing.
/// Unknown members are refused by the round trip in [`Envelope::from_canonical_bytes`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The format version.
    pub v: u64,
    /// The coalition whose log it belongs to.
    pub coalition: CoalitionId,
    /// Its position in the log, from 1.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Who acted.
    pub actor: PrincipalId,
    /// What happened (serialised as `kind` and `payload`).
    #[serde(flatten)]
    pub event: Event,
    /// The marking it is classified at (always `event.marking()`).
    pub classification: Marking,
    /// The previous event's hash.
    pub prev: Hash,
}

/// Why bytes are not a canonical event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// Not JSON, or not an event envelope.
    #[error("not an event envelope: {0}")]
    Malformed(String),
    /// Valid JSON, but not in its one canonical form.
    #[error("not in canonical (RFC 8785) form")]
    NotCanonical,
    /// A number too large to be exact in JSON.
    #[error("number {0} exceeds 2^53 - 1")]
    UnsafeInteger(String),
    /// A floating-point number.
    #[error("floating-point number {0} in an event")]
    Float(String),
    /// A version this code does not read.
    #[error("format version {0} is not supported (this build reads version {FORMAT_VERSION})")]
    Version(u64),
    /// The classification member disagrees with the event's own marking.
    #[error("classification {stated} does not match the event's marking {actual}")]
    Classification {
        /// What the envelope says.
        stated: String,
        /// What the event implies.
        actual: String,
    },
}

impl Envelope {
    /// The canonical bytes.
    pub fn to_canonical_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        let value =
            serde_json::to_value(self).map_err(|e| CanonicalError::Malformed(e.to_string()))?;
        check_numbers(&value)?;
        serde_json_canonicalizer::to_vec(&value)
            .map_err(|e| CanonicalError::Malformed(e.to_string()))
    }

    /// Parses canonical bytes, refusing anything that is not exactly canonical.
    pub fn from_canonical_bytes(bytes: &[u8]) -> Result<Envelope, CanonicalError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| CanonicalError::Malformed(e.to_string()))?;
        check_numbers(&value)?;
        let version = value.get("v").and_then(Value::as_u64);
        if version != Some(FORMAT_VERSION) {
            return Err(CanonicalError::Version(version.unwrap_or(0)));
        }
        let envelope: Envelope =
            serde_json::from_value(value).map_err(|e| CanonicalError::Malformed(e.to_string()))?;
        let actual = envelope.event.marking();
        if envelope.classification != actual {
            return Err(CanonicalError::Classification {
                stated: envelope.classification.to_string(),
                actual: actual.to_string(),
            });
        }
        // Writing the envelope back must give exactly these bytes: that proves them canonical
        // (it is written in RFC 8785 form) and catches what serde accepts but would not write.
        if envelope.to_canonical_bytes()? != bytes {
            return Err(CanonicalError::NotCanonical);
        }
        Ok(envelope)
    }
}

/// Refuses floats and integers outside ±(2^53 − 1) anywhere in the value.
fn check_numbers(value: &Value) -> Result<(), CanonicalError> {
    match value {
        Value::Number(number) => {
            if let Some(n) = number.as_u64() {
                if n > MAX_SAFE_INTEGER {
                    return Err(CanonicalError::UnsafeInteger(n.to_string()));
                }
            } else if let Some(n) = number.as_i64() {
                if n.unsigned_abs() > MAX_SAFE_INTEGER {
                    return Err(CanonicalError::UnsafeInteger(n.to_string()));
                }
            } else {
                return Err(CanonicalError::Float(number.to_string()));
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(check_numbers),
        Value::Object(members) => members.values().try_for_each(check_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
    }
}

/// The hash of an event's canonical bytes: SHA-256(0x00 ‖ bytes), the RFC 9162 leaf hash, so
/// the chain's links are the Merkle tree's leaves.
pub fn event_hash(bytes: &[u8]) -> Hash {
    crate::merkle::leaf_hash(bytes)
}
