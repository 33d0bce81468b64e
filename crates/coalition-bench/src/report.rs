//! What every bench shares: scratch directories, the clock, JSON output, timing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use coalition_core::dates::Timestamp;

/// The database file inside a data directory, as the CLI names it.
pub(crate) const DATABASE_FILE: &str = "coalition.sqlite";

/// A scratch directory: the one given, or a new temporary one kept for inspection.
pub(crate) fn scratch(dir: Option<&Path>, label: &str) -> anyhow::Result<PathBuf> {
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            Ok(dir.to_owned())
        }
        None => Ok(tempfile::Builder::new()
            .prefix(&format!("coalition-{label}-"))
            .tempdir()?
            .keep()),
    }
}

/// The time now, for the events the benches record.
pub(crate) fn now() -> Timestamp {
    #[allow(clippy::disallowed_methods)] // a bench's own clock: it records throwaway logs
    Timestamp::from_datetime(time::OffsetDateTime::now_utc())
}

/// Prints one JSON document.
pub(crate) fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The fastest of `rounds` runs of `f`, which must succeed.
pub(crate) fn fastest(
    rounds: u32,
    mut f: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        f()?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}

/// The `q` quantile of sorted durations (nearest rank).
pub(crate) fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Milliseconds, for printing.
pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
