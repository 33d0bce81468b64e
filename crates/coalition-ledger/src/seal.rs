//! Sealing: turning an event into a log entry with its sequence number, link and hash.

use coalition_core::Event;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};

use crate::canonical::{CanonicalError, Envelope, FORMAT_VERSION, event_hash};
use crate::hash::Hash;

/// An event as the log stores it: its canonical bytes and their hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedEvent {
    /// Position in the coalition's log, from 1.
    pub seq: u64,
    /// The canonical bytes.
    pub body: Vec<u8>,
    /// `event_hash(body)`.
    pub hash: Hash,
}

impl SealedEvent {
    /// The head of a log that ends with this entry.
    pub fn head(&self) -> Head {
        Head {
            seq: self.seq,
            hash: self.hash,
        }
    }
}

/// The end of a log: the last sequence number and its hash (0 and zeros when empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The last sequence number, 0 for an empty log.
    pub seq: u64,
    /// The last event's hash, [`Hash::GENESIS`] for an empty log.
    pub hash: Hash,
}

impl Head {
    /// The head of an empty log.
    pub const EMPTY: Head = Head {
        seq: 0,
        hash: Hash::GENESIS,
    };
}

/// Seals `events` after `head`, recorded at `recorded_at` by `actor`.
pub fn seal(
    coalition: &CoalitionId,
    head: Head,
    recorded_at: Timestamp,
    actor: &PrincipalId,
    events: Vec<Event>,
) -> Result<Vec<SealedEvent>, CanonicalError> {
    let mut prev = head;
    let mut sealed = Vec::with_capacity(events.len());
    for event in events {
        let envelope = Envelope {
            v: FORMAT_VERSION,
            coalition: coalition.clone(),
            seq: prev.seq + 1,
            recorded_at,
            actor: actor.clone(),
            classification: event.marking(),
            event,
            prev: prev.hash,
        };
        let body = envelope.to_canonical_bytes()?;
        let hash = event_hash(&body);
        prev = Head {
            seq: envelope.seq,
            hash,
        };
        sealed.push(SealedEvent {
            seq: envelope.seq,
            body,
            hash,
        });
    }
    Ok(sealed)
}
