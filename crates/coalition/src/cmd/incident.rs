//! `incidents`, `incident report|confirm|reject|trigger|show`, `consultations request`,
//! `ceasefire`.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewIncident};
use coalition_core::event::Event;
use coalition_core::id::IncidentId;
use coalition_core::incident::Incident;
use coalition_core::names::Named;
use serde_json::json;

use crate::cli::{CeasefireArgs, ConsultationsCommand, IncidentCommand, ReadArgs};
use crate::clock;
use crate::failure::bad_input;
use crate::output::{print_json, print_table, table};
use crate::session::Session;
use crate::views::{IncidentView, ObligationView, natural_key};

pub(crate) async fn list(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
    let mut views: Vec<IncidentView<'_>> = gate.incidents().map(IncidentView::new).collect();
    views.sort_by_cached_key(|v| natural_key(v.incident.id.as_str()));
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
        t.add_row(vec![
            v.incident.id.to_string(),
            v.incident.kind.name().into(),
            v.incident.aggressor.to_string(),
            v.incident.target.to_string(),
            v.incident.occurred_at.to_string(),
            v.status.into(),
            v.confirmations.len().to_string(),
            v.incident.marking.to_string(),
        ]);
    }
    print_table("", &t, "no incidents visible");
    Ok(())
}

pub(crate) async fn run(
    session: &Session,
    command: IncidentCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        IncidentCommand::Report(args) => {
            let incident = Incident {
                // Replaced by the id `decide` assigns when none is given.
                id: IncidentId::parse("new")?,
                aggressor: args.aggressor.clone(),
                target: args.target.clone(),
                kind: args.kind,
                occurred_at: args.at,
                location: args.location.clone(),
                description: args.description.clone(),
                evidence: args.evidence.clone(),
                marking: Marking {
                    level: args.classification.unwrap_or(Level::Unclassified),
                    originator: None,
                    releasable_to: args.releasable_to.clone().map(|p| p.into_iter().collect()),
                },
            };
            let command = Command::ReportIncident(NewIncident {
                id: args.id.clone(),
                incident,
                at: None,
            });
            let receipt = session
                .execute(&args.coalition, &args.act.actor, &[command])
                .await?;
            let id = receipt.entries.iter().find_map(|(_, event)| match event {
                Event::IncidentReported { incident, .. } => Some(incident.id.clone()),
                _ => None,
            });
            let id = id.ok_or_else(|| anyhow::anyhow!("the incident was not recorded"))?;
            if json {
                return print_json(
                    &json!({"id": id, "seq": receipt.head.seq, "head": receipt.head.hash}),
                );
            }
            println!("{id}");
            Ok(())
        }
        IncidentCommand::Confirm { coalition, id, act } => {
            let receipt = session
                .execute(
                    &coalition,
                    &act.actor,
                    &[Command::ConfirmIncident {
                        incident: id,
                        at: None,
                    }],
                )
                .await?;
            print_activation(&receipt, json)
        }
        IncidentCommand::Trigger { coalition, id, act } => {
            let receipt = session
                .execute(
                    &coalition,
                    &act.actor,
                    &[Command::TriggerProvisionally {
                        incident: id,
                        at: None,
                    }],
                )
                .await?;
            print_activation(&receipt, json)
        }
        IncidentCommand::Reject {
            coalition,
            id,
            reason,
            act,
        } => {
            super::record(
                session,
                &coalition,
                &act.actor,
                Command::RejectIncident {
                    incident: id,
                    reason,
                    at: None,
                },
                json,
            )
            .await
        }
        IncidentCommand::Show {
            coalition,
            id,
            view,
        } => {
            let reading = session.read(&coalition, &view).await?;
            let (_loaded, gate) = (&reading.loaded, reading.gate());
            let record = gate
                .incident(&id)
                .ok_or_else(|| bad_input(format!("unknown incident {id}")))?;
            let now = clock::now()?;
            let obligations: Vec<ObligationView<'_>> = gate
                .obligations()
                .filter(|o| o.obligation.incident == id)
                .map(|o| ObligationView::new(o, now))
                .collect();
            if json {
                return print_json(
                    &json!({"incident": IncidentView::new(record), "obligations": obligations}),
                );
            }
            let i = &record.incident;
            println!(
                "{} — {} by {} against {} at {}",
                i.id,
                i.kind.name(),
                i.aggressor,
                i.target,
                i.occurred_at
            );
            if !i.location.is_empty() {
                println!("  location: {}", i.location);
            }
            if !i.description.is_empty() {
                println!("  {}", i.description);
            }
            println!(
                "  status: {}; reported by {} at {}",
                record.status.name(),
                record.reported_by,
                record.reported_at
            );
            for c in &record.confirmations {
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
                obligations.len()
            );
            Ok(())
        }
    }
}

/// Prints what a confirmation or trigger recorded, saying how many obligations it opened.
fn print_activation(receipt: &coalition_ledger::Receipt, json: bool) -> anyhow::Result<()> {
    if json {
        return super::print_receipt(receipt, json);
    }
    let opened = receipt
        .entries
        .iter()
        .filter(|(_, e)| matches!(e, Event::ObligationOpened { .. }))
        .count();
    for (sealed, event) in &receipt.entries {
        match event {
            Event::IncidentVerified { incident, .. } => {
                println!(
                    "#{} incident {incident} verified: {opened} obligations opened",
                    sealed.seq
                );
            }
            Event::IncidentProvisionallyTriggered { incident, .. } => {
                println!(
                    "#{} incident {incident} provisionally triggered: {opened} consultations opened",
                    sealed.seq
                );
            }
            Event::IncidentConfirmed { confirmation, .. } => {
                println!(
                    "#{} confirmation by {} ({})",
                    sealed.seq, confirmation.principal, confirmation.party
                );
            }
            _ => {}
        }
    }
    Ok(())
}

pub(crate) async fn consultations(
    session: &Session,
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
    let marking = Marking::at(classification.unwrap_or(Level::Unclassified));
    super::record(
        session,
        &coalition,
        &act.actor,
        Command::RequestConsultations {
            by,
            with,
            at,
            marking,
        },
        json,
    )
    .await
}

pub(crate) async fn ceasefire(
    session: &Session,
    args: &CeasefireArgs,
    json: bool,
) -> anyhow::Result<()> {
    let command = match (args.when.in_force_from, args.when.ended_at) {
        (Some(in_force_from), None) => Command::DeclareCeasefire { in_force_from },
        (None, Some(at)) => Command::EndCeasefire { at },
        _ => {
            return Err(bad_input(
                "give exactly one of --in-force-from and --ended-at",
            ));
        }
    };
    super::record(session, &args.coalition, &args.act.actor, command, json).await
}
