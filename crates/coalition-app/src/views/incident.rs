//! Incidents and the obligations they opened, as a reader sees them.

use coalition_core::dates::Timestamp;
use coalition_core::id::{IncidentId, PrincipalId};
use coalition_core::incident::{Confirmation, Incident};
use coalition_core::obligation::{Deadline, Obligation, ObligationStatus, Settlement};
use coalition_core::state::{IncidentRecord, ObligationRecord};
use coalition_core::whatif::{NotAnswering, WouldOpen};
use serde::{Deserialize, Serialize};

/// An incident with its verification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    /// The incident as reported.
    #[serde(flatten)]
    pub incident: Incident,
    /// Where verification stands (`reported`, `verified` …).
    pub status: String,
    /// Who reported it.
    pub reported_by: PrincipalId,
    /// When it was reported.
    pub reported_at: Timestamp,
    /// The confirmations so far.
    pub confirmations: Vec<Confirmation>,
    /// Why it was rejected, if it was.
    pub rejection: Option<String>,
}

impl IncidentView {
    pub(crate) fn new(record: &IncidentRecord) -> IncidentView {
        IncidentView {
            incident: record.incident.clone(),
            status: record.status.name().to_owned(),
            reported_by: record.reported_by.clone(),
            reported_at: record.reported_at,
            confirmations: record.confirmations.clone(),
            rejection: record.rejection.clone(),
        }
    }
}

/// One incident with the obligations it opened that the reader may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    /// The incident.
    pub incident: IncidentView,
    /// Its obligations, with their status at the time of reading.
    pub obligations: Vec<ObligationView>,
}

/// An obligation with its deadline and status at the time of reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObligationView {
    /// The obligation as opened.
    #[serde(flatten)]
    pub obligation: Obligation,
    /// When it falls due.
    pub deadline: Deadline,
    /// Its status at the time of reading.
    pub status: ObligationStatus,
    /// How it was closed, or that it is open.
    pub settlement: Settlement,
}

impl ObligationView {
    pub(crate) fn new(record: &ObligationRecord, at: Timestamp) -> ObligationView {
        ObligationView {
            obligation: record.obligation.clone(),
            deadline: record.deadline(),
            status: record.status(at),
            settlement: record.settlement.clone(),
        }
    }
}

/// Which obligations a listing shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationFilter {
    /// Only those this incident opened.
    pub incident: Option<IncidentId>,
    /// Only those overdue at the time of reading.
    pub overdue: bool,
}

impl ObligationFilter {
    pub(crate) fn keeps(&self, view: &ObligationView) -> bool {
        self.incident
            .as_ref()
            .is_none_or(|i| &view.obligation.incident == i)
            && (!self.overdue || view.status == ObligationStatus::Overdue)
    }
}

/// What an incident would set off, as a planner asks it: the obligations the reader may read
/// that would open, and the commitments it may read that would not answer, with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIfView {
    /// The incident supposed.
    pub incident: Incident,
    /// When it would be verified.
    pub verified_at: Timestamp,
    /// The ceasefire assumed, if any.
    pub assumed_ceasefire: Option<Timestamp>,
    /// The parties assumed to have ratified.
    pub assumed_ratified: Vec<coalition_core::id::PartyCode>,
    /// The obligations it would open, with their deadlines.
    pub would_open: Vec<WouldOpen>,
    /// The commitments that would not answer, and why.
    pub not_answering: Vec<NotAnswering>,
}
