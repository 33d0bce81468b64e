//! The checkpoints this machine has verified: one per coalition, kept apart from the record
//! (whoever can rewrite the database should not be able to rewrite what we trust). A log that is
//! not consistent with the kept checkpoint is refused.
//!
//! A laptop keeps them in a directory ([`DirTrustStore`], `COALITION_TRUST_DIR`); a server node
//! or a member state's verifier may keep them elsewhere behind the same trait.

use std::path::PathBuf;

use coalition_core::id::CoalitionId;
use coalition_core::signature::PublicKey;
use coalition_ledger::checkpoint::VerifierKey;

use crate::error::AppError;

/// A checkpoint this machine verified, with the key that signed it.
#[derive(Clone, Debug)]
pub struct Trusted {
    /// The signed note, as verified.
    pub note: String,
    /// The log's verifier key.
    pub key: VerifierKey,
}

/// Where verified checkpoints are kept.
pub trait TrustStore: Send + Sync {
    /// The last checkpoint verified for a coalition.
    fn last_verified(&self, coalition: &CoalitionId) -> Result<Option<Trusted>, AppError>;
    /// Remembers a verified checkpoint (replacing the previous one).
    fn remember(
        &self,
        coalition: &CoalitionId,
        note: &str,
        key: &VerifierKey,
    ) -> Result<(), AppError>;
    /// Forgets the checkpoint kept for a coalition: only when its custodian deliberately starts
    /// the log again (`demo --reset`), since any other log would then be refused.
    fn forget(&self, coalition: &CoalitionId) -> Result<(), AppError>;
    /// Where the checkpoint of a coalition is kept, in words a user can act on.
    fn location(&self, coalition: &CoalitionId) -> String;
}

/// Trusted checkpoints as files in a directory: `<coalition>.checkpoint` and `<coalition>.key`.
#[derive(Clone, Debug)]
pub struct DirTrustStore {
    dir: PathBuf,
    /// The source these checkpoints are of, written beside them so a user can tell.
    source: Option<String>,
}

impl DirTrustStore {
    /// Checkpoints kept in `dir` (created when the first one is remembered).
    pub fn new(dir: impl Into<PathBuf>) -> DirTrustStore {
        DirTrustStore {
            dir: dir.into(),
            source: None,
        }
    }

    /// Checkpoints kept in `dir` for one source of logs (a data directory, a database URL or a
    /// server URL), like an ssh known-hosts entry: the same coalition id read from another
    /// source (a new demo in a fresh data directory, another server) is another log, not a
    /// rewritten one. Each source has its own subdirectory, named readably after the source
    /// with a hash of it appended (`source` inside says which it is).
    pub fn for_source(dir: impl Into<PathBuf>, source: &str) -> DirTrustStore {
        let readable: String = source
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let tail = readable.len().saturating_sub(64);
        let digest = coalition_core::hash::Hash::of(&[source.as_bytes()]).to_hex();
        let name = format!(
            "{}-{}",
            readable.get(tail..).unwrap_or_default(),
            &digest[..12]
        );
        let dir = dir.into().join(name);
        DirTrustStore {
            dir,
            source: Some(source.to_owned()),
        }
    }

    /// The per-user default: `<config dir>/coalition/trusted-checkpoints`.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("coalition").join("trusted-checkpoints"))
    }

    fn note_path(&self, coalition: &CoalitionId) -> PathBuf {
        self.dir.join(format!("{coalition}.checkpoint"))
    }

    fn key_path(&self, coalition: &CoalitionId) -> PathBuf {
        self.dir.join(format!("{coalition}.key"))
    }
}

impl TrustStore for DirTrustStore {
    fn last_verified(&self, coalition: &CoalitionId) -> Result<Option<Trusted>, AppError> {
        let note = self.note_path(coalition);
        if !note.exists() {
            return Ok(None);
        }
        let note = std::fs::read_to_string(&note)?;
        let key = VerifierKey::parse(std::fs::read_to_string(self.key_path(coalition))?.trim())
            .map_err(|e| {
                AppError::internal(format!("trusted key for {coalition} is damaged: {e}"))
            })?;
        Ok(Some(Trusted { note, key }))
    }

    fn remember(
        &self,
        coalition: &CoalitionId,
        note: &str,
        key: &VerifierKey,
    ) -> Result<(), AppError> {
        std::fs::create_dir_all(&self.dir)?;
        if let Some(source) = &self.source {
            std::fs::write(self.dir.join("source"), format!("{source}\n"))?;
        }
        std::fs::write(self.note_path(coalition), note)?;
        std::fs::write(self.key_path(coalition), format!("{key}\n"))?;
        Ok(())
    }

    fn forget(&self, coalition: &CoalitionId) -> Result<(), AppError> {
        for path in [self.note_path(coalition), self.key_path(coalition)] {
            match std::fs::remove_file(path) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
                _ => {}
            }
        }
        Ok(())
    }

    fn location(&self, coalition: &CoalitionId) -> String {
        self.note_path(coalition).display().to_string()
    }
}

/// Refuses a log that never registered the key that signed the checkpoint this machine kept:
/// it is another log under the same coalition id — recreated, or rewritten from scratch.
pub(crate) fn confirm_same_log(
    trust: &dyn TrustStore,
    coalition: &CoalitionId,
    trusted: &VerifierKey,
    registered: &[PublicKey],
) -> Result<(), AppError> {
    if registered
        .iter()
        .any(|key| key.0 == trusted.public_key().to_bytes())
    {
        return Ok(());
    }
    Err(AppError::Verification(format!(
        "{coalition}: not consistent with the earlier checkpoint this machine verified: that \
         checkpoint was signed by {trusted}, a key this log never registered, so this is another \
         log under the same id (recreated, or rewritten from scratch). If the coalition was \
         deliberately recreated, remove {} to trust the new log.",
        trust.location(coalition)
    )))
}
