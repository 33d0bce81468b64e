//! `demo`, `import`, `coalitions`, `members`, `principals`, `instruments`, `instrument …`.

use coalition_core::command::Command;
use coalition_core::commitment::CommitmentStatus;
use coalition_core::communique::Aggregate;
use coalition_core::event::Event;
use coalition_core::id::CoalitionId;
use coalition_core::instrument::{Consent, Ratification, TerminationCondition};
use coalition_core::names::Named;
use coalition_core::party::PrincipalRole;
use coalition_core::party::SeatRole;
use coalition_core::signature::{SignatureBytes, approval_message};
use serde_json::json;

use crate::cli::{DemoArgs, ImportArgs, InstrumentCommand, ReadArgs};
use crate::clock;
use crate::failure::bad_input;
use crate::keyfile;
use crate::output::{print_json, print_table, table};
use crate::scenario::{self, ScenarioError};
use crate::session::Session;

/// The bundled Paris scenario, so `coalition demo` works from any directory.
pub(crate) const PARIS_SCENARIO: &str = include_str!("../../../../scenarios/paris-2026.toml");

pub(crate) async fn demo(session: &Session, args: &DemoArgs, json: bool) -> anyhow::Result<()> {
    let id = CoalitionId::parse("paris-2026")?;
    if args.reset {
        session.store.discard(&id).await?;
        remove_if_present(&session.log_key_path(&id))?;
        crate::trust::forget(&id)?;
        let keys = session.dir.join(DEMO_KEYS);
        if keys.exists() {
            std::fs::remove_dir_all(&keys)?;
        }
    }
    let (loaded, recorded) =
        import_text(session, "scenarios/paris-2026.toml", PARIS_SCENARIO).await?;
    let approvals = demo_approvals(session, &loaded).await?;
    let loaded = session.load(&id, None).await?;
    summarise(&loaded, recorded, &approvals, json)
}

pub(crate) async fn import(session: &Session, args: &ImportArgs, json: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|err| bad_input(format!("{}: {err}", args.file.display())))?;
    let (loaded, recorded) = import_text(session, &args.file.display().to_string(), &text).await?;
    summarise(&loaded, recorded, &[], json)
}

fn remove_if_present(path: &std::path::Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
        _ => Ok(()),
    }
}

/// Records a scenario as one batch, with a fresh log signing key registered at the end.
async fn import_text(
    session: &Session,
    file: &str,
    text: &str,
) -> anyhow::Result<(coalition_ledger::Loaded, usize)> {
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
    // The record keeper's key that signs this coalition's checkpoints. A key file left by a
    // coalition that no longer exists signs nothing anyone holds, so it is replaced.
    let key_path = session.log_key_path(&scenario.coalition);
    remove_if_present(&key_path)?;
    if let Some(parent) = key_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let log_key = keyfile::generate();
    keyfile::write(&key_path, &log_key, None)?;
    let mut commands: Vec<Command> = scenario
        .commands
        .iter()
        .map(|(command, _)| command.clone())
        .collect();
    commands.push(Command::RegisterLogKey {
        name: coalition_ledger::bundle::origin(&scenario.coalition),
        key: keyfile::public_key(&log_key)?,
    });
    let executed = session
        .ledger
        .execute(
            &scenario.coalition,
            &scenario.recorded_by,
            clock::now()?,
            &commands,
        )
        .await;
    let receipt = match executed {
        Ok(receipt) => receipt,
        Err(err) => {
            remove_if_present(&key_path)?;
            return Err(match err {
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
            });
        }
    };
    let loaded = session.load(&scenario.coalition, None).await?;
    Ok((loaded, receipt.entries.len()))
}

/// Where `coalition demo` writes the demo leaders' keys.
const DEMO_KEYS: &str = "demo-keys";

/// One statement the demo had approved.
#[derive(serde::Serialize)]
struct DemoApproval {
    statement: String,
    version: u32,
    approvals: usize,
    adopted: bool,
    meeting: Option<String>,
}

/// The demo's leaders approve every draft: each gets a DEMO key (unencrypted, written beside
/// the record and labelled as such), the secretariat registers the keys, and each leader signs
/// the latest version at the meeting that has it on its agenda. Then the secretariat releases
/// the membership count and the count of states committed to a presence on land, at sea or in
/// the air, as the coalition did in 2025.
async fn demo_approvals(
    session: &Session,
    loaded: &coalition_ledger::Loaded,
) -> anyhow::Result<Vec<DemoApproval>> {
    use ed25519_dalek::Signer as _;
    let state = &loaded.state;
    let coalition = &loaded.coalition;
    let secretariat = state
        .principals()
        .values()
        .find(|p| p.role == PrincipalRole::Secretariat)
        .map(|p| p.id.clone())
        .ok_or_else(|| anyhow::anyhow!("the demo scenario has no secretariat"))?;
    let dir = session.dir.join(DEMO_KEYS);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("README.txt"),
        "DEMO KEYS, written by `coalition demo` for the demo's leaders. They are not encrypted and\n\
         must never be used for anything real. Real keys: `coalition key generate`.\n",
    )?;
    let mut keys = std::collections::BTreeMap::new();
    let mut register = Vec::new();
    for statement in state.statements().values() {
        for party in &statement.signatories {
            let leader = state
                .principals()
                .values()
                .find(|p| &p.party == party && p.role == PrincipalRole::Leader);
            let Some(leader) = leader else { continue };
            if keys.contains_key(&leader.id) {
                continue;
            }
            let key = keyfile::generate();
            keyfile::write(&dir.join(format!("DEMO-{}.pem", leader.id)), &key, None)?;
            register.push(Command::RegisterKey {
                principal: leader.id.clone(),
                key: keyfile::public_key(&key)?,
            });
            keys.insert(leader.id.clone(), (party.clone(), key));
        }
    }
    session.execute(coalition, &secretariat, &register).await?;

    let mut done = Vec::new();
    for statement in state.statements().values() {
        let Some(version) = statement.current() else {
            continue;
        };
        let meeting = state
            .meetings()
            .values()
            .find(|m| m.agenda.contains(&statement.id));
        // Approvals given at a meeting are dated on its day, as they happened.
        let given_at = meeting.map(|m| m.day.start());
        let meeting = meeting.map(|m| m.id.clone());
        let mut approvals = 0;
        let mut adopted = false;
        for party in &statement.signatories {
            let Some((leader, (_, key))) = keys.iter().find(|(_, (p, _))| p == party) else {
                continue;
            };
            let message = approval_message(
                coalition,
                statement.id.as_str(),
                version.number,
                &version.content,
            );
            let signature = SignatureBytes(key.sign(message.as_bytes()).to_bytes());
            let receipt = session
                .execute(
                    coalition,
                    leader,
                    &[Command::ApproveVersion {
                        statement: statement.id.clone(),
                        version: version.number,
                        signature,
                        meeting: meeting.clone(),
                        at: given_at,
                    }],
                )
                .await?;
            approvals += 1;
            adopted |= receipt
                .entries
                .iter()
                .any(|(_, e)| matches!(e, Event::StatementAdopted { .. }));
        }
        done.push(DemoApproval {
            statement: statement.id.to_string(),
            version: version.number,
            approvals,
            adopted,
            meeting: meeting.map(|m| m.to_string()),
        });
    }
    let releases = ["members", "guarantors:force-land,force-sea,force-air"]
        .iter()
        .map(|text| Aggregate::parse(text).map(|aggregate| Command::ReleaseAggregate { aggregate }))
        .collect::<Result<Vec<_>, _>>()?;
    session.execute(coalition, &secretariat, &releases).await?;
    Ok(done)
}

/// The summary `demo` and `import` print.
fn summarise(
    loaded: &coalition_ledger::Loaded,
    recorded: usize,
    approvals: &[DemoApproval],
    json: bool,
) -> anyhow::Result<()> {
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
            "statements": approvals,
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
        "  recorded {recorded} events from the scenario; log head {} (seq {})",
        loaded.head.hash, loaded.head.seq
    );
    let organisations = state
        .seats()
        .values()
        .filter(|s| s.role == SeatRole::Member && s.party.is_organisation())
        .count();
    println!(
        "  {} member states and {organisations} organisations ({} undisclosed), {} partner(s), {} adversary; {} principals; {} instruments",
        count_role(SeatRole::Member) - organisations,
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
    for a in approvals {
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
    if !approvals.is_empty() {
        println!(
            "  (the demo's leaders signed with DEMO keys, written unencrypted to {DEMO_KEYS}/ in the data directory)"
        );
    }
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
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
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
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
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
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
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
                t.years + record.extended_years(now),
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
                at: None,
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
    super::record(session, coalition, actor, cmd, json).await
}
