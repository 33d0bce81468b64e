//! `coverage`: what the protected state can count on, year by year.

use coalition_core::commitment::Strength;
use coalition_core::coverage::CoverEnd;
use coalition_core::names::Named;

use crate::cli::CoverageArgs;
use crate::output::{print_json, print_table, table};
use crate::source::{Route, Source};

pub(crate) async fn show(app: &Source, args: &CoverageArgs, json: bool) -> anyhow::Result<()> {
    let route = Route::one("coverage")
        .with("protected", args.protected.as_ref())
        .with("years", Some(args.years))
        .with("assume_ceasefire", args.assume_ceasefire);
    let report = app
        .read(
            &args.coalition,
            &super::reading(&args.view, None),
            route,
            |reader| reader.coverage(args.protected.clone(), args.years, args.assume_ceasefire),
        )
        .await?
        .view;
    if json {
        return print_json(&report);
    }
    println!("Coverage of {} at {}", report.protected, report.at);
    if let Some(assumed) = report.assumed_ceasefire {
        println!("  WHAT-IF: assuming a ceasefire entered into force at {assumed}");
    }
    let end = |end: CoverEnd| match end {
        CoverEnd::NotCovered => "—".to_owned(),
        CoverEnd::LastDay(day) => day.to_string(),
        CoverEnd::OpenEnded => "open-ended".to_owned(),
    };
    let mut t = table([
        "CATEGORY",
        "BEST IN FORCE",
        "GUARANTORS",
        "GUARANTEE UNTIL",
        "ANY COVER UNTIL",
        "DORMANT",
    ]);
    for c in &report.categories {
        let guarantors: Vec<&str> = c.guarantors.iter().map(|g| g.as_str()).collect();
        t.add_row(vec![
            c.category.to_string(),
            c.best.map_or("none".into(), |s| s.name().to_owned()),
            guarantors.join(" "),
            end(c.guarantee_until),
            end(c.cover_until),
            c.dormant.to_string(),
        ]);
    }
    print_table("", &t, "no categories");

    let categories: Vec<_> = report
        .categories
        .iter()
        .map(|c| c.category.clone())
        .collect();
    let mut timeline = table(["YEAR"]);
    let mut header = vec!["YEAR".to_owned()];
    header.extend(categories.iter().map(|c| c.to_string()));
    timeline.set_header(header);
    for row in &report.timeline {
        let mut cells = vec![row.day.to_string()];
        cells.extend(categories.iter().map(|c| {
            row.cover.get(c).map_or("·".to_owned(), |s| match s {
                Strength::Guarantee => "G".into(),
                Strength::PoliticalCommitment => "p".into(),
                Strength::Assurance => "a".into(),
            })
        }));
        timeline.add_row(cells);
    }
    print_table(
        "\nYear by year (G guarantee · p political commitment · a assurance · · none):",
        &timeline,
        "no years",
    );

    if !report.lapsing_first.is_empty() {
        let mut t = table(["LAST DAY", "GUARANTOR", "COMMITMENT", "CATEGORY"]);
        for lapse in report.lapsing_first.iter().take(10) {
            t.add_row(vec![
                lapse.last_day.to_string(),
                lapse.guarantor.to_string(),
                lapse.commitment.to_string(),
                lapse.category.to_string(),
            ]);
        }
        print_table("\nLapsing first:", &t, "");
    }
    if !report.awaiting_activation.is_empty() {
        println!("\nAwaiting activation (a ceasefire in force, and ratification where required):");
        for a in &report.awaiting_activation {
            let years = a
                .years_after_activation
                .map_or("open-ended".into(), |y| format!("{y} years once active"));
            println!(
                "  {} ({}, {}): {years}",
                a.commitment, a.guarantor, a.category
            );
        }
    }
    if !report.no_deadline.is_empty() {
        println!("\nNo deadline stated (never overdue; not counted as guarantees):");
        for r in &report.no_deadline {
            println!(
                "  {} ({}, {}) — {}",
                r.commitment,
                r.guarantor,
                r.category,
                r.status.name()
            );
        }
    }
    if !report.amounts.is_empty() {
        let mut t = table(["UNIT", "COMMITTED", "ALLOCATED", "DELIVERED"]);
        for a in &report.amounts {
            t.add_row(vec![
                a.unit.clone(),
                a.committed.to_string(),
                a.allocated.to_string(),
                a.delivered.to_string(),
            ]);
        }
        print_table("\nAmounts (Kiel-style stages):", &t, "");
    }
    if report.gaps.is_empty() {
        println!("\nNo gaps: each of the five kinds of support has a guarantee in force.");
    } else {
        let gaps: Vec<&str> = report.gaps.iter().map(|c| c.as_str()).collect();
        println!("\nGaps (no guarantee in force): {}", gaps.join(", "));
    }
    Ok(())
}
