//! Liveness and readiness, for a load balancer or an orchestrator.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::ApiError;
use crate::shared::Shared;

/// The process answers.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The server is up: `{\"status\": \"ok\"}`")))]
pub(crate) async fn health() -> Response {
    axum::Json(json!({"status": "ok"})).into_response()
}

/// The record can be read and the server is not shutting down.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses(
        (status = 200, description = "Ready: `{\"status\": \"ready\", \"read_only\": bool}`"),
        (status = 503, description = "Shutting down, or the record cannot be read", body = ApiError)))]
pub(crate) async fn ready(State(shared): State<Arc<Shared>>) -> Result<Response, ApiError> {
    if shared.draining() {
        return Err(unavailable("the server is shutting down"));
    }
    shared
        .app
        .coalitions()
        .await
        .map_err(|_| unavailable("the record cannot be read"))?;
    Ok(
        axum::Json(json!({"status": "ready", "read_only": shared.options.read_only}))
            .into_response(),
    )
}

fn unavailable(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "server.unavailable",
        message,
    )
    .retry_after(5)
}
