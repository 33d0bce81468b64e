//! One module per family of subcommands: parse → one `coalition-app` call → render.

mod coalition;
mod commitment;
mod coverage;
mod exercise;
mod incident;
mod log;
mod migrate;
pub(crate) mod negotiate;
mod obligation;
mod principal;
mod serve;
mod statement;
mod support;
mod token;
mod whatif;
pub(crate) mod witness;

use coalition_app::views::ReceiptView;
use coalition_app::{Access, Reading, Request, Who};
use coalition_core::Event;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};

use crate::cli::{Cli, Command, ReadArgs, ViewArgs, WhoArgs};
use crate::config;
use crate::output::print_json;
use crate::remote::Remote;
use crate::source::{Route, Source};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Negotiate(command) => negotiate::run(command, json),
        Command::Key(command) => principal::key(&command, json),
        Command::Migrate(args) => migrate::run(&args, json),
        Command::Serve(args) => serve::run(cli.data_dir.as_deref(), cli.database.as_deref(), &args),
        Command::Witness(command) if !matches!(command, crate::cli::WitnessCommand::Policy(_)) => {
            witness::own(command, json)
        }
        command => {
            // One-shot commands need no thread pool: the store has its own worker thread.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let source = match cli.server {
                    Some(url) => Source::Remote(Remote::new(&url, cli.token)?),
                    None => {
                        let dir = config::data_dir(cli.data_dir.as_deref())?;
                        let database = cli.database;
                        let app =
                            config::open(&dir, database.as_deref(), access(&command), 1).await?;
                        Source::Local { app, dir }
                    }
                };
                let result = dispatch(&source, command, json).await;
                source.close().await;
                result
            })
        }
    }
}

/// Whether a command writes to the record (reads never create anything).
fn access(command: &Command) -> Access {
    use crate::cli::{CommitmentCommand, IncidentCommand, StatementCommand, SupportCommand};
    let reads = match command {
        Command::Coalitions
        | Command::Members(_)
        | Command::Principals(_)
        | Command::Instruments(_)
        | Command::Commitments(_)
        | Command::Incidents(_)
        | Command::Obligations(_)
        | Command::Coverage(_)
        | Command::Log(_)
        | Command::Statements(_)
        | Command::Meetings(_)
        | Command::Communique(_)
        | Command::Aggregates(_)
        | Command::Whatif(_)
        | Command::Export(_)
        | Command::Publish(_) => true,
        // Issuing and revoking are recorded on the log; listing only reads the token store.
        Command::Token(c) => matches!(c, crate::cli::TokenCommand::List { .. }),
        Command::Commitment(c) => matches!(c, CommitmentCommand::Show { .. }),
        Command::Support(args) => !matches!(args.command, Some(SupportCommand::Import { .. })),
        Command::Incident(c) => matches!(c, IncidentCommand::Show { .. }),
        Command::Statement(c) => matches!(
            c,
            StatementCommand::Show { .. }
                | StatementCommand::Export { .. }
                | StatementCommand::Diff { .. }
                | StatementCommand::Status { .. }
        ),
        Command::Witness(c) => !matches!(
            c,
            crate::cli::WitnessCommand::Policy(crate::cli::PolicyCommand::Set { .. })
        ),
        _ => false,
    };
    if reads { Access::Read } else { Access::Write }
}

async fn dispatch(app: &Source, command: Command, json: bool) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => coalition::demo(app, &args, json).await,
        Command::Import(args) => coalition::import(app, &args, json).await,
        Command::Coalitions => coalition::coalitions(app, json).await,
        Command::Members(args) => coalition::members(app, &args, json).await,
        Command::Principals(args) => coalition::principals(app, &args, json).await,
        Command::Instruments(args) => coalition::instruments(app, &args, json).await,
        Command::Instrument(command) => coalition::instrument(app, command, json).await,
        Command::Commitments(args) => commitment::list(app, &args, json).await,
        Command::Commitment(command) => commitment::run(app, command, json).await,
        Command::Support(args) => support::run(app, args, json).await,
        Command::Incidents(args) => incident::list(app, &args, json).await,
        Command::Incident(command) => incident::run(app, command, json).await,
        Command::Consultations(command) => incident::consultations(app, command, json).await,
        Command::Ceasefire(args) => incident::ceasefire(app, args, json).await,
        Command::Obligations(args) => obligation::list(app, &args, json).await,
        Command::Obligation(command) => obligation::run(app, command, json).await,
        Command::Coverage(args) => coverage::show(app, &args, json).await,
        Command::Log(command) => log::run(app, command, json).await,
        Command::Principal(command) => principal::principal(app, command, json).await,
        Command::Statements(args) => statement::list(app, &args, json).await,
        Command::Statement(command) => statement::run(app, command, json).await,
        Command::Meetings(args) => statement::meetings(app, &args, json).await,
        Command::Meeting(command) => statement::meeting(app, command, json).await,
        Command::Communique(args) => statement::communique(app, &args, json).await,
        Command::Aggregates(args) => statement::aggregates(app, &args, json).await,
        Command::Aggregate(command) => statement::aggregate(app, command, json).await,
        Command::Whatif(command) => whatif::run(app, command, json).await,
        Command::Export(args) => support::open_data(app, &args, json).await,
        Command::Publish(args) => support::publish(app, &args, json).await,
        Command::Exercise(command) => exercise::run(app, command, json).await,
        Command::Token(command) => token::run(app, command, json).await,
        Command::Witness(command) => witness::run(app, command, json).await,
        Command::Negotiate(_) | Command::Key(_) | Command::Migrate(_) | Command::Serve(_) => {
            unreachable!("handled before the record is opened")
        }
    }
}

/// The view a listing command's `ReadArgs` ask for: remotely `route`, locally `local`.
pub(crate) async fn view<T: serde::de::DeserializeOwned>(
    source: &Source,
    args: &ReadArgs,
    route: Route,
    local: impl FnOnce(&coalition_app::Reader) -> Result<T, coalition_app::AppError>,
) -> anyhow::Result<T> {
    Ok(source
        .read(&args.coalition, &reading(&args.view, None), route, local)
        .await?
        .view)
}

/// Who reads (`--as`, `--public`, or the custodian), as the record stood at `--as-of` and the
/// world at `--at` (or the command's own time, `--in-force-at`).
pub(crate) fn reading(view: &ViewArgs, at: Option<Timestamp>) -> Reading {
    let at = at.or(view.at);
    Reading {
        who: who(&view.who),
        as_of: view.as_of,
        at,
    }
}

/// The reader `--as` / `--public` name, or the custodian.
pub(crate) fn who(args: &WhoArgs) -> Who {
    match (&args.viewer, args.public) {
        (_, true) => Who::Public,
        (Some(id), false) => Who::Principal(id.clone()),
        (None, false) => Who::Custodian,
    }
}

/// Submits one request as `actor` and prints what was recorded.
pub(crate) async fn submit(
    app: &Source,
    coalition: &CoalitionId,
    actor: &PrincipalId,
    request: Request,
    json: bool,
) -> anyhow::Result<()> {
    let receipt = app.submit(coalition, actor, request).await?;
    print_receipt(&receipt, json)
}

/// Prints what a write recorded: the new events' sequence numbers and kinds, and the new head.
pub(crate) fn print_receipt(receipt: &ReceiptView, json: bool) -> anyhow::Result<()> {
    warn(&receipt.warnings);
    if json {
        return print_json(receipt);
    }
    for entry in &receipt.recorded {
        println!("recorded #{} {}", entry.seq, entry.event.kind());
    }
    Ok(())
}

/// Prints the id a write created (or, with `--json`, the id and the new head).
pub(crate) fn print_created(receipt: &ReceiptView, json: bool) -> anyhow::Result<()> {
    let created = receipt
        .created()
        .ok_or_else(|| anyhow::anyhow!("nothing was created"))?;
    warn(&created.warnings);
    if json {
        return print_json(&created);
    }
    println!("{}", created.id);
    Ok(())
}

/// Warnings go to stderr, whatever the output format.
fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {}", crate::output::clean(warning));
    }
}

/// How many recorded entries are of a kind.
pub(crate) fn count(receipt: &ReceiptView, kind: fn(&Event) -> bool) -> usize {
    receipt.recorded.iter().filter(|e| kind(&e.event)).count()
}
