//! `coalition negotiate …`: read a negotiation (our scenario TOML, GENIUS XML, decide CSV),
//! call `coalition-negotiate`, print text or one JSON document.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use coalition_negotiate::analysis::{Analysis, AnalyzeOptions, analyze};
use coalition_negotiate::bargaining::Solution;
use coalition_negotiate::bloc::{BlocAnalysis, common_position};
use coalition_negotiate::evaluate::{evaluate, parse_proposal};
use coalition_negotiate::feasible::{StickingPoints, feasible_set, sticking_points};
use coalition_negotiate::forecast::{
    Arithmetic, ExchangeForecast, ExchangeOptions, ForecastInput, TieRule, compromise,
    exchange_model,
};
use coalition_negotiate::genius::{self, Semantics};
use coalition_negotiate::model::Negotiation;
use coalition_negotiate::scenario::{self, Scenario};
use coalition_negotiate::space::{Constraints, Tables};
use coalition_negotiate::{decide_csv, frontier::Progress};
use serde_json::{Map, Value, json};

use crate::failure::bad_input;
use crate::output::print_json;

/// Negotiation analyses: outcome space, frontier, bargaining solutions, bloc position, ZOPA,
/// sticking points, forecasts.
#[derive(Debug, Subcommand)]
pub(crate) enum NegotiateCommand {
    /// Everything at once: frontier and bargaining solutions; for a scenario also the bloc's
    /// common position, the ZOPA with the adversary or the sticking points, and the forecasts;
    /// for exchange-model input the forecasts.
    #[command(
        after_help = "Examples:\n  coalition negotiate analyze scenarios/paris-2026.toml\n  coalition negotiate analyze --genius laptop_domain.xml buyer.xml seller.xml --semantics raw --json\n  coalition negotiate analyze --exchange-csv sample_data.txt --rounds 10 --ties random --seed 7"
    )]
    Analyze(AnalyzeArgs),
    /// What a proposal gives each party, which red lines it breaks, who would accept it.
    #[command(
        after_help = "Example:\n  coalition negotiate evaluate scenarios/paris-2026.toml --set duration=15 \\\n    --set \"donbas=demilitarised zone with mutual withdrawal\" --set alliance=non-aligned --set force=no --set sanctions=partial"
    )]
    Evaluate(EvaluateArgs),
    /// The zone of possible agreement (red lines and reservation values of every party), or the
    /// sticking points when it is empty.
    #[command(alias = "zopa")]
    #[command(
        after_help = "Example:\n  coalition negotiate feasible scenarios/paris-2026.toml --json"
    )]
    Feasible(FeasibleArgs),
    /// The Pareto frontier and the bargaining solutions only.
    #[command(
        after_help = "Example:\n  coalition negotiate frontier --genius laptop_domain.xml buyer.xml seller.xml"
    )]
    Frontier(AnalyzeArgs),
    /// A bloc's common position and the ZOPA with its adversary near it.
    #[command(
        after_help = "Example:\n  coalition negotiate bloc scenarios/paris-2026.toml --bloc coalition"
    )]
    Bloc(BlocArgs),
    /// The compromise and exchange models.
    #[command(
        after_help = "Example:\n  coalition negotiate forecast --exchange-csv cop21.csv --rounds 10 --json"
    )]
    Forecast(ForecastArgs),
}

/// Where the negotiation comes from.
#[derive(Debug, Args)]
pub(crate) struct Input {
    /// A scenario TOML file with a [negotiation] table.
    #[arg(value_name = "SCENARIO.toml")]
    scenario: Option<PathBuf>,
    /// A GENIUS domain XML file followed by one profile XML file per party.
    #[arg(long, num_args = 2.., value_names = ["DOMAIN.xml", "PROFILE.xml"])]
    genius: Vec<PathBuf>,
    /// An exchange-model input file in decide's CSV format.
    #[arg(long, value_name = "FILE")]
    exchange_csv: Option<PathBuf>,
    /// How to read GENIUS evaluations: GENIUS's rules or the numbers as written (NegMAS).
    #[arg(long, value_enum, default_value_t = SemanticsArg::Genius)]
    semantics: SemanticsArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SemanticsArg {
    Genius,
    Raw,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TiesArg {
    First,
    Random,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ArithmeticArg {
    /// decide's decimals (28 digits, half even): decide's results exactly.
    Decimal,
    /// Binary floating point: faster, equal to decide until a knife edge.
    Float,
}

/// Options of the exchange model.
#[derive(Debug, Args)]
pub(crate) struct ForecastOptions {
    /// Rounds of the exchange model.
    #[arg(long)]
    rounds: Option<usize>,
    /// How to choose between exchanges of equal gain: the first created, or decide's coin flip.
    #[arg(long, value_enum, default_value_t = TiesArg::First)]
    ties: TiesArg,
    /// Seed of the coin flip (with --ties random).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Numbers of the exchange model: decide's 28-digit decimals, or binary floats.
    #[arg(long, value_enum, default_value_t = ArithmeticArg::Decimal)]
    arithmetic: ArithmeticArg,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    input: Input,
    #[command(flatten)]
    forecast: ForecastOptions,
    /// The bloc to analyse (default: the scenario's).
    #[arg(long)]
    bloc: Option<String>,
    /// How many issues may differ from the bloc's position in the ZOPA search.
    #[arg(long)]
    radius: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct EvaluateArgs {
    #[command(flatten)]
    input: Input,
    /// The proposal: one `issue=option` per issue (repeat the flag).
    #[arg(long = "set", value_name = "ISSUE=OPTION", required = true)]
    set: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct FeasibleArgs {
    #[command(flatten)]
    input: Input,
    /// How many feasible outcomes to list.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

#[derive(Debug, Args)]
pub(crate) struct BlocArgs {
    /// A scenario TOML file with a [negotiation] table.
    #[arg(value_name = "SCENARIO.toml")]
    scenario: PathBuf,
    /// The bloc to analyse (default: the scenario's).
    #[arg(long)]
    bloc: Option<String>,
    /// How many issues may differ from the bloc's position in the ZOPA search.
    #[arg(long)]
    radius: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct ForecastArgs {
    #[command(flatten)]
    input: Input,
    #[command(flatten)]
    forecast: ForecastOptions,
}

/// What was read.
enum Loaded {
    Scenario(Box<Scenario>, String),
    Genius(Negotiation, Semantics, String),
    Exchange(ForecastInput, String),
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))
}

fn load(input: &Input) -> anyhow::Result<Loaded> {
    let given = usize::from(input.scenario.is_some())
        + usize::from(!input.genius.is_empty())
        + usize::from(input.exchange_csv.is_some());
    if given != 1 {
        return Err(bad_input(
            "give exactly one input: SCENARIO.toml, --genius DOMAIN.xml PROFILE.xml..., or --exchange-csv FILE",
        ));
    }
    if let Some(path) = &input.scenario {
        let name = path.display().to_string();
        let s = scenario::read(&read(path)?, &name).map_err(bad_input)?;
        return Ok(Loaded::Scenario(Box::new(s), name));
    }
    if let Some(path) = &input.exchange_csv {
        let name = path.display().to_string();
        let f = decide_csv::read(&read(path)?, &name).map_err(bad_input)?;
        return Ok(Loaded::Exchange(f, name));
    }
    if input.genius.len() < 3 {
        return Err(bad_input(
            "--genius needs a domain file and at least two profile files",
        ));
    }
    let semantics = match input.semantics {
        SemanticsArg::Genius => Semantics::Genius,
        SemanticsArg::Raw => Semantics::Raw,
    };
    let domain = read(&input.genius[0])?;
    let texts = input.genius[1..]
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let names: Vec<String> = input.genius[1..]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let profiles: Vec<(&str, &str)> = texts
        .iter()
        .zip(&names)
        .map(|(t, n)| (t.as_str(), n.as_str()))
        .collect();
    let neg = genius::read_negotiation(
        &domain,
        &input.genius[0].display().to_string(),
        &profiles,
        semantics,
    )
    .map_err(bad_input)?;
    Ok(Loaded::Genius(
        neg,
        semantics,
        input.genius[0].display().to_string(),
    ))
}

/// Runs a negotiation subcommand.
pub(crate) fn run(command: NegotiateCommand, json: bool) -> anyhow::Result<()> {
    match command {
        NegotiateCommand::Analyze(args) => run_analyze(&args, json, true),
        NegotiateCommand::Frontier(args) => run_analyze(&args, json, false),
        NegotiateCommand::Evaluate(args) => run_evaluate(&args, json),
        NegotiateCommand::Feasible(args) => run_feasible(&args, json),
        NegotiateCommand::Bloc(args) => run_bloc(&args, json),
        NegotiateCommand::Forecast(args) => run_forecast(&args, json),
    }
}

// ------------------------------------------------------------------ shared rendering

fn outcome_json(neg: &Negotiation, outcome: &[u32]) -> Value {
    let map: Map<String, Value> = neg
        .labels(outcome)
        .into_iter()
        .map(|(i, l)| (i.to_owned(), Value::String(l.to_owned())))
        .collect();
    Value::Object(map)
}

fn outcome_text(neg: &Negotiation, outcome: &[u32]) -> String {
    neg.labels(outcome)
        .into_iter()
        .map(|(i, l)| format!("{i} = {l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn solution_json(neg: &Negotiation, s: Option<&Solution>) -> Value {
    s.map_or(Value::Null, |s| {
        json!({"outcome": outcome_json(neg, &s.outcome), "utilities": s.utilities, "value": s.value})
    })
}

fn utilities_text(names: &[String], u: &[f64]) -> String {
    names
        .iter()
        .zip(u)
        .map(|(n, u)| format!("{n} {u:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn progress_bar(total_outcomes: u128) -> Option<indicatif::ProgressBar> {
    (total_outcomes >= 1_000_000).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message("merging issues");
        bar
    })
}

fn analysis_for(neg: &Negotiation, options: AnalyzeOptions) -> Analysis {
    let parties: Vec<usize> = (0..neg.parties.len()).collect();
    let bar = progress_bar(neg.outcome_count());
    let mut tick = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let progress: Progress<'_> = &mut tick;
    let a = analyze(neg, &parties, options, progress);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    a
}

fn analysis_json(neg: &Negotiation, a: &Analysis) -> Map<String, Value> {
    let frontier: Vec<Value> = (0..a.frontier.len())
        .map(|i| json!({"outcome": outcome_json(neg, a.frontier.outcome(i)), "utilities": a.frontier.utility(i)}))
        .collect();
    let s = &a.solutions;
    let mut m = Map::new();
    m.insert(
        "issues".into(),
        json!(neg.issues.iter().map(|i| &i.name).collect::<Vec<_>>()),
    );
    m.insert(
        "parties".into(),
        json!(neg.parties.iter().map(|p| &p.name).collect::<Vec<_>>()),
    );
    m.insert("outcomes".into(), json!(a.outcomes));
    m.insert("frontier".into(), Value::Array(frontier));
    m.insert(
        "solutions".into(),
        json!({
            "nash": solution_json(neg, s.nash.as_ref()),
            "kalai_smorodinsky": solution_json(neg, s.kalai_smorodinsky.as_ref()),
            "kalai_smorodinsky_genius": solution_json(neg, s.kalai_smorodinsky_genius.as_ref()),
            "utilitarian": solution_json(neg, s.utilitarian.as_ref()),
            "egalitarian": solution_json(neg, s.egalitarian.as_ref()),
        }),
    );
    m.insert("disagreement".into(), json!(s.disagreement));
    m.insert("tolerance".into(), json!(a.frontier.tolerance));
    m
}

fn analysis_text(neg: &Negotiation, a: &Analysis, out: &mut String) {
    let names: Vec<String> = neg.parties.iter().map(|p| p.name.clone()).collect();
    out.push_str(&format!(
        "Outcome space: {} outcomes; Pareto frontier of the acceptable ones: {} points.\n",
        a.outcomes,
        a.frontier.len()
    ));
    let s = &a.solutions;
    for (label, sol) in [
        ("Nash", &s.nash),
        ("Kalai–Smorodinsky", &s.kalai_smorodinsky),
        ("Kalai–Smorodinsky (GENIUS)", &s.kalai_smorodinsky_genius),
        ("Utilitarian", &s.utilitarian),
        ("Egalitarian", &s.egalitarian),
    ] {
        match sol {
            Some(sol) => out.push_str(&format!(
                "  {label}: {}\n      utilities: {}\n",
                outcome_text(neg, &sol.outcome),
                utilities_text(&names, &sol.utilities)
            )),
            None => out.push_str(&format!(
                "  {label}: none (no outcome gives every party a gain)\n"
            )),
        }
    }
}

fn sticking_json(neg: &Negotiation, sp: Option<&StickingPoints>) -> Value {
    sp.map_or(Value::Null, |sp| {
        json!({
            "red_lines": sp.red_lines.iter().map(|&r| json!({
                "party": neg.parties[neg.red_lines[r].party].name,
                "red_line": neg.red_lines[r].describe(neg),
                "issues": neg.red_lines[r].issues().iter().map(|&i| &neg.issues[i].name).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "reservations": sp.reservations.iter().map(|&p| &neg.parties[p].name).collect::<Vec<_>>(),
            "parties": sp.parties(neg).iter().map(|&p| &neg.parties[p].name).collect::<Vec<_>>(),
            "issues": sp.issues(neg).iter().map(|&i| &neg.issues[i].name).collect::<Vec<_>>(),
            "witness": outcome_json(neg, &sp.witness),
        })
    })
}

fn sticking_text(neg: &Negotiation, sp: &StickingPoints, out: &mut String) {
    out.push_str(&format!(
        "  Sticking points: {} constraint(s) must give for any agreement:\n",
        sp.size()
    ));
    for &r in &sp.red_lines {
        out.push_str(&format!(
            "    - red line: {}\n",
            neg.red_lines[r].describe(neg)
        ));
    }
    for &p in &sp.reservations {
        out.push_str(&format!(
            "    - {}'s reservation value ({:.2})\n",
            neg.parties[p].name, neg.parties[p].reservation
        ));
    }
    out.push_str(&format!(
        "    then possible: {}\n",
        outcome_text(neg, &sp.witness)
    ));
}

fn tie_rule(f: &ForecastOptions) -> TieRule {
    match f.ties {
        TiesArg::First => TieRule::First,
        TiesArg::Random => TieRule::Random { seed: f.seed },
    }
}

fn forecast_json(input: &ForecastInput, fc: &[Option<f64>], ex: &ExchangeForecast) -> Value {
    let map = |v: &[Option<f64>]| -> Value {
        Value::Object(
            input
                .issues
                .iter()
                .zip(v)
                .filter_map(|(i, v)| v.map(|v| (i.name.clone(), json!(v))))
                .collect(),
        )
    };
    json!({
        "compromise": map(fc),
        "exchange": {
            "rounds": ex.rounds.iter().map(|r| map(&r.outcome)).collect::<Vec<_>>(),
            "final": map(ex.final_outcome()),
            "exchanges": ex.rounds.iter().map(|r| r.exchanges.iter().map(|e| json!({
                "gain": e.gain,
                "moves": e.moves.iter().map(|m| json!({
                    "actor": input.actors[m.actor],
                    "supply_issue": input.issues[m.supply_issue].name,
                    "demand_issue": input.issues[m.demand_issue].name,
                    "from": m.from,
                    "to": m.to,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "knife_edges": ex.rounds.iter().map(|r| r.knife_edges).collect::<Vec<_>>(),
            "ties": ex.ties,
        }
    })
}

fn forecast_text(
    input: &ForecastInput,
    fc: &[Option<f64>],
    ex: &ExchangeForecast,
    scen: Option<&Scenario>,
    out: &mut String,
) {
    out.push_str(&format!(
        "Forecasts ({} actors; exchange model: {} rounds, {} exchanges):\n",
        input.actors.len(),
        ex.rounds.len(),
        ex.rounds.iter().map(|r| r.exchanges.len()).sum::<usize>()
    ));
    let fin = ex.final_outcome();
    for (k, issue) in input.issues.iter().enumerate() {
        let (Some(c), Some(e)) = (fc[k], fin[k]) else {
            continue;
        };
        let describe = |v: f64| match scen {
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
        out.push_str(&format!(
            "  {:<28} compromise {}  →  exchange model {}\n",
            issue.name,
            describe(c),
            describe(e)
        ));
    }
    if ex.rounds.iter().any(|r| r.knife_edges > 0) {
        out.push_str(
            "  (binary floats met knife edges, where decide's decimal rounding decides: \
             use --arithmetic decimal for decide's results; see docs/negotiation.md)\n",
        );
    }
}

// ------------------------------------------------------------------ commands

fn run_analyze(args: &AnalyzeArgs, json: bool, everything: bool) -> anyhow::Result<()> {
    match load(&args.input)? {
        Loaded::Exchange(input, name) => {
            if !everything {
                return Err(bad_input(format!(
                    "{name}: exchange-model input has no outcome space; use `negotiate forecast`"
                )));
            }
            let (fc, ex) = forecasts(&input, &args.forecast, 10)?;
            if json {
                print_json(&json!({
                    "input": name,
                    "outcomes": 0,
                    "frontier": [],
                    "solutions": {"nash": null, "kalai_smorodinsky": null, "utilitarian": null, "egalitarian": null},
                    "forecast": forecast_json(&input, &fc, &ex),
                }))
            } else {
                let mut out = String::new();
                forecast_text(&input, &fc, &ex, None, &mut out);
                print!("{out}");
                Ok(())
            }
        }
        Loaded::Genius(neg, semantics, name) => {
            let a = analysis_for(&neg, AnalyzeOptions::for_semantics(semantics));
            if json {
                let mut m = analysis_json(&neg, &a);
                m.insert("input".into(), json!(name));
                m.insert(
                    "semantics".into(),
                    json!(format!("{semantics:?}").to_lowercase()),
                );
                print_json(&Value::Object(m))
            } else {
                let mut out = format!(
                    "{name} ({} semantics)\n",
                    format!("{semantics:?}").to_lowercase()
                );
                analysis_text(&neg, &a, &mut out);
                print!("{out}");
                Ok(())
            }
        }
        Loaded::Scenario(s, name) => {
            let neg = &s.negotiation;
            let a = analysis_for(neg, AnalyzeOptions::SCENARIO);
            let mut m = analysis_json(neg, &a);
            m.insert("input".into(), json!(name));
            let mut out = format!(
                "{}\n{}\n",
                s.title.clone().unwrap_or_else(|| name.clone()),
                if s.illustrative.iter().any(|i| *i) {
                    "(positions, weights and red lines are illustrative estimates)"
                } else {
                    ""
                }
            );
            if everything {
                if let Some(b) = bloc_for(&s, args.bloc.as_deref(), args.radius)? {
                    m.insert("bloc".into(), bloc_json(&s, &b));
                    bloc_text(&s, &b, &mut out);
                }
                let all: Vec<usize> = (0..neg.parties.len()).collect();
                if a.frontier.is_empty() {
                    let sp = sticking_points(neg, &all);
                    m.insert("sticking_points".into(), sticking_json(neg, sp.as_ref()));
                }
                let input = s.forecast_input();
                if !input.stances.is_empty() {
                    let (fc, ex) = forecasts(&input, &args.forecast, s.rounds)?;
                    m.insert("forecast".into(), forecast_json(&input, &fc, &ex));
                    forecast_text(&input, &fc, &ex, Some(&s), &mut out);
                }
            }
            out.push_str("All parties together:\n");
            analysis_text(neg, &a, &mut out);
            if json {
                print_json(&Value::Object(m))
            } else {
                print!("{out}");
                Ok(())
            }
        }
    }
}

fn forecasts(
    input: &ForecastInput,
    f: &ForecastOptions,
    default_rounds: usize,
) -> anyhow::Result<(Vec<Option<f64>>, ExchangeForecast)> {
    let options = ExchangeOptions {
        rounds: f.rounds.unwrap_or(default_rounds),
        ties: tie_rule(f),
        arithmetic: match f.arithmetic {
            ArithmeticArg::Decimal => Arithmetic::Decimal,
            ArithmeticArg::Float => Arithmetic::Float,
        },
    };
    let ex = exchange_model(input, options).map_err(bad_input)?;
    Ok((compromise(input), ex))
}

fn negotiation_of(loaded: Loaded, what: &str) -> anyhow::Result<(Negotiation, AnalyzeOptions)> {
    match loaded {
        Loaded::Scenario(s, _) => Ok((s.negotiation, AnalyzeOptions::SCENARIO)),
        Loaded::Genius(n, sem, _) => Ok((n, AnalyzeOptions::for_semantics(sem))),
        Loaded::Exchange(_, name) => Err(bad_input(format!(
            "{name}: exchange-model input has no outcome space to {what}"
        ))),
    }
}

fn run_evaluate(args: &EvaluateArgs, json: bool) -> anyhow::Result<()> {
    let (neg, _) = negotiation_of(load(&args.input)?, "evaluate")?;
    let pairs = args
        .set
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| bad_input(format!("--set {kv:?}: expected ISSUE=OPTION")))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let outcome = parse_proposal(&neg, &pairs).map_err(bad_input)?;
    let e = evaluate(&neg, &outcome);
    if json {
        return print_json(&json!({
            "outcome": outcome_json(&neg, &outcome),
            "acceptable": e.acceptable,
            "parties": e.parties.iter().map(|v| json!({
                "party": neg.parties[v.party].name,
                "utility": v.utility,
                "reservation": v.reservation,
                "beats_reservation": v.beats_reservation,
                "broken_red_lines": v.broken.iter().map(|&r| neg.red_lines[r].describe(&neg)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    }
    println!("Proposal: {}", outcome_text(&neg, &outcome));
    for v in &e.parties {
        let name = &neg.parties[v.party].name;
        let verdict = if v.beats_reservation {
            "at or above"
        } else {
            "BELOW"
        };
        println!(
            "  {name:<8} utility {:.3}, {verdict} its reservation value {:.3}",
            v.utility, v.reservation
        );
        for &r in &v.broken {
            println!("           breaks: {}", neg.red_lines[r].describe(&neg));
        }
    }
    println!(
        "{}",
        if e.acceptable {
            "Every party could accept it."
        } else {
            "Not acceptable to every party."
        }
    );
    Ok(())
}

fn run_feasible(args: &FeasibleArgs, json: bool) -> anyhow::Result<()> {
    let (neg, options) = negotiation_of(load(&args.input)?, "search")?;
    let all: Vec<usize> = (0..neg.parties.len()).collect();
    let constraints = Constraints {
        red_lines: true,
        reservations: true,
    };
    let _ = options;
    let t = Tables::new(&neg, &all, constraints);
    let set = feasible_set(&t, args.limit, &mut |_, _| {});
    let sp = if set.is_empty() {
        sticking_points(&neg, &all)
    } else {
        None
    };
    if json {
        return print_json(&json!({
            "outcomes": neg.outcome_count(),
            "feasible": set.count,
            "examples": set.examples.iter().map(|o| json!({"outcome": outcome_json(&neg, o), "utilities": t.utilities(o)})).collect::<Vec<_>>(),
            "sticking_points": sticking_json(&neg, sp.as_ref()),
        }));
    }
    println!(
        "{} of {} outcomes break no red line and meet every reservation value.",
        set.count,
        neg.outcome_count()
    );
    let names: Vec<String> = neg.parties.iter().map(|p| p.name.clone()).collect();
    for o in &set.examples {
        println!(
            "  {}\n      {}",
            outcome_text(&neg, o),
            utilities_text(&names, &t.utilities(o))
        );
    }
    if let Some(sp) = sp {
        let mut out = String::new();
        sticking_text(&neg, &sp, &mut out);
        print!("{out}");
    }
    Ok(())
}

fn bloc_for(
    s: &Scenario,
    name: Option<&str>,
    radius: Option<usize>,
) -> anyhow::Result<Option<BlocAnalysis>> {
    let neg = &s.negotiation;
    let index = match name {
        Some(n) => Some(
            neg.blocs
                .iter()
                .position(|b| b.name == n)
                .ok_or_else(|| bad_input(format!("--bloc {n}: no such bloc in the scenario")))?,
        ),
        None => s.default_bloc,
    };
    Ok(index.and_then(|b| common_position(neg, b, radius.unwrap_or(s.radius))))
}

fn bloc_json(s: &Scenario, b: &BlocAnalysis) -> Value {
    let neg = &s.negotiation;
    let mut names: Vec<&str> = b
        .members
        .iter()
        .map(|&m| neg.parties[m].name.as_str())
        .collect();
    if let Some(a) = b.adversary {
        names.push(&neg.parties[a].name);
    }
    json!({
        "name": neg.blocs[b.bloc].name,
        "members": b.members.iter().map(|&m| &neg.parties[m].name).collect::<Vec<_>>(),
        "rule": b.rule,
        "position": solution_json(neg, b.position.as_ref()),
        "members_frontier_points": b.frontier_len,
        "bloc_sticking_points": sticking_json(neg, b.bloc_sticking_points.as_ref()),
        "adversary": b.adversary.map(|a| &neg.parties[a].name),
        "neighbourhood": b.neighbourhood,
        "zopa_parties": names,
        "zopa": b.zopa.iter().map(|z| json!({
            "outcome": outcome_json(neg, &z.outcome),
            "utilities": z.utilities,
            "nash_product": z.nash_product,
            "changed": z.changed.iter().map(|&i| &neg.issues[i].name).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "position_breaks": b.evaluation.as_ref().map(|e| e.parties.iter().flat_map(|v| v.broken.iter().map(|&r| neg.red_lines[r].describe(neg))).collect::<Vec<_>>()),
        "position_below_reservation": b.evaluation.as_ref().map(|e| e.parties.iter().filter(|v| !v.beats_reservation).map(|v| &neg.parties[v.party].name).collect::<Vec<_>>()),
        "nearest_agreement": b.nearest.as_ref().map(|z| json!({
            "outcome": outcome_json(neg, &z.outcome),
            "utilities": z.utilities,
            "nash_product": z.nash_product,
            "changed": z.changed.iter().map(|&i| &neg.issues[i].name).collect::<Vec<_>>(),
        })),
        "sticking_points": sticking_json(neg, b.sticking_points.as_ref()),
    })
}

fn bloc_text(s: &Scenario, b: &BlocAnalysis, out: &mut String) {
    let neg = &s.negotiation;
    let members: Vec<String> = b
        .members
        .iter()
        .map(|&m| neg.parties[m].name.clone())
        .collect();
    out.push_str(&format!(
        "Common position of {} ({}):\n",
        neg.blocs[b.bloc].name,
        members.join(", ")
    ));
    let Some(p) = &b.position else {
        out.push_str("  The members cannot agree among themselves.\n");
        if let Some(sp) = &b.bloc_sticking_points {
            sticking_text(neg, sp, out);
        }
        return;
    };
    out.push_str(&format!(
        "  {} (by the {} rule)\n",
        outcome_text(neg, &p.outcome),
        b.rule
    ));
    out.push_str(&format!(
        "  members' utilities: {}\n",
        utilities_text(&members, &p.utilities)
    ));
    let Some(adv) = b.adversary else { return };
    let adv_name = &neg.parties[adv].name;
    let mut all = members.clone();
    all.push(adv_name.clone());
    if b.zopa.is_empty() {
        out.push_str(&format!(
            "Zone of possible agreement with {adv_name} near that position ({} outcomes checked): empty.\n",
            b.neighbourhood
        ));
        if let Some(e) = &b.evaluation {
            for v in &e.parties {
                for &r in &v.broken {
                    out.push_str(&format!(
                        "  the position breaks: {}\n",
                        neg.red_lines[r].describe(neg)
                    ));
                }
                if !v.beats_reservation {
                    out.push_str(&format!(
                        "  the position leaves {} below its reservation value ({:.2} < {:.2})\n",
                        neg.parties[v.party].name, v.utility, v.reservation
                    ));
                }
            }
        }
        if let Some(z) = &b.nearest {
            let changed: Vec<&str> = z
                .changed
                .iter()
                .map(|&i| neg.issues[i].name.as_str())
                .collect();
            out.push_str(&format!(
                "  Nearest outcome everyone could accept (changes {}):\n    {}\n      utilities: {}\n",
                changed.join(", "),
                outcome_text(neg, &z.outcome),
                utilities_text(&all, &z.utilities)
            ));
        }
        if let Some(sp) = &b.sticking_points {
            sticking_text(neg, sp, out);
        }
    } else {
        out.push_str(&format!(
            "Zone of possible agreement with {adv_name} near that position: {} of {} neighbouring outcomes, best first:\n",
            b.zopa.len(),
            b.neighbourhood
        ));
        for z in b.zopa.iter().take(5) {
            let changed: Vec<&str> = z
                .changed
                .iter()
                .map(|&i| neg.issues[i].name.as_str())
                .collect();
            out.push_str(&format!(
                "  {}\n      changes: {}; utilities: {}\n",
                outcome_text(neg, &z.outcome),
                if changed.is_empty() {
                    "none".to_owned()
                } else {
                    changed.join(", ")
                },
                utilities_text(&all, &z.utilities)
            ));
        }
    }
}

fn run_bloc(args: &BlocArgs, json: bool) -> anyhow::Result<()> {
    let name = args.scenario.display().to_string();
    let s = scenario::read(&read(&args.scenario)?, &name).map_err(bad_input)?;
    let Some(b) = bloc_for(&s, args.bloc.as_deref(), args.radius)? else {
        return Err(bad_input(format!("{name}: the scenario defines no bloc")));
    };
    if json {
        return print_json(&bloc_json(&s, &b));
    }
    let mut out = String::new();
    bloc_text(&s, &b, &mut out);
    print!("{out}");
    Ok(())
}

fn run_forecast(args: &ForecastArgs, json: bool) -> anyhow::Result<()> {
    let (input, scen, rounds) = match load(&args.input)? {
        Loaded::Exchange(i, _) => (i, None, 10),
        Loaded::Scenario(s, _) => (s.forecast_input(), Some(s.clone()), s.rounds),
        Loaded::Genius(_, _, name) => {
            return Err(bad_input(format!(
                "{name}: GENIUS files carry no positions or saliences to forecast from"
            )));
        }
    };
    if input.stances.is_empty() {
        return Err(bad_input(
            "no party has a stance (position and salience) to forecast from",
        ));
    }
    let (fc, ex) = forecasts(&input, &args.forecast, rounds)?;
    if json {
        return print_json(&forecast_json(&input, &fc, &ex));
    }
    let mut out = String::new();
    forecast_text(&input, &fc, &ex, scen.as_deref(), &mut out);
    for (r, round) in ex.rounds.iter().enumerate() {
        for e in &round.exchanges {
            let [a, b] = &e.moves;
            out.push_str(&format!(
                "  round {:>2}: {} gives way on {} ({:.1} → {:.1}) for {} on {} ({:.1} → {:.1}); gain {:.3}\n",
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
            ));
        }
    }
    print!("{out}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(path: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path)
    }

    fn input() -> Input {
        Input {
            scenario: None,
            genius: Vec::new(),
            exchange_csv: None,
            semantics: SemanticsArg::Genius,
        }
    }

    #[test]
    fn the_analyze_document_has_the_contract_fields() {
        let dir = repo("testdata/negotiate/genius/donbas-2p");
        let mut i = input();
        i.genius = vec![
            dir.join("domain.xml"),
            dir.join("profile-1-ukr.xml"),
            dir.join("profile-2-rus.xml"),
        ];
        let Loaded::Genius(neg, semantics, _) = load(&i).unwrap() else {
            panic!("expected a GENIUS negotiation");
        };
        let a = analysis_for(&neg, AnalyzeOptions::for_semantics(semantics));
        let doc = analysis_json(&neg, &a);
        assert_eq!(doc["outcomes"], json!(3 * 11 * 4));
        let frontier = doc["frontier"].as_array().unwrap();
        assert_eq!(frontier.len(), a.frontier.len());
        assert!(!frontier.is_empty());
        let first = &frontier[0];
        assert_eq!(first["outcome"].as_object().unwrap().len(), 3);
        assert!(first["outcome"]["Arrangement"].is_string());
        assert_eq!(first["utilities"].as_array().unwrap().len(), 2);
        for key in ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"] {
            assert!(
                doc["solutions"][key]["outcome"].is_object(),
                "solutions.{key}"
            );
        }
    }

    #[test]
    fn the_scenario_forecast_has_compromise_rounds_and_final() {
        let mut i = input();
        i.scenario = Some(repo("scenarios/paris-2026.toml"));
        let Loaded::Scenario(s, _) = load(&i).unwrap() else {
            panic!("expected a scenario");
        };
        let fi = s.forecast_input();
        let opts = ForecastOptions {
            rounds: Some(3),
            ties: TiesArg::First,
            arithmetic: ArithmeticArg::Decimal,
            seed: 0,
        };
        let (fc, ex) = forecasts(&fi, &opts, 10).unwrap();
        let doc = forecast_json(&fi, &fc, &ex);
        assert!(doc["compromise"]["duration"].is_number());
        assert_eq!(doc["exchange"]["rounds"].as_array().unwrap().len(), 3);
        assert_eq!(doc["exchange"]["final"], doc["exchange"]["rounds"][2]);
        let b = bloc_for(&s, None, None).unwrap().unwrap();
        let bj = bloc_json(&s, &b);
        assert_eq!(bj["adversary"], json!("RUS"));
        assert!(bj["position"]["outcome"].is_object());
    }

    #[test]
    fn unreadable_files_and_ambiguous_inputs_are_bad_input() {
        let mut i = input();
        i.scenario = Some(PathBuf::from("/nonexistent/negotiation.toml"));
        let err = load(&i).err().unwrap();
        assert_eq!(crate::failure::exit_code(&err), 2);
        assert!(
            err.to_string().contains("/nonexistent/negotiation.toml"),
            "{err}"
        );
        i.exchange_csv = Some(PathBuf::from("x.csv"));
        let err = load(&i).err().unwrap();
        assert_eq!(crate::failure::exit_code(&err), 2);
        assert!(err.to_string().contains("exactly one input"), "{err}");
    }

    #[test]
    fn a_malformed_exchange_file_names_its_line() {
        let dir =
            std::env::temp_dir().join(format!("coalition-negotiate-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.csv");
        std::fs::write(&file, "#A;X;X;\n#P;p;p;\n#D;X;p;fifty;0.5;1\n").unwrap();
        let mut i = input();
        i.exchange_csv = Some(file.clone());
        let err = load(&i).err().unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(crate::failure::exit_code(&err), 2);
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
