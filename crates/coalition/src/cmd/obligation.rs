//! `obligations`, `obligation fulfil|waive|dispute`.

use coalition_app::Request;
use coalition_app::formats::calendar;
use coalition_app::request::ObligationReport;
use coalition_app::views::ObligationFilter;
use coalition_core::names::Named;

use crate::cli::{ObligationCommand, ObligationFormat, ObligationsArgs};
use crate::output::{print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn list(app: &Source, args: &ObligationsArgs, json: bool) -> anyhow::Result<()> {
    let filter = ObligationFilter {
        incident: args.incident.clone(),
        overdue: args.overdue,
    };
    let route = Route::list("obligations")
        .with("incident", args.incident.as_ref())
        .with("overdue", args.overdue.then_some(true));
    let seen = app
        .read(
            &args.coalition,
            &super::reading(&args.view, None),
            route,
            |reader| Ok(reader.obligations(&filter)),
        )
        .await?;
    let views = &seen.view;
    if let Some(ObligationFormat::Ics) = args.format {
        let feed = calendar::write(
            &args.coalition,
            &app.name(&args.coalition).await?,
            &seen.reader,
            seen.at,
            views,
        );
        return match &args.out {
            Some(out) => crate::file::write_out("--out", out, feed.as_bytes()),
            None => {
                print!("{feed}");
                Ok(())
            }
        };
    }
    if json {
        return print_json(views);
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
    for v in views {
        let o = &v.obligation;
        t.add_row(vec![
            o.id.to_string(),
            o.commitment.to_string(),
            o.incident.to_string(),
            o.guarantor.to_string(),
            o.kind.name().into(),
            v.deadline.to_string(),
            v.status.name().into(),
            o.marking.to_string(),
        ]);
    }
    print_table(
        &format!("{} obligations, status at {}", views.len(), seen.at),
        &t,
        "none",
    );
    Ok(())
}

pub(crate) async fn run(
    app: &Source,
    command: ObligationCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (args, make): (_, fn(ObligationReport) -> Request) = match command {
        ObligationCommand::Fulfil(args) => (args, Request::FulfilObligation),
        ObligationCommand::Waive(args) => (args, Request::WaiveObligation),
        ObligationCommand::Dispute(args) => (args, Request::DisputeObligation),
    };
    let request = make(ObligationReport {
        obligation: args.id,
        report: args.report,
        at: args.at,
    });
    super::submit(app, &args.coalition, &args.act.actor, request, json).await
}
