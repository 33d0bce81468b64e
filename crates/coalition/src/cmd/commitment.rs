//! `commitments`, `commitment add|show|withdraw|support`.

use coalition_app::Request;
use coalition_app::request::NewCommitmentRequest;
use coalition_app::views::{CommitmentFilter, response_text};
use coalition_core::commitment::Trigger;
use coalition_core::names::Named;

use crate::cli::{CommitmentAddArgs, CommitmentCommand, CommitmentsArgs};
use crate::output::{clean, print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn list(app: &Source, args: &CommitmentsArgs, json: bool) -> anyhow::Result<()> {
    let filter = CommitmentFilter {
        guarantor: args.guarantor.clone(),
        category: args.category.clone(),
        in_force: args.in_force_at.is_some(),
    };
    let mut route = Route::list("commitments")
        .with("guarantor", args.guarantor.as_ref())
        .with("category", args.category.as_ref());
    if args.in_force_at.is_some() {
        route = route.at_as("in_force_at");
    }
    let seen = app
        .read(
            &args.coalition,
            &super::reading(&args.view, args.in_force_at),
            route,
            |reader| Ok(reader.commitments(&filter)),
        )
        .await?;
    let views = seen.view;
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
        let c = &v.commitment;
        let responses: Vec<String> = c.responses.iter().map(response_text).collect();
        t.add_row(vec![
            c.id.to_string(),
            c.guarantor.to_string(),
            c.category.to_string(),
            v.status.name().into(),
            v.strength.name().into(),
            responses.join("; "),
            v.runs_until.clone(),
            c.marking.to_string(),
        ]);
    }
    print_table(
        &format!("{} commitments, status at {}", views.len(), seen.at),
        &t,
        "none visible",
    );
    Ok(())
}

pub(crate) async fn run(
    app: &Source,
    command: CommitmentCommand,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        CommitmentCommand::Add(args) => {
            let receipt = app
                .submit(&args.coalition, &args.act.actor, add_request(&args))
                .await?;
            super::print_created(&receipt, json)
        }
        CommitmentCommand::Show {
            coalition,
            id,
            view,
        } => {
            let seen = app
                .read(
                    &coalition,
                    &super::reading(&view, None),
                    Route::one(format!("commitments/{id}")),
                    |reader| reader.commitment(&id),
                )
                .await?;
            let v = seen.view;
            if json {
                return print_json(&v);
            }
            let c = &v.commitment;
            println!(
                "{} — {} commits to {} ({})",
                c.id, c.guarantor, c.protected, c.category
            );
            println!("  what:        {}", clean(&c.what));
            if let Some(amount) = &c.amount {
                println!(
                    "  amount:      {} {} committed, {} allocated, {} delivered",
                    amount.quantity,
                    clean(&amount.unit),
                    v.allocated,
                    v.delivered
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
                "  status:      {} at {}; runs until {}",
                v.status.name(),
                seen.at,
                v.runs_until
            );
            if let Some(at) = v.withdrawn_at {
                let reason = v
                    .withdrawal_reason
                    .as_deref()
                    .unwrap_or("no reason recorded");
                println!("  withdrawn:   {at}: {}", clean(reason));
            }
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
            reason,
            at,
            act,
        } => {
            let request = Request::WithdrawCommitment {
                commitment: id,
                reason,
                at,
            };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
        CommitmentCommand::Support {
            coalition,
            id,
            stage,
            quantity,
            at,
            act,
        } => {
            let request = Request::RecordSupport {
                commitment: id,
                stage,
                quantity,
                at,
            };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
    }
}

/// The scope as the reader should take it: the conditions the rules evaluate, and words that
/// are shown but decide nothing.
fn scope(trigger: &Trigger) -> String {
    let requires: Vec<&str> = trigger.requires.iter().map(|c| c.name()).collect();
    match (trigger.scope.is_empty(), requires.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(" ({}; scope not evaluated)", clean(&trigger.scope)),
        (true, false) => format!(" (requires {})", requires.join(", ")),
        (false, false) => format!(
            " ({}; evaluated: requires {})",
            clean(&trigger.scope),
            requires.join(", ")
        ),
    }
}

fn add_request(args: &CommitmentAddArgs) -> Request {
    Request::AddCommitment(Box::new(NewCommitmentRequest {
        guarantor: args.guarantor.clone(),
        protected: args.protected.clone(),
        category: args.category.clone(),
        what: args.what.clone(),
        quantity: args.quantity,
        unit: args.unit.clone(),
        stage: args.stage,
        aggressor: args.aggressor.clone(),
        kind: args.kind,
        scope: args.scope.clone(),
        requires: args.requires.clone(),
        consult_within: args.consult_within,
        deliver_within: args.deliver_within,
        responses: args.responses.clone(),
        clock_from: args.clock_from,
        discretion: args.discretion,
        instrument: args.instrument.clone(),
        from: args.from,
        until: args.until,
        classification: args.classification,
        originator: args.originator.clone(),
        releasable_to: args.releasable_to.clone(),
        at: args.at,
    }))
}
