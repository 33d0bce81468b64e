//! Exercises: the director's simulated clock and the end of the exercise. A real coalition
//! accepts neither.

use super::rules::{Rules, invalid, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::rejection::Rejection;

impl Rules<'_> {
    fn exercise_only(&self, action: &'static str) -> Result<Timestamp, Rejection> {
        self.secretariat(action)?;
        match self.state.exercise_clock() {
            Some(clock) => Ok(clock.now),
            None => Err(wrong_state(
                "this coalition",
                "real",
                "only an exercise has a simulated clock or an end",
            )),
        }
    }

    pub(super) fn set_exercise_clock(&self, at: Timestamp) -> Result<Vec<Event>, Rejection> {
        let now = self.exercise_only("set the exercise clock")?;
        if at < now {
            return Err(invalid(
                "at",
                format!("the exercise clock stands at {now}; it never runs back"),
            ));
        }
        Ok(vec![Event::ExerciseClockSet { at }])
    }

    pub(super) fn end_exercise(&self) -> Result<Vec<Event>, Rejection> {
        let now = self.exercise_only("end the exercise")?;
        Ok(vec![Event::ExerciseEnded { at: now }])
    }
}
