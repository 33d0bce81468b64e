//! The `coalition-bench` binary, end to end: the durability harnesses with their negative
//! controls, and the benches' last lines.

mod durability;
mod support;
