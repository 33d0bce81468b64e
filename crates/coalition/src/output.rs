//! Human or `--json` output: one JSON document on stdout for scripts, readable text otherwise.

use comfy_table::{Table, presets};
use serde::Serialize;

/// Prints `value` as one pretty JSON document on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A plain table (Markdown-style, so it pastes into reports) with these headers.
pub(crate) fn table<const N: usize>(headers: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_MARKDOWN)
        .set_header(headers);
    table
}

/// Prints a table, or a line saying there is nothing, under a heading.
pub(crate) fn print_table(heading: &str, table: &Table, empty: &str) {
    if !heading.is_empty() {
        println!("{heading}");
    }
    if table.row_count() == 0 {
        println!("  ({empty})");
    } else {
        println!("{table}");
    }
}
