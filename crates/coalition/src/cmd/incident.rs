//! `incidents`, `incident report|confirm|reject|trigger|show`, `consultations request`,
//! `ceasefire`.

use coalition_app::Request;
use coalition_app::request::NewIncidentRequest;
use coalition_app::views::ReceiptView;
use coalition_core::event::Event;
use coalition_core::names::Named;

use crate::cli::{CeasefireArgs, ConsultationsCommand, IncidentCommand, ReadArgs};
use crate::failure::bad_input;
use crate::output::{clean, print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn list(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let views = super::view(app, args, Route::list("incidents"), |reader| {
        Ok(reader.incidents())
    })
    .await?;
    if json {
        return print_json(&views);
    }
    let mut t = table([
        "ID",
        "KIND",
        "AGGRESSOR",
        "TARGET",
        "OCCURRED",
        "STATUS",
        "CONFIRMATIONS",
        "MARKING",
    ]);
    for v in &views {
        let i = &v.incident;
        t.add_row(vec![
            i.id.to_string(),
            i.kind.name().into(),
            i.aggressor.to_string(),
            i.target.to_string(),
            i.occurred_at.to_string(),
            v.status.clone(),
            v.confirmations.len().to_string(),
            i.marking.to_string(),
        ]);
    }
    print_table("", &t, "no incidents visible");
    Ok(())
}

pub(crate) async fn run(app: &Source, command: IncidentCommand, json: bool) -> anyhow::Result<()> {
    match command {
        IncidentCommand::Report(args) => {
            let request = Request::ReportIncident(Box::new(NewIncidentRequest {
                aggressor: args.aggressor.clone(),
                target: args.target.clone(),
                kind: args.kind,
                at: args.at,
                location: args.location.clone(),
                description: args.description.clone(),
                evidence: args.evidence.clone(),
                nuclear_weapons_used: args.nuclear_weapons_used,
                classification: args.classification,
                releasable_to: args.releasable_to.clone(),
                reported_at: args.reported_at,
            }));
            let receipt = app
                .submit(&args.coalition, &args.act.actor, request)
                .await?;
            super::print_created(&receipt, json)
        }
        IncidentCommand::Confirm {
            coalition,
            id,
            at,
            act,
        } => {
            let request = Request::ConfirmIncident { incident: id, at };
            let receipt = app.submit(&coalition, &act.actor, request).await?;
            print_activation(&receipt, json)
        }
        IncidentCommand::Trigger {
            coalition,
            id,
            at,
            act,
        } => {
            let request = Request::TriggerIncident { incident: id, at };
            let receipt = app.submit(&coalition, &act.actor, request).await?;
            print_activation(&receipt, json)
        }
        IncidentCommand::Reject {
            coalition,
            id,
            reason,
            at,
            act,
        } => {
            let request = Request::RejectIncident {
                incident: id,
                reason,
                at,
            };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
        IncidentCommand::Merge {
            coalition,
            duplicate,
            into,
            at,
            act,
        } => {
            let request = Request::MergeIncident {
                duplicate,
                into,
                at,
            };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
        IncidentCommand::Correct {
            coalition,
            id,
            aggressor,
            occurred_at,
            at,
            act,
        } => {
            let request = Request::CorrectIncident {
                incident: id,
                aggressor,
                occurred_at,
                at,
            };
            let receipt = app.submit(&coalition, &act.actor, request).await?;
            print_activation(&receipt, json)
        }
        IncidentCommand::Show {
            coalition,
            id,
            view,
        } => {
            let detail = app
                .read(
                    &coalition,
                    &super::reading(&view, None),
                    Route::one(format!("incidents/{id}")),
                    |reader| reader.incident(&id),
                )
                .await?
                .view;
            if json {
                return print_json(&detail);
            }
            let (v, i) = (&detail.incident, &detail.incident.incident);
            println!(
                "{} — {} by {} against {} at {}",
                i.id,
                i.kind.name(),
                i.aggressor,
                i.target,
                i.occurred_at
            );
            if !i.location.is_empty() {
                println!("  location: {}", clean(&i.location));
            }
            if !i.description.is_empty() {
                println!("  {}", clean(&i.description));
            }
            println!(
                "  status: {}; reported by {} at {}",
                v.status, v.reported_by, v.reported_at
            );
            for c in &v.confirmations {
                println!(
                    "  confirmed by {} ({} of {}) at {}",
                    c.principal,
                    c.role.name(),
                    c.party,
                    c.at
                );
            }
            println!(
                "  {} obligations visible; see `coalition obligations {coalition} --incident {id}`",
                detail.obligations.len()
            );
            Ok(())
        }
    }
}

/// Prints what a confirmation or trigger recorded, saying how many obligations it opened.
fn print_activation(receipt: &ReceiptView, json: bool) -> anyhow::Result<()> {
    if json {
        return super::print_receipt(receipt, json);
    }
    let opened = super::count(receipt, |e| matches!(e, Event::ObligationOpened { .. }));
    for entry in &receipt.recorded {
        match &entry.event {
            Event::IncidentVerified { incident, .. } => {
                println!(
                    "#{} incident {incident} verified: {opened} obligations opened",
                    entry.seq
                );
            }
            Event::IncidentProvisionallyTriggered { incident, .. } => {
                println!(
                    "#{} incident {incident} provisionally triggered: {opened} consultations opened",
                    entry.seq
                );
            }
            Event::IncidentConfirmed { confirmation, .. } => {
                println!(
                    "#{} confirmation by {} ({})",
                    entry.seq, confirmation.principal, confirmation.party
                );
            }
            _ => {}
        }
    }
    Ok(())
}

pub(crate) async fn consultations(
    app: &Source,
    command: ConsultationsCommand,
    json: bool,
) -> anyhow::Result<()> {
    let ConsultationsCommand::Request {
        coalition,
        by,
        with,
        at,
        classification,
        act,
    } = command;
    let request = Request::RequestConsultations {
        by,
        with,
        at,
        classification,
    };
    super::submit(app, &coalition, &act.actor, request, json).await
}

pub(crate) async fn ceasefire(app: &Source, args: CeasefireArgs, json: bool) -> anyhow::Result<()> {
    let request = match (args.when.in_force_from, args.when.ended_at) {
        (Some(in_force_from), None) => Request::DeclareCeasefire { in_force_from },
        (None, Some(at)) => Request::EndCeasefire { at },
        _ => {
            return Err(bad_input(
                "give exactly one of --in-force-from and --ended-at",
            ));
        }
    };
    super::submit(app, &args.coalition, &args.act.actor, request, json).await
}
