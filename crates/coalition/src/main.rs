//! The `coalition` command-line tool. It parses, calls the library crates and renders; the
//! rules live in `coalition-core`, the record in `coalition-ledger` and `coalition-store`.

mod cli;
mod clock;
mod cmd;
mod failure;
mod output;
mod scenario;
mod session;
mod views;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(failure::exit_code(&err))
        }
    }
}
