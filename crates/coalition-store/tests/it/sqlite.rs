//! The suite on SQLite (one connection, and a pool), and what the SQLite store promises beside
//! it: WAL and synchronous=FULL asserted, reads that create nothing.

use std::path::Path;

use coalition_ledger::store::read_all;
use coalition_ledger::{EventStore, Head, StoreError};
use coalition_store::{OpenOptions, open, sqlite_url};
use sqlx::Connection;

use crate::conformance::{Names, Opener, batch, suite};

async fn sqlite(path: &Path, options: OpenOptions) -> std::sync::Arc<dyn EventStore> {
    open(&sqlite_url(path), options).await.unwrap()
}

/// Opens `url` for writing with `options`, again on every call.
pub(crate) fn opener(url: String, options: OpenOptions) -> Opener {
    Box::new(move || {
        let url = url.clone();
        Box::pin(async move { open(&url, options).await.unwrap() })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_event_store_contract_on_one_connection() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("coalition.sqlite"));
    let open = opener(url, OpenOptions::WRITE);
    suite(&open).await;
    // Twice on the same file, as against a persistent database.
    suite(&open).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_event_store_contract_on_a_pool() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("coalition.sqlite"));
    suite(&opener(url, OpenOptions::WRITE.with_connections(4))).await;
}

#[tokio::test]
async fn a_closed_store_refuses_further_calls() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("c.sqlite"), OpenOptions::WRITE).await;
    store.close().await;
    let id = Names::new().id("closed");
    assert!(matches!(store.head(&id).await, Err(StoreError::Backend(_))));
}

#[tokio::test]
async fn sqlite_survives_reopening_with_every_append_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coalition.sqlite");
    let id = Names::new().id("reopened");
    let events = batch(&id, Head::EMPTY, 5);
    {
        let store = sqlite(&path, OpenOptions::WRITE).await;
        store.append(&id, Head::EMPTY, &events).await.unwrap();
        store.close().await;
    }
    let store = sqlite(&path, OpenOptions::READ).await;
    assert_eq!(read_all(store.as_ref(), &id, 1).await.unwrap(), events);
    store.close().await;
}

#[tokio::test]
async fn reading_a_missing_record_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mistyped = dir.path().join("no-such-dir").join("coalition.sqlite");
    let refused = open(&sqlite_url(&mistyped), OpenOptions::READ).await;
    assert!(
        matches!(refused, Err(StoreError::Missing(ref at)) if at.contains("no-such-dir")),
        "{:?}",
        refused.err()
    );
    assert!(
        !dir.path().join("no-such-dir").exists(),
        "no directory made"
    );
    // Nor a file in an existing directory.
    let missing = dir.path().join("coalition.sqlite");
    assert!(matches!(
        open(&sqlite_url(&missing), OpenOptions::READ).await,
        Err(StoreError::Missing(_))
    ));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // An SQLite file that holds no record is not one, and is not changed.
    let foreign = dir.path().join("other.sqlite");
    let mut conn =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", foreign.display()))
            .await
            .unwrap();
    sqlx::query("PRAGMA journal_mode=wal")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert!(matches!(
        open(&sqlite_url(&foreign), OpenOptions::READ).await,
        Err(StoreError::Missing(ref why)) if why.contains("no coalition record")
    ));
}

#[tokio::test]
async fn a_store_opened_for_reading_refuses_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coalition.sqlite");
    let id = Names::new().id("read-only");
    let events = batch(&id, Head::EMPTY, 2);
    let writer = sqlite(&path, OpenOptions::WRITE).await;
    writer.append(&id, Head::EMPTY, &events).await.unwrap();
    writer.close().await;
    let reader = sqlite(&path, OpenOptions::READ).await;
    let more = batch(&id, events[1].head(), 1);
    assert_eq!(
        reader.append(&id, events[1].head(), &more).await,
        Err(StoreError::ReadOnly)
    );
    assert_eq!(reader.discard(&id).await, Err(StoreError::ReadOnly));
    assert_eq!(read_all(reader.as_ref(), &id, 1).await.unwrap(), events);
    reader.close().await;
}

#[tokio::test]
async fn writing_creates_the_directory_and_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("coalition.sqlite");
    let store = sqlite(&path, OpenOptions::WRITE).await;
    store.close().await;
    assert!(path.is_file());
}

#[tokio::test]
async fn sqlite_leaves_the_database_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coalition.sqlite");
    let store = sqlite(&path, OpenOptions::WRITE).await;
    // journal_mode is a property of the file: a second, independent connection sees it.
    let mut other = sqlx::SqliteConnection::connect(&sqlite_url(&path))
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
    other.close().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn sqlite_refuses_to_run_where_write_ahead_logging_is_impossible() {
    // An in-memory database cannot be put in WAL mode: the start-up assertion must refuse it
    // rather than run with weaker durability.
    let refused = open("sqlite://:memory:", OpenOptions::WRITE).await;
    assert!(
        matches!(refused, Err(StoreError::Unsafe(ref message)) if message.contains("journal_mode")),
        "{:?}",
        refused.err()
    );
}

#[tokio::test]
async fn unknown_locations_are_named() {
    for (url, expected) in [
        (
            "postgres://app:secret@db:notaport/x",
            "not a PostgreSQL URL",
        ),
        ("mysql://db/x", "expected a store URL"),
        ("sqlite://", "with a file name"),
        ("/tmp/coalition.sqlite", "expected a store URL"),
    ] {
        match open(url, OpenOptions::READ).await {
            Err(StoreError::Location(message)) => {
                assert!(message.contains(expected), "{url}: {message}");
                assert!(!message.contains("secret"), "{message}");
            }
            other => panic!("{url}: {:?}", other.err()),
        }
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_reported_damaged_for_reading_and_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coalition.sqlite");
    let garbage = b"this was a record once; now it is not an SQLite file at all".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    for options in [OpenOptions::READ, OpenOptions::WRITE] {
        match open(&sqlite_url(&path), options).await {
            Err(StoreError::Damaged(why)) => assert!(why.contains("coalition.sqlite"), "{why}"),
            other => panic!("expected Damaged, got {:?}", other.err()),
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "nothing written");
}
