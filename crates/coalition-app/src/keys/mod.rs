//! Signing keys the application handles: the key-file format (PKCS#8 PEM, optionally encrypted)
//! and where each coalition's log signing key is kept ([`LogKeys`]).
//!
//! Leaders' own keys never pass through here except to be read on the signer's machine: only
//! signatures are submitted.

mod file;
mod log;

pub use file::{KeyFileError, generate, public_key, read_key_file, write_key_file};
pub use log::{FileLogKeys, LogKeys};
