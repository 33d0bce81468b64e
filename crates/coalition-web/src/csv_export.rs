//! Every table of a page can be downloaded as CSV: the same numbers as the page shows, written
//! by the app's one CSV writer, which defuses any cell a spreadsheet would run as a formula.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// A CSV download named `file`.
pub(crate) fn csv(
    file: &str,
    header_row: &[&str],
    rows: &[Vec<String>],
) -> Result<Response, WebError> {
    let bytes = coalition_app::formats::csv::write(header_row, rows);
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
