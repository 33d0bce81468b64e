//! What may this principal do and see? The application layer under every front end.
//!
//! ```text
//!  CLI (clap, text)  ─┐
//!                     ├──> App ──> Reader (the gate) ──> views (one JSON shape)
//!  server (HTTP)    ──┘     └────> Request ──> Ledger::execute ──> receipts
//! ```
//!
//! [`App`] opens a record from a [`Config`] (where the record is, where log keys and trusted
//! checkpoints are kept, the clock). Every read starts from [`App::read`], which names the
//! reader and the times of reading and returns a [`Reader`]: the state stays private, and every
//! answer is a typed view in [`views`], built from what the gate hands out. Every write is a
//! [`Request`] submitted with [`App::submit`]. Errors are [`AppError`]s, which the CLI maps to
//! exit codes and the server to HTTP statuses.
//!
//! This crate parses no command line and speaks no HTTP; it reads no file the caller did not
//! name through its config (scenario and draft texts come in as strings).

#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod clock;
mod demo;
pub mod error;
pub mod exercise;
pub mod formats;
pub mod import;
pub mod keys;
pub mod log;
pub mod migrate;
mod random;
pub mod reader;
pub mod request;
pub mod tokens;
pub mod trust;
pub mod views;

pub use app::{Access, App, Config, Submitted};
pub use demo::{DEMO_COALITION, PARIS_SCENARIO};
pub use error::AppError;
pub use reader::{Reader, Reading, ToSign, Who};
pub use request::Request;
