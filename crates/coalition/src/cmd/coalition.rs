//! `demo`, `import`, `coalitions`, `members`, `principals`, `instruments`, `instrument …`.

use coalition_core::command::Command;
use coalition_core::commitment::CommitmentStatus;
use coalition_core::disclosure::Gate;
use coalition_core::id::CoalitionId;
use coalition_core::instrument::{Consent, Ratification, TerminationCondition};
use coalition_core::names::Named;
use coalition_core::party::SeatRole;
use serde_json::json;

use crate::cli::{DemoArgs, ImportArgs, InstrumentCommand, ReadArgs};
use crate::clock;
use crate::failure::bad_input;
use crate::output::{print_json, print_table, table};
use crate::scenario::{self, ScenarioError};
use crate::session::{Session, viewer};

/// The bundled Paris scenario, so `coalition demo` works from any directory.
pub(crate) const PARIS_SCENARIO: &str = include_str!("../../../../scenarios/paris-2026.toml");

pub(crate) async fn demo(session: &Session, args: &DemoArgs, json: bool) -> anyhow::Result<()> {
    let id = CoalitionId::parse("paris-2026")?;
    if args.reset {
        session.store.discard(&id).await?;
    }
    import_text(session, "scenarios/paris-2026.toml", PARIS_SCENARIO, json).await
}

pub(crate) async fn import(session: &Session, args: &ImportArgs, json: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|err| bad_input(format!("{}: {err}", args.file.display())))?;
    import_text(session, &args.file.display().to_string(), &text, json).await
}

async fn import_text(session: &Session, file: &str, text: &str, json: bool) -> anyhow::Result<()> {
    let scenario = scenario::parse(file, text).map_err(bad_input)?;
    let existing = session.ledger.coalitions().await?;
    if existing.contains(&scenario.coalition) {
        let hint = if scenario.coalition.as_str() == "paris-2026" {
            " (coalition demo --reset starts it again)"
        } else {
            ""
        };
        return Err(bad_input(format!(
            "{file}: coalition {} already exists in this data directory{hint}",
            scenario.coalition
        )));
    }
    let commands: Vec<Command> = scenario
        .commands
        .iter()
        .map(|(command, _)| command.clone())
        .collect();
    let receipt = session
        .ledger
        .execute(
            &scenario.coalition,
            &scenario.recorded_by,
            clock::now()?,
            &commands,
        )
        .await
        .map_err(|err| match err {
            coalition_ledger::LedgerError::Rejected { index, rejection } => {
                let span = scenario.commands.get(index).map(|(_, span)| span.clone());
                bad_input(ScenarioError::at(
                    file,
                    text,
                    span,
                    format!("refused: {rejection}"),
                ))
            }
            other => crate::session::ledger_error(other),
        })?;
    let loaded = session.load(&scenario.coalition, None).await?;
    summarise(&loaded, receipt.entries.len(), json)
}

/// The summary `demo` and `import` print.
fn summarise(loaded: &coalition_ledger::Loaded, recorded: usize, json: bool) -> anyhow::Result<()> {
    let state = &loaded.state;
    let now = clock::now()?;
    let info = state
        .coalition()
        .ok_or_else(|| anyhow::anyhow!("imported coalition has no founding event"))?;
    let count_role = |role: SeatRole| state.seats().values().filter(|s| s.role == role).count();
    let undisclosed = state
        .seats()
        .values()
        .filter(|s| s.role == SeatRole::Member && !s.disclosed)
        .count();
    let mut by_status = std::collections::BTreeMap::new();
    for record in state.commitments().values() {
        *by_status
            .entry(state.commitment_status(record, now))
            .or_insert(0usize) += 1;
    }
    if json {
        return print_json(&json!({
            "coalition": info.id,
            "name": info.name,
            "protected": info.protected,
            "events_recorded": recorded,
            "head": loaded.head.hash,
            "members": count_role(SeatRole::Member),
            "undisclosed_members": undisclosed,
            "partners": count_role(SeatRole::Partner),
            "adversaries": count_role(SeatRole::Adversary),
            "principals": state.principals().len(),
            "instruments": state.instruments().len(),
            "commitments": state.commitments().len(),
            "commitments_by_status": by_status.iter().map(|(s, n)| (s.name(), n)).collect::<std::collections::BTreeMap<_, _>>(),
            "verification": info.verification.describe(),
        }));
    }
    println!(
        "{} ({}) — protecting {} ({})",
        info.name,
        info.id,
        info.protected,
        info.protected.name()
    );
    println!(
        "  recorded {recorded} events; log head {} (seq {})",
        loaded.head.hash, loaded.head.seq
    );
    println!(
        "  {} members ({} undisclosed), {} partner(s), {} adversary; {} principals; {} instruments",
        count_role(SeatRole::Member),
        undisclosed,
        count_role(SeatRole::Partner),
        count_role(SeatRole::Adversary),
        state.principals().len(),
        state.instruments().len()
    );
    let statuses: Vec<String> = by_status
        .iter()
        .map(|(s, n)| format!("{n} {}", s.name()))
        .collect();
    println!(
        "  {} commitments today: {}",
        state.commitments().len(),
        statuses.join(", ")
    );
    let dormant = by_status
        .get(&CommitmentStatus::Dormant)
        .copied()
        .unwrap_or(0);
    if dormant > 0 && state.first_ceasefire().is_none() {
        println!(
            "  no ceasefire is in force: {dormant} commitments wait for one to come into force"
        );
    }
    println!(
        "  incidents are verified by {}",
        info.verification.describe()
    );
    println!();
    println!(
        "Next: coalition coverage {id} · coalition commitments {id} · coalition log verify {id}",
        id = info.id
    );
    Ok(())
}

pub(crate) async fn coalitions(session: &Session, json: bool) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for id in session.ledger.coalitions().await? {
        let loaded = session.load(&id, None).await?;
        let name = loaded
            .state
            .coalition()
            .map(|c| c.name.clone())
            .unwrap_or_default();
        rows.push((id, name, loaded.head));
    }
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(|(id, name, head)| json!({"id": id, "name": name, "events": head.seq, "head": head.hash}))
            .collect();
        return print_json(&list);
    }
    let mut t = table(["COALITION", "NAME", "EVENTS", "HEAD"]);
    for (id, name, head) in &rows {
        t.add_row(vec![
            id.to_string(),
            name.clone(),
            head.seq.to_string(),
            head.hash.to_hex()[..16].to_owned(),
        ]);
    }
    print_table("", &t, "no coalitions yet: try `coalition demo`");
    Ok(())
}

pub(crate) async fn members(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let loaded = session.load(&args.coalition, args.view.as_of).await?;
    let viewer = viewer(&loaded.state, &args.view)?;
    let gate = Gate::new(&loaded.state, &viewer);
    let seats: Vec<_> = gate.seats().collect();
    if json {
        return print_json(&seats);
    }
    let mut t = table([
        "PARTY",
        "NAME",
        "ROLE",
        "FROM",
        "UNTIL",
        "DISCLOSED",
        "NOTE",
    ]);
    for seat in &seats {
        t.add_row(vec![
            seat.party.to_string(),
            seat.party.name().to_owned(),
            seat.role.name().to_owned(),
            seat.from.map(|d| d.to_string()).unwrap_or_default(),
            seat.until.map(|d| d.to_string()).unwrap_or_default(),
            if seat.disclosed {
                "yes".into()
            } else {
                "no".into()
            },
            seat.note.clone(),
        ]);
    }
    let members = seats.iter().filter(|s| s.role == SeatRole::Member).count();
    print_table(&format!("{members} members shown"), &t, "no seats visible");
    Ok(())
}

pub(crate) async fn principals(
    session: &Session,
    args: &ReadArgs,
    json: bool,
) -> anyhow::Result<()> {
    let loaded = session.load(&args.coalition, args.view.as_of).await?;
    let viewer = viewer(&loaded.state, &args.view)?;
    let gate = Gate::new(&loaded.state, &viewer);
    let principals: Vec<_> = gate.principals().collect();
    if json {
        return print_json(&principals);
    }
    let mut t = table(["ID", "NAME", "PARTY", "ROLE", "CLEARANCE"]);
    for p in &principals {
        t.add_row(vec![
            p.id.to_string(),
            p.name.clone(),
            p.party.to_string(),
            p.role.name().into(),
            p.clearance.to_string(),
        ]);
    }
    print_table("", &t, "no principals visible");
    Ok(())
}

pub(crate) async fn instruments(
    session: &Session,
    args: &ReadArgs,
    json: bool,
) -> anyhow::Result<()> {
    let loaded = session.load(&args.coalition, args.view.as_of).await?;
    let viewer = viewer(&loaded.state, &args.view)?;
    let gate = Gate::new(&loaded.state, &viewer);
    let now = args.view.as_of.map_or_else(clock::now, Ok)?;
    let records: Vec<_> = gate.instruments().collect();
    if json {
        return print_json(&records);
    }
    let mut t = table([
        "ID",
        "TITLE",
        "FORM",
        "FORCE",
        "ACTIVATION",
        "TERM",
        "CONSENT",
    ]);
    for record in &records {
        let i = &record.instrument;
        let term = i.term.map_or("open-ended".to_owned(), |t| {
            format!(
                "{}y from {}{}",
                t.years + record.extended_years,
                t.from.name(),
                if t.extendable { ", extendable" } else { "" }
            )
        });
        let complete = i
            .parties
            .iter()
            .filter(|p| matches!(record.consent(p, now), Consent::Complete { .. }))
            .count();
        let consent = match record.terminated {
            Some((at, ref why)) => format!("terminated {at}: {why}"),
            None => format!("{complete}/{} complete", i.parties.len()),
        };
        t.add_row(vec![
            i.id.to_string(),
            i.title.clone(),
            i.form.name().into(),
            i.legal_force.name().into(),
            i.activation.name().into(),
            term,
            consent,
        ]);
    }
    print_table("", &t, "no instruments visible");
    Ok(())
}

pub(crate) async fn instrument(
    session: &Session,
    command: &InstrumentCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (coalition, actor, cmd) = match command {
        InstrumentCommand::Sign(a) => (
            &a.coalition,
            &a.act.actor,
            Command::SignInstrument {
                instrument: a.id.clone(),
                party: a.party.clone(),
                at: a.at,
            },
        ),
        InstrumentCommand::Ratify {
            target: a,
            rejected,
        } => (
            &a.coalition,
            &a.act.actor,
            Command::RecordRatification {
                instrument: a.id.clone(),
                party: a.party.clone(),
                status: if *rejected {
                    Ratification::Rejected
                } else {
                    Ratification::Ratified
                },
                at: a.at,
            },
        ),
        InstrumentCommand::Extend {
            coalition,
            id,
            years,
            act,
        } => (
            coalition,
            &act.actor,
            Command::ExtendInstrument {
                instrument: id.clone(),
                years: *years,
            },
        ),
        InstrumentCommand::Terminate {
            coalition,
            id,
            condition,
            at,
            act,
        } => (
            coalition,
            &act.actor,
            Command::TerminateInstrument {
                instrument: id.clone(),
                condition: TerminationCondition::from_text(condition),
                at: *at,
            },
        ),
    };
    let receipt = session.execute(coalition, actor, &[cmd]).await?;
    crate::cmd::print_receipt(&receipt, json)
}
