//! The guarantee lifecycle and statements, end to end through `decide` and `apply`.

mod coverage;
mod exercise;
mod fixture;
mod incidents;
mod lifecycle;
mod replay;
mod secrecy;
mod statements;
mod support;
mod time;
mod two_times;
mod validation;
mod whatif;
mod witnesses;
mod world;
