//! Several server nodes on one record: what one node records the others serve, tell their
//! subscribers of, and decide their own writes against; keyed retries are recorded once
//! whichever node gets them; a read-only node serves reads and refuses writes. Run on one SQLite
//! file (always) and on one PostgreSQL database (on a server the test starts itself, where
//! PostgreSQL is installed; required under CI).

use std::sync::Arc;
use std::time::{Duration, Instant};

use coalition_app::views::LogVerification;
use coalition_pgtest::Cluster;
use coalition_server::Options;
use serde_json::{Value, json};

use crate::events::{next_entry, subscribe};
use crate::support::Server;

fn report(location: &str) -> Value {
    json!({"action": "report-incident", "request": {
        "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
        "at": "2026-11-01T00:00:00Z", "location": location}})
}

/// The locations of the incidents a node serves to the monitor.
async fn locations(node: &Server) -> Vec<String> {
    let answer = node
        .get(
            &node.path("incidents?limit=1000"),
            Some(node.token("monitor")),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|i| i["location"].as_str().map(str::to_owned))
        .collect()
}

/// Waits until `node` serves an incident at `location`; how long that took.
async fn seen_within(node: &Server, location: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    while !locations(node).await.iter().any(|l| l == location) {
        assert!(
            started.elapsed() < limit,
            "{location} not served by the other node within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    started.elapsed()
}

async fn nodes_share_one_record(first: Server, backend: &str) {
    let second = first.another_node(Options::default()).await;
    let replica = first.another_node(Options { read_only: true }).await;
    let monitor = first.token("monitor");
    let before = first.head().await;

    // A write through one node is served by the others, and heard by their subscribers.
    let mut heard = subscribe(&second, Some(monitor)).await;
    let answer = first
        .post(&first.path("requests"), Some(monitor), &report("Kharkiv"))
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let delay = seen_within(&second, "Kharkiv", Duration::from_secs(5)).await;
    seen_within(&replica, "Kharkiv", Duration::from_secs(5)).await;
    eprintln!("{backend}: a write through one node was served by the other after {delay:?}");
    let entry = next_entry(&mut heard, &mut String::new()).await;
    assert_eq!(
        entry["payload"]["payload"]["incident"]["location"], "Kharkiv",
        "{entry}"
    );

    // Writers on both nodes at once: every write recorded once, the chain unforked.
    let writes = (0..6).map(|k| {
        let node = if k % 2 == 0 { &first } else { &second };
        let body = report(&format!("place-{k}"));
        async move {
            node.post(&node.path("requests"), Some(node.token("monitor")), &body)
                .await
        }
    });
    for answer in futures_util::future::join_all(writes).await {
        assert_eq!(answer.status, 201, "{answer:?}");
    }
    let served = locations(&first).await;
    for k in 0..6 {
        let place = format!("place-{k}");
        assert_eq!(served.iter().filter(|l| **l == place).count(), 1, "{place}");
    }
    assert_eq!(first.head().await.0, before.0 + 7);
    let verified = first
        .app
        .verify(&first.coalition, None)
        .await
        .expect("verified");
    assert!(
        matches!(verified, LogVerification::Verified { events, .. } if events == before.0 + 7),
        "{verified:?}"
    );

    // Two nodes withdrawing one commitment at once: one withdraws it, the other decides again
    // against the newer state and is refused by the rules; nothing is recorded twice.
    let secretariat = first.token("secretariat");
    let commitments = first
        .get(&first.path("commitments?limit=1000"), Some(secretariat))
        .await
        .json();
    let commitment = commitments
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["status"] != "withdrawn" && c["status"] != "terminated")
        .expect("a live commitment")["id"]
        .clone();
    let withdraw = json!({"action": "withdraw-commitment",
        "request": {"commitment": commitment, "at": null, "reason": "a test"}});
    let head = first.head().await;
    let path = first.path("requests");
    let (a, b) = tokio::join!(
        first.post(&path, Some(secretariat), &withdraw),
        second.post(&path, Some(secretariat), &withdraw),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses[0], 201, "{a:?} {b:?}");
    assert!([409, 422].contains(&statuses[1]), "{a:?} {b:?}");
    assert_eq!(first.head().await.0, head.0 + 1, "withdrawn once");

    keyed_retries_are_recorded_once(&first, &second).await;

    // The read-only node serves reads and refuses every write, writing nothing.
    let head = first.head().await;
    let refused = replica
        .post(&replica.path("requests"), Some(monitor), &report("Lviv"))
        .await;
    assert_eq!(refused.status, 403, "{refused:?}");
    assert_eq!(refused.json()["code"], "server.read_only");
    assert_eq!(first.head().await, head);
    let public = replica.get(&replica.path("communique"), None).await;
    assert_eq!(public.status, 200, "{public:?}");
}

/// A keyed POST as the monitor.
async fn keyed(node: &Server, body: &Value, key: &str) -> crate::support::Answer {
    let request = axum::http::Request::post(format!("{}{}", node.url, node.path("requests")))
        .header("authorization", format!("Bearer {}", node.token("monitor")))
        .header("content-type", "application/json")
        .header("idempotency-key", key);
    node.raw(request, body.to_string()).await
}

/// A keyed write retried through another node (whose memory never saw the key, as after a
/// restart) is answered from the record; the same key sent to both nodes at once records once.
async fn keyed_retries_are_recorded_once(first: &Server, second: &Server) {
    let before = first.head().await;
    let answer = keyed(first, &report("Odesa"), "across-1").await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let again = keyed(second, &report("Odesa"), "across-1").await;
    assert_eq!(again.status, 201, "{again:?}");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.json(), answer.json(), "the first answer, made again");
    let reused = keyed(second, &report("Lviv"), "across-1").await;
    assert_eq!(reused.status, 422, "{reused:?}");
    assert_eq!(first.head().await.0, before.0 + 1, "recorded once");

    let kherson = report("Kherson");
    let (a, b) = tokio::join!(
        keyed(first, &kherson, "race-1"),
        keyed(second, &kherson, "race-1"),
    );
    assert_eq!((a.status, b.status), (201, 201), "{a:?} {b:?}");
    assert_eq!(a.json(), b.json());
    assert_eq!(first.head().await.0, before.0 + 2, "the race recorded once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_on_one_sqlite_file_share_one_record() {
    nodes_share_one_record(Server::demo().await, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_on_one_postgres_database_share_one_record() {
    let Some(cluster) = Cluster::for_test("nodes_on_one_postgres_database") else {
        return;
    };
    let database = cluster.create_database("nodes").expect("a database");
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let first = Server::start_on(database, dir, Options::default()).await;
    nodes_share_one_record(first, "PostgreSQL").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_answers_503_while_its_database_is_down_and_recovers_by_itself() {
    let Some(mut cluster) = Cluster::for_test("a_node_answers_503_while_its_database_is_down")
    else {
        return;
    };
    let database = cluster.create_database("restart").expect("a database");
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    let node = Server::start_on(database, dir, Options::default()).await;
    let monitor = node.token("monitor");
    let before = node.head().await;

    cluster.kill();
    let write = node
        .post(&node.path("requests"), Some(monitor), &report("Sumy"))
        .await;
    assert_eq!(write.status, 503, "{write:?}");
    assert_eq!(write.json()["code"], "record.unavailable");
    assert!(write.headers.contains_key("retry-after"), "{write:?}");
    let read = node.get(&node.path("incidents"), Some(monitor)).await;
    assert_eq!(read.status, 503, "{read:?}");

    cluster.restart().expect("the database starts again");
    // The node reconnects by itself: within a few tries the same write is recorded, once.
    let started = Instant::now();
    loop {
        let write = node
            .post(&node.path("requests"), Some(monitor), &report("Sumy"))
            .await;
        if write.status == 201 {
            break;
        }
        assert_eq!(write.status, 503, "only 503 while reconnecting: {write:?}");
        assert!(started.elapsed() < Duration::from_secs(30), "{write:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        node.head().await.0,
        before.0 + 1,
        "the refused write left nothing"
    );
    let served = locations(&node).await;
    assert_eq!(served.iter().filter(|l| *l == "Sumy").count(), 1);
}
