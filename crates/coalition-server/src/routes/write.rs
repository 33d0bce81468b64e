//! Every write: one route taking the application's `Request` (the same requests the CLI
//! builds from its flags), acting as the token's principal and no other.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coalition_app::{Request, Submitted};

use super::coalition;
use crate::caller::Caller;
use crate::error::{ApiError, Input};
use crate::extract::Body;
use crate::shared::Shared;

/// Decides and records one write as the token's principal: the new entries, numbered as the
/// caller's own log numbers them, and where that log now ends. A refused request writes nothing.
/// With an `Idempotency-Key` header, a retry of the same request by the same principal gets the
/// first answer again (`Idempotent-Replayed: true`) instead of recording twice. The key is
/// claimed in the record, in the write's own transaction, so this holds through every server
/// node on the same database and across restarts.
#[utoipa::path(post, path = "/api/coalitions/{coalition}/requests", tag = "writes",
    params(("coalition" = String, Path, description = "The coalition"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the same request with the same key is recorded once")),
    request_body(content = Object, description = "A `Request`: `{\"action\": \"record-support\", \"request\": {\"commitment\": \"…\", \"stage\": \"delivered\", \"quantity\": 2}}`; actions (kebab-case), `add-commitment`, `report-incident`, `confirm-incident`, `fulfil-obligation`, `draft-statement`, `approve-version` (with a signature made on the signer's machine over `…/to-sign`) …; unknown fields are refused"),
    responses((status = 201, description = "A `ReceiptView`: `recorded` and `head`", body = Object),
        (status = 400, description = "Malformed input; `field` is a JSON pointer", body = ApiError),
        (status = 401, description = "No token, or a bad one", body = ApiError),
        (status = 403, description = "A rule refuses this principal the action, or the server is read-only", body = ApiError),
        (status = 404, description = "An item named that does not exist or the caller may not read", body = ApiError),
        (status = 409, description = "Too many concurrent writers", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "Not JSON", body = ApiError),
        (status = 422, description = "A rule rejects the command, or the Idempotency-Key was sent before with another request", body = ApiError),
        (status = 503, description = "Shutting down: nothing was written; retry", body = ApiError)))]
pub(crate) async fn submit(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    headers: HeaderMap,
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
    let key = idempotency_key(&headers)?;
    let submitted = match key {
        None => shared
            .app
            .submit(&c, &actor, request)
            .await
            .map(|receipt| Submitted {
                receipt,
                replayed: false,
            }),
        Some(key) => shared.app.submit_once(&c, &actor, &key, request).await,
    }
    .map_err(|e| ApiError::from_app(e, Input::Body("/request")))?;
    let body = serde_json::to_vec(&submitted.receipt)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let mut response = (
        StatusCode::CREATED,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if submitted.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The `Idempotency-Key` header, if sent: 1 to 255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            ApiError::bad_request("expected 1 to 255 visible ASCII characters")
                .at("Idempotency-Key"),
        );
    }
    Ok(Some(key.to_owned()))
}
