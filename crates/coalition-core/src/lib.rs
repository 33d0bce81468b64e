//! What may happen? The guarantee lifecycle as pure rules.
//!
//! ```text
//!  commitments in force ──> armed attack reported ──> verified (or rejected)
//!                                                        │
//!                                  activation of every matching commitment in force
//!                                                        v
//!                                   obligations with deadlines ──> fulfilment
//! ```
//!
//! A coalition's state is rebuilt from its events with [`apply`]; a command becomes events (or a
//! [`Rejection`]) through [`decide`], which is given the clock and the actor in a [`Context`].
//! Every read goes through [`disclosure`], where [`classification::may_read`] decides.
//!
//! This crate does no I/O, reads no clock and knows nothing of storage or of how the log is
//! sealed: those live in `coalition-ledger` and `coalition-store`. The only hashing and
//! signature checks here are rules (a version's content hash, a leader's approval).

#![deny(clippy::unwrap_used)]

pub mod activation;
pub mod apply;
pub mod classification;
pub mod command;
pub mod commitment;
pub mod communique;
pub mod coverage;
pub mod dates;
pub mod decide;
pub mod disclosure;
pub mod event;
pub mod exercise;
pub mod hash;
pub mod id;
pub mod incident;
pub mod instrument;
pub mod limits;
pub mod names;
pub mod obligation;
pub mod party;
pub mod rejection;
pub mod signature;
pub mod state;
pub mod statement;
pub mod whatif;
pub mod witness;

pub use apply::apply;
pub use command::{Command, Context};
pub use decide::decide;
pub use event::Event;
pub use rejection::Rejection;
pub use state::State;
