//! Exercises: a rehearsal on a log of its own, forked from a real coalition, decided at a
//! simulated clock the director advances, and marked EXERCISE in every event and every output.
//! Nothing of it can reach the real record: it lives under its own id, and the core refuses a log
//! that mixes the two (see `coalition_core::exercise`).

use coalition_core::Command;
use coalition_core::dates::Timestamp;
use coalition_core::exercise::{Exercise, MARK, exercise_id, fork};
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::party::PrincipalRole;
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::error::AppError;
use crate::keys::{generate, public_key};

/// An exercise as started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseView {
    /// Always `EXERCISE EXERCISE EXERCISE`.
    pub exercise: String,
    /// The exercise's own coalition id: every command on it names this.
    pub id: CoalitionId,
    /// The real coalition it rehearses.
    pub of: CoalitionId,
    /// How many events of the real log it copied.
    pub forked_at_seq: u64,
    /// Where its simulated clock starts.
    pub clock: Timestamp,
}

impl App {
    /// Forks an exercise `name` from `coalition` as its secretariat `actor`, its simulated clock
    /// starting at `clock` (default: now). The real coalition is only read.
    pub async fn start_exercise(
        &self,
        coalition: &CoalitionId,
        name: &str,
        clock: Option<Timestamp>,
        actor: &PrincipalId,
    ) -> Result<ExerciseView, AppError> {
        let id =
            exercise_id(coalition, name).map_err(|e| AppError::invalid("name", e.to_string()))?;
        let real = self.current(coalition).await?;
        let director = real
            .principal(actor)
            .filter(|p| p.role == PrincipalRole::Secretariat)
            .ok_or_else(|| {
                AppError::invalid(
                    "as",
                    format!("{actor} is not a secretariat principal of {coalition}; the secretariat directs exercises"),
                )
            })?;
        if self.exists(&id).await? {
            return Err(AppError::invalid(
                "name",
                format!("exercise {name} of {coalition} exists already ({id})"),
            ));
        }
        let entries = self.entries(coalition).await?;
        let head = entries
            .last()
            .map(|(sealed, _)| sealed.head())
            .ok_or_else(|| AppError::not_found("coalition", coalition))?;
        let exercise = Exercise {
            name: name.to_owned(),
            of: coalition.clone(),
            forked_at_seq: head.seq,
            forked_head: head.hash,
            clock: clock.unwrap_or_else(|| self.now()),
        };
        let real_log: Vec<_> = entries.into_iter().map(|(_, e)| e.event).collect();
        let events =
            fork(&real_log, &exercise).map_err(|rejection| AppError::Rejected { rejection })?;
        self.ledger()?
            .start(&id, &director.id, self.now(), events)
            .await?;
        // The exercise's checkpoints are signed with a key of its own, never the real log's.
        let log_key = generate();
        self.log_keys.replace(&id, &log_key)?;
        let register = Command::RegisterLogKey {
            name: coalition_ledger::bundle::origin(&id),
            key: public_key(&log_key).map_err(AppError::internal)?,
        };
        self.execute(&id, &director.id, &[register]).await?;
        Ok(ExerciseView {
            exercise: MARK.to_owned(),
            id,
            of: coalition.clone(),
            forked_at_seq: head.seq,
            clock: exercise.clock,
        })
    }
}
