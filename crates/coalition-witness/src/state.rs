//! What a witness keeps, in its state directory, durably:
//!
//! - `name` and `witness.key` (its key name and Ed25519 seed, hex, mode 0600), made by `init`;
//! - `logs/<SHA-256 of the origin, hex>.checkpoint`: per log, the latest checkpoint it cosigned,
//!   as a signed note carrying the log's signature and its own cosignature;
//! - `evidence/<time>-<n>.txt`: every log-signed checkpoint it was shown that was inconsistent
//!   with the one it held — both notes and the proof, which anyone can check.
//!
//! Every file is written to a temporary name, fsynced, renamed into place and its directory
//! fsynced, before the witness answers: a crash at any moment leaves either the old checkpoint
//! or the new one, never a torn file, and never a cosignature sent for a state not on disk.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, keep_signatures_by, open_checkpoint};
use coalition_ledger::cosignature::{CosignerKey, add_cosignatures, cosign, cosignatures};
use coalition_ledger::witness::{AddCheckpoint, Refusal, check_add, claimed_origin};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};

/// Why the state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The directory is not a witness's (or was damaged).
    #[error("{path}: {problem}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_owned(),
        source,
    }
}

/// One log this witness witnesses: its origin and the key that signs its checkpoints.
#[derive(Debug, Clone)]
pub struct WitnessedLog {
    /// The log's verifier key; its name is the origin.
    pub key: VerifierKey,
}

/// A witness: its identity, the logs it witnesses, its state directory.
pub struct Witness {
    dir: PathBuf,
    name: String,
    key: SigningKey,
    logs: Vec<WitnessedLog>,
    /// Checking against the held checkpoint and replacing it happen under this lock, so two
    /// requests can never both pass against the same held size (tlog-witness's rollback race).
    lock: Mutex<()>,
}

/// What the witness holds for one log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The note: the log's signature and this witness's cosignature.
    pub note: String,
}

/// Creates a witness in `dir` under `name` with a fresh key; refuses a directory that already
/// holds one. Returns its verifier key.
pub fn init(dir: &Path, name: &str) -> Result<CosignerKey, StateError> {
    let key_path = dir.join("witness.key");
    if key_path.exists() {
        return Err(StateError::Damaged {
            path: key_path,
            problem: "a witness already lives here; `witness status` shows it".into(),
        });
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| StateError::Damaged {
        path: key_path.clone(),
        problem: format!("no randomness: {e}"),
    })?;
    let key = SigningKey::from_bytes(&seed);
    let public = CosignerKey::new(name, key.verifying_key()).map_err(|e| StateError::Damaged {
        path: dir.join("name"),
        problem: e.to_string(),
    })?;
    fs::create_dir_all(dir).map_err(io(dir))?;
    write_durably(&dir.join("name"), format!("{name}\n").as_bytes())?;
    write_durably(&key_path, format!("{}\n", hex::encode(seed)).as_bytes())?;
    Ok(public)
}

/// The hex SHA-256 of an origin: the file name of its state (tlog-witness's monitoring path).
pub fn origin_hash(origin: &str) -> String {
    hex::encode(Sha256::digest(origin.as_bytes()))
}

impl Witness {
    /// Opens the witness in `dir` (made by [`init`]) for `logs`.
    pub fn open(dir: &Path, logs: Vec<WitnessedLog>) -> Result<Witness, StateError> {
        let name_path = dir.join("name");
        let name = fs::read_to_string(&name_path)
            .map_err(io(&name_path))?
            .trim()
            .to_owned();
        let key_path = dir.join("witness.key");
        let seed: [u8; 32] =
            hex::decode(fs::read_to_string(&key_path).map_err(io(&key_path))?.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| StateError::Damaged {
                    path: key_path.clone(),
                    problem: "not the hex of a 32-byte Ed25519 seed".into(),
                })?;
        let witness = Witness {
            dir: dir.to_owned(),
            name,
            key: SigningKey::from_bytes(&seed),
            logs,
            lock: Mutex::new(()),
        };
        // Every held checkpoint must still open: a damaged state is refused, not reset.
        for log in &witness.logs {
            witness.held(log)?;
        }
        Ok(witness)
    }

    /// This witness's verifier key.
    pub fn public_key(&self) -> CosignerKey {
        // The name was checked when the witness was made.
        CosignerKey::new(&self.name, self.key.verifying_key())
            .unwrap_or_else(|_| unreachable!("the name in the state directory was checked by init"))
    }

    /// The logs witnessed.
    pub fn logs(&self) -> &[WitnessedLog] {
        &self.logs
    }

    fn log_path(&self, origin: &str) -> PathBuf {
        self.dir
            .join("logs")
            .join(format!("{}.checkpoint", origin_hash(origin)))
    }

    /// The latest checkpoint cosigned for `log`, if any.
    pub fn held(&self, log: &WitnessedLog) -> Result<Option<Held>, StateError> {
        let path = self.log_path(log.key.name());
        let note = match fs::read_to_string(&path) {
            Ok(note) => note,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        let damaged = |problem: String| StateError::Damaged {
            path: path.clone(),
            problem,
        };
        let checkpoint = open_checkpoint(&note, &log.key).map_err(|e| damaged(e.to_string()))?;
        let mine = cosignatures(&note, &[self.public_key()]).map_err(|e| damaged(e.to_string()))?;
        if mine.is_empty() {
            return Err(damaged(
                "the held checkpoint lacks this witness's cosignature".into(),
            ));
        }
        Ok(Some(Held { checkpoint, note }))
    }

    /// The held checkpoint of the log with this origin hash (the monitoring route).
    pub fn held_by_hash(&self, hash: &str) -> Result<Option<Held>, StateError> {
        match self.logs.iter().find(|l| origin_hash(l.key.name()) == hash) {
            Some(log) => self.held(log),
            None => Ok(None),
        }
    }

    /// Handles one `add-checkpoint` body at time `now` (POSIX seconds): the cosignature line
    /// to answer with, or the refusal. The new state is on disk before this returns.
    pub fn add_checkpoint(
        &self,
        body: &str,
        now: u64,
    ) -> Result<Result<String, Refusal>, StateError> {
        let request = match AddCheckpoint::parse(body) {
            Ok(request) => request,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let origin = claimed_origin(&request.checkpoint).unwrap_or_default();
        let Some(log) = self.logs.iter().find(|l| l.key.name() == origin) else {
            return Ok(Err(Refusal::UnknownLog(origin.to_owned())));
        };
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let held = self.held(log)?;
        match check_add(&request, &log.key, held.as_ref().map(|h| &h.checkpoint)) {
            Ok(new) => {
                let cosignature = cosign(&new.body(), now, &self.name, &self.key).map_err(|e| {
                    StateError::Damaged {
                        path: self.dir.join("name"),
                        problem: e.to_string(),
                    }
                })?;
                // Keep only the log's signature and ours: the note served to monitors.
                let log_only = keep_signatures_by(&request.checkpoint, &log.key)
                    .unwrap_or_else(|_| request.checkpoint.clone());
                let note = add_cosignatures(&log_only, std::slice::from_ref(&cosignature))
                    .map_err(|e| StateError::Damaged {
                        path: self.log_path(origin),
                        problem: e.to_string(),
                    })?;
                let path = self.log_path(origin);
                fs::create_dir_all(self.dir.join("logs")).map_err(io(&self.dir))?;
                write_durably(&path, note.as_bytes())?;
                Ok(Ok(cosignature.line()))
            }
            Err(refusal) => {
                if refusal.is_evidence() {
                    self.keep_evidence(held.as_ref(), &request, &refusal, now)?;
                }
                Ok(Err(refusal))
            }
        }
    }

    fn keep_evidence(
        &self,
        held: Option<&Held>,
        request: &AddCheckpoint,
        refusal: &Refusal,
        now: u64,
    ) -> Result<(), StateError> {
        let dir = self.dir.join("evidence");
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let digest = Hash::of(&[request.checkpoint.as_bytes()]).to_hex();
        let path = dir.join(format!("{now}-{}.txt", &digest[..16]));
        let text = format!(
            "refused: {refusal}\n\n== held (cosigned by this witness) ==\n{}\n== shown (signed by the log) ==\n{}",
            held.map_or("(nothing)\n", |h| h.note.as_str()),
            request.to_body()
        );
        write_durably(&path, text.as_bytes())
    }

    /// The evidence files kept, oldest first.
    pub fn evidence(&self) -> Result<Vec<(PathBuf, String)>, StateError> {
        let dir = self.dir.join("evidence");
        let mut found = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(io(&dir)(e)),
        };
        for entry in entries {
            let path = entry.map_err(io(&dir))?.path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = fs::read_to_string(&path).map_err(io(&path))?;
                found.push((path, text));
            }
        }
        found.sort();
        Ok(found)
    }
}

/// Writes `bytes` to `path` so that after a crash the file holds either its old content or
/// the new one: a temporary file, fsynced, renamed over it, the directory fsynced.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode_private()
        .open(&temporary)
        .map_err(io(&temporary))?;
    file.write_all(bytes).map_err(io(&temporary))?;
    file.sync_all().map_err(io(&temporary))?;
    drop(file);
    fs::rename(&temporary, path).map_err(io(path))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))?;
    Ok(())
}

/// Files of a witness are its own: mode 0600 where that exists.
trait ModePrivate {
    fn mode_private(&mut self) -> &mut Self;
}

impl ModePrivate for OpenOptions {
    #[cfg(unix)]
    fn mode_private(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
    }
    #[cfg(not(unix))]
    fn mode_private(&mut self) -> &mut Self {
        self
    }
}

/// What a witness holds, as `witness status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    /// The witness's key name.
    pub name: String,
    /// Its verifier key, for the coalition's witness policy.
    pub key: String,
    /// Per log, the checkpoint it last cosigned.
    pub logs: Vec<HeldView>,
    /// The evidence files of inconsistencies it was shown.
    pub evidence: Vec<PathBuf>,
}

/// One held checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeldView {
    /// The log's origin.
    pub origin: String,
    /// The size cosigned.
    pub size: u64,
    /// The root cosigned.
    pub root: Hash,
    /// When it cosigned (POSIX seconds).
    pub cosigned_at: u64,
    /// The note as served to monitors.
    pub note: String,
}

/// Reads what the witness in `dir` holds, without needing the logs' keys.
pub fn status(dir: &Path) -> Result<Status, StateError> {
    let witness = Witness::open(dir, Vec::new())?;
    let own = witness.public_key();
    let mut logs = Vec::new();
    let logs_dir = dir.join("logs");
    if let Ok(entries) = fs::read_dir(&logs_dir) {
        for entry in entries {
            let path = entry.map_err(io(&logs_dir))?.path();
            if path.extension().is_none_or(|e| e != "checkpoint") {
                continue;
            }
            let note = fs::read_to_string(&path).map_err(io(&path))?;
            let damaged = |problem: String| StateError::Damaged {
                path: path.clone(),
                problem,
            };
            let (text, _) = coalition_ledger::checkpoint::split_note(&note)
                .map_err(|e| damaged(e.to_string()))?;
            let checkpoint = Checkpoint::parse_body(text).map_err(|e| damaged(e.to_string()))?;
            let mine = cosignatures(&note, std::slice::from_ref(&own))
                .map_err(|e| damaged(e.to_string()))?;
            let cosigned_at = mine
                .first()
                .map(|w| w.timestamp)
                .ok_or_else(|| damaged("no cosignature by this witness".into()))?;
            logs.push(HeldView {
                origin: checkpoint.origin,
                size: checkpoint.size,
                root: checkpoint.root,
                cosigned_at,
                note,
            });
        }
    }
    logs.sort_by(|a, b| a.origin.cmp(&b.origin));
    Ok(Status {
        name: witness.name.clone(),
        key: own.to_string(),
        logs,
        evidence: witness.evidence()?.into_iter().map(|(p, _)| p).collect(),
    })
}
