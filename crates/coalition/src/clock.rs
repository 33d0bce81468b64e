//! The one place the clock is read.
//!
//! `COALITION_NOW` (RFC 3339) fixes the clock, so tests and rehearsed demonstrations are
//! reproducible; the log records whatever time this returns.

use coalition_core::dates::Timestamp;

use crate::failure::bad_input;

/// The current time, or `COALITION_NOW` when set.
pub(crate) fn now() -> anyhow::Result<Timestamp> {
    match std::env::var("COALITION_NOW") {
        Ok(text) => {
            Timestamp::parse(&text).map_err(|err| bad_input(format!("COALITION_NOW: {err}")))
        }
        #[allow(clippy::disallowed_methods)] // the one sanctioned read of the system clock
        Err(_) => Ok(Timestamp::from_datetime(time::OffsetDateTime::now_utc())),
    }
}
