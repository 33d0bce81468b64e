//! The `coalition` command-line tool: parse → one `coalition-app` call → render the view as text
//! or JSON. The rules live in `coalition-core`, the record in `coalition-ledger` and
//! `coalition-store`, what a reader may do and see in `coalition-app`.

mod cli;
mod clock;
mod cmd;
mod config;
mod failure;
mod file;
mod output;
mod remote;
mod signer_key;
mod source;

use std::process::ExitCode;

use clap::Parser;
use coalition_core::exercise::{MARK, is_exercise_id};
use coalition_core::id::CoalitionId;

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = cli::Cli::parse();
    // An exercise's output is marked at its top and bottom, as military messages are; its JSON
    // document is wrapped (see `output::print_json`) and the mark goes to stderr.
    let (exercise, json) = (names_an_exercise(), cli.json);
    if exercise {
        output::mark_exercise();
        if !json {
            println!("{MARK}");
        }
    }
    let result = cmd::run(cli);
    if exercise {
        if json {
            eprintln!("{MARK}");
        } else {
            println!("{MARK}");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", output::clean(&failure::render(&err)));
            ExitCode::from(failure::exit_code(&err))
        }
    }
}

/// Whether the command line names an exercise coalition: its outputs are then marked.
fn names_an_exercise() -> bool {
    std::env::args().skip(1).any(|arg| {
        CoalitionId::parse(&arg).is_ok_and(|id| is_exercise_id(&id)) || arg.contains(".EXERCISE.")
    })
}

/// `coalition log show C | head` must end quietly when `head` closes the pipe, as Unix tools do,
/// instead of printing a panic: print macros panic on a broken pipe, so that one panic exits with
/// the shell's code for SIGPIPE (128 + 13) and every other panic is reported as usual.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
