//! Statements: versioned drafts made of marked paragraphs, the leaders whose approval they need,
//! the adoption rule, approvals signed over one exact version, and meetings where they happen.
//!
//! An approval of version N never counts for version N + 1. Once the rule holds the statement is
//! adopted and nothing about it changes again.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::dates::{Day, Timestamp};
use crate::hash::Hash;
use crate::id::{Id, IdKind, PartyCode, PrincipalId};
use crate::signature::SignatureBytes;

/// Marker for statement ids.
#[derive(Debug)]
pub enum StatementKind {}
impl IdKind for StatementKind {
    const NOUN: &'static str = "statement";
}
/// A statement (`paris-declaration`, `greenland`).
pub type StatementId = Id<StatementKind>;

/// Marker for meeting ids.
#[derive(Debug)]
pub enum MeetingKind {}
impl IdKind for MeetingKind {
    const NOUN: &'static str = "meeting";
}
/// A meeting (`paris-summit-2026-01-06`).
pub type MeetingId = Id<MeetingKind>;

/// One paragraph: text and its portion marking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The text.
    pub text: String,
    /// Its marking; only PUBLIC paragraphs reach the public text.
    pub marking: Marking,
}

/// The hash that identifies a version's content: SHA-256 of the RFC 8785 form of its paragraph
/// list (`[{"marking": …, "text": …}, …]`). Leaders sign over it.
pub fn content_hash(paragraphs: &[Paragraph]) -> Hash {
    // Paragraphs hold only strings and enums, so canonicalisation cannot fail.
    let bytes = serde_json_canonicalizer::to_vec(&paragraphs).unwrap_or_default();
    Hash::of(&[&bytes])
}

/// How a statement is adopted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum AdoptionRule {
    /// Every required signatory approves the current version.
    Unanimity,
    /// At least `k` required signatories approve the current version.
    Quorum {
        /// How many.
        k: u16,
    },
    /// Adopted at `deadline` unless a required signatory objects before it.
    Silence {
        /// When silence is broken or holds.
        deadline: Timestamp,
    },
}

impl fmt::Display for AdoptionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdoptionRule::Unanimity => f.write_str("unanimity of the required signatories"),
            AdoptionRule::Quorum { k } => write!(f, "a quorum of {k}"),
            AdoptionRule::Silence { deadline } => write!(f, "silence procedure until {deadline}"),
        }
    }
}

/// A version of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Version {
    /// 1, 2, …
    pub number: u32,
    /// The paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
    /// Their content hash.
    pub content: Hash,
    /// When it was tabled.
    pub at: Timestamp,
}

/// A signed approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The leader who signed.
    pub principal: PrincipalId,
    /// For which party.
    pub party: PartyCode,
    /// Which version.
    pub version: u32,
    /// The version's content hash, as signed.
    pub content: Hash,
    /// The ed25519 signature over the approval message.
    pub signature: SignatureBytes,
    /// At which meeting, if at one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// When.
    pub at: Timestamp,
}

/// Where a statement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum StatementStatus {
    /// Being negotiated and approved.
    Draft,
    /// Adopted: immutable.
    Adopted {
        /// The version adopted.
        version: u32,
        /// When.
        at: Timestamp,
    },
}

/// A statement with its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRecord {
    /// Its id.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// The parties whose leaders must approve.
    pub signatories: Vec<PartyCode>,
    /// How it is adopted.
    pub rule: AdoptionRule,
    /// Every version, oldest first.
    pub versions: Vec<Version>,
    /// Approvals in force (withdrawn ones are removed), by party.
    pub approvals: BTreeMap<PartyCode, Approval>,
    /// Parties that objected under a silence procedure.
    pub objections: BTreeSet<PartyCode>,
    /// Where it stands.
    pub status: StatementStatus,
}

/// Where one required party stands on the current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "standing")]
pub enum PartyStanding {
    /// Approved the current version.
    Approved {
        /// The approval.
        approval: Approval,
    },
    /// Approved an older version only: it does not count.
    ApprovedOlderVersion {
        /// The version approved.
        version: u32,
    },
    /// Objected (silence procedure).
    Objected,
    /// No approval yet.
    Pending,
}

impl StatementRecord {
    /// The current (latest) version.
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }

    /// A version by number.
    pub fn version(&self, number: u32) -> Option<&Version> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// Whether it is adopted.
    pub fn is_adopted(&self) -> bool {
        matches!(self.status, StatementStatus::Adopted { .. })
    }

    /// Each required party's standing on the current version.
    pub fn standings(&self) -> Vec<(PartyCode, PartyStanding)> {
        let current = self.current().map_or(0, |v| v.number);
        self.signatories
            .iter()
            .map(|party| {
                let standing = match self.approvals.get(party) {
                    Some(approval) if approval.version == current => PartyStanding::Approved {
                        approval: approval.clone(),
                    },
                    Some(approval) => PartyStanding::ApprovedOlderVersion {
                        version: approval.version,
                    },
                    None if self.objections.contains(party) => PartyStanding::Objected,
                    None => PartyStanding::Pending,
                };
                (party.clone(), standing)
            })
            .collect()
    }

    /// How many required parties approved the current version.
    pub fn current_approvals(&self) -> usize {
        let current = self.current().map_or(0, |v| v.number);
        self.approvals
            .values()
            .filter(|a| a.version == current)
            .count()
    }

    /// When the approvals of the current version first met a counting rule (unanimity or a
    /// quorum), taking them in the order they were given: the time of the approval that
    /// completed it. `None` under a silence procedure, or while the rule does not hold.
    pub fn approvals_met_at(&self) -> Option<Timestamp> {
        let current = self.current().map_or(0, |v| v.number);
        let mut times: Vec<Timestamp> = self
            .approvals
            .values()
            .filter(|a| a.version == current)
            .map(|a| a.at)
            .collect();
        times.sort();
        let needed = match self.rule {
            AdoptionRule::Unanimity => self.signatories.len(),
            AdoptionRule::Quorum { k } => usize::from(k),
            AdoptionRule::Silence { .. } => return None,
        };
        needed
            .checked_sub(1)
            .and_then(|last| times.get(last))
            .copied()
    }

    /// Whether the adoption rule holds at `now` (for silence: the deadline has passed with no
    /// objection).
    pub fn rule_holds(&self, now: Timestamp) -> bool {
        match self.rule {
            AdoptionRule::Unanimity => self.current_approvals() == self.signatories.len(),
            AdoptionRule::Quorum { k } => self.current_approvals() >= usize::from(k),
            AdoptionRule::Silence { deadline } => now >= deadline && self.objections.is_empty(),
        }
    }
}

/// How a principal attends a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    /// In the room.
    InPerson,
    /// By video link.
    Remote,
}

impl crate::names::Named for Attendance {
    const ALL: &'static [Self] = &[Attendance::InPerson, Attendance::Remote];
    const WHAT: &'static str = "attendance";
    fn name(self) -> &'static str {
        match self {
            Attendance::InPerson => "in-person",
            Attendance::Remote => "remote",
        }
    }
}

crate::names::from_str_by_name!(Attendance);

/// A summit or meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its id.
    pub id: MeetingId,
    /// Its title.
    pub title: String,
    /// The host party.
    pub host: PartyCode,
    /// Where.
    pub place: String,
    /// The day.
    pub day: Day,
    /// Who attended and how.
    pub attendees: Vec<(PrincipalId, Attendance)>,
    /// The statements on its agenda.
    pub agenda: Vec<StatementId>,
    /// Its marking.
    pub marking: Marking,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classification::Level;

    #[test]
    fn the_content_hash_changes_with_any_text_or_marking() {
        let paragraph = |text: &str, level| Paragraph {
            text: text.into(),
            marking: Marking::at(level),
        };
        let a = content_hash(&[paragraph("One.", Level::Public)]);
        assert_eq!(a, content_hash(&[paragraph("One.", Level::Public)]));
        assert_ne!(a, content_hash(&[paragraph("One!", Level::Public)]));
        assert_ne!(a, content_hash(&[paragraph("One.", Level::Secret)]));
        assert_ne!(
            content_hash(&[paragraph("A", Level::Public), paragraph("B", Level::Public)]),
            content_hash(&[paragraph("B", Level::Public), paragraph("A", Level::Public)])
        );
    }
}
