//! The SQLite event store.

use std::path::Path;
use std::time::Duration;

use coalition_core::id::CoalitionId;
use coalition_ledger::{EventStore, Hash, Head, SealedEvent, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection, SqlitePool};

/// How hard the store works to keep acknowledged appends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// WAL with `synchronous=FULL`: every commit is fsynced before it is acknowledged. The only
    /// setting the product runs with.
    Full,
    /// WAL with `synchronous=NORMAL`: may lose the last commits on power loss. Exists only so
    /// the durability audit can prove it notices the difference (a negative control).
    NormalForNegativeControl,
}

/// Events in an SQLite database file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(err.to_string())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` with full durability, runs the
    /// migrations, and refuses to run unless WAL and `synchronous=FULL` are in effect.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(path, Durability::Full).await
    }

    /// Opens the database with the given durability (see [`Durability`]).
    pub async fn open_with(path: &Path, durability: Durability) -> Result<SqliteStore, StoreError> {
        let synchronous = match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::NormalForNegativeControl => SqliteSynchronous::Normal,
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let expected_sync: i64 = match durability {
            Durability::Full => 2,
            Durability::NormalForNegativeControl => 1,
        };
        // Checked once on a connection of its own first, so that a refusal is reported as one:
        // the pool retries a connection whose `after_connect` fails until its acquire timeout
        // (30 s) and then reports only "pool timed out".
        let mut probe = SqliteConnection::connect_with(&options)
            .await
            .map_err(backend)?;
        let checked = assert_durable(&mut probe, expected_sync).await;
        let _ = probe.close().await;
        checked.map_err(|err| match err {
            sqlx::Error::Configuration(message) => StoreError::Unsafe(message.to_string()),
            other => backend(other),
        })?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // Asserted on every connection: a setting that could lose acknowledged events is a
            // reason to stop, not to warn.
            .after_connect(move |conn, _meta| Box::pin(assert_durable(conn, expected_sync)))
            .connect_with(options)
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(backend)?;
        Ok(SqliteStore { pool })
    }

    /// Closes every connection (checkpointing the WAL into the main file).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The yardstick for `coalition bench append`: one bare row per transaction into a table of
    /// its own, with exactly the store's durability settings and no hashing or checks.
    pub async fn raw_insert_for_baseline(&self, n: u64, payload: &[u8]) -> Result<(), StoreError> {
        let n = i64::try_from(n).map_err(backend)?;
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS baseline (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query("INSERT INTO baseline (n, payload) VALUES ($1, $2)")
            .bind(n)
            .bind(payload)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    /// Deletes a coalition's whole log. The log is append-only for everything else; only the
    /// demo's `--reset` calls this, on the user's explicit request.
    pub async fn discard(&self, coalition: &CoalitionId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM events WHERE coalition = $1")
            .bind(coalition.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Appends many coalitions' batches in one transaction: each must find its log where it
    /// expects it, or nothing is written. For bulk loads, where one fsync per batch would
    /// dominate.
    pub async fn append_all(
        &self,
        batches: &[(CoalitionId, Head, Vec<SealedEvent>)],
    ) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        for (coalition, expected, events) in batches {
            append_in(&mut tx, coalition, *expected, events).await?;
        }
        tx.commit().await.map_err(backend)
    }
}

/// Refuses a connection unless the database is in WAL mode with the expected `synchronous`.
async fn assert_durable(
    conn: &mut SqliteConnection,
    expected_sync: i64,
) -> Result<(), sqlx::Error> {
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    if !mode.eq_ignore_ascii_case("wal") || sync != expected_sync {
        return Err(sqlx::Error::Configuration(
            format!("journal_mode={mode}, synchronous={sync}; need wal and {expected_sync}").into(),
        ));
    }
    Ok(())
}

async fn head_in(
    conn: &mut sqlx::SqliteConnection,
    coalition: &CoalitionId,
) -> Result<Head, StoreError> {
    let row =
        sqlx::query("SELECT seq, hash FROM events WHERE coalition = $1 ORDER BY seq DESC LIMIT 1")
            .bind(coalition.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    match row {
        None => Ok(Head::EMPTY),
        Some(row) => {
            let seq: i64 = row.get(0);
            let hash: Vec<u8> = row.get(1);
            Ok(Head {
                seq: seq_from_db(seq)?,
                hash: hash_from_db(&hash)?,
            })
        }
    }
}

async fn append_in(
    conn: &mut sqlx::SqliteConnection,
    coalition: &CoalitionId,
    expected: Head,
    events: &[SealedEvent],
) -> Result<(), StoreError> {
    let actual = head_in(conn, coalition).await?;
    if actual != expected {
        return Err(StoreError::Conflict {
            expected: expected.seq,
            actual: actual.seq,
        });
    }
    for event in events {
        let seq = i64::try_from(event.seq).map_err(backend)?;
        let inserted =
            sqlx::query("INSERT INTO events (coalition, seq, body, hash) VALUES ($1, $2, $3, $4)")
                .bind(coalition.as_str())
                .bind(seq)
                .bind(event.body.as_slice())
                .bind(event.hash.as_bytes().as_slice())
                .execute(&mut *conn)
                .await;
        match inserted {
            Ok(_) => {}
            // A unique violation can only mean another writer got there first.
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                return Err(StoreError::Conflict {
                    expected: expected.seq,
                    actual: event.seq,
                });
            }
            Err(other) => return Err(backend(other)),
        }
    }
    Ok(())
}

fn seq_from_db(seq: i64) -> Result<u64, StoreError> {
    u64::try_from(seq)
        .map_err(|_| StoreError::Backend(format!("negative sequence number {seq} in the database")))
}

fn hash_from_db(bytes: &[u8]) -> Result<Hash, StoreError> {
    let array: [u8; 32] = bytes.try_into().map_err(|_| {
        StoreError::Backend(format!(
            "stored hash has {} bytes, expected 32",
            bytes.len()
        ))
    })?;
    Ok(Hash(array))
}

#[async_trait::async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError> {
        // BEGIN IMMEDIATE takes the write lock first, so the head read and the inserts see one
        // consistent log even with several processes writing.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        append_in(&mut tx, coalition, expected, events).await?;
        // Acknowledged only after COMMIT returns: with synchronous=FULL the WAL is fsynced first.
        tx.commit().await.map_err(backend)
    }

    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
    ) -> Result<Vec<SealedEvent>, StoreError> {
        let from = i64::try_from(from).map_err(backend)?;
        let rows = sqlx::query(
            "SELECT seq, body, hash FROM events WHERE coalition = $1 AND seq >= $2 ORDER BY seq",
        )
        .bind(coalition.as_str())
        .bind(from)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|row| {
                let seq: i64 = row.get(0);
                let body: Vec<u8> = row.get(1);
                let hash: Vec<u8> = row.get(2);
                Ok(SealedEvent {
                    seq: seq_from_db(seq)?,
                    body,
                    hash: hash_from_db(&hash)?,
                })
            })
            .collect()
    }

    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        head_in(&mut conn, coalition).await
    }

    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT coalition FROM events ORDER BY coalition")
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        names
            .iter()
            .map(|name| CoalitionId::parse(name).map_err(backend))
            .collect()
    }
}
