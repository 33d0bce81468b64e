//! Who asks over the network? The HTTP JSON API over `coalition-app`.
//!
//! Every handler is parse → one `App` call → the view `--json` prints, so the API's JSON cannot
//! drift from the CLI's. The `App` stays open for the server's life: current-state reads come
//! from the state it keeps in memory (caught up with whatever other processes appended), writes
//! go through its one write path. The caller is the bearer token's principal, or the public
//! without one; every read goes through the application's `Reader`, and so through the gate.
//!
//! ```text
//! request ─> log line ─> route ─> caller (token → principal) ─> handler ─> App ─> view ─> JSON
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used)]

mod caller;
mod error;
mod extract;
mod limit;
mod routes;
mod shared;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use coalition_app::App;
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;

pub use error::ApiError;
pub use limit::{Limits, Rate};
pub use shared::{Options, Shared};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "coalition",
        description = "The record of a coalition's security guarantees. Reads take `at` (the \
world as it stood then) and `as_of` (the record as it stood then); an item the caller may not \
read is a 404 exactly like a missing one. Authenticate with `Authorization: Bearer TOKEN` \
(`coalition token issue`); without a token you read as the public. Errors are \
`{code, message, field}`."
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// The router and the OpenAPI document describing exactly its routes.
pub fn router(shared: Arc<Shared>) -> Router {
    let (api, document) = routes::api().split_for_parts();
    let document = Arc::new(openapi(document));
    api.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let document = document.clone();
            async move { axum::Json(document.as_ref().clone()) }
        }),
    )
    .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route.unknown", "no such route") })
    .route_layer(axum::middleware::from_fn_with_state(
        shared.clone(),
        caller::authenticate,
    ))
    .layer(axum::middleware::from_fn(caller::log_request))
    .layer(axum::extract::DefaultBodyLimit::max(
        extract::MAX_BODY_BYTES,
    ))
    .with_state(shared)
}

/// The OpenAPI document of every route.
pub fn openapi_document() -> OpenApi {
    openapi(routes::api().split_for_parts().1)
}

fn openapi(routes: OpenApi) -> OpenApi {
    let mut document = ApiDoc::openapi();
    document.merge(routes);
    document
}

/// Serves `app` on `listener` until `shutdown` resolves; then refuses new writes, lets the
/// requests under way finish and returns. The caller closes the app afterwards.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, options, |api| api, shutdown).await
}

/// [`serve`], with the API router wrapped by `site` first: the binary puts the web pages in
/// front of it (`coalition-web`), so both are served from one listener and one shutdown.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    options: Options,
    site: impl FnOnce(Router) -> Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared = Arc::new(Shared::new(app, options));
    let draining = shared.clone();
    let service =
        site(router(shared)).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown.await;
            draining.drain();
            tracing::info!("shutting down: new writes are refused, requests under way finish");
        })
        .await
}
