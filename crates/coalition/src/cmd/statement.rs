//! `statements`, `statement …`, `meetings`, `meeting add`, `communique`, `aggregates`,
//! `aggregate release`.

use coalition_core::command::Command;
use coalition_core::communique::{self, Aggregate, communique};
use coalition_core::disclosure::Gate;
use coalition_core::id::PrincipalId;
use coalition_core::names::parse_named;
use coalition_core::signature::approval_message;
use coalition_core::statement::{
    AdoptionRule, Attendance, Meeting, PartyStanding, StatementRecord, StatementStatus,
};
use ed25519_dalek::Signer as _;
use serde_json::json;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::cli::{
    AggregateCommand, CommuniqueArgs, MeetingCommand, ReadArgs, StatementActArgs, StatementCommand,
};
use crate::failure::bad_input;
use crate::output::{print_json, print_table, table};
use crate::session::Session;
use crate::{draft, keyfile};

pub(crate) async fn list(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
    let statements: Vec<&StatementRecord> = gate.statements().collect();
    if json {
        let rows: Vec<_> = statements
            .iter()
            .map(|s| {
                json!({
                    "id": s.id, "title": s.title, "status": s.status, "rule": s.rule,
                    "latest_version": s.current().map(|v| v.number),
                    "signatories": s.signatories, "approvals_of_latest": s.current_approvals(),
                })
            })
            .collect();
        return print_json(&rows);
    }
    let mut t = table(["ID", "TITLE", "STATUS", "LATEST", "APPROVED", "RULE"]);
    for s in &statements {
        t.add_row(vec![
            s.id.to_string(),
            s.title.clone(),
            status_text(s),
            s.current().map_or("-".into(), |v| format!("v{}", v.number)),
            format!("{}/{}", s.current_approvals(), s.signatories.len()),
            s.rule.to_string(),
        ]);
    }
    print_table("", &t, "no statements");
    Ok(())
}

fn status_text(s: &StatementRecord) -> String {
    match s.status {
        StatementStatus::Draft => "draft".into(),
        StatementStatus::Adopted { version, at } => format!("adopted v{version} at {at}"),
    }
}

pub(crate) async fn run(
    session: &Session,
    command: StatementCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        StatementCommand::Draft(args) => {
            let paragraphs = draft::read(&args.from)?;
            let rule = match (args.quorum, args.silence_until) {
                (Some(k), None) => AdoptionRule::Quorum { k },
                (None, Some(deadline)) => AdoptionRule::Silence { deadline },
                _ => AdoptionRule::Unanimity,
            };
            let command = Command::DraftStatement {
                statement: args.id.clone(),
                title: args.title.clone(),
                signatories: args.signatories.clone(),
                rule,
                paragraphs,
                at: None,
            };
            super::record(session, &args.coalition, &args.act.actor, command, json).await
        }
        StatementCommand::Revise {
            coalition,
            id,
            from,
            act,
        } => {
            let paragraphs = draft::read(&from)?;
            super::record(
                session,
                &coalition,
                &act.actor,
                Command::ReviseStatement {
                    statement: id,
                    paragraphs,
                    at: None,
                },
                json,
            )
            .await
        }
        StatementCommand::Show {
            coalition,
            id,
            version,
            view,
        } => {
            let reading = session.read(&coalition, &view).await?;
            let (_loaded, gate) = (&reading.loaded, reading.gate());
            let record = gate
                .statement(&id)
                .ok_or_else(|| bad_input(format!("unknown statement {id}")))?;
            let version = match version {
                Some(n) => record.version(n).ok_or_else(|| {
                    bad_input(format!(
                        "--version: statement {id} has no version {n} (latest is {})",
                        record.versions.len()
                    ))
                })?,
                None => record
                    .current()
                    .ok_or_else(|| bad_input(format!("statement {id} has no version")))?,
            };
            let paragraphs = gate.paragraphs(version);
            let public = view.public;
            if json {
                let shown: Vec<_> = paragraphs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.is_some() || !public)
                    .map(|(i, p)| match p {
                        Some(p) => json!({"number": i + 1, "marking": p.marking, "text": p.text}),
                        None => json!({"number": i + 1, "withheld": true}),
                    })
                    .collect();
                return print_json(&json!({
                    "id": record.id, "title": record.title, "version": version.number,
                    "content": version.content, "status": record.status, "paragraphs": shown,
                }));
            }
            println!(
                "{} — {} (version {}, {})",
                record.id,
                record.title,
                version.number,
                status_text(record)
            );
            println!("content hash {}", version.content);
            for (i, paragraph) in paragraphs.iter().enumerate() {
                match paragraph {
                    Some(p) => println!("\n{}. ({}) {}", i + 1, p.marking, p.text),
                    None if public => {}
                    None => println!("\n{}. [withheld]", i + 1),
                }
            }
            Ok(())
        }
        StatementCommand::Diff {
            coalition,
            id,
            from,
            to,
            view,
        } => {
            let reading = session.read(&coalition, &view).await?;
            let (_loaded, gate) = (&reading.loaded, reading.gate());
            let record = gate
                .statement(&id)
                .ok_or_else(|| bad_input(format!("unknown statement {id}")))?;
            let version = |n: u32| {
                record
                    .version(n)
                    .ok_or_else(|| bad_input(format!("statement {id} has no version {n}")))
            };
            let text = |v| -> Vec<String> {
                gate.paragraphs(v)
                    .into_iter()
                    .map(|p| {
                        p.map_or("[withheld]".to_owned(), |p| {
                            format!("({}) {}", p.marking, p.text)
                        })
                    })
                    .collect()
            };
            let (old, new) = (text(version(from)?), text(version(to)?));
            let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
            let mut lines = Vec::new();
            for op in ops {
                match op {
                    DiffOp::Equal {
                        old_index,
                        new_index,
                        len,
                    } => {
                        for k in 0..len {
                            lines.push((
                                "=",
                                old_index + k + 1,
                                new_index + k + 1,
                                new[new_index + k].clone(),
                            ));
                        }
                    }
                    DiffOp::Delete {
                        old_index, old_len, ..
                    } => {
                        for k in 0..old_len {
                            lines.push(("-", old_index + k + 1, 0, old[old_index + k].clone()));
                        }
                    }
                    DiffOp::Insert {
                        new_index, new_len, ..
                    } => {
                        for k in 0..new_len {
                            lines.push(("+", 0, new_index + k + 1, new[new_index + k].clone()));
                        }
                    }
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => {
                        for k in 0..old_len {
                            lines.push(("-", old_index + k + 1, 0, old[old_index + k].clone()));
                        }
                        for k in 0..new_len {
                            lines.push(("+", 0, new_index + k + 1, new[new_index + k].clone()));
                        }
                    }
                }
            }
            if json {
                let rows: Vec<_> = lines
                    .iter()
                    .map(
                        |(op, o, n, text)| json!({"op": op, "old": o, "new": n, "paragraph": text}),
                    )
                    .collect();
                return print_json(
                    &json!({"statement": id, "from": from, "to": to, "changes": rows}),
                );
            }
            println!("{id}: version {from} → version {to}");
            for (op, o, n, text) in lines {
                let at = match op {
                    "-" => format!("¶{o}"),
                    "+" => format!("¶{n}"),
                    _ => format!("¶{o}→¶{n}"),
                };
                let sign = if op == "=" { " " } else { op };
                println!("{sign} {at:<8} {text}");
            }
            Ok(())
        }
        StatementCommand::Approve {
            coalition,
            id,
            version,
            key,
            meeting,
            act,
        } => {
            // Sign here, with the leader's own key: only the signature travels.
            let loaded = session.load(&coalition, None).await?;
            let state = &loaded.state;
            let record = state
                .statements()
                .get(&id)
                .ok_or_else(|| bad_input(format!("unknown statement {id}")))?;
            let latest = record.current().map_or(0, |v| v.number);
            let signed = record.version(version).ok_or_else(|| {
                bad_input(format!(
                    "--version: statement {id} has no version {version} (latest is {latest})"
                ))
            })?;
            let signing_key = keyfile::read(&key)?;
            if let Some(principal) = state.principal(&act.actor) {
                let mine = keyfile::public_key(&signing_key)?;
                if principal
                    .public_key
                    .is_some_and(|registered| registered != mine)
                {
                    return Err(bad_input(format!(
                        "--key {}: this key ({mine}) is not the key registered for {}",
                        key.display(),
                        act.actor
                    )));
                }
            }
            let message = approval_message(&coalition, id.as_str(), version, &signed.content);
            let signature = coalition_core::signature::SignatureBytes(
                signing_key.sign(message.as_bytes()).to_bytes(),
            );
            let command = Command::ApproveVersion {
                statement: id,
                version,
                signature,
                meeting,
                at: None,
            };
            let receipt = session.execute(&coalition, &act.actor, &[command]).await?;
            if !json {
                for (sealed, event) in &receipt.entries {
                    match event {
                        coalition_core::Event::VersionApproved {
                            statement,
                            approval,
                        } => println!(
                            "#{} {} approved version {} of {statement} for {} (signature verified)",
                            sealed.seq, approval.principal, approval.version, approval.party
                        ),
                        coalition_core::Event::StatementAdopted {
                            statement, version, ..
                        } => {
                            println!("#{} {statement} adopted (version {version})", sealed.seq);
                        }
                        _ => {}
                    }
                }
                return Ok(());
            }
            super::print_receipt(&receipt, json)
        }
        StatementCommand::WithdrawApproval(a) => {
            act_on(
                session,
                a,
                |statement| Command::WithdrawApproval {
                    statement,
                    at: None,
                },
                json,
            )
            .await
        }
        StatementCommand::Object(a) => {
            act_on(
                session,
                a,
                |statement| Command::ObjectToStatement {
                    statement,
                    at: None,
                },
                json,
            )
            .await
        }
        StatementCommand::Conclude(a) => {
            act_on(
                session,
                a,
                |statement| Command::ConcludeSilence { statement },
                json,
            )
            .await
        }
        StatementCommand::Status {
            coalition,
            id,
            view,
        } => {
            let reading = session.read(&coalition, &view).await?;
            let (_loaded, gate) = (&reading.loaded, reading.gate());
            let record = gate
                .statement(&id)
                .ok_or_else(|| bad_input(format!("unknown statement {id}")))?;
            let standings = record.standings();
            if json {
                let rows: Vec<_> = standings
                    .iter()
                    .map(|(party, standing)| {
                        let place = where_given(&gate, standing);
                        json!({"party": party, "standing": standing, "meeting": place})
                    })
                    .collect();
                return print_json(&json!({
                    "statement": record.id, "status": record.status, "rule": record.rule,
                    "latest_version": record.current().map(|v| v.number), "parties": rows,
                }));
            }
            println!(
                "{} — {} · latest version {} · {} · {}",
                record.id,
                record.title,
                record.current().map_or(0, |v| v.number),
                record.rule,
                status_text(record)
            );
            let mut t = table(["PARTY", "STANDING", "BY", "AT", "WHERE"]);
            for (party, standing) in &standings {
                let (what, by, at) = match standing {
                    PartyStanding::Approved { approval } => (
                        format!("approved v{}", approval.version),
                        approval.principal.to_string(),
                        approval.at.to_string(),
                    ),
                    PartyStanding::ApprovedOlderVersion { version } => (
                        format!("approved an older version (v{version})"),
                        String::new(),
                        String::new(),
                    ),
                    PartyStanding::Objected => ("objected".into(), String::new(), String::new()),
                    PartyStanding::Pending => ("pending".into(), String::new(), String::new()),
                };
                t.add_row(vec![
                    party.to_string(),
                    what,
                    by,
                    at,
                    where_given(&gate, standing).unwrap_or_default(),
                ]);
            }
            print_table("", &t, "no signatories");
            Ok(())
        }
    }
}

/// Records a command that names only a statement, as the acting principal.
async fn act_on(
    session: &Session,
    args: StatementActArgs,
    command: impl FnOnce(coalition_core::statement::StatementId) -> Command,
    json: bool,
) -> anyhow::Result<()> {
    super::record(
        session,
        &args.coalition,
        &args.act.actor,
        command(args.id),
        json,
    )
    .await
}

/// The meeting (title, place) where an approval was given, if visible.
fn where_given(gate: &Gate<'_>, standing: &PartyStanding) -> Option<String> {
    let PartyStanding::Approved { approval } = standing else {
        return None;
    };
    let meeting = gate.meeting(approval.meeting.as_ref()?)?;
    Some(format!(
        "{} ({}, {})",
        meeting.title, meeting.place, meeting.day
    ))
}

pub(crate) async fn meetings(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (_loaded, gate) = (&reading.loaded, reading.gate());
    let meetings: Vec<&Meeting> = gate.meetings().collect();
    if json {
        return print_json(&meetings);
    }
    let mut t = table([
        "ID",
        "TITLE",
        "HOST",
        "PLACE",
        "DAY",
        "IN PERSON",
        "REMOTE",
        "AGENDA",
    ]);
    for m in &meetings {
        let who = |mode| -> String {
            m.attendees
                .iter()
                .filter(|(_, a)| *a == mode)
                .map(|(p, _)| p.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let agenda: Vec<String> = m.agenda.iter().map(ToString::to_string).collect();
        t.add_row(vec![
            m.id.to_string(),
            m.title.clone(),
            m.host.to_string(),
            m.place.clone(),
            m.day.to_string(),
            who(Attendance::InPerson),
            who(Attendance::Remote),
            agenda.join(" "),
        ]);
    }
    print_table("", &t, "no meetings visible");
    Ok(())
}

pub(crate) async fn meeting(
    session: &Session,
    command: MeetingCommand,
    json: bool,
) -> anyhow::Result<()> {
    let MeetingCommand::Add(args) = command;
    let mut attendees = Vec::new();
    for text in &args.attendees {
        let (principal, mode) = text.split_once(':').ok_or_else(|| {
            bad_input(format!(
                "--attendee {text}: expected PRINCIPAL:in-person or PRINCIPAL:remote"
            ))
        })?;
        let principal = PrincipalId::parse(principal)
            .map_err(|e| bad_input(format!("--attendee {text}: {e}")))?;
        let mode: Attendance =
            parse_named(mode).map_err(|e| bad_input(format!("--attendee {text}: {e}")))?;
        attendees.push((principal, mode));
    }
    let meeting = Meeting {
        id: args.id.clone(),
        title: args.title.clone(),
        host: args.host.clone(),
        place: args.place.clone(),
        day: args.day,
        attendees,
        agenda: args.agenda.clone(),
        marking: coalition_core::classification::Marking::public(),
    };
    super::record(
        session,
        &args.coalition,
        &args.act.actor,
        Command::RecordMeeting(meeting),
        json,
    )
    .await
}

pub(crate) async fn communique_cmd(
    session: &Session,
    args: &CommuniqueArgs,
    json: bool,
) -> anyhow::Result<()> {
    let loaded = session.load(&args.coalition, args.as_of).await?;
    let state = &loaded.state;
    if let Some(meeting) = &args.meeting {
        Gate::new(state, &coalition_core::classification::Viewer::Public)
            .meeting(meeting)
            .ok_or_else(|| bad_input(format!("--meeting: unknown meeting {meeting}")))?;
    }
    let published = communique(state, args.meeting.as_ref());
    if json {
        return print_json(&published);
    }
    let name = state
        .coalition()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    println!("COMMUNIQUÉ — {name}");
    if let Some(meeting) = args
        .meeting
        .as_ref()
        .and_then(|id| state.meetings().get(id))
    {
        println!("{}, {}, {}", meeting.title, meeting.place, meeting.day);
    }
    for statement in &published.statements {
        println!(
            "\n{} (adopted version {})",
            statement.title, statement.version
        );
        for p in &statement.paragraphs {
            println!("\n  {}", p.text);
        }
        if statement.withheld_paragraphs > 0 {
            println!(
                "\n  [{} paragraph(s) not for publication]",
                statement.withheld_paragraphs
            );
        }
    }
    if !published.figures.is_empty() {
        println!("\nFigures:");
        for f in &published.figures {
            let of = match &f.aggregate {
                Aggregate::Members => String::new(),
                Aggregate::GuarantorsCommitted { .. } => format!(" of {}", f.of_members),
            };
            println!(
                "  {}{of} {}{}",
                f.value,
                f.description,
                if f.released { " (released)" } else { "" }
            );
        }
    }
    if published.withheld_figures > 0 {
        println!(
            "\n({} figure(s) withheld: classified inputs, no release decision)",
            published.withheld_figures
        );
    }
    Ok(())
}

pub(crate) async fn aggregates(
    session: &Session,
    args: &ReadArgs,
    json: bool,
) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (state, gate) = (&reading.loaded.state, reading.gate());
    let mut rows = Vec::new();
    for aggregate in Aggregate::standard() {
        let computed = communique::compute(state, &aggregate);
        let released = state
            .releases()
            .iter()
            .rev()
            .find(|r| r.aggregate == aggregate);
        let visible = gate.may_read(&computed.marking);
        rows.push(json!({
            "aggregate": aggregate.to_string(),
            "description": aggregate.describe(),
            "value": visible.then_some(computed.value),
            "of_members": visible.then_some(computed.of_members),
            "marking": computed.marking.to_string(),
            "released_value": released.map(|r| r.value),
        }));
    }
    if json {
        return print_json(&rows);
    }
    let mut t = table(["AGGREGATE", "VALUE", "MARKING", "RELEASED"]);
    for row in &rows {
        let text = |k: &str| row[k].as_str().unwrap_or("").to_owned();
        let number = |k: &str| row[k].as_u64().map_or("—".to_owned(), |v| v.to_string());
        t.add_row(vec![
            text("aggregate"),
            number("value"),
            text("marking"),
            number("released_value"),
        ]);
    }
    print_table("", &t, "none");
    Ok(())
}

pub(crate) async fn aggregate(
    session: &Session,
    command: AggregateCommand,
    json: bool,
) -> anyhow::Result<()> {
    let AggregateCommand::Release {
        coalition,
        aggregate,
        act,
    } = command;
    let aggregate = Aggregate::parse(&aggregate).map_err(bad_input)?;
    super::record(
        session,
        &coalition,
        &act.actor,
        Command::ReleaseAggregate { aggregate },
        json,
    )
    .await
}
