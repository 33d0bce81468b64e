//! What every request shares: the application, kept open for the server's life (its state kept
//! in memory and caught up with what other processes appended, never replayed per request), and
//! whether the server still takes writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use coalition_app::App;

/// How a server runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// A replica that must not write: every write is refused before it is decided.
    pub read_only: bool,
}

/// The state every handler sees.
pub struct Shared {
    pub(crate) app: Arc<App>,
    pub(crate) options: Options,
    draining: AtomicBool,
}

impl Shared {
    /// The application served, with these options.
    pub fn new(app: Arc<App>, options: Options) -> Shared {
        Shared {
            app,
            options,
            draining: AtomicBool::new(false),
        }
    }

    /// From now on writes are refused (before they are decided): the server is shutting down
    /// and waits only for the writes already under way.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the server is shutting down.
    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}
