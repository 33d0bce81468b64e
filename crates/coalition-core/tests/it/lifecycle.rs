//! Commitments in force → incident → verification → obligations → settlement, told as
//! Given/When/Then.

use coalition_core::Event;
use coalition_core::Rejection;
use coalition_core::commitment::{ClockStart, CommitmentStatus, ResponseKind, TriggerKind};
use coalition_core::incident::{IncidentKind, IncidentStatus};
use coalition_core::obligation::{Deadline, ObligationStatus};

use crate::support::*;

use ClockStart::{Attack, Request, Verification};
use ResponseKind::{Consult, Deliver, Deploy};

/// The commitments an armed attack by RUS on UKR at `when`, verified by the monitor at the
/// scenario's clock, activates.
fn activated(scenario: Scenario, when: &str) -> Vec<String> {
    let scenario = scenario
        .given(attack("INC-1", when))
        .when(verify("INC-1"))
        .then_accepted();
    let mut ids: Vec<String> = scenario
        .opened("INC-1")
        .into_iter()
        .map(|(commitment, _)| commitment)
        .collect();
    ids.dedup();
    ids
}

fn status_of(scenario: &Scenario, commitment: &str, time: &str) -> CommitmentStatus {
    let record = &scenario.state.commitments()[&cid(commitment)];
    scenario.state.commitment_status(record, at(time))
}

// --- What activates -----------------------------------------------------------------------------

#[test]
fn verification_activates_a_commitment_in_force_whose_trigger_matches() {
    let outcome = Scenario::new()
        .given(pledge("gbr-consult", "GBR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .when(verify("INC-1"));
    let kinds: Vec<&str> = outcome.events().iter().map(Event::kind).collect();
    assert_eq!(
        kinds,
        [
            "incident_confirmed",
            "incident_verified",
            "obligation_opened"
        ]
    );
    let scenario = outcome.then_accepted();
    let obligation = &scenario
        .obligation("INC-1", "gbr-consult", Consult)
        .obligation;
    assert_eq!(obligation.guarantor, party("GBR"));
    assert_eq!(obligation.protected, party("UKR"));
    assert!(!obligation.provisional);
    assert_eq!(
        scenario.state.incidents()[&iid("INC-1")].status,
        IncidentStatus::Verified {
            at: at("2026-06-01T12:00:00Z")
        }
    );
}

#[test]
fn every_response_of_every_matching_commitment_opens_one_obligation() {
    let scenario = Scenario::new()
        .given(pledge("fra", "FRA").responses(&[
            (Consult, Some("24h"), Verification),
            (Deploy, Some("72h"), Verification),
        ]))
        .given(pledge("gbr", "GBR"));
    assert_eq!(
        activated(scenario, "2026-05-31T03:00:00Z"),
        ["fra", "gbr"],
        "both guarantors answer"
    );
}

#[test]
fn a_lapsed_commitment_does_not_activate() {
    let scenario = Scenario::new()
        .given(pledge("lapsed", "FRA").until("2026-03-31"))
        .given(pledge("live", "GBR"));
    assert_eq!(activated(scenario, "2026-05-31T03:00:00Z"), ["live"]);
}

#[test]
fn a_commitment_not_yet_in_force_at_the_attack_does_not_activate() {
    let scenario = Scenario::new()
        .given(pledge("later", "FRA").from("2026-06-01"))
        .given(pledge("live", "GBR"));
    assert_eq!(activated(scenario, "2026-05-31T03:00:00Z"), ["live"]);
}

#[test]
fn a_commitment_withdrawn_before_the_attack_does_not_activate() {
    let scenario = Scenario::new()
        .given(pledge("withdrawn", "FRA"))
        .given(withdraw("withdrawn", "2026-04-01T00:00:00Z"))
        .given(pledge("live", "GBR"));
    assert_eq!(activated(scenario, "2026-05-31T03:00:00Z"), ["live"]);
}

#[test]
fn a_commitment_withdrawn_after_the_attack_still_answers_for_it() {
    // In force at the incident's time is what counts, not at verification.
    let scenario = Scenario::new()
        .given(pledge("withdrawn-late", "FRA"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(withdraw("withdrawn-late", "2026-05-31T04:00:00Z"))
        .when(verify("INC-1"))
        .then_accepted();
    assert_eq!(
        scenario.opened("INC-1"),
        [("withdrawn-late".to_owned(), Consult)]
    );
}

#[test]
fn a_commitment_naming_another_aggressor_does_not_activate() {
    let scenario = Scenario::new()
        .given(pledge("against-belarus", "FRA").against("BLR"))
        .given(pledge("against-russia", "GBR"));
    assert_eq!(
        activated(scenario, "2026-05-31T03:00:00Z"),
        ["against-russia"]
    );
}

#[test]
fn a_commitment_protecting_another_state_does_not_activate() {
    let scenario = Scenario::new()
        .given(pledge("moldova", "FRA").protecting("MDA"))
        .given(pledge("ukraine", "GBR"));
    assert_eq!(activated(scenario, "2026-05-31T03:00:00Z"), ["ukraine"]);
}

#[test]
fn an_attack_on_the_other_protected_state_activates_only_its_commitments() {
    let scenario = Scenario::new()
        .given(pledge("moldova", "FRA").protecting("MDA"))
        .given(pledge("ukraine", "GBR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z").on("MDA"))
        .when(verify("INC-1"))
        .then_accepted();
    assert_eq!(scenario.opened("INC-1"), [("moldova".to_owned(), Consult)]);
}

#[test]
fn a_threat_activates_only_commitments_that_answer_threats() {
    let scenario = Scenario::new()
        .given(pledge("attack-only", "FRA"))
        .given(pledge("attack-or-threat", "USA").triggered_by(TriggerKind::ArmedAttackOrThreat))
        .given(attack("INC-1", "2026-05-31T03:00:00Z").kind(IncidentKind::ThreatOfAttack))
        .when(verify("INC-1"))
        .then_accepted();
    assert_eq!(
        scenario.opened("INC-1"),
        [("attack-or-threat".to_owned(), Consult)]
    );
}

#[test]
fn a_ceasefire_breach_trigger_answers_an_armed_attack_only_while_a_ceasefire_is_in_force() {
    let breach = || pledge("breach", "USA").triggered_by(TriggerKind::AttributedCeasefireBreach);
    let without = Scenario::new().given(breach());
    assert!(activated(without, "2026-05-31T03:00:00Z").is_empty());
    let with = Scenario::new()
        .given(breach())
        .given(ceasefire("2026-03-01T00:00:00Z"));
    assert_eq!(activated(with, "2026-05-31T03:00:00Z"), ["breach"]);
}

// --- The Paris pattern: signature, ratification, ceasefire ---------------------------------------

/// FRA and GBR are parties to a Paris-style declaration; FRA signed and ratified, GBR signed only.
fn paris() -> Scenario {
    Scenario::new()
        .given(record(paris_style("paris", &["FRA", "GBR", "UKR"])))
        .given(sign("paris", "FRA", "2026-01-06T12:00:00Z"))
        .given(ratify("paris", "FRA", "2026-01-20T00:00:00Z"))
        .given(sign("paris", "GBR", "2026-01-06T12:00:00Z"))
        .given(pledge("paris-fra", "FRA").on("paris").without_from())
        .given(pledge("paris-gbr", "GBR").on("paris").without_from())
}

#[test]
fn a_dormant_commitment_does_not_activate_without_a_ceasefire() {
    let scenario = paris();
    assert_eq!(
        status_of(&scenario, "paris-fra", "2026-05-31T03:00:00Z"),
        CommitmentStatus::Dormant
    );
    assert!(activated(scenario, "2026-05-31T03:00:00Z").is_empty());
}

#[test]
fn a_ratified_commitment_activates_once_a_ceasefire_was_in_force_before_the_attack() {
    let scenario = paris().given(ceasefire("2026-03-01T00:00:00Z"));
    assert_eq!(
        status_of(&scenario, "paris-fra", "2026-05-31T03:00:00Z"),
        CommitmentStatus::InForce
    );
    assert_eq!(activated(scenario, "2026-05-31T03:00:00Z"), ["paris-fra"]);
}

#[test]
fn a_ceasefire_declared_after_the_attack_does_not_activate_the_paris_guarantees_for_it() {
    let scenario = paris().given(ceasefire("2026-05-31T06:00:00Z"));
    assert!(activated(scenario, "2026-05-31T03:00:00Z").is_empty());
}

#[test]
fn an_unratified_commitment_does_not_activate_while_ratification_is_pending() {
    let scenario = paris().given(ceasefire("2026-03-01T00:00:00Z"));
    assert_eq!(
        status_of(&scenario, "paris-gbr", "2026-05-31T03:00:00Z"),
        CommitmentStatus::Signed
    );
    let ids = activated(scenario, "2026-05-31T03:00:00Z");
    assert!(!ids.contains(&"paris-gbr".to_owned()), "{ids:?}");
}

#[test]
fn a_ratification_recorded_after_the_attack_does_not_reach_back_to_it() {
    let scenario = paris()
        .given(ceasefire("2026-03-01T00:00:00Z"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(ratify("paris", "GBR", "2026-05-31T05:00:00Z"))
        .given(attack("INC-2", "2026-05-31T09:00:00Z"))
        .given(verify("INC-1"))
        .given(verify("INC-2"));
    assert_eq!(
        scenario.opened("INC-1"),
        [("paris-fra".to_owned(), Consult)]
    );
    assert_eq!(
        scenario.opened("INC-2"),
        [
            ("paris-fra".to_owned(), Consult),
            ("paris-gbr".to_owned(), Consult)
        ]
    );
}

// --- The `until` boundary -----------------------------------------------------------------------

#[test]
fn an_attack_on_the_last_day_of_validity_activates_and_one_the_next_day_does_not() {
    let scenario = Scenario::new()
        .given(pledge("ends-2030", "GBR").until("2030-12-31"))
        .now("2031-01-02T00:00:00Z")
        .given(attack("INC-1", "2030-12-31T23:59:59Z"))
        .given(attack("INC-2", "2031-01-01T00:00:00Z"))
        .given(verify("INC-1"))
        .given(verify("INC-2"));
    assert_eq!(
        scenario.opened("INC-1"),
        [("ends-2030".to_owned(), Consult)],
        "until is inclusive"
    );
    assert!(scenario.opened("INC-2").is_empty(), "lapsed at midnight");
    assert_eq!(
        status_of(&scenario, "ends-2030", "2031-01-01T00:00:00Z"),
        CommitmentStatus::Lapsed
    );
}

#[test]
fn an_attack_on_the_first_day_of_validity_activates_and_one_the_day_before_does_not() {
    let scenario = Scenario::new()
        .given(pledge("from-june", "GBR").from("2026-06-01"))
        .now("2026-06-02T00:00:00Z")
        .given(attack("INC-1", "2026-05-31T23:59:59Z"))
        .given(attack("INC-2", "2026-06-01T00:00:00Z"))
        .given(verify("INC-1"))
        .given(verify("INC-2"));
    assert!(scenario.opened("INC-1").is_empty());
    assert_eq!(
        scenario.opened("INC-2"),
        [("from-june".to_owned(), Consult)]
    );
}

// --- Clocks and deadlines -----------------------------------------------------------------------

#[test]
fn a_clock_from_the_attack_runs_from_when_the_attack_occurred() {
    let scenario = Scenario::new()
        .given(pledge("usa", "USA").responses(&[(Consult, Some("24h"), Attack)]))
        .given(attack("INC-1", "2026-05-31T03:40:00Z"))
        .given(verify("INC-1"));
    assert_eq!(
        scenario.due("INC-1", "usa", Consult),
        Deadline::Due(at("2026-06-01T03:40:00Z"))
    );
    assert_eq!(
        scenario.status_at("INC-1", "usa", Consult, "2026-06-01T12:00:00Z"),
        ObligationStatus::Overdue,
        "already overdue when verified"
    );
}

#[test]
fn a_clock_from_verification_runs_from_the_confirmation_that_verified() {
    let scenario = Scenario::new()
        .given(pledge("fra", "FRA").responses(&[(Deploy, Some("72h"), Verification)]))
        .given(attack("INC-1", "2026-05-31T03:40:00Z"))
        .now("2026-06-02T08:00:00Z")
        .given(verify("INC-1"));
    assert_eq!(
        scenario.due("INC-1", "fra", Deploy),
        Deadline::Due(at("2026-06-05T08:00:00Z"))
    );
}

#[test]
fn a_clock_from_a_request_waits_for_the_request_and_is_never_overdue_before_it() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::AwaitingRequest
    );
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2040-01-01T00:00:00Z"),
        ObligationStatus::Open
    );
}

#[test]
fn a_request_after_verification_starts_the_clock_from_the_request() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"))
        .now("2026-06-03T00:00:00Z")
        .given(request(&["GBR"], "2026-06-02T09:00:00Z"))
        .given(request(&["GBR"], "2026-06-02T18:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::Due(at("2026-06-03T09:00:00Z")),
        "the first request starts the clock; a second does not restart it"
    );
}

#[test]
fn a_request_made_between_the_attack_and_verification_starts_the_clock_at_opening() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(request(&["GBR"], "2026-05-31T06:00:00Z"))
        .given(verify("INC-1"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::Due(at("2026-06-01T06:00:00Z"))
    );
}

#[test]
fn a_request_made_before_the_attack_or_to_another_guarantor_starts_no_clock() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(request(&["GBR"], "2026-05-01T00:00:00Z"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"))
        .given(request(&["FRA"], "2026-06-01T12:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::AwaitingRequest
    );
}

#[test]
fn a_request_recorded_after_verification_but_dated_before_the_attack_starts_no_clock() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"))
        .given(request(&["GBR"], "2026-05-30T00:00:00Z"));
    assert_eq!(
        scenario.due("INC-1", "gbr", Consult),
        Deadline::AwaitingRequest
    );
}

#[test]
fn an_obligation_with_no_stated_response_time_has_no_deadline_and_is_never_overdue() {
    let scenario = Scenario::new()
        .given(pledge("compact", "NLD").responses(&[(Consult, None, Attack)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"));
    assert_eq!(
        scenario.due("INC-1", "compact", Consult),
        Deadline::NoDeadline
    );
    assert_eq!(
        scenario.due("INC-1", "compact", Consult).to_string(),
        "no deadline"
    );
    for time in [
        "2026-06-01T12:00:00Z",
        "2036-01-01T00:00:00Z",
        "2099-12-31T23:59:59Z",
    ] {
        assert_eq!(
            scenario.status_at("INC-1", "compact", Consult, time),
            ObligationStatus::Open,
            "at {time}"
        );
    }
    let id = scenario.obligation_id("INC-1", "compact", Consult);
    let scenario =
        scenario
            .now("2099-01-01T00:00:00Z")
            .given(fulfil(&id, "schoof", "2098-12-31T00:00:00Z"));
    assert_eq!(
        scenario.status_at("INC-1", "compact", Consult, "2099-01-01T00:00:00Z"),
        ObligationStatus::Fulfilled,
        "never late either"
    );
}

#[test]
fn an_obligation_is_overdue_only_after_its_due_time() {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"));
    // Verified at 2026-06-01T12:00:00Z, 24 hours.
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-02T12:00:00Z"),
        ObligationStatus::Open
    );
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-02T12:00:01Z"),
        ObligationStatus::Overdue
    );
}

// --- Settlement -------------------------------------------------------------------------------

fn one_obligation() -> (Scenario, String) {
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"))
        // Settlements below are dated in June: the clock has moved past them.
        .now("2026-07-01T00:00:00Z");
    let id = scenario.obligation_id("INC-1", "gbr", Consult);
    (scenario, id)
}

#[test]
fn fulfilment_by_the_due_time_is_fulfilled_and_after_it_fulfilled_late() {
    let (scenario, id) = one_obligation();
    let on_time = scenario
        .clone()
        .given(fulfil(&id, "starmer", "2026-06-02T12:00:00Z"));
    assert_eq!(
        on_time.status_at("INC-1", "gbr", Consult, "2026-07-01T00:00:00Z"),
        ObligationStatus::Fulfilled
    );
    let late = scenario.given(fulfil(&id, "starmer", "2026-06-02T12:00:01Z"));
    assert_eq!(
        late.status_at("INC-1", "gbr", Consult, "2026-07-01T00:00:00Z"),
        ObligationStatus::FulfilledLate
    );
}

#[test]
fn only_the_guarantor_or_the_secretariat_reports_fulfilment_and_only_once() {
    let (scenario, id) = one_obligation();
    let scenario = scenario
        .when(fulfil(&id, "macron", "2026-06-01T13:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .given(fulfil(&id, "secretariat", "2026-06-01T13:00:00Z"));
    scenario
        .when(fulfil(&id, "starmer", "2026-06-01T14:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn only_the_protected_state_may_waive_what_it_is_owed() {
    let (scenario, id) = one_obligation();
    let scenario = scenario
        .when(waive(&id, "starmer"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .when(waive(&id, "secretariat"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .when(waive(&id, "sandu"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .when(waive(&id, "zelenskyy"))
        .then_accepted();
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2030-01-01T00:00:00Z"),
        ObligationStatus::Waived,
        "waived is never overdue"
    );
    scenario
        .when(fulfil(&id, "starmer", "2026-06-01T13:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn a_disputed_obligation_can_still_be_fulfilled_but_not_disputed_again() {
    let (scenario, id) = one_obligation();
    // Disputed (at the time it is recorded) half an hour after verification.
    let scenario = scenario
        .now("2026-06-01T12:30:00Z")
        .when(dispute(&id, "meloni"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .given(dispute(&id, "zelenskyy"));
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-01T12:30:00Z"),
        ObligationStatus::Disputed
    );
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-01T12:29:59Z"),
        ObligationStatus::Open,
        "not disputed before the dispute"
    );
    let scenario = scenario
        .now("2026-07-01T00:00:00Z")
        .when(dispute(&id, "starmer"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }))
        .given(fulfil(&id, "starmer", "2026-06-01T13:00:00Z"));
    assert_eq!(
        scenario.status_at("INC-1", "gbr", Consult, "2026-06-01T13:00:00Z"),
        ObligationStatus::Fulfilled
    );
}

// --- Provisional trigger ------------------------------------------------------------------------

fn consult_and_deploy() -> Scenario {
    Scenario::new()
        .given(pledge("fra", "FRA").responses(&[
            (Consult, Some("24h"), Verification),
            (Deploy, Some("72h"), Verification),
        ]))
        .given(pledge("pol", "POL").responses(&[(Deliver, Some("7d"), Verification)]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
}

#[test]
fn a_provisional_trigger_opens_only_consultations() {
    let scenario = consult_and_deploy().when(trigger("INC-1")).then_accepted();
    assert_eq!(scenario.opened("INC-1"), [("fra".to_owned(), Consult)]);
    assert!(
        scenario
            .obligation("INC-1", "fra", Consult)
            .obligation
            .provisional
    );
    assert_eq!(
        scenario.state.incidents()[&iid("INC-1")].status.name(),
        "provisionally-triggered"
    );
}

#[test]
fn verification_after_a_provisional_trigger_opens_the_rest_without_duplicates() {
    let scenario = consult_and_deploy()
        .given(trigger("INC-1"))
        .now("2026-06-02T12:00:00Z")
        .given(verify("INC-1"));
    assert_eq!(
        scenario.opened("INC-1"),
        [
            ("fra".to_owned(), Consult),
            ("fra".to_owned(), Deploy),
            ("pol".to_owned(), Deliver)
        ]
    );
    assert_eq!(scenario.state.obligations().len(), 3);
    assert_eq!(
        scenario.due("INC-1", "fra", Consult),
        Deadline::Due(at("2026-06-02T12:00:00Z")),
        "the consultation's clock started at the provisional trigger"
    );
}

#[test]
fn rejection_after_a_provisional_trigger_cancels_the_provisional_obligations() {
    let scenario = consult_and_deploy()
        .given(trigger("INC-1"))
        .when(reject("INC-1", "monitor"))
        .then_accepted();
    assert_eq!(
        scenario.status_at("INC-1", "fra", Consult, "2026-07-01T00:00:00Z"),
        ObligationStatus::Cancelled,
        "cancelled, never overdue"
    );
    assert!(scenario.find_obligation("INC-1", "fra", Deploy).is_none());
    scenario
        .when(verify("INC-1"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn only_the_secretariat_triggers_provisionally_and_only_before_verification() {
    let scenario = consult_and_deploy()
        .when(step("macron", trigger("INC-1").command))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .given(verify("INC-1"));
    scenario
        .when(trigger("INC-1"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

// --- The verification rule ----------------------------------------------------------------------

fn verified(scenario: &Scenario) -> bool {
    scenario.state.incidents()[&iid("INC-1")].status.name() == "verified"
}

fn reported() -> Scenario {
    Scenario::new()
        .given(pledge("gbr", "GBR"))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
}

#[test]
fn the_monitoring_mechanism_alone_verifies() {
    let scenario = reported().given(verify("INC-1"));
    assert!(verified(&scenario));
}

#[test]
fn the_secretariat_verifies_with_three_distinct_member_states() {
    let scenario = reported()
        .given(confirm("INC-1", "secretariat"))
        .given(confirm("INC-1", "macron"))
        .given(confirm("INC-1", "starmer"));
    assert!(!verified(&scenario), "two members are not enough");
    let scenario = scenario.given(confirm("INC-1", "lammy"));
    assert!(
        !verified(&scenario),
        "a second principal of the same member does not count twice"
    );
    let outcome = scenario.when(confirm("INC-1", "merz"));
    assert!(
        outcome
            .events()
            .iter()
            .any(|e| matches!(e, Event::IncidentVerified { .. }))
    );
    assert_eq!(outcome.then_accepted().opened("INC-1").len(), 1);
}

#[test]
fn members_without_the_secretariat_do_not_verify() {
    let scenario = reported()
        .given(confirm("INC-1", "macron"))
        .given(confirm("INC-1", "starmer"))
        .given(confirm("INC-1", "merz"))
        .given(confirm("INC-1", "meloni"));
    assert!(!verified(&scenario));
    assert!(scenario.opened("INC-1").is_empty());
}

#[test]
fn a_partners_envoy_is_refused_as_a_confirmer_and_does_not_count() {
    let scenario = reported()
        .given(confirm("INC-1", "secretariat"))
        .given(confirm("INC-1", "macron"))
        .given(confirm("INC-1", "starmer"))
        .when(confirm("INC-1", "witkoff"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }));
    assert!(!verified(&scenario));
    assert_eq!(
        scenario.state.incidents()[&iid("INC-1")]
            .confirmations
            .len(),
        3
    );
}

#[test]
fn an_observer_is_refused_as_a_confirmer_and_a_principal_confirms_once() {
    reported()
        .when(confirm("INC-1", "swiss-observer"))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }))
        .given(confirm("INC-1", "macron"))
        .when(confirm("INC-1", "macron"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

#[test]
fn a_verified_incident_is_not_verified_again_and_opens_nothing_more() {
    reported()
        .given(verify("INC-1"))
        .when(confirm("INC-1", "secretariat"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }))
        .when(reject("INC-1", "monitor"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

/// Which rule a refusal must name.
type RuleCheck = fn(&Rejection) -> bool;

// --- Refusals record nothing ------------------------------------------------------------------

#[test]
fn every_refused_command_returns_its_rule_and_emits_nothing() {
    let base = reported().given(verify("INC-1"));
    let ob = base.obligation_id("INC-1", "gbr", Consult);
    let cases: Vec<(&str, Step, RuleCheck)> = vec![
        (
            "an unknown principal",
            step("nobody", verify("INC-1").command),
            |r| matches!(r, Rejection::UnknownPrincipal(_)),
        ),
        (
            "an observer reports",
            attack("INC-2", "2026-05-31T00:00:00Z")
                .reported_by("swiss-observer")
                .into(),
            |r| matches!(r, Rejection::NotAuthorised { .. }),
        ),
        (
            "an incident in the future",
            attack("INC-2", "2026-06-01T12:00:01Z").into(),
            |r| matches!(r, Rejection::Invalid { .. }),
        ),
        (
            "a duplicate incident id",
            attack("INC-1", "2026-05-31T00:00:00Z").into(),
            |r| matches!(r, Rejection::DuplicateId { .. }),
        ),
        ("an unknown incident", verify("INC-9"), |r| {
            matches!(r, Rejection::UnknownIncident(_))
        }),
        (
            "an unknown obligation",
            fulfil("OB-99", "starmer", "2026-06-01T12:00:00Z"),
            |r| matches!(r, Rejection::UnknownObligation(_)),
        ),
        (
            "a duplicate commitment id",
            pledge("gbr", "FRA").into(),
            |r| matches!(r, Rejection::DuplicateId { .. }),
        ),
        (
            "until before from",
            pledge("backwards", "FRA")
                .from("2027-01-01")
                .until("2026-12-31")
                .into(),
            |r| matches!(r, Rejection::UntilBeforeFrom { .. }),
        ),
        (
            "an unknown category",
            pledge("cyber", "FRA").category("cyber-defence").into(),
            |r| matches!(r, Rejection::UnknownCategory { .. }),
        ),
        (
            "an aggressor that is a member",
            pledge("odd", "FRA").against("DEU").into(),
            |r| matches!(r, Rejection::WrongSeat { .. }),
        ),
        (
            "an adversary as guarantor",
            pledge("odd", "RUS").into(),
            |r| matches!(r, Rejection::WrongSeat { .. }),
        ),
        ("a party with no seat", pledge("odd", "JPN").into(), |r| {
            matches!(r, Rejection::NoSeat(_))
        }),
        (
            "a pledge with neither instrument nor first day",
            pledge("odd", "FRA").without_from().into(),
            |r| matches!(r, Rejection::Invalid { .. }),
        ),
        (
            "an unknown instrument",
            pledge("odd", "FRA").on("nowhere").into(),
            |r| matches!(r, Rejection::UnknownInstrument(_)),
        ),
        (
            "a leader committing another state",
            step("meloni", Step::from(pledge("odd", "GBR")).command),
            |r| matches!(r, Rejection::NotAuthorised { .. }),
        ),
        ("a waiver by the guarantor", waive(&ob, "starmer"), |r| {
            matches!(r, Rejection::NotAuthorised { .. })
        }),
        (
            "a request by a guarantor's leader",
            step("starmer", request(&["FRA"], "2026-06-01T00:00:00Z").command),
            |r| matches!(r, Rejection::NotAuthorised { .. }),
        ),
        (
            "a request to nobody",
            request(&[], "2026-06-01T00:00:00Z"),
            |r| matches!(r, Rejection::Invalid { .. }),
        ),
        (
            "a ceasefire declared by a leader",
            step("macron", ceasefire("2026-03-01T00:00:00Z").command),
            |r| matches!(r, Rejection::NotAuthorised { .. }),
        ),
        (
            "founding again",
            step("secretariat", founding(COALITION)),
            |r| matches!(r, Rejection::AlreadyFounded(_)),
        ),
    ];
    for (what, step, rule) in cases {
        let outcome = base.clone().when(step);
        assert!(
            matches!(&outcome.result, Err(r) if rule(r)),
            "{what}: {:?}",
            outcome.result
        );
        assert_eq!(outcome.after.log.len(), base.log.len(), "{what}");
    }
}

#[test]
fn nothing_but_founding_is_accepted_before_the_coalition_is_founded() {
    let empty = Scenario {
        state: coalition_core::State::new(),
        log: Vec::new(),
        recorded: Vec::new(),
        now: at("2026-01-06T12:00:00Z"),
    };
    empty
        .when(pledge("gbr", "GBR"))
        .then_rejected_with(|r| *r == Rejection::NotFounded);
}

#[test]
fn a_second_ceasefire_while_one_is_in_force_is_refused() {
    Scenario::new()
        .given(ceasefire("2026-03-01T00:00:00Z"))
        .when(ceasefire("2026-04-01T00:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
}

// --- Stated times ---------------------------------------------------------------------------------

#[test]
fn a_stated_time_in_the_future_is_refused_and_records_nothing() {
    let (scenario, id) = one_obligation();
    // The clock stands at 2026-07-01T00:00:00Z.
    scenario
        .when(fulfil(&id, "starmer", "2026-07-01T00:00:01Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "at", .. }))
        .when(ceasefire("2026-08-01T00:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "at", .. }))
        .when(fulfil(&id, "starmer", "2026-07-01T00:00:00Z"))
        .then_accepted();
}

#[test]
fn a_withdrawal_cannot_be_dated_before_an_attack_the_commitment_answered() {
    let (scenario, _) = one_obligation();
    // The pledge answered INC-1, which occurred at 2026-05-31T03:00:00Z.
    scenario
        .when(withdraw("gbr", "2026-05-30T00:00:00Z"))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "at", .. }))
        .when(withdraw("gbr", "2026-06-15T00:00:00Z"))
        .then_accepted();
}
