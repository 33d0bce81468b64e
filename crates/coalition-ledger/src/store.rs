//! The storage contract. Implementations keep each coalition's entries in order and append
//! atomically with optimistic concurrency; they know nothing of what the bytes mean.

use coalition_core::id::CoalitionId;

use crate::seal::{Head, SealedEvent};

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Another writer appended first: the log is not where the caller expected.
    #[error("sequence conflict: expected the log to end at {expected}, it ends at {actual}")]
    Conflict {
        /// The sequence number the caller expected at the end.
        expected: u64,
        /// Where the log actually ends.
        actual: u64,
    },
    /// The backend failed (I/O, disk full, a constraint).
    #[error("storage failed: {0}")]
    Backend(String),
    /// The backend refuses to run with settings that could lose acknowledged events.
    #[error("unsafe storage settings: {0}")]
    Unsafe(String),
}

/// Where coalitions' logs are kept.
#[async_trait::async_trait]
pub trait EventStore: Send + Sync {
    /// Appends `events` if the log of `coalition` ends at `expected` (sequence number *and*
    /// hash); all or nothing, durable when it returns `Ok`.
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError>;

    /// The entries with `seq >= from`, in order.
    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
    ) -> Result<Vec<SealedEvent>, StoreError>;

    /// Where the log of `coalition` ends.
    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError>;

    /// Every coalition with at least one entry, by id.
    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError>;
}
