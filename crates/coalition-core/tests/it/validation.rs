//! The validation gaps a secretariat's analyst found (issue 8 §4): each is refused with the
//! field it concerns, and a refusal records nothing.

use coalition_core::command::Command;
use coalition_core::commitment::{ClockStart, Condition, ResponseKind, Stage, TriggerKind};
use coalition_core::incident::IncidentKind;
use coalition_core::limits;
use coalition_core::rejection::Rejection;

use crate::support::*;

fn invalid(field: &'static str) -> impl Fn(&Rejection) -> bool {
    move |r| matches!(r, Rejection::Invalid { field: f, .. } if *f == field)
}

fn problem(rejection: &Rejection) -> String {
    rejection.to_string()
}

#[test]
fn a_member_cannot_be_the_aggressor_of_an_incident() {
    Scenario::new()
        .when(attack("INC-1", "2026-05-01T00:00:00Z").by_aggressor("FRA"))
        .then_rejected_with(
            |r| matches!(r, Rejection::WrongSeat { party, .. } if party.as_str() == "FRA"),
        );
    // A state with no seat may attack; so may the adversary.
    Scenario::new()
        .when(attack("INC-1", "2026-05-01T00:00:00Z").by_aggressor("BLR"))
        .then_accepted();
}

#[test]
fn consultations_are_asked_of_guarantors_only() {
    Scenario::new()
        .when(request(&["GBR", "RUS"], "2026-05-01T00:00:00Z"))
        .then_rejected_with(
            |r| matches!(r, Rejection::WrongSeat { party, .. } if party.as_str() == "RUS"),
        );
}

#[test]
fn a_response_window_of_no_time_is_refused() {
    Scenario::new()
        .when(pledge("usa", "USA").responses(&[(
            ResponseKind::Consult,
            Some("0h"),
            ClockStart::Attack,
        )]))
        .then_rejected_with(invalid("responses"));
}

#[test]
fn support_is_recorded_as_allocated_or_delivered_and_never_delivered_before_allocated() {
    let scenario = Scenario::new().given(pledge("dnk", "DNK").category("financial").amount(
        3000,
        "EUR-million",
        Stage::Committed,
    ));
    let scenario = scenario
        .when(support("dnk", Stage::Committed, 5))
        .then_rejected_with(invalid("stage"));
    let scenario = scenario
        .when(support("dnk", Stage::Delivered, 100))
        .then_rejected_with(|r| {
            matches!(
                r,
                Rejection::Invalid {
                    field: "quantity",
                    ..
                }
            ) && problem(r).contains("record the allocation first")
        });
    scenario
        .given(support("dnk", Stage::Allocated, 100))
        .when(support("dnk", Stage::Delivered, 100))
        .then_accepted();
}

#[test]
fn a_withdrawal_says_why_and_the_record_keeps_it() {
    let scenario = Scenario::new().given(pledge("ita", "ITA"));
    let without = step(
        "secretariat",
        Command::WithdrawCommitment {
            commitment: cid("ita"),
            reason: " ".into(),
            at: None,
        },
    );
    let scenario = scenario.when(without).then_rejected_with(invalid("reason"));
    let scenario = scenario.given(withdraw("ita", "2026-05-01T00:00:00Z"));
    assert_eq!(
        scenario.state.commitments()[&cid("ita")].withdrawal_reason,
        "superseded"
    );
}

#[test]
fn free_text_over_its_limit_is_refused_naming_the_field() {
    let mut long = attack("INC-1", "2026-05-01T00:00:00Z");
    long.incident.description = "a".repeat(limits::TEXT + 1);
    Scenario::new().when(long).then_rejected_with(|r| {
        matches!(
            r,
            Rejection::Invalid {
                field: "description",
                ..
            }
        ) && problem(r).contains(&format!("at most {}", limits::TEXT))
    });
    // At the limit exactly, it is accepted (characters, not bytes: "é" is two bytes).
    let mut at_limit = attack("INC-1", "2026-05-01T00:00:00Z");
    at_limit.incident.description = "é".repeat(limits::TEXT);
    Scenario::new().when(at_limit).then_accepted();
    let mut many = attack("INC-1", "2026-05-01T00:00:00Z");
    many.incident.evidence = vec!["ref".into(); limits::ITEMS + 1];
    Scenario::new()
        .when(many)
        .then_rejected_with(invalid("evidence"));
}

#[test]
fn the_new_incident_kinds_open_what_their_triggers_answer() {
    let scenario = Scenario::new()
        .given(pledge("attack-only", "FRA"))
        .given(pledge("art4", "GBR").triggered_by(TriggerKind::ThreatToSecurity))
        .given(pledge("breach", "DEU").triggered_by(TriggerKind::AttributedCeasefireBreach));
    // Outside a ceasefire, a drone incursion opens only the Article 4-style consultations.
    let drones = scenario
        .clone()
        .given(attack("INC-1", "2026-05-01T00:00:00Z").kind(IncidentKind::DroneIncursion))
        .given(verify("INC-1"));
    let opened: Vec<String> = drones.opened("INC-1").into_iter().map(|(c, _)| c).collect();
    assert_eq!(opened, ["art4"]);
    // Under a ceasefire, it breaches the ceasefire too.
    let under_ceasefire = scenario
        .given(ceasefire("2026-04-01T00:00:00Z"))
        .given(attack("INC-1", "2026-05-01T00:00:00Z").kind(IncidentKind::DroneIncursion))
        .given(verify("INC-1"));
    let mut opened: Vec<String> = under_ceasefire
        .opened("INC-1")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    opened.sort();
    assert_eq!(opened, ["art4", "breach"]);
}

#[test]
fn a_scope_condition_is_evaluated_against_the_incident() {
    let mut budapest = pledge("budapest", "GBR");
    budapest.0.trigger.requires = vec![Condition::NuclearWeaponsUsed];
    let scenario = Scenario::new().given(budapest);
    let conventional = scenario
        .clone()
        .given(attack("INC-1", "2026-05-01T00:00:00Z"))
        .given(verify("INC-1"));
    assert!(conventional.opened("INC-1").is_empty());
    let mut nuclear = attack("INC-1", "2026-05-01T00:00:00Z");
    nuclear.incident.nuclear_weapons_used = true;
    let nuclear = scenario.given(nuclear).given(verify("INC-1"));
    assert_eq!(nuclear.opened("INC-1").len(), 1);
}

#[test]
fn a_quantity_beyond_what_canonical_json_holds_exactly_is_refused() {
    Scenario::new()
        .when(pledge("dnk", "DNK").category("financial").amount(
            limits::QUANTITY + 1,
            "EUR-million",
            Stage::Committed,
        ))
        .then_rejected_with(invalid("quantity"));
    Scenario::new()
        .when(pledge("dnk", "DNK").category("financial").amount(
            limits::QUANTITY,
            "EUR-million",
            Stage::Committed,
        ))
        .then_accepted();
}
