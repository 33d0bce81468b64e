//! One attack, one incident: duplicate reports are found and merged, so obligations are never
//! doubled; a verified incident is corrected (attribution, time) by the rule that verified it.

use std::collections::BTreeMap;

use coalition_core::command::Command;
use coalition_core::commitment::{ClockStart, ResponseKind};
use coalition_core::event::Event;
use coalition_core::incident::{Correction, IncidentStatus};
use coalition_core::obligation::{Deadline, Settlement};
use coalition_core::rejection::Rejection;
use coalition_core::state::State;

use crate::support::*;

use ClockStart::{Attack, Verification};
use ResponseKind::{Consult, Deploy};

fn at_place(report: Report, place: &str) -> Report {
    let mut report = report;
    report.incident.location = place.into();
    report
}

fn merge(duplicate: &str, into: &str, when: &str) -> Step {
    step(
        "secretariat",
        Command::MergeIncident {
            duplicate: iid(duplicate),
            into: iid(into),
            at: Some(at(when)),
        },
    )
}

fn correct(incident: &str, by: &str, correction: Correction, when: &str) -> Step {
    step(
        by,
        Command::CorrectIncident {
            incident: iid(incident),
            correction,
            at: Some(at(when)),
        },
    )
}

/// The obligations still owed (open or disputed), by (commitment, response).
fn owed(state: &State) -> BTreeMap<(String, usize), usize> {
    let mut owed = BTreeMap::new();
    for o in state
        .obligations()
        .values()
        .filter(|o| o.settlement.is_pending())
    {
        *owed
            .entry((
                o.obligation.commitment.to_string(),
                o.obligation.response_index,
            ))
            .or_default() += 1;
    }
    owed
}

fn guarantees() -> Scenario {
    Scenario::new()
        .given(pledge("usa", "USA").responses(&[(Consult, Some("24h"), Attack)]))
        .given(pledge("fra", "FRA").responses(&[(Deploy, Some("72h"), Verification)]))
}

#[test]
fn a_report_like_an_open_or_verified_one_is_a_possible_duplicate() {
    let scenario = guarantees()
        .given(at_place(
            attack("INC-1", "2026-05-31T03:00:00Z"),
            "Kharkiv oblast",
        ))
        .given(
            Step::from(at_place(attack("INC-2", "2026-05-30T03:00:00Z"), "Kharkiv"))
                .at("2026-05-30T04:00:00Z"),
        )
        .given(verify("INC-2").at("2026-05-30T10:00:00Z"))
        .given(at_place(attack("INC-3", "2026-05-31T05:00:00Z"), "Odesa"))
        .given(at_place(attack("INC-4", "2026-05-31T06:00:00Z"), "Kharkiv").by_aggressor("BLR"))
        .given(at_place(attack("INC-5", "2026-05-31T04:00:00Z"), ""))
        .given(reject("INC-5", "monitor"));
    let looks_like = |when: &str, place: &str| -> Vec<String> {
        let report = at_place(attack("NEW", when), place).incident;
        scenario
            .state
            .possible_duplicates(&report)
            .iter()
            .map(|r| r.incident.id.to_string())
            .collect()
    };
    assert_eq!(
        looks_like("2026-05-31T04:30:00Z", "kharkiv, Oblast"),
        ["INC-1"]
    );
    assert_eq!(
        looks_like("2026-05-31T09:00:00Z", "Kharkiv"),
        ["INC-1"],
        "six hours apart, to the second"
    );
    assert!(looks_like("2026-05-31T09:00:01Z", "Kharkiv").is_empty());
    assert_eq!(
        looks_like("2026-05-30T06:00:00Z", ""),
        ["INC-2"],
        "a verified report; an unstated place matches any"
    );
    assert_eq!(
        looks_like("2026-05-31T04:00:00Z", "Odesa"),
        ["INC-3"],
        "not Kharkiv, not Belarus's, not the rejected one"
    );
}

#[test]
fn a_duplicate_merged_into_the_original_leaves_each_obligation_owed_once() {
    // Two reports of one attack, both verified before anyone noticed: every obligation doubled.
    let doubled = guarantees()
        .given(Step::from(attack("INC-1", "2026-05-31T03:00:00Z")).at("2026-05-31T04:00:00Z"))
        .given(Step::from(attack("INC-2", "2026-05-31T03:20:00Z")).at("2026-05-31T05:00:00Z"))
        .given(verify("INC-1").at("2026-05-31T09:00:00Z"))
        .given(verify("INC-2").at("2026-05-31T09:30:00Z"));
    assert!(owed(&doubled.state).values().all(|n| *n == 2));
    let outcome = doubled.when(merge("INC-2", "INC-1", "2026-06-01T10:00:00Z"));
    let merged = outcome.events().iter().any(|e| {
        matches!(e, Event::IncidentMerged { duplicate, into, .. }
            if *duplicate == iid("INC-2") && *into == iid("INC-1"))
    });
    assert!(merged, "the history says so");
    let scenario = outcome.then_accepted();
    assert!(owed(&scenario.state).values().all(|n| *n == 1));
    assert_eq!(owed(&scenario.state).len(), 2);
    assert!(matches!(
        scenario.state.incidents()[&iid("INC-2")].status,
        IncidentStatus::Merged { .. }
    ));
    for o in scenario.state.obligations().values() {
        if o.obligation.incident == iid("INC-2") {
            assert_eq!(
                o.settlement,
                Settlement::Cancelled {
                    at: at("2026-06-01T10:00:00Z"),
                    reason: Some("incident INC-2 is a duplicate of INC-1".into())
                }
            );
        }
    }
}

#[test]
fn a_duplicates_confirmations_count_towards_the_original_and_never_double_it_at_any_time() {
    // Only the duplicate was verified (by the monitor at 09:30); merging verifies the original.
    let scenario = guarantees()
        .given(Step::from(attack("INC-1", "2026-05-31T03:00:00Z")).at("2026-05-31T04:00:00Z"))
        .given(Step::from(attack("INC-2", "2026-05-31T03:20:00Z")).at("2026-05-31T05:00:00Z"))
        .given(verify("INC-2").at("2026-05-31T09:30:00Z"))
        .given(merge("INC-2", "INC-1", "2026-06-01T10:00:00Z"));
    let original = &scenario.state.incidents()[&iid("INC-1")];
    assert_eq!(
        original.status,
        IncidentStatus::Verified {
            at: at("2026-06-01T10:00:00Z")
        }
    );
    assert_eq!(original.confirmations.len(), 1);
    assert_eq!(
        scenario.due("INC-1", "fra", Deploy),
        Deadline::Due(at("2026-06-03T09:30:00Z")),
        "72 h from when the attack was verified, under whichever report"
    );
    assert_eq!(
        scenario.due("INC-1", "usa", Consult),
        Deadline::Due(at("2026-06-01T03:00:00Z")),
        "24 h from the original's time of the attack"
    );
    for probe in [
        "2026-05-31T09:00:00Z",
        "2026-05-31T09:30:00Z",
        "2026-06-01T09:59:59Z",
        "2026-06-01T10:00:00Z",
        "2026-06-02T00:00:00Z",
    ] {
        let world = State::world_at(scenario.entries(), at(probe));
        assert!(
            owed(&world).values().all(|n| *n == 1),
            "doubled at {probe}: {:?}",
            owed(&world)
        );
    }
}

#[test]
fn only_the_secretariat_merges_and_only_reports_of_one_attack() {
    let scenario = guarantees()
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(attack("INC-2", "2026-05-31T03:20:00Z"))
        .given(attack("INC-3", "2026-05-31T03:20:00Z").by_aggressor("BLR"))
        .given(attack("INC-4", "2026-05-31T03:20:00Z"))
        .given(reject("INC-4", "monitor"));
    scenario
        .when(step(
            "macron",
            merge("INC-2", "INC-1", "2026-06-01T12:00:00Z").command,
        ))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .when(merge("INC-3", "INC-1", "2026-06-01T12:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "into", .. }))
        .when(merge("INC-1", "INC-1", "2026-06-01T12:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "into", .. }))
        .when(merge("INC-4", "INC-1", "2026-06-01T12:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }))
        .when(merge("INC-2", "INC-1", "2026-05-31T00:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Chronology { .. }))
        .when(merge("INC-2", "INC-1", "2026-06-01T12:00:00Z"))
        .then_accepted()
        .when(merge("INC-2", "INC-1", "2026-06-01T12:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn a_corrected_time_recomputes_the_clocks_that_run_from_the_attack() {
    let scenario = guarantees()
        .given(Step::from(attack("INC-1", "2026-05-31T03:00:00Z")).at("2026-05-31T04:00:00Z"))
        .given(verify("INC-1").at("2026-05-31T09:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "usa", Consult),
        Deadline::Due(at("2026-06-01T03:00:00Z"))
    );
    let earlier = Correction {
        aggressor: None,
        occurred_at: Some(at("2026-05-31T01:10:00Z")),
    };
    let scenario = scenario.given(correct(
        "INC-1",
        "monitor",
        earlier.clone(),
        "2026-06-01T08:00:00Z",
    ));
    assert_eq!(
        scenario.due("INC-1", "usa", Consult),
        Deadline::Due(at("2026-06-01T01:10:00Z"))
    );
    assert_eq!(
        scenario.due("INC-1", "fra", Deploy),
        Deadline::Due(at("2026-06-03T09:00:00Z")),
        "a clock from verification does not move"
    );
    let record = &scenario.state.incidents()[&iid("INC-1")];
    assert_eq!(record.corrections.len(), 1);
    assert_eq!(
        record.corrections[0].previous_occurred_at,
        at("2026-05-31T03:00:00Z")
    );
    assert!(
        scenario
            .log
            .iter()
            .any(|e| matches!(e, Event::IncidentCorrected { .. }))
    );
    // As the world stood before the correction, the clock ran from 03:00.
    let before = State::world_at(scenario.entries(), at("2026-06-01T07:00:00Z"));
    let id = oid(&scenario.obligation_id("INC-1", "usa", Consult));
    assert_eq!(
        before.obligations()[&id].deadline(),
        Deadline::Due(at("2026-06-01T03:00:00Z"))
    );
}

#[test]
fn a_corrected_attribution_cancels_what_no_longer_answers_and_opens_what_now_does() {
    let scenario = guarantees()
        .given(pledge("against-belarus", "GBR").against("BLR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"));
    assert_eq!(scenario.opened("INC-1").len(), 2);
    let belarus = Correction {
        aggressor: Some(party("BLR")),
        occurred_at: None,
    };
    let scenario = scenario.given(correct("INC-1", "monitor", belarus, "2026-06-01T12:00:00Z"));
    let owed = owed(&scenario.state);
    assert_eq!(
        owed.keys().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["against-belarus"]
    );
    let cancelled = scenario
        .state
        .obligations()
        .values()
        .filter_map(|o| match &o.settlement {
            Settlement::Cancelled { reason, .. } => reason.clone(),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert_eq!(cancelled.len(), 2);
    assert!(
        cancelled
            .iter()
            .all(|r| r.contains("names another aggressor")),
        "{cancelled:?}"
    );
}

#[test]
fn a_correction_needs_the_verification_rule_as_verification_did() {
    let scenario = guarantees()
        .given(Step::from(attack("INC-1", "2026-05-31T03:00:00Z")).at("2026-05-31T04:00:00Z"))
        .given(verify("INC-1").at("2026-05-31T09:00:00Z"));
    let earlier = Correction {
        aggressor: None,
        occurred_at: Some(at("2026-05-31T01:00:00Z")),
    };
    // The secretariat and two members are not enough; the third member carries it.
    let mut scenario = scenario;
    for (by, when) in [
        ("secretariat", "2026-06-01T11:00:00Z"),
        ("merz", "2026-06-01T11:01:00Z"),
        ("tusk", "2026-06-01T11:02:00Z"),
    ] {
        scenario = scenario.given(correct("INC-1", by, earlier.clone(), when));
        assert_eq!(
            scenario.state.incidents()[&iid("INC-1")]
                .incident
                .occurred_at,
            at("2026-05-31T03:00:00Z"),
            "not yet corrected after {by}"
        );
    }
    // A different correction does not count towards this one.
    let other = Correction {
        aggressor: None,
        occurred_at: Some(at("2026-05-31T02:00:00Z")),
    };
    let scenario = scenario
        .given(correct("INC-1", "meloni", other, "2026-06-01T11:03:00Z"))
        .when(correct(
            "INC-1",
            "merz",
            earlier.clone(),
            "2026-06-01T11:04:00Z",
        ))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }))
        .given(correct("INC-1", "meloni", earlier, "2026-06-01T11:05:00Z"));
    let record = &scenario.state.incidents()[&iid("INC-1")];
    assert_eq!(record.incident.occurred_at, at("2026-05-31T01:00:00Z"));
    assert_eq!(record.corrections[0].at, at("2026-06-01T11:05:00Z"));
}

#[test]
fn only_a_verified_incident_is_corrected_and_only_into_a_possible_attack() {
    let later = |when: &str| Correction {
        aggressor: None,
        occurred_at: Some(at(when)),
    };
    let reported = guarantees()
        .given(Step::from(attack("INC-1", "2026-05-31T03:00:00Z")).at("2026-05-31T04:00:00Z"));
    reported
        .clone()
        .when(correct(
            "INC-1",
            "monitor",
            later("2026-05-31T02:00:00Z"),
            "2026-06-01T00:00:00Z",
        ))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
    reported
        .given(verify("INC-1").at("2026-05-31T09:00:00Z"))
        .when(correct(
            "INC-1",
            "monitor",
            later("2026-05-31T05:00:00Z"),
            "2026-06-01T00:00:00Z",
        ))
        .then_rejected_with(|r| matches!(r, Rejection::Chronology { .. }))
        .when(correct(
            "INC-1",
            "monitor",
            Correction {
                aggressor: Some(party("DEU")),
                occurred_at: None,
            },
            "2026-06-01T00:00:00Z",
        ))
        .then_rejected_with(|r| matches!(r, Rejection::WrongSeat { .. }))
        .when(correct(
            "INC-1",
            "monitor",
            later("2026-05-31T03:00:00Z"),
            "2026-06-01T00:00:00Z",
        ))
        .then_rejected_with(|r| {
            matches!(
                r,
                Rejection::Invalid {
                    field: "correction",
                    ..
                }
            )
        })
        .when(correct(
            "INC-1",
            "swiss-observer",
            later("2026-05-31T02:00:00Z"),
            "2026-06-01T00:00:00Z",
        ))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }));
}
