//! `commitments`, `commitment add|show|withdraw|support`.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewCommitment};
use coalition_core::commitment::{
    Amount, Commitment, CommitmentStatus, Response, ResponseKind, Trigger, Validity,
};
use coalition_core::dates::Span;
use coalition_core::event::Event;
use coalition_core::id::CommitmentId;
use coalition_core::names::{Named, parse_named};
use serde_json::json;

use crate::cli::{CommitmentAddArgs, CommitmentCommand, CommitmentsArgs};
use crate::clock;
use crate::failure::bad_input;
use crate::output::{print_json, print_table, table};
use crate::session::Session;
use crate::views::{CommitmentView, natural_key, response_text};

pub(crate) async fn list(
    session: &Session,
    args: &CommitmentsArgs,
    json: bool,
) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (state, gate) = (&reading.loaded.state, reading.gate());
    let at = match args.in_force_at.or(args.view.as_of) {
        Some(at) => at,
        None => clock::now()?,
    };
    let mut views: Vec<CommitmentView<'_>> = gate
        .commitments()
        .filter(|r| {
            args.guarantor
                .as_ref()
                .is_none_or(|g| &r.commitment.guarantor == g)
        })
        .filter(|r| {
            args.category
                .as_ref()
                .is_none_or(|c| &r.commitment.category == c)
        })
        .map(|r| CommitmentView::new(state, r, at))
        .filter(|v| args.in_force_at.is_none() || v.status == CommitmentStatus::InForce)
        .collect();
    views.sort_by_cached_key(|v| natural_key(v.record.id.as_str()));
    if json {
        return print_json(&views);
    }
    let mut t = table([
        "ID",
        "GUARANTOR",
        "CATEGORY",
        "STATUS",
        "STRENGTH",
        "RESPONSES",
        "UNTIL",
        "MARKING",
    ]);
    for v in &views {
        let responses: Vec<String> = v.record.responses.iter().map(response_text).collect();
        t.add_row(vec![
            v.record.id.to_string(),
            v.record.guarantor.to_string(),
            v.record.category.to_string(),
            v.status.name().into(),
            v.strength.name().into(),
            responses.join("; "),
            v.runs_until.clone(),
            v.record.marking.to_string(),
        ]);
    }
    print_table(
        &format!("{} commitments, status at {at}", views.len()),
        &t,
        "none visible",
    );
    Ok(())
}

pub(crate) async fn run(
    session: &Session,
    command: CommitmentCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        CommitmentCommand::Add(args) => add(session, &args, json).await,
        CommitmentCommand::Show {
            coalition,
            id,
            view,
        } => {
            let reading = session.read(&coalition, &view).await?;
            let (state, gate) = (&reading.loaded.state, reading.gate());
            let record = gate
                .commitment(&id)
                .ok_or_else(|| bad_input(format!("unknown commitment {id}")))?;
            let at = match view.as_of {
                Some(at) => at,
                None => clock::now()?,
            };
            let v = CommitmentView::new(state, record, at);
            if json {
                return print_json(&v);
            }
            let c = v.record;
            println!(
                "{} — {} commits to {} ({})",
                c.id, c.guarantor, c.protected, c.category
            );
            println!("  what:        {}", c.what);
            if let Some(amount) = &c.amount {
                println!(
                    "  amount:      {} {} committed, {} allocated, {} delivered",
                    amount.quantity, amount.unit, v.allocated, v.delivered
                );
            }
            println!(
                "  trigger:     {} by {}{}",
                c.trigger.kind.name(),
                c.trigger.aggressor,
                scope(&c.trigger)
            );
            println!("  discretion:  {}", c.discretion.name());
            for response in &c.responses {
                println!("  response:    {}", response_text(response));
            }
            println!(
                "  instrument:  {}",
                c.instrument
                    .as_ref()
                    .map_or("none (unilateral pledge)".into(), |i| i.to_string())
            );
            println!(
                "  status:      {} at {at}; runs until {}",
                v.status.name(),
                v.runs_until
            );
            println!("  strength:    {}", v.strength.name());
            println!(
                "  marking:     {}{}",
                c.marking,
                if c.illustrative {
                    " · illustrative"
                } else {
                    ""
                }
            );
            Ok(())
        }
        CommitmentCommand::Withdraw {
            coalition,
            id,
            at,
            act,
        } => {
            super::record(
                session,
                &coalition,
                &act.actor,
                Command::WithdrawCommitment { commitment: id, at },
                json,
            )
            .await
        }
        CommitmentCommand::Support {
            coalition,
            id,
            stage,
            quantity,
            at,
            act,
        } => {
            super::record(
                session,
                &coalition,
                &act.actor,
                Command::RecordSupport {
                    commitment: id,
                    stage,
                    quantity,
                    at,
                },
                json,
            )
            .await
        }
    }
}

fn scope(trigger: &Trigger) -> String {
    if trigger.scope.is_empty() {
        String::new()
    } else {
        format!(" ({})", trigger.scope)
    }
}

/// Parses `--response KIND[=SPAN]`.
fn parse_response(
    text: &str,
    clock: coalition_core::commitment::ClockStart,
) -> anyhow::Result<Response> {
    let (kind, within) = match text.split_once('=') {
        Some((kind, span)) => (kind, Some(span)),
        None => (text, None),
    };
    let kind: ResponseKind =
        parse_named(kind).map_err(|err| bad_input(format!("--response {text}: {err}")))?;
    let within = within
        .map(|span| Span::parse(span).map_err(|err| bad_input(format!("--response {text}: {err}"))))
        .transpose()?;
    Ok(Response {
        kind,
        within,
        clock,
    })
}

async fn add(session: &Session, args: &CommitmentAddArgs, json: bool) -> anyhow::Result<()> {
    let protected = match &args.protected {
        Some(party) => party.clone(),
        None => {
            let loaded = session.load(&args.coalition, None).await?;
            loaded
                .state
                .coalition()
                .map(|c| c.protected.clone())
                .ok_or_else(|| bad_input(format!("unknown coalition {}", args.coalition)))?
        }
    };
    let mut responses = Vec::new();
    if let Some(within) = args.consult_within {
        responses.push(Response {
            kind: ResponseKind::Consult,
            within: Some(within),
            clock: args.clock_from,
        });
    }
    if let Some(within) = args.deliver_within {
        responses.push(Response {
            kind: ResponseKind::Deliver,
            within: Some(within),
            clock: args.clock_from,
        });
    }
    for text in &args.responses {
        responses.push(parse_response(text, args.clock_from)?);
    }
    if responses.is_empty() {
        return Err(bad_input(
            "name at least one response: --consult-within SPAN, --deliver-within SPAN or --response KIND[=SPAN]",
        ));
    }
    let level = args.classification.unwrap_or(Level::Unclassified);
    let commitment = Commitment {
        // Replaced by the id `decide` assigns when none is given.
        id: CommitmentId::parse("new")?,
        guarantor: args.guarantor.clone(),
        protected,
        instrument: args.instrument.clone(),
        category: args.category.clone(),
        what: args.what.clone(),
        amount: match (args.quantity, &args.unit) {
            (Some(quantity), Some(unit)) => Some(Amount {
                quantity,
                unit: unit.clone(),
                stage: args.stage,
            }),
            _ => None,
        },
        trigger: Trigger {
            kind: args.kind,
            aggressor: args.aggressor.clone(),
            scope: args.scope.clone(),
        },
        discretion: args.discretion,
        responses,
        validity: Validity {
            from: args.from,
            until: args.until,
        },
        marking: Marking {
            level,
            originator: Some(
                args.originator
                    .clone()
                    .unwrap_or_else(|| args.guarantor.clone()),
            ),
            releasable_to: args
                .releasable_to
                .clone()
                .map(|parties| parties.into_iter().collect()),
        },
        illustrative: false,
    };
    let receipt = session
        .execute(
            &args.coalition,
            &args.act.actor,
            &[Command::AddCommitment(NewCommitment {
                id: args.id.clone(),
                commitment,
                at: None,
            })],
        )
        .await?;
    let id = receipt.entries.iter().find_map(|(_, event)| match event {
        Event::CommitmentAdded { commitment, .. } => Some(commitment.id.clone()),
        _ => None,
    });
    let id = id.ok_or_else(|| anyhow::anyhow!("the commitment was not recorded"))?;
    if json {
        return print_json(&json!({"id": id, "seq": receipt.head.seq, "head": receipt.head.hash}));
    }
    println!("{id}");
    Ok(())
}
