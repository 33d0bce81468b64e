//! Verification of a stored log: every entry canonical, correctly hashed, linked to the one
//! before, numbered without gaps and belonging to its coalition. Names the first bad entry.

use coalition_core::id::CoalitionId;

use rayon::prelude::*;

use crate::canonical::{CanonicalError, Envelope, event_hash};
use crate::hash::Hash;
use crate::seal::{Head, SealedEvent};

/// The first place a log fails verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {seq}: {problem}")]
pub struct ChainBreak {
    /// The sequence number of the first bad entry.
    pub seq: u64,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Its bytes are not a canonical event.
    #[error("{0}")]
    Bytes(#[from] CanonicalError),
    /// The stored hash is not the hash of the bytes.
    #[error("stored hash {stored} is not the hash of its bytes ({computed})")]
    Hash {
        /// The hash stored beside the bytes.
        stored: Hash,
        /// The hash of the bytes.
        computed: Hash,
    },
    /// Its `prev` is not the previous entry's hash.
    #[error("bad chain link: prev is {stated}, the previous event's hash is {expected}")]
    Link {
        /// What the entry says.
        stated: Hash,
        /// The previous entry's hash.
        expected: Hash,
    },
    /// The sequence numbers skip or repeat.
    #[error("sequence number {found} where {expected} was expected")]
    Sequence {
        /// What was stored.
        found: u64,
        /// What should have come next.
        expected: u64,
    },
    /// The entry names another coalition.
    #[error("entry belongs to coalition {0}")]
    Coalition(String),
}

/// The checks on an entry's own bytes: its hash, and that it is a canonical event. They need
/// nothing from the other entries, so a log's entries are decoded in parallel.
fn decode_entry(entry: &SealedEvent) -> Result<Envelope, Problem> {
    let computed = event_hash(&entry.body);
    if computed != entry.hash {
        return Err(Problem::Hash {
            stored: entry.hash,
            computed,
        });
    }
    Ok(Envelope::from_canonical_bytes(&entry.body)?)
}

/// The checks that tie a decoded entry to its place: its number, its coalition, its link.
fn link_entry(
    coalition: &CoalitionId,
    before: Head,
    entry: &SealedEvent,
    envelope: &Envelope,
) -> Result<(), Problem> {
    if envelope.seq != entry.seq {
        return Err(Problem::Sequence {
            found: envelope.seq,
            expected: entry.seq,
        });
    }
    if &envelope.coalition != coalition {
        return Err(Problem::Coalition(envelope.coalition.to_string()));
    }
    if envelope.prev != before.hash {
        return Err(Problem::Link {
            stated: envelope.prev,
            expected: before.hash,
        });
    }
    Ok(())
}

/// Verifies a whole log from its first entry; returns the envelopes in order.
pub fn verify_chain(
    coalition: &CoalitionId,
    entries: &[SealedEvent],
) -> Result<Vec<Envelope>, ChainBreak> {
    verify_from(coalition, Head::EMPTY, entries)
}

/// Below this many entries decoding stays on the calling thread: handing a few entries to the
/// thread pool and waiting for them costs more than decoding them.
const PARALLEL_FROM: usize = 32;

/// Verifies `entries` as the continuation of a log that ends at `before` (the whole log when
/// `before` is [`Head::EMPTY`]); returns their envelopes in order. Entries are decoded in
/// parallel; the first bad one in log order is named.
pub fn verify_from(
    coalition: &CoalitionId,
    before: Head,
    entries: &[SealedEvent],
) -> Result<Vec<Envelope>, ChainBreak> {
    let decoded: Vec<Result<Envelope, Problem>> = if entries.len() < PARALLEL_FROM {
        entries.iter().map(decode_entry).collect()
    } else {
        entries.par_iter().map(decode_entry).collect()
    };
    let mut head = before;
    let mut envelopes = Vec::with_capacity(entries.len());
    for (entry, decoded) in entries.iter().zip(decoded) {
        let fail = |problem: Problem| ChainBreak {
            seq: entry.seq,
            problem,
        };
        // The number first: a gap or a repeat is named as such, whatever the bytes hold.
        if entry.seq != head.seq + 1 {
            return Err(fail(Problem::Sequence {
                found: entry.seq,
                expected: head.seq + 1,
            }));
        }
        let envelope = decoded.map_err(fail)?;
        link_entry(coalition, head, entry, &envelope).map_err(fail)?;
        envelopes.push(envelope);
        head = Head {
            seq: entry.seq,
            hash: entry.hash,
        };
    }
    Ok(envelopes)
}
