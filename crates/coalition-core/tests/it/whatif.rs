//! What-ifs: a planner's "if Russia attacked on …" answered on a copy of the state, through the
//! same activation as a real verification, writing nothing.

use std::collections::BTreeMap;

use coalition_core::activation::Unanswered;
use coalition_core::commitment::{ClockStart, ResponseKind, TriggerKind};
use coalition_core::obligation::Deadline;
use coalition_core::rejection::Rejection;
use coalition_core::whatif::{WhatIf, WhatIfAnswer, what_if};

use crate::support::*;

use ClockStart::{Attack, Request, Verification};
use ResponseKind::{Consult, Deliver, Deploy};

/// A planner's coalition, on 1 June 2026: guarantees of every kind and standing.
///
/// - `usa`: consult within 24 h of the attack; `gbr`: within 24 h of Ukraine's request;
///   `nld`: deliver "swiftly" (no deadline) — all unilateral, in force.
/// - `fra-paris`: deploy within 72 h of verification, on a Paris-style declaration FRA signed and
///   ratified — dormant until a ceasefire. `deu-paris`: the same, DEU signed only.
/// - `pol-lapsing`: lapses at the end of 2026; `ita-withdrawn`: withdrawn; `dnk-later`: in force
///   only from 2028; `blr-only`: answers Belarus; `mda-only`: protects Moldova; `threat-only`
///   answers threats and attacks (it answers); `breach-only` answers ceasefire breaches.
fn planners_coalition() -> Scenario {
    Scenario::new()
        .given(pledge("usa", "USA").responses(&[(Consult, Some("24h"), Attack)]))
        .given(pledge("gbr", "GBR").responses(&[(Consult, Some("24h"), Request)]))
        .given(pledge("nld", "NLD").responses(&[(Deliver, None, Verification)]))
        .given(record(paris_style("paris", &["FRA", "DEU", "UKR"])))
        .given(sign("paris", "FRA", "2026-01-06T12:00:00Z"))
        .given(ratify("paris", "FRA", "2026-01-20T00:00:00Z"))
        .given(sign("paris", "DEU", "2026-01-06T12:00:00Z"))
        .given(
            pledge("fra-paris", "FRA")
                .on("paris")
                .without_from()
                .responses(&[(Deploy, Some("72h"), Verification)]),
        )
        .given(
            pledge("deu-paris", "DEU")
                .on("paris")
                .without_from()
                .responses(&[(Deploy, Some("72h"), Verification)]),
        )
        .given(pledge("pol-lapsing", "POL").until("2026-12-31"))
        .given(pledge("ita-withdrawn", "ITA"))
        .given(withdraw("ita-withdrawn", "2026-05-01T00:00:00Z"))
        .given(pledge("dnk-later", "DNK").from("2028-01-01"))
        .given(pledge("blr-only", "FRA").against("BLR"))
        .given(pledge("mda-only", "FRA").protecting("MDA"))
        .given(pledge("threat-only", "GBR").triggered_by(TriggerKind::ArmedAttackOrThreat))
        .given(pledge("breach-only", "GBR").triggered_by(TriggerKind::AttributedCeasefireBreach))
}

fn question(when: &str) -> WhatIf {
    WhatIf {
        incident: attack("ignored", when).incident,
        verified_at: None,
        requests: Vec::new(),
        assume_ceasefire: None,
        assume_ratified: Vec::new(),
    }
}

fn reasons(answer: &WhatIfAnswer) -> BTreeMap<String, Unanswered> {
    answer
        .not_answering
        .iter()
        .map(|n| (n.commitment.to_string(), n.reason))
        .collect()
}

fn deadlines(answer: &WhatIfAnswer) -> BTreeMap<String, Deadline> {
    answer
        .would_open
        .iter()
        .map(|o| (o.obligation.commitment.to_string(), o.deadline))
        .collect()
}

#[test]
fn a_future_attack_shows_what_would_open_by_when_and_why_the_rest_would_not() {
    let scenario = planners_coalition();
    let before = format!("{:?}", scenario.state);
    let mut q = question("2027-06-14T03:00:00Z");
    q.verified_at = Some(at("2027-06-14T09:00:00Z"));
    let answer = what_if(&scenario.state, &q).unwrap();
    assert_eq!(
        format!("{:?}", scenario.state),
        before,
        "a what-if writes nothing"
    );

    assert_eq!(
        deadlines(&answer),
        BTreeMap::from([
            ("usa".into(), Deadline::Due(at("2027-06-15T03:00:00Z"))),
            ("gbr".into(), Deadline::AwaitingRequest),
            ("nld".into(), Deadline::NoDeadline),
            (
                "threat-only".into(),
                Deadline::Due(at("2027-06-15T09:00:00Z"))
            ),
        ])
    );
    assert_eq!(answer.due().count(), 2);
    assert_eq!(answer.awaiting_request().count(), 1);
    assert_eq!(answer.no_deadline().count(), 1);
    assert_eq!(
        reasons(&answer),
        BTreeMap::from([
            ("fra-paris".into(), Unanswered::Dormant),
            ("deu-paris".into(), Unanswered::Unratified),
            ("pol-lapsing".into(), Unanswered::Lapsed),
            ("ita-withdrawn".into(), Unanswered::Withdrawn),
            ("dnk-later".into(), Unanswered::NotYetInForce),
            ("blr-only".into(), Unanswered::OtherAggressor),
            ("mda-only".into(), Unanswered::OtherTarget),
            ("breach-only".into(), Unanswered::KindNotAnswered),
        ])
    );
    for o in &answer.would_open {
        assert!(o.obligation.marking.level >= coalition_core::classification::Level::Unclassified);
    }
}

#[test]
fn assumptions_and_requests_change_the_answer() {
    let scenario = planners_coalition();
    let mut q = question("2027-06-14T03:00:00Z");
    q.assume_ceasefire = Some(at("2027-01-01T00:00:00Z"));
    q.assume_ratified = vec![party("DEU")];
    q.requests = vec![(party("GBR"), at("2027-06-14T06:00:00Z"))];
    let answer = what_if(&scenario.state, &q).unwrap();
    let due = deadlines(&answer);
    assert_eq!(
        due["fra-paris"],
        Deadline::Due(at("2027-06-17T03:00:00Z")),
        "the assumed ceasefire activates the Paris guarantee; verified when it occurs"
    );
    assert_eq!(due["deu-paris"], Deadline::Due(at("2027-06-17T03:00:00Z")));
    assert_eq!(due["gbr"], Deadline::Due(at("2027-06-15T06:00:00Z")));
    assert!(
        due.contains_key("breach-only"),
        "an attack during a ceasefire breaches it"
    );
}

#[test]
fn a_what_if_answers_as_the_record_will_once_the_attack_is_entered() {
    // The planner asks on 1 June about an attack on 10 June; on 20 June the attack, its
    // verification and Ukraine's request are entered with their times.
    let scenario = planners_coalition();
    let mut q = question("2026-06-10T03:00:00Z");
    q.verified_at = Some(at("2026-06-10T09:00:00Z"));
    q.requests = vec![(party("GBR"), at("2026-06-10T12:00:00Z"))];
    let planned = what_if(&scenario.state, &q).unwrap();

    let happened = scenario
        .now("2026-06-20T00:00:00Z")
        .given(Step::from(attack("INC-1", "2026-06-10T03:00:00Z")).at("2026-06-10T04:00:00Z"))
        .given(verify("INC-1").at("2026-06-10T09:00:00Z"))
        .given(request(&["GBR"], "2026-06-10T12:00:00Z"));
    let recorded: BTreeMap<String, Deadline> = happened
        .state
        .obligations()
        .values()
        .map(|o| (o.obligation.commitment.to_string(), o.deadline()))
        .collect();
    assert_eq!(deadlines(&planned), recorded);
    // And the world as it stood on 11 June, asked afterwards, says the same.
    let world = coalition_core::State::world_at(happened.entries(), at("2026-06-11T00:00:00Z"));
    let then: BTreeMap<String, Deadline> = world
        .obligations()
        .values()
        .map(|o| (o.obligation.commitment.to_string(), o.deadline()))
        .collect();
    assert_eq!(then, recorded);
}

#[test]
fn a_what_if_checks_its_incident_as_a_report_would() {
    let scenario = planners_coalition();
    let mut q = question("2027-06-14T03:00:00Z");
    q.verified_at = Some(at("2027-06-14T02:00:00Z"));
    assert!(matches!(
        what_if(&scenario.state, &q),
        Err(Rejection::Chronology { .. })
    ));
    let mut q = question("2027-06-14T03:00:00Z");
    q.incident.target = party("JPN");
    assert!(matches!(
        what_if(&scenario.state, &q),
        Err(Rejection::NoSeat(_))
    ));
    let mut q = question("2027-06-14T03:00:00Z");
    q.assume_ratified = vec![party("GBR")];
    assert!(matches!(
        what_if(&scenario.state, &q),
        Err(Rejection::Invalid {
            field: "assume-ratified",
            ..
        })
    ));
    let q = question("2020-06-14T03:00:00Z");
    assert!(matches!(
        what_if(&scenario.state, &q),
        Err(Rejection::Chronology { .. })
    ));
}
