//! The whole command tree, in one place.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd::negotiate::NegotiateCommand;

/// The system of record for multilateral security guarantees.
#[derive(Debug, Parser)]
#[command(name = "coalition", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 ok · 1 internal error · 2 bad input · 3 verification failure")]
pub(crate) struct Cli {
    /// Where the record is kept (an SQLite file inside it).
    #[arg(long, global = true, env = "COALITION_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Analyse a negotiation: outcome space, frontier, bargaining solutions, forecasts.
    #[command(subcommand)]
    Negotiate(NegotiateCommand),
}
