//! The text form of every negotiation result (the JSON form is `coalition_negotiate::document`).

use std::fmt::Write as _;

use coalition_negotiate::analysis::Analysis;
use coalition_negotiate::bloc::BlocAnalysis;
use coalition_negotiate::evaluate::Evaluation;
use coalition_negotiate::feasible::{FeasibleSet, StickingPoints};
use coalition_negotiate::forecast::{ExchangeForecast, ForecastInput};
use coalition_negotiate::gap::issue_gaps;
use coalition_negotiate::model::Negotiation;
use coalition_negotiate::scenario::Scenario;
use coalition_negotiate::space::Tables;

/// `issue = option, …`.
fn outcome(neg: &Negotiation, outcome: &[u32]) -> String {
    neg.labels(outcome)
        .into_iter()
        .map(|(i, l)| format!("{i} = {l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `party 0.123, …`.
fn utilities(names: &[String], u: &[f64]) -> String {
    names
        .iter()
        .zip(u)
        .map(|(n, u)| format!("{n} {u:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn names_of(neg: &Negotiation, parties: &[usize]) -> Vec<String> {
    parties
        .iter()
        .map(|&p| neg.parties[p].name.clone())
        .collect()
}

fn issue_list(neg: &Negotiation, issues: &[usize]) -> String {
    issues
        .iter()
        .map(|&i| neg.issues[i].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the utilities mean: said once, before the first number.
pub(super) const UTILITY_SCALE: &str = "Utilities run from 0 (nothing a party wants) to 1 (everything it wants); its \
     reservation value is what walking away is worth to it, so it accepts nothing below.\n";

/// "showing N of M" when a list is cut short.
fn showing(shown: usize, of: impl Into<u128>) -> String {
    let of = of.into();
    if (shown as u128) < of {
        format!(" (showing {shown} of {of})")
    } else {
        String::new()
    }
}

/// Per issue, the widest gap between `parties` in words, under `heading`; nothing when they
/// all prefer the same options.
pub(super) fn gaps(
    neg: &Negotiation,
    units: &[Option<String>],
    parties: &[usize],
    heading: &str,
    out: &mut String,
) {
    let gaps = issue_gaps(neg, parties);
    if gaps.is_empty() {
        return;
    }
    let _ = writeln!(out, "{heading}");
    let indent = heading.len() - heading.trim_start().len() + 2;
    for g in &gaps {
        let unit = units.get(g.issue).and_then(Option::as_deref);
        let _ = writeln!(out, "{:indent$}{}", "", g.describe(neg, unit));
    }
}

/// The space, the frontier's size and the bargaining solutions.
pub(super) fn analysis(neg: &Negotiation, a: &Analysis, out: &mut String) {
    let names = names_of(neg, &a.parties);
    let _ = writeln!(
        out,
        "Outcome space: {} outcomes; Pareto frontier of the acceptable ones: {} points.",
        a.outcomes,
        a.frontier.len()
    );
    let s = &a.solutions;
    for (label, sol) in [
        ("Nash", &s.nash),
        ("Kalai–Smorodinsky", &s.kalai_smorodinsky),
        ("Kalai–Smorodinsky (GENIUS)", &s.kalai_smorodinsky_genius),
        ("Utilitarian", &s.utilitarian),
        ("Egalitarian", &s.egalitarian),
    ] {
        match sol {
            Some(sol) => {
                let _ = writeln!(
                    out,
                    "  {label}: {}\n      utilities: {}",
                    outcome(neg, &sol.outcome),
                    utilities(&names, &sol.utilities)
                );
            }
            None => {
                let _ = writeln!(out, "  {label}: none (no outcome gives every party a gain)");
            }
        }
    }
}

/// The constraints that must give, and what is possible then.
pub(super) fn sticking_points(neg: &Negotiation, sp: &StickingPoints, out: &mut String) {
    let _ = writeln!(
        out,
        "  Sticking points: {} constraint(s) must give for any agreement:",
        sp.size()
    );
    for &r in &sp.red_lines {
        let _ = writeln!(out, "    - red line: {}", neg.red_lines[r].describe(neg));
    }
    for &p in &sp.reservations {
        let _ = writeln!(
            out,
            "    - {}'s reservation value ({:.2})",
            neg.parties[p].name, neg.parties[p].reservation
        );
    }
    let _ = writeln!(out, "    then possible: {}", outcome(neg, &sp.witness));
}

/// What a proposal gives each party.
pub(super) fn evaluation(neg: &Negotiation, proposal: &[u32], e: &Evaluation, out: &mut String) {
    let _ = writeln!(out, "Proposal: {}", outcome(neg, proposal));
    for v in &e.parties {
        let name = &neg.parties[v.party].name;
        let verdict = if v.beats_reservation {
            "at or above"
        } else {
            "BELOW"
        };
        let _ = writeln!(
            out,
            "  {name:<8} utility {:.3}, {verdict} its reservation value {:.3}",
            v.utility, v.reservation
        );
        for &r in &v.broken {
            let _ = writeln!(out, "           breaks: {}", neg.red_lines[r].describe(neg));
        }
    }
    out.push_str(if e.acceptable {
        "Every party could accept it.\n"
    } else {
        "Not acceptable to every party.\n"
    });
}

/// The feasible set's size, its first outcomes, and the sticking points when it is empty.
pub(super) fn feasible(
    neg: &Negotiation,
    t: &Tables,
    set: &FeasibleSet,
    sp: Option<&StickingPoints>,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "{} of {} outcomes break no red line and meet every reservation value.",
        set.count,
        neg.outcome_count()
    );
    if !set.examples.is_empty() {
        let _ = writeln!(
            out,
            "First in enumeration order{}:",
            showing(set.examples.len(), set.count)
        );
    }
    let names = names_of(neg, &t.parties);
    for o in &set.examples {
        let _ = writeln!(
            out,
            "  {}\n      {}",
            outcome(neg, o),
            utilities(&names, &t.utilities(o))
        );
    }
    if let Some(sp) = sp {
        sticking_points(neg, sp, out);
    }
}

/// A bloc's common position and what its adversary could accept near it.
pub(super) fn bloc(s: &Scenario, b: &BlocAnalysis, out: &mut String) {
    let neg = &s.negotiation;
    let members = names_of(neg, &b.members);
    let _ = writeln!(
        out,
        "Common position of {} ({}):",
        neg.blocs[b.bloc].name,
        members.join(", ")
    );
    let Some(p) = &b.position else {
        out.push_str("  The members cannot agree among themselves.\n");
        if let Some(sp) = &b.bloc_sticking_points {
            sticking_points(neg, sp, out);
        }
        return;
    };
    let _ = writeln!(
        out,
        "  {} (by the {} rule)",
        outcome(neg, &p.outcome),
        b.rule
    );
    let _ = writeln!(
        out,
        "  members' utilities: {}",
        utilities(&members, &p.utilities)
    );
    gaps(
        neg,
        &s.units,
        &b.members,
        "  Where the members stand furthest apart:",
        out,
    );
    let Some(adv) = b.adversary else { return };
    let adv_name = &neg.parties[adv].name;
    let all = names_of(neg, &b.parties());
    if !b.zopa.is_empty() {
        const SHOWN: usize = 5;
        let _ = writeln!(
            out,
            "Zone of possible agreement with {adv_name} near that position: {} of {} neighbouring outcomes, best first{}:",
            b.zopa.len(),
            b.neighbourhood,
            showing(b.zopa.len().min(SHOWN), b.zopa.len() as u128)
        );
        for z in b.zopa.iter().take(SHOWN) {
            let changed = if z.changed.is_empty() {
                "none".to_owned()
            } else {
                issue_list(neg, &z.changed)
            };
            let _ = writeln!(
                out,
                "  {}\n      changes: {changed}; utilities: {}",
                outcome(neg, &z.outcome),
                utilities(&all, &z.utilities)
            );
        }
        return;
    }
    let _ = writeln!(
        out,
        "Zone of possible agreement with {adv_name} near that position ({} outcomes checked): empty.",
        b.neighbourhood
    );
    if let Some(e) = &b.evaluation {
        for v in &e.parties {
            for &r in &v.broken {
                let _ = writeln!(
                    out,
                    "  the position breaks: {}",
                    neg.red_lines[r].describe(neg)
                );
            }
            if !v.beats_reservation {
                let _ = writeln!(
                    out,
                    "  the position leaves {} below its reservation value ({:.2} < {:.2})",
                    neg.parties[v.party].name, v.utility, v.reservation
                );
            }
        }
    }
    if let Some(z) = &b.nearest {
        let _ = writeln!(
            out,
            "  Nearest outcome everyone could accept (changes {}):\n    {}\n      utilities: {}",
            issue_list(neg, &z.changed),
            outcome(neg, &z.outcome),
            utilities(&all, &z.utilities)
        );
    }
    if let Some(sp) = &b.sticking_points {
        sticking_points(neg, sp, out);
    }
}

/// The compromise and exchange models' predictions per issue (in the scenario's terms when
/// there is one).
pub(super) fn forecast(
    input: &ForecastInput,
    compromise: &[Option<f64>],
    ex: &ExchangeForecast,
    scenario: Option<&Scenario>,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "Forecasts ({} actors; exchange model: {} rounds, {} exchanges):",
        input.actors.len(),
        ex.rounds.len(),
        ex.rounds.iter().map(|r| r.exchanges.len()).sum::<usize>()
    );
    let fin = ex.final_outcome();
    for (k, issue) in input.issues.iter().enumerate() {
        let (Some(c), Some(e)) = (compromise[k], fin[k]) else {
            continue;
        };
        let describe = |v: f64| match scenario {
            Some(s) => {
                let (o, units) = s.nearest_option(k, v);
                let label = &s.negotiation.issues[k].labels[o];
                match units {
                    Some(u) => format!("{v:.1}/100 (≈ {u:.1})"),
                    None => format!("{v:.1}/100 (nearest: {label})"),
                }
            }
            None => format!("{v:.2}"),
        };
        let _ = writeln!(
            out,
            "  {:<28} compromise {}  →  exchange model {}",
            issue.name,
            describe(c),
            describe(e)
        );
    }
    if ex.rounds.iter().any(|r| r.knife_edges > 0) {
        out.push_str(
            "  (binary floats met knife edges, where decide's decimal rounding decides: \
             use --arithmetic decimal for decide's results; see docs/negotiation.md)\n",
        );
    }
}

/// Every exchange carried out, round by round.
pub(super) fn exchanges(input: &ForecastInput, ex: &ExchangeForecast, out: &mut String) {
    for (r, round) in ex.rounds.iter().enumerate() {
        for e in &round.exchanges {
            let [a, b] = &e.moves;
            let _ = writeln!(
                out,
                "  round {:>2}: {} gives way on {} ({:.1} → {:.1}) for {} on {} ({:.1} → {:.1}); gain {:.3}",
                r + 1,
                input.actors[a.actor],
                input.issues[a.supply_issue].name,
                a.from,
                a.to,
                input.actors[b.actor],
                input.issues[b.supply_issue].name,
                b.from,
                b.to,
                e.gain
            );
        }
    }
}
