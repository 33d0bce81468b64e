//! `analyze` of any input, once: everything the analysis finds for a scenario, GENIUS files or
//! exchange-model input, gathered here so that the CLI's text and the result document the CLI
//! and the HTTP API both serialise come from the same computation.

use serde::Serialize;
use thiserror::Error;

use crate::analysis::{Analysis, AnalyzeOptions};
use crate::bloc::{BlocAnalysis, common_position};
use crate::document::{
    AnalysisDocument, BlocDocument, ExchangeAnalysisDocument, ForecastDocument,
    StickingPointsDocument,
};
use crate::error::ModelError;
use crate::feasible::{StickingPoints, sticking_points};
use crate::forecast::{
    Arithmetic, ExchangeForecast, ExchangeOptions, ForecastInput, TieRule, compromise,
    exchange_model,
};
use crate::genius::Semantics;
use crate::model::Negotiation;
use crate::scenario::Scenario;

/// A negotiation read from one of the supported formats, with the name of the file it came
/// from (the domain's, for GENIUS input).
pub enum Input {
    /// A scenario's `[negotiation]` table.
    Scenario(Box<Scenario>, String),
    /// A GENIUS domain and its profiles.
    Genius(Negotiation, Semantics, String),
    /// decide's exchange-model CSV.
    Exchange(ForecastInput, String),
}

/// How the exchange model runs, and which bloc is analysed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings<'a> {
    /// Rounds of the exchange model (default: the scenario's, or 10).
    pub rounds: Option<usize>,
    /// How ties between exchanges of equal gain are broken.
    pub ties: Option<TieRule>,
    /// The exchange model's numbers.
    pub arithmetic: Arithmetic,
    /// The bloc to analyse (default: the scenario's).
    pub bloc: Option<&'a str>,
    /// How many issues may differ from the bloc's position in the ZOPA search.
    pub radius: Option<usize>,
}

/// Why an analysis could not be made.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum ReportError {
    /// The bloc asked for is not in the scenario.
    #[error("no bloc {0} in the scenario")]
    UnknownBloc(String),
    /// The exchange model cannot run on this input.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The compromise model's prediction and the exchange model's run.
pub type Forecasts = (Vec<Option<f64>>, ExchangeForecast);

/// What `analyze` found.
// One report is made per command or request and moved once: its size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Report {
    /// Exchange-model input: the forecasts only.
    Exchange {
        /// What was read.
        input: Box<ForecastInput>,
        /// The forecasts.
        forecasts: Box<Forecasts>,
        /// The file it came from.
        name: String,
    },
    /// GENIUS input: frontier and bargaining solutions.
    Genius {
        /// What was read.
        negotiation: Box<Negotiation>,
        /// How its evaluations were read.
        semantics: Semantics,
        /// The analysis.
        analysis: Box<Analysis>,
        /// The domain file.
        name: String,
    },
    /// A scenario: the analysis, the bloc's position, the sticking points when nothing is
    /// feasible, and the forecasts when parties have stances.
    Scenario {
        /// What was read.
        scenario: Box<Scenario>,
        /// The analysis.
        analysis: Box<Analysis>,
        /// The bloc's common position.
        bloc: Option<BlocAnalysis>,
        /// Present when the frontier is empty.
        sticking_points: Option<Option<StickingPoints>>,
        /// The forecast input and forecasts, when some party has a stance.
        forecast: Option<Box<(ForecastInput, Forecasts)>>,
        /// The file it came from.
        name: String,
    },
}

/// The JSON document of `negotiate analyze --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReportDocument {
    /// A scenario or GENIUS files.
    Analysis(Box<AnalysisDocument>),
    /// Exchange-model input.
    Exchange(Box<ExchangeAnalysisDocument>),
}

/// Runs the exchange model and the compromise model on `input`.
pub fn forecasts(
    input: &ForecastInput,
    settings: &Settings<'_>,
    default_rounds: usize,
) -> Result<Forecasts, ModelError> {
    let options = ExchangeOptions {
        rounds: settings.rounds.unwrap_or(default_rounds),
        ties: settings.ties.unwrap_or(TieRule::First),
        arithmetic: settings.arithmetic,
    };
    let exchange = exchange_model(input, options)?;
    Ok((compromise(input), exchange))
}

/// The bloc named (default: the scenario's) analysed within `radius` (default: the
/// scenario's); `None` when the scenario names no bloc or the bloc has no members.
pub fn bloc_of(
    scenario: &Scenario,
    name: Option<&str>,
    radius: Option<usize>,
) -> Result<Option<BlocAnalysis>, ReportError> {
    let negotiation = &scenario.negotiation;
    let index = match name {
        Some(name) => Some(
            negotiation
                .blocs
                .iter()
                .position(|b| b.name == name)
                .ok_or_else(|| ReportError::UnknownBloc(name.to_owned()))?,
        ),
        None => scenario.default_bloc,
    };
    Ok(index.and_then(|b| common_position(negotiation, b, radius.unwrap_or(scenario.radius))))
}

/// Analyses `input` entirely; `analyse` computes the analysis of every party (the CLI shows a
/// progress bar while it does).
pub fn report(
    input: Input,
    settings: &Settings<'_>,
    mut analyse: impl FnMut(&Negotiation, AnalyzeOptions) -> Analysis,
) -> Result<Report, ReportError> {
    Ok(match input {
        Input::Exchange(input, name) => {
            let forecasts = Box::new(forecasts(&input, settings, 10)?);
            Report::Exchange {
                input: Box::new(input),
                forecasts,
                name,
            }
        }
        Input::Genius(negotiation, semantics, name) => {
            let analysis = Box::new(analyse(
                &negotiation,
                AnalyzeOptions::for_semantics(semantics),
            ));
            Report::Genius {
                negotiation: Box::new(negotiation),
                semantics,
                analysis,
                name,
            }
        }
        Input::Scenario(scenario, name) => {
            let analysis = Box::new(analyse(&scenario.negotiation, AnalyzeOptions::SCENARIO));
            let bloc = bloc_of(&scenario, settings.bloc, settings.radius)?;
            let sticking_points = analysis
                .frontier
                .is_empty()
                .then(|| sticking_points(&scenario.negotiation, &analysis.parties));
            let input = scenario.forecast_input();
            let forecast = if input.stances.is_empty() {
                None
            } else {
                let made = forecasts(&input, settings, scenario.rounds)?;
                Some(Box::new((input, made)))
            };
            Report::Scenario {
                scenario,
                analysis,
                bloc,
                sticking_points,
                forecast,
                name,
            }
        }
    })
}

impl Report {
    /// The result document.
    pub fn document(&self) -> ReportDocument {
        match self {
            Report::Exchange {
                input,
                forecasts,
                name,
            } => ReportDocument::Exchange(Box::new(ExchangeAnalysisDocument::new(
                ForecastDocument::new(input, &forecasts.0, &forecasts.1),
                name,
            ))),
            Report::Genius {
                negotiation,
                semantics,
                analysis,
                name,
            } => ReportDocument::Analysis(Box::new(
                AnalysisDocument::new(negotiation, analysis, name).with_semantics(*semantics),
            )),
            Report::Scenario {
                scenario,
                analysis,
                bloc,
                sticking_points,
                forecast,
                name,
            } => {
                let negotiation = &scenario.negotiation;
                let mut document = AnalysisDocument::new(negotiation, analysis, name);
                document.bloc = bloc.as_ref().map(|b| BlocDocument::new(negotiation, b));
                document.sticking_points = sticking_points
                    .as_ref()
                    .map(|sp| StickingPointsDocument::of(negotiation, sp.as_ref()));
                document.forecast = forecast.as_ref().map(|forecast| {
                    let (input, (compromise, exchange)) = forecast.as_ref();
                    ForecastDocument::new(input, compromise, exchange)
                });
                ReportDocument::Analysis(Box::new(document))
            }
        }
    }
}
