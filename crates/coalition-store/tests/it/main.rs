//! The storage contract, checked on every backend available, and what the SQLite store adds:
//! durability asserted at open, reads that create nothing; and what the PostgreSQL store adds:
//! reconnecting after the server restarts, refusing settings that could lose a commit.

mod conformance;
mod ledgers;
mod postgres;
mod sqlite;
