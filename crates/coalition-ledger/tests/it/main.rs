//! The record's integrity: the hash chain and the canonical bytes under random logs and every
//! kind of tampering; Merkle proofs (reference vectors, exhaustive probes, `ct-merkle`);
//! signed checkpoints; offline bundles.

mod bundle;
mod chain;
mod checkpoint;
mod interop;
mod merkle_ct;
mod merkle_probes;
mod merkle_vectors;
