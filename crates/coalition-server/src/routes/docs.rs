//! A page that renders the OpenAPI document, written here and served from the binary: it fetches
//! nothing but `/api/openapi.json` from its own origin (its Content-Security-Policy says so).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Only this origin's script, style and document; nothing inline, nothing from elsewhere.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn file(content_type: &'static str, text: &'static str) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        text,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The API's documentation as a page: every route by tag, its parameters, body, responses and
/// the schemas they name, rendered from `/api/openapi.json` in the browser.
#[utoipa::path(get, path = "/api/docs", tag = "docs",
    responses((status = 200, description = "An HTML page", content_type = "text/html", body = String)))]
pub(crate) async fn page() -> Response {
    file(
        "text/html; charset=utf-8",
        include_str!("../docs/index.html"),
    )
}

/// The page's script.
#[utoipa::path(get, path = "/api/docs/docs.js", tag = "docs",
    responses((status = 200, description = "JavaScript", content_type = "text/javascript", body = String)))]
pub(crate) async fn script() -> Response {
    file(
        "text/javascript; charset=utf-8",
        include_str!("../docs/docs.js"),
    )
}

/// The page's style sheet.
#[utoipa::path(get, path = "/api/docs/docs.css", tag = "docs",
    responses((status = 200, description = "CSS", content_type = "text/css", body = String)))]
pub(crate) async fn style() -> Response {
    file("text/css; charset=utf-8", include_str!("../docs/docs.css"))
}
