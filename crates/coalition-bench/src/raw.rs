//! SQLite (and PostgreSQL) without the store: the baselines (a bare insert per transaction, a raw scan of the
//! rows with one SHA-256 each), bulk loads, and the deliberately weakened store of the
//! `normal-sync` negative control. None of this is in the product's store API.

use std::path::Path;
use std::time::Duration;

use coalition_core::id::CoalitionId;
use coalition_ledger::canonical::event_hash;
use coalition_ledger::{Claim, Claimed, EventStore, Hash, Head, SealedEvent, StoreError};
use futures_util::TryStreamExt as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection};
use tokio::sync::Mutex;

/// A connection to `path` in WAL mode with the given `synchronous` (the store's settings when
/// FULL).
pub(crate) async fn connect(
    path: &Path,
    synchronous: SqliteSynchronous,
) -> anyhow::Result<SqliteConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .busy_timeout(Duration::from_secs(30));
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// The yardstick for durable writes: one bare row per transaction into a table of its own, with
/// the store's durability settings and no hashing or checks.
pub(crate) async fn bare_insert(
    conn: &mut SqliteConnection,
    n: u64,
    payload: &[u8],
) -> anyhow::Result<()> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS baseline (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO baseline (n, payload) VALUES ($1, $2)")
        .bind(i64::try_from(n)?)
        .bind(payload)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The same yardstick on PostgreSQL: one bare row per transaction (autocommit, so one COMMIT
/// and one WAL flush each, with the durability the store asserts), no hashing or checks.
pub(crate) async fn bare_insert_postgres(
    conn: &mut sqlx::PgConnection,
    n: u64,
    payload: &[u8],
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO baseline (n, payload) VALUES ($1, $2)")
        .bind(i64::try_from(n)?)
        .bind(payload)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Rows per INSERT statement in bulk loads.
const ROWS_PER_INSERT: usize = 1000;

/// Writes whole new logs (each starting at 1) in one transaction, for loads where one fsync
/// per batch would dominate.
pub(crate) async fn bulk_load(
    conn: &mut SqliteConnection,
    logs: &[(CoalitionId, Vec<SealedEvent>)],
) -> anyhow::Result<()> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    for (id, events) in logs {
        insert(&mut tx, id, events).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn insert(
    conn: &mut SqliteConnection,
    id: &CoalitionId,
    events: &[SealedEvent],
) -> anyhow::Result<()> {
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO events (coalition, seq, body, hash) ");
        let mut rows = Vec::with_capacity(chunk.len());
        for event in chunk {
            rows.push((i64::try_from(event.seq)?, event));
        }
        insert.push_values(rows, |mut row, (seq, event)| {
            row.push_bind(id.as_str())
                .push_bind(seq)
                .push_bind(event.body.as_slice())
                .push_bind(event.hash.as_bytes().as_slice());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The yardstick for reads: every row of the log streamed in order, its hash recomputed
/// (SHA-256 of 0x00 ‖ body) and compared. Returns the rows scanned.
pub(crate) async fn scan_and_hash(
    conn: &mut SqliteConnection,
    id: &CoalitionId,
) -> anyhow::Result<u64> {
    let mut rows =
        sqlx::query("SELECT seq, body, hash FROM events WHERE coalition = $1 ORDER BY seq")
            .bind(id.as_str())
            .fetch(&mut *conn);
    let mut scanned = 0;
    while let Some(row) = rows.try_next().await? {
        let body: &[u8] = row.get(1);
        let hash: &[u8] = row.get(2);
        if event_hash(body).as_bytes().as_slice() != hash {
            anyhow::bail!("row {} has a wrong hash", row.get::<i64, _>(0));
        }
        scanned += 1;
    }
    Ok(scanned)
}

/// [`scan_and_hash`] on PostgreSQL: the same rows, streamed from the server.
pub(crate) async fn scan_and_hash_postgres(
    conn: &mut sqlx::PgConnection,
    id: &CoalitionId,
) -> anyhow::Result<u64> {
    let mut rows =
        sqlx::query("SELECT seq, body, hash FROM events WHERE coalition = $1 ORDER BY seq")
            .bind(id.as_str())
            .fetch(&mut *conn);
    let mut scanned = 0;
    while let Some(row) = rows.try_next().await? {
        let body: &[u8] = row.try_get(1)?;
        let hash: &[u8] = row.try_get(2)?;
        if event_hash(body).as_bytes().as_slice() != hash {
            anyhow::bail!("row {} has a wrong hash", row.try_get::<i64, _>(0)?);
        }
        scanned += 1;
    }
    Ok(scanned)
}

/// Copies a log into PostgreSQL's events table (made by the store's migrations), ten thousand
/// rows a statement, in one transaction: a fast load for the replay bench, not a way to write.
pub(crate) async fn bulk_load_postgres(
    conn: &mut sqlx::PgConnection,
    id: &CoalitionId,
    events: &[SealedEvent],
) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    for chunk in events.chunks(10_000) {
        let seqs: Vec<i64> = chunk.iter().map(|e| e.seq as i64).collect();
        let bodies: Vec<&[u8]> = chunk.iter().map(|e| e.body.as_slice()).collect();
        let hashes: Vec<&[u8]> = chunk.iter().map(|e| e.hash.as_bytes().as_slice()).collect();
        sqlx::query(
            "INSERT INTO events (coalition, seq, body, hash) \
             SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[])",
        )
        .bind(id.as_str())
        .bind(seqs)
        .bind(bodies)
        .bind(hashes)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The store's schema and durability with one thing changed: `synchronous=NORMAL`, so commits
/// are not fsynced. Only the `normal-sync` negative control writes through it, to show the
/// fsync audit notices.
pub(crate) struct NormalSyncStore {
    conn: Mutex<SqliteConnection>,
}

fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(err.to_string())
}

impl NormalSyncStore {
    /// Opens `path`, whose tables the real store has already made.
    pub(crate) async fn open(path: &Path) -> anyhow::Result<NormalSyncStore> {
        let conn = connect(path, SqliteSynchronous::Normal).await?;
        Ok(NormalSyncStore {
            conn: Mutex::new(conn),
        })
    }
}

#[async_trait::async_trait]
impl EventStore for NormalSyncStore {
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn.lock().await;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        let actual = head_in(&mut tx, coalition).await?;
        if actual != expected {
            return Err(StoreError::Conflict { expected, actual });
        }
        insert(&mut tx, coalition, events).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn append_claiming(
        &self,
        _: &CoalitionId,
        _: Head,
        _: &[SealedEvent],
        _: &Claim,
    ) -> Result<(), StoreError> {
        Err(StoreError::Backend(
            "not needed by the negative control".into(),
        ))
    }

    async fn claimed(
        &self,
        _: &CoalitionId,
        _: &str,
        _: &str,
    ) -> Result<Option<Claimed>, StoreError> {
        Ok(None)
    }

    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<SealedEvent>, StoreError> {
        let mut conn = self.conn.lock().await;
        let rows = sqlx::query(
            "SELECT seq, body, hash FROM events WHERE coalition = $1 AND seq >= $2 \
             ORDER BY seq LIMIT $3",
        )
        .bind(coalition.as_str())
        .bind(i64::try_from(from).map_err(backend)?)
        .bind(i64::try_from(limit).map_err(backend)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        rows.iter().map(sealed_from_row).collect()
    }

    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError> {
        let mut conn = self.conn.lock().await;
        head_in(&mut conn, coalition).await
    }

    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError> {
        Err(StoreError::Backend(
            "not needed by the negative control".into(),
        ))
    }

    async fn discard(&self, _: &CoalitionId) -> Result<(), StoreError> {
        Err(StoreError::Backend(
            "not needed by the negative control".into(),
        ))
    }

    async fn close(&self) {}
}

async fn head_in(conn: &mut SqliteConnection, coalition: &CoalitionId) -> Result<Head, StoreError> {
    let row = sqlx::query(
        "SELECT seq, body, hash FROM events WHERE coalition = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(coalition.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(match row {
        None => Head::EMPTY,
        Some(row) => sealed_from_row(&row)?.head(),
    })
}

fn sealed_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SealedEvent, StoreError> {
    let seq: i64 = row.get(0);
    let hash: &[u8] = row.get(2);
    Ok(SealedEvent {
        seq: u64::try_from(seq).map_err(backend)?,
        body: row.get(1),
        hash: Hash(hash.try_into().map_err(backend)?),
    })
}
