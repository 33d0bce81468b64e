//! The storage contract, checked on every backend available, and what the SQLite store adds:
//! durability asserted at open, reads that create nothing.

mod conformance;
mod ledgers;
mod sqlite;
