//! `append`: durable appends through the ledger (decide, seal, check the head, append, one
//! event per transaction) against a bare insert per transaction with the same durability.

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

pub(crate) async fn run(events: u64, dir: Option<&Path>, json: bool) -> anyhow::Result<()> {
    if events == 0 {
        return Err(bad_input("--events: expected at least 1"));
    }
    let dir = scratch(dir, "bench-append")?;
    let now = now();

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
        return print_json(&json!({
            "events": events,
            "ledger_appends_per_second": per_second(ours),
            "baseline_inserts_per_second": per_second(baseline),
            "ratio": ratio,
            "dir": dir,
        }));
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
