//! Signatures on the record: public keys, the exact bytes a leader signs to approve a version of
//! a statement, and strict verification (ed25519-dalek's `verify_strict`).
//!
//! What is signed (docs/record-format.md, "Approvals"):
//!
//! ```text
//! message = SHA-256( JCS({"coalition": C, "content": H, "purpose": "coalition/approve-statement-version/v1",
//!                         "statement": S, "version": N}) )
//! ```
//!
//! where `H` is the version's content hash (hex) and JCS is RFC 8785. The purpose tag separates
//! approvals from every other signed object; coalition, statement and version number stop a
//! signature from being replayed anywhere else. There is no floating-point number in it.
//! This is pure computation: the core stays free of I/O, clocks and randomness.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::hash::Hash;
use crate::id::CoalitionId;

/// The purpose tag of an approval.
pub const APPROVAL_PURPOSE: &str = "coalition/approve-statement-version/v1";

/// Why a key or signature is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not base64 of 32 bytes.
    #[error("expected an ed25519 public key as base64 of 32 bytes, found {0:?}")]
    Malformed(String),
    /// Not a point on the curve.
    #[error("not a valid ed25519 public key")]
    Invalid,
    /// A small-order ("weak") key, for which forgeries are easy.
    #[error("weak ed25519 public key refused")]
    Weak,
}

/// An ed25519 public key, printed as base64 (44 characters).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// Parses base64 and refuses invalid and weak keys.
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed(text.to_owned()))?;
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::Malformed(text.to_owned()))?;
        PublicKey::from_bytes(array)
    }

    /// Checks raw bytes: a valid point, not of small order.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<PublicKey, KeyError> {
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::Invalid)?;
        if key.is_weak() {
            return Err(KeyError::Weak);
        }
        Ok(PublicKey(bytes))
    }

    /// Verifies `signature` over `message` strictly (no malleable or small-order R, no weak key).
    pub fn verify_strict(&self, message: &[u8], signature: &SignatureBytes) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(&self.0) else {
            return false;
        };
        key.verify_strict(message, &Signature::from_bytes(&signature.0))
            .is_ok()
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&STANDARD.encode(self.0))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PublicKey::parse(text)
    }
}

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PublicKey::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An ed25519 signature (64 bytes), printed as base64.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignatureBytes(pub [u8; 64]);

impl SignatureBytes {
    /// Parses base64 of 64 bytes.
    pub fn parse(text: &str) -> Result<SignatureBytes, KeyError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed(text.to_owned()))?;
        let array: [u8; 64] = bytes
            .try_into()
            .map_err(|_| KeyError::Malformed(text.to_owned()))?;
        Ok(SignatureBytes(array))
    }
}

impl fmt::Display for SignatureBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&STANDARD.encode(self.0))
    }
}

impl fmt::Debug for SignatureBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignatureBytes({self})")
    }
}

impl Serialize for SignatureBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SignatureBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        SignatureBytes::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The 32 bytes a leader signs to approve `version` (with content hash `content`) of
/// `statement` in `coalition`.
pub fn approval_message(
    coalition: &CoalitionId,
    statement: &str,
    version: u32,
    content: &Hash,
) -> Hash {
    let object = serde_json::json!({
        "purpose": APPROVAL_PURPOSE,
        "coalition": coalition.as_str(),
        "statement": statement,
        "version": version,
        "content": content.to_hex(),
    });
    // Canonicalising a value built from strings and a small integer cannot fail.
    let bytes = serde_json_canonicalizer::to_vec(&object).unwrap_or_default();
    Hash::of(&[&bytes])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_approval_message_is_the_hash_of_the_documented_canonical_json() {
        let coalition = CoalitionId::parse("paris-2026").unwrap();
        let content = Hash([7; 32]);
        let expected = format!(
            "{{\"coalition\":\"paris-2026\",\"content\":\"{}\",\"purpose\":\"coalition/approve-statement-version/v1\",\"statement\":\"s1\",\"version\":2}}",
            "07".repeat(32)
        );
        assert_eq!(
            approval_message(&coalition, "s1", 2, &content),
            Hash::of(&[expected.as_bytes()])
        );
        assert_ne!(
            approval_message(&coalition, "s1", 2, &content),
            approval_message(&coalition, "s1", 3, &content)
        );
    }

    #[test]
    fn weak_and_malformed_keys_are_refused() {
        // The identity point (0x01 followed by zeros) is a valid encoding of small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_bytes(identity), Err(KeyError::Weak));
        assert!(matches!(
            PublicKey::parse("not base64!"),
            Err(KeyError::Malformed(_))
        ));
        assert!(matches!(
            PublicKey::parse("AAAA"),
            Err(KeyError::Malformed(_))
        ));
    }
}
