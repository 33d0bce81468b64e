//! The one CSV writer (RFC 4180, a header row) behind every CSV the system gives out: the
//! support table, open data and every table of the web pages. The record's texts are written by
//! its users, and a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a
//! carriage return first) is written with a leading apostrophe, so opening an export never runs
//! what someone typed. A cell that is a plain number (`-3`, `+1.5e3`) is a number, not a
//! formula, and is written as it is, so quantities stay summable.

/// A cell as written: text a spreadsheet would read as a formula is defused.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    if formula && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Digits with an optional sign, decimal point and exponent: what a spreadsheet reads as a
/// number and nothing else (`f64::from_str` alone would also take `-inf` and `NaN`).
fn is_plain_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && cell.bytes().any(|b| b.is_ascii_digit())
        && cell.parse::<f64>().is_ok()
}

/// A table as CSV bytes: the header, then each row with its cells defused.
pub fn write<R, C>(header: &[&str], rows: R) -> Vec<u8>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail: the only errors are the sink's.
    let _ = writer.write_record(header);
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|cell| defuse(cell.as_ref()).into_owned())
            .collect();
        let _ = writer.write_record(&cells);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{defuse, write};

    #[test]
    fn a_formula_is_never_written_as_one() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(defuse("-2+3"), "'-2+3");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("-inf"), "'-inf");
    }

    #[test]
    fn plain_text_and_numbers_are_written_as_they_are() {
        assert_eq!(defuse("FRA"), "FRA");
        assert_eq!(defuse("a = b"), "a = b");
        assert_eq!(defuse("-3"), "-3");
        assert_eq!(defuse("+1.5e3"), "+1.5e3");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn the_table_is_rfc_4180_with_every_cell_defused() {
        let bytes = write(
            &["donor", "what"],
            [["FRA", "=1+1"], ["GBR", "air, \"sea\""]],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "donor,what\nFRA,'=1+1\nGBR,\"air, \"\"sea\"\"\"\n"
        );
    }
}
