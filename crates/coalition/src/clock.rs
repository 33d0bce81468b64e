//! The clock the CLI records with: `COALITION_NOW` (RFC 3339) fixes it, so tests and rehearsed
//! demonstrations are reproducible; otherwise the system clock.

use std::sync::Arc;

use coalition_app::clock::{Clock, FixedClock, SystemClock};
use coalition_core::dates::Timestamp;

use crate::failure::bad_input;

/// The clock named by the environment.
pub(crate) fn from_env() -> anyhow::Result<Arc<dyn Clock>> {
    match std::env::var("COALITION_NOW") {
        Ok(text) => {
            let at = Timestamp::parse(&text)
                .map_err(|err| bad_input(format!("COALITION_NOW: {err}")))?;
            Ok(Arc::new(FixedClock(at)))
        }
        Err(_) => Ok(Arc::new(SystemClock)),
    }
}
