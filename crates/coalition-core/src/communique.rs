//! What may be published: aggregates over the record, their markings, release decisions, and
//! the communiqué (adopted statements' PUBLIC paragraphs plus the aggregates that are public).
//!
//! An aggregate computed from classified items carries the highest marking of its inputs and the
//! intersection of their releasability. It reaches the public only when it is PUBLIC by itself or
//! an authorised principal has recorded a release decision (a trusted downgrade) for that value —
//! the pattern of "26 of 35 states committed to a presence on land, at sea or in the air",
//! announced while the list stayed secret.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::{Marking, Viewer};
use crate::commitment::Category;
use crate::disclosure::Gate;
use crate::party::SeatRole;
use crate::state::State;
use crate::statement::{MeetingId, Paragraph, StatementId, StatementStatus};

/// A number that may be published about the record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "aggregate")]
pub enum Aggregate {
    /// How many parties hold a member's seat that is disclosed: an undisclosed membership is
    /// never counted, so no figure reveals how many there are.
    Members,
    /// How many distinct guarantors have a commitment, not withdrawn, in any of these categories.
    GuarantorsCommitted {
        /// The categories counted together.
        categories: Vec<Category>,
    },
}

/// Text that does not name an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown aggregate {0:?}: expected `members` or `guarantors:CATEGORY[,CATEGORY…]`")]
pub struct UnknownAggregate(pub String);

impl Aggregate {
    /// Parses `members` or `guarantors:force-land,force-sea,force-air`.
    pub fn parse(text: &str) -> Result<Aggregate, UnknownAggregate> {
        let text = text.trim();
        if text == "members" {
            return Ok(Aggregate::Members);
        }
        let Some(list) = text.strip_prefix("guarantors:") else {
            return Err(UnknownAggregate(text.to_owned()));
        };
        let categories = list
            .split(',')
            .map(Category::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| UnknownAggregate(text.to_owned()))?;
        if categories.is_empty() {
            return Err(UnknownAggregate(text.to_owned()));
        }
        Ok(Aggregate::GuarantorsCommitted { categories })
    }

    /// The aggregates every communiqué considers: the membership, each of the Paris five, and a
    /// presence on land, at sea or in the air.
    pub fn standard() -> Vec<Aggregate> {
        let mut all = vec![Aggregate::Members];
        all.extend(
            Category::PARIS_FIVE
                .iter()
                .map(|slug| Aggregate::GuarantorsCommitted {
                    categories: vec![Category::known(slug)],
                }),
        );
        all.push(Aggregate::GuarantorsCommitted {
            categories: ["force-land", "force-sea", "force-air"]
                .iter()
                .map(|s| Category::known(s))
                .collect(),
        });
        all
    }

    /// What it counts, in words.
    pub fn describe(&self) -> String {
        match self {
            Aggregate::Members => "states and organisations in the coalition (disclosed)".into(),
            Aggregate::GuarantorsCommitted { categories } => {
                let names: Vec<&str> = categories.iter().map(Category::as_str).collect();
                format!("parties committed to {}", names.join(" or "))
            }
        }
    }
}

impl fmt::Display for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Aggregate::Members => f.write_str("members"),
            Aggregate::GuarantorsCommitted { categories } => {
                let names: Vec<&str> = categories.iter().map(Category::as_str).collect();
                write!(f, "guarantors:{}", names.join(","))
            }
        }
    }
}

/// An aggregate's value over the whole record, and the marking its inputs give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateValue {
    /// What was counted.
    pub aggregate: Aggregate,
    /// The count.
    pub value: u64,
    /// Out of how many members, for the guarantor counts.
    pub of_members: u64,
    /// The join of its inputs' markings (PUBLIC when it has no inputs).
    pub marking: Marking,
}

/// Counts an aggregate over the whole state (not a viewer's share of it): its marking says who
/// may see the result.
pub fn compute(state: &State, aggregate: &Aggregate) -> AggregateValue {
    let members: Vec<_> = state
        .seats()
        .values()
        .filter(|s| s.role == SeatRole::Member)
        .collect();
    // "Of how many" counts disclosed members only, for the same reason.
    let of_members = members.iter().filter(|s| s.disclosed).count() as u64;
    let (value, marking) = match aggregate {
        Aggregate::Members => {
            let disclosed: Vec<_> = members.iter().filter(|seat| seat.disclosed).collect();
            let marking = disclosed
                .iter()
                .fold(Marking::public(), |m, seat| m.join(&seat.marking()));
            (disclosed.len() as u64, marking)
        }
        Aggregate::GuarantorsCommitted { categories } => {
            let inputs: Vec<_> = state
                .commitments()
                .values()
                .filter(|r| r.withdrawn.is_none() && categories.contains(&r.commitment.category))
                .collect();
            let mut guarantors: Vec<_> = inputs.iter().map(|r| &r.commitment.guarantor).collect();
            guarantors.sort();
            guarantors.dedup();
            let marking = inputs
                .iter()
                .fold(Marking::public(), |m, r| m.join(&r.commitment.marking));
            (guarantors.len() as u64, marking)
        }
    };
    AggregateValue {
        aggregate: aggregate.clone(),
        value,
        of_members,
        marking,
    }
}

/// A release decision recorded in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// What was released.
    pub aggregate: Aggregate,
    /// The value released.
    pub value: u64,
    /// Out of how many members.
    pub of_members: u64,
    /// The marking it had before release.
    pub from_marking: Marking,
}

/// One public statement in a communiqué.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublicStatement {
    /// The statement.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// The version adopted.
    pub version: u32,
    /// Its PUBLIC paragraphs, in order. Nothing says whether others exist.
    pub paragraphs: Vec<Paragraph>,
}

/// One published number.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublicFigure {
    /// What it counts.
    pub aggregate: Aggregate,
    /// In words.
    pub description: String,
    /// The value.
    pub value: u64,
    /// Out of how many members.
    pub of_members: u64,
    /// Whether it is public by a release decision (rather than by its inputs).
    pub released: bool,
}

/// What may be published.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Communique {
    /// The meeting it is for, if any.
    pub meeting: Option<MeetingId>,
    /// The adopted statements' public text.
    pub statements: Vec<PublicStatement>,
    /// The published figures. Nothing says which others were considered and withheld.
    pub figures: Vec<PublicFigure>,
}

/// Composes the communiqué: adopted statements (on the meeting's agenda, if one is given) with
/// their PUBLIC paragraphs only, and the aggregates that are PUBLIC or released. Everything
/// passes the gate as the public.
pub fn communique(state: &State, meeting: Option<&MeetingId>) -> Communique {
    let public = Viewer::Public;
    let gate = Gate::new(state, &public);
    let agenda = meeting
        .and_then(|id| state.meetings().get(id))
        .map(|m| m.agenda.clone());
    let statements = state
        .statements()
        .values()
        .filter(|s| agenda.as_ref().is_none_or(|agenda| agenda.contains(&s.id)))
        .filter_map(|s| {
            let StatementStatus::Adopted { version, .. } = s.status else {
                return None;
            };
            let adopted = s.version(version)?;
            let paragraphs: Vec<Paragraph> = adopted
                .paragraphs
                .iter()
                .filter(|p| gate.may_read(&p.marking))
                .cloned()
                .collect();
            Some(PublicStatement {
                id: s.id.clone(),
                title: s.title.clone(),
                version,
                paragraphs,
            })
        })
        .collect();
    let mut figures = Vec::new();
    let mut considered = Aggregate::standard();
    for release in state.releases() {
        if !considered.contains(&release.aggregate) {
            considered.push(release.aggregate.clone());
        }
    }
    for aggregate in considered {
        let computed = compute(state, &aggregate);
        let released = state
            .releases()
            .iter()
            .rev()
            .find(|r| r.aggregate == aggregate);
        match released {
            Some(release) => figures.push(PublicFigure {
                description: aggregate.describe(),
                aggregate,
                value: release.value,
                of_members: release.of_members,
                released: true,
            }),
            None if gate.may_read(&computed.marking) && computed.value > 0 => {
                figures.push(PublicFigure {
                    description: aggregate.describe(),
                    aggregate,
                    value: computed.value,
                    of_members: computed.of_members,
                    released: false,
                })
            }
            None => {}
        }
    }
    Communique {
        meeting: meeting.cloned(),
        statements,
        figures,
    }
}
