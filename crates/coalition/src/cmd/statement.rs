//! `statements`, `statement …`, `meetings`, `meeting add`, `communique`, `aggregates`,
//! `aggregate release`.

use coalition_app::formats::akn;
use coalition_app::import::{MAX_DRAFT_BYTES, parse_draft};
use coalition_app::request::{NewMeetingRequest, NewStatementRequest};
use coalition_app::views::{StatementShow, StatementStanding};
use coalition_app::{AppError, Reading, Request, Who};
use coalition_core::communique::Aggregate;
use coalition_core::event::Event;
use coalition_core::id::CoalitionId;
use coalition_core::signature::SignatureBytes;
use coalition_core::statement::{
    AdoptionRule, Attendance, Paragraph, PartyStanding, StatementStatus,
};
use ed25519_dalek::Signer as _;

use crate::cli::{
    AggregateCommand, CommuniqueArgs, DraftSource, MeetingCommand, ReadArgs, StatementActArgs,
    StatementCommand, StatementFormat,
};
use crate::failure::bad_input;
use crate::output::{clean, print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn list(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let rows = super::view(app, args, Route::one("statements"), |reader| {
        Ok(reader.statements())
    })
    .await?;
    if json {
        return print_json(&rows);
    }
    let mut t = table(["ID", "TITLE", "STATUS", "LATEST", "APPROVED", "RULE"]);
    for s in &rows {
        t.add_row(vec![
            s.id.to_string(),
            s.title.clone(),
            status_text(&s.status),
            s.latest_version.map_or("-".into(), |v| format!("v{v}")),
            format!("{}/{}", s.approvals_of_latest, s.signatories.len()),
            s.rule.to_string(),
        ]);
    }
    print_table("", &t, "no statements");
    Ok(())
}

fn status_text(status: &StatementStatus) -> String {
    match status {
        StatementStatus::Draft => "draft".into(),
        StatementStatus::Adopted { version, at } => format!("adopted v{version} at {at}"),
    }
}

/// The paragraphs of a draft file (Markdown with portion markings, or TOML) or of an Akoma
/// Ntoso document, with the document's title if it has one.
fn read_draft(source: &DraftSource) -> anyhow::Result<(Vec<Paragraph>, Option<String>)> {
    let (flag, path) = match (&source.from, &source.from_akn) {
        (Some(path), _) => ("--from", path),
        (None, Some(path)) => ("--from-akn", path),
        (None, None) => return Err(bad_input("give the paragraphs with --from or --from-akn")),
    };
    let text = crate::file::read_text(flag, path, MAX_DRAFT_BYTES as u64)?;
    let name = path.display().to_string();
    if source.from_akn.is_some() {
        let draft = akn::parse(&name, &text).map_err(AppError::from)?;
        return Ok((draft.paragraphs, draft.title));
    }
    let paragraphs = parse_draft(&name, &text).map_err(AppError::from)?;
    Ok((paragraphs, None))
}

pub(crate) async fn run(app: &Source, command: StatementCommand, json: bool) -> anyhow::Result<()> {
    match command {
        StatementCommand::Draft(args) => {
            let (paragraphs, title) = read_draft(&args.source)?;
            let title =
                args.title.clone().or(title).ok_or_else(|| {
                    bad_input("--title: required (the draft file names no docTitle)")
                })?;
            let request = Request::DraftStatement(Box::new(NewStatementRequest {
                id: args.id.clone(),
                title,
                signatories: args.signatories.clone(),
                quorum: args.quorum,
                silence_until: args.silence_until,
                paragraphs,
                at: args.at,
            }));
            super::submit(app, &args.coalition, &args.act.actor, request, json).await
        }
        StatementCommand::Revise {
            coalition,
            id,
            source,
            at,
            act,
        } => {
            let request = Request::ReviseStatement {
                statement: id,
                paragraphs: read_draft(&source)?.0,
                at,
            };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
        StatementCommand::Show {
            coalition,
            id,
            version,
            view,
        } => {
            let shown = app
                .read(
                    &coalition,
                    &super::reading(&view, None),
                    Route::one(format!("statements/{id}")).with("version", version),
                    |reader| reader.statement(&id, version),
                )
                .await?
                .view;
            if json {
                return print_json(&shown);
            }
            print_statement(&shown);
            Ok(())
        }
        StatementCommand::Export {
            coalition,
            id,
            version,
            format: StatementFormat::Akn,
            out,
            view,
        } => {
            let (local, _) = app.local("statement export")?;
            let reader = local.read(&coalition, &super::reading(&view, None)).await?;
            let export = reader.statement_export(&id, version)?;
            crate::file::write_out("--out", &out, akn::write(&export).as_bytes())?;
            if json {
                return print_json(&export);
            }
            println!(
                "{id} version {}: {} paragraph(s) written to {} (Akoma Ntoso 3.0){}",
                export.version,
                export.paragraphs.len(),
                out.display(),
                if export.is_complete() {
                    String::new()
                } else {
                    format!(
                        "; as {}: paragraphs it may not read are withheld",
                        export.reader
                    )
                }
            );
            Ok(())
        }
        StatementCommand::Diff {
            coalition,
            id,
            from,
            to,
            view,
        } => {
            let route = Route::one(format!("statements/{id}/diff"))
                .with("from", Some(from))
                .with("to", Some(to));
            let diff = app
                .read(&coalition, &super::reading(&view, None), route, |reader| {
                    reader.statement_diff(&id, from, to)
                })
                .await?
                .view;
            if json {
                return print_json(&diff);
            }
            println!("{id}: version {from} → version {to}");
            for line in &diff.changes {
                let at = match line.op.as_str() {
                    "-" => format!("¶{}", line.old),
                    "+" => format!("¶{}", line.new),
                    _ => format!("¶{}→¶{}", line.old, line.new),
                };
                let sign = if line.op == "=" { " " } else { &line.op };
                println!("{sign} {at:<8} {}", clean(&line.paragraph));
            }
            Ok(())
        }
        StatementCommand::Approve {
            coalition,
            id,
            version,
            key,
            meeting,
            at,
            act,
        } => {
            // Sign here, with the leader's own key: only the signature travels.
            let to_sign = app.to_sign(&coalition, &id, version, &act.actor).await?;
            let signing_key = crate::signer_key::read(&key)?;
            let mine = coalition_app::keys::public_key(&signing_key)?;
            if to_sign
                .registered_key
                .is_some_and(|registered| registered != mine)
            {
                return Err(bad_input(format!(
                    "--key {}: this key ({mine}) is not the key registered for {}",
                    key.display(),
                    act.actor
                )));
            }
            let signature = SignatureBytes(signing_key.sign(to_sign.message.as_bytes()).to_bytes());
            let request = Request::ApproveVersion {
                statement: id,
                version,
                signature,
                meeting,
                at,
            };
            let receipt = app.submit(&coalition, &act.actor, request).await?;
            if json {
                return super::print_receipt(&receipt, json);
            }
            for entry in &receipt.recorded {
                match &entry.event {
                    Event::VersionApproved {
                        statement,
                        approval,
                    } => println!(
                        "#{} {} approved version {} of {statement} for {} (signature verified)",
                        entry.seq, approval.principal, approval.version, approval.party
                    ),
                    Event::StatementAdopted {
                        statement, version, ..
                    } => {
                        println!("#{} {statement} adopted (version {version})", entry.seq);
                    }
                    _ => {}
                }
            }
            Ok(())
        }
        StatementCommand::WithdrawApproval(a) => {
            let at = a.at;
            let request = |statement| Request::WithdrawApproval { statement, at };
            act_on(app, a.target, request, json).await
        }
        StatementCommand::Object(a) => {
            let at = a.at;
            let request = |statement| Request::ObjectToStatement { statement, at };
            act_on(app, a.target, request, json).await
        }
        StatementCommand::Conclude(a) => {
            act_on(
                app,
                a,
                |statement| Request::ConcludeSilence { statement },
                json,
            )
            .await
        }
        StatementCommand::Status {
            coalition,
            id,
            view,
        } => {
            let standing = app
                .read(
                    &coalition,
                    &super::reading(&view, None),
                    Route::one(format!("statements/{id}/status")),
                    |reader| reader.statement_standing(&id),
                )
                .await?
                .view;
            if json {
                return print_json(&standing);
            }
            println!(
                "{} — {} · latest version {} · {} · {}",
                standing.statement,
                clean(&standing.title),
                standing.latest_version.unwrap_or(0),
                standing.rule,
                status_text(&standing.status)
            );
            let mut t = table(["PARTY", "STANDING", "BY", "AT", "WHERE"]);
            for row in &standing.parties {
                let (what, by, at) = match &row.standing {
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
                    row.party.to_string(),
                    what,
                    by,
                    at,
                    row.meeting.clone().unwrap_or_default(),
                ]);
            }
            print_table("", &t, "no signatories");
            print_next_step(&coalition, &standing);
            Ok(())
        }
    }
}

/// Who is missing, and the command that moves the statement on.
fn print_next_step(coalition: &CoalitionId, standing: &StatementStanding) {
    let id = &standing.statement;
    if let StatementStatus::Adopted { .. } = standing.status {
        println!("\nAdopted: nothing more to approve.");
        return;
    }
    let version = standing.latest_version.unwrap_or(1);
    if let AdoptionRule::Silence { deadline } = standing.rule {
        println!(
            "\nSilence procedure: adopted unless a signatory objects before {deadline}; then: \
             coalition statement conclude {coalition} {id} --as SECRETARIAT"
        );
        return;
    }
    let missing: Vec<&str> = standing.missing.iter().map(|p| p.as_str()).collect();
    println!(
        "\nMissing the approval of version {version} by: {}",
        if missing.is_empty() {
            "nobody".to_owned()
        } else {
            missing.join(", ")
        }
    );
    if !missing.is_empty() {
        println!(
            "Next: each missing party's leader signs on their own machine:\n  \
             coalition statement approve {coalition} {id} --version {version} --key LEADER.pem --as LEADER\n\
             (keys, passphrases and approving at a meeting: docs/statements.md)"
        );
    }
}

fn print_statement(shown: &StatementShow) {
    println!(
        "{} — {} (version {}, {})",
        shown.id,
        clean(&shown.title),
        shown.version,
        status_text(&shown.status)
    );
    let check = if shown.verified {
        "verified"
    } else {
        "DOES NOT VERIFY"
    };
    println!(
        "content hash {} over {} leaf commitments; paragraphs shown: {}, each among them: {check}",
        shown.content,
        shown.leaves,
        shown.paragraphs.len()
    );
    for p in &shown.paragraphs {
        println!("\n{}. ({}) {}", p.number, p.marking, clean(&p.text));
    }
}

/// Records a request that names only a statement, as the acting principal.
async fn act_on(
    app: &Source,
    args: StatementActArgs,
    request: impl FnOnce(coalition_core::statement::StatementId) -> Request,
    json: bool,
) -> anyhow::Result<()> {
    super::submit(
        app,
        &args.coalition,
        &args.act.actor,
        request(args.id),
        json,
    )
    .await
}

pub(crate) async fn meetings(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let meetings = super::view(app, args, Route::one("meetings"), |reader| {
        Ok(reader.meetings())
    })
    .await?;
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
    app: &Source,
    command: MeetingCommand,
    json: bool,
) -> anyhow::Result<()> {
    let MeetingCommand::Add(args) = command;
    let request = Request::RecordMeeting(Box::new(NewMeetingRequest {
        id: args.id.clone(),
        title: args.title.clone(),
        host: args.host.clone(),
        place: args.place.clone(),
        day: args.day,
        attendees: args.attendees.clone(),
        agenda: args.agenda.clone(),
    }));
    super::submit(app, &args.coalition, &args.act.actor, request, json).await
}

pub(crate) async fn communique(
    app: &Source,
    args: &CommuniqueArgs,
    json: bool,
) -> anyhow::Result<()> {
    let reading = Reading {
        who: Who::Public,
        as_of: args.as_of,
        at: None,
    };
    let route = Route::one("communique").with("meeting", args.meeting.as_ref());
    let published = app
        .read(&args.coalition, &reading, route, |reader| {
            reader.communique(args.meeting.as_ref())
        })
        .await?
        .view;
    if json {
        return print_json(&published);
    }
    println!("COMMUNIQUÉ — {}", clean(&app.name(&args.coalition).await?));
    let meeting = match &args.meeting {
        Some(id) => app
            .read(
                &args.coalition,
                &reading,
                Route::one("meetings"),
                |reader| Ok(reader.meeting(id).into_iter().collect::<Vec<_>>()),
            )
            .await?
            .view
            .into_iter()
            .find(|meeting: &coalition_core::statement::Meeting| &meeting.id == id),
        None => None,
    };
    if let Some(meeting) = meeting {
        println!(
            "{}, {}, {}",
            clean(&meeting.title),
            clean(&meeting.place),
            meeting.day
        );
    }
    for statement in &published.statements {
        println!(
            "\n{} (adopted version {})",
            clean(&statement.title),
            statement.version
        );
        for p in &statement.paragraphs {
            println!("\n  {}", clean(&p.text));
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
    Ok(())
}

pub(crate) async fn aggregates(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let rows = super::view(app, args, Route::one("aggregates"), |reader| {
        Ok(reader.aggregates())
    })
    .await?;
    if json {
        return print_json(&rows);
    }
    let number = |value: Option<u64>| value.map_or("—".to_owned(), |v| v.to_string());
    let mut t = table(["AGGREGATE", "VALUE", "MARKING", "RELEASED"]);
    for row in &rows {
        t.add_row(vec![
            row.aggregate.clone(),
            number(row.value),
            row.marking
                .clone()
                .unwrap_or_else(|| "(released)".to_owned()),
            number(row.released_value),
        ]);
    }
    print_table("", &t, "none");
    Ok(())
}

pub(crate) async fn aggregate(
    app: &Source,
    command: AggregateCommand,
    json: bool,
) -> anyhow::Result<()> {
    let AggregateCommand::Release {
        coalition,
        aggregate,
        act,
    } = command;
    let request = Request::ReleaseAggregate { aggregate };
    super::submit(app, &coalition, &act.actor, request, json).await
}
