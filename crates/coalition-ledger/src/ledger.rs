//! The one write path and the one way to load a coalition: `Ledger::execute` decides, seals and
//! appends (retrying on a sequence conflict); `Ledger::load` reads, verifies and replays.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::{Command, Context, Event, Rejection, State, apply, decide};

use crate::canonical::{CanonicalError, Envelope};
use crate::seal::{Head, SealedEvent, seal};
use crate::store::{EventStore, StoreError};
use crate::verify::{ChainBreak, verify_chain, verify_entry};

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
}

/// A coalition as loaded: its verified log and the state replayed from it.
#[derive(Debug)]
pub struct Loaded {
    /// The coalition.
    pub coalition: CoalitionId,
    /// The state (as of the requested time).
    pub state: State,
    /// Where the whole log ends.
    pub head: Head,
    /// Every entry, verified, with its envelope.
    pub entries: Vec<(SealedEvent, Envelope)>,
}

/// What `execute` recorded.
#[derive(Debug)]
pub struct Receipt {
    /// The entries appended, in order.
    pub entries: Vec<(SealedEvent, Event)>,
    /// Where the log now ends.
    pub head: Head,
}

/// The record of every coalition in a store.
///
/// It keeps each coalition's latest state in memory after a write, so the next write reads and
/// verifies only the events appended since (by anyone), not the whole log.
#[derive(Clone)]
pub struct Ledger {
    store: Arc<dyn EventStore>,
    latest: Arc<Mutex<BTreeMap<CoalitionId, (State, Head)>>>,
    /// One writer at a time per coalition within this process: writers queue instead of racing
    /// and retrying. Other processes are still kept apart by the append's head check.
    writers: Arc<Mutex<BTreeMap<CoalitionId, Arc<tokio::sync::Mutex<()>>>>>,
}

impl Ledger {
    /// A ledger over a store.
    pub fn new(store: Arc<dyn EventStore>) -> Ledger {
        Ledger {
            store,
            latest: Arc::default(),
            writers: Arc::default(),
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Every coalition.
    pub async fn coalitions(&self) -> Result<Vec<CoalitionId>, LedgerError> {
        Ok(self.store.coalitions().await?)
    }

    /// Reads, verifies and replays a coalition's log; with `as_of`, only events recorded at or
    /// before it are applied.
    pub async fn load(
        &self,
        coalition: &CoalitionId,
        as_of: Option<Timestamp>,
    ) -> Result<Loaded, LedgerError> {
        let entries = self.store.read(coalition, 1).await?;
        if entries.is_empty() {
            return Err(LedgerError::UnknownCoalition(coalition.clone()));
        }
        let envelopes = verify_chain(coalition, &entries)?;
        let mut state = State::new();
        for envelope in envelopes
            .iter()
            .filter(|e| as_of.is_none_or(|t| e.recorded_at <= t))
        {
            apply(&mut state, &envelope.event);
        }
        let head = entries.last().map_or(Head::EMPTY, |last| Head {
            seq: last.seq,
            hash: last.hash,
        });
        Ok(Loaded {
            coalition: coalition.clone(),
            state,
            head,
            entries: entries.into_iter().zip(envelopes).collect(),
        })
    }

    /// Decides `commands` in order against the current state, as `actor` at `now`, and appends
    /// all resulting events in one transaction. Any rejection writes nothing. On a sequence
    /// conflict the batch is decided again against the newer state.
    pub async fn execute(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        now: Timestamp,
        commands: &[Command],
    ) -> Result<Receipt, LedgerError> {
        let writer = self.writer(coalition);
        let _turn = writer.lock().await;
        let mut attempt = 0;
        loop {
            let (mut state, head) = self.current(coalition).await?;
            let ctx = Context {
                now,
                actor: actor.clone(),
            };
            let mut events = Vec::new();
            for (index, command) in commands.iter().enumerate() {
                let decided = decide(&state, command, &ctx).map_err(|rejection| {
                    if head.seq == 0 && rejection == Rejection::NotFounded {
                        LedgerError::UnknownCoalition(coalition.clone())
                    } else {
                        LedgerError::Rejected { index, rejection }
                    }
                })?;
                for event in &decided {
                    apply(&mut state, event);
                }
                events.extend(decided);
            }
            let sealed = seal(coalition, head, now, actor, events.clone())?;
            match self.store.append(coalition, head, &sealed).await {
                Ok(()) => {
                    let new_head = sealed.last().map_or(head, |last| Head {
                        seq: last.seq,
                        hash: last.hash,
                    });
                    self.remember(coalition, state, new_head);
                    return Ok(Receipt {
                        entries: sealed.into_iter().zip(events).collect(),
                        head: new_head,
                    });
                }
                // Another writer got there first: decide again on the newer log.
                Err(StoreError::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                Err(other) => return Err(other.into()),
            }
        }
    }

    /// The state to decide on: the one remembered after this ledger's last write, if any —
    /// optimistically, since the append checks the head and a stale state only costs a retry —
    /// or else the log read and verified from the start.
    async fn current(&self, coalition: &CoalitionId) -> Result<(State, Head), LedgerError> {
        let remembered = self
            .latest
            .lock()
            .ok()
            .and_then(|mut latest| latest.remove(coalition));
        if let Some(remembered) = remembered {
            return Ok(remembered);
        }
        let (mut state, mut head) = (State::new(), Head::EMPTY);
        for entry in self.store.read(coalition, head.seq + 1).await? {
            let envelope = verify_entry(coalition, head, &entry)?;
            apply(&mut state, &envelope.event);
            head = Head {
                seq: entry.seq,
                hash: entry.hash,
            };
        }
        Ok((state, head))
    }

    /// The lock that lets one writer at a time decide and append for `coalition`.
    fn writer(&self, coalition: &CoalitionId) -> Arc<tokio::sync::Mutex<()>> {
        match self.writers.lock() {
            Ok(mut writers) => writers.entry(coalition.clone()).or_default().clone(),
            // A poisoned map only means another writer panicked; a fresh lock is still correct,
            // since the append's head check keeps writers from forking the log.
            Err(_) => Arc::default(),
        }
    }

    fn remember(&self, coalition: &CoalitionId, state: State, head: Head) {
        if let Ok(mut latest) = self.latest.lock() {
            latest.insert(coalition.clone(), (state, head));
        }
    }
}
