//! Negotiation analyses: POST a scenario's `[negotiation]` table, a GENIUS domain and its
//! profiles, or decide's exchange-model CSV, and get the document `coalition negotiate analyze
//! --json` prints for the same files. It reads nothing of the record, so anyone may ask.

use axum::http::StatusCode;
use axum::response::Response;
use coalition_negotiate::analysis::analyze;
use coalition_negotiate::forecast::{Arithmetic, TieRule};
use coalition_negotiate::genius::{self, Semantics};
use coalition_negotiate::report::{Input, ReportError, Settings, report};
use coalition_negotiate::{ReadError, decide_csv, scenario};
use serde::Deserialize;
use utoipa::ToSchema;

use super::json;
use crate::error::ApiError;
use crate::extract::Body;

/// A file's text and the name messages and the document call it by.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NamedText {
    /// The file's name (default: the field's).
    #[serde(default)]
    name: Option<String>,
    /// The file's text.
    text: String,
}

/// A GENIUS domain and one profile per party.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GeniusFiles {
    /// The domain XML.
    domain: NamedText,
    /// One profile XML per party (at least two).
    profiles: Vec<NamedText>,
    /// How to read evaluations: GENIUS's rules (default) or the numbers as written (`raw`).
    #[serde(default)]
    semantics: Option<SemanticsName>,
}

/// How GENIUS evaluations are read.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SemanticsName {
    /// GENIUS's rules.
    Genius,
    /// The numbers as written (NegMAS).
    Raw,
}

/// How ties between exchanges of equal gain are broken.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Ties {
    /// The exchange first in the list.
    First,
    /// decide's coin flip, seeded by `seed`.
    Random,
}

/// The exchange model's numbers.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ArithmeticName {
    /// decide's 28-digit decimals (default).
    Decimal,
    /// Binary floats.
    Float,
}

/// What to analyse (exactly one of `scenario`, `genius`, `exchange_csv`) and how — the
/// options of `negotiate analyze`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnalyzeRequest {
    /// A scenario TOML with a `[negotiation]` table.
    #[serde(default)]
    scenario: Option<NamedText>,
    /// GENIUS domain and profiles.
    #[serde(default)]
    genius: Option<GeniusFiles>,
    /// decide's exchange-model CSV.
    #[serde(default)]
    exchange_csv: Option<NamedText>,
    /// Rounds of the exchange model (default: the scenario's, or 10).
    #[serde(default)]
    rounds: Option<usize>,
    /// Tie rule (default `first`).
    #[serde(default)]
    ties: Option<Ties>,
    /// Seed of the coin flip (with `ties: random`).
    #[serde(default)]
    seed: Option<u64>,
    /// Numbers of the exchange model (default `decimal`).
    #[serde(default)]
    arithmetic: Option<ArithmeticName>,
    /// The bloc to analyse (default: the scenario's).
    #[serde(default)]
    bloc: Option<String>,
    /// How many issues may differ from the bloc's position in the ZOPA search.
    #[serde(default)]
    radius: Option<usize>,
}

/// The most rounds the exchange model runs for one request.
const MAX_ROUNDS: usize = 1000;

/// Frontier, bargaining solutions, a scenario's bloc position, ZOPA or sticking points and
/// forecasts (as `coalition negotiate analyze --json`).
#[utoipa::path(post, path = "/api/negotiate/analyze", tag = "negotiation",
    request_body = AnalyzeRequest,
    responses((status = 200, description = "The analysis document (`AnalysisDocument`, or for exchange-model input `ExchangeAnalysisDocument`), exactly as `negotiate analyze --json` prints it", body = Object),
        (status = 400, description = "Not exactly one input, a file that cannot be read (`field` names it; the message its line), or an unknown bloc", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "Not JSON", body = ApiError),
        (status = 422, description = "The exchange model cannot run on this input", body = ApiError)))]
pub(crate) async fn analyze_negotiation(
    Body(request): Body<AnalyzeRequest>,
) -> Result<Response, ApiError> {
    let (input, field) = read(&request)?;
    if request.rounds.is_some_and(|r| r > MAX_ROUNDS) {
        return Err(ApiError::bad_request(format!("at most {MAX_ROUNDS} rounds")).at("/rounds"));
    }
    let ties = request.ties.map(|ties| match ties {
        Ties::First => TieRule::First,
        Ties::Random => TieRule::Random {
            seed: request.seed.unwrap_or(0),
        },
    });
    let arithmetic = match request.arithmetic {
        Some(ArithmeticName::Float) => Arithmetic::Float,
        Some(ArithmeticName::Decimal) | None => Arithmetic::Decimal,
    };
    // The frontier search is pure computation: off the threads that answer requests.
    let document = tokio::task::spawn_blocking(move || {
        let settings = Settings {
            rounds: request.rounds,
            ties,
            arithmetic,
            bloc: request.bloc.as_deref(),
            radius: request.radius,
        };
        report(input, &settings, |negotiation, options| {
            let parties: Vec<usize> = (0..negotiation.parties.len()).collect();
            analyze(negotiation, &parties, options, &mut |_, _| {})
        })
        .map(|report| report.document())
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
    .map_err(|err| match err {
        ReportError::UnknownBloc(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "input.invalid", err.to_string()).at("/bloc")
        }
        ReportError::Model(model) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "negotiation.model",
            model.to_string(),
        )
        .at(field),
    })?;
    Ok(json(&document))
}

/// The one input given, read, and the pointer of the field it came from.
fn read(request: &AnalyzeRequest) -> Result<(Input, String), ApiError> {
    let given = usize::from(request.scenario.is_some())
        + usize::from(request.genius.is_some())
        + usize::from(request.exchange_csv.is_some());
    if given != 1 {
        return Err(ApiError::bad_request(
            "give exactly one input: scenario, genius or exchange_csv",
        )
        .at(""));
    }
    let unreadable = |field: String| {
        move |err: ReadError| {
            ApiError::new(StatusCode::BAD_REQUEST, "input.invalid", err.to_string()).at(field)
        }
    };
    if let Some(file) = &request.scenario {
        let name = file.name.as_deref().unwrap_or("scenario");
        let read = scenario::read(&file.text, name).map_err(unreadable("/scenario/text".into()))?;
        return Ok((
            Input::Scenario(Box::new(read), name.to_owned()),
            "/scenario".into(),
        ));
    }
    if let Some(file) = &request.exchange_csv {
        let name = file.name.as_deref().unwrap_or("exchange_csv");
        let read =
            decide_csv::read(&file.text, name).map_err(unreadable("/exchange_csv/text".into()))?;
        return Ok((
            Input::Exchange(read, name.to_owned()),
            "/exchange_csv".into(),
        ));
    }
    let Some(files) = &request.genius else {
        return Err(ApiError::bad_request("no input").at(""));
    };
    if files.profiles.len() < 2 {
        return Err(
            ApiError::bad_request("a domain and at least two profiles").at("/genius/profiles")
        );
    }
    let semantics = match files.semantics {
        Some(SemanticsName::Raw) => Semantics::Raw,
        Some(SemanticsName::Genius) | None => Semantics::Genius,
    };
    let domain_name = files.domain.name.as_deref().unwrap_or("domain");
    let names: Vec<String> = files
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.name
                .clone()
                .unwrap_or_else(|| format!("profile {}", i + 1))
        })
        .collect();
    let profiles: Vec<(&str, &str)> = files
        .profiles
        .iter()
        .zip(&names)
        .map(|(p, name)| (p.text.as_str(), name.as_str()))
        .collect();
    let negotiation =
        genius::read_negotiation(&files.domain.text, domain_name, &profiles, semantics).map_err(
            |err| {
                // The file at fault, by the name it was given.
                let field = if err.file == domain_name {
                    "/genius/domain/text".to_owned()
                } else {
                    names
                        .iter()
                        .position(|name| *name == err.file)
                        .map_or("/genius".to_owned(), |i| {
                            format!("/genius/profiles/{i}/text")
                        })
                };
                unreadable(field)(err)
            },
        )?;
    Ok((
        Input::Genius(negotiation, semantics, domain_name.to_owned()),
        "/genius".into(),
    ))
}
