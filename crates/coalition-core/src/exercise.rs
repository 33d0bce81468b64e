//! Exercises: rehearsals on their own log, forked from a real coalition's record, with a
//! simulated clock that the exercise director advances. Nothing of an exercise can be mistaken
//! for, or merged into, the real record:
//!
//! - an exercise's coalition id is `<real id>.EXERCISE.<name>`, and the ledger seals that id into
//!   every event of its log, so every event says EXERCISE; no real coalition may take such an id
//!   and no exercise any other;
//! - its founding event records that it is an exercise, of which coalition and at which head of
//!   that coalition's log it was forked;
//! - its commands are decided at the simulated clock; the clock and the end of the exercise are
//!   events no real coalition accepts ([`check_log`] refuses a log that mixes the two kinds).

use serde::{Deserialize, Serialize};

use crate::dates::Timestamp;
use crate::event::Event;
use crate::hash::Hash;
use crate::id::{CoalitionId, InvalidId};
use crate::rejection::Rejection;

/// The marking every output of an exercise carries, as military messages do.
pub const MARK: &str = "EXERCISE EXERCISE EXERCISE";

/// What separates the real coalition's id from the exercise's name in an exercise's id.
const INFIX: &str = ".EXERCISE.";

/// What an exercise coalition was forked from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exercise {
    /// The exercise's name (`steadfast-2027`).
    pub name: String,
    /// The real coalition it rehearses.
    pub of: CoalitionId,
    /// The sequence number of the real log's last event it copied.
    pub forked_at_seq: u64,
    /// That event's hash: the head it was forked from.
    pub forked_head: Hash,
    /// Where its simulated clock starts.
    pub clock: Timestamp,
}

impl Exercise {
    /// The exercise's own coalition id: `<real id>.EXERCISE.<name>`.
    pub fn coalition_id(&self) -> Result<CoalitionId, InvalidId> {
        exercise_id(&self.of, &self.name)
    }
}

/// The id of exercise `name` of coalition `of`.
pub fn exercise_id(of: &CoalitionId, name: &str) -> Result<CoalitionId, InvalidId> {
    CoalitionId::parse(&format!("{of}{INFIX}{name}"))
}

/// Whether an id is an exercise's.
pub fn is_exercise_id(id: &CoalitionId) -> bool {
    id.as_str().contains(INFIX)
}

/// The opening events of an exercise's log: its founding (a copy of the real one's, under the
/// exercise's id, recording what it was forked from), then every later event of the real log as
/// it stood at the fork. The caller seals them under the exercise's id, on a log of its own.
pub fn fork(real_log: &[Event], exercise: &Exercise) -> Result<Vec<Event>, Rejection> {
    let refuse = |problem: String| Rejection::Invalid {
        field: "exercise",
        problem,
    };
    let Some(Event::CoalitionFounded {
        id,
        name,
        protected,
        verification,
        at,
        exercise: origin,
    }) = real_log.first()
    else {
        return Err(refuse(
            "the log to fork does not start with a founding".into(),
        ));
    };
    if origin.is_some() || is_exercise_id(id) {
        return Err(refuse(format!(
            "{id} is an exercise; exercises are forked from real coalitions"
        )));
    }
    if *id != exercise.of {
        return Err(refuse(format!("the log is {id}'s, not {}'s", exercise.of)));
    }
    let forked = u64::try_from(real_log.len()).unwrap_or(u64::MAX);
    if exercise.forked_at_seq != forked {
        return Err(refuse(format!(
            "the log has {forked} events, the fork names head {}",
            exercise.forked_at_seq
        )));
    }
    let exercise_coalition = exercise
        .coalition_id()
        .map_err(|err| refuse(err.to_string()))?;
    let mut events = vec![Event::CoalitionFounded {
        id: exercise_coalition,
        name: format!("{name} ({MARK}: {})", exercise.name),
        protected: protected.clone(),
        verification: *verification,
        at: *at,
        exercise: Some(exercise.clone()),
    }];
    events.extend(real_log[1..].iter().cloned());
    Ok(events)
}

/// Checks that a log is all of one kind: a real coalition's log holds no exercise founding and
/// no exercise clock, and an exercise's log is founded as the exercise its id names.
pub fn check_log<'a>(
    coalition: &CoalitionId,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<(), Rejection> {
    let mixed = |problem: String| Rejection::WrongState {
        what: format!("the log of {coalition}"),
        state: problem,
        why: "a log is either a real coalition's or an exercise's, never both",
    };
    let mut events = events.into_iter();
    let exercise = match events.next() {
        Some(Event::CoalitionFounded { id, exercise, .. }) => {
            if id != coalition {
                return Err(mixed(format!("founded as {id}")));
            }
            match exercise {
                Some(origin) if origin.coalition_id().ok().as_ref() != Some(coalition) => {
                    return Err(mixed(format!(
                        "an exercise of {} named otherwise",
                        origin.of
                    )));
                }
                None if is_exercise_id(coalition) => {
                    return Err(mixed("an exercise id founded as a real coalition".into()));
                }
                _ => exercise.is_some(),
            }
        }
        Some(other) => return Err(mixed(format!("starts with {}", other.kind()))),
        None => return Ok(()),
    };
    for event in events {
        match event {
            Event::CoalitionFounded { .. } => {
                return Err(mixed("founded twice".into()));
            }
            Event::ExerciseClockSet { .. } | Event::ExerciseEnded { .. } if !exercise => {
                return Err(mixed(format!("a real log holding {}", event.kind())));
            }
            _ => {}
        }
    }
    Ok(())
}
