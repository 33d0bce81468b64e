//! Where is it kept? The embedded SQLite store: one file, WAL, `synchronous=FULL`, asserted at
//! start-up, so an append acknowledged to the caller survives a crash and a power cut.
//!
//! The store keeps bytes in order and refuses stale writers; it does not interpret events
//! (that is `coalition-ledger`) nor decide anything (that is `coalition-core`).

mod sqlite;

pub use sqlite::{Durability, SqliteStore};
