//! Every `--json` document is one of `coalition-app`'s typed views: read back into the view's
//! type and written again, it is the same document. A field printed outside a view, or a view
//! field the output lacks, fails here — so the API, which serves the same views, cannot drift
//! from `--json`.

use coalition_app::views::{
    AggregateRow, BundleVerification, CheckpointView, CoalitionRow, CommitmentView,
    ConsistencyProofView, CreatedView, ExportView, ImportSummary, IncidentDetail, IncidentView,
    InclusionProofView, InstrumentView, KeyFileView, LogEntryView, LogVerification, ObligationView,
    ReceiptView, StatementDiff, StatementRow, StatementShow, StatementStanding,
};
use coalition_core::communique::Communique;
use coalition_core::coverage::Coverage;
use coalition_core::party::{Principal, Seat};
use coalition_core::statement::Meeting;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::*;

/// Parses `document` as a `T` and writes it again: the two must be equal.
fn round_trips<T: Serialize + DeserializeOwned>(what: &str, document: &Value) {
    let typed: T = serde_json::from_value(document.clone())
        .unwrap_or_else(|e| panic!("{what}: not its view type ({e}):\n{document:#}"));
    let again = serde_json::to_value(&typed).expect("a view serialises");
    assert_eq!(
        &again, document,
        "{what}: the view does not reproduce the output"
    );
}

/// `coalition ARGS --json`, checked against the view type `T`.
fn check<T: Serialize + DeserializeOwned>(env: &Env, args: &[&str]) {
    round_trips::<T>(&args.join(" "), &env.json(args));
}

#[test]
fn every_json_output_is_a_typed_view() {
    let env = Env::new();
    let demo = env.json(&["demo"]);
    round_trips::<ImportSummary>("demo", &demo);
    check::<Vec<CoalitionRow>>(&env, &["coalitions"]);

    // Writes: receipts, and the id of what a write created.
    round_trips::<ReceiptView>("ceasefire", &env.json(&CEASEFIRE));
    let reported = env.json(&report(&[]));
    round_trips::<CreatedView>("incident report", &reported);
    let incident: &'static str = reported["id"].as_str().unwrap().to_owned().leak();
    round_trips::<ReceiptView>(
        "incident confirm",
        &env.json(&["incident", "confirm", DEMO, incident, "--as", "monitor"]),
    );

    // Reads, as the custodian and as a principal.
    for who in [&[][..], &["--as", "meloni"][..]] {
        let with = |args: &[&'static str]| -> Vec<&'static str> {
            args.iter().chain(who).copied().collect()
        };
        check::<Vec<Seat>>(&env, &with(&["members", DEMO]));
        check::<Vec<Principal>>(&env, &with(&["principals", DEMO]));
        check::<Vec<InstrumentView>>(&env, &with(&["instruments", DEMO]));
        check::<Vec<CommitmentView>>(&env, &with(&["commitments", DEMO]));
        check::<CommitmentView>(
            &env,
            &with(&["commitment", "show", DEMO, "gbr-2024-consult"]),
        );
        check::<Vec<IncidentView>>(&env, &with(&["incidents", DEMO]));
        check::<IncidentDetail>(&env, &with(&["incident", "show", DEMO, incident]));
        check::<Vec<ObligationView>>(&env, &with(&["obligations", DEMO]));
        check::<Coverage>(&env, &with(&["coverage", DEMO]));
        check::<Vec<StatementRow>>(&env, &with(&["statements", DEMO]));
        check::<StatementShow>(
            &env,
            &with(&["statement", "show", DEMO, "paris-declaration"]),
        );
        check::<StatementDiff>(
            &env,
            &with(&["statement", "diff", DEMO, "paris-declaration", "1", "2"]),
        );
        check::<StatementStanding>(
            &env,
            &with(&["statement", "status", DEMO, "paris-declaration"]),
        );
        check::<Vec<Meeting>>(&env, &with(&["meetings", DEMO]));
        check::<Vec<AggregateRow>>(&env, &with(&["aggregates", DEMO]));
        check::<Vec<LogEntryView>>(&env, &with(&["log", "show", DEMO]));
    }
    check::<StatementShow>(
        &env,
        &["statement", "show", DEMO, "paris-declaration", "--public"],
    );
    check::<Communique>(&env, &["communique", DEMO]);

    // The record's proofs and reports.
    check::<LogVerification>(&env, &["log", "verify", DEMO]);
    check::<CheckpointView>(&env, &["log", "checkpoint", DEMO]);
    check::<InclusionProofView>(&env, &["log", "prove", DEMO, "3"]);
    check::<ConsistencyProofView>(&env, &["log", "consistency", DEMO, "--old-size", "10"]);
    let bundle = env.root().join("paris.bundle");
    check::<ExportView>(&env, &["log", "export", DEMO, "--out", path(&bundle)]);
    check::<BundleVerification>(&env, &["log", "verify", "--bundle", path(&bundle)]);

    // Key files.
    let key = env.root().join("k.pem");
    check::<KeyFileView>(
        &env,
        &["key", "generate", "--out", path(&key), "--no-passphrase"],
    );
    check::<KeyFileView>(&env, &["key", "public", "--key", path(&key)]);
}

#[test]
fn a_failed_verification_is_reported_as_a_view() {
    // A checkpoint of another log under the same id: this log does not extend it.
    let env = Env::demo();
    let other = Env::demo();
    let checkpoint = other.root().join("other.checkpoint");
    other.ok(&["log", "checkpoint", DEMO, "--out", path(&checkpoint)]);
    let key = other.json(&["log", "verify", DEMO]);
    assert_eq!(key["verified"], true);
    let trusted_key = other.pinned_key(DEMO);
    let run = env.run(&[
        "log",
        "verify",
        DEMO,
        "--since-checkpoint",
        path(&checkpoint),
        "--log-key",
        trusted_key.trim(),
        "--json",
    ]);
    assert_eq!(run.code, Some(3), "{run:?}");
    let report: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(report["verified"], false, "{report}");
    round_trips::<LogVerification>("log verify (failed)", &report);
    assert!(run.stderr.contains("verification failed"), "{run:?}");
}
