//! One module per family of subcommands: parse → call → render.

pub(crate) mod negotiate;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Negotiate(command) => negotiate::run(command, cli.json),
    }
}
