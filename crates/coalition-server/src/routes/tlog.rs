//! The caller's log in the C2SP tlog-tiles layout: the signed checkpoint as its note and the
//! Merkle tree's hash tiles. Without a token they are the public log's, so anyone can check the
//! record was never rewritten or forked without being shown anything it may not read; entries
//! and inclusion proofs stay behind the gate (`log`, `log/proof`). `coalition publish` writes
//! the same bytes as static files under the same paths.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coalition_ledger::tiles::TileName;

use super::coalition;
use crate::caller::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

/// The latest signed checkpoint of the caller's log (the public log's without a token), as the
/// C2SP signed note itself.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/tlog/checkpoint", tag = "log",
    params(("coalition" = String, Path, description = "The coalition")),
    responses((status = 200, description = "The signed note (text/plain)", content_type = "text/plain", body = String),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn checkpoint(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let view = shared.app.checkpoint(&c, &caller.who(&c)?).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        view.note,
    )
        .into_response())
}

/// A hash tile of the caller's log's Merkle tree (C2SP tlog-tiles: `L/N` or `L/N.p/W`, `N` in
/// three-digit elements such as `x001/234`): 32-byte node hashes, nothing of any entry's content.
#[utoipa::path(get, path = "/api/coalitions/{coalition}/tlog/tile/{*tile}", tag = "log",
    params(("coalition" = String, Path, description = "The coalition"),
        ("tile" = String, Path, description = "`LEVEL/INDEX` or `LEVEL/INDEX.p/WIDTH`, e.g. `0/000.p/157`")),
    responses((status = 200, description = "The tile's hashes (application/octet-stream)", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 400, description = "Not a tile path", body = ApiError),
        (status = 404, description = "No such coalition, or a tile this log does not have", body = ApiError)))]
pub(crate) async fn tile(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((c, tile)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let name =
        TileName::parse(&tile).map_err(|e| ApiError::bad_request(e.to_string()).at("tile"))?;
    let bytes = shared.app.tile(&c, &caller.who(&c)?, &name).await?;
    // A full tile never changes; a partial one is replaced as the log grows.
    let cache = if name.partial.is_none() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response())
}
