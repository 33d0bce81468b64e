//! Integration tests of the negotiation engine: properties checked by brute force, the
//! peers' expected results, the readers on real files, the forecasts.

mod peers;
mod properties;
mod scenario;
mod support;
