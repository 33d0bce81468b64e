//! The web pages in process: the whole site (pages + API) on an ephemeral loopback port over a
//! fresh demo record, asked as a browser would ask it.

mod auth;
mod dashboard;
mod gate;
mod incidents;
mod live;
mod public;
mod record;
mod statements;
mod support;
