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
        // Written straight from the envelope; the reference path decides whatever the direct
        // writer declines (and names the problem).
        crate::jcs::to_vec(self).or_else(|_| self.to_canonical_bytes_by_tree())
    }

    /// Parses canonical bytes, refusing anything that is not exactly canonical.
    pub fn from_canonical_bytes(bytes: &[u8]) -> Result<Envelope, CanonicalError> {
        // The direct path accepts only bytes that are exactly what the envelope it read writes
        // back; anything else goes to the reference path, which refuses it and says why.
        match direct::decode(bytes) {
            Some(envelope) => Ok(envelope),
            None => Envelope::from_canonical_bytes_by_tree(bytes),
        }
    }

    /// The reference encoder: a JSON tree, its numbers checked, then the RFC 8785
    /// canonicaliser. [`Envelope::to_canonical_bytes`] writes the same bytes without the tree.
    pub fn to_canonical_bytes_by_tree(&self) -> Result<Vec<u8>, CanonicalError> {
        let value =
            serde_json::to_value(self).map_err(|e| CanonicalError::Malformed(e.to_string()))?;
        check_numbers(&value)?;
        serde_json_canonicalizer::to_vec(&value)
            .map_err(|e| CanonicalError::Malformed(e.to_string()))
    }

    /// The reference decoder: a JSON tree, its numbers and version checked, the envelope read
    /// from it and written back. [`Envelope::from_canonical_bytes`] accepts and refuses exactly
    /// the same bytes, faster.
    pub fn from_canonical_bytes_by_tree(bytes: &[u8]) -> Result<Envelope, CanonicalError> {
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
        if envelope.to_canonical_bytes_by_tree()? != bytes {
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

/// Reading an envelope straight from its bytes: no JSON tree, and no buffering of the event
/// either — in canonical order `kind` comes before `payload`, so the payload is read in place
/// as the event `kind` names.
mod direct {
    use std::fmt;

    use coalition_core::Event;
    use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
    use serde::{Deserialize, forward_to_deserialize_any};

    use super::{Envelope, FORMAT_VERSION};

    /// The envelope, if `bytes` are exactly its canonical bytes; `None` leaves the verdict (and
    /// its reason) to the reference decoder.
    pub(super) fn decode(bytes: &[u8]) -> Option<Envelope> {
        let Direct(envelope) = serde_json::from_slice(bytes).ok()?;
        if envelope.v != FORMAT_VERSION || envelope.classification != envelope.event.marking() {
            return None;
        }
        crate::jcs::writes_exactly(&envelope, bytes).then_some(envelope)
    }

    struct Direct(Envelope);

    impl<'de> Deserialize<'de> for Direct {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Direct, D::Error> {
            deserializer.deserialize_map(EnvelopeVisitor)
        }
    }

    struct EnvelopeVisitor;

    fn missing<E: de::Error>(member: &'static str) -> E {
        E::missing_field(member)
    }

    impl<'de> Visitor<'de> for EnvelopeVisitor {
        type Value = Direct;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an event envelope")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Direct, A::Error> {
            let (mut v, mut coalition, mut seq, mut recorded_at) = (None, None, None, None);
            let (mut actor, mut classification, mut prev) = (None, None, None);
            let (mut kind, mut event): (Option<String>, Option<Event>) = (None, None);
            // Borrowed keys: a canonical key never needs an escape, and one that has one is
            // left to the reference decoder.
            while let Some(key) = map.next_key::<&'de str>()? {
                match key {
                    "v" => v = Some(map.next_value()?),
                    "coalition" => coalition = Some(map.next_value()?),
                    "seq" => seq = Some(map.next_value()?),
                    "recorded_at" => recorded_at = Some(map.next_value()?),
                    "actor" => actor = Some(map.next_value()?),
                    "classification" => classification = Some(map.next_value()?),
                    "prev" => prev = Some(map.next_value()?),
                    "kind" => kind = Some(map.next_value()?),
                    "payload" => {
                        let kind = kind
                            .take()
                            .ok_or_else(|| de::Error::custom("payload before kind"))?;
                        event = Some(map.next_value_seed(Payload { kind })?);
                    }
                    _ => return Err(de::Error::custom("a member an envelope does not have")),
                }
            }
            // An event without a payload.
            if let (None, Some(kind)) = (&event, kind) {
                event = Some(Event::deserialize(Adjacent::<
                    de::value::UnitDeserializer<A::Error>,
                > {
                    kind,
                    payload: None,
                })?);
            }
            Ok(Direct(Envelope {
                v: v.ok_or_else(|| missing("v"))?,
                coalition: coalition.ok_or_else(|| missing("coalition"))?,
                seq: seq.ok_or_else(|| missing("seq"))?,
                recorded_at: recorded_at.ok_or_else(|| missing("recorded_at"))?,
                actor: actor.ok_or_else(|| missing("actor"))?,
                event: event.ok_or_else(|| missing("kind"))?,
                classification: classification.ok_or_else(|| missing("classification"))?,
                prev: prev.ok_or_else(|| missing("prev"))?,
            }))
        }
    }

    /// The payload, read as the event `kind` names.
    struct Payload {
        kind: String,
    }

    impl<'de> DeserializeSeed<'de> for Payload {
        type Value = Event;

        fn deserialize<D: Deserializer<'de>>(self, payload: D) -> Result<Event, D::Error> {
            Event::deserialize(Adjacent {
                kind: self.kind,
                payload: Some(payload),
            })
        }
    }

    /// `{"kind": …, "payload": …}` as the event's own (adjacently tagged) deserializer expects
    /// it, with the payload still unread.
    struct Adjacent<D> {
        kind: String,
        payload: Option<D>,
    }

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for Adjacent<D> {
        type Error = D::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            visitor.visit_map(AdjacentMembers {
                kind: Some(self.kind),
                payload: self.payload,
                next: Member::Kind,
            })
        }

        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }

    /// Which member `AdjacentMembers` hands out next.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Member {
        Kind,
        KindValue,
        Payload,
        PayloadValue,
        Done,
    }

    struct AdjacentMembers<D> {
        kind: Option<String>,
        payload: Option<D>,
        next: Member,
    }

    impl<'de, D: Deserializer<'de>> MapAccess<'de> for AdjacentMembers<D> {
        type Error = D::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, D::Error> {
            let key = match (self.next, self.payload.is_some()) {
                (Member::Kind, _) => {
                    self.next = Member::KindValue;
                    "kind"
                }
                (Member::Payload, true) => {
                    self.next = Member::PayloadValue;
                    "payload"
                }
                _ => {
                    self.next = Member::Done;
                    return Ok(None);
                }
            };
            seed.deserialize(key.into_deserializer()).map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, D::Error> {
            match self.next {
                Member::KindValue => {
                    self.next = Member::Payload;
                    let kind = self.kind.take().unwrap_or_default();
                    seed.deserialize(kind.into_deserializer())
                }
                Member::PayloadValue => {
                    self.next = Member::Done;
                    let payload = self
                        .payload
                        .take()
                        .ok_or_else(|| de::Error::custom("the payload was read already"))?;
                    seed.deserialize(payload)
                }
                _ => Err(de::Error::custom("a value without a key")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use coalition_core::dates::Timestamp;
    use coalition_core::id::{CoalitionId, PrincipalId};

    use super::*;

    #[test]
    fn the_direct_decoder_reads_genuine_bytes_by_itself() {
        let at = Timestamp::parse("2026-01-06T12:00:00Z").unwrap();
        let events = vec![
            Event::CeasefireEntered { at },
            Event::CategoryDefined {
                category: "cyber".parse().unwrap(),
                description: "quotes \" and \\ and \n and é and 😀".into(),
            },
        ];
        let sealed = crate::seal::seal(
            &CoalitionId::parse("paris-2026").unwrap(),
            crate::seal::Head::EMPTY,
            at,
            &PrincipalId::parse("secretariat").unwrap(),
            events,
        )
        .unwrap();
        for entry in sealed {
            let direct = direct::decode(&entry.body).expect("taken by the direct path");
            assert_eq!(
                Ok(direct),
                Envelope::from_canonical_bytes_by_tree(&entry.body)
            );
            // Not canonical: the direct path declines and the reference path names why.
            let spaced = [&entry.body[..1], b" ", &entry.body[1..]].concat();
            assert!(direct::decode(&spaced).is_none());
            assert_eq!(
                Envelope::from_canonical_bytes(&spaced),
                Err(CanonicalError::NotCanonical)
            );
        }
    }
}
