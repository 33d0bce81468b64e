//! Every write: one route taking the application's `Request` (the same requests the CLI
//! builds from its flags), acting as the token's principal and no other.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coalition_app::Request;

use super::coalition;
use crate::caller::Caller;
use crate::error::{ApiError, Input};
use crate::extract::Body;
use crate::shared::Shared;

/// Decides and records one write as the token's principal: the new entries, numbered as the
/// caller's own log numbers them, and where that log now ends. A refused request writes nothing.
#[utoipa::path(post, path = "/api/coalitions/{coalition}/requests", tag = "writes",
    params(("coalition" = String, Path, description = "The coalition")),
    request_body(content = Object, description = "A `Request`: `{\"action\": \"record-support\", \"request\": {\"commitment\": \"…\", \"stage\": \"delivered\", \"quantity\": 2}}`; actions (kebab-case), `add-commitment`, `report-incident`, `confirm-incident`, `fulfil-obligation`, `draft-statement`, `approve-version` (with a signature made on the signer's machine over `…/to-sign`) …; unknown fields are refused"),
    responses((status = 201, description = "A `ReceiptView`: `recorded` and `head`", body = Object),
        (status = 400, description = "Malformed input; `field` is a JSON pointer", body = ApiError),
        (status = 401, description = "No token, or a bad one", body = ApiError),
        (status = 403, description = "A rule refuses this principal the action, or the server is read-only", body = ApiError),
        (status = 404, description = "An item named that does not exist or the caller may not read", body = ApiError),
        (status = 409, description = "Too many concurrent writers", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "Not JSON", body = ApiError),
        (status = 422, description = "A rule rejects the command", body = ApiError),
        (status = 503, description = "Shutting down: nothing was written; retry", body = ApiError)))]
pub(crate) async fn submit(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Body(request): Body<Request>,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let actor = caller.actor(&c)?;
    if shared.options.read_only {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "server.read_only",
            "this server is a read-only replica: send writes to the primary",
        ));
    }
    // Refused before it is decided: a write either finishes before shutdown or never starts.
    if shared.draining() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server.shutting_down",
            "the server is shutting down; nothing was written",
        )
        .retry_after(5));
    }
    let receipt = shared
        .app
        .submit(&c, &actor, request)
        .await
        .map_err(|e| ApiError::from_app(e, Input::Body("/request")))?;
    Ok((StatusCode::CREATED, axum::Json(receipt)).into_response())
}
