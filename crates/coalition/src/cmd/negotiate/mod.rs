//! `coalition negotiate …`: read a negotiation (our scenario TOML, GENIUS XML, decide CSV),
//! call `coalition-negotiate`, print text ([`text`]) or one of the crate's result documents
//! (`coalition_negotiate::document`).

mod load;
mod text;

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use coalition_negotiate::analysis::{Analysis, AnalyzeOptions, analyze};
use coalition_negotiate::document::{
    AnalysisDocument, BlocDocument, EvaluationDocument, FeasibleDocument, ForecastDocument,
};
use coalition_negotiate::evaluate::{evaluate, parse_proposal};
use coalition_negotiate::feasible::{feasible_set, sticking_points};
use coalition_negotiate::forecast::{Arithmetic, TieRule};
use coalition_negotiate::frontier::Progress;
use coalition_negotiate::genius::Semantics;
use coalition_negotiate::model::Negotiation;
use coalition_negotiate::report::{Report, ReportError, Settings, bloc_of, forecasts, report};
use coalition_negotiate::scenario::Scenario;
use coalition_negotiate::space::{Constraints, Tables};
use load::{Loaded, load, negotiation_of, read_scenario};

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

/// Prints the JSON document, or the text.
fn emit<T: serde::Serialize>(json: bool, document: &T, text: &str) -> anyhow::Result<()> {
    if json {
        print_json(document)
    } else {
        print!("{text}");
        Ok(())
    }
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

/// The analysis of every party, with a progress bar on large spaces.
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

/// The exchange model's settings and the bloc asked for.
fn settings<'a>(f: &ForecastOptions, bloc: Option<&'a str>, radius: Option<usize>) -> Settings<'a> {
    Settings {
        rounds: f.rounds,
        ties: Some(match f.ties {
            TiesArg::First => TieRule::First,
            TiesArg::Random => TieRule::Random { seed: f.seed },
        }),
        arithmetic: match f.arithmetic {
            ArithmeticArg::Decimal => Arithmetic::Decimal,
            ArithmeticArg::Float => Arithmetic::Float,
        },
        bloc,
        radius,
    }
}

/// A report's failure as bad input, naming the flag.
fn refused(err: ReportError) -> anyhow::Error {
    match err {
        ReportError::UnknownBloc(name) => {
            bad_input(format!("--bloc {name}: no such bloc in the scenario"))
        }
        ReportError::Model(err) => bad_input(err),
    }
}

// ------------------------------------------------------------------ commands

/// The heading of the gaps between all parties.
const GAPS: &str = "Where the parties stand furthest apart, issue by issue:";

fn run_analyze(args: &AnalyzeArgs, json: bool, everything: bool) -> anyhow::Result<()> {
    let loaded = load(&args.input)?;
    if !everything {
        return run_frontier(loaded, json);
    }
    let settings = settings(&args.forecast, args.bloc.as_deref(), args.radius);
    let report = report(loaded, &settings, analysis_for).map_err(refused)?;
    let mut out = String::new();
    match &report {
        Report::Exchange {
            input, forecasts, ..
        } => text::forecast(input, &forecasts.0, &forecasts.1, None, &mut out),
        Report::Genius {
            negotiation,
            semantics,
            analysis,
            name,
        } => {
            genius_heading(name, *semantics, &mut out);
            text::analysis(negotiation, analysis, &mut out);
            text::gaps(negotiation, &[], &analysis.parties, GAPS, &mut out);
        }
        Report::Scenario {
            scenario,
            analysis,
            bloc,
            forecast,
            name,
            ..
        } => {
            scenario_heading(scenario, name, &mut out);
            if let Some(b) = bloc {
                text::bloc(scenario, b, &mut out);
            }
            if let Some(forecast) = forecast {
                let (input, (fc, ex)) = forecast.as_ref();
                text::forecast(input, fc, ex, Some(scenario), &mut out);
            }
            let neg = &scenario.negotiation;
            out.push_str("All parties together:\n");
            text::analysis(neg, analysis, &mut out);
            text::gaps(neg, &scenario.units, &analysis.parties, GAPS, &mut out);
        }
    }
    emit(json, &report.document(), &out)
}

/// `negotiate frontier`: the frontier and bargaining solutions only.
fn run_frontier(loaded: Loaded, json: bool) -> anyhow::Result<()> {
    match loaded {
        Loaded::Exchange(_, name) => Err(bad_input(format!(
            "{name}: exchange-model input has no outcome space; use `negotiate forecast`"
        ))),
        Loaded::Genius(neg, semantics, name) => {
            let a = analysis_for(&neg, AnalyzeOptions::for_semantics(semantics));
            let doc = AnalysisDocument::new(&neg, &a, &name).with_semantics(semantics);
            let mut out = String::new();
            genius_heading(&name, semantics, &mut out);
            text::analysis(&neg, &a, &mut out);
            emit(json, &doc, &out)
        }
        Loaded::Scenario(s, name) => {
            let neg = &s.negotiation;
            let a = analysis_for(neg, AnalyzeOptions::SCENARIO);
            let doc = AnalysisDocument::new(neg, &a, &name);
            let mut out = String::new();
            scenario_heading(&s, &name, &mut out);
            out.push_str("All parties together:\n");
            text::analysis(neg, &a, &mut out);
            emit(json, &doc, &out)
        }
    }
}

fn genius_heading(name: &str, semantics: Semantics, out: &mut String) {
    out.push_str(&format!(
        "{name} ({} semantics)\n{}",
        semantics.name(),
        text::UTILITY_SCALE
    ));
}

fn scenario_heading(s: &Scenario, name: &str, out: &mut String) {
    out.push_str(&format!(
        "{}\n{}\n",
        s.title.clone().unwrap_or_else(|| name.to_owned()),
        if s.illustrative.iter().any(|i| *i) {
            "(positions, weights and red lines are illustrative estimates)"
        } else {
            ""
        }
    ));
    out.push_str(text::UTILITY_SCALE);
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
    let proposal = parse_proposal(&neg, &pairs).map_err(bad_input)?;
    let e = evaluate(&neg, &proposal);
    let mut out = text::UTILITY_SCALE.to_owned();
    text::evaluation(&neg, &proposal, &e, &mut out);
    emit(json, &EvaluationDocument::new(&neg, &proposal, &e), &out)
}

fn run_feasible(args: &FeasibleArgs, json: bool) -> anyhow::Result<()> {
    let (neg, _) = negotiation_of(load(&args.input)?, "search")?;
    let all: Vec<usize> = (0..neg.parties.len()).collect();
    let t = Tables::new(&neg, &all, Constraints::FEASIBLE);
    let set = feasible_set(&t, args.limit, &mut |_, _| {});
    let sp = if set.is_empty() {
        sticking_points(&neg, &all)
    } else {
        None
    };
    let mut out = text::UTILITY_SCALE.to_owned();
    text::feasible(&neg, &t, &set, sp.as_ref(), &mut out);
    emit(
        json,
        &FeasibleDocument::new(&neg, &t, &set, sp.as_ref()),
        &out,
    )
}

fn run_bloc(args: &BlocArgs, json: bool) -> anyhow::Result<()> {
    let (s, name) = read_scenario(&args.scenario)?;
    let Some(b) = bloc_of(&s, args.bloc.as_deref(), args.radius).map_err(refused)? else {
        return Err(bad_input(format!("{name}: the scenario defines no bloc")));
    };
    let mut out = text::UTILITY_SCALE.to_owned();
    text::bloc(&s, &b, &mut out);
    emit(json, &BlocDocument::new(&s.negotiation, &b), &out)
}

fn run_forecast(args: &ForecastArgs, json: bool) -> anyhow::Result<()> {
    let (input, scenario, rounds) = match load(&args.input)? {
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
    let (fc, ex) =
        forecasts(&input, &settings(&args.forecast, None, None), rounds).map_err(bad_input)?;
    let mut out = String::new();
    text::forecast(&input, &fc, &ex, scenario.as_deref(), &mut out);
    text::exchanges(&input, &ex, &mut out);
    emit(json, &ForecastDocument::new(&input, &fc, &ex), &out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
        let doc = serde_json::to_value(AnalysisDocument::new(&neg, &a, "donbas")).unwrap();
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
        let (fc, ex) = forecasts(&fi, &settings(&opts, None, None), 10).unwrap();
        let doc = serde_json::to_value(ForecastDocument::new(&fi, &fc, &ex)).unwrap();
        assert!(doc["compromise"]["duration"].is_number());
        assert_eq!(doc["exchange"]["rounds"].as_array().unwrap().len(), 3);
        assert_eq!(doc["exchange"]["final"], doc["exchange"]["rounds"][2]);
        let b = bloc_of(&s, None, None).unwrap().unwrap();
        let bj = serde_json::to_value(BlocDocument::new(&s.negotiation, &b)).unwrap();
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
