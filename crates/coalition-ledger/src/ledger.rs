//! The one write path and the ways to read a coalition.
//!
//! - [`Ledger::execute`] decides, seals and appends (deciding again on a sequence conflict).
//! - [`Ledger::current`] answers from the state the ledger keeps for each coalition, after
//!   reading only the entries appended since (by this ledger or any other writer), each
//!   verified against the one before.
//! - [`Ledger::replay`] rebuilds the state as it stood (`--as-of`) from the whole log.
//! - [`Ledger::entries`] is the verified log itself, for log views, proofs and exports.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::{Command, Context, Event, Rejection, State, apply, decide};

use crate::canonical::{CanonicalError, Envelope};
use crate::seal::{Head, SealedEvent, seal};
use crate::store::{Claim, Claimed, EventStore, PAGE, StoreError};
use crate::verify::{ChainBreak, verify_from};

/// How many times `execute` re-decides after losing a race to another writer. Each lost race
/// means another writer's append went in, so with N writers a fair turn comes within about N
/// tries; with 8, appends of 8 concurrent writers regularly failed with a conflict.
const CONFLICT_RETRIES: usize = 64;

/// Why a ledger operation failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The coalition has no log.
    #[error("unknown coalition {0}")]
    UnknownCoalition(CoalitionId),
    /// A rule refused a command; nothing was written.
    #[error("{rejection}")]
    Rejected {
        /// Which command of the batch (0-based).
        index: usize,
        /// The rule.
        rejection: Rejection,
    },
    /// The stored log fails verification.
    #[error("the record fails verification at {0}")]
    Broken(#[from] ChainBreak),
    /// An event could not be encoded.
    #[error("{0}")]
    Canonical(#[from] CanonicalError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The write's idempotency key was claimed before (by this request or another): nothing
    /// was decided or written this time.
    #[error("this idempotency key was used before, for entries {} to {}", .0.first, .0.last)]
    AlreadyClaimed(Claimed),
}

/// A coalition's state now, as the ledger keeps it. Cheap to hold: readers share the state,
/// and the next write copies it only if a reader still holds this one.
#[derive(Clone, Debug)]
pub struct Current {
    /// The state after every event of the log.
    pub state: Arc<State>,
    /// Where the log ends.
    pub head: Head,
}

/// Which events a replay applies: every one by default, or only those the record held at a
/// given time. Each condition is one field; [`AsOf::includes`] is where they combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AsOf {
    /// Only events recorded at or before this time ("as the record stood at R").
    pub recorded_by: Option<Timestamp>,
}

impl AsOf {
    /// Every event.
    pub const EVERYTHING: AsOf = AsOf { recorded_by: None };

    /// Whether the replay applies this entry.
    pub fn includes(&self, envelope: &Envelope) -> bool {
        self.recorded_by
            .is_none_or(|recorded_by| envelope.recorded_at <= recorded_by)
    }
}

/// A state rebuilt by [`Ledger::replay`].
#[derive(Debug)]
pub struct Replayed {
    /// The state after the events [`AsOf`] included.
    pub state: State,
    /// Where the whole log ends (every entry was verified, included or not).
    pub head: Head,
}

/// A log entry read back and verified: its stored form and its decoded envelope.
pub type VerifiedEntry = (SealedEvent, Envelope);

/// What `execute` recorded.
#[derive(Debug)]
pub struct Receipt {
    /// The entries appended, in order, with the events they hold.
    pub entries: Vec<(SealedEvent, Event)>,
    /// Where the log now ends.
    pub head: Head,
}

/// What the ledger keeps of one coalition: its state at a verified head.
struct Kept {
    state: Arc<State>,
    head: Head,
}

/// The record of every coalition in a store.
///
/// It keeps each coalition's state once read, and brings it up to date by reading only the
/// entries appended since — by itself or by any other writer on the same store — verifying each
/// against the one before. Clones share what is kept.
#[derive(Clone)]
pub struct Ledger {
    store: Arc<dyn EventStore>,
    /// Per coalition, behind a lock that also makes writers in this process take turns
    /// instead of racing the head check. Other processes are kept apart by that check.
    kept: Arc<Mutex<BTreeMap<CoalitionId, Arc<tokio::sync::Mutex<Kept>>>>>,
}

impl Ledger {
    /// A ledger over a store.
    pub fn new(store: Arc<dyn EventStore>) -> Ledger {
        Ledger {
            store,
            kept: Arc::default(),
        }
    }

    /// Every coalition.
    pub async fn coalitions(&self) -> Result<Vec<CoalitionId>, LedgerError> {
        Ok(self.store.coalitions().await?)
    }

    /// The coalition's state now: the kept state, after reading and verifying the entries
    /// appended since (the whole log the first time).
    pub async fn current(&self, coalition: &CoalitionId) -> Result<Current, LedgerError> {
        let slot = self.slot(coalition);
        let mut kept = slot.lock().await;
        self.catch_up(coalition, &mut kept).await?;
        if kept.head.seq == 0 {
            return Err(LedgerError::UnknownCoalition(coalition.clone()));
        }
        Ok(Current {
            state: kept.state.clone(),
            head: kept.head,
        })
    }

    /// Rebuilds the state from the whole log, verifying every entry and applying those `as_of`
    /// includes. Pages through the log: memory holds the state and one page, not the log.
    pub async fn replay(
        &self,
        coalition: &CoalitionId,
        as_of: AsOf,
    ) -> Result<Replayed, LedgerError> {
        let mut state = State::new();
        let head = self
            .follow(coalition, Head::EMPTY, |_, envelope| {
                if as_of.includes(&envelope) {
                    apply(&mut state, &envelope.event);
                }
            })
            .await?;
        if head.seq == 0 {
            return Err(LedgerError::UnknownCoalition(coalition.clone()));
        }
        Ok(Replayed { state, head })
    }

    /// Every entry of the log, verified, in order.
    pub async fn entries(
        &self,
        coalition: &CoalitionId,
    ) -> Result<Vec<VerifiedEntry>, LedgerError> {
        let mut entries = Vec::new();
        self.follow(coalition, Head::EMPTY, |sealed, envelope| {
            entries.push((sealed, envelope));
        })
        .await?;
        if entries.is_empty() {
            return Err(LedgerError::UnknownCoalition(coalition.clone()));
        }
        Ok(entries)
    }

    /// The entries after `from` (a head the caller verified before), each verified against the
    /// one before: what a derived log needs to catch up.
    pub async fn entries_after(
        &self,
        coalition: &CoalitionId,
        from: Head,
    ) -> Result<Vec<VerifiedEntry>, LedgerError> {
        let mut entries = Vec::new();
        self.follow(coalition, from, |sealed, envelope| {
            entries.push((sealed, envelope));
        })
        .await?;
        Ok(entries)
    }

    /// Decides `commands` in order against the current state, as `actor` at `now`, and appends
    /// all resulting events in one transaction. Any rejection writes nothing and leaves the kept
    /// state as it was. On a sequence conflict the batch is decided again on the newer state,
    /// read from where this ledger's knowledge ends.
    pub async fn execute(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        now: Timestamp,
        commands: &[Command],
    ) -> Result<Receipt, LedgerError> {
        self.execute_claiming(coalition, actor, now, commands, None)
            .await
    }

    /// [`Ledger::execute`] with an idempotency key: if `claim`'s key was claimed before, in
    /// this coalition by this principal, nothing is decided and [`LedgerError::AlreadyClaimed`]
    /// says what it recorded; otherwise the key is claimed in the append's own transaction. A
    /// retry racing its original (through another process or node) loses the append's head
    /// check, catches up and finds the claim.
    pub async fn execute_claiming(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        now: Timestamp,
        commands: &[Command],
        claim: Option<&Claim>,
    ) -> Result<Receipt, LedgerError> {
        let slot = self.slot(coalition);
        let mut kept = slot.lock().await;
        let ctx = Context {
            now,
            actor: actor.clone(),
        };
        let mut attempt = 0;
        loop {
            if let Some(claim) = claim
                && let Some(claimed) = self
                    .store
                    .claimed(coalition, &claim.principal, &claim.key)
                    .await?
            {
                return Err(LedgerError::AlreadyClaimed(claimed));
            }
            self.catch_up(coalition, &mut kept).await?;
            let head = kept.head;
            let decided =
                decide_batch(&kept.state, &ctx, commands).map_err(|(index, rejection)| {
                    if head.seq == 0 && rejection == Rejection::NotFounded {
                        LedgerError::UnknownCoalition(coalition.clone())
                    } else {
                        LedgerError::Rejected { index, rejection }
                    }
                })?;
            let sealed = seal(coalition, head, now, actor, decided.events.clone())?;
            // A write that records nothing has nothing to record twice.
            let appended = match claim {
                Some(claim) if !sealed.is_empty() => {
                    self.store
                        .append_claiming(coalition, head, &sealed, claim)
                        .await
                }
                _ => self.store.append(coalition, head, &sealed).await,
            };
            match appended {
                Ok(()) => {
                    match decided.after {
                        Some(after) => kept.state = Arc::new(after),
                        None => {
                            let state = Arc::make_mut(&mut kept.state);
                            for event in &decided.events {
                                apply(state, event);
                            }
                        }
                    }
                    kept.head = sealed.last().map_or(head, SealedEvent::head);
                    return Ok(Receipt {
                        entries: sealed.into_iter().zip(decided.events).collect(),
                        head: kept.head,
                    });
                }
                // Another writer got there first: catch up and decide again.
                Err(StoreError::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                Err(other) => return Err(other.into()),
            }
        }
    }

    /// Starts a new log with events decided elsewhere — an exercise's opening events, which
    /// `coalition_core::exercise::fork` builds from a verified real log. Only an empty log can
    /// be started; a log that already holds anything is a conflict.
    pub async fn start(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        now: Timestamp,
        events: Vec<Event>,
    ) -> Result<Receipt, LedgerError> {
        let slot = self.slot(coalition);
        let mut kept = slot.lock().await;
        self.catch_up(coalition, &mut kept).await?;
        if kept.head != Head::EMPTY {
            let actual = kept.head;
            return Err(StoreError::Conflict {
                expected: Head::EMPTY,
                actual,
            }
            .into());
        }
        let sealed = seal(coalition, Head::EMPTY, now, actor, events.clone())?;
        self.store.append(coalition, Head::EMPTY, &sealed).await?;
        let state = Arc::make_mut(&mut kept.state);
        for event in &events {
            apply(state, event);
        }
        kept.head = sealed.last().map_or(Head::EMPTY, SealedEvent::head);
        Ok(Receipt {
            entries: sealed.into_iter().zip(events).collect(),
            head: kept.head,
        })
    }

    /// Brings a kept state up to the end of the log.
    async fn catch_up(&self, coalition: &CoalitionId, kept: &mut Kept) -> Result<(), LedgerError> {
        // Copied only if a reader still holds the state and there is something new.
        let state = &mut kept.state;
        let followed = self
            .follow(coalition, kept.head, |_, envelope| {
                apply(Arc::make_mut(state), &envelope.event);
            })
            .await;
        // What was verified before a failure has been applied: the kept head says so.
        match followed {
            Ok(head) => {
                kept.head = head;
                Ok(())
            }
            Err(Progress { head, error }) => {
                kept.head = head;
                Err(error)
            }
        }
    }

    /// Reads the entries after `from` page by page, verifies each page against the head before
    /// it and hands every entry to `each`, in order. Returns where the log ends.
    async fn follow(
        &self,
        coalition: &CoalitionId,
        from: Head,
        mut each: impl FnMut(SealedEvent, Envelope),
    ) -> Result<Head, Progress> {
        let mut head = from;
        let mut page = self
            .store
            .read(coalition, head.seq + 1, PAGE)
            .await
            .map_err(|e| Progress::at(head, e))?;
        loop {
            let Some(last) = page.last().map(SealedEvent::head) else {
                return Ok(head);
            };
            // A full page may have a successor: ask for it before verifying this one, so that the
            // store fetches it while this thread (and the pool) decode.
            let mut next =
                (page.len() == PAGE).then(|| self.store.read(coalition, last.seq + 1, PAGE));
            let mut arrived = None;
            if let Some(next) = next.as_mut() {
                arrived = poll_once(next).await;
            }
            let envelopes =
                verify_from(coalition, head, &page).map_err(|e| Progress::at(head, e))?;
            for (sealed, envelope) in page.into_iter().zip(envelopes) {
                each(sealed, envelope);
            }
            head = last;
            let Some(next) = next else {
                return Ok(head);
            };
            page = match arrived {
                Some(read) => read,
                None => next.await,
            }
            .map_err(|e| Progress::at(head, e))?;
        }
    }

    /// The kept state of `coalition` and its lock.
    fn slot(&self, coalition: &CoalitionId) -> Arc<tokio::sync::Mutex<Kept>> {
        let fresh = || {
            Arc::new(tokio::sync::Mutex::new(Kept {
                state: Arc::new(State::new()),
                head: Head::EMPTY,
            }))
        };
        match self.kept.lock() {
            Ok(mut kept) => kept.entry(coalition.clone()).or_insert_with(fresh).clone(),
            // A poisoned map only means another task panicked while holding it; a fresh slot is
            // still correct (it replays from the start, and the head check keeps writers apart).
            Err(_) => fresh(),
        }
    }
}

/// Polls `future` once — enough for a store to start its query — and returns its output if it
/// is already done (it must then not be polled again).
async fn poll_once<F: Future + Unpin>(future: &mut F) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        Poll::Ready(match Pin::new(&mut *future).poll(cx) {
            Poll::Ready(output) => Some(output),
            Poll::Pending => None,
        })
    })
    .await
}

/// A failed read of the log, with the head verified up to the failure.
struct Progress {
    head: Head,
    error: LedgerError,
}

impl Progress {
    fn at(head: Head, error: impl Into<LedgerError>) -> Progress {
        Progress {
            head,
            error: error.into(),
        }
    }
}

impl From<Progress> for LedgerError {
    fn from(progress: Progress) -> LedgerError {
        progress.error
    }
}

/// The events of a batch, and the state after them when it had to be built on a copy.
struct Decided {
    events: Vec<Event>,
    after: Option<State>,
}

/// Decides a batch. One command is decided on the state itself, which is changed only after
/// the append; a longer batch needs the events of each command applied before the next is
/// decided, so it works on a copy and a rejection simply drops it.
fn decide_batch(
    state: &State,
    ctx: &Context,
    commands: &[Command],
) -> Result<Decided, (usize, Rejection)> {
    if let [command] = commands {
        let events = decide(state, command, ctx).map_err(|rejection| (0, rejection))?;
        return Ok(Decided {
            events,
            after: None,
        });
    }
    let mut after = state.clone();
    let mut events = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        let decided = decide(&after, command, ctx).map_err(|rejection| (index, rejection))?;
        for event in &decided {
            apply(&mut after, event);
        }
        events.extend(decided);
    }
    Ok(Decided {
        events,
        after: Some(after),
    })
}
