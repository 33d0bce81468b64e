//! A coalition's state: everything `apply` has built from its events, with the indexes that
//! answer the lifecycle's questions quickly (commitments by trigger).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::classification::{Marking, Viewer};
use crate::commitment::{Category, Commitment, CommitmentStatus, Stage, Standing};
use crate::communique::Release;
use crate::dates::Timestamp;
use crate::exercise::Exercise;
use crate::id::{
    CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use crate::incident::{
    AppliedCorrection, Ceasefire, Confirmation, Incident, IncidentStatus, PendingCorrection,
    VerificationRule,
};
use crate::instrument::InstrumentRecord;
use crate::obligation::{Deadline, Obligation, ObligationStatus, Settlement};
use crate::party::{Principal, Seat, SeatRole};
use crate::signature::PublicKey;
use crate::statement::{Meeting, MeetingId, StatementId, StatementRecord};

/// What the founding event fixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoalitionInfo {
    /// Its id.
    pub id: CoalitionId,
    /// Its name.
    pub name: String,
    /// The state its guarantees protect.
    pub protected: PartyCode,
    /// How it verifies incidents.
    pub verification: VerificationRule,
    /// When it was founded.
    pub founded_at: Timestamp,
    /// For an exercise: what it was forked from.
    pub exercise: Option<Exercise>,
}

/// Where an exercise's simulated time stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ExerciseClock {
    /// The simulated time its commands are decided at.
    pub now: Timestamp,
    /// When it ended, if it has.
    pub ended: Option<Timestamp>,
}

/// A commitment with what has happened to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentRecord {
    /// The commitment.
    pub commitment: Commitment,
    /// When it was recorded.
    pub added_at: Timestamp,
    /// When it was withdrawn.
    pub withdrawn: Option<Timestamp>,
    /// Why it was withdrawn (empty if it was not, or before reasons were recorded).
    pub withdrawal_reason: String,
    /// Support recorded at later stages.
    pub support: Vec<SupportRecord>,
}

/// Support under a commitment that reached a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportRecord {
    /// The stage.
    pub stage: Stage,
    /// How many units.
    pub quantity: u64,
    /// When.
    pub at: Timestamp,
}

/// An incident with its verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentRecord {
    /// The incident.
    pub incident: Incident,
    /// Who reported it.
    pub reported_by: PrincipalId,
    /// When.
    pub reported_at: Timestamp,
    /// Where verification stands.
    pub status: IncidentStatus,
    /// The confirmations so far.
    pub confirmations: Vec<Confirmation>,
    /// Why it was rejected, if it was.
    pub rejection: Option<String>,
    /// Corrections proposed and not yet carried by the verification rule.
    pub pending_corrections: Vec<PendingCorrection>,
    /// Corrections made, oldest first.
    pub corrections: Vec<AppliedCorrection>,
}

/// An obligation with its settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObligationRecord {
    /// The obligation.
    pub obligation: Obligation,
    /// How it was closed, or open.
    pub settlement: Settlement,
}

impl ObligationRecord {
    /// The status a user sees at `now`.
    pub fn status(&self, now: Timestamp) -> ObligationStatus {
        self.settlement.status(self.obligation.deadline(), now)
    }

    /// When it falls due.
    pub fn deadline(&self) -> Deadline {
        self.obligation.deadline()
    }
}

/// The protected state's request for consultations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsultationRequest {
    /// The protected state.
    pub by: PartyCode,
    /// The guarantor asked.
    pub with: PartyCode,
    /// When.
    pub at: Timestamp,
    /// Its marking.
    pub marking: Marking,
}

/// An API token as the record knows it: whom it was given to, the hash of its secret, and
/// whether it was revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    /// The principal it acts and reads as.
    pub principal: PrincipalId,
    /// SHA-256 of the token's text.
    pub sha256: crate::hash::Hash,
    /// When it stops being accepted, if ever.
    pub expires_at: Option<Timestamp>,
    /// Revoked.
    pub revoked: bool,
    /// The principal's marking, which the token's events carry.
    pub marking: Marking,
}

/// A coalition's state, rebuilt from its events.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub(crate) coalition: Option<CoalitionInfo>,
    pub(crate) categories: BTreeMap<Category, String>,
    pub(crate) seats: BTreeMap<PartyCode, Seat>,
    pub(crate) principals: BTreeMap<PrincipalId, Principal>,
    pub(crate) instruments: BTreeMap<InstrumentId, InstrumentRecord>,
    pub(crate) commitments: BTreeMap<CommitmentId, CommitmentRecord>,
    pub(crate) ceasefires: Vec<Ceasefire>,
    pub(crate) incidents: BTreeMap<IncidentId, IncidentRecord>,
    pub(crate) obligations: BTreeMap<ObligationId, ObligationRecord>,
    pub(crate) requests: Vec<ConsultationRequest>,
    pub(crate) statements: BTreeMap<StatementId, StatementRecord>,
    pub(crate) meetings: BTreeMap<MeetingId, Meeting>,
    pub(crate) releases: Vec<Release>,
    pub(crate) log_key: Option<PublicKey>,
    pub(crate) tokens: BTreeMap<String, TokenRecord>,
    pub(crate) witness_policy: Option<crate::witness::PolicyInForce>,
    pub(crate) exercise_clock: Option<ExerciseClock>,
    /// Commitments by (protected state, aggressor): the candidates an incident can activate.
    pub(crate) by_trigger: BTreeMap<(PartyCode, PartyCode), Vec<CommitmentId>>,
}

impl State {
    /// An empty state: no coalition yet.
    pub fn new() -> State {
        State::default()
    }

    /// The founding facts, once founded.
    pub fn coalition(&self) -> Option<&CoalitionInfo> {
        self.coalition.as_ref()
    }

    /// Every seat, by party.
    pub fn seats(&self) -> &BTreeMap<PartyCode, Seat> {
        &self.seats
    }

    /// A party's seat.
    pub fn seat(&self, party: &PartyCode) -> Option<&Seat> {
        self.seats.get(party)
    }

    /// Every principal, by id.
    pub fn principals(&self) -> &BTreeMap<PrincipalId, Principal> {
        &self.principals
    }

    /// A principal.
    pub fn principal(&self, id: &PrincipalId) -> Option<&Principal> {
        self.principals.get(id)
    }

    /// Every instrument, by id.
    pub fn instruments(&self) -> &BTreeMap<InstrumentId, InstrumentRecord> {
        &self.instruments
    }

    /// Every commitment, by id.
    pub fn commitments(&self) -> &BTreeMap<CommitmentId, CommitmentRecord> {
        &self.commitments
    }

    /// Every incident, by id.
    pub fn incidents(&self) -> &BTreeMap<IncidentId, IncidentRecord> {
        &self.incidents
    }

    /// Every obligation, by id.
    pub fn obligations(&self) -> &BTreeMap<ObligationId, ObligationRecord> {
        &self.obligations
    }

    /// Every ceasefire, oldest first.
    pub fn ceasefires(&self) -> &[Ceasefire] {
        &self.ceasefires
    }

    /// Every request for consultations, oldest first.
    pub fn requests(&self) -> &[ConsultationRequest] {
        &self.requests
    }

    /// Every statement, by id.
    pub fn statements(&self) -> &BTreeMap<StatementId, StatementRecord> {
        &self.statements
    }

    /// Every meeting, by id.
    pub fn meetings(&self) -> &BTreeMap<MeetingId, Meeting> {
        &self.meetings
    }

    /// Every release decision, oldest first.
    pub fn releases(&self) -> &[Release] {
        &self.releases
    }

    /// For an exercise: its simulated clock (`None` for a real coalition).
    pub fn exercise_clock(&self) -> Option<ExerciseClock> {
        self.exercise_clock
    }

    /// Whether this is an exercise, not a real coalition.
    pub fn is_exercise(&self) -> bool {
        self.coalition
            .as_ref()
            .is_some_and(|c| c.exercise.is_some())
    }

    /// An API token the record knows of, by id.
    pub fn token(&self, id: &str) -> Option<&TokenRecord> {
        self.tokens.get(id)
    }

    /// The key that signs the coalition's checkpoints, once registered.
    pub fn log_key(&self) -> Option<&PublicKey> {
        self.log_key.as_ref()
    }

    /// The witness policy in force, if one was set.
    pub fn witness_policy(&self) -> Option<&crate::witness::PolicyInForce> {
        self.witness_policy.as_ref()
    }

    /// The categories the coalition accepts: the built-in ones, then its own.
    pub fn categories(&self) -> Vec<(Category, String)> {
        Category::BUILT_IN
            .iter()
            .map(|(slug, description)| (Category::known(slug), (*description).to_owned()))
            .chain(self.categories.iter().map(|(c, d)| (c.clone(), d.clone())))
            .collect()
    }

    /// Whether the coalition accepts this category.
    pub fn knows_category(&self, category: &Category) -> bool {
        category.is_built_in() || self.categories.contains_key(category)
    }

    /// When the first ceasefire entered into force.
    pub fn first_ceasefire(&self) -> Option<Timestamp> {
        self.ceasefires.iter().map(|c| c.in_force_from).min()
    }

    /// Whether a ceasefire was in force at `at`.
    pub fn ceasefire_in_force(&self, at: Timestamp) -> bool {
        self.ceasefires.iter().any(|c| c.is_in_force(at))
    }

    /// The facts beside a commitment that its status depends on.
    pub fn standing(&self, record: &CommitmentRecord) -> Standing<'_> {
        Standing {
            instrument: record
                .commitment
                .instrument
                .as_ref()
                .and_then(|id| self.instruments.get(id)),
            first_ceasefire: self.first_ceasefire(),
            withdrawn: record.withdrawn,
        }
    }

    /// A commitment's status at `at`.
    pub fn commitment_status(&self, record: &CommitmentRecord, at: Timestamp) -> CommitmentStatus {
        record.commitment.status(&self.standing(record), at)
    }

    /// The commitments an incident by `aggressor` against `protected` could activate.
    pub fn commitments_triggered_by(
        &self,
        protected: &PartyCode,
        aggressor: &PartyCode,
    ) -> impl Iterator<Item = &CommitmentRecord> {
        self.by_trigger
            .get(&(protected.clone(), aggressor.clone()))
            .into_iter()
            .flatten()
            .filter_map(|id| self.commitments.get(id))
    }

    /// Who a principal is as a reader: the viewer the classification gate checks.
    pub fn viewer_for(&self, principal: &Principal) -> Viewer {
        let has_seat = self
            .seats
            .get(&principal.party)
            .is_some_and(|seat| seat.role.is_inside());
        Viewer::Cleared {
            party: principal.party.clone(),
            clearance: principal.clearance,
            has_seat,
        }
    }

    /// The first request by `by` to `with` made at or after `since`.
    pub(crate) fn first_request(
        &self,
        by: &PartyCode,
        with: &PartyCode,
        since: Timestamp,
    ) -> Option<Timestamp> {
        self.requests
            .iter()
            .filter(|r| &r.by == by && &r.with == with && r.at >= since)
            .map(|r| r.at)
            .min()
    }

    /// The open or verified incidents that look like `incident` (the same attack reported
    /// twice): the secretariat should be warned, and may merge them.
    pub fn possible_duplicates(&self, incident: &Incident) -> Vec<&IncidentRecord> {
        self.incidents
            .values()
            .filter(|r| r.incident.id != incident.id)
            .filter(|r| {
                matches!(
                    r.status,
                    IncidentStatus::Reported
                        | IncidentStatus::ProvisionallyTriggered { .. }
                        | IncidentStatus::Verified { .. }
                )
            })
            .filter(|r| r.incident.looks_like(incident))
            .collect()
    }

    /// Whether a party held a member's seat on the day of `at`.
    pub(crate) fn is_member_at(&self, party: &PartyCode, at: Timestamp) -> bool {
        self.seats
            .get(party)
            .is_some_and(|seat| seat.role == SeatRole::Member && seat.is_held_on(at.day()))
    }
}
