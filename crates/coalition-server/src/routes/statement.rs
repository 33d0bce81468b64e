//! Statements, meetings, the communiqué and released aggregates. Titles, signatories and
//! approvals are public; paragraphs are shown as the caller may read them.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use coalition_core::statement::{MeetingId, StatementId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::read::Times;
use super::{CoalitionReader, coalition, id, json, reader};
use crate::caller::Caller;
use crate::error::ApiError;
use crate::extract::Query;
use crate::shared::Shared;

/// Every statement (as `statements --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/statements", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "`StatementRow`s", body = [Object]),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn statements(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.statements()))
}

/// Which version of a statement.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct VersionQuery {
    /// The version (default: the latest).
    version: Option<u32>,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<coalition_core::dates::Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<coalition_core::dates::Timestamp>,
}

/// A version of a statement as the caller may read it (as `statement show --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/statements/{id}", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The statement"), VersionQuery),
    responses((status = 200, description = "A `StatementShow`", body = Object),
        (status = 404, description = "No such statement", body = ApiError)))]
pub(crate) async fn statement(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item: StatementId = id("id", &item)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    Ok(json(&reader.statement(&item, q.version)?))
}

/// Two versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DiffQuery {
    /// The earlier version.
    from: u32,
    /// The later version.
    to: u32,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<coalition_core::dates::Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<coalition_core::dates::Timestamp>,
}

/// Two versions compared paragraph by paragraph (as `statement diff --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/statements/{id}/diff", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The statement"), DiffQuery),
    responses((status = 200, description = "A `StatementDiff`", body = Object),
        (status = 400, description = "A version that does not exist", body = ApiError),
        (status = 404, description = "No such statement", body = ApiError)))]
pub(crate) async fn diff(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item: StatementId = id("id", &item)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    Ok(json(&reader.statement_diff(&item, q.from, q.to)?))
}

/// Who has approved, who is missing and what comes next (as `statement status --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/statements/{id}/status", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The statement"), Times),
    responses((status = 200, description = "A `StatementStanding`", body = Object),
        (status = 404, description = "No such statement", body = ApiError)))]
pub(crate) async fn status(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(times): Query<Times>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item: StatementId = id("id", &item)?;
    let reader = reader(&shared, &caller, &c, times.at, times.as_of).await?;
    Ok(json(&reader.statement_standing(&item)?))
}

/// Which version the caller means to approve.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ToSignQuery {
    /// The version to approve.
    version: u32,
}

/// The exact bytes the calling signatory signs, on its own machine, to approve a version, and
/// the key the record expects; the signature then goes to `POST …/requests` as
/// `approve-version`. The server never holds a signer's key.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/statements/{id}/to-sign", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"),
        ("id" = String, Path, description = "The statement"), ToSignQuery),
    responses((status = 200, description = "A `ToSign`: `message` is the 32 bytes to sign (hex)", body = Object),
        (status = 401, description = "No token: only a signatory signs", body = ApiError),
        (status = 404, description = "No such statement", body = ApiError)))]
pub(crate) async fn to_sign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, item)): Path<(String, String)>,
    Query(q): Query<ToSignQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let item: StatementId = id("id", &item)?;
    let signer = caller.actor(&c)?;
    let reader = reader(&shared, &caller, &c, None, None).await?;
    Ok(json(&reader.to_sign(&item, q.version, &signer)?))
}

/// The meetings (as `meetings --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/meetings", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "`Meeting`s", body = [Object]),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn meetings(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.meetings()))
}

/// Which meeting's communiqué.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CommuniqueQuery {
    /// Only this meeting's statements (default: every adopted one).
    #[param(value_type = Option<String>)]
    meeting: Option<MeetingId>,
    /// As the world stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    at: Option<coalition_core::dates::Timestamp>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<coalition_core::dates::Timestamp>,
}

/// What may be published: adopted statements' public paragraphs and released aggregates
/// (as `communique --json`; the same for every caller).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/communique", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"), CommuniqueQuery),
    responses((status = 200, description = "A `Communique`", body = Object),
        (status = 400, description = "No such meeting", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn communique(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<CommuniqueQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reader = reader(&shared, &caller, &c, q.at, q.as_of).await?;
    Ok(json(&reader.communique(q.meeting.as_ref())?))
}

/// The aggregates and whether each was released (as `aggregates --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/aggregates", tag = "statements",
    params(("coalition" = String, Path, description = "The coalition"), Times),
    responses((status = 200, description = "`AggregateRow`s", body = [Object]),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn aggregates(
    CoalitionReader(reader): CoalitionReader,
) -> Result<Response, ApiError> {
    Ok(json(&reader.aggregates()))
}
