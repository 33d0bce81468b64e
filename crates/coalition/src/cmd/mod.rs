//! One module per family of subcommands: parse → call → render.

mod coalition;
mod commitment;
mod coverage;
mod incident;
mod key;
mod log;
pub(crate) mod negotiate;
mod obligation;
mod statement;

use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_ledger::Receipt;
use serde_json::json;

use crate::cli::{Cli, Command};
use crate::output::print_json;
use crate::session::{Session, data_dir};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Negotiate(command) => negotiate::run(command, json),
        Command::Key(command) => key::key(&command, json),
        command => {
            let dir = data_dir(cli.data_dir.as_deref())?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let session = Session::open(&dir).await?;
                let result = dispatch(&session, command, json).await;
                session.close().await;
                result
            })
        }
    }
}

async fn dispatch(session: &Session, command: Command, json: bool) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => coalition::demo(session, &args, json).await,
        Command::Import(args) => coalition::import(session, &args, json).await,
        Command::Coalitions => coalition::coalitions(session, json).await,
        Command::Members(args) => coalition::members(session, &args, json).await,
        Command::Principals(args) => coalition::principals(session, &args, json).await,
        Command::Instruments(args) => coalition::instruments(session, &args, json).await,
        Command::Instrument(command) => coalition::instrument(session, &command, json).await,
        Command::Commitments(args) => commitment::list(session, &args, json).await,
        Command::Commitment(command) => commitment::run(session, command, json).await,
        Command::Incidents(args) => incident::list(session, &args, json).await,
        Command::Incident(command) => incident::run(session, command, json).await,
        Command::Consultations(command) => incident::consultations(session, command, json).await,
        Command::Ceasefire(args) => incident::ceasefire(session, &args, json).await,
        Command::Obligations(args) => obligation::list(session, &args, json).await,
        Command::Obligation(command) => obligation::run(session, command, json).await,
        Command::Coverage(args) => coverage::show(session, &args, json).await,
        Command::Log(command) => log::run(session, command, json).await,
        Command::Principal(command) => key::principal(session, command, json).await,
        Command::Statements(args) => statement::list(session, &args, json).await,
        Command::Statement(command) => statement::run(session, command, json).await,
        Command::Meetings(args) => statement::meetings(session, &args, json).await,
        Command::Meeting(command) => statement::meeting(session, command, json).await,
        Command::Communique(args) => statement::communique_cmd(session, &args, json).await,
        Command::Aggregates(args) => statement::aggregates(session, &args, json).await,
        Command::Aggregate(command) => statement::aggregate(session, command, json).await,
        Command::Negotiate(_) | Command::Key(_) => {
            unreachable!("handled before the store is opened")
        }
    }
}

/// Records one command as `actor` and prints what was recorded.
pub(crate) async fn record(
    session: &Session,
    coalition: &CoalitionId,
    actor: &PrincipalId,
    command: coalition_core::Command,
    json: bool,
) -> anyhow::Result<()> {
    let receipt = session.execute(coalition, actor, &[command]).await?;
    print_receipt(&receipt, json)
}

/// Prints what a write recorded: the new events' sequence numbers and kinds, and the new head.
pub(crate) fn print_receipt(receipt: &Receipt, json: bool) -> anyhow::Result<()> {
    if json {
        let events: Vec<_> = receipt
            .entries
            .iter()
            .map(|(sealed, event)| json!({"seq": sealed.seq, "kind": event.kind(), "hash": sealed.hash}))
            .collect();
        return print_json(
            &json!({"recorded": events, "head": {"seq": receipt.head.seq, "hash": receipt.head.hash}}),
        );
    }
    for (sealed, event) in &receipt.entries {
        println!("recorded #{} {}", sealed.seq, event.kind());
    }
    Ok(())
}
