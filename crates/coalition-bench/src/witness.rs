//! `witness`: the witness protocol on loopback.
//!
//! 1. add-checkpoint round trips per second against one witness (a growing log: each request
//!    carries a consistency proof, each answer waits for the fsync of the new state), against
//!    two baselines in the same run: the same POSTs to a route that answers at once (HTTP on
//!    loopback alone), and the durable write of the same note alone (temporary file, fsync,
//!    rename, directory fsync).
//! 2. Gathering a 5-of-7 quorum with one witness down (it accepts connections and never
//!    answers): the time until the fifth cosignature arrives, and the time `gather` (what `log
//!    checkpoint` calls) takes to return, bounded by its timeout; against all seven up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, sign_checkpoint};
use coalition_ledger::merkle::{leaf_hash, root};
use coalition_witness::client::{self, Endpoint, HttpClientHandle, Outcome};
use coalition_witness::{Witness, WitnessedLog, init};
use ed25519_dalek::SigningKey;
use futures_util::StreamExt as _;

use crate::report::{ms, print_json, scratch};

const ORIGIN: &str = "coalition/bench-witness";

fn note(leaves: &[Hash], log: &SigningKey) -> anyhow::Result<String> {
    let checkpoint = Checkpoint::new(ORIGIN, leaves.len() as u64, root(leaves));
    Ok(sign_checkpoint(&checkpoint, ORIGIN, log)?)
}

/// Starts a witness in `dir` on a loopback port; returns its endpoint.
async fn start_witness(
    dir: &std::path::Path,
    name: &str,
    log: &SigningKey,
) -> anyhow::Result<Endpoint> {
    let key = init(dir, name)?;
    let log_key = VerifierKey::new(ORIGIN, log.verifying_key())?;
    let witness = Arc::new(Witness::open(dir, vec![WitnessedLog { key: log_key }])?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let clock: coalition_witness::server::Clock = Arc::new(|| 1_767_225_600);
    tokio::spawn(coalition_witness::server::serve(
        listener,
        witness,
        clock,
        std::future::pending(),
    ));
    Ok(Endpoint { key, url })
}

/// A witness that is down in the worst way: it accepts connections and never answers.
async fn start_hung(name: &str) -> anyhow::Result<Endpoint> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let key = coalition_ledger::cosignature::CosignerKey::new(
        name,
        SigningKey::from_bytes(&[77; 32]).verifying_key(),
    )?;
    Ok(Endpoint { key, url })
}

/// A route that answers every POST at once, for the loopback baseline.
async fn start_noop() -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let app = axum::Router::new().route(
        "/add-checkpoint",
        axum::routing::post(|_body: String| async { "\u{2014} noop AAAA\n" }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

pub(crate) async fn run(
    round_trips: usize,
    rounds: usize,
    timeout: Duration,
    json: bool,
) -> anyhow::Result<()> {
    let dir = scratch(None, "witness")?;
    let log = SigningKey::from_bytes(&[5; 32]);
    let leaves: Vec<Hash> = (0..=round_trips as u64 + rounds as u64 + 1)
        .map(|i| leaf_hash(&i.to_be_bytes()))
        .collect();
    let notes: Vec<String> = (1..=round_trips)
        .map(|n| note(&leaves[..n], &log))
        .collect::<anyhow::Result<_>>()?;

    // 1. Round trips against one witness.
    let one = start_witness(&dir.join("one"), "bench/one", &log).await?;
    let http = HttpClientHandle::default();
    let started = Instant::now();
    for (i, note) in notes.iter().enumerate() {
        match client::add_checkpoint(&http, &one, note, &leaves[..=i], i as u64).await {
            Outcome::Cosigned(_) => {}
            other => anyhow::bail!("round trip {} was not cosigned: {other:?}", i + 1),
        }
    }
    let witness_elapsed = started.elapsed();
    // Baseline: the same POSTs to a route that answers at once.
    let noop = start_noop().await?;
    let started = Instant::now();
    for (i, note) in notes.iter().enumerate() {
        let endpoint = Endpoint {
            key: one.key.clone(),
            url: noop.clone(),
        };
        // The no-op's answer is no valid cosignature: it is the HTTP exchange that is timed.
        let _ = client::add_checkpoint(&http, &endpoint, note, &leaves[..=i], i as u64).await;
    }
    let noop_elapsed = started.elapsed();
    // Baseline: the durable write alone.
    let scratch_file = dir.join("durable.checkpoint");
    let started = Instant::now();
    for note in &notes {
        coalition_witness::state::write_durably(&scratch_file, note.as_bytes())?;
    }
    let write_elapsed = started.elapsed();
    let per_s = |d: Duration| round_trips as f64 / d.as_secs_f64();

    // 2. Gathering 5 of 7, one hung, against all 7 up.
    let mut up = Vec::new();
    for i in 0..7 {
        up.push(start_witness(&dir.join(format!("w{i}")), &format!("bench/w{i}"), &log).await?);
    }
    let mut one_down = up[..6].to_vec();
    one_down.push(start_hung("bench/down").await?);
    let mut quorum_all = Vec::new();
    let mut quorum_down = Vec::new();
    let mut gather_all = Vec::new();
    let mut gather_down = Vec::new();
    let mut size = 0;
    for _ in 0..rounds {
        for (endpoints, quorum_times, gather_times) in [
            (&up, &mut quorum_all, &mut gather_all),
            (&one_down, &mut quorum_down, &mut gather_down),
        ] {
            size += 1;
            let tree = &leaves[..size];
            let note = note(tree, &log)?;
            // The time until the fifth cosignature, asking all seven at once.
            let started = Instant::now();
            let mut asks: futures_util::stream::FuturesUnordered<_> = endpoints
                .iter()
                .map(|e| {
                    let http = http.clone();
                    let note = note.clone();
                    async move {
                        tokio::time::timeout(
                            timeout,
                            client::add_checkpoint(&http, e, &note, tree, 0),
                        )
                        .await
                        .unwrap_or(Outcome::TimedOut)
                    }
                })
                .collect();
            let mut cosigned = 0;
            let mut reached = None;
            while let Some(outcome) = asks.next().await {
                if matches!(outcome, Outcome::Cosigned(_)) {
                    cosigned += 1;
                    if cosigned == 5 && reached.is_none() {
                        reached = Some(started.elapsed());
                    }
                }
            }
            quorum_times.push(reached.ok_or_else(|| anyhow::anyhow!("no quorum of 5"))?);
            // What `log checkpoint` waits: every answer, or the timeout. (The checkpoint is
            // asked again: already held, each witness cosigns it once more.)
            let started = Instant::now();
            let outcomes = client::gather(endpoints, &note, tree, timeout).await;
            gather_times.push(started.elapsed());
            let got = outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Cosigned(_)))
                .count();
            anyhow::ensure!(got >= 5, "gather got {got} cosignatures");
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (qa, qd, ga, gd) = (
        median(&mut quorum_all),
        median(&mut quorum_down),
        median(&mut gather_all),
        median(&mut gather_down),
    );
    if json {
        return print_json(&serde_json::json!({
            "round_trips": round_trips,
            "add_checkpoint_per_s": per_s(witness_elapsed),
            "noop_post_per_s": per_s(noop_elapsed),
            "durable_write_per_s": per_s(write_elapsed),
            "rounds": rounds,
            "timeout_ms": ms(timeout),
            "quorum_5_of_7_all_up_ms": ms(qa),
            "quorum_5_of_7_one_down_ms": ms(qd),
            "gather_all_up_ms": ms(ga),
            "gather_one_down_ms": ms(gd),
        }));
    }
    println!(
        "add-checkpoint, one witness on loopback: {:.0} round trips/s ({round_trips}, each fsynced); baselines: no-op POST {:.0}/s, durable write alone {:.0}/s",
        per_s(witness_elapsed),
        per_s(noop_elapsed),
        per_s(write_elapsed)
    );
    println!(
        "5 of 7 witnesses, median of {rounds}: quorum reached in {:.1} ms with one down vs {:.1} ms all up; gather returns in {:.1} ms with one down (timeout {:.0} ms) vs {:.1} ms all up",
        ms(qd),
        ms(qa),
        ms(gd),
        ms(timeout),
        ms(ga)
    );
    println!(
        "ratio: add-checkpoint / no-op POST {:.2}, add-checkpoint / durable write {:.2}; quorum one down / all up {:.2}",
        witness_elapsed.as_secs_f64() / noop_elapsed.as_secs_f64(),
        witness_elapsed.as_secs_f64() / write_elapsed.as_secs_f64(),
        qd.as_secs_f64() / qa.as_secs_f64()
    );
    Ok(())
}
