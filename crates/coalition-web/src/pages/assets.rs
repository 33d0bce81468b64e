//! The stylesheet and the one small script, written here and compiled into the binary: no CDN,
//! nothing fetched at run time.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// Every static file: name, type, bytes.
pub(crate) const FILES: [(&str, &str, &str); 2] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../static/style.css"),
    ),
    (
        "live.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/live.js"),
    ),
];

/// A static file.
pub(crate) async fn file(Path(name): Path<String>) -> Result<Response, WebError> {
    let (_, kind, body) = FILES
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or(WebError::NotFound)?;
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        *body,
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}
