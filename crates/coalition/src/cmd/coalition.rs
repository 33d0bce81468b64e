//! `demo`, `import`, `coalitions`, `members`, `principals`, `instruments`, `instrument …`.

use coalition_app::Request;
use coalition_app::views::ImportSummary;
use coalition_core::commitment::CommitmentStatus;
use coalition_core::names::Named;

use crate::cli::{DemoArgs, ImportArgs, InstrumentCommand, ReadArgs};
use crate::config::DEMO_KEYS;
use crate::output::{clean, print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn demo(source: &Source, args: &DemoArgs, json: bool) -> anyhow::Result<()> {
    let (app, dir) = source.local("demo")?;
    let summary = app.demo(args.reset, &dir.join(DEMO_KEYS)).await?;
    summarise(&summary, json)
}

pub(crate) async fn import(source: &Source, args: &ImportArgs, json: bool) -> anyhow::Result<()> {
    let (app, _) = source.local("import")?;
    let limit = coalition_app::import::MAX_SCENARIO_BYTES as u64;
    let text = crate::file::read_text("", &args.file, limit)?;
    let summary = app.import(&args.file.display().to_string(), &text).await?;
    summarise(&summary, json)
}

/// The summary `demo` and `import` print.
fn summarise(s: &ImportSummary, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(s);
    }
    println!(
        "{} ({}) — protecting {} ({})",
        clean(&s.name),
        s.coalition,
        s.protected,
        s.protected.name()
    );
    println!(
        "  recorded {} events from the scenario; log head {} (seq {})",
        s.events_recorded, s.head, s.events
    );
    println!(
        "  {} member states and {} organisations ({} undisclosed), {} partner(s), {} adversary; {} principals; {} instruments",
        s.members - s.member_organisations,
        s.member_organisations,
        s.undisclosed_members,
        s.partners,
        s.adversaries,
        s.principals,
        s.instruments
    );
    let statuses: Vec<String> = s
        .commitments_by_status
        .iter()
        .map(|(status, n)| format!("{n} {}", status.name()))
        .collect();
    println!(
        "  {} commitments today: {}",
        s.commitments,
        statuses.join(", ")
    );
    let dormant = s
        .commitments_by_status
        .get(&CommitmentStatus::Dormant)
        .copied()
        .unwrap_or(0);
    if dormant > 0 && !s.ceasefire_recorded {
        println!(
            "  no ceasefire is in force: {dormant} commitments wait for one to come into force"
        );
    }
    println!("  incidents are verified by {}", s.verification);
    for a in &s.statements {
        println!(
            "  {}: {} leaders signed version {}{}{}",
            a.statement,
            a.approvals,
            a.version,
            a.meeting
                .as_ref()
                .map_or(String::new(), |m| format!(" at {m}")),
            if a.adopted { " — adopted" } else { "" }
        );
    }
    if !s.statements.is_empty() {
        println!(
            "  (the demo's leaders signed with DEMO keys, written unencrypted to {DEMO_KEYS}/ in the data directory)"
        );
    }
    println!();
    println!(
        "Next: coalition coverage {id} · coalition commitments {id} · coalition log verify {id}",
        id = s.coalition
    );
    Ok(())
}

pub(crate) async fn coalitions(source: &Source, json: bool) -> anyhow::Result<()> {
    // A server names its coalitions and no more: a head's position would tell every reader how
    // many entries it may not read.
    let app = match source {
        Source::Local { app, .. } => app,
        Source::Remote(_) => {
            let names = source.names().await?;
            if json {
                return print_json(&names);
            }
            let mut t = table(["COALITION", "NAME"]);
            for c in &names {
                t.add_row(vec![c.id.to_string(), c.name.clone()]);
            }
            print_table("", &t, "no coalitions");
            return Ok(());
        }
    };
    let rows = app.coalitions().await?;
    if json {
        return print_json(&rows);
    }
    let mut t = table(["COALITION", "NAME", "EVENTS", "HEAD"]);
    for row in &rows {
        t.add_row(vec![
            row.id.to_string(),
            row.name.clone(),
            row.events.to_string(),
            row.head.to_hex()[..16].to_owned(),
        ]);
    }
    print_table("", &t, "no coalitions yet: try `coalition demo`");
    Ok(())
}

pub(crate) async fn members(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let seats = super::view(app, args, Route::one("members"), |reader| {
        Ok(reader.members())
    })
    .await?;
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
            if seat.disclosed { "yes" } else { "no" }.to_owned(),
            seat.note.clone(),
        ]);
    }
    let members = seats
        .iter()
        .filter(|s| s.role == coalition_core::party::SeatRole::Member)
        .count();
    print_table(&format!("{members} members shown"), &t, "no seats visible");
    Ok(())
}

pub(crate) async fn principals(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let principals = super::view(app, args, Route::one("principals"), |reader| {
        Ok(reader.principals())
    })
    .await?;
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

pub(crate) async fn instruments(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let views = super::view(app, args, Route::one("instruments"), |reader| {
        Ok(reader.instruments())
    })
    .await?;
    if json {
        return print_json(&views);
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
    for view in &views {
        let (record, i) = (&view.record, &view.record.instrument);
        let term = i.term.map_or("open-ended".to_owned(), |t| {
            format!(
                "{}y from {}{}",
                t.years + view.extended_years,
                t.from.name(),
                if t.extendable { ", extendable" } else { "" }
            )
        });
        let consent = match &record.terminated {
            Some((at, why)) => format!("terminated {at}: {why}"),
            None => format!("{}/{} complete", view.consents_complete, i.parties.len()),
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
    app: &Source,
    command: InstrumentCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (coalition, actor, request) = match command {
        InstrumentCommand::Sign(a) => (
            a.coalition,
            a.act.actor,
            Request::SignInstrument {
                instrument: a.id,
                party: a.party,
                at: a.at,
            },
        ),
        InstrumentCommand::Ratify {
            target: a,
            rejected,
        } => (
            a.coalition,
            a.act.actor,
            Request::RatifyInstrument {
                instrument: a.id,
                party: a.party,
                at: a.at,
                rejected,
            },
        ),
        InstrumentCommand::Extend {
            coalition,
            id,
            years,
            at,
            act,
        } => (
            coalition,
            act.actor,
            Request::ExtendInstrument {
                instrument: id,
                years,
                at,
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
            act.actor,
            Request::TerminateInstrument {
                instrument: id,
                condition,
                at,
            },
        ),
    };
    super::submit(app, &coalition, &actor, request, json).await
}
