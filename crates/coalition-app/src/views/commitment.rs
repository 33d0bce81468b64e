//! Commitments as a reader sees them: the commitment, its derived status and strength, how long
//! it runs, and the support delivered under it.

use coalition_core::commitment::{
    Category, Commitment, CommitmentStatus, Response, Stage, Strength, Window,
};
use coalition_core::dates::Timestamp;
use coalition_core::id::PartyCode;
use coalition_core::names::Named;
use coalition_core::state::{CommitmentRecord, State};
use serde::{Deserialize, Serialize};

/// A commitment with its derived status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    /// The commitment as recorded.
    #[serde(flatten)]
    pub commitment: Commitment,
    /// Its status at the time of reading.
    pub status: CommitmentStatus,
    /// What it is worth: assurance, political commitment or guarantee.
    pub strength: Strength,
    /// The last day in force, "open-ended", or "N years after activation".
    pub runs_until: String,
    /// When the guarantor withdrew it.
    pub withdrawn_at: Option<Timestamp>,
    /// Why it was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_reason: Option<String>,
    /// Units allocated so far.
    pub allocated: u64,
    /// Units delivered so far.
    pub delivered: u64,
}

impl CommitmentView {
    /// The view of a record the gate handed out, at `at`. `state` supplies the facts its status
    /// derives from (instrument, ceasefires), which the view does not show.
    pub(crate) fn new(state: &State, record: &CommitmentRecord, at: Timestamp) -> CommitmentView {
        let commitment = &record.commitment;
        let force = commitment
            .instrument
            .as_ref()
            .and_then(|id| state.instruments().get(id))
            .map(|i| i.instrument.legal_force);
        CommitmentView {
            commitment: commitment.clone(),
            status: state.commitment_status(record, at),
            strength: commitment.strength(force),
            runs_until: runs_until(commitment.window(&state.standing(record), at)),
            withdrawn_at: record.withdrawn,
            withdrawal_reason: Some(record.withdrawal_reason.clone()).filter(|r| !r.is_empty()),
            allocated: record.quantity_at(Stage::Allocated),
            delivered: record.quantity_at(Stage::Delivered),
        }
    }
}

/// Which commitments a listing shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentFilter {
    /// Only this guarantor's.
    pub guarantor: Option<PartyCode>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only those in force at the time of reading.
    pub in_force: bool,
}

impl CommitmentFilter {
    pub(crate) fn keeps(&self, view: &CommitmentView) -> bool {
        let c = &view.commitment;
        self.guarantor.as_ref().is_none_or(|g| &c.guarantor == g)
            && self.category.as_ref().is_none_or(|k| &c.category == k)
            && (!self.in_force || view.status == CommitmentStatus::InForce)
    }
}

/// A window's end in words.
pub fn runs_until(window: Window) -> String {
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
pub fn response_text(response: &Response) -> String {
    match response.within {
        Some(within) => format!(
            "{} within {within} from {}",
            response.kind.name(),
            response.clock.name()
        ),
        None => format!("{}: no deadline", response.kind.name()),
    }
}
