//! The record itself: log entries as a reader may see them, write receipts, verification
//! reports, checkpoints, proofs and exports.

use std::path::PathBuf;

use coalition_core::Event;
use coalition_core::classification::{Level, Marking};
use coalition_core::dates::Timestamp;
use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_ledger::Head;
use serde::{Deserialize, Serialize};

/// One entry of the log a reader may see (the master log for the custodian, its audience's log
/// for anyone else: docs/threat-model.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntryView {
    /// Its position in that log.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Who acted.
    pub actor: PrincipalId,
    /// What kind of event (`commitment_added`).
    pub kind: String,
    /// Its marking.
    pub classification: Marking,
    /// The event (its own `kind` and `payload`).
    pub payload: Box<Event>,
    /// The previous entry's hash in that log.
    pub prev: Hash,
    /// Its hash.
    pub hash: Hash,
}

/// Where a log ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadView {
    /// The last sequence number.
    pub seq: u64,
    /// The last entry's hash.
    pub hash: Hash,
}

impl From<Head> for HeadView {
    fn from(head: Head) -> HeadView {
        HeadView {
            seq: head.seq,
            hash: head.hash,
        }
    }
}

/// What a write recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    /// The entries appended, in order.
    pub recorded: Vec<RecordedEntry>,
    /// Where the log now ends.
    pub head: HeadView,
    /// What the actor should look at (a report that looks like another).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One entry a write appended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedEntry {
    /// Its position.
    pub seq: u64,
    /// What happened (`kind` and `payload`).
    #[serde(flatten)]
    pub event: Event,
    /// Its hash.
    pub hash: Hash,
}

/// What a write that creates an item (a commitment, an incident) recorded: the new id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedView {
    /// The id assigned or chosen.
    pub id: String,
    /// The log's new length.
    pub seq: u64,
    /// The log's new head.
    pub head: Hash,
    /// What the actor should look at (a report that looks like another).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The outcome of verifying a stored log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LogVerification {
    /// Everything checked out.
    Verified {
        /// The coalition.
        coalition: CoalitionId,
        /// Always true.
        verified: bool,
        /// How many entries.
        events: u64,
        /// The last entry's hash.
        head: Hash,
        /// Approval signatures verified.
        approvals_verified: u64,
        /// The size of the earlier checkpoint the log was found consistent with.
        consistent_with_size: Option<u64>,
        /// Who witnessed the log, when the coalition has a witness policy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        witnesses: Option<WitnessReport>,
    },
    /// Something did not.
    Failed {
        /// The coalition.
        coalition: CoalitionId,
        /// Always false.
        verified: bool,
        /// The first bad entry, when one entry is at fault.
        first_bad_seq: Option<u64>,
        /// What is wrong.
        problem: String,
    },
}

/// The outcome of verifying a bundle offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BundleVerification {
    /// Everything checked out.
    Verified {
        /// The bundle file.
        bundle: PathBuf,
        /// Always true.
        verified: bool,
        /// Its coalition.
        coalition: CoalitionId,
        /// How many entries.
        events: u64,
        /// The checkpoint's root.
        root: Hash,
        /// Approval signatures verified.
        approvals_verified: u64,
        /// The size of the earlier checkpoint it was found consistent with.
        consistent_with_size: Option<u64>,
        /// Who witnessed the log, when the coalition has a witness policy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        witnesses: Option<WitnessReport>,
    },
    /// Something did not.
    Failed {
        /// The bundle file.
        bundle: PathBuf,
        /// Always false.
        verified: bool,
        /// What is wrong.
        problem: String,
    },
}

/// A signed checkpoint of a log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointView {
    /// The log's origin line.
    pub origin: String,
    /// The tree size.
    pub size: u64,
    /// The tree's root.
    pub root: Hash,
    /// The signed note (C2SP checkpoint format), with the cosignatures gathered, if any.
    pub note: String,
    /// The log's verifier key (what a witness is started with: `witness serve --log-key`).
    #[serde(default)]
    pub log_key: String,
    /// Who cosigned it, when the coalition has a witness policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witnesses: Option<WitnessReport>,
}

/// Who witnessed a log: the witnessed checkpoint judged by the coalition's witness policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessReport {
    /// The policy's number.
    pub policy: u32,
    /// How many witnesses the policy requires.
    pub quorum: u32,
    /// How many were accepted as enough (the quorum, or fewer by `--min-witnesses`).
    pub required: u32,
    /// The size of the witnessed checkpoint (none: no witnessed checkpoint is held).
    pub witnessed_size: Option<u64>,
    /// The log's size.
    pub events: u64,
    /// The witnesses that cosigned it.
    pub cosigned: Vec<CosignedBy>,
    /// The policy's witnesses that did not.
    pub missing: Vec<String>,
    /// Whether the quorum itself was met.
    pub quorum_met: bool,
}

/// One witness that cosigned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CosignedBy {
    /// Its key name.
    pub name: String,
    /// Its party.
    pub party: coalition_core::id::PartyCode,
    /// When it cosigned (POSIX seconds).
    pub cosigned_at: u64,
}

/// An inclusion proof of one entry (RFC 9162).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InclusionProofView {
    /// The entry's sequence number.
    pub seq: u64,
    /// Its leaf index (seq − 1).
    pub leaf_index: u64,
    /// The tree size proved against.
    pub tree_size: u64,
    /// The entry's leaf hash.
    pub leaf_hash: Hash,
    /// The tree's root.
    pub root: Hash,
    /// The audit path.
    pub proof: Vec<Hash>,
}

/// A consistency proof between two sizes of a log (RFC 9162).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyProofView {
    /// The earlier size.
    pub old_size: u64,
    /// The root at the earlier size.
    pub old_root: Hash,
    /// The current size.
    pub new_size: u64,
    /// The current root.
    pub new_root: Hash,
    /// The proof.
    pub proof: Vec<Hash>,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportView {
    /// The coalition.
    pub coalition: CoalitionId,
    /// How many entries the bundle holds.
    pub events: usize,
    /// How many public keys it carries.
    pub keys: usize,
    /// Its size in bytes.
    pub bytes: usize,
    /// Where it was written (set by the front end that wrote it).
    pub out: Option<PathBuf>,
    /// The highest marking of its entries: how it must be handled.
    pub classification: Level,
}

impl ReceiptView {
    /// The view of a write as the actor's own log holds it: the appended entries the actor
    /// may read, in the actor's numbering, and where that log now ends.
    pub(crate) fn of(
        mine: &[coalition_ledger::VerifiedEntry],
        head: coalition_ledger::Head,
    ) -> ReceiptView {
        ReceiptView {
            recorded: mine
                .iter()
                .map(|(sealed, envelope)| RecordedEntry {
                    seq: sealed.seq,
                    hash: sealed.hash,
                    event: envelope.event.clone(),
                })
                .collect(),
            head: head.into(),
            warnings: Vec::new(),
        }
    }

    /// The item a write created (a commitment or an incident), with the new head.
    pub fn created(&self) -> Option<CreatedView> {
        self.recorded.iter().find_map(|entry| {
            let id = match &entry.event {
                Event::CommitmentAdded { commitment, .. } => commitment.id.to_string(),
                Event::IncidentReported { incident, .. } => incident.id.to_string(),
                _ => return None,
            };
            Some(CreatedView {
                id,
                seq: self.head.seq,
                head: self.head.hash,
                warnings: self.warnings.clone(),
            })
        })
    }
}

/// What `migrate` did: every log of the source, in the target, verified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MigrationView {
    /// The source (its password left out).
    pub from: String,
    /// The target (its password left out).
    pub to: String,
    /// Each log, by coalition id.
    pub logs: Vec<MigratedLog>,
}

/// One log moved: its size, how much of it this run copied (the rest was there already, from
/// an earlier run), and the Merkle root both stores now give it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MigratedLog {
    /// The log (a coalition's, or one of its audience logs).
    pub coalition: CoalitionId,
    /// Entries in the log.
    pub entries: u64,
    /// Entries this run wrote to the target.
    pub copied: u64,
    /// The root of the Merkle tree over the log, the same in both stores.
    pub root: Hash,
}
