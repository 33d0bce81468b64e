//! What does a person see in a browser? Server-rendered pages over `coalition-app`, served by
//! `coalition serve` beside the JSON API.
//!
//! Every page is one handler: the visitor (session → token → principal, or the public) → one
//! `Reader` from the `App` → the views `--json` prints → an askama template. A page for an item
//! the reader may not see is the same 404 as for one that does not exist, because the `Reader`
//! answers both the same way. Pages show their data without JavaScript; `live.js` (written
//! here, served from `/static`) only reloads a page's live region when the reader's log grows.
//!
//! ```text
//! request ─> security headers ─> route ─> visitor (cookie → session → token) ─> Reader ─> view ─> HTML
//!      └─ /api/… and anything no page claims ─> the API router (its JSON errors)
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used)]

mod charts;
mod csv_export;
mod error;
pub mod i18n;
mod live;
mod pages;
mod session;
mod visitor;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use coalition_app::App;

pub use error::WebError;

/// How the site runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebOptions {
    /// Cookies are always marked Secure (the site is only ever reached over TLS); otherwise
    /// they are when a proxy says the request came over TLS (`X-Forwarded-Proto: https`).
    pub always_tls: bool,
    /// A read-only replica: the forms are refused before anything is decided.
    pub read_only: bool,
}

/// What every page handler shares.
pub(crate) struct Web {
    pub(crate) app: Arc<App>,
    pub(crate) sessions: session::Sessions,
    pub(crate) options: WebOptions,
}

/// The policy every response carries: scripts, styles and images from this origin only, no
/// inline script or style, no framing, forms posting only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The site: its pages first, then `api` for `/api/…` and every path no page claims (so the
/// API keeps its own JSON errors and its own routes, unchanged).
pub fn site(app: Arc<App>, api: Router, options: WebOptions) -> Router {
    let web = Arc::new(Web {
        app,
        sessions: session::Sessions::default(),
        options,
    });
    let pages = Router::new()
        .route("/", get(pages::public::home))
        .route("/static/{file}", get(pages::assets::file))
        .route(
            "/sign-in",
            get(pages::auth::sign_in_form).post(pages::auth::sign_in),
        )
        .route("/sign-out", post(pages::auth::sign_out))
        .route("/lang/{tag}", get(pages::auth::language))
        .route("/c/{c}/public", get(pages::public::public_face))
        .route("/c/{c}", get(pages::dashboard::dashboard))
        .route("/c/{c}/heatmap.csv", get(pages::dashboard::heatmap_csv))
        .route("/c/{c}/coverage.csv", get(pages::dashboard::coverage_csv))
        .route(
            "/c/{c}/obligations.csv",
            get(pages::dashboard::obligations_csv),
        )
        .route("/c/{c}/live", get(live::live))
        .route("/c/{c}/commitments", get(pages::commitments::list))
        .route("/c/{c}/commitments.csv", get(pages::commitments::list_csv))
        .route("/c/{c}/commitments/{id}", get(pages::commitments::show))
        .route(
            "/c/{c}/incidents",
            get(pages::incidents::list).post(pages::incidents::report),
        )
        .route("/c/{c}/incidents/{id}", get(pages::incidents::show))
        .route(
            "/c/{c}/incidents/{id}/confirm",
            post(pages::incidents::confirm),
        )
        .route(
            "/c/{c}/obligations/{id}/settle",
            post(pages::incidents::settle),
        )
        .route("/c/{c}/statements", get(pages::statements::list))
        .route("/c/{c}/statements/{id}", get(pages::statements::show))
        .route(
            "/c/{c}/statements/{id}/approve",
            post(pages::statements::approve),
        )
        .route("/c/{c}/record", get(pages::record::record))
        .route("/c/{c}/record/bundle", get(pages::record::bundle))
        .route("/c/{c}/due", get(pages::record::due))
        .route("/c/{c}/support", get(pages::support::support))
        .route("/c/{c}/support.csv", get(pages::support::support_csv))
        .route("/c/{c}/parties", get(pages::record::parties))
        .fallback(move |request: Request| elsewhere(api.clone(), request))
        .with_state(web);
    pages
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn(security_headers))
}

/// A path no page claims: the API's if under `/api`, else the page that says nothing is here.
async fn elsewhere(api: Router, request: Request) -> Response {
    use axum::response::IntoResponse as _;
    use tower::ServiceExt as _;
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return match api.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    let lang = visitor::language(request.headers());
    WebError::NotFound.page(i18n::Tr { lang }).into_response()
}

/// The headers every answer carries, the API's included.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}
