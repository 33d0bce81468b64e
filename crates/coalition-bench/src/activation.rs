//! `activation`: the latency of the confirmation that verifies an incident and opens every
//! obligation (decide, seal, one durable append), over many commitments spread over many
//! coalitions, against one bare durable transaction on the same database.

use std::path::Path;
use std::time::Instant;

use coalition_core::command::Command;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_ledger::Ledger;
use coalition_store::{OpenOptions, sqlite_url};
use rand::Rng as _;
use serde_json::json;
use sqlx::Connection as _;
use sqlx::sqlite::SqliteSynchronous;

use crate::failure::bad_input;
use crate::report::{DATABASE_FILE, ms, print_json, quantile, scratch};
use crate::{raw, world};

/// Coalitions per bulk-load transaction.
const LOAD_BATCH: usize = 200;

pub(crate) async fn run(
    coalitions: u64,
    per_coalition: u64,
    samples: u64,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    if coalitions == 0 || samples == 0 || samples > coalitions {
        return Err(bad_input(
            "expected --coalitions ≥ 1 and 1 ≤ --samples ≤ --coalitions",
        ));
    }
    let dir = scratch(dir, "bench-activation")?;
    let path = dir.join(DATABASE_FILE);
    let url = sqlite_url(&path);
    // Made by the store (tables, WAL), then bulk-loaded beside it.
    coalition_store::open(&url, OpenOptions::WRITE)
        .await?
        .close()
        .await;
    let now = Timestamp::parse("2026-06-02T00:00:00Z")?;
    let progress = indicatif::ProgressBar::new(coalitions);
    progress.set_style(indicatif::ProgressStyle::with_template(
        "loading {pos}/{len} coalitions {wide_bar} {eta}",
    )?);
    let started = Instant::now();
    let mut loader = raw::connect(&path, SqliteSynchronous::Full).await?;
    let mut batch = Vec::new();
    for c in 0..coalitions {
        let id = CoalitionId::parse(&format!("bench-{c}"))?;
        let (actor, mut commands) = world::founding(&id)?;
        for n in 0..per_coalition {
            commands.push(world::bench_commitment(c * per_coalition + n)?);
        }
        let sealed = world::Sealer::new(&id).seal(&actor, now, &commands)?;
        batch.push((id, sealed));
        if batch.len() == LOAD_BATCH {
            raw::bulk_load(&mut loader, &batch).await?;
            batch.clear();
        }
        progress.inc(1);
    }
    raw::bulk_load(&mut loader, &batch).await?;
    progress.finish_and_clear();
    let load_time = started.elapsed();

    let store = coalition_store::open(&url, OpenOptions::WRITE).await?;
    let ledger = Ledger::new(store.clone());
    let monitor = PrincipalId::parse("monitor")?;
    let secretariat = PrincipalId::parse("secretariat")?;
    let mut rng = rand::rng();
    let mut chosen: Vec<u64> = Vec::new();
    while (chosen.len() as u64) < samples {
        let c = rng.random_range(0..coalitions);
        if !chosen.contains(&c) {
            chosen.push(c);
        }
    }
    let mut latencies = Vec::new();
    let mut bare = Vec::new();
    let mut obligations_opened = 0usize;
    let payload = vec![b'x'; 600];
    for (n, c) in chosen.into_iter().enumerate() {
        let id = CoalitionId::parse(&format!("bench-{c}"))?;
        let report = ledger
            .execute(&id, &secretariat, now, &[world::report_incident()?])
            .await?;
        let confirm = Command::ConfirmIncident {
            incident: world::reported(report.entries.iter().map(|(_, e)| e))?,
            at: None,
        };
        let started = Instant::now();
        let receipt = ledger
            .execute(&id, &monitor, now, std::slice::from_ref(&confirm))
            .await?;
        latencies.push(started.elapsed());
        obligations_opened += receipt
            .entries
            .iter()
            .filter(|(_, e)| matches!(e, coalition_core::Event::ObligationOpened { .. }))
            .count();
        // The baseline, interleaved so that both sides see the same machine: one bare durable
        // transaction on the same database file.
        let started = Instant::now();
        raw::bare_insert(&mut loader, n as u64, &payload).await?;
        bare.push(started.elapsed());
    }
    loader.close().await?;
    store.close().await;
    latencies.sort();
    bare.sort();
    let (p50, p99) = (quantile(&latencies, 0.5), quantile(&latencies, 0.99));
    let (bare50, bare99) = (quantile(&bare, 0.5), quantile(&bare, 0.99));
    let per_incident = obligations_opened as f64 / samples as f64;
    let ratio = bare50.as_secs_f64() / p50.as_secs_f64();
    if json {
        return print_json(&json!({
            "coalitions": coalitions,
            "commitments": coalitions * per_coalition,
            "samples": samples,
            "obligations_per_incident": per_incident,
            "p50_ms": ms(p50),
            "p99_ms": ms(p99),
            "baseline_p50_ms": ms(bare50),
            "baseline_p99_ms": ms(bare99),
            "ratio": ratio,
            "load_seconds": load_time.as_secs_f64(),
            "dir": dir,
        }));
    }
    println!(
        "{} commitments over {coalitions} coalitions loaded in {:.1}s",
        coalitions * per_coalition,
        load_time.as_secs_f64()
    );
    println!(
        "activation (confirm → verified → {per_incident:.0} obligations, durable): p50 {:.2} ms, p99 {:.2} ms over {samples} incidents",
        ms(p50),
        ms(p99)
    );
    println!(
        "ratio {ratio:.3} (baseline p50 / ours p50): baseline, one bare durable transaction on the same file, p50 {:.2} ms, p99 {:.2} ms",
        ms(bare50),
        ms(bare99)
    );
    Ok(())
}
