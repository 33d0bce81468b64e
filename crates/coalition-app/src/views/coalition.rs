//! The coalition as a whole: the list of coalitions, an import's summary, instruments.

use std::collections::BTreeMap;
use std::path::PathBuf;

use coalition_core::commitment::CommitmentStatus;
use coalition_core::dates::Timestamp;
use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, PartyCode};
use coalition_core::instrument::{Consent, InstrumentRecord};
use coalition_core::signature::PublicKey;
use serde::{Deserialize, Serialize};

/// One coalition in the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoalitionRow {
    /// Its id.
    pub id: CoalitionId,
    /// Its name.
    pub name: String,
    /// How many events its log holds.
    pub events: u64,
    /// The hash of its last event.
    pub head: Hash,
}

/// A coalition as anyone may know it: its id and name (the master log's size is not for
/// everyone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoalitionName {
    /// Its id.
    pub id: CoalitionId,
    /// Its name.
    pub name: String,
}

/// What an import (or the demo) recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// The coalition.
    pub coalition: CoalitionId,
    /// Its name.
    pub name: String,
    /// The protected state.
    pub protected: PartyCode,
    /// How many events the import recorded.
    pub events_recorded: usize,
    /// The log's head after the import (and the demo's approvals).
    pub head: Hash,
    /// The log's length.
    pub events: u64,
    /// Parties holding a member's seat.
    pub members: usize,
    /// Of which organisations (the EU, NATO …).
    pub member_organisations: usize,
    /// Members whose seat is not disclosed.
    pub undisclosed_members: usize,
    /// Partners.
    pub partners: usize,
    /// Adversaries.
    pub adversaries: usize,
    /// Principals.
    pub principals: usize,
    /// Instruments.
    pub instruments: usize,
    /// Commitments.
    pub commitments: usize,
    /// Commitments by status, today.
    pub commitments_by_status: BTreeMap<CommitmentStatus, usize>,
    /// Whether a ceasefire has been recorded.
    pub ceasefire_recorded: bool,
    /// The verification rule, in words.
    pub verification: String,
    /// The statements the demo had approved (empty for an import).
    pub statements: Vec<DemoApproval>,
}

/// One statement the demo had approved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoApproval {
    /// The statement.
    pub statement: String,
    /// The version signed.
    pub version: u32,
    /// How many leaders signed it.
    pub approvals: usize,
    /// Whether it was adopted.
    pub adopted: bool,
    /// Where.
    pub meeting: Option<String>,
}

/// An instrument with its parties' consent at the time of reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstrumentView {
    /// The instrument and what has happened to it.
    #[serde(flatten)]
    pub record: InstrumentRecord,
    /// How many of its parties have completed their consent (signature, and ratification
    /// where required) at the time of reading.
    pub consents_complete: usize,
    /// Years its term has been extended by, as agreed by the time of reading.
    pub extended_years: u16,
}

impl InstrumentView {
    /// The view of `record` at `at`.
    pub fn new(record: &InstrumentRecord, at: Timestamp) -> InstrumentView {
        let consents_complete = record
            .instrument
            .parties
            .iter()
            .filter(|p| matches!(record.consent(p, at), Consent::Complete { .. }))
            .count();
        InstrumentView {
            record: record.clone(),
            consents_complete,
            extended_years: record.extended_years(at),
        }
    }
}

/// A key file written or read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyFileView {
    /// The public key, as the record stores it.
    pub public_key: PublicKey,
    /// The file.
    pub file: PathBuf,
}
