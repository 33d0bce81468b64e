//! How is it recorded and proven? Canonical bytes, the hash chain, Merkle proofs, signatures,
//! the `EventStore` trait and the one write path.

pub mod checkpoint;
pub mod hash;
pub mod merkle;

pub use hash::Hash;
