//! The record's hash type lives in the core (approvals hash version contents); the ledger uses
//! the same one for event hashes, Merkle nodes and checkpoint roots.

pub use coalition_core::hash::{Hash, HashParseError};
