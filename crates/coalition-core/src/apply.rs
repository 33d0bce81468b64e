//! `apply`: folds one event into the state. It never refuses: events are facts that `decide`
//! already accepted, so an event that does not fit (an unknown id) changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::commitment::ClockStart;
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::{IncidentId, ObligationId};
use crate::incident::{
    AppliedCorrection, Ceasefire, Correction, IncidentStatus, PendingCorrection,
};
use crate::instrument::InstrumentRecord;
use crate::obligation::Settlement;
use crate::state::{
    CoalitionInfo, CommitmentRecord, ConsultationRequest, ExerciseClock, IncidentRecord,
    ObligationRecord, State, SupportRecord,
};
use crate::statement::{StatementRecord, StatementStatus, Version};

/// Applies one event to the state.
pub fn apply(state: &mut State, event: &Event) {
    match event.clone() {
        Event::CoalitionFounded {
            id,
            name,
            protected,
            verification,
            at,
            exercise,
        } => {
            state.exercise_clock = exercise.as_ref().map(|e| ExerciseClock {
                now: e.clock,
                ended: None,
            });
            state.coalition = Some(CoalitionInfo {
                id,
                name,
                protected,
                verification,
                founded_at: at,
                exercise,
            });
        }
        Event::CategoryDefined {
            category,
            description,
        } => {
            state.categories.insert(category, description);
        }
        Event::SeatGranted { seat } => {
            state.seats.insert(seat.party.clone(), seat);
        }
        Event::SeatEnded { party, until, .. } => {
            if let Some(seat) = state.seats.get_mut(&party) {
                seat.until = Some(until);
            }
        }
        Event::PrincipalRegistered { principal } => {
            state.principals.insert(principal.id.clone(), principal);
        }
        Event::InstrumentRecorded { instrument } => {
            state
                .instruments
                .insert(instrument.id.clone(), InstrumentRecord::new(instrument));
        }
        Event::InstrumentSigned {
            instrument,
            party,
            at,
            ..
        } => {
            if let Some(record) = state.instruments.get_mut(&instrument) {
                record.signed.insert(party, at);
            }
        }
        Event::RatificationRecorded {
            instrument,
            party,
            status,
            at,
            ..
        } => {
            if let Some(record) = state.instruments.get_mut(&instrument) {
                record.ratified.insert(party, (status, at));
            }
        }
        Event::InstrumentExtended {
            instrument,
            years,
            at,
            ..
        } => {
            if let Some(record) = state.instruments.get_mut(&instrument) {
                record.extensions.push((at, years));
            }
        }
        Event::InstrumentTerminated {
            instrument,
            condition,
            at,
            ..
        } => {
            if let Some(record) = state.instruments.get_mut(&instrument) {
                record.terminated = Some((at, condition));
            }
        }
        Event::CommitmentAdded { commitment, at } => {
            let key = (
                commitment.protected.clone(),
                commitment.trigger.aggressor.clone(),
            );
            state
                .by_trigger
                .entry(key)
                .or_default()
                .push(commitment.id.clone());
            state.commitments.insert(
                commitment.id.clone(),
                CommitmentRecord {
                    commitment,
                    added_at: at,
                    withdrawn: None,
                    withdrawal_reason: String::new(),
                    support: Vec::new(),
                },
            );
        }
        Event::CommitmentWithdrawn {
            commitment,
            at,
            reason,
            ..
        } => {
            if let Some(record) = state.commitments.get_mut(&commitment) {
                record.withdrawn = Some(at);
                record.withdrawal_reason = reason;
            }
        }
        Event::SupportRecorded {
            commitment,
            stage,
            quantity,
            at,
            ..
        } => {
            if let Some(record) = state.commitments.get_mut(&commitment) {
                record.support.push(SupportRecord {
                    stage,
                    quantity,
                    at,
                });
            }
        }
        Event::CeasefireEntered { at } => {
            state.ceasefires.push(Ceasefire {
                in_force_from: at,
                ended_at: None,
            });
        }
        Event::CeasefireEnded { at } => {
            if let Some(open) = state.ceasefires.iter_mut().find(|c| c.ended_at.is_none()) {
                open.ended_at = Some(at);
            }
        }
        Event::IncidentReported {
            incident,
            reported_by,
            at,
        } => {
            state.incidents.insert(
                incident.id.clone(),
                IncidentRecord {
                    incident,
                    reported_by,
                    reported_at: at,
                    status: IncidentStatus::Reported,
                    confirmations: Vec::new(),
                    rejection: None,
                    pending_corrections: Vec::new(),
                    corrections: Vec::new(),
                },
            );
        }
        Event::IncidentConfirmed {
            incident,
            confirmation,
            ..
        } => {
            if let Some(record) = state.incidents.get_mut(&incident) {
                record.confirmations.push(confirmation);
            }
        }
        Event::IncidentProvisionallyTriggered { incident, at, .. } => {
            if let Some(record) = state.incidents.get_mut(&incident) {
                record.status = IncidentStatus::ProvisionallyTriggered { at };
            }
        }
        Event::IncidentVerified { incident, at, .. } => {
            if let Some(record) = state.incidents.get_mut(&incident) {
                record.status = IncidentStatus::Verified { at };
            }
        }
        Event::IncidentRejected {
            incident,
            at,
            reason,
            ..
        } => {
            if let Some(record) = state.incidents.get_mut(&incident) {
                record.status = IncidentStatus::Rejected { at };
                record.rejection = Some(reason);
            }
        }
        Event::ObligationOpened { mut obligation } => {
            // A request clock starts at the first request made since the incident, among the
            // requests this state holds: as the world stood, whatever order they were recorded in.
            if obligation.clock == ClockStart::Request {
                let occurred = state
                    .incidents
                    .get(&obligation.incident)
                    .map(|i| i.incident.occurred_at);
                obligation.clock_started_at = occurred.and_then(|since| {
                    state.first_request(&obligation.protected, &obligation.guarantor, since)
                });
            }
            state.obligations.insert(
                obligation.id.clone(),
                ObligationRecord {
                    obligation,
                    settlement: Settlement::Open,
                },
            );
        }
        Event::ConsultationsRequested {
            by,
            with,
            at,
            marking,
        } => {
            // A request starts every request-clock that the guarantor owes the requester for
            // incidents that occurred before it, unless an earlier request already had.
            for record in state.obligations.values_mut() {
                let ob = &mut record.obligation;
                let incident_time = state
                    .incidents
                    .get(&ob.incident)
                    .map(|i| i.incident.occurred_at);
                if ob.clock == ClockStart::Request
                    && ob.clock_started_at.is_none_or(|started| at < started)
                    && ob.protected == by
                    && ob.guarantor == with
                    && incident_time.is_some_and(|occurred| occurred <= at)
                {
                    ob.clock_started_at = Some(at);
                }
            }
            state.requests.push(ConsultationRequest {
                by,
                with,
                at,
                marking,
            });
        }
        Event::ObligationFulfilled {
            obligation,
            at,
            report,
            late,
            ..
        } => {
            if let Some(record) = state.obligations.get_mut(&obligation) {
                record.settlement = if late {
                    Settlement::FulfilledLate { at, report }
                } else {
                    Settlement::Fulfilled { at, report }
                };
            }
        }
        Event::ObligationWaived {
            obligation,
            at,
            note,
            ..
        } => {
            if let Some(record) = state.obligations.get_mut(&obligation) {
                record.settlement = Settlement::Waived { at, note };
            }
        }
        Event::ObligationDisputed {
            obligation,
            at,
            reason,
            ..
        } => {
            if let Some(record) = state.obligations.get_mut(&obligation) {
                record.settlement = Settlement::Disputed { at, reason };
            }
        }
        Event::ObligationCancelled {
            obligation,
            at,
            reason,
            ..
        } => {
            if let Some(record) = state.obligations.get_mut(&obligation) {
                record.settlement = Settlement::Cancelled { at, reason };
            }
        }
        Event::KeyRegistered { principal, key } => {
            if let Some(p) = state.principals.get_mut(&principal) {
                p.public_key = Some(key);
            }
        }
        Event::LogKeyRegistered { key, .. } => {
            state.log_key = Some(key);
        }
        Event::TokenIssued {
            token,
            principal,
            expires_at,
            sha256,
            marking,
            ..
        } => {
            state.tokens.insert(
                token,
                crate::state::TokenRecord {
                    principal,
                    sha256,
                    expires_at,
                    revoked: false,
                    marking,
                },
            );
        }
        Event::TokenRevoked { token, .. } => {
            if let Some(record) = state.tokens.get_mut(&token) {
                record.revoked = true;
            }
        }
        Event::WitnessPolicySet {
            version, policy, ..
        } => {
            state.witness_policy = Some(crate::witness::PolicyInForce { version, policy });
        }
        Event::StatementDrafted {
            statement,
            title,
            signatories,
            rule,
            ..
        } => {
            state.statements.insert(
                statement.clone(),
                StatementRecord {
                    id: statement,
                    title,
                    signatories,
                    rule,
                    versions: Vec::new(),
                    approvals: BTreeMap::new(),
                    objections: BTreeSet::new(),
                    status: StatementStatus::Draft,
                },
            );
        }
        Event::VersionTabled {
            statement,
            version,
            leaves,
            content,
            at,
        } => {
            if let Some(record) = state.statements.get_mut(&statement) {
                record.versions.push(Version {
                    number: version,
                    paragraphs: Vec::new(),
                    openings: Vec::new(),
                    leaves,
                    content,
                    at,
                });
            }
        }
        Event::ParagraphTabled {
            statement,
            version,
            paragraph,
            opening,
        } => {
            let tabled = state
                .statements
                .get_mut(&statement)
                .and_then(|record| record.versions.iter_mut().find(|v| v.number == version));
            if let Some(tabled) = tabled {
                tabled.insert(paragraph, opening);
            }
        }
        Event::VersionApproved {
            statement,
            approval,
        } => {
            if let Some(record) = state.statements.get_mut(&statement) {
                record.approvals.insert(approval.party.clone(), approval);
            }
        }
        Event::ApprovalWithdrawn {
            statement, party, ..
        } => {
            if let Some(record) = state.statements.get_mut(&statement) {
                record.approvals.remove(&party);
            }
        }
        Event::ObjectionRaised {
            statement, party, ..
        } => {
            if let Some(record) = state.statements.get_mut(&statement) {
                record.objections.insert(party);
            }
        }
        Event::StatementAdopted {
            statement,
            version,
            at,
        } => {
            let Some(record) = state.statements.get_mut(&statement) else {
                return;
            };
            record.status = StatementStatus::Adopted { version, at };
            // Adoption signs the instruments that name this statement, for every party whose
            // leader approved the adopted version (and had not signed already).
            let approving: Vec<_> = record
                .approvals
                .values()
                .filter(|a| a.version == version)
                .map(|a| a.party.clone())
                .collect();
            for instrument in state.instruments.values_mut() {
                if instrument.instrument.statement.as_ref() == Some(&statement) {
                    for party in &approving {
                        if instrument.instrument.parties.contains(party) {
                            instrument.signed.entry(party.clone()).or_insert(at);
                        }
                    }
                }
            }
        }
        Event::MeetingRecorded { meeting } => {
            state.meetings.insert(meeting.id.clone(), meeting);
        }
        Event::AggregateReleased { release, .. } => {
            state.releases.push(release);
        }
        Event::IncidentMerged {
            duplicate,
            into,
            at,
            confirmations,
            ..
        } => {
            if let Some(record) = state.incidents.get_mut(&duplicate) {
                record.status = IncidentStatus::Merged {
                    into: into.clone(),
                    at,
                };
            }
            if let Some(record) = state.incidents.get_mut(&into) {
                record.confirmations.extend(confirmations);
            }
        }
        Event::CorrectionConfirmed {
            incident,
            correction,
            confirmation,
            ..
        } => {
            if let Some(record) = state.incidents.get_mut(&incident) {
                match record
                    .pending_corrections
                    .iter_mut()
                    .find(|p| p.correction == correction)
                {
                    Some(pending) => pending.confirmations.push(confirmation),
                    None => record.pending_corrections.push(PendingCorrection {
                        correction,
                        confirmations: vec![confirmation],
                    }),
                }
            }
        }
        Event::IncidentCorrected {
            incident,
            correction,
            at,
            ..
        } => correct(state, &incident, correction, at),
        Event::ExerciseClockSet { at } => {
            if let Some(clock) = state.exercise_clock.as_mut() {
                clock.now = at;
            }
        }
        Event::ExerciseEnded { at } => {
            if let Some(clock) = state.exercise_clock.as_mut() {
                clock.ended = Some(at);
            }
        }
    }
}

/// Applies a correction to an incident: its attribution or time changes, and the clocks that
/// run from the attack, or from a request since the attack, start again from the facts.
fn correct(state: &mut State, incident: &IncidentId, correction: Correction, at: Timestamp) {
    let Some(record) = state.incidents.get_mut(incident) else {
        return;
    };
    record
        .pending_corrections
        .retain(|p| p.correction != correction);
    record.corrections.push(AppliedCorrection {
        correction: correction.clone(),
        previous_aggressor: record.incident.aggressor.clone(),
        previous_occurred_at: record.incident.occurred_at,
        at,
    });
    record.incident = correction.applied_to(&record.incident);
    let occurred = record.incident.occurred_at;
    let ids: Vec<ObligationId> = state
        .obligations
        .values()
        .filter(|o| &o.obligation.incident == incident)
        .map(|o| o.obligation.id.clone())
        .collect();
    for id in ids {
        let Some(ob) = state.obligations.get(&id).map(|o| o.obligation.clone()) else {
            continue;
        };
        let start = match ob.clock {
            ClockStart::Attack => Some(occurred),
            ClockStart::Request => state.first_request(&ob.protected, &ob.guarantor, occurred),
            ClockStart::Verification => ob.clock_started_at,
        };
        if let Some(record) = state.obligations.get_mut(&id) {
            record.obligation.clock_started_at = start;
        }
    }
}

impl State {
    /// The world as it stood at `at`: the log (each event with the time it was recorded,
    /// oldest first) replayed with only the events that hold by then (`Event::holds_at`). Before
    /// the coalition's founding nothing of it holds, and the state is empty.
    ///
    /// "As the record stood at R" is the other axis: pass only the entries recorded by R. Both
    /// together answer what was known at R about the world at `at`.
    pub fn world_at<'a>(
        log: impl IntoIterator<Item = (&'a Event, Timestamp)>,
        at: Timestamp,
    ) -> State {
        let mut state = State::new();
        for (event, recorded_at) in log {
            if !event.holds_at(recorded_at, at) {
                if matches!(event, Event::CoalitionFounded { .. }) {
                    // Founded after `at`: nothing of the coalition holds yet.
                    return state;
                }
                continue;
            }
            apply(&mut state, event);
        }
        state
    }

    /// Rebuilds a state from events, oldest first.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> State {
        let mut state = State::new();
        for event in events {
            apply(&mut state, event);
        }
        state
    }
}
