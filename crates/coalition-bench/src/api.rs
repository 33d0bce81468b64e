//! `api`: requests per second and latency of the HTTP API on loopback, each against a baseline
//! in the same run: a bare axum hello-world route in the same process (what HTTP itself costs),
//! and the same `App` call made in process (what the API adds to the application).
//!
//! Read: `GET …/commitments` with a principal's token. Write: `POST …/requests` reporting an
//! incident with the monitor's token. Both over a fresh Paris demo; `--clients` connections
//! each, for `--seconds` a side.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use coalition_app::clock::SystemClock;
use coalition_app::keys::FileLogKeys;
use coalition_app::request::NewIncidentRequest;
use coalition_app::tokens::FileTokenStore;
use coalition_app::trust::DirTrustStore;
use coalition_app::views::CommitmentFilter;
use coalition_app::{Access, App, Config, Reading, Request, Who};
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PartyCode, PrincipalId};
use coalition_core::incident::IncidentKind;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;

use crate::report::{print_json, scratch};

/// What one side measured.
struct Side {
    name: &'static str,
    requests: u64,
    elapsed: Duration,
    /// Sorted latencies (empty for in-process sides measured in bulk).
    latencies: Vec<Duration>,
}

impl Side {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Option<Duration> {
        let last = self.latencies.len().checked_sub(1)?;
        Some(self.latencies[((last as f64) * p).round() as usize])
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "side": self.name,
            "requests": self.requests,
            "seconds": self.elapsed.as_secs_f64(),
            "per_second": self.per_second(),
            "p50_us": self.percentile(0.5).map(|d| d.as_micros() as u64),
            "p99_us": self.percentile(0.99).map(|d| d.as_micros() as u64),
        })
    }
}

/// Runs `clients` loops of `call` for `seconds`, timing each call.
async fn load<F, Fut>(
    name: &'static str,
    clients: usize,
    seconds: f64,
    call: F,
) -> anyhow::Result<Side>
where
    F: Fn(u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = client as u64 * 1_000_000;
                while Instant::now() < until {
                    let start = Instant::now();
                    call(n).await?;
                    latencies.push(start.elapsed());
                    n += 1;
                }
                anyhow::Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Ok(Side {
        name,
        requests: latencies.len() as u64,
        elapsed,
        latencies,
    })
}

pub(crate) async fn run(
    seconds: f64,
    clients: usize,
    dir: Option<&std::path::Path>,
    json_out: bool,
) -> anyhow::Result<()> {
    let dir = scratch(dir, "api")?;
    let config = Config {
        database: format!("sqlite://{}", dir.join("coalition.sqlite").display()),
        log_keys: Arc::new(FileLogKeys::in_data_dir(&dir)),
        trust: Arc::new(DirTrustStore::new(dir.join("trust"))),
        clock: Arc::new(SystemClock),
        tokens: Arc::new(FileTokenStore::in_data_dir(&dir)),
        connections: 4,
    };
    let app = Arc::new(App::open(config, Access::Write).await?);
    let coalition: CoalitionId = app.demo(false, &dir.join("demo-keys")).await?.coalition;
    let reader_id = PrincipalId::parse("macron")?;
    let monitor = PrincipalId::parse("monitor")?;
    let read_token = app
        .issue_token(&coalition, &reader_id, "bench", None)
        .await?
        .token;
    let write_token = app
        .issue_token(&coalition, &monitor, "bench", None)
        .await?
        .token;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let api = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(coalition_server::serve(
        listener,
        app.clone(),
        // Writes are measured, not limited: the limits stay far above what the loop sends.
        coalition_server::Options {
            limits: unlimited_writes(),
            ..coalition_server::Options::default()
        },
        async move {
            let _ = stopped.await;
        },
    ));
    let hello_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hello = format!("http://{}/hello", hello_listener.local_addr()?);
    tokio::spawn(async move {
        let router = axum::Router::new().route("/hello", axum::routing::get(|| async { "hello" }));
        axum::serve(hello_listener, router).await
    });

    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let get = |url: String, token: Option<String>| {
        let client = client.clone();
        move |_: u64| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            async move {
                let mut request = axum::http::Request::get(url);
                if let Some(token) = token {
                    request = request.header("authorization", format!("Bearer {token}"));
                }
                let response = client.request(request.body(Full::default())?).await?;
                anyhow::ensure!(response.status() == 200, "status {}", response.status());
                response.into_body().collect().await?;
                Ok(())
            }
        }
    };

    let hello_side = load("axum hello-world", clients, seconds, get(hello, None)).await?;
    let read_path = format!("{api}/api/coalitions/{coalition}/commitments?limit=1000");
    let read_api = load(
        "GET commitments (API)",
        clients,
        seconds,
        get(read_path, Some(read_token)),
    )
    .await?;
    let read_app = {
        let (app, coalition, who) = (app.clone(), coalition.clone(), reader_id.clone());
        load("the same read in process", clients, seconds, move |_| {
            let (app, coalition, who) = (app.clone(), coalition.clone(), who.clone());
            async move {
                let reader = app
                    .read(&coalition, &Reading::by(Who::Principal(who)))
                    .await?;
                let body = serde_json::to_vec(&reader.commitments(&CommitmentFilter::default()))?;
                std::hint::black_box(body);
                Ok(())
            }
        })
        .await?
    };

    let incident = |n: u64| NewIncidentRequest {
        aggressor: PartyCode::parse("RUS").unwrap_or_else(|_| unreachable!()),
        target: PartyCode::parse("UKR").unwrap_or_else(|_| unreachable!()),
        kind: IncidentKind::ArmedAttack,
        at: Timestamp::parse("2026-11-01T00:00:00Z").unwrap_or_else(|_| unreachable!()),
        location: format!("bench #{n}"),
        description: String::new(),
        evidence: Vec::new(),
        nuclear_weapons_used: false,
        classification: None,
        releasable_to: None,
        reported_at: None,
    };
    let write_api = {
        let (client, url, token) = (
            client.clone(),
            format!("{api}/api/coalitions/{coalition}/requests"),
            write_token.clone(),
        );
        load("POST report-incident (API)", clients, seconds, move |n| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            let body = serde_json::to_vec(&Request::ReportIncident(Box::new(incident(n))));
            async move {
                let request = axum::http::Request::post(url)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body?)))?;
                let response = client.request(request).await?;
                anyhow::ensure!(response.status() == 201, "status {}", response.status());
                response.into_body().collect().await?;
                Ok(())
            }
        })
        .await?
    };
    let write_app = {
        let (app, coalition, monitor) = (app.clone(), coalition.clone(), monitor.clone());
        load("the same write in process", clients, seconds, move |n| {
            let (app, coalition, monitor) = (app.clone(), coalition.clone(), monitor.clone());
            async move {
                let receipt = app
                    .submit(
                        &coalition,
                        &monitor,
                        Request::ReportIncident(Box::new(incident(n + 500_000))),
                    )
                    .await?;
                std::hint::black_box(serde_json::to_vec(&receipt)?);
                Ok(())
            }
        })
        .await?
    };
    let _ = stop.send(());
    served.await??;

    let sides = [&hello_side, &read_api, &read_app, &write_api, &write_app];
    let read_vs_hello = read_api.per_second() / hello_side.per_second();
    let read_vs_app = read_api.per_second() / read_app.per_second();
    let write_vs_app = write_api.per_second() / write_app.per_second();
    if json_out {
        return print_json(&json!({
            "clients": clients,
            "sides": sides.iter().map(|s| s.json()).collect::<Vec<_>>(),
            "read_api_over_hello": read_vs_hello,
            "read_api_over_in_process": read_vs_app,
            "write_api_over_in_process": write_vs_app,
        }));
    }
    println!(
        "{clients} clients, {seconds} s a side, loopback, a fresh Paris demo in {}",
        dir.display()
    );
    for side in sides {
        let us =
            |d: Option<Duration>| d.map_or("-".to_owned(), |d| format!("{} µs", d.as_micros()));
        println!(
            "  {:<28} {:>9.0} req/s   p50 {:>9}   p99 {:>9}   ({} requests)",
            side.name,
            side.per_second(),
            us(side.percentile(0.5)),
            us(side.percentile(0.99)),
            side.requests
        );
    }
    println!(
        "read: API {:.0}% of hello-world, {:.0}% of the same read in process; write: API {:.0}% of the same write in process",
        100.0 * read_vs_hello,
        100.0 * read_vs_app,
        100.0 * write_vs_app
    );
    Ok(())
}

/// Limits that never refuse a bench's writes (failed authentications stay limited).
pub(crate) fn unlimited_writes() -> coalition_server::Limits {
    let unlimited = coalition_server::Rate {
        burst: u32::MAX,
        per_minute: u32::MAX,
    };
    coalition_server::Limits {
        writes_per_token: unlimited,
        writes_per_address: unlimited,
        ..coalition_server::Limits::default()
    }
}
