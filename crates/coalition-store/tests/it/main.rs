//! The storage contract, checked on every backend available.

mod conformance;
