//! Statements (their versions, diffs and who has approved) and the figures a communiqué could
//! publish.

use coalition_core::classification::Marking;
use coalition_core::hash::Hash;
use coalition_core::id::PartyCode;
use coalition_core::statement::{AdoptionRule, PartyStanding, StatementId, StatementStatus};
use serde::{Deserialize, Serialize};

/// One statement in a listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementRow {
    /// Its id.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// Draft or adopted.
    pub status: StatementStatus,
    /// How it is adopted.
    pub rule: AdoptionRule,
    /// The latest version's number.
    pub latest_version: Option<u32>,
    /// The parties whose leaders must approve.
    pub signatories: Vec<PartyCode>,
    /// How many of them approved the latest version.
    pub approvals_of_latest: usize,
}

/// One version of a statement, as the reader may read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementShow {
    /// The statement.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// The version shown.
    pub version: u32,
    /// The version's content hash, which leaders sign: over its leaf commitments, never over
    /// the text itself.
    pub content: Hash,
    /// How many leaf commitments the version holds (a power of two, at least 16: an upper bound
    /// on its paragraphs, nothing more).
    pub leaves: usize,
    /// Whether every paragraph shown is among the leaves and the leaves hash to the content:
    /// the reader's own check of what it reads against what was signed.
    pub verified: bool,
    /// Draft or adopted.
    pub status: StatementStatus,
    /// The paragraphs the reader may read, in order; nothing marks the others.
    pub paragraphs: Vec<ParagraphView>,
}

/// A paragraph the reader may read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParagraphView {
    /// Its place among the paragraphs the reader may read, from 1.
    pub number: usize,
    /// Its portion marking.
    pub marking: Marking,
    /// Its text.
    pub text: String,
    /// Its leaf commitment, found among the version's leaves.
    pub leaf: Hash,
}

/// Two versions compared paragraph by paragraph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementDiff {
    /// The statement.
    pub statement: StatementId,
    /// The older version.
    pub from: u32,
    /// The newer version.
    pub to: u32,
    /// Every paragraph of both, in order: kept, removed or added.
    pub changes: Vec<DiffLine>,
}

/// One paragraph of a diff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    /// `=` kept, `-` removed, `+` added.
    pub op: String,
    /// Its number in the older version (0 when added).
    pub old: usize,
    /// Its number in the newer version (0 when removed).
    pub new: usize,
    /// `(MARKING) text`, or `[withheld]`.
    pub paragraph: String,
}

/// Where every required party stands on a statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementStanding {
    /// The statement.
    pub statement: StatementId,
    /// Its title.
    pub title: String,
    /// Draft or adopted.
    pub status: StatementStatus,
    /// How it is adopted.
    pub rule: AdoptionRule,
    /// The latest version's number.
    pub latest_version: Option<u32>,
    /// One row per required party.
    pub parties: Vec<StandingRow>,
    /// The required parties whose approval of the latest version is still missing.
    pub missing: Vec<PartyCode>,
}

/// One required party's standing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandingRow {
    /// The party.
    pub party: PartyCode,
    /// Approved, approved an older version, objected, or pending.
    pub standing: PartyStanding,
    /// The meeting where the approval was given (title, place, day), if the reader may see it.
    pub meeting: Option<String>,
}

/// A figure a communiqué could publish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AggregateRow {
    /// What it counts (`members`, `guarantors:…`).
    pub aggregate: String,
    /// In words.
    pub description: String,
    /// Its value, if the reader may read its inputs.
    pub value: Option<u64>,
    /// Out of how many members, likewise.
    pub of_members: Option<u64>,
    /// The marking its inputs give it, when the reader may read them.
    pub marking: Option<String>,
    /// The value released to the public, if one was.
    pub released_value: Option<u64>,
}

/// A version as one reader may export it (Akoma Ntoso and other exchange formats): only the
/// paragraphs the reader may read, renumbered from 1, so that the export says nothing about how
/// many others there are or where they stood.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementExport {
    /// The coalition.
    pub coalition: coalition_core::id::CoalitionId,
    /// Its name.
    pub coalition_name: String,
    /// The statement.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// The version exported.
    pub version: u32,
    /// When each version up to this one was tabled (1, 2, …).
    pub tabled: Vec<coalition_core::dates::Timestamp>,
    /// Draft or adopted.
    pub status: StatementStatus,
    /// How it is adopted.
    pub rule: AdoptionRule,
    /// The parties whose leaders must approve.
    pub signatories: Vec<PartyCode>,
    /// The approvals of this version, in the order given.
    pub approvals: Vec<ExportedApproval>,
    /// The meeting the version was approved at (the first approval's that the reader may see):
    /// title, place and day.
    pub meeting: Option<ExportedMeeting>,
    /// The paragraphs the reader may read, in order.
    pub paragraphs: Vec<coalition_core::statement::Paragraph>,
    /// The version's content hash, only when the export is the whole version (the custodian's):
    /// a reader's export does not carry a hash computed over paragraphs it may not read.
    pub content: Option<Hash>,
    /// Who the export was made for: `custodian`, `public` or a principal's id.
    pub reader: String,
}

/// An approval in an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedApproval {
    /// The party.
    pub party: PartyCode,
    /// When.
    pub at: coalition_core::dates::Timestamp,
}

/// A meeting in an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedMeeting {
    /// Its title.
    pub title: String,
    /// Where.
    pub place: String,
    /// Which day.
    pub day: coalition_core::dates::Day,
}

impl StatementExport {
    /// Whether this is the whole version (the custodian's export).
    pub fn is_complete(&self) -> bool {
        self.content.is_some()
    }
}
