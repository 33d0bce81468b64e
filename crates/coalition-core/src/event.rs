//! Events: what has happened, in the past tense. The log holds nothing else; every status is
//! derived from them by `apply`.
//!
//! An event's times (`at`, `occurred_at`, `opened_at` …) are when what it records happened (its
//! effective time); when it was recorded is the log's own business (the ledger's envelope). See
//! docs/time.md.
//!
//! Events carry no floating-point numbers and no hash maps, so their canonical bytes are stable.
//! Each event carries the marking it is classified at, so the log can be gated (and verified)
//! event by event without the rest of the state.

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::commitment::{Category, Commitment, Stage};
use crate::communique::Release;
use crate::dates::{Day, Timestamp};
use crate::exercise::Exercise;
use crate::hash::Hash;
use crate::id::PrincipalId;
use crate::id::{CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode};
use crate::incident::{Confirmation, Correction, Incident, VerificationRule};
use crate::instrument::{Instrument, Ratification, TerminationCondition};
use crate::obligation::Obligation;
use crate::party::{Principal, Seat};
use crate::signature::PublicKey;
use crate::statement::{AdoptionRule, Approval, Meeting, Opening, Paragraph, StatementId};
use crate::witness::{PolicyApproval, WitnessPolicy};

/// Something that happened in a coalition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Event {
    /// The coalition was founded. PUBLIC: its first principal, the founding secretariat, is
    /// registered by the `principal_registered` that follows, at its own marking.
    CoalitionFounded {
        /// Its id.
        id: CoalitionId,
        /// Its name.
        name: String,
        /// The state its guarantees protect.
        protected: PartyCode,
        /// How it verifies incidents.
        verification: VerificationRule,
        /// When it was founded.
        at: Timestamp,
        /// For an exercise: what it was forked from (`exercise::fork`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exercise: Option<Exercise>,
    },
    /// A category of support beyond the built-in set was defined.
    CategoryDefined {
        /// The new category.
        category: Category,
        /// What it covers.
        description: String,
    },
    /// A party took a seat.
    SeatGranted {
        /// The seat.
        seat: Seat,
    },
    /// A party's seat ended.
    SeatEnded {
        /// The party.
        party: PartyCode,
        /// Its last day.
        until: Day,
        /// The seat's marking.
        marking: Marking,
    },
    /// A principal was registered.
    PrincipalRegistered {
        /// The principal.
        principal: Principal,
    },
    /// An instrument was recorded.
    InstrumentRecorded {
        /// The instrument.
        instrument: Instrument,
    },
    /// A party signed an instrument.
    InstrumentSigned {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// When.
        at: Timestamp,
        /// The instrument's marking.
        marking: Marking,
    },
    /// A party's ratification (or rejection) was recorded.
    RatificationRecorded {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// Ratified or rejected.
        status: Ratification,
        /// When.
        at: Timestamp,
        /// The instrument's marking.
        marking: Marking,
    },
    /// An instrument's term was extended.
    InstrumentExtended {
        /// The instrument.
        instrument: InstrumentId,
        /// Years added.
        years: u16,
        /// When the extension was agreed.
        at: Timestamp,
        /// The instrument's marking.
        marking: Marking,
    },
    /// An instrument ended because a termination condition was met.
    InstrumentTerminated {
        /// The instrument.
        instrument: InstrumentId,
        /// The condition met.
        condition: TerminationCondition,
        /// When.
        at: Timestamp,
        /// The instrument's marking.
        marking: Marking,
    },
    /// A commitment was recorded.
    CommitmentAdded {
        /// The commitment.
        commitment: Commitment,
        /// When it was made (see `NewCommitment::at`).
        at: Timestamp,
    },
    /// The guarantor withdrew a commitment.
    CommitmentWithdrawn {
        /// The commitment.
        commitment: CommitmentId,
        /// When.
        at: Timestamp,
        /// Why.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
        /// The commitment's marking.
        marking: Marking,
    },
    /// Support under a commitment reached a stage (allocated, delivered).
    SupportRecorded {
        /// The commitment.
        commitment: CommitmentId,
        /// The stage reached.
        stage: Stage,
        /// How many units.
        quantity: u64,
        /// When.
        at: Timestamp,
        /// The commitment's marking.
        marking: Marking,
    },
    /// A ceasefire entered into force.
    CeasefireEntered {
        /// When.
        at: Timestamp,
    },
    /// The ceasefire in force ended.
    CeasefireEnded {
        /// When.
        at: Timestamp,
    },
    /// An incident was reported.
    IncidentReported {
        /// The incident.
        incident: Incident,
        /// Who reported it.
        reported_by: PrincipalId,
        /// When it was reported.
        at: Timestamp,
    },
    /// A principal confirmed an incident towards verification.
    IncidentConfirmed {
        /// The incident.
        incident: IncidentId,
        /// The confirmation.
        confirmation: Confirmation,
        /// The incident's marking.
        marking: Marking,
    },
    /// Consultations were started before attribution was final.
    IncidentProvisionallyTriggered {
        /// The incident.
        incident: IncidentId,
        /// When.
        at: Timestamp,
        /// The incident's marking.
        marking: Marking,
    },
    /// The incident was verified and attributed.
    IncidentVerified {
        /// The incident.
        incident: IncidentId,
        /// When the verification rule was met: the time of the confirmation that completed it.
        at: Timestamp,
        /// The incident's marking.
        marking: Marking,
    },
    /// The incident was rejected.
    IncidentRejected {
        /// The incident.
        incident: IncidentId,
        /// When.
        at: Timestamp,
        /// Why.
        reason: String,
        /// The incident's marking.
        marking: Marking,
    },
    /// An activated commitment produced an obligation.
    ObligationOpened {
        /// The obligation.
        obligation: Obligation,
    },
    /// The protected state asked a guarantor for consultations.
    ConsultationsRequested {
        /// The protected state.
        by: PartyCode,
        /// The guarantor asked.
        with: PartyCode,
        /// When.
        at: Timestamp,
        /// The request's marking.
        marking: Marking,
    },
    /// An obligation was fulfilled.
    ObligationFulfilled {
        /// The obligation.
        obligation: ObligationId,
        /// When.
        at: Timestamp,
        /// The guarantor's report.
        report: String,
        /// Whether it was past its deadline.
        late: bool,
        /// The obligation's marking.
        marking: Marking,
    },
    /// The protected state waived an obligation.
    ObligationWaived {
        /// The obligation.
        obligation: ObligationId,
        /// When.
        at: Timestamp,
        /// Why.
        note: String,
        /// The obligation's marking.
        marking: Marking,
    },
    /// An obligation was disputed.
    ObligationDisputed {
        /// The obligation.
        obligation: ObligationId,
        /// When.
        at: Timestamp,
        /// Why.
        reason: String,
        /// The obligation's marking.
        marking: Marking,
    },
    /// An obligation was cancelled: its incident was rejected after a provisional trigger,
    /// merged into another as a duplicate, or corrected so that its commitment no longer answers.
    ObligationCancelled {
        /// The obligation.
        obligation: ObligationId,
        /// When.
        at: Timestamp,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The obligation's marking.
        marking: Marking,
    },
    /// A principal's signing key was registered (first key or rotation). Signatures made
    /// before stay valid for what they signed.
    KeyRegistered {
        /// The principal.
        principal: PrincipalId,
        /// The new key.
        key: PublicKey,
    },
    /// A principal was given an API bearer token: who was given access, and when, is part of
    /// the record. Classified at the principal's own marking: whoever may not know the
    /// principal does not learn of its tokens.
    TokenIssued {
        /// The token's id.
        token: String,
        /// The principal it acts and reads as.
        principal: PrincipalId,
        /// What the issuer called it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        label: String,
        /// When it stops being accepted, if ever.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<Timestamp>,
        /// SHA-256 of the token's text (never the text).
        sha256: Hash,
        /// The principal's marking.
        marking: Marking,
    },
    /// A token was revoked: refused from then on.
    TokenRevoked {
        /// The token's id.
        token: String,
        /// The principal it was issued to.
        principal: PrincipalId,
        /// The principal's marking.
        marking: Marking,
    },
    /// The key that signs the coalition's checkpoints was registered (or rotated).
    LogKeyRegistered {
        /// The checkpoint signer's name (the checkpoint origin).
        name: String,
        /// Its key.
        key: PublicKey,
    },
    /// A witness policy came into force (PUBLIC): the first by the secretariat, a change with the
    /// approvals the policy before it required (see `witness`).
    WitnessPolicySet {
        /// Its number: 1 for the first, then 2, 3 …
        version: u32,
        /// The policy.
        policy: WitnessPolicy,
        /// The leaders' approvals that carried the change (none for the first).
        approvals: Vec<PolicyApproval>,
    },
    /// A statement was drafted (PUBLIC); its first version follows as `version_tabled`.
    StatementDrafted {
        /// The statement.
        statement: StatementId,
        /// Its title.
        title: String,
        /// The parties whose leaders must approve.
        signatories: Vec<PartyCode>,
        /// How it is adopted.
        rule: AdoptionRule,
        /// When.
        at: Timestamp,
    },
    /// A version was tabled (PUBLIC): its number and its commitments; each paragraph follows
    /// as a `paragraph_tabled` at the paragraph's own marking.
    VersionTabled {
        /// The statement.
        statement: StatementId,
        /// The version's number.
        version: u32,
        /// Its leaf commitments, sorted (paragraphs' and padding, a power of two).
        leaves: Vec<Hash>,
        /// Their content hash, which leaders sign.
        content: Hash,
        /// When.
        at: Timestamp,
    },
    /// One paragraph of a version, with what opens its leaf.
    ParagraphTabled {
        /// The statement.
        statement: StatementId,
        /// The version's number.
        version: u32,
        /// The paragraph.
        paragraph: Paragraph,
        /// Its salt and order key.
        opening: Opening,
    },
    /// A leader approved one exact version, with a signature.
    VersionApproved {
        /// The statement.
        statement: StatementId,
        /// The approval.
        approval: Approval,
    },
    /// A leader withdrew an approval before adoption.
    ApprovalWithdrawn {
        /// The statement.
        statement: StatementId,
        /// The party.
        party: PartyCode,
        /// The version that was approved.
        version: u32,
        /// When.
        at: Timestamp,
    },
    /// A required signatory objected under the silence procedure.
    ObjectionRaised {
        /// The statement.
        statement: StatementId,
        /// The party.
        party: PartyCode,
        /// When.
        at: Timestamp,
    },
    /// The adoption rule held: the statement is adopted and immutable.
    StatementAdopted {
        /// The statement.
        statement: StatementId,
        /// The version adopted.
        version: u32,
        /// When: the time of the approval that completed the rule, or a silence procedure's
        /// deadline.
        at: Timestamp,
    },
    /// A meeting was recorded.
    MeetingRecorded {
        /// The meeting.
        meeting: Meeting,
    },
    /// A report was recorded as a duplicate of another: its confirmations count towards the
    /// original's, its pending obligations are cancelled.
    IncidentMerged {
        /// The duplicate.
        duplicate: IncidentId,
        /// The original.
        into: IncidentId,
        /// When.
        at: Timestamp,
        /// The duplicate's confirmations carried to the original (by principals who had not
        /// confirmed it).
        confirmations: Vec<Confirmation>,
        /// Both incidents' markings joined.
        marking: Marking,
    },
    /// A principal confirmed a correction of a verified incident, under the verification rule.
    CorrectionConfirmed {
        /// The incident.
        incident: IncidentId,
        /// The correction.
        correction: Correction,
        /// The confirmation.
        confirmation: Confirmation,
        /// The incident's marking.
        marking: Marking,
    },
    /// The verification rule carried a correction: the incident's attribution or time changed,
    /// deadlines are recomputed, obligations that no longer answer are cancelled and new ones
    /// opened.
    IncidentCorrected {
        /// The incident.
        incident: IncidentId,
        /// The correction.
        correction: Correction,
        /// When the rule was met for it.
        at: Timestamp,
        /// The incident's marking.
        marking: Marking,
    },
    /// The exercise director set an exercise's simulated clock.
    ExerciseClockSet {
        /// The simulated time from now on.
        at: Timestamp,
    },
    /// The exercise ended: its log accepts nothing more.
    ExerciseEnded {
        /// The simulated time it ended at.
        at: Timestamp,
    },
    /// An authorised principal released an aggregate's value to the public (a trusted downgrade).
    AggregateReleased {
        /// The release.
        release: Release,
        /// When.
        at: Timestamp,
    },
}

/// When an event holds in the world: the "as the world stood at T" axis (docs/time.md). The
/// other axis, when it was recorded, is the log's (the envelope's `recorded_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// From this instant: when what it records happened.
    At(Timestamp),
    /// From when it was recorded: a registration that states no time of its own (a signing key).
    WhenRecorded,
    /// For as long as the coalition exists: a record whose own fields say when it applies (a
    /// seat's days, a principal, a category, an instrument's text, whose signatures and
    /// ratifications are dated facts of their own).
    Standing,
}

impl Event {
    /// When the event holds in the world.
    pub fn effect(&self) -> Effect {
        match self {
            Event::CategoryDefined { .. }
            | Event::SeatGranted { .. }
            | Event::SeatEnded { .. }
            | Event::PrincipalRegistered { .. }
            | Event::InstrumentRecorded { .. }
            // A paragraph belongs to its version, which carries the time.
            | Event::ParagraphTabled { .. } => Effect::Standing,
            Event::KeyRegistered { .. }
            | Event::LogKeyRegistered { .. }
            | Event::TokenIssued { .. }
            | Event::TokenRevoked { .. }
            | Event::WitnessPolicySet { .. } => Effect::WhenRecorded,
            Event::IncidentConfirmed { confirmation, .. } => Effect::At(confirmation.at),
            Event::ObligationOpened { obligation } => Effect::At(obligation.opened_at),
            Event::VersionApproved { approval, .. } => Effect::At(approval.at),
            Event::MeetingRecorded { meeting } => Effect::At(meeting.day.start()),
            Event::CoalitionFounded { at, .. }
            | Event::InstrumentSigned { at, .. }
            | Event::RatificationRecorded { at, .. }
            | Event::InstrumentExtended { at, .. }
            | Event::InstrumentTerminated { at, .. }
            | Event::CommitmentAdded { at, .. }
            | Event::CommitmentWithdrawn { at, .. }
            | Event::SupportRecorded { at, .. }
            | Event::CeasefireEntered { at }
            | Event::CeasefireEnded { at }
            | Event::IncidentReported { at, .. }
            | Event::IncidentProvisionallyTriggered { at, .. }
            | Event::IncidentVerified { at, .. }
            | Event::IncidentRejected { at, .. }
            | Event::ConsultationsRequested { at, .. }
            | Event::ObligationFulfilled { at, .. }
            | Event::ObligationWaived { at, .. }
            | Event::ObligationDisputed { at, .. }
            | Event::ObligationCancelled { at, .. }
            | Event::StatementDrafted { at, .. }
            | Event::VersionTabled { at, .. }
            | Event::ApprovalWithdrawn { at, .. }
            | Event::ObjectionRaised { at, .. }
            | Event::StatementAdopted { at, .. }
            | Event::AggregateReleased { at, .. }
            | Event::ExerciseClockSet { at }
            | Event::ExerciseEnded { at }
            | Event::IncidentMerged { at, .. }
            | Event::IncidentCorrected { at, .. } => Effect::At(*at),
            Event::CorrectionConfirmed { confirmation, .. } => Effect::At(confirmation.at),
        }
    }

    /// Whether the event holds in the world at `at`, given when it was recorded (a standing
    /// record always does, once the coalition exists: see `State::world_at`).
    pub fn holds_at(&self, recorded_at: Timestamp, at: Timestamp) -> bool {
        match self.effect() {
            Effect::At(effective) => effective <= at,
            Effect::WhenRecorded => recorded_at <= at,
            Effect::Standing => true,
        }
    }

    /// The event's kind, as stored in the log (`commitment_added`).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::CoalitionFounded { .. } => "coalition_founded",
            Event::CategoryDefined { .. } => "category_defined",
            Event::SeatGranted { .. } => "seat_granted",
            Event::SeatEnded { .. } => "seat_ended",
            Event::PrincipalRegistered { .. } => "principal_registered",
            Event::InstrumentRecorded { .. } => "instrument_recorded",
            Event::InstrumentSigned { .. } => "instrument_signed",
            Event::RatificationRecorded { .. } => "ratification_recorded",
            Event::InstrumentExtended { .. } => "instrument_extended",
            Event::InstrumentTerminated { .. } => "instrument_terminated",
            Event::CommitmentAdded { .. } => "commitment_added",
            Event::CommitmentWithdrawn { .. } => "commitment_withdrawn",
            Event::SupportRecorded { .. } => "support_recorded",
            Event::CeasefireEntered { .. } => "ceasefire_entered",
            Event::CeasefireEnded { .. } => "ceasefire_ended",
            Event::IncidentReported { .. } => "incident_reported",
            Event::IncidentConfirmed { .. } => "incident_confirmed",
            Event::IncidentProvisionallyTriggered { .. } => "incident_provisionally_triggered",
            Event::IncidentVerified { .. } => "incident_verified",
            Event::IncidentRejected { .. } => "incident_rejected",
            Event::ObligationOpened { .. } => "obligation_opened",
            Event::ConsultationsRequested { .. } => "consultations_requested",
            Event::ObligationFulfilled { .. } => "obligation_fulfilled",
            Event::ObligationWaived { .. } => "obligation_waived",
            Event::ObligationDisputed { .. } => "obligation_disputed",
            Event::ObligationCancelled { .. } => "obligation_cancelled",
            Event::KeyRegistered { .. } => "key_registered",
            Event::LogKeyRegistered { .. } => "log_key_registered",
            Event::TokenIssued { .. } => "token_issued",
            Event::TokenRevoked { .. } => "token_revoked",
            Event::WitnessPolicySet { .. } => "witness_policy_set",
            Event::StatementDrafted { .. } => "statement_drafted",
            Event::VersionTabled { .. } => "version_tabled",
            Event::ParagraphTabled { .. } => "paragraph_tabled",
            Event::VersionApproved { .. } => "version_approved",
            Event::ApprovalWithdrawn { .. } => "approval_withdrawn",
            Event::ObjectionRaised { .. } => "objection_raised",
            Event::StatementAdopted { .. } => "statement_adopted",
            Event::MeetingRecorded { .. } => "meeting_recorded",
            Event::AggregateReleased { .. } => "aggregate_released",
            Event::IncidentMerged { .. } => "incident_merged",
            Event::CorrectionConfirmed { .. } => "correction_confirmed",
            Event::IncidentCorrected { .. } => "incident_corrected",
            Event::ExerciseClockSet { .. } => "exercise_clock_set",
            Event::ExerciseEnded { .. } => "exercise_ended",
        }
    }

    /// The marking the event is classified at.
    pub fn marking(&self) -> Marking {
        match self {
            Event::CoalitionFounded { .. }
            | Event::CategoryDefined { .. }
            | Event::CeasefireEntered { .. }
            | Event::CeasefireEnded { .. }
            | Event::KeyRegistered { .. }
            | Event::LogKeyRegistered { .. }
            | Event::WitnessPolicySet { .. }
            | Event::StatementDrafted { .. }
            | Event::VersionTabled { .. }
            | Event::VersionApproved { .. }
            | Event::ApprovalWithdrawn { .. }
            | Event::ObjectionRaised { .. }
            | Event::StatementAdopted { .. }
            | Event::AggregateReleased { .. }
            | Event::ExerciseClockSet { .. }
            | Event::ExerciseEnded { .. } => Marking::public(),
            // Each paragraph is its own event at its own marking (docs/threat-model.md).
            Event::ParagraphTabled { paragraph, .. } => paragraph.marking.clone(),
            Event::MeetingRecorded { meeting } => meeting.marking.clone(),
            Event::SeatGranted { seat } => seat.marking(),
            Event::PrincipalRegistered { principal } => principal.marking.clone(),
            Event::InstrumentRecorded { instrument } => instrument.marking.clone(),
            Event::CommitmentAdded { commitment, .. } => commitment.marking.clone(),
            Event::IncidentReported { incident, .. } => incident.marking.clone(),
            Event::ObligationOpened { obligation } => obligation.marking.clone(),
            Event::SeatEnded { marking, .. }
            | Event::InstrumentSigned { marking, .. }
            | Event::RatificationRecorded { marking, .. }
            | Event::InstrumentExtended { marking, .. }
            | Event::InstrumentTerminated { marking, .. }
            | Event::CommitmentWithdrawn { marking, .. }
            | Event::SupportRecorded { marking, .. }
            | Event::IncidentConfirmed { marking, .. }
            | Event::IncidentProvisionallyTriggered { marking, .. }
            | Event::IncidentVerified { marking, .. }
            | Event::IncidentRejected { marking, .. }
            | Event::ConsultationsRequested { marking, .. }
            | Event::ObligationFulfilled { marking, .. }
            | Event::ObligationWaived { marking, .. }
            | Event::ObligationDisputed { marking, .. }
            | Event::ObligationCancelled { marking, .. }
            | Event::IncidentMerged { marking, .. }
            | Event::CorrectionConfirmed { marking, .. }
            | Event::IncidentCorrected { marking, .. }
            | Event::TokenIssued { marking, .. }
            | Event::TokenRevoked { marking, .. } => marking.clone(),
        }
    }
}
