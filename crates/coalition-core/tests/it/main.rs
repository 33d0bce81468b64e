//! The guarantee lifecycle, end to end through `decide` and `apply`.

mod coverage;
mod lifecycle;
mod replay;
mod support;
