//! `coalition serve` as a real process: the demo's URL and tokens, one log line per request
//! without the token, and a SIGTERM under writers after which every acknowledged write is in the
//! log and the chain verifies.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{DEMO, Env, Serving};

/// One HTTP/1.1 request on its own connection: (status, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

#[test]
fn serve_demo_prints_its_url_and_a_token_per_principal() {
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    let tokens: Vec<(String, String)> = serving
        .banner
        .iter()
        .filter_map(|line| line.strip_prefix("token "))
        .filter_map(|rest| rest.split_once(' '))
        .map(|(principal, token)| (principal.to_owned(), token.to_owned()))
        .collect();
    assert!(tokens.len() >= 5, "{:?}", serving.banner);
    let demo_dir = serving
        .banner
        .iter()
        .find_map(|line| line.strip_prefix("demo data in "))
        .and_then(|rest| rest.strip_suffix(" (removed on exit)"))
        .expect("the demo's directory")
        .to_owned();
    let (principal, token) = &tokens[0];
    let (status, body) = http(
        &serving.addr,
        "GET",
        &format!("/api/coalitions/{DEMO}/commitments"),
        token,
        None,
    )
    .expect("an answer");
    assert_eq!(status, 200, "{body}");
    let (code, stderr) = serving.terminate();
    assert_eq!(code, Some(0), "{stderr}");
    // One line per request: method, route, status, principal; never the token.
    let line = stderr
        .lines()
        .find(|line| line.contains("route=/api/coalitions/{coalition}/commitments"))
        .unwrap_or_else(|| panic!("no request line: {stderr}"));
    for part in [
        "method=GET",
        "status=200",
        "latency_us=",
        &format!("principal={principal}"),
    ] {
        assert!(line.contains(part), "{part} missing: {line}");
    }
    assert!(!stderr.contains(token.as_str()), "a token was logged");
    assert!(
        !std::path::Path::new(&demo_dir).exists(),
        "the demo's directory is removed on exit"
    );
}

#[test]
fn sigterm_under_writers_loses_no_acknowledged_write() {
    let env = Env::demo();
    let token = env
        .ok(&["token", "issue", DEMO, "monitor"])
        .trim()
        .to_owned();
    let serving = Serving::start(&env, &[]);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|writer| {
            let (addr, token) = (serving.addr.clone(), token.clone());
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut refused = 0;
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = json!({"action": "report-incident", "request": {
                        "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
                        "at": "2026-11-01T00:00:00Z", "location": format!("writer {writer} #{n}")}});
                    let path = format!("/api/coalitions/{DEMO}/requests");
                    match http(&addr, "POST", &path, &token, Some(&body)) {
                        Ok((201, receipt)) => {
                            let receipt: Value = serde_json::from_str(&receipt).expect("JSON");
                            for entry in receipt["recorded"].as_array().expect("entries") {
                                let hash = entry["hash"].as_str().expect("a hash").to_owned();
                                acknowledged.lock().expect("lock").push(hash);
                            }
                        }
                        Ok((503, _)) => refused += 1,
                        Ok((status, body)) => return Err(format!("{status}: {body}")),
                        // The listener is closed: the server has stopped taking requests.
                        Err(_) => break,
                    }
                }
                Ok(refused)
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().expect("lock").len() < 15 {
        assert!(Instant::now() < deadline, "the writers made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (code, stderr) = serving.terminate();
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        let answer = writer.join().expect("a writer");
        assert!(
            answer.is_ok(),
            "unexpected answer {answer:?}; the server said: {stderr}"
        );
    }
    assert_eq!(code, Some(0), "serve exits cleanly on SIGTERM: {stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
    // Restarted: every acknowledged entry is in the monitor's log, and the record verifies.
    let log = env.json(&["log", "show", DEMO, "--as", "monitor"]);
    let hashes: Vec<&str> = log
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["hash"].as_str().expect("a hash"))
        .collect();
    let acknowledged = acknowledged.lock().expect("lock");
    assert!(acknowledged.len() >= 15);
    for hash in acknowledged.iter() {
        assert!(
            hashes.contains(&hash.as_str()),
            "acknowledged {hash} was lost"
        );
    }
    env.ok(&["log", "verify", DEMO]);
}

#[test]
fn negotiation_analyses_over_http_are_the_cli_documents() {
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    let token = serving
        .banner
        .iter()
        .find_map(|line| line.strip_prefix("token "))
        .and_then(|rest| rest.split_once(' '))
        .map(|(_, token)| token.to_owned())
        .expect("a demo token");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = |path: &str| {
        let path = repo.join(path);
        let text = std::fs::read_to_string(&path).expect("a test file");
        (path.display().to_string(), text)
    };
    let named = |(name, text): (String, String)| json!({"name": name, "text": text});
    let (scenario, _) = file("scenarios/paris-2026.toml");
    let (domain, _) = file("testdata/negotiate/genius/donbas-2p/domain.xml");
    let (ukr, _) = file("testdata/negotiate/genius/donbas-2p/profile-1-ukr.xml");
    let (rus, _) = file("testdata/negotiate/genius/donbas-2p/profile-2-rus.xml");
    let (csv, _) = file("testdata/negotiate/exchange/paris-forecast.csv");
    let cases = [
        (
            vec!["negotiate", "analyze", scenario.as_str()],
            json!({"scenario": named(file("scenarios/paris-2026.toml"))}),
        ),
        (
            vec![
                "negotiate",
                "analyze",
                "--genius",
                domain.as_str(),
                ukr.as_str(),
                rus.as_str(),
                "--semantics",
                "raw",
            ],
            json!({"genius": {
                "domain": named(file("testdata/negotiate/genius/donbas-2p/domain.xml")),
                "profiles": [
                    named(file("testdata/negotiate/genius/donbas-2p/profile-1-ukr.xml")),
                    named(file("testdata/negotiate/genius/donbas-2p/profile-2-rus.xml"))],
                "semantics": "raw"}}),
        ),
        (
            vec![
                "negotiate",
                "analyze",
                "--exchange-csv",
                csv.as_str(),
                "--rounds",
                "4",
                "--ties",
                "random",
                "--seed",
                "7",
            ],
            json!({"exchange_csv": named(file("testdata/negotiate/exchange/paris-forecast.csv")),
                "rounds": 4, "ties": "random", "seed": 7}),
        ),
    ];
    for (args, body) in cases {
        let expected = env.json(&args);
        let (status, answer) = http(
            &serving.addr,
            "POST",
            "/api/negotiate/analyze",
            &token,
            Some(&body),
        )
        .expect("an answer");
        assert_eq!(status, 200, "{args:?}: {answer}");
        let answer: Value = serde_json::from_str(&answer).expect("JSON");
        assert_eq!(answer, expected, "{args:?}");
    }
}

/// schemathesis (`COALITION_SCHEMATHESIS`, as `.ci/run` installs it in its venv), or `None`
/// (skipped) without it — unless `REQUIRE_SCHEMATHESIS=1`.
fn schemathesis() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("COALITION_SCHEMATHESIS")
        .map(std::path::PathBuf::from)
        .filter(|path| path.exists());
    if found.is_none() {
        assert!(
            std::env::var("REQUIRE_SCHEMATHESIS").as_deref() != Ok("1"),
            "REQUIRE_SCHEMATHESIS=1 but COALITION_SCHEMATHESIS names no schemathesis"
        );
        eprintln!("SKIPPED: no schemathesis (set COALITION_SCHEMATHESIS)");
    }
    found
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_off_the_schema() {
    let Some(st) = schemathesis() else { return };
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    let token = |principal: &str| {
        serving
            .banner
            .iter()
            .find_map(|line| line.strip_prefix(&format!("token {principal} ")))
            .unwrap_or_else(|| panic!("no token for {principal}"))
            .to_owned()
    };
    let schema = format!("http://{}/api/openapi.json", serving.addr);
    // Two principals of different parties and clearances; each run bounded in examples and time.
    for principal in ["macron", "meloni"] {
        let mut child = std::process::Command::new(&st)
            .current_dir(env.root())
            .args(["run", &schema])
            .args([
                "--header",
                &format!("Authorization: Bearer {}", token(principal)),
            ])
            .args(["--checks", "not_a_server_error,response_schema_conformance"])
            // The event stream never ends; the tile route's wildcard (`{*tile}`) is axum's, not an
            // OpenAPI parameter (tests/cli/remote.rs reads tiles and checks them against the root).
            .args(["--exclude-path-regex", "(/events$)|(/tlog/tile/)"])
            .args(["--max-examples", "8", "--request-timeout", "10"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .arg("--generation-deterministic")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("schemathesis starts");
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("schemathesis as {principal} ran over 120 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut report = String::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut report)
            .expect("its report");
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut report)
            .expect("its complaints");
        assert!(status.success(), "schemathesis as {principal}:\n{report}");
        assert!(report.contains("Tested:"), "{report}");
    }
}
