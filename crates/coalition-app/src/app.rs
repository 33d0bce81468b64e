//! The application: a record opened from a [`Config`], and every call a front end makes on it.
//! What differs between a laptop and a server node (where log keys and trusted checkpoints are
//! kept, the clock) comes in as trait objects.

use std::path::PathBuf;
use std::sync::Arc;

use coalition_core::Command;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::state::State;
use coalition_ledger::{Head, Ledger, Loaded};
use coalition_store::SqliteStore;

use crate::clock::Clock;
use crate::error::AppError;
use crate::keys::LogKeys;
use crate::reader::{Reader, Reading};
use crate::request::Request;
use crate::trust::TrustStore;
use crate::views::{CoalitionRow, ReceiptView};

/// Where the record is and what the application needs beside it.
#[derive(Clone)]
pub struct Config {
    /// The record: `sqlite://PATH` (the embedded default).
    pub database: String,
    /// Where each coalition's log signing key is kept.
    pub log_keys: Arc<dyn LogKeys>,
    /// Where this machine keeps the checkpoints it verified.
    pub trust: Arc<dyn TrustStore>,
    /// The time commands are recorded at.
    pub clock: Arc<dyn Clock>,
}

/// Whether the caller will write. A reader never creates anything: opening a record that does
/// not exist for reading finds it empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only.
    Read,
    /// Reads and writes; creates the record if needed.
    Write,
}

/// An open record.
pub struct App {
    /// `None` when a record opened for reading does not exist: it is read as empty.
    record: Option<Record>,
    pub(crate) log_keys: Arc<dyn LogKeys>,
    pub(crate) trust: Arc<dyn TrustStore>,
    clock: Arc<dyn Clock>,
}

struct Record {
    ledger: Ledger,
    store: Arc<SqliteStore>,
}

impl App {
    /// Opens the record named by `config.database`.
    pub async fn open(config: Config, access: Access) -> Result<App, AppError> {
        let path = sqlite_path(&config.database)?;
        let record = if access == Access::Read && !path.exists() {
            None
        } else {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| {
                    AppError::invalid(
                        "data-dir",
                        format!("cannot create data directory {}: {e}", parent.display()),
                    )
                })?;
            }
            let store = Arc::new(SqliteStore::open(&path).await.map_err(|e| {
                AppError::internal(format!("cannot open the record {}: {e}", path.display()))
            })?);
            Some(Record {
                ledger: Ledger::new(store.clone()),
                store,
            })
        };
        Ok(App {
            record,
            log_keys: config.log_keys,
            trust: config.trust,
            clock: config.clock,
        })
    }

    /// Closes the record cleanly.
    pub async fn close(self) {
        if let Some(record) = self.record {
            record.store.close().await;
        }
    }

    /// The time commands are recorded at.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Every coalition in the record, with its name and head.
    pub async fn coalitions(&self) -> Result<Vec<CoalitionRow>, AppError> {
        let Some(record) = &self.record else {
            return Ok(Vec::new());
        };
        let mut rows = Vec::new();
        for id in record.ledger.coalitions().await? {
            let loaded = self.load(&id, None).await?;
            rows.push(CoalitionRow {
                name: loaded
                    .state
                    .coalition()
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                id,
                events: loaded.head.seq,
                head: loaded.head.hash,
            });
        }
        Ok(rows)
    }

    /// A coalition as one reader may see it, as the record stood at `reading.as_of`.
    pub async fn read(
        &self,
        coalition: &CoalitionId,
        reading: &Reading,
    ) -> Result<Reader, AppError> {
        let loaded = self.load(coalition, reading.as_of).await?;
        Reader::new(loaded.coalition, loaded.state, reading, self.now())
    }

    /// Submits a write as `actor`: decided against the current state and recorded in one
    /// transaction, or refused with nothing written.
    pub async fn submit(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        request: Request,
    ) -> Result<ReceiptView, AppError> {
        let commands = {
            let state = self.current(coalition).await?;
            request.into_commands(&state)?
        };
        self.execute(coalition, actor, &commands).await
    }

    /// Decides and records commands as `actor` now; a rejection writes nothing.
    pub(crate) async fn execute(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        commands: &[Command],
    ) -> Result<ReceiptView, AppError> {
        let receipt = self
            .record()?
            .ledger
            .execute(coalition, actor, self.now(), commands)
            .await?;
        Ok(ReceiptView::of(receipt))
    }

    /// The state at the head of a coalition's log, for deciding writes.
    pub(crate) async fn current(&self, coalition: &CoalitionId) -> Result<State, AppError> {
        Ok(self.load(coalition, None).await?.state)
    }

    /// A coalition's verified log and its state as of a recording time.
    pub(crate) async fn load(
        &self,
        coalition: &CoalitionId,
        as_of: Option<Timestamp>,
    ) -> Result<Loaded, AppError> {
        match &self.record {
            Some(record) => Ok(record.ledger.load(coalition, as_of).await?),
            None => Err(AppError::not_found("coalition", coalition)),
        }
    }

    /// Whether the record holds this coalition.
    pub(crate) async fn exists(&self, coalition: &CoalitionId) -> Result<bool, AppError> {
        match &self.record {
            Some(record) => Ok(record.ledger.coalitions().await?.contains(coalition)),
            None => Ok(false),
        }
    }

    /// The head of a coalition's log.
    pub(crate) async fn head(&self, coalition: &CoalitionId) -> Result<Head, AppError> {
        Ok(self.load(coalition, None).await?.head)
    }

    /// Deletes a coalition's whole log: only for `demo --reset`, on the user's explicit request.
    pub(crate) async fn discard(&self, coalition: &CoalitionId) -> Result<(), AppError> {
        Ok(self.record()?.store.discard(coalition).await?)
    }

    /// The raw stored entries, unverified: verification reports what is wrong with them.
    pub(crate) async fn stored_entries(
        &self,
        coalition: &CoalitionId,
    ) -> Result<Vec<coalition_ledger::SealedEvent>, AppError> {
        let entries = match &self.record {
            Some(record) => {
                coalition_ledger::EventStore::read(record.store.as_ref(), coalition, 1).await?
            }
            None => Vec::new(),
        };
        if entries.is_empty() {
            return Err(AppError::not_found("coalition", coalition));
        }
        Ok(entries)
    }

    /// The ledger, for writes.
    pub(crate) fn ledger(&self) -> Result<&Ledger, AppError> {
        Ok(&self.record()?.ledger)
    }

    fn record(&self) -> Result<&Record, AppError> {
        self.record
            .as_ref()
            .ok_or_else(|| AppError::internal("the record was opened for reading only"))
    }
}

/// The file of an `sqlite://PATH` URL.
fn sqlite_path(url: &str) -> Result<PathBuf, AppError> {
    url.strip_prefix("sqlite://")
        .map(PathBuf::from)
        .ok_or_else(|| {
            AppError::invalid(
                "database",
                format!("{url}: expected sqlite://PATH (the embedded record)"),
            )
        })
}
