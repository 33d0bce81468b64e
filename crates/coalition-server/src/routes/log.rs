//! The log as the caller may see it: the custodian's master log is never served; a principal
//! gets its audience's log, the public the public log — entries numbered and chained among
//! themselves, with checkpoints, proofs and bundles of that log (docs/threat-model.md).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coalition_app::Reading;
use coalition_core::dates::Timestamp;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{MAX_PAGE, coalition, json};
use crate::caller::Caller;
use crate::error::ApiError;
use crate::extract::Query;
use crate::shared::Shared;

/// Which entries.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct EntriesQuery {
    /// Only entries after this sequence number of the caller's log.
    after: Option<u64>,
    /// At most this many (default and most: 1000).
    limit: Option<usize>,
    /// As the record stood at this time (RFC 3339).
    #[param(value_type = Option<String>)]
    as_of: Option<Timestamp>,
}

/// The entries of the caller's log (as `log show --json --as P` / `--public`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/log", tag = "log",
    params(("coalition" = String, Path, description = "The coalition"), EntriesQuery),
    responses((status = 200, description = "`LogEntryView`s; `X-Total-Count` is the log's size", body = [Object]),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn entries(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<EntriesQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let limit = q.limit.unwrap_or(MAX_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(
            ApiError::bad_request(format!("expected 1 to {MAX_PAGE}, found {limit}")).at("limit"),
        );
    }
    let reading = Reading {
        who: caller.who(&c)?,
        as_of: q.as_of,
        at: None,
    };
    let log = shared.app.log(&c, &reading).await?;
    let total = log.len();
    let after = q.after.unwrap_or(0);
    let shown: Vec<_> = log
        .into_iter()
        .filter(|entry| entry.seq > after)
        .take(limit)
        .collect();
    let mut response = json(&shown);
    response
        .headers_mut()
        .insert("x-total-count", HeaderValue::from(total));
    Ok(response)
}

/// A signed checkpoint of the caller's log, in C2SP signed-note format (as `log checkpoint
/// --json`). Anyone may fetch the public log's.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/log/checkpoint", tag = "log",
    params(("coalition" = String, Path, description = "The coalition")),
    responses((status = 200, description = "A `CheckpointView`: origin, size, root, note", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn checkpoint(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    Ok(json(&shared.app.checkpoint(&c, &caller.who(&c)?).await?))
}

/// Which entry to prove.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProofQuery {
    /// The entry's sequence number in the caller's log.
    seq: u64,
}

/// An inclusion proof of one entry of the caller's log (as `log prove --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/log/proof", tag = "log",
    params(("coalition" = String, Path, description = "The coalition"), ProofQuery),
    responses((status = 200, description = "An `InclusionProofView`", body = Object),
        (status = 400, description = "No such entry", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn proof(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<ProofQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    Ok(json(&shared.app.prove(&c, q.seq, &caller.who(&c)?).await?))
}

/// From which size.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ConsistencyQuery {
    /// The earlier tree size.
    old_size: u64,
}

/// A consistency proof from an earlier size of the caller's log to its current size (as `log
/// consistency --json`).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/log/consistency", tag = "log",
    params(("coalition" = String, Path, description = "The coalition"), ConsistencyQuery),
    responses((status = 200, description = "A `ConsistencyProofView`", body = Object),
        (status = 400, description = "A size the log never had", body = ApiError),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn consistency(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    Ok(json(
        &shared
            .app
            .consistency(&c, q.old_size, &caller.who(&c)?)
            .await?,
    ))
}

/// The caller's log as a bundle anyone can verify offline (`log verify --bundle`): its entries,
/// its keys and a signed checkpoint. `X-Classification` says how the bundle must be handled.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/log/export", tag = "log",
    params(("coalition" = String, Path, description = "The coalition")),
    responses((status = 200, description = "The bundle's canonical JSON bytes", content_type = "application/json", body = Object),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn export(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let (bytes, view) = shared.app.export(&c, &caller.who(&c)?).await?;
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response();
    if let Ok(level) = HeaderValue::from_str(&view.classification.to_string()) {
        response.headers_mut().insert("x-classification", level);
    }
    Ok(response)
}
