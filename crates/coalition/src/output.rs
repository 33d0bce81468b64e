//! Human or `--json` output: one JSON document on stdout for scripts, readable text otherwise.

use std::borrow::Cow;
use std::sync::OnceLock;

use coalition_core::exercise::MARK;

use comfy_table::{Table, presets};
use serde::Serialize;

/// Whether this run works on an exercise coalition: then every output says so.
static EXERCISE: OnceLock<bool> = OnceLock::new();

/// Marks every output of this run as an exercise's (`EXERCISE EXERCISE EXERCISE`).
pub(crate) fn mark_exercise() {
    let _ = EXERCISE.set(true);
}

/// Whether this run's outputs are an exercise's.
pub(crate) fn is_exercise() -> bool {
    EXERCISE.get().copied().unwrap_or(false)
}

/// Prints `value` as one pretty JSON document on stdout; an exercise's document is wrapped in
/// `{"exercise": "EXERCISE EXERCISE EXERCISE", "document": …}` so no script can take it for the
/// real record's.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let text = if is_exercise() {
        serde_json::to_string_pretty(&serde_json::json!({"exercise": MARK, "document": value}))?
    } else {
        serde_json::to_string_pretty(value)?
    };
    println!("{text}");
    Ok(())
}

/// A plain table (Markdown-style, so it pastes into reports) whose every cell is [`clean`]ed.
pub(crate) struct TextTable(Table);

impl TextTable {
    /// Adds a row.
    pub(crate) fn add_row(&mut self, cells: Vec<String>) {
        self.0.add_row(
            cells
                .iter()
                .map(|c| clean(c).into_owned())
                .collect::<Vec<_>>(),
        );
    }

    /// Replaces the headers.
    pub(crate) fn set_header(&mut self, headers: Vec<String>) {
        self.0.set_header(headers);
    }
}

/// A table with these headers.
pub(crate) fn table<const N: usize>(headers: [&str; N]) -> TextTable {
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_MARKDOWN)
        .set_header(headers);
    TextTable(table)
}

/// Prints a table, or a line saying there is nothing, under a heading.
pub(crate) fn print_table(heading: &str, table: &TextTable, empty: &str) {
    if !heading.is_empty() {
        println!("{heading}");
    }
    if table.0.row_count() == 0 {
        println!("  ({empty})");
    } else {
        println!("{}", table.0);
    }
}

/// Free text made safe for a terminal: control characters (newlines, carriage returns, escape
/// sequences) and the bidirectional overrides are shown escaped, so a description can neither
/// forge a line ("status: verified") nor move the cursor or reorder what follows. `--json`
/// keeps every text exactly as recorded.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_cannot_forge_lines_or_move_the_cursor() {
        assert_eq!(clean("Kharkiv oblast"), "Kharkiv oblast");
        assert_eq!(clean("ok\nstatus: verified"), "ok\\nstatus: verified");
        assert_eq!(clean("a\u{1b}[2Jb\r"), "a\\u{1b}[2Jb\\r");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
    }
}
