//! Rate limits: a loop guessing tokens is cut off (a right guess included) and logged without
//! the token; writes over their limit are 429 with Retry-After and record nothing.

use std::sync::{Arc, Mutex};

use coalition_server::{Limits, Options, Rate};
use serde_json::json;

use crate::support::Server;

/// Everything the server logs, for a test running it on its own thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log")).into_owned()
    }
}

fn limits(failures: u32, writes: u32) -> Options {
    Options {
        limits: Limits {
            auth_failures: Rate {
                burst: failures,
                per_minute: 1,
            },
            writes_per_token: Rate {
                burst: writes,
                per_minute: 1,
            },
            ..Limits::default()
        },
        ..Options::default()
    }
}

// One thread: the server runs on the test's thread, so its log goes to the subscriber set here.
#[tokio::test(flavor = "current_thread")]
async fn a_loop_guessing_tokens_is_cut_off_and_logged_without_the_tokens() {
    let log = Captured::default();
    let writer = log.clone();
    let _subscriber = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    );
    let server = Server::start(limits(5, 100)).await;
    let path = server.path("commitments?limit=1");
    let mut guesses = Vec::new();
    let mut statuses = Vec::new();
    for n in 0..12 {
        let guess = format!("coalition_{n:064x}");
        let answer = server.get(&path, Some(&guess)).await;
        statuses.push(answer.status);
        if answer.status == 429 {
            let wait: u64 = answer.headers["retry-after"]
                .to_str()
                .expect("text")
                .parse()
                .expect("seconds");
            assert!((1..=60).contains(&wait), "{answer:?}");
            assert_eq!(answer.json()["code"], "rate.auth_failures");
        }
        guesses.push(guess);
    }
    assert_eq!(statuses[..5], [401; 5], "{statuses:?}");
    assert_eq!(statuses[5..], [429; 7], "{statuses:?}");
    // Once cut off, even a right token gets nowhere from that address…
    let right = server.get(&path, Some(server.token("macron"))).await;
    assert_eq!(right.status, 429, "{right:?}");
    // …while the public's reads go on.
    assert_eq!(server.get(&path, None).await.status, 200);

    let text = log.text();
    assert!(
        text.contains("repeated authentication failures from this address"),
        "{text}"
    );
    assert!(text.contains("127.0.0.1"), "the address is logged: {text}");
    for token in guesses
        .iter()
        .map(String::as_str)
        .chain([server.token("macron")])
    {
        assert!(!text.contains(token), "a token in the log: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_over_the_limit_are_429_and_record_nothing() {
    let server = Server::start(limits(10, 2)).await;
    let path = server.path("requests");
    let report = |n: u32| {
        json!({"action": "report-incident", "request": {
            "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
            "at": "2026-11-01T00:00:00Z", "location": format!("place {n}")}})
    };
    let monitor = server.token("monitor");
    for n in 0..2 {
        let answer = server.post(&path, Some(monitor), &report(n)).await;
        assert_eq!(answer.status, 201, "{answer:?}");
    }
    let before = server.head().await;
    let limited = server.post(&path, Some(monitor), &report(3)).await;
    assert_eq!(limited.status, 429, "{limited:?}");
    assert_eq!(limited.json()["code"], "rate.writes");
    assert!(limited.headers.contains_key("retry-after"), "{limited:?}");
    assert_eq!(
        server.head().await,
        before,
        "a limited write recorded something"
    );
    // The limit is the token's: another principal's token still writes.
    let other = server
        .post(&path, Some(server.token("zelenskyy")), &report(4))
        .await;
    assert_eq!(other.status, 201, "{other:?}");
    // Reads are not writes.
    assert_eq!(
        server
            .get(&server.path("incidents"), Some(monitor))
            .await
            .status,
        200
    );
}
