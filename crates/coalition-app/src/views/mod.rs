//! What the application answers: one owned, typed view per read and per write receipt. Each is
//! the one JSON shape of the CLI's `--json` and of the API, built only from what the gate handed
//! out; front ends render them as text or HTML and never reach the state themselves.
//!
//! Views are `Serialize` and `Deserialize`, so a client (the CLI against a server, a test) reads
//! back exactly what was written.

mod coalition;
mod commitment;
mod incident;
mod record;
mod statement;
mod support;
mod witness;

pub use coalition::{
    CoalitionName, CoalitionRow, DemoApproval, ImportSummary, InstrumentView, KeyFileView,
};
pub use commitment::{CommitmentFilter, CommitmentView, response_text, runs_until};
pub use incident::{IncidentDetail, IncidentView, ObligationFilter, ObligationView, WhatIfView};
pub use record::{
    BundleVerification, CheckpointView, ConsistencyProofView, CosignedBy, CreatedView, ExportView,
    HeadView, InclusionProofView, LogEntryView, LogVerification, MigratedLog, MigrationView,
    ReceiptView, RecordedEntry, WitnessReport,
};
pub use statement::{
    AggregateRow, DiffLine, ExportedApproval, ExportedMeeting, ParagraphView, StandingRow,
    StatementDiff, StatementExport, StatementRow, StatementShow, StatementStanding,
};
pub use support::{Money, SupportRow, SupportSummary, SupportTotal};
pub use witness::{PolicyToSign, WitnessPolicyView, WitnessView};

/// Sorts ids the way people count: `OB-2` before `OB-10`.
pub fn natural_key(id: &str) -> (String, u64, String) {
    let digits_from = id.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let (stem, number) = id.split_at(digits_from);
    (stem.to_owned(), number.parse().unwrap_or(0), id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn ids_sort_the_way_people_count() {
        let mut ids = ["OB-10", "OB-2", "OB-1", "C-3"];
        ids.sort_by_key(|id| natural_key(id));
        assert_eq!(ids, ["C-3", "OB-1", "OB-2", "OB-10"]);
    }
}
