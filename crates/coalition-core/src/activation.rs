//! Activation: which commitments answer an incident, why the others do not, and the obligations
//! the answering ones open. `decide` (verification, a provisional trigger, a merge, a
//! correction) and the what-if both go through here, so there is one statement of the rule.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::commitment::{ClockStart, CommitmentStatus, ResponseKind};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::{IncidentId, ObligationId, derived_id};
use crate::incident::Incident;
use crate::obligation::Obligation;
use crate::state::{CommitmentRecord, State};

/// Why a commitment does not answer an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unanswered {
    /// It protects another state.
    OtherTarget,
    /// It names another aggressor.
    OtherAggressor,
    /// Its trigger does not answer this kind of incident.
    KindNotAnswered,
    /// The incident does not meet a condition of its trigger's scope.
    ScopeNotMet,
    /// It was made after the incident occurred.
    MadeLater,
    /// Its guarantor had not signed its instrument when the incident occurred.
    Unsigned,
    /// Signed, but its guarantor had not ratified when the incident occurred.
    Unratified,
    /// Consent was complete but its first day had not come.
    NotYetInForce,
    /// Waiting for its activation condition (a ceasefire).
    Dormant,
    /// Its term or validity had ended.
    Lapsed,
    /// Its instrument had ended, or its guarantor's parliament rejected it.
    Terminated,
    /// Its guarantor had withdrawn it.
    Withdrawn,
}

impl Unanswered {
    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            Unanswered::OtherTarget => "protects another state",
            Unanswered::OtherAggressor => "names another aggressor",
            Unanswered::KindNotAnswered => "its trigger does not answer this kind of incident",
            Unanswered::ScopeNotMet => {
                "the incident does not meet a condition its scope states (e.g. nuclear weapons used)"
            }
            Unanswered::MadeLater => "made after the incident",
            Unanswered::Unsigned => "not signed by its guarantor",
            Unanswered::Unratified => "signed, not ratified",
            Unanswered::NotYetInForce => "not yet in force",
            Unanswered::Dormant => "dormant: waiting for a ceasefire",
            Unanswered::Lapsed => "lapsed",
            Unanswered::Terminated => "terminated",
            Unanswered::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for Unanswered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Whether a commitment answers an incident: it protects the target, names the aggressor, its
/// trigger answers the incident (as the world stood when it occurred, ceasefire included), it
/// had been made, and it was in force when the incident occurred.
pub fn answers(
    state: &State,
    record: &CommitmentRecord,
    incident: &Incident,
) -> Result<(), Unanswered> {
    let commitment = &record.commitment;
    if commitment.protected != incident.target {
        return Err(Unanswered::OtherTarget);
    }
    if commitment.trigger.aggressor != incident.aggressor {
        return Err(Unanswered::OtherAggressor);
    }
    let occurred = incident.occurred_at;
    if !commitment
        .trigger
        .matches(incident, state.ceasefire_in_force(occurred))
    {
        return Err(Unanswered::KindNotAnswered);
    }
    if commitment.trigger.unmet_condition(incident).is_some() {
        return Err(Unanswered::ScopeNotMet);
    }
    if record.added_at > occurred {
        return Err(Unanswered::MadeLater);
    }
    match state.commitment_status(record, occurred) {
        CommitmentStatus::InForce => Ok(()),
        CommitmentStatus::Proposed => Err(Unanswered::Unsigned),
        CommitmentStatus::Signed if awaits_ratification(state, record, occurred) => {
            Err(Unanswered::Unratified)
        }
        CommitmentStatus::Signed | CommitmentStatus::Ratified => Err(Unanswered::NotYetInForce),
        CommitmentStatus::Dormant => Err(Unanswered::Dormant),
        CommitmentStatus::Lapsed => Err(Unanswered::Lapsed),
        CommitmentStatus::Terminated => Err(Unanswered::Terminated),
        CommitmentStatus::Withdrawn => Err(Unanswered::Withdrawn),
    }
}

/// Whether the commitment's instrument needs its guarantor's ratification, not given by `at`.
fn awaits_ratification(state: &State, record: &CommitmentRecord, at: Timestamp) -> bool {
    let commitment = &record.commitment;
    commitment
        .instrument
        .as_ref()
        .and_then(|id| state.instruments().get(id))
        .is_some_and(|instrument| {
            instrument.instrument.ratification_required
                && instrument
                    .ratified
                    .get(&commitment.guarantor)
                    .is_none_or(|(_, when)| *when > at)
        })
}

/// When the obligations an activation opens take effect, and where their clocks start.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Opening {
    /// When they open: the verification, the provisional trigger, the merge or the correction.
    pub(crate) opened_at: Timestamp,
    /// Where a clock from verification starts: when the incident was verified (or triggered).
    pub(crate) verified_at: Timestamp,
    /// A provisional trigger: consultations only.
    pub(crate) provisional: bool,
}

/// The obligations an incident opens: one per response of every commitment that answers it. A
/// provisional trigger opens consultations only; nothing is opened twice for one response.
pub(crate) fn obligations(state: &State, incident: &Incident, opening: Opening) -> Vec<Event> {
    let mut taken: Vec<ObligationId> = Vec::new();
    let mut events = Vec::new();
    for candidate in state.commitments_triggered_by(&incident.target, &incident.aggressor) {
        if answers(state, candidate, incident).is_err() {
            continue;
        }
        let commitment = &candidate.commitment;
        for (index, response) in commitment.responses.iter().enumerate() {
            if opening.provisional && response.kind != ResponseKind::Consult {
                continue;
            }
            if is_open_for(state, &incident.id, candidate, index) {
                continue;
            }
            let clock_started_at = match response.clock {
                ClockStart::Attack => Some(incident.occurred_at),
                ClockStart::Verification => Some(opening.verified_at),
                ClockStart::Request => state.first_request(
                    &commitment.protected,
                    &commitment.guarantor,
                    incident.occurred_at,
                ),
            };
            // Derived from what the obligation is: which response of which commitment answers
            // which incident. The same three reopened later (after a cancellation) step on.
            let what = serde_json::json!({
                "coalition": state.coalition().map(|c| c.id.as_str()),
                "incident": incident.id.as_str(),
                "commitment": commitment.id.as_str(),
                "response": index,
            });
            let id = derived_id("OB", &what, |id: &ObligationId| {
                state.obligations().contains_key(id) || taken.contains(id)
            });
            taken.push(id.clone());
            events.push(Event::ObligationOpened {
                obligation: Obligation {
                    id,
                    commitment: commitment.id.clone(),
                    incident: incident.id.clone(),
                    response_index: index,
                    guarantor: commitment.guarantor.clone(),
                    protected: commitment.protected.clone(),
                    kind: response.kind,
                    within: response.within,
                    clock: response.clock,
                    clock_started_at,
                    opened_at: opening.opened_at,
                    provisional: opening.provisional,
                    marking: commitment.marking.join(&incident.marking),
                },
            });
        }
    }
    events
}

/// Whether an obligation for this response of this commitment already exists for the incident.
fn is_open_for(
    state: &State,
    incident: &IncidentId,
    candidate: &CommitmentRecord,
    index: usize,
) -> bool {
    state.obligations().values().any(|o| {
        &o.obligation.incident == incident
            && o.obligation.commitment == candidate.commitment.id
            && o.obligation.response_index == index
    })
}
