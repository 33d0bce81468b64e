//! `replay`: reading a long log back — every entry verified (hash, canonical form, link) and
//! applied, as `Ledger::replay` does for `--as-of` reads and a first read does — against a raw
//! scan of the same rows with one SHA-256 each. Each side runs in a process of its own, so each
//! reports its own peak memory. With `--postgres` both sides read the same log from a
//! PostgreSQL server started for the run (the log is built in SQLite and copied there).

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use coalition_core::id::CoalitionId;
use coalition_ledger::{AsOf, Ledger};
use coalition_store::{OpenOptions, sqlite_url};
use serde_json::{Value, json};
use sqlx::Connection as _;
use sqlx::sqlite::SqliteSynchronous;

use crate::failure::bad_input;
use crate::report::{DATABASE_FILE, now, print_json, scratch};
use crate::{raw, world};

/// The coalition the bench writes and reads.
pub(crate) const COALITION: &str = "bench-replay";

/// Events sealed and loaded per transaction while building the log.
const LOAD_BATCH: u64 = 10_000;

/// One side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Side {
    /// `Ledger::replay` on a store opened for reading.
    Ours,
    /// The rows streamed with one SHA-256 each, nothing decoded.
    Baseline,
}

pub(crate) async fn run(
    events: u64,
    dir: Option<&Path>,
    rounds: u32,
    postgres: bool,
    json: bool,
) -> anyhow::Result<()> {
    if events < 100 {
        return Err(bad_input("--events: expected at least 100"));
    }
    let dir = scratch(dir, "bench-replay")?;
    let built = Instant::now();
    let (count, bytes) = build(&dir, events).await?;
    // Kept until both sides are measured: dropping it stops the server.
    let cluster = if postgres {
        Some(coalition_pgtest::Cluster::start().map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?)
    } else {
        None
    };
    let database = match &cluster {
        Some(cluster) => Some(copy_to_postgres(&dir, cluster).await?),
        None => None,
    };
    let build_time = built.elapsed();
    let baseline = measure(&dir, database.as_deref(), Side::Baseline, rounds)?;
    let ours = measure(&dir, database.as_deref(), Side::Ours, rounds)?;
    let backend = if postgres { "PostgreSQL" } else { "SQLite" };
    let rate = |m: &Measured| count as f64 / m.time.as_secs_f64();
    let ratio = rate(&ours) / rate(&baseline);
    let mib = |kib: u64| kib as f64 / 1024.0;
    if json {
        return print_json(&json!({
            "events": count,
            "body_bytes": bytes,
            "build_seconds": build_time.as_secs_f64(),
            "ours_events_per_second": rate(&ours),
            "ours_peak_rss_kib": ours.peak_rss_kib,
            "baseline_events_per_second": rate(&baseline),
            "baseline_peak_rss_kib": baseline.peak_rss_kib,
            "ratio": ratio,
            "backend": backend,
            "dir": dir,
        }));
    }
    println!(
        "{count} events ({:.0} MiB of bodies) in {backend}, prepared in {:.1}s; fastest of {rounds}, each side in its own process:",
        bytes as f64 / (1024.0 * 1024.0),
        build_time.as_secs_f64()
    );
    println!(
        "  ours (read, verify every entry, replay): {:>9.0} events/s, peak RSS {:.0} MiB",
        rate(&ours),
        mib(ours.peak_rss_kib)
    );
    println!(
        "ratio {ratio:.3}: ours {:.0} events/s against the baseline, a raw scan of the rows with one SHA-256 each, {:.0} events/s (peak RSS {:.0} MiB)",
        rate(&ours),
        rate(&baseline),
        mib(baseline.peak_rss_kib)
    );
    Ok(())
}

/// Writes a log of about `events` events: a founding, then commitments and incident reports,
/// decided and sealed as the ledger would, loaded in large transactions. Returns the events
/// and the bytes of their bodies.
pub(crate) async fn build(dir: &Path, events: u64) -> anyhow::Result<(u64, u64)> {
    let path = dir.join(DATABASE_FILE);
    let _ = std::fs::remove_file(&path);
    coalition_store::open(&sqlite_url(&path), OpenOptions::WRITE)
        .await?
        .close()
        .await;
    let mut conn = raw::connect(&path, SqliteSynchronous::Full).await?;
    let id = CoalitionId::parse(COALITION)?;
    let (actor, founding) = world::founding(&id)?;
    let now = now();
    let mut sealer = world::Sealer::new(&id);
    let mut batch = sealer.seal(&actor, now, &founding)?;
    let (mut commitments, mut bytes) = (0u64, 0u64);
    let report = world::report_incident()?;
    while sealer.head().seq < events {
        // One commitment in ten: every event adds to the state, as a real log's would.
        let command = if sealer.head().seq.is_multiple_of(10) {
            commitments += 1;
            world::bench_commitment(commitments)?
        } else {
            report.clone()
        };
        batch.extend(sealer.seal(&actor, now, std::slice::from_ref(&command))?);
        if batch.len() as u64 >= LOAD_BATCH || sealer.head().seq >= events {
            bytes += batch.iter().map(|e| e.body.len() as u64).sum::<u64>();
            raw::bulk_load(&mut conn, &[(id.clone(), std::mem::take(&mut batch))]).await?;
        }
    }
    conn.close().await?;
    Ok((sealer.head().seq, bytes))
}

/// Copies the log built in SQLite into a new database on `cluster`; its URL.
async fn copy_to_postgres(
    dir: &Path,
    cluster: &coalition_pgtest::Cluster,
) -> anyhow::Result<String> {
    let url = cluster
        .create_database("replay")
        .map_err(|e| anyhow::anyhow!(e))?;
    // The store's own migrations make the tables.
    coalition_store::open(&url, OpenOptions::WRITE)
        .await?
        .close()
        .await;
    let id = CoalitionId::parse(COALITION)?;
    let sqlite =
        coalition_store::open(&sqlite_url(&dir.join(DATABASE_FILE)), OpenOptions::READ).await?;
    let mut postgres = sqlx::PgConnection::connect(&url).await?;
    let mut from = 1;
    loop {
        let page = sqlite.read(&id, from, LOAD_BATCH as usize).await?;
        let Some(last) = page.last() else { break };
        from = last.seq + 1;
        raw::bulk_load_postgres(&mut postgres, &id, &page).await?;
    }
    postgres.close().await?;
    sqlite.close().await;
    Ok(url)
}

/// What one side's process reported.
struct Measured {
    time: Duration,
    peak_rss_kib: u64,
}

fn measure(
    dir: &Path,
    database: Option<&str>,
    side: Side,
    rounds: u32,
) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe()?;
    let name = match side {
        Side::Ours => "ours",
        Side::Baseline => "baseline",
    };
    let mut process = Process::new(&exe);
    process.args(["replay-side", "--dir"]).arg(dir).args([
        "--side",
        name,
        "--rounds",
        &rounds.to_string(),
    ]);
    if let Some(database) = database {
        process.args(["--database", database]);
    }
    let output = process
        .output()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    if !output.status.success() {
        anyhow::bail!(
            "the {name} side failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: Value = serde_json::from_slice(&output.stdout)?;
    let seconds = report["seconds"].as_f64().context("no seconds")?;
    Ok(Measured {
        time: Duration::from_secs_f64(seconds),
        peak_rss_kib: report["peak_rss_kib"].as_u64().context("no peak_rss_kib")?,
    })
}

/// Runs one side `rounds` times and prints the fastest time and this process's peak memory.
pub(crate) async fn side(
    dir: &Path,
    database: Option<&str>,
    side: Side,
    rounds: u32,
) -> anyhow::Result<()> {
    let path = dir.join(DATABASE_FILE);
    let url = database.map_or_else(|| sqlite_url(&path), str::to_owned);
    let id = CoalitionId::parse(COALITION)?;
    let mut best = Duration::MAX;
    let mut events = 0;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        events = match side {
            Side::Ours => {
                let store = coalition_store::open(&url, OpenOptions::READ).await?;
                let replayed = Ledger::new(store.clone())
                    .replay(&id, AsOf::EVERYTHING)
                    .await?;
                store.close().await;
                replayed.head.seq
            }
            Side::Baseline if database.is_some() => {
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                let scanned = raw::scan_and_hash_postgres(&mut conn, &id).await?;
                conn.close().await?;
                scanned
            }
            Side::Baseline => {
                let mut conn = raw::connect(&path, SqliteSynchronous::Full).await?;
                let scanned = raw::scan_and_hash(&mut conn, &id).await?;
                conn.close().await?;
                scanned
            }
        };
        best = best.min(started.elapsed());
    }
    print_json(&json!({
        "events": events,
        "seconds": best.as_secs_f64(),
        "peak_rss_kib": peak_rss_kib()?,
    }))
}

/// This process's peak resident set (VmHWM), in KiB.
fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")
}
