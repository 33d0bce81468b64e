//! Stated times: every fact counts from when it happened, not from when it was recorded. A
//! secretariat enters verifications, requests and fulfilments after the fact; clocks, statuses
//! and adoption follow the times it states.

use coalition_core::command::Command;
use coalition_core::commitment::{ClockStart, ResponseKind};
use coalition_core::event::Event;
use coalition_core::incident::IncidentStatus;
use coalition_core::obligation::{Deadline, ObligationStatus};
use coalition_core::rejection::Rejection;
use coalition_core::statement::{AdoptionRule, StatementStatus};

use crate::fixture::{World, adopts, instrument_id, statement_id};
use crate::support::*;

use ClockStart::{Attack, Request, Verification};
use ResponseKind::{Consult, Deploy};

/// GBR consults within 24 h of Ukraine's request, FRA deploys within 72 h of verification, the
/// US consults within 24 h of the attack; an attack on 14 May, entered on 1 June.
fn entered_after_the_fact() -> Scenario {
    Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(pledge("fra", "FRA").responses(&[(Deploy, Some("72h"), Verification)]))
        .given(pledge("usa", "USA").responses(&[(Consult, Some("24h"), Attack)]))
        .given(Step::from(attack("INC-1", "2026-05-14T03:40:00Z")).at("2026-05-14T05:00:00Z"))
}

#[test]
fn a_verification_entered_after_the_fact_starts_its_clock_at_its_stated_time() {
    let scenario = entered_after_the_fact().given(verify("INC-1").at("2026-05-14T10:00:00Z"));
    assert_eq!(
        scenario.state.incidents()[&iid("INC-1")].status,
        IncidentStatus::Verified {
            at: at("2026-05-14T10:00:00Z")
        }
    );
    assert_eq!(
        scenario.due("INC-1", "fra", Deploy),
        Deadline::Due(at("2026-05-17T10:00:00Z")),
        "72 h from the verification, not from its recording on 1 June"
    );
    assert_eq!(
        scenario.due("INC-1", "usa", Consult),
        Deadline::Due(at("2026-05-15T03:40:00Z")),
        "24 h from the attack"
    );
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::AwaitingRequest
    );
    let opened = scenario.obligation("INC-1", "fra", Deploy);
    assert_eq!(opened.obligation.opened_at, at("2026-05-14T10:00:00Z"));
}

#[test]
fn confirmations_given_out_of_order_verify_at_the_one_that_completed_the_rule() {
    // The secretariat plus three members: confirmations recorded in one order, given in another.
    let scenario = entered_after_the_fact()
        .given(confirm("INC-1", "secretariat").at("2026-05-14T08:00:00Z"))
        .given(confirm("INC-1", "merz").at("2026-05-14T09:00:00Z"))
        .given(confirm("INC-1", "tusk").at("2026-05-14T11:00:00Z"));
    let outcome = scenario.when(confirm("INC-1", "meloni").at("2026-05-14T10:00:00Z"));
    let verified = outcome.events().iter().find_map(|e| match e {
        Event::IncidentVerified { at, .. } => Some(*at),
        _ => None,
    });
    assert_eq!(
        verified,
        Some(at("2026-05-14T11:00:00Z")),
        "the rule held once Poland confirmed at 11:00, though Italy's 10:00 confirmation came last"
    );
    let scenario = outcome.then_accepted();
    assert_eq!(
        scenario.due("INC-1", "fra", Deploy),
        Deadline::Due(at("2026-05-17T11:00:00Z"))
    );
}

#[test]
fn a_request_entered_later_but_dated_earlier_starts_the_request_clock() {
    let scenario = entered_after_the_fact()
        .given(verify("INC-1").at("2026-05-14T10:00:00Z"))
        .given(request(&["GBR"], "2026-05-15T18:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::Due(at("2026-05-16T18:00:00Z"))
    );
    let scenario = scenario.given(request(&["GBR"], "2026-05-15T09:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::Due(at("2026-05-16T09:00:00Z")),
        "the first request made starts the clock, whenever it was entered"
    );
}

#[test]
fn lateness_is_judged_against_the_deadline_as_the_facts_now_set_it() {
    let scenario = entered_after_the_fact()
        .given(verify("INC-1").at("2026-05-14T10:00:00Z"))
        .given(request(&["GBR"], "2026-05-15T18:00:00Z"));
    let id = scenario.obligation_id("INC-1", "gbr", Consult);
    let scenario = scenario.given(fulfil(&id, "starmer", "2026-05-16T12:00:00Z"));
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-01T00:00:00Z"),
        ObligationStatus::Fulfilled
    );
    // An earlier request comes to light: the clock ran from 09:00 on the 15th.
    let scenario = scenario.given(request(&["GBR"], "2026-05-15T09:00:00Z"));
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-01T00:00:00Z"),
        ObligationStatus::FulfilledLate
    );
}

#[test]
fn an_obligation_fulfilled_at_20_00_is_not_fulfilled_at_19_00() {
    let scenario = entered_after_the_fact().given(verify("INC-1").at("2026-05-14T10:00:00Z"));
    let id = scenario.obligation_id("INC-1", "usa", Consult);
    let scenario = scenario.given(fulfil(&id, "witkoff", "2026-05-14T20:00:00Z"));
    assert_eq!(
        scenario.status_at("INC-1", "usa", Consult, "2026-05-14T19:00:00Z"),
        ObligationStatus::Open
    );
    assert_eq!(
        scenario.status_at("INC-1", "usa", Consult, "2026-05-14T20:00:00Z"),
        ObligationStatus::Fulfilled
    );
    assert_eq!(
        scenario.status_at("INC-1", "usa", Consult, "2026-05-16T00:00:00Z"),
        ObligationStatus::Fulfilled
    );
}

#[test]
fn a_commitment_recorded_without_a_time_was_made_on_its_first_day_or_when_its_guarantor_signed() {
    let scenario = Scenario::new()
        .given(pledge("from-january", "FRA").from("2026-01-10"))
        .given(pledge("from-next-year", "FRA").from("2027-01-01"))
        .given(record(bilateral_2024("gbr-ukr", &["GBR", "UKR"])))
        .given(sign("gbr-ukr", "GBR", "2026-02-01T10:00:00Z"))
        .given(pledge("on-agreement", "GBR").on("gbr-ukr"))
        .given(pledge("stated", "DEU").from("2026-01-10"))
        .when(
            Step::from(pledge("stated-late", "DEU").from("2026-01-10")).at("2026-05-01T00:00:00Z"),
        )
        .then_accepted();
    let made = |id: &str| scenario.state.commitments()[&cid(id)].added_at;
    assert_eq!(made("from-january"), at("2026-01-10T00:00:00Z"));
    assert_eq!(
        made("from-next-year"),
        at("2026-06-01T12:00:00Z"),
        "announced ahead: now"
    );
    assert_eq!(made("on-agreement"), at("2026-02-01T10:00:00Z"));
    assert_eq!(made("stated-late"), at("2026-05-01T00:00:00Z"));
}

#[test]
fn a_commitment_made_after_an_attack_does_not_answer_it() {
    let scenario = Scenario::new()
        .given(attack("INC-1", "2026-05-14T03:40:00Z"))
        .given(Step::from(pledge("late", "FRA").from("2026-01-01")).at("2026-05-20T00:00:00Z"))
        .given(verify("INC-1"));
    assert!(scenario.opened("INC-1").is_empty());
}

#[test]
fn approvals_are_dated_and_adoption_takes_the_time_of_the_approval_that_completed_it() {
    let mut world = World::new();
    let mut declaration = paris_style("paris", &["FRA", "GBR", "UKR"]);
    declaration.statement = Some(statement_id("s"));
    world.must("secretariat", Command::RecordInstrument(declaration));
    world.draft("s", &["FRA", "GBR"], AdoptionRule::Unanimity);
    world.now = at("2026-01-07T00:00:00Z");
    assert!(!adopts(
        &world
            .approve_at("macron", "s", 1, "2026-01-06T10:00:00Z")
            .unwrap()
    ));
    // Entered later, given earlier: the statement was complete once France approved at 10:00.
    let events = world
        .approve_at("starmer", "s", 1, "2026-01-06T09:30:00Z")
        .unwrap();
    assert!(adopts(&events));
    assert_eq!(
        world.statement("s").status,
        StatementStatus::Adopted {
            version: 1,
            at: at("2026-01-06T10:00:00Z")
        }
    );
    let paris = &world.state.instruments()[&instrument_id("paris")];
    assert_eq!(paris.signed[&party("GBR")], at("2026-01-06T10:00:00Z"));
    let approval = &world.statement("s").approvals[&party("GBR")];
    assert_eq!(approval.at, at("2026-01-06T09:30:00Z"));
}

#[test]
fn silence_concluded_late_is_adopted_at_its_deadline_and_an_objection_counts_by_its_date() {
    let deadline = at("2026-01-10T12:00:00Z");
    let rule = AdoptionRule::Silence { deadline };
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = at("2026-02-01T00:00:00Z");
    world.must(
        "secretariat",
        Command::ConcludeSilence {
            statement: statement_id("s"),
        },
    );
    assert_eq!(
        world.statement("s").status,
        StatementStatus::Adopted {
            version: 1,
            at: deadline
        },
        "silence held at the deadline, however late the conclusion was entered"
    );

    // An objection made before the deadline and entered after it still breaks the silence.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = at("2026-02-01T00:00:00Z");
    let objection = |when: &str| Command::ObjectToStatement {
        statement: statement_id("s"),
        at: Some(at(when)),
    };
    assert!(
        world
            .decide("starmer", &objection("2026-01-10T12:00:00Z"))
            .is_err()
    );
    world.must("starmer", objection("2026-01-10T11:59:59Z"));
    assert!(
        world
            .decide(
                "secretariat",
                &Command::ConcludeSilence {
                    statement: statement_id("s"),
                }
            )
            .is_err()
    );
}

// --- Stated times against the facts they depend on ----------------------------------------------

/// The refusal is a `Chronology` naming the fact and the one it cannot precede.
fn before(fact: &'static str, earlier: &'static str) -> impl Fn(&Rejection) -> bool {
    move |r| {
        matches!(r, Rejection::Chronology { fact: f, earlier: e, .. }
            if f.contains(fact) && e.contains(earlier))
    }
}

#[test]
fn every_stated_time_is_checked_against_the_fact_it_depends_on() {
    let verified = entered_after_the_fact().given(verify("INC-1").at("2026-05-14T10:00:00Z"));
    let fra = verified.obligation_id("INC-1", "fra", Deploy);
    let gbr = verified.obligation_id("INC-1", "gbr", Consult);
    type Rule = Box<dyn Fn(&Rejection) -> bool>;
    let cases: Vec<(&str, Step, Rule)> = vec![
        (
            "a fulfilment before its verification clock started",
            fulfil(&fra, "macron", "2026-05-14T09:59:59Z"),
            Box::new(before("the fulfilment of", "its clock (verification)")),
        ),
        (
            "a waiver before the clock",
            waive(&fra, "zelenskyy").at("2026-05-14T09:00:00Z"),
            Box::new(before("the waiver of", "its clock")),
        ),
        (
            "a dispute before the clock",
            dispute(&fra, "zelenskyy").at("2026-05-14T09:00:00Z"),
            Box::new(before("the dispute of", "its clock")),
        ),
        (
            "a fulfilment awaiting a request, dated before the attack",
            fulfil(&gbr, "starmer", "2026-05-14T03:00:00Z"),
            Box::new(before("the fulfilment of", "the incident")),
        ),
        (
            "a confirmation before the report",
            confirm("INC-1", "merz").at("2026-05-14T04:59:59Z"),
            Box::new(before("the confirmation of INC-1", "its report")),
        ),
        (
            "a report before the attack",
            Step::from(attack("INC-2", "2026-05-20T00:00:00Z")).at("2026-05-19T23:00:00Z"),
            Box::new(before("the report of INC-2", "the incident")),
        ),
        (
            "an incident before the coalition was founded",
            attack("INC-2", "2025-03-01T23:59:59Z").into(),
            Box::new(before("incident INC-2", "the founding of test-coalition")),
        ),
        (
            "an incident dated 1900",
            attack("INC-2", "1900-01-01T00:00:00Z").into(),
            Box::new(before("incident INC-2", "the founding")),
        ),
        (
            "a request before the founding",
            request(&["GBR"], "2025-01-01T00:00:00Z"),
            Box::new(before("the request for consultations", "the founding")),
        ),
        (
            "a ceasefire before the founding",
            ceasefire("2025-01-01T00:00:00Z"),
            Box::new(before("the ceasefire", "the founding")),
        ),
        (
            "a withdrawal before the commitment was made",
            withdraw("fra", "2025-12-31T00:00:00Z"),
            Box::new(before("the withdrawal of fra", "the commitment being made")),
        ),
        (
            "a pledge stated to be made before the founding",
            Step::from(pledge("early", "FRA").from("2024-06-01")).at("2025-01-01T00:00:00Z"),
            Box::new(before("commitment early", "the founding")),
        ),
    ];
    for (what, step, rule) in cases {
        let outcome = verified.clone().when(step);
        assert!(
            matches!(&outcome.result, Err(r) if rule(r)),
            "{what}: {:?}",
            outcome.result
        );
        assert_eq!(outcome.after.log.len(), verified.log.len(), "{what}");
    }
    // At the boundary each is accepted.
    verified
        .clone()
        .when(fulfil(&fra, "macron", "2026-05-14T10:00:00Z"))
        .then_accepted()
        .when(confirm("INC-1", "merz").at("2026-05-14T05:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn the_message_names_both_facts_and_both_times() {
    let scenario = entered_after_the_fact();
    let outcome = scenario.when(confirm("INC-1", "monitor").at("2026-05-14T04:00:00Z"));
    let Err(rejection) = &outcome.result else {
        panic!("accepted");
    };
    assert_eq!(
        rejection.to_string(),
        "the confirmation of INC-1 at 2026-05-14T04:00:00Z is before its report at 2026-05-14T05:00:00Z"
    );
    assert_eq!(rejection.code(), "time.before_dependency");
}

#[test]
fn a_historical_instrument_may_predate_the_coalition_but_not_1945() {
    let mut budapest = bilateral_2024("budapest", &["GBR", "UKR"]);
    budapest.historical = true;
    let mut paris = paris_style("paris", &["FRA", "GBR", "UKR"]);
    paris.historical = false;
    let scenario = Scenario::new().given(record(budapest)).given(record(paris));
    scenario
        .clone()
        .when(sign("budapest", "GBR", "1944-12-31T23:59:59Z"))
        .then_rejected_with(before("GBR's signature of budapest", "the earliest date"))
        .when(sign("budapest", "GBR", "1994-12-05T00:00:00Z"))
        .then_accepted()
        .when(Step::from(
            pledge("gbr-1994", "GBR").on("budapest").without_from(),
        ))
        .then_accepted();
    scenario
        .when(sign("paris", "FRA", "2024-01-01T00:00:00Z"))
        .then_rejected_with(before(
            "FRA's signature of paris",
            "the founding of test-coalition",
        ));
}

#[test]
fn a_ratification_cannot_precede_the_signature_nor_a_version_the_one_before() {
    Scenario::new()
        .given(record(paris_style("paris", &["FRA", "GBR", "UKR"])))
        .given(sign("paris", "FRA", "2026-01-06T12:00:00Z"))
        .when(ratify("paris", "FRA", "2026-01-06T11:00:00Z"))
        .then_rejected_with(before("FRA's ratification of paris", "its signature"));

    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], AdoptionRule::Unanimity);
    let revision = Command::ReviseStatement {
        statement: statement_id("s"),
        seed: coalition_core::statement::Seed([7; 32]),
        paragraphs: crate::fixture::paragraphs(&[(
            "Version two.",
            coalition_core::classification::Level::Public,
        )]),
        at: Some(at("2026-01-06T08:59:59Z")),
    };
    assert!(matches!(
        world.decide("secretariat", &revision),
        Err(Rejection::Chronology { .. })
    ));
    // An approval dated before the version it approves was tabled.
    world.now = at("2026-01-07T00:00:00Z");
    assert!(matches!(
        world.approve_at("macron", "s", 1, "2026-01-06T08:00:00Z"),
        Err(Rejection::Chronology { .. })
    ));
}

#[test]
fn a_pledge_older_than_the_coalition_was_taken_on_at_its_founding() {
    let scenario = Scenario::new().given(pledge("early", "FRA").from("2024-06-01"));
    assert_eq!(
        scenario.state.commitments()[&cid("early")].added_at,
        at("2025-03-02T00:00:00Z")
    );
}
