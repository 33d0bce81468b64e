//! Server-sent events: a subscriber is told of each new entry of its own log, and of nothing it
//! may not read.

use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

use crate::support::Server;

/// Opens `GET …/events` and returns the body to read frames from.
pub(crate) async fn subscribe(server: &Server, token: Option<&str>) -> hyper::body::Incoming {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut request = axum::http::Request::get(format!("{}{}", server.url, server.path("events")));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = client
        .request(request.body(Empty::new()).expect("a request"))
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    response.into_body()
}

/// The next `entry` event's data, waiting at most 10 s.
pub(crate) async fn next_entry(body: &mut hyper::body::Incoming, buffer: &mut String) -> Value {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: "))
                && event.lines().any(|l| l == "event: entry")
            {
                return serde_json::from_str(data).expect("JSON data");
            }
            continue;
        }
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s")
            .expect("the stream is open")
            .expect("a frame");
        if let Ok(data) = frame.into_data() {
            buffer.push_str(&String::from_utf8_lossy(&data));
        }
    }
}

fn report(location: &str, classification: &str) -> Value {
    json!({"action": "report-incident", "request": {
        "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
        "at": "2026-11-01T00:00:00Z", "location": location,
        "classification": classification}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_hear_of_new_entries_of_their_own_log_only() {
    let server = Server::demo().await;
    let monitor = server.token("monitor");
    let mut public = subscribe(&server, None).await;
    let mut watching = subscribe(&server, Some(monitor)).await;
    let path = server.path("requests");
    let secret = server
        .post(&path, Some(monitor), &report("a secret place", "SECRET"))
        .await;
    assert_eq!(secret.status, 201, "{secret:?}");
    let open = server
        .post(&path, Some(monitor), &report("Kharkiv", "PUBLIC"))
        .await;
    assert_eq!(open.status, 201, "{open:?}");

    let (mut mine, mut theirs) = (String::new(), String::new());
    let first = next_entry(&mut watching, &mut mine).await;
    assert_eq!(
        first["payload"]["payload"]["incident"]["location"], "a secret place",
        "{first} {secret:?}"
    );
    assert_eq!(first["hash"], secret.json()["recorded"][0]["hash"]);
    // The public hears first of the public report: the secret one reached it as nothing.
    let heard = next_entry(&mut public, &mut theirs).await;
    assert_eq!(
        heard["payload"]["payload"]["incident"]["location"], "Kharkiv",
        "{heard}"
    );
    assert!(!theirs.contains("a secret place"));
    // Numbered in the public's own log, chained to what it saw before.
    let log = server.get(&server.path("log"), None).await.json();
    let last = log
        .as_array()
        .expect("entries")
        .last()
        .expect("an entry")
        .clone();
    assert_eq!(heard, last);
}
