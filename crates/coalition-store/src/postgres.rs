//! The PostgreSQL event store: for several server nodes on one database.
//!
//! An append is one SERIALIZABLE transaction — read the head, compare it with the one the
//! writer expected, insert the rows, commit — and `(coalition, seq)` is the primary key. Two
//! writers that saw the same head both insert its successor's number, so one of them fails
//! (a unique violation, 23505, or a serialization failure, 40001), whatever the isolation
//! level; SERIALIZABLE makes the head check itself part of the guarantee rather than a
//! consequence of the key's shape, and it is the level every PostgreSQL-compatible distributed
//! engine implements with the same meaning. A failed transaction is rolled back and the head
//! read again: if it moved, the writer gets [`StoreError::Conflict`] and decides again on the
//! newer state; if it did not (a serialization failure with an unrelated transaction), the
//! append is tried again, a bounded number of times.
//!
//! Nothing rests on session state: no advisory locks (CockroachDB's do not lock), no
//! LISTEN/NOTIFY, no prepared statements kept across transactions, no `SET` outside a
//! transaction; so a pooler in transaction mode (PgBouncer) and the distributed engines keep
//! the guarantees. Durability is asserted on every connection: `fsync`, `synchronous_commit`
//! and `full_page_writes` must be such that a COMMIT that returned is on disk.

use std::time::Duration;

use coalition_core::id::CoalitionId;
use coalition_ledger::{Claim, Claimed, EventStore, Head, SealedEvent, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool, Row};

use crate::{Access, OpenOptions, redacted};

/// How often an append whose transaction failed on a serialization failure, with the head
/// where the writer expected it, is tried again before the failure is reported.
const SERIALIZATION_RETRIES: usize = 8;

/// Events in a PostgreSQL database.
pub(crate) struct PostgresStore {
    pool: PgPool,
    access: Access,
}

/// A failure of the server or of the connection; class XX (data_corrupted, index_corrupted)
/// is a damaged record, as SQLite's SQLITE_CORRUPT is.
fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(err.to_string())
}

fn failed(err: sqlx::Error) -> StoreError {
    if matches!(
        err,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_)
    ) {
        return StoreError::Unavailable(err.to_string());
    }
    match sqlstate(&err).as_deref() {
        Some("XX001" | "XX002") => StoreError::Damaged(err.to_string()),
        // Connection exceptions (class 08), and a server shutting down or starting up.
        Some(code) if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") => {
            StoreError::Unavailable(err.to_string())
        }
        _ => StoreError::Backend(err.to_string()),
    }
}

/// The SQLSTATE of a database error, if it is one.
fn sqlstate(err: &sqlx::Error) -> Option<String> {
    match err {
        sqlx::Error::Database(db) => db.code().map(|code| code.into_owned()),
        _ => None,
    }
}

/// 40001 (serialization failure), 40P01 (deadlock) and 23505 (unique violation): another
/// transaction got there first; the head tells whether it was an append to this log.
fn lost_a_race(err: &sqlx::Error) -> bool {
    matches!(sqlstate(err).as_deref(), Some("40001" | "40P01" | "23505"))
}

impl PostgresStore {
    /// Connects to the database at `url`: for writing, runs the migrations; for reading,
    /// requires the events table and creates nothing. Either way it refuses to run unless a
    /// COMMIT that returned is durable.
    pub(crate) async fn open(url: &str, options: OpenOptions) -> Result<PostgresStore, StoreError> {
        let connect: PgConnectOptions = url.parse().map_err(|e| {
            StoreError::Location(format!(
                "{}: not a PostgreSQL URL: {e}; expected postgres://USER@HOST:PORT/DATABASE",
                redacted(url)
            ))
        })?;
        let connect = connect
            // Prepared statements live in the session: a pooler in transaction mode would hand
            // them to another client's connection. Each statement is parsed again instead.
            .statement_cache_capacity(0)
            .application_name("coalition");
        let where_ = redacted(url);
        // The first connection on its own, so that a refusal is reported as one (a pool whose
        // `after_connect` fails only says it timed out).
        let mut first = PgConnection::connect_with(&connect)
            .await
            .map_err(|e| opening(&where_, e))?;
        let prepared = prepare(&mut first, &where_, options.access).await;
        let _ = first.close().await;
        prepared?;
        let pool = PgPoolOptions::new()
            .max_connections(options.connections.max(1))
            .min_connections(0)
            // While the server is down or restarting, a caller is told so within seconds (a
            // server answers 503) rather than waiting for it.
            .acquire_timeout(Duration::from_secs(5))
            // Asserted on every connection: a role or database may set synchronous_commit off.
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    durability(conn)
                        .await
                        .map_err(|e| sqlx::Error::Configuration(e.to_string().into()))
                })
            })
            .connect_lazy_with(connect);
        Ok(PostgresStore {
            pool,
            access: options.access,
        })
    }

    fn writable(&self) -> Result<(), StoreError> {
        match self.access {
            Access::Write => Ok(()),
            Access::Read => Err(StoreError::ReadOnly),
        }
    }

    /// One try at an append: `Ok(Err(e))` when the transaction lost a race.
    async fn try_append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: Option<&Claim>,
    ) -> Result<Result<(), sqlx::Error>, StoreError> {
        let range = claim.map(|_| crate::claimed_range(events)).transpose()?;
        let mut conn = self.pool.acquire().await.map_err(failed)?;
        let attempt = async {
            let mut tx = conn
                .begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")
                .await?;
            let actual = head_in(&mut tx, coalition).await?;
            if actual != expected {
                return Ok(Err(StoreError::Conflict { expected, actual }));
            }
            insert_in(&mut tx, coalition, events).await?;
            if let (Some(claim), Some((first, last))) = (claim, range) {
                sqlx::query(
                    "INSERT INTO idempotency_keys \
                     (coalition, principal, key, request, first_seq, last_seq) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(coalition.as_str())
                .bind(&claim.principal)
                .bind(&claim.key)
                .bind(claim.request.as_bytes().as_slice())
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            }
            // Acknowledged only after COMMIT returns: with synchronous_commit on, the WAL
            // record of the commit is flushed first. A COMMIT whose answer was lost may have
            // been made: that is neither "nothing written" nor a success.
            if let Err(err) = tx.commit().await {
                if lost_a_race(&err) {
                    return Err(err);
                }
                return Ok(Err(StoreError::Backend(format!(
                    "the COMMIT's outcome is unknown ({err}): read the log before writing again"
                ))));
            }
            Ok(Ok(()))
        };
        match attempt.await {
            Ok(Ok(())) => Ok(Ok(())),
            Ok(Err(conflict)) => Err(conflict),
            Err(err) if lost_a_race(&err) => Ok(Err(err)),
            Err(err) => Err(failed(err)),
        }
    }
}

/// A connection that failed: a database that does not exist is [`StoreError::Missing`].
fn opening(url: &str, err: sqlx::Error) -> StoreError {
    match sqlstate(&err).as_deref() {
        // invalid_catalog_name: the database named in the URL does not exist.
        Some("3D000") => StoreError::Missing(format!("{url} (no such database)")),
        _ => StoreError::Backend(format!("cannot connect to {url}: {err}")),
    }
}

/// Checks durability and the schema on the first connection: for writing, runs the
/// migrations; for reading, requires the events table to be there already.
async fn prepare(conn: &mut PgConnection, url: &str, access: Access) -> Result<(), StoreError> {
    durability(conn).await?;
    match access {
        Access::Write => migrate(conn).await,
        Access::Read => {
            let table: Option<String> = sqlx::query_scalar("SELECT to_regclass('events')::text")
                .fetch_one(&mut *conn)
                .await
                .map_err(backend)?;
            match table {
                Some(_) => Ok(()),
                None => Err(StoreError::Missing(format!(
                    "{url} (a PostgreSQL database, but no coalition record in it)"
                ))),
            }
        }
    }
}

/// Runs the embedded migrations without sqlx's advisory lock (which does not lock on
/// CockroachDB): two nodes starting at once on a fresh database may both try; DDL is
/// transactional, so the loser fails on the catalog's unique keys, rolls back, and finds the
/// migration applied when it tries again.
async fn migrate(conn: &mut PgConnection) -> Result<(), StoreError> {
    let mut migrator = sqlx::migrate!("./migrations/postgres");
    migrator.set_locking(false);
    let mut tries = 0;
    loop {
        match migrator.run_direct(None, conn, false).await {
            Ok(()) => return Ok(()),
            Err(_) if tries < 3 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100 * tries)).await;
            }
            Err(err) => return Err(backend(format!("migrations failed: {err}"))),
        }
    }
}

/// The settings under which a COMMIT that returned might not survive a crash of the server or
/// of its machine, each with what it must be and how to fix it.
async fn durability(conn: &mut PgConnection) -> Result<(), StoreError> {
    let (fsync, commit, full_pages): (String, String, String) = sqlx::query_as(
        "SELECT current_setting('fsync'), current_setting('synchronous_commit'), \
                current_setting('full_page_writes')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    unsafe_settings(&fsync, &commit, &full_pages)
}

/// The check itself, apart from the query, so that every refusal can be tested.
fn unsafe_settings(fsync: &str, commit: &str, full_pages: &str) -> Result<(), StoreError> {
    let mut problems = Vec::new();
    if fsync != "on" {
        problems.push(format!(
            "fsync={fsync}: the server does not flush its writes to disk; \
             set fsync = on in postgresql.conf and reload"
        ));
    }
    // `local` and `remote_write` flush the primary's WAL too, but an acknowledged commit can
    // then be missing from a standby promoted after a failover; only these two promise both.
    if !matches!(commit, "on" | "remote_apply") {
        problems.push(format!(
            "synchronous_commit={commit}: a COMMIT may return before its WAL is durable; \
             set synchronous_commit = on (postgresql.conf, or ALTER ROLE/DATABASE … RESET \
             synchronous_commit, or drop it from the URL's options)"
        ));
    }
    if full_pages != "on" {
        problems.push(format!(
            "full_page_writes={full_pages}: a torn page after a power cut cannot be repaired; \
             set full_page_writes = on"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Unsafe(problems.join("; ")))
    }
}

async fn head_in(conn: &mut PgConnection, coalition: &CoalitionId) -> Result<Head, sqlx::Error> {
    let row =
        sqlx::query("SELECT seq, hash FROM events WHERE coalition = $1 ORDER BY seq DESC LIMIT 1")
            .bind(coalition.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => Ok(Head::EMPTY),
        Some(row) => {
            let seq: i64 = row.try_get(0)?;
            let hash: Vec<u8> = row.try_get(1)?;
            Ok(Head {
                seq: crate::seq_from_db(seq).map_err(decode)?,
                hash: crate::hash_from_db(&hash).map_err(decode)?,
            })
        }
    }
}

fn decode(err: StoreError) -> sqlx::Error {
    sqlx::Error::Decode(err.to_string().into())
}

/// All rows of an append in one statement, whatever their number: the columns go as three
/// arrays and `unnest` turns them into rows.
async fn insert_in(
    conn: &mut PgConnection,
    coalition: &CoalitionId,
    events: &[SealedEvent],
) -> Result<(), sqlx::Error> {
    let mut seqs = Vec::with_capacity(events.len());
    let mut bodies = Vec::with_capacity(events.len());
    let mut hashes = Vec::with_capacity(events.len());
    for event in events {
        seqs.push(i64::try_from(event.seq).map_err(|e| sqlx::Error::Encode(e.into()))?);
        bodies.push(event.body.as_slice());
        hashes.push(event.hash.as_bytes().as_slice());
    }
    sqlx::query(
        "INSERT INTO events (coalition, seq, body, hash) \
         SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[])",
    )
    .bind(coalition.as_str())
    .bind(seqs)
    .bind(bodies)
    .bind(hashes)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl PostgresStore {
    async fn append_with(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: Option<&Claim>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        crate::numbered_from(expected, events)?;
        let mut failures = 0;
        loop {
            let lost = match self.try_append(coalition, expected, events, claim).await? {
                Ok(()) => return Ok(()),
                Err(lost) => lost,
            };
            // Rolled back: nothing of ours is written. Whether the log moved decides.
            let actual = self.head(coalition).await?;
            if actual != expected {
                return Err(StoreError::Conflict { expected, actual });
            }
            failures += 1;
            if failures > SERIALIZATION_RETRIES {
                return Err(backend(format!(
                    "the append failed {failures} times on concurrent transactions: {lost}"
                )));
            }
        }
    }
}

#[async_trait::async_trait]
impl EventStore for PostgresStore {
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
        let row = sqlx::query(
            "SELECT request, first_seq, last_seq FROM idempotency_keys \
             WHERE coalition = $1 AND principal = $2 AND key = $3",
        )
        .bind(coalition.as_str())
        .bind(principal)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed)?;
        row.map(|row| {
            let request: &[u8] = row.try_get(0).map_err(backend)?;
            crate::claimed(
                request,
                row.try_get(1).map_err(backend)?,
                row.try_get(2).map_err(backend)?,
            )
        })
        .transpose()
    }

    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<SealedEvent>, StoreError> {
        let from = i64::try_from(from).map_err(backend)?;
        let limit = i64::try_from(limit).map_err(backend)?;
        let rows = sqlx::query(
            "SELECT seq, body, hash FROM events WHERE coalition = $1 AND seq >= $2 \
             ORDER BY seq LIMIT $3",
        )
        .bind(coalition.as_str())
        .bind(from)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(failed)?;
        rows.into_iter()
            .map(|row| {
                let seq: i64 = row.try_get(0).map_err(backend)?;
                let body: Vec<u8> = row.try_get(1).map_err(backend)?;
                let hash: &[u8] = row.try_get(2).map_err(backend)?;
                crate::sealed(seq, body, hash)
            })
            .collect()
    }

    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(failed)?;
        head_in(&mut conn, coalition).await.map_err(failed)
    }

    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT coalition FROM events ORDER BY coalition")
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        crate::coalition_ids(&names)
    }

    async fn discard(&self, coalition: &CoalitionId) -> Result<(), StoreError> {
        self.writable()?;
        let mut tx = self.pool.begin().await.map_err(failed)?;
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
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_that_could_lose_a_commit_is_named_with_its_fix() {
        assert!(unsafe_settings("on", "on", "on").is_ok());
        assert!(unsafe_settings("on", "remote_apply", "on").is_ok());
        for (fsync, commit, pages, named) in [
            ("off", "on", "on", "fsync=off"),
            ("on", "off", "on", "synchronous_commit=off"),
            ("on", "local", "on", "synchronous_commit=local"),
            (
                "on",
                "remote_write",
                "on",
                "synchronous_commit=remote_write",
            ),
            ("on", "on", "off", "full_page_writes=off"),
        ] {
            let message = unsafe_settings(fsync, commit, pages)
                .unwrap_err()
                .to_string();
            assert!(message.contains(named), "{message}");
            assert!(message.contains("set "), "says how to fix it: {message}");
        }
    }
}
