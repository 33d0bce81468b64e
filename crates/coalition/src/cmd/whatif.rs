//! `whatif incident`: what an incident would set off, decided on a copy of the record.

use coalition_app::Reading;
use coalition_app::request::{ConsultationAsked, WhatIfRequest};
use coalition_app::views::WhatIfView;
use coalition_core::dates::Timestamp;
use coalition_core::id::PartyCode;
use coalition_core::names::Named;
use coalition_core::obligation::Deadline;

use crate::cli::{WhatIfArgs, WhatIfCommand, WhatIfIncidentArgs};
use crate::failure::bad_input;
use crate::output::{clean, print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn run(app: &Source, args: WhatIfArgs, json: bool) -> anyhow::Result<()> {
    let WhatIfCommand::Incident(incident) = args.what;
    let request = question(&incident)?;
    // Checked here first, so that a bad question is refused alike locally and remotely.
    let query = request.clone().into_query()?;
    let answer = app
        .read(
            &args.coalition,
            &Reading::by(super::who(&incident.who)),
            Route::post("whatif", &request),
            |reader| reader.what_if(&query),
        )
        .await?
        .view;
    if json {
        return print_json(&answer);
    }
    print_answer(&answer);
    Ok(())
}

fn question(args: &WhatIfIncidentArgs) -> anyhow::Result<WhatIfRequest> {
    let mut requests = Vec::new();
    for text in &args.requests {
        let expected = || {
            bad_input(format!(
                "--request {text}: expected PARTY@TIME, e.g. GBR@2027-06-14T12:00:00Z"
            ))
        };
        let (party, at) = text.split_once('@').ok_or_else(expected)?;
        let party =
            PartyCode::parse(party).map_err(|e| bad_input(format!("--request {text}: {e}")))?;
        let at = Timestamp::parse(at).map_err(|e| bad_input(format!("--request {text}: {e}")))?;
        requests.push(ConsultationAsked { party, at });
    }
    Ok(WhatIfRequest {
        aggressor: args.aggressor.clone(),
        target: args.target.clone(),
        kind: args.kind,
        at: args.at,
        location: args.location.clone(),
        nuclear_weapons_used: args.nuclear_weapons_used,
        verified_at: args.verified_at,
        requests,
        assume_ceasefire: args.assume_ceasefire,
        assume_ratified: args.assume_ratified.clone(),
    })
}

fn print_answer(answer: &WhatIfView) {
    let i = &answer.incident;
    println!(
        "WHAT-IF (nothing recorded): {} by {} against {} at {}, verified at {}",
        i.kind.name(),
        i.aggressor,
        i.target,
        i.occurred_at,
        answer.verified_at
    );
    if let Some(at) = answer.assumed_ceasefire {
        println!("  assuming a ceasefire in force from {at}");
    }
    if !answer.assumed_ratified.is_empty() {
        let parties: Vec<&str> = answer.assumed_ratified.iter().map(|p| p.as_str()).collect();
        println!(
            "  assuming {} ratified what they signed",
            parties.join(", ")
        );
    }
    let mut opened: Vec<_> = answer.would_open.iter().collect();
    opened.sort_by_key(|o| match o.deadline {
        Deadline::Due(at) => (0, Some(at)),
        Deadline::AwaitingRequest => (1, None),
        Deadline::NoDeadline => (2, None),
    });
    let mut t = table(["GUARANTOR", "COMMITMENT", "KIND", "DUE", "MARKING"]);
    for o in &opened {
        let ob = &o.obligation;
        t.add_row(vec![
            ob.guarantor.to_string(),
            clean(ob.commitment.as_str()).into_owned(),
            ob.kind.name().into(),
            o.deadline.to_string(),
            ob.marking.to_string(),
        ]);
    }
    print_table(
        &format!("\nWould open {} obligations (soonest first):", opened.len()),
        &t,
        "none",
    );
    let mut t = table(["COMMITMENT", "GUARANTOR", "WHY NOT"]);
    for c in &answer.not_answering {
        t.add_row(vec![
            clean(c.commitment.as_str()).into_owned(),
            c.guarantor.to_string(),
            c.reason.describe().into(),
        ]);
    }
    print_table("\nWould not answer:", &t, "none");
}
