//! `coalition negotiate …` (being written: see issue 4).

use clap::Subcommand;

/// Negotiation analyses.
#[derive(Debug, Subcommand)]
pub(crate) enum NegotiateCommand {
    /// Analyse a negotiation.
    Analyze,
}

/// Runs a negotiation subcommand.
pub(crate) fn run(command: NegotiateCommand, _json: bool) -> anyhow::Result<()> {
    match command {
        NegotiateCommand::Analyze => Err(crate::failure::bad_input("not yet available")),
    }
}
