//! What the commands show: one view per kind of item, serialised for `--json` and summarised in
//! words for tables. Views are built only from items the gate handed out.

use coalition_core::commitment::{CommitmentStatus, Response, Strength, Window};
use coalition_core::dates::Timestamp;
use coalition_core::obligation::{Deadline, ObligationStatus};
use coalition_core::state::{CommitmentRecord, IncidentRecord, ObligationRecord, State};
use serde::Serialize;

/// A commitment with its derived status.
#[derive(Serialize)]
pub(crate) struct CommitmentView<'a> {
    #[serde(flatten)]
    pub(crate) record: &'a coalition_core::commitment::Commitment,
    pub(crate) status: CommitmentStatus,
    pub(crate) strength: Strength,
    /// The last day in force, "open-ended", or "N years after activation".
    pub(crate) runs_until: String,
    pub(crate) withdrawn_at: Option<Timestamp>,
    pub(crate) allocated: u64,
    pub(crate) delivered: u64,
}

impl<'a> CommitmentView<'a> {
    pub(crate) fn new(
        state: &State,
        record: &'a CommitmentRecord,
        at: Timestamp,
    ) -> CommitmentView<'a> {
        let commitment = &record.commitment;
        let force = commitment
            .instrument
            .as_ref()
            .and_then(|id| state.instruments().get(id))
            .map(|i| i.instrument.legal_force);
        CommitmentView {
            record: commitment,
            status: state.commitment_status(record, at),
            strength: commitment.strength(force),
            runs_until: runs_until(commitment.window(&state.standing(record), at)),
            withdrawn_at: record.withdrawn,
            allocated: record.quantity_at(coalition_core::commitment::Stage::Allocated),
            delivered: record.quantity_at(coalition_core::commitment::Stage::Delivered),
        }
    }
}

/// A window's end in words.
pub(crate) fn runs_until(window: Window) -> String {
    match window {
        Window::Known { end: Some(end), .. } => {
            Timestamp::from_unix(end.unix() - 1).day().to_string()
        }
        Window::Known { end: None, .. } => "open-ended".into(),
        Window::AwaitingActivation { years: Some(years) } => format!("{years}y after activation"),
        Window::AwaitingActivation { years: None } => "open-ended once activated".into(),
        Window::Never => "never in force".into(),
    }
}

/// A response in words: "consult within 24h from request", "deliver: no deadline".
pub(crate) fn response_text(response: &Response) -> String {
    use coalition_core::names::Named;
    match response.within {
        Some(within) => format!(
            "{} within {within} from {}",
            response.kind.name(),
            response.clock.name()
        ),
        None => format!("{}: no deadline", response.kind.name()),
    }
}

/// An obligation with its deadline and status at a moment.
#[derive(Serialize)]
pub(crate) struct ObligationView<'a> {
    #[serde(flatten)]
    pub(crate) obligation: &'a coalition_core::obligation::Obligation,
    pub(crate) deadline: Deadline,
    pub(crate) status: ObligationStatus,
    pub(crate) settlement: &'a coalition_core::obligation::Settlement,
}

impl<'a> ObligationView<'a> {
    pub(crate) fn new(record: &'a ObligationRecord, now: Timestamp) -> ObligationView<'a> {
        ObligationView {
            obligation: &record.obligation,
            deadline: record.deadline(),
            status: record.status(now),
            settlement: &record.settlement,
        }
    }
}

/// An incident with its verification.
#[derive(Serialize)]
pub(crate) struct IncidentView<'a> {
    #[serde(flatten)]
    pub(crate) incident: &'a coalition_core::incident::Incident,
    pub(crate) status: &'static str,
    pub(crate) reported_by: &'a coalition_core::id::PrincipalId,
    pub(crate) reported_at: Timestamp,
    pub(crate) confirmations: &'a [coalition_core::incident::Confirmation],
    pub(crate) rejection: Option<&'a str>,
}

impl<'a> IncidentView<'a> {
    pub(crate) fn new(record: &'a IncidentRecord) -> IncidentView<'a> {
        IncidentView {
            incident: &record.incident,
            status: record.status.name(),
            reported_by: &record.reported_by,
            reported_at: record.reported_at,
            confirmations: &record.confirmations,
            rejection: record.rejection.as_deref(),
        }
    }
}

/// Sorts ids the way people count: `OB-2` before `OB-10`.
pub(crate) fn natural_key(id: &str) -> (String, u64, String) {
    let digits_from = id.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let (stem, number) = id.split_at(digits_from);
    (stem.to_owned(), number.parse().unwrap_or(0), id.to_owned())
}
