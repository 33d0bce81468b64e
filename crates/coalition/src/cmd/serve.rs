//! `serve`: the web pages and the HTTP API over a data directory, or over a fresh demo; stops on SIGTERM or
//! ctrl-c after the requests under way.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use coalition_app::{Access, App, Reading};
use coalition_core::id::CoalitionId;
use coalition_server::Options;

use crate::cli::ServeArgs;
use crate::config::{self, DEMO_KEYS};
use crate::failure::bad_input;

pub(crate) fn run(
    data_dir: Option<&Path>,
    database: Option<&str>,
    args: &ServeArgs,
) -> anyhow::Result<()> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let demo = if args.demo {
            Some(DemoDir::create()?)
        } else {
            None
        };
        let (dir, database, trust) = match &demo {
            // The demo's own record and trust directory: a new demo is a new log, not a
            // rewritten one.
            Some(demo) => (demo.0.clone(), None, demo.0.join("trust")),
            None => (config::data_dir(data_dir)?, database, config::trust_dir()?),
        };
        let access = if args.read_only {
            Access::Read
        } else {
            Access::Write
        };
        let app = Arc::new(config::open_with_trust(&dir, database, &trust, access, 4).await?);
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| bad_input(format!("--addr {}: {e}", args.addr)))?;
        let url = format!("http://{}", listener.local_addr()?);
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {url}")?;
        if demo.is_some() {
            writeln!(out, "demo data in {} (removed on exit)", dir.display())?;
            for (principal, token) in demo_tokens(&app, &dir).await? {
                writeln!(out, "token {principal} {token}")?;
            }
        }
        writeln!(out, "ready")?;
        out.flush()?;
        drop(out);
        let options = Options {
            read_only: args.read_only,
            ..Options::default()
        };
        let web = coalition_web::WebOptions {
            always_tls: false,
            read_only: args.read_only,
        };
        let pages = app.clone();
        coalition_server::serve_with(
            listener,
            app.clone(),
            options,
            move |api| coalition_web::site(pages, api, web),
            shutdown(),
        )
        .await?;
        if let Ok(app) = Arc::try_unwrap(app) {
            app.close().await;
        }
        drop(demo);
        Ok(())
    })
}

/// Loads the Paris demo and issues one token per demo principal.
async fn demo_tokens(app: &App, dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let summary = app.demo(false, &dir.join(DEMO_KEYS)).await?;
    let coalition: CoalitionId = summary.coalition;
    let reader = app.read(&coalition, &Reading::custodian()).await?;
    let mut tokens = Vec::new();
    for principal in reader.principals() {
        let issued = app
            .issue_token(&coalition, &principal.id, "serve --demo", None)
            .await?;
        tokens.push((principal.id.to_string(), issued.token));
    }
    Ok(tokens)
}

/// Resolves on SIGTERM or ctrl-c.
pub(crate) async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// One line per request on stderr, filtered by `RUST_LOG` (default `info`).
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// A fresh temporary data directory for the demo, removed when the server stops.
struct DemoDir(PathBuf);

impl DemoDir {
    fn create() -> anyhow::Result<DemoDir> {
        let mut suffix = [0u8; 8];
        getrandom::fill(&mut suffix).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let name: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("coalition-demo-{name}"));
        std::fs::create_dir(&dir)?;
        Ok(DemoDir(dir))
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
