//! `obligations`, `obligation fulfil|waive|dispute`.

use coalition_core::command::Command;
use coalition_core::obligation::ObligationStatus;

use crate::cli::{ObligationCommand, ObligationsArgs};
use crate::clock;
use crate::output::{print_json, print_table, table};
use crate::session::Session;
use crate::views::{ObligationView, natural_key};

pub(crate) async fn list(
    session: &Session,
    args: &ObligationsArgs,
    json: bool,
) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
    let now = match args.at.or(args.view.as_of) {
        Some(at) => at,
        None => clock::now()?,
    };
    let mut views: Vec<ObligationView<'_>> = gate
        .obligations()
        .filter(|o| {
            args.incident
                .as_ref()
                .is_none_or(|i| &o.obligation.incident == i)
        })
        .map(|o| ObligationView::new(o, now))
        .filter(|v| !args.overdue || v.status == ObligationStatus::Overdue)
        .collect();
    views.sort_by_cached_key(|v| natural_key(v.obligation.id.as_str()));
    if json {
        return print_json(&views);
    }
    let mut t = table([
        "ID",
        "COMMITMENT",
        "INCIDENT",
        "GUARANTOR",
        "KIND",
        "DUE",
        "STATUS",
        "MARKING",
    ]);
    for v in &views {
        let o = v.obligation;
        t.add_row(vec![
            o.id.to_string(),
            o.commitment.to_string(),
            o.incident.to_string(),
            o.guarantor.to_string(),
            coalition_core::names::Named::name(o.kind).into(),
            v.deadline.to_string(),
            v.status.name().into(),
            o.marking.to_string(),
        ]);
    }
    print_table(
        &format!("{} obligations, status at {now}", views.len()),
        &t,
        "none",
    );
    Ok(())
}

pub(crate) async fn run(
    session: &Session,
    command: ObligationCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (args, make): (_, fn(_, _, String) -> Command) = match command {
        ObligationCommand::Fulfil(args) => {
            (args, |obligation, at, report| Command::FulfilObligation {
                obligation,
                at,
                report,
            })
        }
        ObligationCommand::Waive(args) => (args, |obligation, at, note| Command::WaiveObligation {
            obligation,
            at,
            note,
        }),
        ObligationCommand::Dispute(args) => {
            (args, |obligation, at, reason| Command::DisputeObligation {
                obligation,
                at,
                reason,
            })
        }
    };
    let command = make(args.id.clone(), args.at, args.report.clone());
    super::record(session, &args.coalition, &args.act.actor, command, json).await
}
