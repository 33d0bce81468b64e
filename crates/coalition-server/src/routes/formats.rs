//! The field's own formats over HTTP, the same bytes as the CLI's exports: obligations as an
//! iCalendar feed a calendar subscribes to, support per donor as JSON, CSV, IATI or a
//! spreadsheet, and open data (the public record as tables with a documented schema).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coalition_app::formats::opendata::{self, Layout};
use coalition_app::formats::{calendar, iati, table};
use coalition_app::views::{CommitmentFilter, ObligationFilter};
use coalition_app::{Reading, Who};
use coalition_core::commitment::Category;
use coalition_core::dates::Timestamp;
use coalition_core::id::{IncidentId, PartyCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{coalition, json, reader};
use crate::caller::Caller;
use crate::error::ApiError;
use crate::extract::Query;
use crate::shared::Shared;

/// Which obligations the feed holds, and who reads it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct FeedQuery {
    /// The reader's token, for calendar programs that subscribe by address and cannot send an
    /// `Authorization` header. Prefer the header: an address with a token in it is a secret.
    token: Option<String>,
    /// Only the obligations this incident opened.
    #[param(value_type = Option<String>)]
    incident: Option<IncidentId>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
}

/// The open obligations with a deadline that the caller may read, as an iCalendar feed (as
/// `coalition obligations C --format ics`): one event per deadline with an alarm before it, the
/// same `UID` every time so a subscribed calendar updates instead of duplicating.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/obligations.ics", tag = "formats",
    params(("coalition" = String, Path, description = "The coalition"), FeedQuery),
    responses((status = 200, description = "An RFC 5545 calendar", content_type = "text/calendar", body = String),
        (status = 401, description = "An unknown, revoked or expired token", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn obligations_feed(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let caller = match (&q.token, caller) {
        (None, caller) => caller,
        (Some(_), Caller::Token(_)) => {
            return Err(ApiError::bad_request(
                "give the token in the Authorization header or the address, not both",
            )
            .at("token"));
        }
        (Some(token), Caller::Public) => crate::caller::by_token(&shared, token)?,
    };
    let reader = reader(&shared, &caller, &c, None, q.as_of).await?;
    let views = reader.obligations(&ObligationFilter {
        incident: q.incident,
        overdue: false,
    });
    let feed = calendar::write(
        &c,
        &reader.name(),
        &reader.reader_name(),
        reader.at(),
        &views,
    );
    Ok(file(
        "text/calendar; charset=utf-8",
        &format!("{c}-obligations.ics"),
        feed.into_bytes(),
    ))
}

/// How support is answered.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SupportFormat {
    /// The totals and rows, as `coalition support --json`.
    #[default]
    Json,
    /// The Kiel-style table, as `coalition support --csv`.
    Csv,
    /// An IATI 2.03 activity file (public rows only), as `support export --format iati`.
    Iati,
    /// The table as a spreadsheet with a sheet explaining the columns.
    Xlsx,
}

/// Which support to total.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SupportQuery {
    /// Only this donor's (a party code).
    #[param(value_type = Option<String>)]
    guarantor: Option<PartyCode>,
    /// Only this category.
    #[param(value_type = Option<String>)]
    #[serde(default, deserialize_with = "crate::extract::category")]
    category: Option<Category>,
    /// `json` (default), `csv`, `iati` or `xlsx`.
    #[param(value_type = Option<SupportFormat>)]
    format: Option<SupportFormat>,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
}

/// Committed, allocated, delivered and outstanding per donor, category and unit, under the
/// commitments the caller may read (as `coalition support C`), lapsed and withdrawn apart.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/support", tag = "formats",
    params(("coalition" = String, Path, description = "The coalition"), SupportQuery),
    responses((status = 200, description = "A `SupportSummary` (JSON), or the table as CSV, IATI XML or XLSX", body = Object),
        (status = 400, description = "A bad parameter", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn support(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<SupportQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    let summary = reader.support(&CommitmentFilter {
        guarantor: q.guarantor,
        category: q.category,
        in_force: false,
    });
    Ok(match q.format.unwrap_or_default() {
        SupportFormat::Json => json(&summary),
        SupportFormat::Csv => file(
            "text/csv; charset=utf-8",
            &format!("{c}-support.csv"),
            table::csv(&summary.rows).into_bytes(),
        ),
        SupportFormat::Iati => file(
            "application/xml; charset=utf-8",
            &format!("{c}-support.iati.xml"),
            iati::write(&c, &summary.rows, shared.app.now()).into_bytes(),
        ),
        SupportFormat::Xlsx => file(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{c}-support.xlsx"),
            table::xlsx(&c, &reader.reader_name(), summary.at, &summary.rows)?,
        ),
    })
}

/// The open-data layouts.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OpenDataLayout {
    /// `<table>.json`: an array of objects per table.
    Json,
    /// `<table>.csv`: one CSV file per table.
    Csv,
}

/// One file of the coalition's open data (as `coalition export C --public --format json|csv`
/// writes it): `manifest.json` names the others. Always the public's view, whoever asks: open
/// data is what anyone may see, described by docs/open-data.schema.json.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/open-data/{layout}/{file}", tag = "formats",
    params(("coalition" = String, Path, description = "The coalition"),
        ("layout" = OpenDataLayout, Path, description = "`json` or `csv`"),
        ("file" = String, Path, description = "`manifest.json` or a file it names")),
    responses((status = 200, description = "The file", body = Object),
        (status = 404, description = "No such coalition, layout or file", body = ApiError)))]
pub(crate) async fn open_data(
    State(shared): State<Arc<Shared>>,
    Path((c, layout, name)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let layout = match layout.as_str() {
        "json" => Layout::Json,
        "csv" => Layout::Csv,
        _ => return Err(no_such_file()),
    };
    let public = Reading {
        who: Who::Public,
        as_of: None,
        at: None,
    };
    let reader = shared.app.read(&c, &public).await?;
    let (_, bytes) = opendata::open_data(&reader)?
        .files(layout)
        .into_iter()
        .find(|(file, _)| *file == name)
        .ok_or_else(no_such_file)?;
    let content_type = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/json"
    };
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

fn no_such_file() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such open-data file: see manifest.json under json/ or csv/",
    )
}

/// A download: its type and the name a browser saves it under.
fn file(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
