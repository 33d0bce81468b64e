//! Commands: what a principal asks the coalition to record, in the imperative. `decide` turns a
//! command into events or a rejection; a rejected command records nothing.

use crate::classification::Marking;
use crate::commitment::{Category, Commitment, Stage};
use crate::communique::Aggregate;
use crate::dates::{Day, Timestamp};
use crate::hash::Hash;
use crate::id::{
    CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use crate::incident::{Correction, Incident, VerificationRule};
use crate::instrument::{Instrument, Ratification, TerminationCondition};
use crate::party::{Principal, Seat};
use crate::signature::{PublicKey, SignatureBytes};
use crate::statement::{AdoptionRule, Meeting, MeetingId, Paragraph, Seed, StatementId};
use crate::witness::{PolicyApproval, WitnessPolicy};

/// Everything `decide` may know about the world besides the state: the clock and the actor.
///
/// `now` is the recording time. What a command records happened at the time it states (its `at`,
/// which defaults to `now`): see docs/time.md for the two axes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The time the command is recorded at.
    pub now: Timestamp,
    /// The principal acting.
    pub actor: PrincipalId,
}

/// A command to the coalition's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Found a coalition; the actor must be the founding secretariat given here.
    FoundCoalition {
        /// Its id.
        id: CoalitionId,
        /// Its name.
        name: String,
        /// The state its guarantees protect.
        protected: PartyCode,
        /// How it verifies incidents.
        verification: VerificationRule,
        /// The founding secretariat (its id must be the actor's).
        founder: Principal,
        /// When it was founded (defaults to now).
        at: Option<Timestamp>,
    },
    /// Define a category of support beyond the built-in set.
    DefineCategory {
        /// The category.
        category: Category,
        /// What it covers.
        description: String,
    },
    /// Give a party a seat.
    GrantSeat(Seat),
    /// End a party's seat.
    EndSeat {
        /// The party.
        party: PartyCode,
        /// Its last day.
        until: Day,
    },
    /// Register a principal.
    RegisterPrincipal(Principal),
    /// Record an instrument.
    RecordInstrument(Instrument),
    /// Record a party's signature of an instrument.
    SignInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// When it signed.
        at: Timestamp,
    },
    /// Record a party's ratification or rejection.
    RecordRatification {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// Ratified or rejected.
        status: Ratification,
        /// When.
        at: Timestamp,
    },
    /// Extend an instrument's term.
    ExtendInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// Years to add.
        years: u16,
        /// When the extension was agreed (defaults to now).
        at: Option<Timestamp>,
    },
    /// Record that a termination condition was met.
    TerminateInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// The condition met.
        condition: TerminationCondition,
        /// When.
        at: Timestamp,
    },
    /// Record a commitment. Without an id, one is derived from its content (`C-` and eight
    /// base32 characters).
    AddCommitment(NewCommitment),
    /// Withdraw a commitment.
    WithdrawCommitment {
        /// The commitment.
        commitment: CommitmentId,
        /// Why it is withdrawn (required: the record says why a promise ended).
        reason: String,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Record support reaching a stage.
    RecordSupport {
        /// The commitment.
        commitment: CommitmentId,
        /// The stage.
        stage: Stage,
        /// How many units.
        quantity: u64,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Record that a ceasefire entered into force.
    DeclareCeasefire {
        /// When it entered into force.
        in_force_from: Timestamp,
    },
    /// Record that the ceasefire ended.
    EndCeasefire {
        /// When.
        at: Timestamp,
    },
    /// Report an incident. Without an id, one is derived from its content (`INC-` and eight
    /// base32 characters).
    ReportIncident(NewIncident),
    /// Confirm an incident towards verification.
    ConfirmIncident {
        /// The incident.
        incident: IncidentId,
        /// When the confirmation was given (defaults to now); the verification it completes
        /// takes effect then.
        at: Option<Timestamp>,
    },
    /// Start consultations before attribution is final.
    TriggerProvisionally {
        /// The incident.
        incident: IncidentId,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Reject an incident.
    RejectIncident {
        /// The incident.
        incident: IncidentId,
        /// Why.
        reason: String,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Record that a report duplicates another (the secretariat): its confirmations count
    /// towards the original's, its obligations are cancelled with the reason.
    MergeIncident {
        /// The duplicate.
        duplicate: IncidentId,
        /// The original.
        into: IncidentId,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Confirm a correction of a verified incident's attribution or time. It is made once the
    /// confirmations of the same correction meet the rule that verified the incident.
    CorrectIncident {
        /// The incident.
        incident: IncidentId,
        /// The correction.
        correction: Correction,
        /// When the confirmation was given (defaults to now).
        at: Option<Timestamp>,
    },
    /// The protected state asks guarantors for consultations.
    RequestConsultations {
        /// The protected state.
        by: PartyCode,
        /// The guarantors asked.
        with: Vec<PartyCode>,
        /// When.
        at: Timestamp,
        /// The request's marking.
        marking: Marking,
    },
    /// Report an obligation fulfilled.
    FulfilObligation {
        /// The obligation.
        obligation: ObligationId,
        /// When (defaults to now).
        at: Option<Timestamp>,
        /// The report.
        report: String,
    },
    /// Waive an obligation (the protected state only).
    WaiveObligation {
        /// The obligation.
        obligation: ObligationId,
        /// When (defaults to now).
        at: Option<Timestamp>,
        /// Why.
        note: String,
    },
    /// Dispute an obligation.
    DisputeObligation {
        /// The obligation.
        obligation: ObligationId,
        /// When (defaults to now).
        at: Option<Timestamp>,
        /// Why.
        reason: String,
    },
    /// Register a principal's signing key (its first, or a rotation; the secretariat).
    RegisterKey {
        /// The principal.
        principal: PrincipalId,
        /// The key.
        key: PublicKey,
    },
    /// Record that the custodian gave `principal` an API bearer token (the secretariat). The
    /// secret is never part of a command; its SHA-256 is, so that the record names the exact
    /// credential that was given.
    IssueToken {
        /// The token's id (`TOK-` and 8 hex digits).
        token: String,
        /// The principal it acts and reads as.
        principal: PrincipalId,
        /// What the issuer called it.
        label: String,
        /// When it stops being accepted, if ever.
        expires_at: Option<Timestamp>,
        /// SHA-256 of the token's text.
        sha256: Hash,
    },
    /// Record that a token was revoked (the secretariat).
    RevokeToken {
        /// The token's id.
        token: String,
    },
    /// Register the key that signs the coalition's checkpoints (the secretariat).
    RegisterLogKey {
        /// The signer's name (the checkpoint origin).
        name: String,
        /// The key.
        key: PublicKey,
    },
    /// Put a witness policy in force: the first by the secretariat; a change with approvals by
    /// leaders of a quorum of the parties that witness under the policy in force.
    SetWitnessPolicy {
        /// The new policy.
        policy: WitnessPolicy,
        /// Approvals of it (signatures over `witness::policy_message`).
        approvals: Vec<PolicyApproval>,
    },
    /// Table a statement's first version.
    DraftStatement {
        /// Its id.
        statement: StatementId,
        /// Its title.
        title: String,
        /// The parties whose leaders must approve.
        signatories: Vec<PartyCode>,
        /// How it is adopted.
        rule: AdoptionRule,
        /// Version 1.
        paragraphs: Vec<Paragraph>,
        /// The randomness its leaf commitments need (drawn by the caller).
        seed: Seed,
        /// When it was tabled (defaults to now).
        at: Option<Timestamp>,
    },
    /// Table a new version.
    ReviseStatement {
        /// The statement.
        statement: StatementId,
        /// The new version's paragraphs.
        paragraphs: Vec<Paragraph>,
        /// The randomness its leaf commitments need (drawn by the caller).
        seed: Seed,
        /// When it was tabled (defaults to now).
        at: Option<Timestamp>,
    },
    /// Approve one exact version with a signature made by the actor's own key.
    ApproveVersion {
        /// The statement.
        statement: StatementId,
        /// The version approved.
        version: u32,
        /// The signature over the approval message.
        signature: SignatureBytes,
        /// The meeting where it was given, if any.
        meeting: Option<MeetingId>,
        /// When it was given (defaults to now); an adoption it completes takes effect then.
        at: Option<Timestamp>,
    },
    /// Withdraw the actor's party's approval before adoption.
    WithdrawApproval {
        /// The statement.
        statement: StatementId,
        /// When (defaults to now).
        at: Option<Timestamp>,
    },
    /// Object under the silence procedure.
    ObjectToStatement {
        /// The statement.
        statement: StatementId,
        /// When (defaults to now); it counts if it is before the deadline.
        at: Option<Timestamp>,
    },
    /// Close a silence procedure whose deadline has passed.
    ConcludeSilence {
        /// The statement.
        statement: StatementId,
    },
    /// Record a meeting.
    RecordMeeting(Meeting),
    /// Set an exercise's simulated clock (the exercise director, its secretariat); it never runs
    /// back.
    SetExerciseClock {
        /// The simulated time from now on.
        at: Timestamp,
    },
    /// End an exercise: its log accepts nothing more.
    EndExercise,
    /// Release an aggregate's current value to the public.
    ReleaseAggregate {
        /// What to release.
        aggregate: Aggregate,
    },
}

/// A commitment to record; the id may be left for `decide` to assign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCommitment {
    /// The id chosen by hand: only a scenario imported into a new coalition gives one (nothing
    /// hidden can exist there to collide with); every other write leaves it to the record.
    pub id: Option<CommitmentId>,
    /// The rest of the commitment (its `id` field is ignored when `id` above is `None`).
    pub commitment: Commitment,
    /// When it was made. Without one: when its guarantor signed its instrument, if recorded, or
    /// a unilateral pledge's first day if that has come; otherwise now.
    pub at: Option<Timestamp>,
}

/// An incident to record; the id may be left for `decide` to assign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIncident {
    /// The id chosen by hand: only a scenario imported into a new coalition gives one (nothing
    /// hidden can exist there to collide with); every other write leaves it to the record.
    pub id: Option<IncidentId>,
    /// The rest of the incident (its `id` field is ignored when `id` above is `None`).
    pub incident: Incident,
    /// When it was reported (defaults to now); not before it occurred.
    pub at: Option<Timestamp>,
}

impl Command {
    /// The times the command says things happened at, when the user states them: such a time
    /// may not lie in the future, or the record would hold facts nobody has seen yet.
    pub fn stated_times(&self) -> Vec<Timestamp> {
        match self {
            Command::SignInstrument { at, .. }
            | Command::RecordRatification { at, .. }
            | Command::TerminateInstrument { at, .. }
            | Command::EndCeasefire { at }
            | Command::RequestConsultations { at, .. } => vec![*at],
            Command::DeclareCeasefire { in_force_from } => vec![*in_force_from],
            Command::ReportIncident(new) => std::iter::once(new.incident.occurred_at)
                .chain(new.at)
                .collect(),
            Command::FoundCoalition { at, .. }
            | Command::ExtendInstrument { at, .. }
            | Command::AddCommitment(NewCommitment { at, .. })
            | Command::WithdrawCommitment { at, .. }
            | Command::RecordSupport { at, .. }
            | Command::ConfirmIncident { at, .. }
            | Command::TriggerProvisionally { at, .. }
            | Command::RejectIncident { at, .. }
            | Command::FulfilObligation { at, .. }
            | Command::WaiveObligation { at, .. }
            | Command::DisputeObligation { at, .. }
            | Command::DraftStatement { at, .. }
            | Command::ReviseStatement { at, .. }
            | Command::ApproveVersion { at, .. }
            | Command::WithdrawApproval { at, .. }
            | Command::ObjectToStatement { at, .. }
            | Command::MergeIncident { at, .. } => at.iter().copied().collect(),
            Command::CorrectIncident { at, correction, .. } => {
                at.iter().chain(&correction.occurred_at).copied().collect()
            }
            Command::DefineCategory { .. }
            | Command::GrantSeat(_)
            | Command::EndSeat { .. }
            | Command::RegisterPrincipal(_)
            | Command::RecordInstrument(_)
            | Command::RegisterKey { .. }
            | Command::RegisterLogKey { .. }
            | Command::IssueToken { .. }
            | Command::RevokeToken { .. }
            | Command::SetWitnessPolicy { .. }
            | Command::ConcludeSilence { .. }
            | Command::RecordMeeting(_)
            | Command::ReleaseAggregate { .. }
            | Command::SetExerciseClock { .. }
            | Command::EndExercise => Vec::new(),
        }
    }
}
