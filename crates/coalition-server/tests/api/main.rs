//! The API in process: a server on an ephemeral loopback port over a fresh demo record, asked
//! as a client would ask it.

mod events;
mod formats;
mod gate;
mod nodes;
mod openapi;
mod reads;
mod support;
mod writes;
