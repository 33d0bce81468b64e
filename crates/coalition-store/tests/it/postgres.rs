//! The suite on PostgreSQL (a server of the test's own, and `COALITION_TEST_POSTGRES_URL` when
//! set), and what the PostgreSQL store promises beside it: settings that could lose a commit
//! are refused by name, reads create nothing, appends survive a SIGKILL of the postmaster and
//! the store reconnects by itself.

use coalition_ledger::store::read_all;
use coalition_ledger::{Head, StoreError};
use coalition_pgtest::Cluster;
use coalition_store::{OpenOptions, open};

use crate::conformance::{Names, batch, head_of, suite};
use crate::sqlite::opener;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_event_store_contract() {
    let Some(cluster) = Cluster::for_test("postgres_keeps_the_event_store_contract") else {
        return;
    };
    let url = cluster.create_database("conformance").unwrap();
    let open = opener(url.clone(), OpenOptions::WRITE.with_connections(4));
    suite(&open).await;
    // Twice on the same database, as against a persistent one; and on one connection.
    suite(&opener(url, OpenOptions::WRITE)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_at_the_given_url_keeps_the_event_store_contract() {
    match std::env::var("COALITION_TEST_POSTGRES_URL") {
        Err(_) => coalition_pgtest::skip(
            "the suite against an existing PostgreSQL did not run: set \
             COALITION_TEST_POSTGRES_URL to run it there too (a server of the test's own \
             runs it anyway)",
        ),
        Ok(url) => suite(&opener(url, OpenOptions::WRITE.with_connections(4))).await,
    }
}

#[tokio::test]
async fn settings_that_could_lose_a_commit_are_refused_by_name() {
    let Some(cluster) = Cluster::for_test("settings_that_could_lose_a_commit_are_refused") else {
        return;
    };
    let url = cluster.create_database("settings").unwrap();
    // A session setting in the URL is seen like any other.
    let off = format!("{url}?options=-c%20synchronous_commit%3Doff");
    for access in [OpenOptions::WRITE, OpenOptions::READ] {
        match open(&off, access).await {
            Err(StoreError::Unsafe(message)) => {
                assert!(message.contains("synchronous_commit=off"), "{message}");
                assert!(message.contains("set synchronous_commit = on"), "{message}");
            }
            other => panic!("synchronous_commit=off accepted: {:?}", other.err()),
        }
    }
    // Refused before anything was created.
    assert_eq!(
        cluster
            .psql(
                "settings",
                "SELECT count(*) FROM pg_tables WHERE tablename = 'events'"
            )
            .unwrap(),
        "0"
    );
    // A role's default counts too, on the pool's later connections as on the first.
    cluster
        .psql(
            "postgres",
            "ALTER ROLE coalition SET synchronous_commit = local",
        )
        .unwrap();
    let refused = open(&url, OpenOptions::WRITE).await;
    assert!(
        matches!(refused, Err(StoreError::Unsafe(ref m)) if m.contains("synchronous_commit=local")),
        "{:?}",
        refused.err()
    );
    cluster
        .psql("postgres", "ALTER ROLE coalition RESET synchronous_commit")
        .unwrap();
    // The server's fsync.
    cluster
        .psql("postgres", "ALTER SYSTEM SET fsync = off")
        .unwrap();
    cluster.psql("postgres", "SELECT pg_reload_conf()").unwrap();
    // pg_reload_conf signals the postmaster; the new setting reaches new sessions shortly.
    let mut refused = open(&url, OpenOptions::WRITE).await;
    for _ in 0..50 {
        if refused.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        refused = open(&url, OpenOptions::WRITE).await;
    }
    assert!(
        matches!(refused, Err(StoreError::Unsafe(ref m)) if m.contains("fsync=off") && m.contains("set fsync = on")),
        "{:?}",
        refused.err()
    );
}

#[tokio::test]
async fn reading_a_missing_record_creates_nothing() {
    let Some(cluster) = Cluster::for_test("postgres_reading_a_missing_record_creates_nothing")
    else {
        return;
    };
    let refused = open(&cluster.url("no_such_database"), OpenOptions::READ).await;
    assert!(
        matches!(refused, Err(StoreError::Missing(ref at)) if at.contains("no such database")),
        "{:?}",
        refused.err()
    );
    let url = cluster.create_database("empty").unwrap();
    let refused = open(&url, OpenOptions::READ).await;
    assert!(
        matches!(refused, Err(StoreError::Missing(ref why)) if why.contains("no coalition record")),
        "{:?}",
        refused.err()
    );
    assert_eq!(
        cluster
            .psql(
                "empty",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            )
            .unwrap(),
        "0",
        "a read created no table"
    );
    // Once written, a reader reads and refuses to write.
    let id = Names::new().id("read-only");
    let events = batch(&id, Head::EMPTY, 2);
    let writer = open(&url, OpenOptions::WRITE).await.unwrap();
    writer.append(&id, Head::EMPTY, &events).await.unwrap();
    writer.close().await;
    let reader = open(&url, OpenOptions::READ).await.unwrap();
    let more = batch(&id, head_of(&events), 1);
    assert_eq!(
        reader.append(&id, head_of(&events), &more).await,
        Err(StoreError::ReadOnly)
    );
    assert_eq!(reader.discard(&id).await, Err(StoreError::ReadOnly));
    assert_eq!(read_all(reader.as_ref(), &id, 1).await.unwrap(), events);
    reader.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_survive_a_killed_server_and_the_store_reconnects_by_itself() {
    let Some(mut cluster) = Cluster::for_test("postgres_appends_survive_a_killed_server") else {
        return;
    };
    let url = cluster.create_database("crash").unwrap();
    let id = Names::new().id("crash");
    let store = open(&url, OpenOptions::WRITE.with_connections(2))
        .await
        .unwrap();
    let mut acknowledged = Vec::new();
    for round in 0..3 {
        let events = batch(&id, head_of(&acknowledged), 3 + round);
        store
            .append(&id, head_of(&acknowledged), &events)
            .await
            .unwrap();
        acknowledged.extend(events);
        cluster.kill();
        if round == 0 {
            // While the server is down an append fails cleanly, and writes nothing.
            let refused = store
                .append(
                    &id,
                    head_of(&acknowledged),
                    &batch(&id, head_of(&acknowledged), 1),
                )
                .await;
            // Unreachable, so that the API answers 503 and a client tries again.
            assert!(
                matches!(refused, Err(StoreError::Unavailable(_))),
                "{refused:?}"
            );
        }
        cluster.restart().unwrap();
        // The same store, without reopening: the pool replaces its dead connections (the
        // first call may still meet one).
        let mut read = read_all(store.as_ref(), &id, 1).await;
        if read.is_err() {
            read = read_all(store.as_ref(), &id, 1).await;
        }
        assert_eq!(
            read.unwrap(),
            acknowledged,
            "round {round}: {}",
            cluster.log()
        );
    }
    store.close().await;
}
