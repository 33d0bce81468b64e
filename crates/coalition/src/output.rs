//! Human or `--json` output: one JSON document on stdout for scripts, readable text otherwise.

use serde::Serialize;

/// Prints `value` as one pretty JSON document on stdout.
pub(crate) fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
