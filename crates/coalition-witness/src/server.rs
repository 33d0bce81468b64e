//! The witness over HTTP: C2SP tlog-witness `POST /add-checkpoint` and the monitoring route
//! `GET /<origin hash>/checkpoint`. Each request is handled on a blocking thread: the state is
//! fsynced before the answer is sent.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use coalition_ledger::witness::{Refusal, SIZE_CONTENT_TYPE};

use crate::state::Witness;

/// The largest request body read (a checkpoint, 63 proof lines and a few signatures fit many
/// times over).
pub const MAX_BODY_BYTES: usize = 64 << 10;

/// Where cosignature timestamps come from (POSIX seconds).
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

#[derive(Clone)]
struct Served {
    witness: Arc<Witness>,
    clock: Clock,
}

/// The witness's routes.
pub fn router(witness: Arc<Witness>, clock: Clock) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/{origin_hash}/checkpoint", get(checkpoint))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(Served { witness, clock })
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn add_checkpoint(State(served): State<Served>, body: Bytes) -> Response {
    let Ok(body) = String::from_utf8(body.to_vec()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "text/plain",
            "the body is not UTF-8\n".into(),
        );
    };
    let now = (served.clock)();
    let witness = served.witness.clone();
    let outcome = tokio::task::spawn_blocking(move || witness.add_checkpoint(&body, now)).await;
    match outcome {
        Ok(Ok(Ok(line))) => text(StatusCode::OK, "text/plain; charset=utf-8", line),
        Ok(Ok(Err(Refusal::Conflict { held }))) => {
            text(StatusCode::CONFLICT, SIZE_CONTENT_TYPE, format!("{held}\n"))
        }
        Ok(Ok(Err(refusal))) => {
            tracing::info!(status = refusal.status(), %refusal, "add-checkpoint refused");
            let status =
                StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            text(status, "text/plain; charset=utf-8", format!("{refusal}\n"))
        }
        Ok(Err(e)) => {
            tracing::error!(%e, "the witness state could not be read or written");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "state unavailable\n".into(),
            )
        }
        Err(e) => {
            tracing::error!(%e, "add-checkpoint task failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "internal error\n".into(),
            )
        }
    }
}

async fn checkpoint(State(served): State<Served>, Path(hash): Path<String>) -> Response {
    match served.witness.held_by_hash(&hash) {
        Ok(Some(held)) => text(StatusCode::OK, "text/plain; charset=utf-8", held.note),
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            "text/plain",
            "no checkpoint cosigned for that log\n".into(),
        ),
        Err(e) => {
            tracing::error!(%e, "the witness state could not be read");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "state unavailable\n".into(),
            )
        }
    }
}

/// Serves the witness on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    witness: Arc<Witness>,
    clock: Clock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(witness, clock))
        .with_graceful_shutdown(shutdown)
        .await
}
