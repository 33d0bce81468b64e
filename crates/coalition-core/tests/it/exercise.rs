//! Exercises: forked from the real record onto a log of their own, decided at a simulated clock,
//! and never mistaken for or merged into the real record.

use coalition_core::command::Command;
use coalition_core::commitment::{ClockStart, ResponseKind};
use coalition_core::event::Event;
use coalition_core::exercise::{self, Exercise, check_log, fork};
use coalition_core::hash::Hash;
use coalition_core::obligation::Deadline;
use coalition_core::rejection::Rejection;
use coalition_core::state::State;
use proptest::prelude::*;

use crate::replay::{Op, arb_op, base, step_for};
use crate::support::*;

/// The real coalition: a US pledge to consult within 24 h of an attack, and one incident.
fn real() -> Scenario {
    Scenario::new()
        .given(pledge("usa", "USA").responses(&[(
            ResponseKind::Consult,
            Some("24h"),
            ClockStart::Attack,
        )]))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
}

fn steadfast(real: &Scenario, clock: &str) -> Exercise {
    Exercise {
        name: "steadfast-2027".into(),
        of: coalition_core::id::CoalitionId::parse(COALITION).unwrap(),
        forked_at_seq: real.log.len() as u64,
        forked_head: Hash::of(&[b"the real head"]),
        clock: at(clock),
    }
}

/// The exercise's log, as a scenario whose clock is the real one (the exercise decides at its
/// own).
fn forked(real: &Scenario, exercise: &Exercise) -> Scenario {
    let log = fork(&real.log, exercise).unwrap();
    Scenario {
        state: State::replay(&log),
        recorded: log.iter().map(|_| real.now).collect(),
        log,
        now: real.now,
    }
}

#[test]
fn an_exercise_is_a_copy_of_the_real_state_under_an_id_and_a_founding_that_say_exercise() {
    let real = real();
    let exercise = steadfast(&real, "2027-06-14T00:00:00Z");
    let drill = forked(&real, &exercise);
    let id = exercise.coalition_id().unwrap();
    assert_eq!(id.as_str(), "test-coalition.EXERCISE.steadfast-2027");
    let info = drill.state.coalition().unwrap();
    assert_eq!(info.id, id);
    assert_eq!(info.exercise.as_ref(), Some(&exercise));
    assert!(info.name.contains(exercise::MARK));
    assert!(drill.state.is_exercise() && !real.state.is_exercise());
    assert_eq!(
        drill.state.exercise_clock().map(|c| c.now),
        Some(at("2027-06-14T00:00:00Z"))
    );
    assert_eq!(
        format!("{:?}", drill.state.commitments()),
        format!("{:?}", real.state.commitments())
    );
    assert_eq!(drill.state.incidents().len(), 1);
    check_log(&id, &drill.log).unwrap();
}

#[test]
fn an_exercise_decides_at_its_simulated_clock_which_only_runs_forward() {
    let real = real();
    let drill = forked(&real, &steadfast(&real, "2027-06-14T00:00:00Z"));
    // The real clock stands in 2026; the exercise's in 2027: an attack in 2027 is not future.
    let drill = drill
        .given(step(
            "secretariat",
            Command::SetExerciseClock {
                at: at("2027-06-14T12:00:00Z"),
            },
        ))
        .given(attack("EX-INC-1", "2027-06-14T03:00:00Z"))
        .given(verify("EX-INC-1"));
    assert_eq!(
        drill.due("EX-INC-1", "usa", ResponseKind::Consult),
        Deadline::Due(at("2027-06-15T03:00:00Z"))
    );
    assert_eq!(
        drill.state.incidents()[&iid("EX-INC-1")].status,
        coalition_core::incident::IncidentStatus::Verified {
            at: at("2027-06-14T12:00:00Z")
        },
        "verified at the simulated time"
    );
    let drill = drill
        .when(Step::from(attack("EX-INC-2", "2027-06-14T12:00:01Z")))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "at", .. }))
        .when(step(
            "secretariat",
            Command::SetExerciseClock {
                at: at("2027-06-14T11:00:00Z"),
            },
        ))
        .then_rejected_with(|r| matches!(r, Rejection::Invalid { field: "at", .. }))
        .when(step("macron", Command::EndExercise))
        .then_rejected_with(|r| matches!(r, Rejection::NotAuthorised { .. }));
    // Ended, it records nothing more.
    drill
        .given(step("secretariat", Command::EndExercise))
        .when(Step::from(attack("EX-INC-3", "2027-06-14T04:00:00Z")))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
    // The real record is untouched by all of it.
    assert!(!real.state.incidents().contains_key(&iid("EX-INC-1")));
}

#[test]
fn a_real_coalition_refuses_exercise_commands_and_exercise_ids() {
    let real = real();
    real.clone()
        .when(step(
            "secretariat",
            Command::SetExerciseClock {
                at: at("2026-06-01T00:00:00Z"),
            },
        ))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }))
        .when(step("secretariat", Command::EndExercise))
        .then_rejected_with(|r| matches!(r, Rejection::WrongState { .. }));
    let outcome = coalition_core::decide(
        &State::new(),
        &crate::fixture::founding("x.EXERCISE.y"),
        &coalition_core::Context {
            now: at("2026-01-01T00:00:00Z"),
            actor: principal_id("secretariat"),
        },
    );
    assert!(matches!(
        outcome,
        Err(Rejection::Invalid { field: "id", .. })
    ));
}

#[test]
fn only_a_real_coalition_at_its_stated_head_can_be_forked() {
    let real = real();
    let exercise = steadfast(&real, "2027-06-14T00:00:00Z");
    let mut stale = exercise.clone();
    stale.forked_at_seq -= 1;
    assert!(fork(&real.log, &stale).is_err());
    let mut other = exercise.clone();
    other.of = coalition_core::id::CoalitionId::parse("other").unwrap();
    assert!(fork(&real.log, &other).is_err());
    let drill = forked(&real, &exercise);
    let mut again = exercise.clone();
    again.of = exercise.coalition_id().unwrap();
    again.forked_at_seq = drill.log.len() as u64;
    assert!(
        fork(&drill.log, &again).is_err(),
        "an exercise of an exercise"
    );
}

#[test]
fn a_log_mixing_real_and_exercise_events_is_refused() {
    let real = real();
    let id = coalition_core::id::CoalitionId::parse(COALITION).unwrap();
    check_log(&id, &real.log).unwrap();
    let exercise = steadfast(&real, "2027-06-14T00:00:00Z");
    let drill = forked(&real, &exercise).given(step(
        "secretariat",
        Command::SetExerciseClock {
            at: at("2027-06-15T00:00:00Z"),
        },
    ));
    let drill_id = exercise.coalition_id().unwrap();
    check_log(&drill_id, &drill.log).unwrap();

    // The exercise's events appended to the real log.
    let mut merged = real.log.clone();
    merged.extend(drill.log.iter().cloned());
    assert!(check_log(&id, &merged).is_err(), "founded twice");
    let mut merged = real.log.clone();
    merged.push(drill.log.last().unwrap().clone());
    assert!(
        check_log(&id, &merged).is_err(),
        "an exercise clock in a real log"
    );
    // The exercise's log passed off as the real one, or the real one as the exercise.
    assert!(check_log(&id, &drill.log).is_err());
    assert!(check_log(&drill_id, &real.log).is_err());
    // A real founding under an exercise's id.
    let mut renamed = real.log.clone();
    if let Some(Event::CoalitionFounded { id, .. }) = renamed.first_mut() {
        *id = drill_id.clone();
    }
    assert!(check_log(&drill_id, &renamed).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever is done in a real coalition or in its exercise, neither log ever holds the
    /// other kind: the real one accepts no exercise event, and the exercise stays an exercise.
    #[test]
    fn real_and_exercise_logs_never_mix(
        ops in prop::collection::vec(arb_op(), 1..40),
        clock_moves in prop::collection::vec(0i64..2000, 0..4),
    ) {
        let mut real = base();
        let mut drill_ops = Vec::new();
        for (counter, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                real.now = coalition_core::dates::Timestamp::from_unix(real.now.unix() + hours * 3600);
                continue;
            }
            drill_ops.push((counter, op.clone()));
            if let Some(step) = step_for(&real, op, counter) {
                real = real.when(step).after;
            }
            for attempt in [Command::SetExerciseClock { at: real.now }, Command::EndExercise] {
                let outcome = real.clone().when(step("secretariat", attempt));
                prop_assert!(outcome.result.is_err());
            }
        }
        let id = coalition_core::id::CoalitionId::parse(COALITION).unwrap();
        prop_assert!(check_log(&id, &real.log).is_ok());
        let exercise_kinds = real
            .log
            .iter()
            .filter(|e| matches!(e, Event::ExerciseClockSet { .. } | Event::ExerciseEnded { .. }))
            .count();
        prop_assert_eq!(exercise_kinds, 0);

        let exercise = steadfast(&real, "2026-06-01T12:00:00Z");
        let mut drill = forked(&real, &exercise);
        let mut clock = exercise.clock;
        for hours in clock_moves {
            clock = coalition_core::dates::Timestamp::from_unix(clock.unix() + hours * 3600);
            drill = drill.given(step("secretariat", Command::SetExerciseClock { at: clock }));
            // Steps state their times against the simulated clock.
            drill.now = clock;
            for (counter, op) in &drill_ops {
                if let Some(step) = step_for(&drill, op, counter + 1000) {
                    drill = drill.when(step).after;
                }
            }
        }
        let drill_id = exercise.coalition_id().unwrap();
        prop_assert!(check_log(&drill_id, &drill.log).is_ok());
        prop_assert!(State::replay(&drill.log).is_exercise());
        // The exercise's founding or clock in the real log is refused. (Its other events are
        // copies of ordinary facts: what keeps them out of the real log is the exercise's id,
        // sealed into each of them by the ledger.)
        let mut merged = real.log.clone();
        merged.extend(drill.log.iter().cloned());
        prop_assert!(check_log(&id, &merged).is_err());
    }
}
