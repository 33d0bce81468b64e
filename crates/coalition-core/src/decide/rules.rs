//! The checks every family of commands shares: who the actor is and may act for, the lookups that
//! turn an id into a record or a rejection, and the rejections they build.
//!
//! Lookups go through the actor's own [`Gate`]: a command can name only what its actor may read,
//! and naming an item it may not read is refused exactly as naming one that does not exist (same
//! rejection, message and code), so a write is no oracle for what is hidden
//! (docs/threat-model.md, "Writes see through the actor's gate").

use crate::classification::Marking;
use crate::dates::{EARLIEST, Timestamp};
use crate::disclosure::Gate;
use crate::id::{CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode};
use crate::instrument::InstrumentRecord;
use crate::party::{Principal, PrincipalRole, SeatRole};
use crate::rejection::Rejection;
use crate::state::{CommitmentRecord, IncidentRecord, ObligationRecord, State};

/// The acting principal and the state, with the checks every rule shares.
pub(super) struct Rules<'a> {
    pub(super) state: &'a State,
    pub(super) actor: &'a Principal,
    pub(super) now: Timestamp,
    /// The state as the actor may read it: every lookup goes through it.
    pub(super) gate: Gate<'a>,
    /// The real time of recording (an exercise decides at its simulated `now`).
    pub(super) recorded_at: Timestamp,
}

impl<'a> Rules<'a> {
    /// What the id of an item this actor records now is derived from (see
    /// [`crate::id::derived_id`]): the coalition, the actor, the recording time and `content`
    /// without any id it holds.
    pub(super) fn identity(&self, content: &impl serde::Serialize) -> serde_json::Value {
        let mut content = serde_json::to_value(content).unwrap_or_default();
        if let Some(object) = content.as_object_mut() {
            object.remove("id");
        }
        serde_json::json!({
            "coalition": self.state.coalition().map(|c| c.id.as_str()),
            "actor": self.actor.id.as_str(),
            "recorded_at": self.recorded_at,
            "content": content,
        })
    }

    /// A command's stated time, or the recording time when it states none.
    pub(super) fn at(&self, stated: Option<Timestamp>) -> Timestamp {
        stated.unwrap_or(self.now)
    }

    /// `fact` at `at` may not precede `earlier` at `since`.
    pub(super) fn not_before(
        &self,
        fact: impl std::fmt::Display,
        at: Timestamp,
        earlier: impl std::fmt::Display,
        since: Timestamp,
    ) -> Result<(), Rejection> {
        if at < since {
            Err(Rejection::Chronology {
                fact: fact.to_string(),
                at,
                earlier: earlier.to_string(),
                since,
            })
        } else {
            Ok(())
        }
    }

    /// A fact of the coalition's is not dated before its founding; one of a historical
    /// instrument's may be, but not before the earliest time the record accepts.
    pub(super) fn within_record(
        &self,
        fact: impl std::fmt::Display,
        at: Timestamp,
        historical: bool,
    ) -> Result<(), Rejection> {
        match self.state.coalition() {
            Some(coalition) if !historical => self.not_before(
                fact,
                at,
                format_args!("the founding of {}", coalition.id),
                coalition.founded_at,
            ),
            _ => self.not_before(fact, at, "the earliest date the record accepts", EARLIEST),
        }
    }

    pub(super) fn secretariat(&self, action: &'static str) -> Result<(), Rejection> {
        if self.actor.role == PrincipalRole::Secretariat {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                "only the secretariat may".into(),
            ))
        }
    }

    pub(super) fn secretariat_or_monitor(&self, action: &'static str) -> Result<(), Rejection> {
        if matches!(
            self.actor.role,
            PrincipalRole::Secretariat | PrincipalRole::Monitor
        ) {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                "only the secretariat or the monitoring mechanism may".into(),
            ))
        }
    }

    /// The actor speaks for `party`, or is the secretariat recording on its behalf.
    pub(super) fn for_party(
        &self,
        party: &PartyCode,
        action: &'static str,
    ) -> Result<(), Rejection> {
        let speaks = self.actor.party == *party && self.actor.role.speaks_for_party();
        if speaks || self.actor.role == PrincipalRole::Secretariat {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                format!("only a leader, minister or envoy of {party}, or the secretariat, may"),
            ))
        }
    }

    /// A marking given for a new item: not contradictory, and one the actor may read itself (a
    /// principal could not read back what it wrote, and has no business choosing a marking it
    /// may not read).
    pub(super) fn marking_given(
        &self,
        field: &'static str,
        marking: &Marking,
    ) -> Result<(), Rejection> {
        if let Some(problem) = marking.contradiction() {
            Err(invalid(field, problem))
        } else if self.gate.may_read(marking) {
            Ok(())
        } else {
            Err(invalid(
                field,
                format!(
                    "{} may not read {marking} itself; a principal records items only at markings it may read",
                    self.actor.id
                ),
            ))
        }
    }

    pub(super) fn instrument(&self, id: &InstrumentId) -> Result<&'a InstrumentRecord, Rejection> {
        self.gate
            .instrument(id)
            .ok_or_else(|| Rejection::UnknownInstrument(id.clone()))
    }

    pub(super) fn party_to(
        &self,
        record: &InstrumentRecord,
        party: &PartyCode,
    ) -> Result<(), Rejection> {
        if record.instrument.parties.contains(party) {
            Ok(())
        } else {
            Err(Rejection::NotAParty {
                instrument: record.instrument.id.clone(),
                party: party.clone(),
            })
        }
    }

    pub(super) fn commitment(&self, id: &CommitmentId) -> Result<&'a CommitmentRecord, Rejection> {
        self.gate
            .commitment(id)
            .ok_or_else(|| Rejection::UnknownCommitment(id.clone()))
    }

    pub(super) fn incident(&self, id: &IncidentId) -> Result<&'a IncidentRecord, Rejection> {
        self.gate
            .incident(id)
            .ok_or_else(|| Rejection::UnknownIncident(id.clone()))
    }

    pub(super) fn obligation(&self, id: &ObligationId) -> Result<&'a ObligationRecord, Rejection> {
        self.gate
            .obligation(id)
            .ok_or_else(|| Rejection::UnknownObligation(id.clone()))
    }

    pub(super) fn seat_role(&self, party: &PartyCode) -> Result<SeatRole, Rejection> {
        self.state
            .seat(party)
            .map(|seat| seat.role)
            .ok_or_else(|| Rejection::NoSeat(party.clone()))
    }
}

pub(super) fn duplicate(noun: &'static str, id: &impl std::fmt::Display) -> Rejection {
    Rejection::DuplicateId {
        noun,
        id: id.to_string(),
    }
}

pub(super) fn invalid(field: &'static str, problem: impl Into<String>) -> Rejection {
    Rejection::Invalid {
        field,
        problem: problem.into(),
    }
}

pub(super) fn wrong_state(
    what: impl Into<String>,
    state: impl Into<String>,
    why: &'static str,
) -> Rejection {
    Rejection::WrongState {
        what: what.into(),
        state: state.into(),
        why,
    }
}

pub(super) fn not_authorised(actor: &Principal, action: &'static str, why: String) -> Rejection {
    Rejection::NotAuthorised {
        actor: actor.id.clone(),
        action,
        why,
    }
}
