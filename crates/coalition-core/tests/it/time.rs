//! Stated times: every fact counts from when it happened, not from when it was recorded. A
//! secretariat enters verifications, requests and fulfilments after the fact; clocks, statuses
//! and adoption follow the times it states.

use coalition_core::command::Command;
use coalition_core::commitment::{ClockStart, ResponseKind};
use coalition_core::event::Event;
use coalition_core::incident::IncidentStatus;
use coalition_core::obligation::{Deadline, ObligationStatus};
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
