//! The storage contract. Implementations keep each coalition's entries in order and append
//! atomically with optimistic concurrency; they know nothing of what the bytes mean.

use coalition_core::id::CoalitionId;

use crate::hash::Hash;
use crate::seal::{Head, SealedEvent};

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Another writer appended first: the log is not where the caller expected.
    #[error("sequence conflict: {}", conflict(expected, actual))]
    Conflict {
        /// Where the caller expected the log to end.
        expected: Head,
        /// Where the log actually ends.
        actual: Head,
    },
    /// The entries of an append are not numbered on from the expected head, one by one.
    #[error("entry numbered {found} where {expected} comes next")]
    Numbering {
        /// The number the entry should have had.
        expected: u64,
        /// The number it has.
        found: u64,
    },
    /// There is no record at the location given (and opening for reading creates none).
    #[error("no record at {0}")]
    Missing(String),
    /// The location is not one this build can open.
    #[error("{0}")]
    Location(String),
    /// An append or discard through a store opened for reading only.
    #[error("the record was opened for reading only")]
    ReadOnly,
    /// The backend failed (I/O, disk full, a constraint).
    #[error("storage failed: {0}")]
    Backend(String),
    /// The backend cannot be reached now (a database restarting, a connection refused or
    /// timed out): nothing was written; trying again later may succeed.
    #[error("the record cannot be reached: {0}")]
    Unavailable(String),
    /// The stored bytes are not a well-formed record (a corrupted database file, a malformed
    /// row): evidence of damage or tampering, reported as a verification failure.
    #[error("the stored record is damaged: {0}")]
    Damaged(String),
    /// The backend refuses to run with settings that could lose acknowledged events.
    #[error("unsafe storage settings: {0}")]
    Unsafe(String),
}

/// "expected … it ends at …", naming the hashes when only they differ (a fork, not a race).
fn conflict(expected: &Head, actual: &Head) -> String {
    if expected.seq == actual.seq {
        format!(
            "expected the log to end at {} with hash {}, it ends there with hash {} (another history)",
            expected.seq, expected.hash, actual.hash
        )
    } else {
        format!(
            "expected the log to end at {}, it ends at {}",
            expected.seq, actual.seq
        )
    }
}

/// A write's claim on an idempotency key: the key a principal sent with a request, and what
/// the request was. Recorded in the same transaction as the write's entries, so that a retry —
/// through this process, another node or after a restart — finds it and records nothing again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The principal that sent the key (keys are the principal's own).
    pub principal: String,
    /// The key, as sent.
    pub key: String,
    /// SHA-256 of the request's JSON: a key sent again with another request is a mistake.
    pub request: Hash,
}

/// What a claimed key was used for: the request and the entries it recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claimed {
    /// SHA-256 of the request's JSON.
    pub request: Hash,
    /// The first and last sequence numbers the write appended.
    pub first: u64,
    /// The last.
    pub last: u64,
}

/// Where coalitions' logs are kept.
#[async_trait::async_trait]
pub trait EventStore: Send + Sync {
    /// Appends `events` if the log of `coalition` ends at `expected` (sequence number *and*
    /// hash) and they are numbered on from it; all or nothing, durable when it returns `Ok`.
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError>;

    /// [`EventStore::append`], recording in the same transaction that `claim`'s key was used
    /// for these entries (at least one). A key already claimed in this coalition is a conflict.
    async fn append_claiming(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: &Claim,
    ) -> Result<(), StoreError>;

    /// What `principal`'s `key` was claimed for in `coalition`, if it was.
    async fn claimed(
        &self,
        coalition: &CoalitionId,
        principal: &str,
        key: &str,
    ) -> Result<Option<Claimed>, StoreError>;

    /// At most `limit` entries with `seq >= from`, in order. Readers page through a log with
    /// it, so that a long log is never held in memory at once.
    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<SealedEvent>, StoreError>;

    /// Where the log of `coalition` ends.
    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError>;

    /// Every coalition with at least one entry, by id.
    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError>;

    /// Deletes a coalition's whole log. The log is append-only for everything else; only an
    /// explicit request of the record's keeper (the demo's `--reset`) calls this.
    async fn discard(&self, coalition: &CoalitionId) -> Result<(), StoreError>;

    /// Finishes cleanly: waits for the connections to close (SQLite checkpoints its WAL). Any
    /// call after it fails.
    async fn close(&self);
}

/// Every entry with `seq >= from`, paging through [`EventStore::read`]: for tests and small
/// logs; readers of a whole log use the ledger's streaming reads.
pub async fn read_all(
    store: &dyn EventStore,
    coalition: &CoalitionId,
    from: u64,
) -> Result<Vec<SealedEvent>, StoreError> {
    let mut entries = Vec::new();
    let mut next = from;
    loop {
        let page = store.read(coalition, next, PAGE).await?;
        let Some(last) = page.last() else {
            return Ok(entries);
        };
        next = last.seq + 1;
        let full = page.len() == PAGE;
        entries.extend(page);
        if !full {
            return Ok(entries);
        }
    }
}

/// How many entries a reader asks a store for at once: enough that a query's fixed cost
/// vanishes, few enough that no buffer of a page is large. (glibc's allocator consolidates its
/// free lists whenever a block over 64 KiB is freed; with a page of 4,096 decoded entries that
/// happened on every page and took a third of a replay's time.)
pub const PAGE: usize = 128;
