//! The routes: one family per module, each handler parse → one `App` call → the view `--json`
//! prints. Every route is registered through utoipa, so the OpenAPI document lists exactly the
//! routes served.

mod events;
mod formats;
mod health;
mod log;
mod read;
mod statement;
mod write;

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coalition_app::{Reader, Reading};
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, Id, IdKind};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

/// The most items one page of a list holds, and how many it holds unless asked.
pub(crate) const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;

/// Every route.
pub(crate) fn api() -> OpenApiRouter<Arc<Shared>> {
    OpenApiRouter::new()
        .routes(routes!(health::health))
        .routes(routes!(health::ready))
        .routes(routes!(read::coalitions))
        .routes(routes!(read::members))
        .routes(routes!(read::principals))
        .routes(routes!(read::instruments))
        .routes(routes!(read::commitments))
        .routes(routes!(read::commitment))
        .routes(routes!(read::incidents))
        .routes(routes!(read::incident))
        .routes(routes!(read::obligations))
        .routes(routes!(read::coverage))
        .routes(routes!(read::whatif))
        .routes(routes!(formats::obligations_feed))
        .routes(routes!(formats::support))
        .routes(routes!(formats::open_data))
        .routes(routes!(statement::statements))
        .routes(routes!(statement::statement))
        .routes(routes!(statement::diff))
        .routes(routes!(statement::status))
        .routes(routes!(statement::to_sign))
        .routes(routes!(statement::meetings))
        .routes(routes!(statement::communique))
        .routes(routes!(statement::aggregates))
        .routes(routes!(log::entries))
        .routes(routes!(log::checkpoint))
        .routes(routes!(log::proof))
        .routes(routes!(log::consistency))
        .routes(routes!(log::export))
        .routes(routes!(events::events))
        .routes(routes!(write::submit))
}

/// A coalition id from the path.
pub(crate) fn coalition(text: &str) -> Result<CoalitionId, ApiError> {
    id("coalition", text)
}

/// An id from the path, the parameter named if it is not one.
pub(crate) fn id<K: IdKind>(name: &str, text: &str) -> Result<Id<K>, ApiError> {
    Id::parse(text).map_err(|e| ApiError::bad_request(e.to_string()).at(name))
}

/// The coalition as the caller may read it, as the record stood at `as_of` and the world at
/// `at`: current reads come from the state kept in memory.
pub(crate) async fn reader(
    shared: &Shared,
    caller: &Caller,
    coalition: &CoalitionId,
    at: Option<Timestamp>,
    as_of: Option<Timestamp>,
) -> Result<Reader, ApiError> {
    let who = caller.who(coalition)?;
    Ok(shared
        .app
        .read(coalition, &Reading { who, as_of, at })
        .await?)
}

/// The reader of a route whose only inputs are the coalition in its path and the two times
/// (`at`, `as_of`): the caller, the coalition and the reading resolved once, for every such route.
pub(crate) struct CoalitionReader(pub(crate) Reader);

impl axum::extract::FromRequestParts<Arc<Shared>> for CoalitionReader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, ApiError> {
        let axum::Extension(caller) = axum::Extension::<Caller>::from_request_parts(parts, shared)
            .await
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let axum::extract::Path(c) =
            axum::extract::Path::<String>::from_request_parts(parts, shared)
                .await
                .map_err(|e| ApiError::bad_request(e.to_string()).at("coalition"))?;
        let crate::extract::Query(times) =
            crate::extract::Query::<read::Times>::from_request_parts(parts, shared).await?;
        let c = coalition(&c)?;
        Ok(CoalitionReader(
            reader(shared, &caller, &c, times.at, times.as_of).await?,
        ))
    }
}

/// A view as JSON, exactly as `--json` prints it.
pub(crate) fn json<T: Serialize>(view: &T) -> Response {
    axum::Json(view).into_response()
}

/// One page of a list: `offset` items skipped, at most `limit` (default 100, at most 1000)
/// returned; `X-Total-Count` says how many the caller may see in all, and `Link: rel="next"`
/// where the next page starts.
pub(crate) fn page<T: Serialize>(
    path: &str,
    items: &[T],
    offset: Option<usize>,
    limit: Option<usize>,
) -> Result<Response, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(
            ApiError::bad_request(format!("expected 1 to {MAX_PAGE}, found {limit}")).at("limit"),
        );
    }
    let offset = offset.unwrap_or(0);
    let end = offset.saturating_add(limit).min(items.len());
    let shown = items.get(offset.min(items.len())..end).unwrap_or(&[]);
    let mut response = json(&shown);
    let headers = response.headers_mut();
    headers.insert("x-total-count", HeaderValue::from(items.len()));
    if end < items.len()
        && let Ok(link) = HeaderValue::from_str(&format!(
            "<{path}?offset={end}&limit={limit}>; rel=\"next\""
        ))
    {
        headers.insert(header::LINK, link);
    }
    Ok(response)
}
