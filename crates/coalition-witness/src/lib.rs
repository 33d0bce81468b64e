//! Who vouches for the checkpoints? A witness that a member state runs on its own machine: it
//! holds, per log, the latest checkpoint it cosigned, durably; it cosigns a new one only when
//! the log signed it and a consistency proof shows it extends the one held (C2SP tlog-witness,
//! checks in `coalition_ledger::witness`); and it keeps the signed evidence of any
//! inconsistency it is shown. The client side asks several witnesses at once.
//!
//! It depends on the ledger alone: a witness needs neither the record nor the application.

#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod client;
pub mod server;
pub mod state;

pub use state::{Held, StateError, Witness, WitnessedLog, init, origin_hash};
