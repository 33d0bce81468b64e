//! `append`: durable appends through the ledger (decide, seal, check the head, append, one
//! event per transaction) against a bare insert per transaction with the same durability; with
//! `--postgres`, the same on a PostgreSQL server of the bench's own too, in the same run.

use std::path::Path;
use std::time::{Duration, Instant};

use coalition_core::id::CoalitionId;
use coalition_ledger::Ledger;
use coalition_store::{OpenOptions, sqlite_url};
use serde_json::json;
use sqlx::Connection as _;
use sqlx::sqlite::SqliteSynchronous;

use crate::failure::bad_input;
use crate::report::{DATABASE_FILE, now, print_json, scratch};
use crate::{raw, world};

pub(crate) async fn run(
    events: u64,
    dir: Option<&Path>,
    postgres: bool,
    json: bool,
) -> anyhow::Result<()> {
    if events == 0 {
        return Err(bad_input("--events: expected at least 1"));
    }
    let dir = scratch(dir, "bench-append")?;
    let now = now();
    let postgres = if postgres {
        Some(on_postgres(events).await?)
    } else {
        None
    };

    // Baseline: the same durability, a bare one-row insert per transaction, no hashing.
    let mut bare = raw::connect(&dir.join("baseline.sqlite"), SqliteSynchronous::Full).await?;
    let payload = vec![b'x'; 600];
    let started = Instant::now();
    for n in 0..events {
        raw::bare_insert(&mut bare, n, &payload).await?;
    }
    let baseline = started.elapsed();
    bare.close().await?;

    // Ours: decide, seal (canonical JSON + SHA-256), check the head and append, one event per
    // transaction, acknowledged after COMMIT.
    let store =
        coalition_store::open(&sqlite_url(&dir.join(DATABASE_FILE)), OpenOptions::WRITE).await?;
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse("bench-append")?;
    let (actor, founding) = world::founding(&id)?;
    ledger.execute(&id, &actor, now, &founding).await?;
    let report = world::report_incident()?;
    let started = Instant::now();
    for _ in 0..events {
        ledger
            .execute(&id, &actor, now, std::slice::from_ref(&report))
            .await?;
    }
    let ours = started.elapsed();
    store.close().await;

    let per_second = |d: Duration| events as f64 / d.as_secs_f64();
    let ratio = per_second(ours) / per_second(baseline);
    if json {
        let mut report = json!({
            "events": events,
            "ledger_appends_per_second": per_second(ours),
            "baseline_inserts_per_second": per_second(baseline),
            "ratio": ratio,
            "dir": dir,
        });
        if let Some((pg_ours, pg_bare)) = postgres {
            report["postgres"] = json!({
                "ledger_appends_per_second": per_second(pg_ours),
                "baseline_inserts_per_second": per_second(pg_bare),
                "ratio": per_second(pg_ours) / per_second(pg_bare),
                "against_sqlite": per_second(pg_ours) / per_second(ours),
            });
        }
        return print_json(&report);
    }
    if let Some((pg_ours, pg_bare)) = postgres {
        println!(
            "durable appends on PostgreSQL (fsync, synchronous_commit=on, SERIALIZABLE), one per transaction, {events} each:"
        );
        println!(
            "  ours (decide+seal+check+append): {:>9.0}/s; bare INSERT per transaction {:.0}/s; ratio {:.3}",
            per_second(pg_ours),
            per_second(pg_bare),
            per_second(pg_ours) / per_second(pg_bare)
        );
        println!(
            "  PostgreSQL against SQLite (ours on each, same run): {:.3}",
            per_second(pg_ours) / per_second(ours)
        );
    }
    println!("durable appends, one per transaction, WAL + synchronous=FULL, {events} each:");
    println!(
        "  ours (decide+seal+check+append): {:>9.0}/s",
        per_second(ours)
    );
    println!(
        "ratio {ratio:.3}: ours {:.0}/s against the baseline, a bare INSERT per transaction, {:.0}/s",
        per_second(ours),
        per_second(baseline)
    );
    Ok(())
}

/// Ours and the bare INSERT loop on a PostgreSQL server started for the run: (ours, baseline).
async fn on_postgres(events: u64) -> anyhow::Result<(Duration, Duration)> {
    let cluster =
        coalition_pgtest::Cluster::start().map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?;
    let url = cluster
        .create_database("bench")
        .map_err(|e| anyhow::anyhow!(e))?;
    let mut bare = sqlx::PgConnection::connect(&url).await?;
    sqlx::query("CREATE TABLE baseline (n BIGINT PRIMARY KEY, payload BYTEA NOT NULL)")
        .execute(&mut bare)
        .await?;
    let payload = vec![b'x'; 600];
    let started = Instant::now();
    for n in 0..events {
        raw::bare_insert_postgres(&mut bare, n, &payload).await?;
    }
    let baseline = started.elapsed();
    bare.close().await?;

    let store = coalition_store::open(&url, OpenOptions::WRITE).await?;
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse("bench-append")?;
    let (actor, founding) = world::founding(&id)?;
    let now = now();
    ledger.execute(&id, &actor, now, &founding).await?;
    let report = world::report_incident()?;
    let started = Instant::now();
    for _ in 0..events {
        ledger
            .execute(&id, &actor, now, std::slice::from_ref(&report))
            .await?;
    }
    let ours = started.elapsed();
    store.close().await;
    Ok((ours, baseline))
}
