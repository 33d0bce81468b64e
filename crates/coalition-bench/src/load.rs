//! `load`: a mixed read/write load through the HTTP API against one server node, then against
//! two nodes on the same record (PostgreSQL with `--postgres`, else one SQLite file): requests
//! per second, p50/p99 of reads and of writes, and every answer that was not a success (a 409
//! from two writers racing is expected; nothing else is). `--soak-minutes` then runs the
//! two-node mix that long, sampling this process's resident memory: it should stay flat.
//!
//! Reads are `GET …/commitments` as a leader; writes report an incident as the monitor. Both
//! nodes run in this process, each with its own `App` (its own kept state and connections), as
//! two `coalition serve` processes would.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use coalition_app::clock::SystemClock;
use coalition_app::keys::FileLogKeys;
use coalition_app::tokens::FileTokenStore;
use coalition_app::trust::DirTrustStore;
use coalition_app::{Access, App, Config};
use coalition_core::id::{CoalitionId, PrincipalId};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

use crate::failure::bad_input;
use crate::report::{print_json, scratch};

/// What the load asks for.
pub(crate) struct Plan {
    pub(crate) clients: usize,
    pub(crate) seconds: f64,
    /// The share of requests that are writes, 0 to 1.
    pub(crate) write_share: f64,
    pub(crate) soak_minutes: Option<f64>,
    pub(crate) postgres: bool,
}

/// One node: its address, and the stop signal of its server.
struct Node {
    url: String,
    stop: tokio::sync::oneshot::Sender<()>,
}

/// What the clients of one run saw.
#[derive(Default)]
struct Seen {
    reads: Vec<Duration>,
    writes: Vec<Duration>,
    /// Answers that were not 200/201, by status.
    failures: BTreeMap<u16, u64>,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.reads.extend(other.reads);
        self.writes.extend(other.writes);
        for (status, n) in other.failures {
            *self.failures.entry(status).or_default() += n;
        }
    }

    fn requests(&self) -> u64 {
        (self.reads.len() + self.writes.len()) as u64 + self.failures.values().sum::<u64>()
    }

    /// Failures other than the 409s of racing writers.
    fn unexpected(&self) -> u64 {
        self.failures
            .iter()
            .filter(|(status, _)| **status != 409)
            .map(|(_, n)| n)
            .sum()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Option<u64> {
    let last = sorted.len().checked_sub(1)?;
    Some(sorted[((last as f64) * p).round() as usize].as_micros() as u64)
}

/// The record's two tokens and where it is.
struct Record {
    coalition: CoalitionId,
    reader_token: String,
    writer_token: String,
    database: String,
    dir: std::path::PathBuf,
}

async fn open(record_dir: &std::path::Path, database: &str) -> anyhow::Result<Arc<App>> {
    let config = Config {
        database: database.to_owned(),
        log_keys: Arc::new(FileLogKeys::in_data_dir(record_dir)),
        trust: Arc::new(DirTrustStore::new(record_dir.join("trust"))),
        clock: Arc::new(SystemClock),
        tokens: Arc::new(FileTokenStore::in_data_dir(record_dir)),
        connections: 4,
    };
    Ok(Arc::new(App::open(config, Access::Write).await?))
}

async fn serve(app: Arc<App>) -> anyhow::Result<Node> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(coalition_server::serve(
        listener,
        app,
        // The load measures writes, not the rate limiter.
        coalition_server::Options {
            limits: crate::api::unlimited_writes(),
            ..coalition_server::Options::default()
        },
        async move {
            let _ = stopped.await;
        },
    ));
    Ok(Node { url, stop })
}

/// `clients` loops against `nodes` (client k on node k mod n) until `until`.
async fn drive(
    record: &Arc<Record>,
    nodes: &[String],
    clients: usize,
    write_share: f64,
    until: Instant,
) -> anyhow::Result<Seen> {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let tasks: Vec<_> = (0..clients)
        .map(|k| {
            let (client, record) = (client.clone(), record.clone());
            let node = nodes[k % nodes.len()].clone();
            tokio::spawn(async move {
                let mut seen = Seen::default();
                // Writes spread evenly through each client's requests, the same mix every run.
                let mut owed = 0.0;
                let mut n = 0u64;
                while Instant::now() < until {
                    owed += write_share;
                    let write = owed >= 1.0;
                    if write {
                        owed -= 1.0;
                    }
                    let request = if write {
                        let body = json!({"action": "report-incident", "request": {
                            "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
                            "at": "2026-11-01T00:00:00Z",
                            "location": format!("load {k}-{n}")}});
                        axum::http::Request::post(format!(
                            "{node}/api/coalitions/{}/requests",
                            record.coalition
                        ))
                        .header("authorization", format!("Bearer {}", record.writer_token))
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body.to_string())))?
                    } else {
                        axum::http::Request::get(format!(
                            "{node}/api/coalitions/{}/commitments?limit=1000",
                            record.coalition
                        ))
                        .header("authorization", format!("Bearer {}", record.reader_token))
                        .body(Full::default())?
                    };
                    n += 1;
                    let started = Instant::now();
                    let response = client.request(request).await?;
                    let status = response.status().as_u16();
                    response.into_body().collect().await?;
                    match (status, write) {
                        (200, false) => seen.reads.push(started.elapsed()),
                        (201, true) => seen.writes.push(started.elapsed()),
                        (status, _) => *seen.failures.entry(status).or_default() += 1,
                    }
                }
                anyhow::Ok(seen)
            })
        })
        .collect();
    let mut all = Seen::default();
    for task in tasks {
        all.merge(task.await??);
    }
    all.reads.sort();
    all.writes.sort();
    Ok(all)
}

fn summary(name: &str, seen: &Seen, elapsed: Duration) -> Value {
    json!({
        "run": name,
        "requests": seen.requests(),
        "per_second": seen.requests() as f64 / elapsed.as_secs_f64(),
        "reads": seen.reads.len(),
        "read_p50_us": percentile(&seen.reads, 0.5),
        "read_p99_us": percentile(&seen.reads, 0.99),
        "writes": seen.writes.len(),
        "write_p50_us": percentile(&seen.writes, 0.5),
        "write_p99_us": percentile(&seen.writes, 0.99),
        "failures": seen.failures.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "unexpected_failures": seen.unexpected(),
    })
}

/// This process's resident set now (VmRSS), in KiB.
fn rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS in /proc/self/status"))
}

pub(crate) async fn run(
    plan: Plan,
    dir: Option<&std::path::Path>,
    json_out: bool,
) -> anyhow::Result<()> {
    if plan.clients == 0 {
        return Err(bad_input("--clients: expected at least 1"));
    }
    if !(0.0..=1.0).contains(&plan.write_share) {
        return Err(bad_input("--write-share: expected a share from 0 to 1"));
    }
    let dir = scratch(dir, "load")?;
    // Kept for the whole run: dropping it stops the server.
    let cluster = if plan.postgres {
        Some(coalition_pgtest::Cluster::start().map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?)
    } else {
        None
    };
    let database = match &cluster {
        Some(cluster) => cluster
            .create_database("load")
            .map_err(|e| anyhow::anyhow!(e))?,
        None => format!("sqlite://{}", dir.join("coalition.sqlite").display()),
    };
    let first = open(&dir, &database).await?;
    let coalition = first.demo(false, &dir.join("demo-keys")).await?.coalition;
    let token = |principal: &str| {
        let (app, coalition) = (first.clone(), coalition.clone());
        let principal = PrincipalId::parse(principal);
        async move {
            anyhow::Ok(
                app.issue_token(&coalition, &principal?, "load", None)
                    .await?
                    .token,
            )
        }
    };
    let record = Arc::new(Record {
        reader_token: token("macron").await?,
        writer_token: token("monitor").await?,
        coalition,
        database,
        dir,
    });
    let second = open(&record.dir, &record.database).await?;
    let nodes = [serve(first).await?, serve(second).await?];
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();

    let mut runs = Vec::new();
    for (name, on) in [("one node", &urls[..1]), ("two nodes", &urls[..])] {
        let started = Instant::now();
        let until = started + Duration::from_secs_f64(plan.seconds);
        let seen = drive(&record, on, plan.clients, plan.write_share, until).await?;
        runs.push(summary(name, &seen, started.elapsed()));
    }
    let soak = match plan.soak_minutes {
        Some(minutes) => Some(soak(&record, &urls, &plan, minutes).await?),
        None => None,
    };
    for node in nodes {
        let _ = node.stop.send(());
    }
    let backend = if plan.postgres {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    if json_out {
        return print_json(&json!({
            "backend": backend,
            "clients": plan.clients,
            "write_share": plan.write_share,
            "runs": runs,
            "soak": soak,
        }));
    }
    println!(
        "{} clients, {:.0}% writes, {} s a run, on {backend} ({}):",
        plan.clients,
        plan.write_share * 100.0,
        plan.seconds,
        record.dir.display()
    );
    for run in &runs {
        let us = |v: &Value| v.as_u64().map_or("-".to_owned(), |us| format!("{us} µs"));
        println!(
            "  {:<10} {:>7.0} req/s   read p50 {:>9} p99 {:>9}   write p50 {:>9} p99 {:>9}   failures {} ({} unexpected)",
            run["run"].as_str().unwrap_or("-"),
            run["per_second"].as_f64().unwrap_or(0.0),
            us(&run["read_p50_us"]),
            us(&run["read_p99_us"]),
            us(&run["write_p50_us"]),
            us(&run["write_p99_us"]),
            run["failures"],
            run["unexpected_failures"],
        );
    }
    if let Some(soak) = soak {
        println!(
            "  soak {:.1} min on two nodes: {} requests, {} unexpected failures; RSS {} KiB after the first minute, at most {} KiB, {} KiB at the end",
            soak["minutes"].as_f64().unwrap_or(0.0),
            soak["requests"],
            soak["unexpected_failures"],
            soak["rss_after_first_minute_kib"],
            soak["rss_max_kib"],
            soak["rss_end_kib"],
        );
    }
    let unexpected: u64 = runs
        .iter()
        .map(|r| r["unexpected_failures"].as_u64().unwrap_or(0))
        .sum();
    anyhow::ensure!(
        unexpected == 0,
        "{unexpected} requests failed with a status other than 409"
    );
    Ok(())
}

/// The two-node mix for `minutes`, a minute at a time, with the resident memory after each.
async fn soak(
    record: &Arc<Record>,
    urls: &[String],
    plan: &Plan,
    minutes: f64,
) -> anyhow::Result<Value> {
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(minutes * 60.0);
    let mut unexpected = 0;
    let mut rss = Vec::new();
    while Instant::now() < end {
        let until = (Instant::now() + Duration::from_secs(60)).min(end);
        let seen = drive(record, urls, plan.clients, plan.write_share, until).await?;
        // Only counts are kept across minutes: a long soak's latencies would be the memory it
        // measures.
        unexpected += seen.unexpected();
        rss.push((seen.requests(), rss_kib()?));
        eprintln!(
            "soak: {:.1} min, {} requests this minute, RSS {} KiB",
            started.elapsed().as_secs_f64() / 60.0,
            seen.requests(),
            rss.last().map_or(0, |(_, kib)| *kib)
        );
    }
    let requests: u64 = rss.iter().map(|(n, _)| n).sum();
    Ok(json!({
        "minutes": started.elapsed().as_secs_f64() / 60.0,
        "requests": requests,
        "unexpected_failures": unexpected,
        "rss_after_first_minute_kib": rss.first().map(|(_, kib)| kib),
        "rss_max_kib": rss.iter().map(|(_, kib)| *kib).max(),
        "rss_end_kib": rss.last().map(|(_, kib)| kib),
    }))
}
