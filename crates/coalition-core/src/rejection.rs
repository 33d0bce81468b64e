//! Why a command was refused. A rejection is an answer, not a failure: nothing is written, and
//! the caller learns which rule said no.

use crate::classification::Level;
use crate::commitment::Category;
use crate::dates::{Day, Timestamp};
use crate::id::{
    CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use crate::party::SeatRole;
use crate::statement::{MeetingId, StatementId};

/// A rule that refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The coalition has not been founded.
    #[error("coalition has not been founded")]
    NotFounded,
    /// The coalition already exists.
    #[error("coalition {0} already exists")]
    AlreadyFounded(CoalitionId),
    /// The founder must be a secretariat principal acting as itself.
    #[error("a coalition is founded by its secretariat acting as itself: {0}")]
    BadFounder(String),
    /// The acting principal is not registered.
    #[error("unknown principal {0}")]
    UnknownPrincipal(PrincipalId),
    /// The acting principal may not do this.
    #[error("{actor} may not {action}: {why}")]
    NotAuthorised {
        /// Who tried.
        actor: PrincipalId,
        /// What.
        action: &'static str,
        /// The rule.
        why: String,
    },
    /// An id is already taken.
    #[error("{noun} {id} already exists")]
    DuplicateId {
        /// What kind of thing.
        noun: &'static str,
        /// The id.
        id: String,
    },
    /// A party has no seat in the coalition.
    #[error("{0} has no seat in this coalition")]
    NoSeat(PartyCode),
    /// A party has the wrong kind of seat.
    #[error("{party} is {actual} in this coalition, expected {expected}")]
    WrongSeat {
        /// The party.
        party: PartyCode,
        /// Its seat.
        actual: SeatRole,
        /// What was needed.
        expected: &'static str,
    },
    /// An instrument is not recorded.
    #[error("unknown instrument {0}")]
    UnknownInstrument(InstrumentId),
    /// A party is not party to an instrument.
    #[error("{party} is not a party to instrument {instrument}")]
    NotAParty {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
    },
    /// A commitment is not recorded.
    #[error("unknown commitment {0}")]
    UnknownCommitment(CommitmentId),
    /// An incident is not recorded.
    #[error("unknown incident {0}")]
    UnknownIncident(IncidentId),
    /// An obligation is not recorded.
    #[error("unknown obligation {0}")]
    UnknownObligation(ObligationId),
    /// A category is neither built in nor defined by the coalition.
    #[error("unknown category {category}: expected one of {choices}")]
    UnknownCategory {
        /// The category given.
        category: Category,
        /// The accepted categories.
        choices: String,
    },
    /// A validity ends before it starts.
    #[error("until ({until}) is before from ({from})")]
    UntilBeforeFrom {
        /// The first day.
        from: Day,
        /// The last day.
        until: Day,
    },
    /// A field is missing or out of range.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What was expected.
        problem: String,
    },
    /// The thing is in a state that does not allow the command.
    #[error("{what} is {state}; {why}")]
    WrongState {
        /// The thing.
        what: String,
        /// Its state.
        state: String,
        /// Why that matters.
        why: &'static str,
    },
    /// A statement is not recorded.
    #[error("unknown statement {0}")]
    UnknownStatement(StatementId),
    /// A version does not exist.
    #[error("statement {statement} has no version {version} (latest is {latest})")]
    UnknownVersion {
        /// The statement.
        statement: StatementId,
        /// The version asked for.
        version: u32,
        /// The latest version.
        latest: u32,
    },
    /// An approval of a version that is no longer current.
    #[error("approval is for version {approved} of {statement}, current is {current}")]
    StaleVersion {
        /// The statement.
        statement: StatementId,
        /// The version approved.
        approved: u32,
        /// The current version.
        current: u32,
    },
    /// The party is not among the statement's required signatories.
    #[error("{party} is not a required signatory of {statement}")]
    NotASignatory {
        /// The statement.
        statement: StatementId,
        /// The party.
        party: PartyCode,
    },
    /// An adopted statement cannot change.
    #[error("statement {0} is adopted and can no longer change")]
    Adopted(StatementId),
    /// The principal has no registered key.
    #[error("{0} has no registered signing key")]
    NoKey(PrincipalId),
    /// The signature does not verify.
    #[error(
        "the signature does not verify against {principal}'s registered key for version {version} of {statement} in this coalition"
    )]
    BadSignature {
        /// Who claimed to sign.
        principal: PrincipalId,
        /// The statement.
        statement: StatementId,
        /// The version.
        version: u32,
    },
    /// A meeting is not recorded.
    #[error("unknown meeting {0}")]
    UnknownMeeting(MeetingId),
    /// A stated time precedes a fact it depends on (or the earliest time the record accepts).
    #[error("{fact} at {at} is before {earlier} at {since}")]
    Chronology {
        /// The fact stated.
        fact: String,
        /// Its stated time.
        at: Timestamp,
        /// The fact it cannot precede.
        earlier: String,
        /// When that happened.
        since: Timestamp,
    },
    /// A principal's clearance is below what it must hold.
    #[error("{principal} is cleared to {clearance}, below {needed}")]
    Clearance {
        /// The principal.
        principal: PrincipalId,
        /// Its clearance.
        clearance: Level,
        /// The level needed.
        needed: Level,
    },
}

impl Rejection {
    /// A stable code for scripts and the API (`commitment.unknown`).
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NotFounded => "coalition.not_founded",
            Rejection::AlreadyFounded(_) => "coalition.exists",
            Rejection::BadFounder(_) => "coalition.bad_founder",
            Rejection::UnknownPrincipal(_) => "principal.unknown",
            Rejection::NotAuthorised { .. } => "principal.not_authorised",
            Rejection::DuplicateId { .. } => "id.duplicate",
            Rejection::NoSeat(_) => "party.no_seat",
            Rejection::WrongSeat { .. } => "party.wrong_seat",
            Rejection::UnknownInstrument(_) => "instrument.unknown",
            Rejection::NotAParty { .. } => "instrument.not_a_party",
            Rejection::UnknownCommitment(_) => "commitment.unknown",
            Rejection::UnknownIncident(_) => "incident.unknown",
            Rejection::UnknownObligation(_) => "obligation.unknown",
            Rejection::UnknownCategory { .. } => "category.unknown",
            Rejection::UntilBeforeFrom { .. } => "validity.until_before_from",
            Rejection::Invalid { .. } => "input.invalid",
            Rejection::Chronology { .. } => "time.before_dependency",
            Rejection::WrongState { .. } => "state.conflict",
            Rejection::Clearance { .. } => "principal.clearance",
            Rejection::UnknownStatement(_) => "statement.unknown",
            Rejection::UnknownVersion { .. } => "statement.unknown_version",
            Rejection::StaleVersion { .. } => "statement.stale_version",
            Rejection::NotASignatory { .. } => "statement.not_a_signatory",
            Rejection::Adopted(_) => "statement.adopted",
            Rejection::NoKey(_) => "principal.no_key",
            Rejection::BadSignature { .. } => "statement.bad_signature",
            Rejection::UnknownMeeting(_) => "meeting.unknown",
        }
    }
}
