//! The SQLite event store.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;

use coalition_core::id::CoalitionId;
use coalition_ledger::{Claim, Claimed, EventStore, Head, SealedEvent, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::{Access, OpenOptions};

/// `PRAGMA synchronous` when every commit is fsynced before it returns (FULL).
const SYNCHRONOUS_FULL: i64 = 2;

/// Rows per INSERT statement: four parameters each, well under SQLite's 32,766.
const ROWS_PER_INSERT: usize = 1000;

/// Events in an SQLite database file.
pub(crate) struct SqliteStore {
    connections: Connections,
    access: Access,
}

/// One connection behind a lock (a one-shot command), or a pool (a server).
enum Connections {
    One(Mutex<Option<SqliteConnection>>),
    Pool(SqlitePool),
}

/// A connection lent for one operation.
enum Lease<'a> {
    One(MappedMutexGuard<'a, SqliteConnection>),
    Pool(PoolConnection<Sqlite>),
}

impl Deref for Lease<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        match self {
            Lease::One(conn) => conn,
            Lease::Pool(conn) => conn,
        }
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            Lease::One(conn) => conn,
            Lease::Pool(conn) => conn,
        }
    }
}

/// A failed query, told apart from a damaged file: SQLite reports a corrupted database
/// (`SQLITE_CORRUPT`, 11) or a file that is not one (`SQLITE_NOTADB`, 26) in the primary code
/// (the low byte of the extended code sqlx gives).
fn backend(err: sqlx::Error) -> StoreError {
    let primary = match &err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .map(|code| code & 0xff),
        _ => None,
    };
    match primary {
        Some(11 | 26) => StoreError::Damaged(err.to_string()),
        _ => StoreError::Backend(err.to_string()),
    }
}

fn too_large(err: std::num::TryFromIntError) -> StoreError {
    StoreError::Backend(format!("a sequence number beyond SQLite's range: {err}"))
}

impl SqliteStore {
    /// Opens the database at `path`: for writing, creating it (and its directory) if needed and
    /// running the migrations; for reading, only an existing record, creating nothing. Either
    /// way it refuses to run unless WAL and `synchronous=FULL` are in effect.
    pub(crate) async fn open(path: &Path, options: OpenOptions) -> Result<SqliteStore, StoreError> {
        let mut connect = SqliteConnectOptions::new()
            .filename(path)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // Room for a whole page of a reader: SQLite's worker fetches the next page while
            // the reader verifies the last one, without waiting for it to take rows.
            .row_buffer_size(coalition_ledger::store::PAGE + 1);
        match options.access {
            Access::Read => {
                if !path.is_file() {
                    return Err(StoreError::Missing(path.display().to_string()));
                }
                // Reading never converts a database: it must already be in WAL mode.
                connect = connect.create_if_missing(false);
            }
            Access::Write => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        StoreError::Backend(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
                connect = connect
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal);
            }
        }
        // The first connection is checked on its own, so that a refusal is reported as one:
        // a pool retries a connection whose `after_connect` fails until its acquire timeout
        // and then reports only "pool timed out".
        let mut first = SqliteConnection::connect_with(&connect)
            .await
            .map_err(|e| opening(path, e))?;
        let prepared = prepare(&mut first, path, options.access).await;
        if let Err(err) = prepared {
            let _ = first.close().await;
            return Err(err);
        }
        let connections = if options.connections <= 1 {
            Connections::One(Mutex::new(Some(first)))
        } else {
            let _ = first.close().await;
            let pool = SqlitePoolOptions::new()
                .max_connections(options.connections)
                .min_connections(0)
                // Asserted on every connection: a setting that could lose acknowledged events is
                // a reason to stop, not to warn.
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        durability(conn)
                            .await
                            .map_err(|e| sqlx::Error::Configuration(e.to_string().into()))
                    })
                })
                .connect_lazy_with(connect);
            Connections::Pool(pool)
        };
        Ok(SqliteStore {
            connections,
            access: options.access,
        })
    }

    async fn lease(&self) -> Result<Lease<'_>, StoreError> {
        match &self.connections {
            Connections::One(conn) => MutexGuard::try_map(conn.lock().await, Option::as_mut)
                .map(Lease::One)
                .map_err(|_| StoreError::Backend("the store is closed".into())),
            Connections::Pool(pool) => pool.acquire().await.map(Lease::Pool).map_err(backend),
        }
    }

    fn writable(&self) -> Result<(), StoreError> {
        match self.access {
            Access::Write => Ok(()),
            Access::Read => Err(StoreError::ReadOnly),
        }
    }
}

/// An open that failed: a missing file for a read is [`StoreError::Missing`].
fn opening(path: &Path, err: sqlx::Error) -> StoreError {
    if !path.exists() {
        StoreError::Missing(path.display().to_string())
    } else {
        match backend(err) {
            StoreError::Damaged(problem) => {
                StoreError::Damaged(format!("{}: {problem}", path.display()))
            }
            StoreError::Backend(problem) => {
                StoreError::Backend(format!("cannot open {}: {problem}", path.display()))
            }
            other => other,
        }
    }
}

/// Checks the durability settings and the schema on the first connection: for writing, runs
/// the migrations; for reading, requires the events table to be there already.
async fn prepare(
    conn: &mut SqliteConnection,
    path: &Path,
    access: Access,
) -> Result<(), StoreError> {
    durability(conn).await?;
    match access {
        // `run_direct` on the connection itself: `run` goes through `Acquire`, whose lifetimes
        // would make `open` a future that is not `Send`.
        Access::Write => sqlx::migrate!("./migrations/sqlite")
            .run_direct(None, conn, false)
            .await
            .map_err(|e| match e {
                sqlx::migrate::MigrateError::Execute(e) => backend(e),
                other => StoreError::Backend(other.to_string()),
            }),
        Access::Read => {
            let tables: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'",
            )
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
            if tables == 0 {
                return Err(StoreError::Missing(format!(
                    "{} (an SQLite file, but no coalition record in it)",
                    path.display()
                )));
            }
            Ok(())
        }
    }
}

/// Refuses a connection unless the database is in WAL mode with `synchronous=FULL`.
async fn durability(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let (mode, sync): (String, i64) = sqlx::query_as(
        "SELECT (SELECT journal_mode FROM pragma_journal_mode), \
                (SELECT synchronous FROM pragma_synchronous)",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    if !mode.eq_ignore_ascii_case("wal") || sync != SYNCHRONOUS_FULL {
        return Err(StoreError::Unsafe(format!(
            "journal_mode={mode}, synchronous={sync}; need wal and {SYNCHRONOUS_FULL}"
        )));
    }
    Ok(())
}

async fn head_in(conn: &mut SqliteConnection, coalition: &CoalitionId) -> Result<Head, StoreError> {
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
                seq: crate::seq_from_db(seq)?,
                hash: crate::hash_from_db(&hash)?,
            })
        }
    }
}

/// The rows of an append, a thousand per statement: one round trip to SQLite's worker thread
/// per statement, not per row.
async fn insert_in(
    conn: &mut SqliteConnection,
    coalition: &CoalitionId,
    events: &[SealedEvent],
) -> Result<(), StoreError> {
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO events (coalition, seq, body, hash) ");
        let mut rows = Vec::with_capacity(chunk.len());
        for event in chunk {
            rows.push((i64::try_from(event.seq).map_err(too_large)?, event));
        }
        insert.push_values(rows, |mut row, (seq, event)| {
            row.push_bind(coalition.as_str())
                .push_bind(seq)
                .push_bind(event.body.as_slice())
                .push_bind(event.hash.as_bytes().as_slice());
        });
        insert.build().execute(&mut *conn).await.map_err(backend)?;
    }
    Ok(())
}

/// The row that says `claim`'s key was used for `events`, in the append's transaction.
async fn claim_in(
    conn: &mut SqliteConnection,
    coalition: &CoalitionId,
    events: &[SealedEvent],
    claim: &Claim,
) -> Result<(), StoreError> {
    let (first, last) = crate::claimed_range(events)?;
    sqlx::query(
        "INSERT INTO idempotency_keys (coalition, principal, key, request, first_seq, last_seq) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(coalition.as_str())
    .bind(&claim.principal)
    .bind(&claim.key)
    .bind(claim.request.as_bytes().as_slice())
    .bind(first)
    .bind(last)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

impl SqliteStore {
    async fn append_with(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: Option<&Claim>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        crate::numbered_from(expected, events)?;
        let mut conn = self.lease().await?;
        // BEGIN IMMEDIATE takes the write lock first, so the head read and the inserts see one
        // consistent log even with several processes writing; the primary key (coalition, seq)
        // is the last line of defence.
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        let actual = head_in(&mut tx, coalition).await?;
        if actual != expected {
            return Err(StoreError::Conflict { expected, actual });
        }
        insert_in(&mut tx, coalition, events).await?;
        if let Some(claim) = claim {
            claim_in(&mut tx, coalition, events, claim).await?;
        }
        // Acknowledged only after COMMIT returns: with synchronous=FULL the WAL is fsynced first.
        tx.commit().await.map_err(backend)
    }
}

#[async_trait::async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError> {
        self.append_with(coalition, expected, events, None).await
    }

    async fn append_claiming(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: &Claim,
    ) -> Result<(), StoreError> {
        self.append_with(coalition, expected, events, Some(claim))
            .await
    }

    async fn claimed(
        &self,
        coalition: &CoalitionId,
        principal: &str,
        key: &str,
    ) -> Result<Option<Claimed>, StoreError> {
        let mut conn = self.lease().await?;
        let row = sqlx::query(
            "SELECT request, first_seq, last_seq FROM idempotency_keys \
             WHERE coalition = $1 AND principal = $2 AND key = $3",
        )
        .bind(coalition.as_str())
        .bind(principal)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
        row.map(|row| crate::claimed(row.get(0), row.get(1), row.get(2)))
            .transpose()
    }

    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<SealedEvent>, StoreError> {
        let from = i64::try_from(from).map_err(too_large)?;
        let limit = i64::try_from(limit).map_err(too_large)?;
        let mut conn = self.lease().await?;
        let rows = sqlx::query(
            "SELECT seq, body, hash FROM events WHERE coalition = $1 AND seq >= $2 \
             ORDER BY seq LIMIT $3",
        )
        .bind(coalition.as_str())
        .bind(from)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|row| {
                let seq: i64 = row.get(0);
                let body: Vec<u8> = row.get(1);
                let hash: &[u8] = row.get(2);
                crate::sealed(seq, body, hash)
            })
            .collect()
    }

    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError> {
        let mut conn = self.lease().await?;
        head_in(&mut conn, coalition).await
    }

    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError> {
        let mut conn = self.lease().await?;
        let names: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT coalition FROM events ORDER BY coalition")
                .fetch_all(&mut *conn)
                .await
                .map_err(backend)?;
        crate::coalition_ids(&names)
    }

    async fn discard(&self, coalition: &CoalitionId) -> Result<(), StoreError> {
        self.writable()?;
        let mut conn = self.lease().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        for delete in [
            "DELETE FROM events WHERE coalition = $1",
            "DELETE FROM idempotency_keys WHERE coalition = $1",
        ] {
            sqlx::query(delete)
                .bind(coalition.as_str())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn close(&self) {
        match &self.connections {
            Connections::One(conn) => {
                if let Some(conn) = conn.lock().await.take() {
                    let _ = conn.close().await;
                }
            }
            Connections::Pool(pool) => pool.close().await,
        }
    }
}
