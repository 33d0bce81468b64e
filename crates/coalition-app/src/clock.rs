//! The time a command is recorded at. The application reads it here and nowhere else; a laptop
//! reads the system clock, a test or a rehearsed demonstration fixes it.

use coalition_core::dates::Timestamp;

/// Where the current time comes from.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        #[allow(clippy::disallowed_methods)] // the one sanctioned read of the system clock
        Timestamp::from_datetime(time::OffsetDateTime::now_utc())
    }
}

/// A clock stopped at one moment (`COALITION_NOW`, tests).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}
