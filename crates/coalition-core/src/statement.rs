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

/// 128 random bits, written as 32 lowercase hex digits: a paragraph's salt or its order key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nonce(pub [u8; 16]);

impl Serialize for Nonce {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for Nonce {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = hex::decode(&text).map_err(serde::de::Error::custom)?;
        let array: [u8; 16] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("expected 32 hex digits (128 bits)"))?;
        Ok(Nonce(array))
    }
}

/// What opens one paragraph's leaf commitment: its random salt and its random order key (the
/// paragraphs of a version are read in the order of their keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// Makes the leaf of a short or guessable text unguessable.
    pub salt: Nonce,
    /// Places the paragraph among the others without numbering it.
    pub order: Nonce,
}

/// 32 random bytes drawn by the caller for one version (coalition-app draws them from the
/// operating system; the core has no randomness). They are expanded deterministically into the
/// version's salts, order keys and padding leaves and never recorded themselves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub [u8; 32]);

impl fmt::Debug for Seed {
    /// Never printed: the seed opens every leaf of its version.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(…)")
    }
}

/// The fewest leaves a version commits to: versions of up to 16 paragraphs look alike.
pub const MIN_LEAVES: usize = 16;

/// How many leaves a version of `paragraphs` paragraphs commits to: the next power of two, at
/// least [`MIN_LEAVES`].
pub fn capacity(paragraphs: usize) -> usize {
    paragraphs.max(MIN_LEAVES).next_power_of_two()
}

/// One paragraph's leaf commitment: SHA-256 of the RFC 8785 form of
/// `{"marking": …, "order": …, "salt": …, "text": …}`.
pub fn leaf(paragraph: &Paragraph, opening: &Opening) -> Hash {
    let object = serde_json::json!({
        "marking": paragraph.marking,
        "text": paragraph.text,
        "salt": opening.salt,
        "order": opening.order,
    });
    // Strings and enums only, so canonicalisation cannot fail.
    let bytes = serde_json_canonicalizer::to_vec(&object).unwrap_or_default();
    Hash::of(&[&bytes])
}

/// The hash that identifies a version's content, which leaders sign: SHA-256 of its leaves
/// (sorted, 32 bytes each, concatenated).
pub fn content_hash(leaves: &[Hash]) -> Hash {
    let mut sorted: Vec<&Hash> = leaves.iter().collect();
    sorted.sort();
    let parts: Vec<&[u8]> = sorted.iter().map(|h| h.as_bytes().as_slice()).collect();
    Hash::of(&parts)
}

/// A version's commitments as tabled: one opening per paragraph (order keys increasing in the
/// paragraphs' order), the sorted leaves with padding, and the content hash over them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tabled {
    /// One per paragraph, in order.
    pub openings: Vec<Opening>,
    /// Every leaf, sorted: the paragraphs' and random padding, [`capacity`] in all.
    pub leaves: Vec<Hash>,
    /// [`content_hash`] of the leaves.
    pub content: Hash,
}

/// Commits to `paragraphs` with the randomness of `seed`.
pub fn table(paragraphs: &[Paragraph], seed: &Seed) -> Tabled {
    let block = |label: &[u8], i: usize| {
        Hash::of(&[
            b"coalition.version-seed/",
            label,
            &seed.0,
            &(i as u64).to_be_bytes(),
        ])
    };
    let half = |hash: Hash| {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(&hash.as_bytes()[..16]);
        Nonce(bytes)
    };
    let mut orders: Vec<Nonce> = (0..paragraphs.len())
        .map(|i| half(block(b"order", i)))
        .collect();
    orders.sort();
    let openings: Vec<Opening> = orders
        .into_iter()
        .enumerate()
        .map(|(i, order)| Opening {
            salt: half(block(b"salt", i)),
            order,
        })
        .collect();
    let mut leaves: Vec<Hash> = paragraphs
        .iter()
        .zip(&openings)
        .map(|(p, o)| leaf(p, o))
        .chain((paragraphs.len()..capacity(paragraphs.len())).map(|j| block(b"pad", j)))
        .collect();
    leaves.sort();
    let content = content_hash(&leaves);
    Tabled {
        openings,
        leaves,
        content,
    }
}

/// Why a version's commitments do not hold, if they do not: its leaves are not a sorted list of
/// a power of two (at least [`MIN_LEAVES`]) hashing to its content, or a paragraph it holds is
/// not among them. Checks only the paragraphs present: a reader holds those it may read.
pub fn check_version(version: &Version) -> Result<(), String> {
    let n = version.leaves.len();
    if n < MIN_LEAVES || !n.is_power_of_two() || !version.leaves.is_sorted() {
        return Err(format!(
            "version {} commits to {n} leaves; expected a sorted list of a power of two, at least {MIN_LEAVES}",
            version.number
        ));
    }
    if content_hash(&version.leaves) != version.content {
        return Err(format!(
            "the leaves of version {} do not hash to its content hash {}",
            version.number, version.content
        ));
    }
    for (paragraph, opening) in version.paragraphs.iter().zip(&version.openings) {
        if version
            .leaves
            .binary_search(&leaf(paragraph, opening))
            .is_err()
        {
            return Err(format!(
                "a {} paragraph of version {} is not among the leaves its content hash signs",
                paragraph.marking, version.number
            ));
        }
    }
    Ok(())
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

/// A version of a statement: its public commitments and the paragraphs recorded (all of them in
/// the master log; in an audience's log, those the audience may read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// 1, 2, …
    pub number: u32,
    /// The paragraphs, in the order of their order keys.
    pub paragraphs: Vec<Paragraph>,
    /// Each paragraph's opening, beside it.
    pub openings: Vec<Opening>,
    /// The leaf commitments, sorted.
    pub leaves: Vec<Hash>,
    /// Their content hash.
    pub content: Hash,
    /// When it was tabled.
    pub at: Timestamp,
}

impl Version {
    /// Records a paragraph in its place (by order key).
    pub(crate) fn insert(&mut self, paragraph: Paragraph, opening: Opening) {
        let at = self.openings.partition_point(|o| o.order < opening.order);
        self.paragraphs.insert(at, paragraph);
        self.openings.insert(at, opening);
    }
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

    fn paragraph(text: &str, level: Level) -> Paragraph {
        Paragraph {
            text: text.into(),
            marking: Marking::at(level),
        }
    }

    fn version(paragraphs: &[Paragraph], seed: u8) -> Version {
        let tabled = table(paragraphs, &Seed([seed; 32]));
        Version {
            number: 1,
            paragraphs: paragraphs.to_vec(),
            openings: tabled.openings,
            leaves: tabled.leaves,
            content: tabled.content,
            at: Timestamp::from_unix(0),
        }
    }

    #[test]
    fn the_content_hash_changes_with_any_text_marking_or_seed() {
        let one = [paragraph("One.", Level::Public)];
        let a = table(&one, &Seed([1; 32])).content;
        assert_eq!(a, table(&one, &Seed([1; 32])).content);
        assert_ne!(a, table(&one, &Seed([2; 32])).content);
        assert_ne!(
            a,
            table(&[paragraph("One!", Level::Public)], &Seed([1; 32])).content
        );
        assert_ne!(
            a,
            table(&[paragraph("One.", Level::Secret)], &Seed([1; 32])).content
        );
    }

    #[test]
    fn a_version_commits_to_a_power_of_two_leaves_with_order_keys_in_order() {
        let many: Vec<Paragraph> = (0..17)
            .map(|i| paragraph(&format!("P{i}"), Level::Public))
            .collect();
        assert_eq!(version(&many[..1], 3).leaves.len(), 16);
        assert_eq!(version(&many[..16], 3).leaves.len(), 16);
        assert_eq!(version(&many, 3).leaves.len(), 32);
        let v = version(&many, 3);
        assert!(v.openings.windows(2).all(|w| w[0].order < w[1].order));
        assert_eq!(check_version(&v), Ok(()));
    }

    #[test]
    fn a_reader_checks_the_paragraphs_it_holds_and_nothing_else() {
        let both = [
            paragraph("Public.", Level::Public),
            paragraph("Secret.", Level::Secret),
        ];
        let mut seen = version(&both, 4);
        // The public's copy holds only the public paragraph: it still checks.
        seen.paragraphs.truncate(1);
        seen.openings.truncate(1);
        assert_eq!(check_version(&seen), Ok(()));
        // A forged paragraph does not.
        let mut forged = seen.clone();
        forged.paragraphs[0].text = "Forged.".into();
        assert!(check_version(&forged).is_err());
        // A guessed secret text, with any salt, is not found among the leaves.
        let guess = leaf(&both[1], &seen.openings[0]);
        assert!(seen.leaves.binary_search(&guess).is_err());
    }
}
