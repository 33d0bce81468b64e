//! Where is it kept? The embedded SQLite store (the default): one file, WAL, `synchronous=FULL`,
//! asserted at start-up, so an append acknowledged to the caller survives a crash and a power
//! cut; and, with feature `postgres`, a PostgreSQL database that several server nodes share,
//! with the same guarantees asserted the same way (see `postgres.rs` and docs/postgres.md).
//!
//! The store keeps bytes in order and refuses stale writers; it does not interpret events
//! (that is `coalition-ledger`) nor decide anything (that is `coalition-core`). Callers open it
//! by URL and hold the [`EventStore`] trait object, so another backend is a new URL scheme.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use coalition_core::id::CoalitionId;
use coalition_ledger::{Claimed, EventStore, Hash, Head, SealedEvent, StoreError};

/// Whether an open may create and change the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// An existing record only: a missing one is [`StoreError::Missing`] and nothing is
    /// created (no directory, no file, no table); appends and discards are refused.
    Read,
    /// Creates the record (its directory, its file, its tables) if missing and may append.
    Write,
}

/// How to open a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    /// Read or write.
    pub access: Access,
    /// How many connections to keep. One (the default) suits a one-shot command: one
    /// connection, opened once, with SQLite's one worker thread and no pool; a server asks
    /// for more so that readers do not wait for each other.
    pub connections: u32,
}

impl OpenOptions {
    /// An existing record, for reading, on one connection.
    pub const READ: OpenOptions = OpenOptions {
        access: Access::Read,
        connections: 1,
    };

    /// The record, created if missing, for writing, on one connection.
    pub const WRITE: OpenOptions = OpenOptions {
        access: Access::Write,
        connections: 1,
    };

    /// The same with `connections` connections (at least one).
    pub fn with_connections(self, connections: u32) -> OpenOptions {
        OpenOptions {
            connections: connections.max(1),
            ..self
        }
    }
}

/// Opens the store at `url`: `sqlite://PATH` (a relative or, as in `sqlite:///srv/x.sqlite`,
/// an absolute path), or `postgres://USER@HOST:PORT/DATABASE` (also `postgresql://`) in a
/// build with feature `postgres`.
pub async fn open(url: &str, options: OpenOptions) -> Result<Arc<dyn EventStore>, StoreError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        if path.is_empty() {
            return Err(StoreError::Location(format!(
                "{url:?}: expected sqlite://PATH with a file name"
            )));
        }
        let store = sqlite::SqliteStore::open(Path::new(path), options).await?;
        return Ok(Arc::new(store));
    }
    if is_postgres(url) {
        #[cfg(feature = "postgres")]
        return Ok(Arc::new(postgres::PostgresStore::open(url, options).await?));
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError::Location(format!(
            "{}: this build has no PostgreSQL store (feature `postgres`); use sqlite://PATH",
            redacted(url)
        )));
    }
    Err(StoreError::Location(format!(
        "{}: expected a store URL such as sqlite://PATH or postgres://USER@HOST/DATABASE",
        redacted(url)
    )))
}

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Checks that `events` number on from `expected` one by one.
fn numbered_from(expected: Head, events: &[SealedEvent]) -> Result<(), StoreError> {
    for (next, event) in (expected.seq + 1..).zip(events) {
        if event.seq != next {
            return Err(StoreError::Numbering {
                expected: next,
                found: event.seq,
            });
        }
    }
    Ok(())
}

fn seq_from_db(seq: i64) -> Result<u64, StoreError> {
    u64::try_from(seq)
        .map_err(|_| StoreError::Damaged(format!("negative sequence number {seq} in the database")))
}

fn hash_from_db(bytes: &[u8]) -> Result<Hash, StoreError> {
    let array: [u8; 32] = bytes.try_into().map_err(|_| {
        StoreError::Damaged(format!(
            "stored hash has {} bytes, expected 32",
            bytes.len()
        ))
    })?;
    Ok(Hash(array))
}

/// The first and last sequence numbers of a claimed write, as the database stores them.
fn claimed_range(events: &[SealedEvent]) -> Result<(i64, i64), StoreError> {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Err(StoreError::Backend(
            "an idempotency key claims at least one entry".into(),
        ));
    };
    let db = |seq: u64| {
        i64::try_from(seq)
            .map_err(|_| StoreError::Backend(format!("sequence number {seq} is out of range")))
    };
    Ok((db(first.seq)?, db(last.seq)?))
}

/// A claim read back: the row's columns checked on the way.
fn claimed(request: &[u8], first: i64, last: i64) -> Result<Claimed, StoreError> {
    Ok(Claimed {
        request: hash_from_db(request)?,
        first: seq_from_db(first)?,
        last: seq_from_db(last)?,
    })
}

/// An entry read back: the row's columns checked on the way.
fn sealed(seq: i64, body: Vec<u8>, hash: &[u8]) -> Result<SealedEvent, StoreError> {
    Ok(SealedEvent {
        seq: seq_from_db(seq)?,
        body,
        hash: hash_from_db(hash)?,
    })
}

/// The coalitions named in the events table, parsed.
fn coalition_ids(names: &[String]) -> Result<Vec<CoalitionId>, StoreError> {
    names
        .iter()
        .map(|name| {
            CoalitionId::parse(name)
                .map_err(|e| StoreError::Damaged(format!("coalition name {name:?}: {e}")))
        })
        .collect()
}

/// The URL of the SQLite database at `path`.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The URL without a password (`user:secret@host` → `user:…@host`), for error messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:…@{host}{}", &rest[authority_end..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_repeated_in_errors() {
        assert_eq!(
            redacted("postgres://app:hunter2@db.example/coalition"),
            "postgres://app:…@db.example/coalition"
        );
        assert_eq!(redacted("postgres://db/x"), "postgres://db/x");
        assert_eq!(redacted("mysql:x"), "mysql:x");
    }
}
