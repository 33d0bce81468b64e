//! Every table of a page can be downloaded as CSV: the same numbers as the page shows. A cell
//! that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is quoted with a leading
//! apostrophe, so opening an export never executes the record's text.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// A cell as written: text a spreadsheet would read as a formula is defused.
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// A CSV download named `file`.
pub(crate) fn csv(
    file: &str,
    header_row: &[&str],
    rows: &[Vec<String>],
) -> Result<Response, WebError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| {
        tracing::error!(%e, "a CSV export failed");
        WebError::Internal
    };
    writer.write_record(header_row).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| defuse(cell)))
            .map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|_| WebError::Internal)?;
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

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn a_formula_is_never_written_as_one() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("FRA"), "FRA");
    }
}
