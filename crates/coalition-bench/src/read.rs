//! `read`: a current-state read of a long coalition as a long-lived process (a server node)
//! serves it — from the state the ledger keeps, after reading only what was appended since —
//! against the same read rebuilt by a full replay, in the same process.

use std::path::Path;
use std::time::{Duration, Instant};

use coalition_core::id::CoalitionId;
use coalition_ledger::{AsOf, Ledger};
use coalition_store::{OpenOptions, sqlite_url};
use serde_json::json;

use crate::failure::bad_input;
use crate::replay::{COALITION, build};
use crate::report::{DATABASE_FILE, ms, print_json, quantile, scratch};

pub(crate) async fn run(
    events: u64,
    samples: usize,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    if events < 100 || samples == 0 {
        return Err(bad_input(
            "--events: expected at least 100; --samples: at least 1",
        ));
    }
    let dir = scratch(dir, "bench-read")?;
    let (count, _) = build(&dir, events).await?;
    let store =
        coalition_store::open(&sqlite_url(&dir.join(DATABASE_FILE)), OpenOptions::READ).await?;
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse(COALITION)?;

    let started = Instant::now();
    ledger.current(&id).await?;
    let first = started.elapsed();

    let mut kept = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        let current = ledger.current(&id).await?;
        kept.push(started.elapsed());
        assert_eq!(current.head.seq, count, "the kept state is at the head");
    }
    // A replay takes as long as the first read: a few samples suffice.
    let mut replays = Vec::new();
    for _ in 0..samples.clamp(1, 5) {
        let started = Instant::now();
        ledger.replay(&id, AsOf::EVERYTHING).await?;
        replays.push(started.elapsed());
    }
    store.close().await;
    kept.sort();
    replays.sort();
    let median = |sorted: &[Duration]| quantile(sorted, 0.5);
    let ratio = median(&replays).as_secs_f64() / median(&kept).as_secs_f64();
    if json {
        return print_json(&json!({
            "events": count,
            "first_read_ms": ms(first),
            "kept_p50_ms": ms(median(&kept)),
            "kept_p99_ms": ms(quantile(&kept, 0.99)),
            "replay_p50_ms": ms(median(&replays)),
            "ratio": ratio,
        }));
    }
    println!(
        "{count} events; the first read (catching up from nothing) took {:.1} ms",
        ms(first)
    );
    println!(
        "  served from the kept state: p50 {:.3} ms, p99 {:.3} ms over {samples} reads",
        ms(median(&kept)),
        ms(quantile(&kept, 0.99))
    );
    println!(
        "ratio {ratio:.0}: a read from the kept state against the baseline, a full replay of the same log, p50 {:.1} ms",
        ms(median(&replays))
    );
    Ok(())
}
