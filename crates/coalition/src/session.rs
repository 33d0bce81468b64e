//! Opening the record: the data directory, the SQLite store inside it, the ledger over it, and
//! the mapping of ledger errors to the exit codes the CLI promises.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use coalition_core::classification::Viewer;
use coalition_core::command::Command;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::state::State;
use coalition_ledger::{EventStore, Ledger, LedgerError, Loaded, Receipt, StoreError};
use coalition_store::{OpenOptions, sqlite_url};

use crate::cli::ViewArgs;
use crate::clock;
use crate::failure::{bad_input, verification_failed};

/// The file name of the database inside the data directory.
pub(crate) const DATABASE_FILE: &str = "coalition.sqlite";

/// The data directory: the flag or `COALITION_DATA_DIR`, else the per-user data directory.
pub(crate) fn data_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    match flag {
        Some(dir) => Ok(dir.to_owned()),
        None => dirs::data_dir()
            .map(|dir| dir.join("coalition"))
            .context("no per-user data directory on this system; pass --data-dir"),
    }
}

/// An open record.
pub(crate) struct Session {
    pub(crate) ledger: Ledger,
    pub(crate) store: Arc<dyn EventStore>,
    pub(crate) dir: PathBuf,
}

impl Session {
    /// Opens (creating if needed) the record in `dir`.
    pub(crate) async fn open(dir: &Path) -> anyhow::Result<Session> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        let store =
            coalition_store::open(&sqlite_url(&dir.join(DATABASE_FILE)), OpenOptions::WRITE)
                .await
                .with_context(|| format!("cannot open the record in {}", dir.display()))?;
        Ok(Session {
            ledger: Ledger::new(store.clone()),
            store,
            dir: dir.to_owned(),
        })
    }

    /// Loads a coalition as of a time (all of it without one).
    pub(crate) async fn load(
        &self,
        coalition: &CoalitionId,
        as_of: Option<Timestamp>,
    ) -> anyhow::Result<Loaded> {
        self.ledger
            .load(coalition, as_of)
            .await
            .map_err(ledger_error)
    }

    /// Executes commands as `actor` now; a rejection writes nothing.
    pub(crate) async fn execute(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        commands: &[Command],
    ) -> anyhow::Result<Receipt> {
        self.ledger
            .execute(coalition, actor, clock::now()?, commands)
            .await
            .map_err(ledger_error)
    }

    /// Where a coalition's log signing key is kept: the record keeper's operational key, in the
    /// data directory, readable by its owner only.
    pub(crate) fn log_key_path(&self, coalition: &CoalitionId) -> PathBuf {
        self.dir.join("keys").join(format!("{coalition}.log.pem"))
    }

    /// The coalition's log signing key.
    pub(crate) fn log_key(
        &self,
        coalition: &CoalitionId,
    ) -> anyhow::Result<ed25519_dalek::SigningKey> {
        let path = self.log_key_path(coalition);
        if !path.exists() {
            return Err(anyhow::anyhow!(
                "no log signing key for {coalition} at {}",
                path.display()
            ));
        }
        crate::keyfile::read(&path)
    }

    /// Closes the store cleanly.
    pub(crate) async fn close(self) {
        self.store.close().await;
    }
}

/// A coalition loaded for one reader: every read command starts here and reads through
/// [`Reading::gate`].
pub(crate) struct Reading {
    pub(crate) loaded: Loaded,
    pub(crate) viewer: Viewer,
}

impl Reading {
    /// The state as the reader may see it.
    pub(crate) fn gate(&self) -> coalition_core::disclosure::Gate<'_> {
        coalition_core::disclosure::Gate::new(&self.loaded.state, &self.viewer)
    }
}

impl Session {
    /// Loads a coalition as of `--as-of` and names the reader (`--as`, `--public`, or the
    /// custodian).
    pub(crate) async fn read(
        &self,
        coalition: &CoalitionId,
        view: &ViewArgs,
    ) -> anyhow::Result<Reading> {
        let loaded = self.load(coalition, view.as_of).await?;
        let viewer = viewer(&loaded.state, view)?;
        Ok(Reading { loaded, viewer })
    }
}

/// Maps ledger errors to exit codes: refusals and unknown names are bad input (2), a broken
/// record is a verification failure (3), anything else is internal (1).
pub(crate) fn ledger_error(err: LedgerError) -> anyhow::Error {
    match err {
        LedgerError::Rejected { rejection, .. } => bad_input(format!("refused: {rejection}")),
        LedgerError::UnknownCoalition(id) => bad_input(format!("unknown coalition {id}")),
        LedgerError::Broken(chain) => {
            verification_failed(format!("the record fails verification at {chain}"))
        }
        LedgerError::Store(StoreError::Conflict { .. }) => {
            anyhow::anyhow!("{err}: too many concurrent writers; try again")
        }
        other => anyhow::Error::new(other),
    }
}

/// The reader named by `--as` / `--public`, or the custodian of the file.
fn viewer(state: &State, view: &ViewArgs) -> anyhow::Result<Viewer> {
    if view.public {
        return Ok(Viewer::Public);
    }
    match &view.viewer {
        None => Ok(Viewer::Custodian),
        Some(id) => {
            let principal = state
                .principal(id)
                .ok_or_else(|| bad_input(format!("--as: unknown principal {id}")))?;
            Ok(state.viewer_for(principal))
        }
    }
}
