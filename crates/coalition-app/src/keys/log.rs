//! The keys that sign each coalition's checkpoints: the record keeper's operational keys.
//! A laptop keeps one file per coalition in the data directory ([`FileLogKeys`]); several server
//! nodes will share one source behind the same trait.

use std::path::PathBuf;

use coalition_core::id::CoalitionId;
use ed25519_dalek::SigningKey;

use super::file::{KeyFileError, read_key_file, write_key_file};
use crate::error::AppError;

/// Where log signing keys are kept.
pub trait LogKeys: Send + Sync {
    /// The coalition's log signing key, if this custodian holds one.
    fn get(&self, coalition: &CoalitionId) -> Result<Option<SigningKey>, AppError>;
    /// Keeps a new key for a coalition, replacing any left by a coalition that no longer exists.
    fn replace(&self, coalition: &CoalitionId, key: &SigningKey) -> Result<(), AppError>;
    /// Removes the coalition's key (its log was discarded, or its import refused).
    fn remove(&self, coalition: &CoalitionId) -> Result<(), AppError>;
    /// The latest checkpoint of a log that its witnesses cosigned, as published.
    fn witnessed(&self, _log: &CoalitionId) -> Result<Option<String>, AppError> {
        Ok(None)
    }
    /// Keeps the latest witnessed checkpoint of a log (replacing the one before).
    fn keep_witnessed(&self, _log: &CoalitionId, _note: &str) -> Result<(), AppError> {
        Err(AppError::internal(
            "this custodian keeps no witnessed checkpoints",
        ))
    }
}

/// One unencrypted PKCS#8 file per coalition, `<dir>/keys/<coalition>.log.pem`, mode 0600.
#[derive(Clone, Debug)]
pub struct FileLogKeys {
    dir: PathBuf,
}

impl FileLogKeys {
    /// Keys kept under `data_dir/keys`.
    pub fn in_data_dir(data_dir: impl Into<PathBuf>) -> FileLogKeys {
        FileLogKeys {
            dir: data_dir.into().join("keys"),
        }
    }

    fn path(&self, coalition: &CoalitionId) -> PathBuf {
        self.dir.join(format!("{coalition}.log.pem"))
    }
}

impl LogKeys for FileLogKeys {
    fn get(&self, coalition: &CoalitionId) -> Result<Option<SigningKey>, AppError> {
        let path = self.path(coalition);
        if !path.exists() {
            return Ok(None);
        }
        read_key_file(&path, None, "log keys are not encrypted")
            .map(Some)
            .map_err(|e| AppError::internal(format!("log signing key: {e}")))
    }

    fn replace(&self, coalition: &CoalitionId, key: &SigningKey) -> Result<(), AppError> {
        self.remove(coalition)?;
        std::fs::create_dir_all(&self.dir)?;
        write_key_file(&self.path(coalition), key, None)
            .map_err(|e: KeyFileError| AppError::internal(format!("log signing key: {e}")))
    }

    fn remove(&self, coalition: &CoalitionId) -> Result<(), AppError> {
        match std::fs::remove_file(self.path(coalition)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
            _ => Ok(()),
        }
    }

    fn witnessed(&self, log: &CoalitionId) -> Result<Option<String>, AppError> {
        match std::fs::read_to_string(self.dir.join(format!("{log}.witnessed"))) {
            Ok(note) => Ok(Some(note)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    fn keep_witnessed(&self, log: &CoalitionId, note: &str) -> Result<(), AppError> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(format!("{log}.witnessed"));
        let partial = self.dir.join(format!("{log}.witnessed.partial"));
        std::fs::write(&partial, note)?;
        std::fs::rename(&partial, &path)?;
        Ok(())
    }
}
