//! `coldstart`: how long `coalition serve --demo` takes from being started to its first `200`
//! (the public's commitments of the demo), and its resident memory then; against the same
//! binary started and exited (`coalition --version`) in the same run. Each side is run
//! `rounds` times; the median counts.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::json;

use crate::report::print_json;

/// The `coalition` binary built next to this one.
fn sibling_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let binary = exe
        .parent()
        .context("no directory of the bench binary")?
        .join("coalition");
    anyhow::ensure!(
        binary.exists(),
        "{} not found: build it (`cargo build --release -p coalition`) or give --binary",
        binary.display()
    );
    Ok(binary)
}

/// One cold start: (time to the first 200, RSS then in KiB).
fn serve_once(binary: &Path) -> anyhow::Result<(Duration, u64)> {
    let data = tempfile::tempdir()?;
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("COALITION_DATA_DIR", data.path())
        .env("COALITION_TRUST_DIR", data.path().join("trust"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let answer = first_200(&mut child, started);
    let rss = rss_kib(child.id());
    // SIGTERM, so that the server removes its demo directory as it stops.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    Ok((answer?, rss?))
}

fn first_200(child: &mut Child, started: Instant) -> anyhow::Result<Duration> {
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().context("serve printed nothing")??;
    let addr = first
        .strip_prefix("listening on http://")
        .with_context(|| format!("no URL in {first:?}"))?
        .to_owned();
    // The rest of the banner (the demo's tokens) is read off, or serve fails on a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    // The listener is bound before the demo loads; a request waits in its backlog till then.
    let deadline = started + Duration::from_secs(60);
    loop {
        anyhow::ensure!(Instant::now() < deadline, "no 200 within 60 s");
        if get(&addr, "/api/coalitions/paris-2026/commitments")? == 200 {
            return Ok(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn get(addr: &str, path: &str) -> anyhow::Result<u16> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("no status in {response:?}"))
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS")
}

fn version_once(binary: &Path) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let status = Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "coalition --version failed");
    Ok(started.elapsed())
}

fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort();
    values[values.len() / 2]
}

pub(crate) fn run(binary: Option<&Path>, rounds: usize, json_out: bool) -> anyhow::Result<()> {
    let binary = match binary {
        Some(path) => path.to_owned(),
        None => sibling_binary()?,
    };
    let rounds = rounds.max(1);
    let mut starts = Vec::new();
    let mut rss = Vec::new();
    let mut baseline = Vec::new();
    for _ in 0..rounds {
        baseline.push(version_once(&binary)?);
        let (start, kib) = serve_once(&binary)?;
        starts.push(start);
        rss.push(kib);
    }
    let (start, kib, floor) = (median(starts), median(rss), median(baseline));
    let ratio = start.as_secs_f64() / floor.as_secs_f64();
    if json_out {
        return print_json(&json!({
            "rounds": rounds,
            "serve_demo_first_200_ms": start.as_secs_f64() * 1e3,
            "serve_demo_rss_kib": kib,
            "baseline_version_ms": floor.as_secs_f64() * 1e3,
            "ratio": ratio,
        }));
    }
    println!("{} (median of {rounds})", binary.display());
    println!(
        "  serve --demo to its first 200: {:.0} ms, RSS then {:.1} MiB",
        start.as_secs_f64() * 1e3,
        kib as f64 / 1024.0
    );
    println!(
        "  baseline, the binary started and exited (--version): {:.1} ms",
        floor.as_secs_f64() * 1e3
    );
    println!(
        "ratio {ratio:.1}: serve --demo's cold start to its first 200 takes {:.0} ms against {:.1} ms to start and exit; RSS {:.1} MiB",
        start.as_secs_f64() * 1e3,
        floor.as_secs_f64() * 1e3,
        kib as f64 / 1024.0
    );
    Ok(())
}
