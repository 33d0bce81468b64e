//! The record's integrity: the hash chain and the canonical bytes under random logs and
//! every kind of tampering.

mod chain;
