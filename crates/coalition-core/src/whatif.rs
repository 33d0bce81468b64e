//! What-ifs: "if Russia attacked on 14 June 2027, what would activate, who must consult by when,
//! which guarantees would have lapsed?" The question is answered on a copy of the state, through
//! the same activation as a real verification ([`crate::activation`]), and nothing is written.
//! Only here may the times lie in the future.
//!
//! The answer carries every item's marking: the caller passes it through the gate like every
//! read (an obligation is marked as its commitment joined with the incident).

use serde::{Deserialize, Serialize};

use crate::activation::{self, Opening, Unanswered};
use crate::apply::apply;
use crate::classification::Marking;
use crate::dates::Timestamp;
use crate::decide::check_incident;
use crate::event::Event;
use crate::id::{CommitmentId, IncidentId, PartyCode, PrincipalId};
use crate::incident::Incident;
use crate::instrument::Ratification;
use crate::obligation::{Deadline, Obligation};
use crate::rejection::Rejection;
use crate::state::State;

/// The question.
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// The incident supposed (its id is replaced by `WHAT-IF`).
    pub incident: Incident,
    /// When it would be verified; by default when it occurs.
    pub verified_at: Option<Timestamp>,
    /// Requests for consultations the protected state would make: (guarantor asked, when).
    pub requests: Vec<(PartyCode, Timestamp)>,
    /// Assume a ceasefire entered into force then (only when none is in force).
    pub assume_ceasefire: Option<Timestamp>,
    /// Assume these parties had ratified every instrument they signed that awaits their
    /// ratification, from their signature on.
    pub assume_ratified: Vec<PartyCode>,
}

/// An obligation the incident would open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WouldOpen {
    /// The obligation, as verification would open it (its marking included).
    #[serde(flatten)]
    pub obligation: Obligation,
    /// When it would fall due.
    pub deadline: Deadline,
}

/// A commitment that would not answer, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAnswering {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Its guarantor.
    pub guarantor: PartyCode,
    /// Why not.
    pub reason: Unanswered,
    /// The commitment's marking.
    pub marking: Marking,
}

/// The answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WhatIfAnswer {
    /// The incident supposed.
    pub incident: Incident,
    /// When it would be verified.
    pub verified_at: Timestamp,
    /// The ceasefire assumed, if any.
    pub assumed_ceasefire: Option<Timestamp>,
    /// The parties assumed to have ratified.
    pub assumed_ratified: Vec<PartyCode>,
    /// The obligations it would open, by id.
    pub would_open: Vec<WouldOpen>,
    /// Every other commitment, with the reason it would not answer.
    pub not_answering: Vec<NotAnswering>,
}

impl WhatIfAnswer {
    /// The obligations that would fall due at a stated time.
    pub fn due(&self) -> impl Iterator<Item = &WouldOpen> {
        self.would_open
            .iter()
            .filter(|o| matches!(o.deadline, Deadline::Due(_)))
    }

    /// The obligations whose clock would wait for a request.
    pub fn awaiting_request(&self) -> impl Iterator<Item = &WouldOpen> {
        self.would_open
            .iter()
            .filter(|o| o.deadline == Deadline::AwaitingRequest)
    }

    /// The obligations with no deadline ("swiftly").
    pub fn no_deadline(&self) -> impl Iterator<Item = &WouldOpen> {
        self.would_open
            .iter()
            .filter(|o| o.deadline == Deadline::NoDeadline)
    }
}

/// The id the supposed incident takes.
pub const WHAT_IF_ID: &str = "WHAT-IF";

/// Answers a what-if on a copy of `state`; nothing is written.
pub fn what_if(state: &State, query: &WhatIf) -> Result<WhatIfAnswer, Rejection> {
    let mut copy = state.clone();
    let mut incident = query.incident.clone();
    incident.id =
        IncidentId::parse(WHAT_IF_ID).map_err(|err| invalid("incident", err.to_string()))?;
    if copy.incidents().contains_key(&incident.id) {
        return Err(invalid(
            "incident",
            "the record already holds an incident WHAT-IF",
        ));
    }
    // A what-if may lie in the future: the incident is checked as if its time had come.
    check_incident(&copy, &incident, incident.occurred_at)?;
    let verified_at = query.verified_at.unwrap_or(incident.occurred_at);
    if verified_at < incident.occurred_at {
        return Err(Rejection::Chronology {
            fact: "the verification".into(),
            at: verified_at,
            earlier: "the incident".into(),
            since: incident.occurred_at,
        });
    }
    let mut assumed = Vec::new();
    if let Some(at) = query.assume_ceasefire {
        if let Some(open) = copy.ceasefires().iter().find(|c| c.ended_at.is_none()) {
            return Err(invalid(
                "assume-ceasefire",
                format!("a ceasefire is in force since {}", open.in_force_from),
            ));
        }
        assumed.push(Event::CeasefireEntered { at });
    }
    for party in &query.assume_ratified {
        let pending: Vec<Event> = copy
            .instruments()
            .values()
            .filter(|r| r.instrument.ratification_required && !r.ratified.contains_key(party))
            .filter_map(|r| {
                r.signed
                    .get(party)
                    .map(|signed| Event::RatificationRecorded {
                        instrument: r.instrument.id.clone(),
                        party: party.clone(),
                        status: Ratification::Ratified,
                        at: *signed,
                        marking: r.instrument.marking.clone(),
                    })
            })
            .collect();
        if pending.is_empty() {
            return Err(invalid(
                "assume-ratified",
                format!("{party} has signed nothing that awaits its ratification"),
            ));
        }
        assumed.extend(pending);
    }
    assumed.push(Event::IncidentReported {
        incident: incident.clone(),
        reported_by: PrincipalId::parse("what-if")
            .map_err(|err| invalid("incident", err.to_string()))?,
        at: incident.occurred_at,
    });
    for (with, at) in &query.requests {
        copy.seat(with)
            .ok_or_else(|| Rejection::NoSeat(with.clone()))?;
        assumed.push(Event::ConsultationsRequested {
            by: incident.target.clone(),
            with: with.clone(),
            at: *at,
            marking: incident.marking.clone(),
        });
    }
    for event in &assumed {
        apply(&mut copy, event);
    }
    let opened = activation::obligations(
        &copy,
        &incident,
        Opening {
            opened_at: verified_at,
            verified_at,
            provisional: false,
        },
    );
    for event in &opened {
        apply(&mut copy, event);
    }
    let would_open: Vec<WouldOpen> = copy
        .obligations()
        .values()
        .filter(|o| o.obligation.incident == incident.id)
        .map(|o| WouldOpen {
            obligation: o.obligation.clone(),
            deadline: o.deadline(),
        })
        .collect();
    let not_answering = copy
        .commitments()
        .values()
        .filter_map(|record| {
            activation::answers(&copy, record, &incident)
                .err()
                .map(|reason| NotAnswering {
                    commitment: record.commitment.id.clone(),
                    guarantor: record.commitment.guarantor.clone(),
                    reason,
                    marking: record.commitment.marking.clone(),
                })
        })
        .collect();
    Ok(WhatIfAnswer {
        incident,
        verified_at,
        assumed_ceasefire: query.assume_ceasefire,
        assumed_ratified: query.assume_ratified.clone(),
        would_open,
        not_answering,
    })
}

fn invalid(field: &'static str, problem: impl Into<String>) -> Rejection {
    Rejection::Invalid {
        field,
        problem: problem.into(),
    }
}
