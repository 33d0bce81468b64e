//! What every request shares: the application, kept open for the server's life (its state kept
//! in memory and caught up with what other processes appended, never replayed per request), and
//! whether the server still takes writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use coalition_app::App;

use crate::limit::{Limiter, Limits};

/// How a server runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// A replica that must not write: every write is refused before it is decided.
    pub read_only: bool,
    /// Rate limits on authentication failures and on writes.
    pub limits: Limits,
}

/// The state every handler sees.
pub struct Shared {
    pub(crate) app: Arc<App>,
    pub(crate) options: Options,
    draining: AtomicBool,
    /// Answers to writes sent with an `Idempotency-Key`, held while a keyed write is decided so
    /// that a retry racing its original waits for it.
    pub(crate) idempotency: tokio::sync::Mutex<Idempotency>,
    /// Rate limits on authentication failures and writes.
    pub(crate) limiter: Limiter,
}

/// The most keyed answers kept; the oldest is forgotten first.
const KEPT_ANSWERS: usize = 10_000;

/// A keyed write's answer: the request it answered (as canonical JSON) and the response.
pub(crate) struct KeptAnswer {
    pub(crate) request: Vec<u8>,
    pub(crate) body: Vec<u8>,
}

/// Keyed answers per (principal, key), in memory: a retry after a lost response gets the first
/// answer instead of recording twice.
#[derive(Default)]
pub(crate) struct Idempotency {
    answers: std::collections::BTreeMap<(String, String), KeptAnswer>,
    order: std::collections::VecDeque<(String, String)>,
}

impl Idempotency {
    pub(crate) fn get(&self, principal: &str, key: &str) -> Option<&KeptAnswer> {
        self.answers.get(&(principal.to_owned(), key.to_owned()))
    }

    pub(crate) fn keep(&mut self, principal: &str, key: &str, answer: KeptAnswer) {
        let id = (principal.to_owned(), key.to_owned());
        if self.answers.insert(id.clone(), answer).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > KEPT_ANSWERS {
            if let Some(oldest) = self.order.pop_front() {
                self.answers.remove(&oldest);
            }
        }
    }
}

impl Shared {
    /// The application served, with these options.
    pub fn new(app: Arc<App>, options: Options) -> Shared {
        Shared {
            app,
            limiter: Limiter::new(options.limits),
            options,
            draining: AtomicBool::new(false),
            idempotency: tokio::sync::Mutex::default(),
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
