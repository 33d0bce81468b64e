//! Reads of the record's current items: coalitions, members, principals, instruments,
//! commitments, incidents, obligations, coverage and what-ifs. Every one goes through the gate:
//! an item the caller may not read is the same 404 as one that does not exist, and lists leave it
//! out.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use coalition_app::request::WhatIfRequest;
use coalition_app::views::{CommitmentFilter, ObligationFilter};
use coalition_core::commitment::Category;
use coalition_core::dates::Timestamp;
use coalition_core::id::{IncidentId, PartyCode};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{CoalitionReader, coalition, id, json, page, reader};
use crate::caller::Caller;
use crate::error::{ApiError, Input};
use crate::extract::{Body, Query};
use crate::shared::Shared;

/// The two times of every read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct Times {
    /// As the world stood at this time (RFC 3339): only the facts that held by then.
    #[param(value_type = Option<String>)]
    pub(crate) at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339): only what had been recorded by then.
    #[param(value_type = Option<String>)]
    pub(crate) as_of: Option<Timestamp>,
}

/// A list's times and page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
    /// Items to skip.
    offset: Option<usize>,
    /// Items to return (default 100, at most 1000).
    limit: Option<usize>,
}

/// Every coalition in the record: its id and name.
#[utoipa::path(get, path = "/api/coalitions", tag = "coalitions",
    responses((status = 200, description = "`[{id, name}]`", body = Object)))]
pub(crate) async fn coalitions(State(shared): State<Arc<Shared>>) -> Result<Response, ApiError> {
    Ok(json(&shared.app.coalition_names().await?))
}

/// The member seats the caller may see (as `coalition members --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/members", tag = "coalitions",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "The seats", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn members(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.members()))
}

/// The principals the caller may see (as `coalition principals --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/principals", tag = "coalitions",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "The principals", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn principals(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.principals()))
}

/// The instruments the caller may see, with consent at the time of reading.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/instruments", tag = "coalitions",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "`InstrumentView`s", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn instruments(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.instruments()))
}

/// Which commitments to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CommitmentsQuery {
    /// Only this guarantor's (a party code).
    #[param(value_type = Option<String>)]
    guarantor: Option<PartyCode>,
    /// Only this category.
    #[param(value_type = Option<String>)]
    #[serde(default, deserialize_with = "crate::extract::category")]
    category: Option<Category>,
    /// Only those in force at this time (the world as it stood then).
    #[param(value_type = Option<String>)]
    in_force_at: Option<Timestamp>,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
    /// Items to skip.
    offset: Option<usize>,
    /// Items to return (default 100, at most 1000).
    limit: Option<usize>,
}

/// The commitments the caller may see, in id order (as `commitments --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/commitments", tag = "commitments",
    params(("coalition" = String, Path, description = "The coalition"), CommitmentsQuery),
    responses((status = 200, description = "`CommitmentView`s; `X-Total-Count`, `Link: rel=next`", body = Object),
        (status = 400, description = "A bad parameter", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn commitments(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<CommitmentsQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    if q.in_force_at.is_some() && q.at.is_some() {
        return Err(ApiError::bad_request("give either in_force_at or at").at("in_force_at"));
    }
    let reader = reader(&shared, &caller, &c, q.in_force_at.or(q.at), q.as_of).await?;
    let list = reader.commitments(&CommitmentFilter {
        guarantor: q.guarantor,
        category: q.category,
        in_force: q.in_force_at.is_some(),
    });
    page(
        &format!("/api/coalitions/{c}/commitments"),
        &list,
        q.offset,
        q.limit,
    )
}

/// One commitment (as `commitment show --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/commitments/{id}", tag = "commitments",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The commitment"), Times),
    responses((status = 200, description = "A `CommitmentView`", body = Object),
        (status = 404, description = "No such commitment, or one the caller may not read", body = ApiError)))]
pub(crate) async fn commitment(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(times): Query<Times>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item = id("id", &item)?;
    let reader = reader(&shared, &caller, &c, times.at, times.as_of).await?;
    Ok(json(&reader.commitment(&item)?))
}

/// The incidents the caller may see (as `incidents --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/incidents", tag = "incidents",
    params(("coalition" = String, Path, description = "The coalition"), ListQuery),
    responses((status = 200, description = "`IncidentView`s; `X-Total-Count`, `Link: rel=next`", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn incidents(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    page(
        &format!("/api/coalitions/{c}/incidents"),
        &reader.incidents(),
        q.offset,
        q.limit,
    )
}

/// One incident with the obligations it opened that the caller may see.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/incidents/{id}", tag = "incidents",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The incident"), Times),
    responses((status = 200, description = "An `IncidentDetail`", body = Object),
        (status = 404, description = "No such incident, or one the caller may not read", body = ApiError)))]
pub(crate) async fn incident(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(times): Query<Times>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item: IncidentId = id("id", &item)?;
    let reader = reader(&shared, &caller, &c, times.at, times.as_of).await?;
    Ok(json(&reader.incident(&item)?))
}

/// Which obligations to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ObligationsQuery {
    /// Only those this incident opened.
    #[param(value_type = Option<String>)]
    incident: Option<IncidentId>,
    /// Only those overdue at the time of reading.
    #[serde(default)]
    overdue: bool,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
    /// Items to skip.
    offset: Option<usize>,
    /// Items to return (default 100, at most 1000).
    limit: Option<usize>,
}

/// The obligations the caller may see (as `obligations --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/obligations", tag = "obligations",
    params(("coalition" = String, Path, description = "The coalition"), ObligationsQuery),
    responses((status = 200, description = "`ObligationView`s; `X-Total-Count`, `Link: rel=next`", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn obligations(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<ObligationsQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    let list = reader.obligations(&ObligationFilter {
        incident: q.incident,
        overdue: q.overdue,
    });
    page(
        &format!("/api/coalitions/{c}/obligations"),
        &list,
        q.offset,
        q.limit,
    )
}

/// What coverage to compute.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CoverageQuery {
    /// The protected state (default: the coalition's).
    #[param(value_type = Option<String>)]
    protected: Option<PartyCode>,
    /// How many years the timeline runs (default 20).
    years: Option<u16>,
    /// What if a ceasefire entered into force then.
    #[param(value_type = Option<String>)]
    assume_ceasefire: Option<Timestamp>,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
}

/// What the protected state can count on, year by year, counting only what the caller may read.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/coverage", tag = "coverage",
    params(("coalition" = String, Path, description = "The coalition"), CoverageQuery),
    responses((status = 200, description = "A `Coverage` report (as `coverage --json`)", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn coverage(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    Ok(json(&reader.coverage(
        q.protected,
        q.years.unwrap_or(20),
        q.assume_ceasefire,
    )?))
}

/// What an incident would set off, on a copy of the record (nothing is written).
#[utoipa::path(post, path = "/api/coalitions/{coalition}/whatif", tag = "incidents",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    request_body(content = Object, description = "`{aggressor, target, kind, at, location?, verified_at?, requests?: [{party, at}], assume_ceasefire?, assume_ratified?}`"),
    responses((status = 200, description = "A `WhatIfView` (as `whatif incident --json`)", body = Object),
        (status = 400, description = "A bad field", body = ApiError),
        (status = 422, description = "The supposition breaks a rule", body = ApiError)))]
pub(crate) async fn whatif(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(times): Query<Times>,
    Body(question): Body<WhatIfRequest>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, times.at, times.as_of).await?;
    let query = question
        .into_query()
        .map_err(|e| ApiError::from_app(e, Input::Body("")))?;
    reader
        .what_if(&query)
        .map(|answer| json(&answer))
        .map_err(|e| ApiError::from_app(e, Input::Body("")))
}
