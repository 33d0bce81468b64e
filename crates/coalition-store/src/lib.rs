//! Where is it kept? The embedded SQLite store: one file, WAL, `synchronous=FULL`, asserted at
//! start-up, so an append acknowledged to the caller survives a crash and a power cut.
//!
//! The store keeps bytes in order and refuses stale writers; it does not interpret events
//! (that is `coalition-ledger`) nor decide anything (that is `coalition-core`). Callers open it
//! by URL and hold the [`EventStore`] trait object, so another backend is a new URL scheme.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod sqlite;

use std::path::Path;
use std::sync::Arc;

use coalition_ledger::{EventStore, StoreError};

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
/// an absolute path). `postgres://` is reserved for the PostgreSQL store, not built yet.
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
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(StoreError::Location(format!(
            "{}: the PostgreSQL store is not built yet; use sqlite://PATH",
            redacted(url)
        )));
    }
    Err(StoreError::Location(format!(
        "{}: expected a store URL such as sqlite://PATH",
        redacted(url)
    )))
}

/// The URL of the SQLite database at `path`.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The URL without a password (`user:secret@host` → `user:…@host`), for error messages.
fn redacted(url: &str) -> String {
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
