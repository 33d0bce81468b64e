//! How is it recorded and proven? Canonical bytes, the hash chain, Merkle proofs, signatures,
//! the `EventStore` trait and the one write path, `Ledger::execute`.
//!
//! This crate decides nothing (the rules are in `coalition-core`) and stores nothing itself
//! (the backends are in `coalition-store`).

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod audience;
pub mod audit;
pub mod bundle;
pub mod canonical;
pub mod checkpoint;
pub mod hash;
mod jcs;
pub mod ledger;
pub mod merkle;
pub mod seal;
pub mod store;
pub mod verify;

pub use hash::Hash;
pub use ledger::{AsOf, Current, Ledger, LedgerError, Receipt, Replayed, VerifiedEntry};
pub use seal::{Head, SealedEvent};
pub use store::{Claim, Claimed, EventStore, StoreError};
