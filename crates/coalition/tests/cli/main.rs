//! The `coalition` binary, end to end, in throwaway data directories with a fixed clock.

mod bad_input;
mod channels;
mod demo_flow;
mod formats;
mod gate;
mod help;
mod negotiate;
mod noninterference;
mod postgres;
mod remote;
mod serve;
mod statements;
mod support;
mod tamper;
mod time;
mod tokens;
mod views;
mod witness;
mod witness_crash;
