//! The two axes over random histories whose facts are entered out of order: the world as it
//! stood at T (`State::world_at`) holds exactly the facts dated by T, with the statuses they had
//! then; the record as it stood at R is the log truncated at R.

use std::collections::BTreeSet;

use coalition_core::dates::Timestamp;
use coalition_core::event::Event;
use coalition_core::incident::IncidentStatus;
use coalition_core::obligation::Deadline;
use coalition_core::state::State;
use proptest::prelude::*;

use crate::replay::{Op, arb_op, base, step_for};
use crate::support::*;

/// Runs a random history, keeping after each step the state it left (to compare with the log
/// truncated there).
fn run(ops: &[Op]) -> (Scenario, Vec<(Timestamp, String)>) {
    let mut scenario = base();
    let mut snapshots = vec![(scenario.now, format!("{:?}", scenario.state))];
    for (counter, op) in ops.iter().enumerate() {
        if let Op::Advance { hours } = op {
            scenario.now = Timestamp::from_unix(scenario.now.unix() + hours * 3600);
            continue;
        }
        if let Some(step) = step_for(&scenario, op, counter) {
            scenario = scenario.when(step).after;
            snapshots.push((scenario.now, format!("{:?}", scenario.state)));
        }
    }
    (scenario, snapshots)
}

fn hours_from(start: Timestamp, hours: i64) -> Timestamp {
    Timestamp::from_unix(start.unix() + hours * 3600)
}

/// Every dated fact in `world` is dated by `t`, and every fact of `full` dated by `t` is there.
fn holds_exactly_the_facts_dated_by(
    world: &State,
    full: &State,
    t: Timestamp,
) -> Result<(), TestCaseError> {
    let expected: BTreeSet<_> = full
        .obligations()
        .values()
        .filter(|o| o.obligation.opened_at <= t)
        .map(|o| o.obligation.id.clone())
        .collect();
    let present: BTreeSet<_> = world.obligations().keys().cloned().collect();
    prop_assert_eq!(present, expected, "obligations at {}", t);
    for record in world.obligations().values() {
        prop_assert!(
            record
                .obligation
                .clock_started_at
                .is_none_or(|start| start <= t),
            "{}'s clock started after {}",
            record.obligation.id,
            t
        );
        prop_assert!(
            record.settlement.at().is_none_or(|at| at <= t),
            "{} settled after {}",
            record.obligation.id,
            t
        );
    }
    let expected: BTreeSet<_> = full
        .incidents()
        .values()
        .filter(|i| i.reported_at <= t)
        .map(|i| i.incident.id.clone())
        .collect();
    let present: BTreeSet<_> = world.incidents().keys().cloned().collect();
    prop_assert_eq!(present, expected, "incidents at {}", t);
    for record in world.incidents().values() {
        prop_assert!(record.confirmations.iter().all(|c| c.at <= t));
        let settled_at = record.status.at();
        prop_assert!(settled_at.is_none_or(|at| at <= t), "{:?}", record.status);
        let full_status = &full.incidents()[&record.incident.id].status;
        if matches!(full_status, IncidentStatus::Verified { at } | IncidentStatus::Rejected { at } if *at <= t)
        {
            prop_assert_eq!(&record.status, full_status);
        }
    }
    let expected: BTreeSet<_> = full
        .commitments()
        .values()
        .filter(|c| c.added_at <= t)
        .map(|c| c.commitment.id.clone())
        .collect();
    let present: BTreeSet<_> = world.commitments().keys().cloned().collect();
    prop_assert_eq!(present, expected, "commitments at {}", t);
    prop_assert!(
        world
            .commitments()
            .values()
            .all(|c| c.withdrawn.is_none_or(|w| w <= t))
    );
    let requests = |state: &State| -> Vec<String> {
        let mut all: Vec<String> = state
            .requests()
            .iter()
            .filter(|r| r.at <= t)
            .map(|r| format!("{}>{}@{}", r.by, r.with, r.at))
            .collect();
        all.sort();
        all
    };
    prop_assert_eq!(requests(world), requests(full));
    prop_assert_eq!(world.requests().len(), requests(world).len());
    for ceasefire in world.ceasefires() {
        prop_assert!(ceasefire.in_force_from <= t);
        prop_assert!(ceasefire.ended_at.is_none_or(|end| end <= t));
    }
    for instrument in world.instruments().values() {
        prop_assert!(instrument.signed.values().all(|at| *at <= t));
        prop_assert!(instrument.ratified.values().all(|(_, at)| *at <= t));
    }
    Ok(())
}

/// What the world at `t` derives at `t` is what the whole record derives at `t`: statuses never
/// depend on facts dated later.
fn derives_what_the_record_derives(
    world: &State,
    full: &State,
    t: Timestamp,
) -> Result<(), TestCaseError> {
    for (id, record) in world.commitments() {
        prop_assert_eq!(
            world.commitment_status(record, t),
            full.commitment_status(&full.commitments()[id], t),
            "status of {} at {}",
            id,
            t
        );
    }
    for (id, record) in world.obligations() {
        let later = &full.obligations()[id];
        match record.deadline() {
            Deadline::Due(due) => prop_assert_eq!(later.deadline(), Deadline::Due(due)),
            Deadline::AwaitingRequest => prop_assert!(
                later
                    .obligation
                    .clock_started_at
                    .is_none_or(|started| started > t),
                "{} was awaiting a request at {} that the record dates earlier",
                id,
                t
            ),
            Deadline::NoDeadline => prop_assert_eq!(later.deadline(), Deadline::NoDeadline),
        }
        // Only the latest settlement is kept; where it is dated by `t` both must agree.
        if later.settlement.at().is_none_or(|at| at <= t) {
            prop_assert_eq!(
                record.status(t),
                later.status(t),
                "status of {} at {}",
                id,
                t
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_world_at_t_holds_exactly_the_facts_dated_by_t_with_their_statuses_then(
        ops in prop::collection::vec(arb_op(), 1..45),
        mut probes in prop::collection::vec(-3000i64..4000, 5),
    ) {
        let (scenario, _) = run(&ops);
        let full = &scenario.state;
        let start = at("2026-06-01T12:00:00Z");
        probes.sort_unstable();
        let mut earlier: Option<State> = None;
        for hours in probes {
            let t = hours_from(start, hours);
            let world = State::world_at(scenario.entries(), t);
            holds_exactly_the_facts_dated_by(&world, full, t)?;
            derives_what_the_record_derives(&world, full, t)?;
            // The world only grows: what held at an earlier time still happened.
            if let Some(before) = &earlier {
                for id in before.obligations().keys() {
                    prop_assert!(world.obligations().contains_key(id));
                }
                for id in before.incidents().keys() {
                    prop_assert!(world.incidents().contains_key(id));
                }
            }
            earlier = Some(world);
        }
        let end_of_time = Timestamp::from_unix(i64::from(i32::MAX) * 4);
        prop_assert_eq!(
            format!("{:?}", State::world_at(scenario.entries(), end_of_time)),
            format!("{full:?}"),
            "the world at the end of time is the whole record"
        );
    }

    #[test]
    fn the_record_as_of_r_is_the_log_truncated_at_r(
        ops in prop::collection::vec(arb_op(), 1..45),
        probes in prop::collection::vec(0usize..1000, 4),
    ) {
        let (scenario, snapshots) = run(&ops);
        for n in probes {
            let (recorded_by, state_then) = &snapshots[n % snapshots.len()];
            // Every step recorded by `recorded_by` (several may share a clock): the last of them.
            let expected = snapshots
                .iter()
                .rev()
                .find(|(at, _)| at <= recorded_by)
                .map(|(_, state)| state)
                .unwrap_or(state_then);
            let as_of: Vec<&Event> = scenario
                .entries()
                .filter(|(_, recorded)| recorded <= recorded_by)
                .map(|(event, _)| event)
                .collect();
            prop_assert_eq!(&format!("{:?}", State::replay(as_of.iter().copied())), expected);
            // Both axes: what the record held at R about the world at T is the world at T of
            // the log truncated at R, and holds nothing recorded later.
            let t = Timestamp::from_unix(recorded_by.unix() - 36 * 3600);
            let known = State::world_at(
                scenario.entries().filter(|(_, recorded)| recorded <= recorded_by),
                t,
            );
            let truncated = State::replay(as_of.iter().copied());
            let replayed_then = State::world_at(
                scenario.entries().take(as_of.len()),
                t,
            );
            prop_assert_eq!(format!("{known:?}"), format!("{replayed_then:?}"));
            for id in known.obligations().keys() {
                prop_assert!(truncated.obligations().contains_key(id));
            }
        }
    }
}

#[test]
fn before_the_founding_the_world_holds_nothing_of_the_coalition() {
    let scenario = Scenario::new();
    let founded = scenario.state.coalition().unwrap().founded_at;
    let before = State::world_at(scenario.entries(), Timestamp::from_unix(founded.unix() - 1));
    assert!(before.coalition().is_none());
    assert!(before.seats().is_empty() && before.principals().is_empty());
    let at_founding = State::world_at(scenario.entries(), founded);
    assert_eq!(at_founding.seats().len(), scenario.state.seats().len());
    assert_eq!(
        at_founding.principals().len(),
        scenario.state.principals().len(),
        "standing records hold from the founding, whenever they were recorded"
    );
}

#[test]
fn a_fulfilment_dated_before_the_verification_shows_from_the_verification_on() {
    // The guarantor consulted at 06:00, before the coalition verified at 10:00: legal (its clock
    // ran from the attack at 03:40). Between the two the world holds neither the obligation nor
    // its fulfilment; from the verification on it holds both.
    let scenario = Scenario::new()
        .given(pledge("usa", "USA").responses(&[(
            coalition_core::commitment::ResponseKind::Consult,
            Some("24h"),
            coalition_core::commitment::ClockStart::Attack,
        )]))
        .given(Step::from(attack("INC-1", "2026-05-14T03:40:00Z")).at("2026-05-14T04:00:00Z"))
        .given(verify("INC-1").at("2026-05-14T10:00:00Z"));
    let id = scenario.obligation_id(
        "INC-1",
        "usa",
        coalition_core::commitment::ResponseKind::Consult,
    );
    let scenario = scenario.given(fulfil(&id, "witkoff", "2026-05-14T06:00:00Z"));
    let between = State::world_at(scenario.entries(), at("2026-05-14T08:00:00Z"));
    assert!(between.obligations().is_empty());
    let after = State::world_at(scenario.entries(), at("2026-05-14T10:00:00Z"));
    assert_eq!(
        after.obligations()[&oid(&id)].status(at("2026-05-14T10:00:00Z")),
        coalition_core::obligation::ObligationStatus::Fulfilled
    );
}

#[test]
fn a_request_entered_before_a_verification_dated_earlier_starts_no_clock_before_it_was_made() {
    use coalition_core::commitment::{ClockStart, ResponseKind};
    let scenario = Scenario::new()
        .given(pledge("gbr", "GBR").responses(&[(
            ResponseKind::Consult,
            Some("24h"),
            ClockStart::Request,
        )]))
        .given(Step::from(attack("INC-1", "2026-05-14T03:40:00Z")).at("2026-05-14T04:00:00Z"))
        .given(request(&["GBR"], "2026-05-14T20:00:00Z"))
        .given(verify("INC-1").at("2026-05-14T10:00:00Z"));
    let id = oid(&scenario.obligation_id("INC-1", "gbr", ResponseKind::Consult));
    let at_15 = State::world_at(scenario.entries(), at("2026-05-14T15:00:00Z"));
    assert_eq!(
        at_15.obligations()[&id].deadline(),
        Deadline::AwaitingRequest
    );
    let at_21 = State::world_at(scenario.entries(), at("2026-05-14T21:00:00Z"));
    assert_eq!(
        at_21.obligations()[&id].deadline(),
        Deadline::Due(at("2026-05-15T20:00:00Z"))
    );
}
