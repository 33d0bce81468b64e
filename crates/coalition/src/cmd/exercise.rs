//! `exercise start|clock|end`.

use coalition_app::Request;

use crate::cli::ExerciseCommand;
use crate::output::print_json;
use crate::source::Source;

pub(crate) async fn run(app: &Source, command: ExerciseCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ExerciseCommand::Start {
            coalition,
            name,
            clock,
            act,
        } => {
            let (local, _) = app.local("exercise start")?;
            let started = local
                .start_exercise(&coalition, &name, clock, &act.actor)
                .await?;
            if json {
                return print_json(&started);
            }
            println!("{}", started.id);
            println!(
                "  {} of {}: {} events copied; simulated clock at {}",
                started.exercise, started.of, started.forked_at_seq, started.clock
            );
            println!(
                "  every command on it names {}; `coalition exercise clock {} --set TIME` advances it",
                started.id, started.id
            );
            Ok(())
        }
        ExerciseCommand::Clock { exercise, set, act } => {
            let request = Request::SetExerciseClock { at: set };
            super::submit(app, &exercise, &act.actor, request, json).await
        }
        ExerciseCommand::End { exercise, act } => {
            super::submit(app, &exercise, &act.actor, Request::EndExercise, json).await
        }
    }
}
