//! One log per audience. The record is one log in the custodian's order (the master log); each
//! audience — the public, and each class of principals that may read the same markings (a party
//! and a clearance) — has a log of its own: the master entries it may read, in order, numbered
//! 1, 2, 3 … and chained among themselves, under the id `<coalition>.AUDIENCE.<audience>`.
//!
//! An audience log is derived from the master log, deterministically: it can never disagree
//! with it, it grows only by appending (the master does), and it refers to nothing outside
//! itself — no master sequence number, no master hash — so it tells its reader nothing about
//! the entries it leaves out, not even how many there are or where they fall. Each is a log like
//! any other (the same canonical bytes, the same chain, Merkle tree, checkpoints, proofs and
//! bundles), so everything that verifies the master verifies it. See docs/threat-model.md.

use coalition_core::classification::{Level, Viewer, may_read};
use coalition_core::id::{CoalitionId, InvalidId, PartyCode};

use crate::canonical::{CanonicalError, Envelope, FORMAT_VERSION, event_hash};
use crate::ledger::VerifiedEntry;
use crate::seal::{Head, SealedEvent};

/// What separates a coalition's id from an audience's name in an audience log's id.
pub const INFIX: &str = ".AUDIENCE.";

/// Who an audience log is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audience {
    name: String,
    viewer: Viewer,
}

impl Audience {
    /// The public: PUBLIC entries only.
    pub fn public() -> Audience {
        Audience {
            name: "public".to_owned(),
            viewer: Viewer::Public,
        }
    }

    /// The principals of `party` cleared to `clearance` (every principal holds a seat).
    pub fn class(party: PartyCode, clearance: Level) -> Audience {
        Audience {
            name: format!("{party}-{}", clearance.name().replace(' ', "-")),
            viewer: Viewer::Cleared {
                party,
                clearance,
                has_seat: true,
            },
        }
    }

    /// The audience a viewer belongs to; the custodian reads the master log itself.
    pub fn of(viewer: &Viewer) -> Option<Audience> {
        match viewer {
            Viewer::Public => Some(Audience::public()),
            Viewer::Cleared {
                party, clearance, ..
            } => Some(Audience::class(party.clone(), *clearance)),
            Viewer::Custodian => None,
        }
    }

    /// Its name (`public`, `FRA-SECRET`, `GBR-TOP-SECRET`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the audience may read an entry of this marking.
    pub fn may_read(&self, marking: &coalition_core::classification::Marking) -> bool {
        may_read(&self.viewer, marking)
    }

    /// The id its log goes under: `<coalition>.AUDIENCE.<name>`.
    pub fn log_id(&self, coalition: &CoalitionId) -> Result<CoalitionId, InvalidId> {
        CoalitionId::parse(&format!("{coalition}{INFIX}{}", self.name))
    }
}

/// Whether an id is an audience log's (no coalition may be founded under such an id).
pub fn is_audience_id(id: &CoalitionId) -> bool {
    id.as_str().contains(INFIX)
}

/// The coalition an audience log's id belongs to (the id itself for any other log).
pub fn coalition_of(id: &CoalitionId) -> CoalitionId {
    match id.as_str().split_once(INFIX) {
        Some((coalition, _)) => CoalitionId::parse(coalition).unwrap_or_else(|_| id.clone()),
        None => id.clone(),
    }
}

/// Why an audience log could not be derived.
#[derive(Debug, thiserror::Error)]
pub enum AudienceError {
    /// The audience's log id is not a valid id (the coalition's id is too long).
    #[error("{0}")]
    Id(#[from] InvalidId),
    /// An entry could not be encoded.
    #[error("{0}")]
    Canonical(#[from] CanonicalError),
}

/// The audience's log, derived from the verified master log of `coalition`: the entries the
/// audience may read, renumbered and re-chained under the audience's log id.
pub fn derive(
    coalition: &CoalitionId,
    audience: &Audience,
    master: &[VerifiedEntry],
) -> Result<Vec<VerifiedEntry>, AudienceError> {
    Ok(extend(coalition, audience, Head::EMPTY, master)?
        .into_iter()
        .map(|(_, entry)| entry)
        .collect())
}

/// The audience log's entries that `master_after` adds to an audience log ending at `head`,
/// each with the master sequence number it was derived from (for its custodian, never shown):
/// the same entries [`derive`] would give, computed from where the audience log ends.
pub fn extend(
    coalition: &CoalitionId,
    audience: &Audience,
    head: Head,
    master_after: &[VerifiedEntry],
) -> Result<Vec<(u64, VerifiedEntry)>, AudienceError> {
    let id = audience.log_id(coalition)?;
    let mut head = head;
    let mut derived = Vec::new();
    for (master, entry) in master_after {
        if !audience.may_read(&entry.classification) {
            continue;
        }
        let envelope = Envelope {
            v: FORMAT_VERSION,
            coalition: id.clone(),
            seq: head.seq + 1,
            recorded_at: entry.recorded_at,
            actor: entry.actor.clone(),
            event: entry.event.clone(),
            classification: entry.classification.clone(),
            prev: head.hash,
        };
        let body = envelope.to_canonical_bytes()?;
        let sealed = SealedEvent {
            seq: envelope.seq,
            hash: event_hash(&body),
            body,
        };
        head = sealed.head();
        derived.push((master.seq, (sealed, envelope)));
    }
    Ok(derived)
}
