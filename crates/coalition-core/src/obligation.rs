//! Obligations: the dated duties an activated commitment produces, and their fulfilment.
//!
//! Overdue is never stored: it is derived from a given `now` and the due time. An obligation with
//! no stated response time has no deadline and is never overdue.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::commitment::{ClockStart, ResponseKind};
use crate::dates::{Span, Timestamp};
use crate::id::{CommitmentId, IncidentId, ObligationId, PartyCode};

/// A duty owed by a guarantor because an incident activated one of its commitments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// Its id.
    pub id: ObligationId,
    /// The commitment that produced it.
    pub commitment: CommitmentId,
    /// The incident that activated the commitment.
    pub incident: IncidentId,
    /// Which of the commitment's responses it is (0-based).
    pub response_index: usize,
    /// Who owes it.
    pub guarantor: PartyCode,
    /// To whom.
    pub protected: PartyCode,
    /// What is owed.
    pub kind: ResponseKind,
    /// Within how long, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Span>,
    /// Where its clock starts.
    pub clock: ClockStart,
    /// When the clock started; `None` while a request-started clock waits for the request. A
    /// request clock is derived from the requests the state holds (the first since the
    /// incident), so a request entered later but dated earlier moves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_started_at: Option<Timestamp>,
    /// When it was opened: when the incident was verified (or provisionally triggered, merged
    /// into, corrected).
    pub opened_at: Timestamp,
    /// Whether it was opened by a provisional trigger, before attribution was final.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Its marking: the commitment's joined with the incident's.
    pub marking: Marking,
}

/// When an obligation falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "deadline", content = "at")]
pub enum Deadline {
    /// Due at this instant.
    Due(Timestamp),
    /// The response time runs from a request that has not been made.
    AwaitingRequest,
    /// No response time stated ("swiftly"): never overdue.
    NoDeadline,
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Due(at) => write!(f, "{at}"),
            Deadline::AwaitingRequest => f.write_str("awaiting request"),
            Deadline::NoDeadline => f.write_str("no deadline"),
        }
    }
}

impl Obligation {
    /// When it falls due.
    pub fn deadline(&self) -> Deadline {
        match (self.within, self.clock_started_at) {
            (None, _) => Deadline::NoDeadline,
            (Some(_), None) => Deadline::AwaitingRequest,
            (Some(within), Some(start)) => Deadline::Due(start.plus(within)),
        }
    }
}

/// How an obligation was closed, or that it is still open. Stored from events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Settlement {
    /// Not yet closed.
    Open,
    /// Fulfilled by the deadline (or with no deadline).
    Fulfilled {
        /// When.
        at: Timestamp,
        /// The guarantor's report.
        report: String,
    },
    /// Fulfilled after the deadline as it stood when the fulfilment was recorded. The status
    /// judges lateness again against the deadline as it now stands.
    FulfilledLate {
        /// When.
        at: Timestamp,
        /// The guarantor's report.
        report: String,
    },
    /// Waived by the protected state.
    Waived {
        /// When.
        at: Timestamp,
        /// Why.
        note: String,
    },
    /// Disputed: the protected state or the guarantor contests it.
    Disputed {
        /// When.
        at: Timestamp,
        /// Why.
        reason: String,
    },
    /// Nothing is owed: the incident was rejected after a provisional trigger, merged into
    /// another as a duplicate, or corrected so that the commitment no longer answers it.
    Cancelled {
        /// When.
        at: Timestamp,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// What a user sees as an obligation's status at a given `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObligationStatus {
    /// Open, not past due.
    Open,
    /// Open and past due.
    Overdue,
    /// Fulfilled in time.
    Fulfilled,
    /// Fulfilled after the deadline.
    FulfilledLate,
    /// Waived by the protected state.
    Waived,
    /// Contested.
    Disputed,
    /// Cancelled because the incident was rejected.
    Cancelled,
}

impl ObligationStatus {
    /// The printed name.
    pub fn name(self) -> &'static str {
        match self {
            ObligationStatus::Open => "open",
            ObligationStatus::Overdue => "overdue",
            ObligationStatus::Fulfilled => "fulfilled",
            ObligationStatus::FulfilledLate => "fulfilled-late",
            ObligationStatus::Waived => "waived",
            ObligationStatus::Disputed => "disputed",
            ObligationStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ObligationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Settlement {
    /// Whether it still awaits fulfilment (open or disputed).
    pub fn is_pending(&self) -> bool {
        matches!(self, Settlement::Open | Settlement::Disputed { .. })
    }

    /// When it was closed (or disputed); `None` while open.
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            Settlement::Open => None,
            Settlement::Fulfilled { at, .. }
            | Settlement::FulfilledLate { at, .. }
            | Settlement::Waived { at, .. }
            | Settlement::Disputed { at, .. }
            | Settlement::Cancelled { at, .. } => Some(*at),
        }
    }

    /// The status at `now`, given the deadline. A settlement dated after `now` had not happened
    /// yet; lateness is judged against the deadline as it stands, which a request entered later
    /// can move.
    pub fn status(&self, deadline: Deadline, now: Timestamp) -> ObligationStatus {
        let past_due = |at: Timestamp| matches!(deadline, Deadline::Due(due) if due < at);
        if self.at().is_some_and(|at| at > now) {
            return Settlement::Open.status(deadline, now);
        }
        match self {
            Settlement::Open if past_due(now) => ObligationStatus::Overdue,
            Settlement::Open => ObligationStatus::Open,
            Settlement::Fulfilled { at, .. } | Settlement::FulfilledLate { at, .. } => {
                if past_due(*at) {
                    ObligationStatus::FulfilledLate
                } else {
                    ObligationStatus::Fulfilled
                }
            }
            Settlement::Waived { .. } => ObligationStatus::Waived,
            Settlement::Disputed { .. } => ObligationStatus::Disputed,
            Settlement::Cancelled { .. } => ObligationStatus::Cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classification::Marking;

    fn obligation(within: Option<Span>, started: Option<i64>) -> Obligation {
        Obligation {
            id: ObligationId::parse("o1").unwrap(),
            commitment: CommitmentId::parse("c1").unwrap(),
            incident: IncidentId::parse("i1").unwrap(),
            response_index: 0,
            guarantor: PartyCode::parse("GBR").unwrap(),
            protected: PartyCode::parse("UKR").unwrap(),
            kind: ResponseKind::Consult,
            within,
            clock: ClockStart::Attack,
            clock_started_at: started.map(Timestamp::from_unix),
            opened_at: Timestamp::from_unix(0),
            provisional: false,
            marking: Marking::public(),
        }
    }

    #[test]
    fn overdue_is_derived_from_now_and_the_deadline() {
        let o = obligation(Some(Span::hours(24)), Some(0));
        assert_eq!(o.deadline(), Deadline::Due(Timestamp::from_unix(86_400)));
        let at = |s| Timestamp::from_unix(s);
        assert_eq!(
            Settlement::Open.status(o.deadline(), at(86_400)),
            ObligationStatus::Open
        );
        assert_eq!(
            Settlement::Open.status(o.deadline(), at(86_401)),
            ObligationStatus::Overdue
        );
    }

    #[test]
    fn no_stated_response_time_is_never_overdue() {
        let o = obligation(None, Some(0));
        assert_eq!(o.deadline(), Deadline::NoDeadline);
        assert_eq!(o.deadline().to_string(), "no deadline");
        let far = Timestamp::from_unix(i64::from(u32::MAX));
        assert_eq!(
            Settlement::Open.status(o.deadline(), far),
            ObligationStatus::Open
        );
    }

    #[test]
    fn a_request_clock_waits_for_the_request() {
        let o = obligation(Some(Span::hours(24)), None);
        assert_eq!(o.deadline(), Deadline::AwaitingRequest);
        let far = Timestamp::from_unix(i64::from(u32::MAX));
        assert_eq!(
            Settlement::Open.status(o.deadline(), far),
            ObligationStatus::Open
        );
    }
}
