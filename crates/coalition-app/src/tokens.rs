//! Who is calling over the network: per-principal bearer tokens. A token is 256 random bits,
//! shown once when issued; only its SHA-256 is kept, and a presented token is compared with every
//! kept hash in constant time. Where tokens are kept comes in as a [`TokenStore`] (a file in the
//! data directory on one machine; one shared table when several server nodes share a database).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

use coalition_core::classification::{Marking, may_read};
use coalition_core::command::Command;
use coalition_core::dates::{Span, Timestamp};
use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::party::PrincipalRole;
use coalition_core::state::State;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;

use crate::app::App;
use crate::error::AppError;

/// What every token starts with, so that a leaked one is recognisable in a scan.
const PREFIX: &str = "coalition_";

/// A token as `token list` shows it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    /// Its id (`TOK-` and 8 hex digits), for revoking it.
    pub id: String,
    /// The coalition it is valid for.
    pub coalition: CoalitionId,
    /// The principal it acts and reads as.
    pub principal: PrincipalId,
    /// What the issuer called it.
    #[serde(default)]
    pub label: String,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When it stops being accepted, if ever.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// When it was last accepted (to the minute), if ever.
    pub last_used: Option<Timestamp>,
}

/// A token as it is kept: its view and the SHA-256 of the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// What `token list` shows.
    #[serde(flatten)]
    pub view: TokenView,
    /// SHA-256 of the token's text.
    pub sha256: Hash,
}

/// A token just issued: the secret, printed once, and what is kept of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The bearer token. It is not kept anywhere: lose it and issue another.
    pub token: String,
    /// What is kept.
    #[serde(flatten)]
    pub view: TokenView,
}

/// Where tokens are kept.
pub trait TokenStore: Send + Sync {
    /// Every kept token, of every coalition.
    fn all(&self) -> Result<Vec<StoredToken>, AppError>;
    /// Keeps a new token.
    fn add(&self, token: StoredToken) -> Result<(), AppError>;
    /// Replaces the kept token with the same id (revocation, last use).
    fn update(&self, token: &StoredToken) -> Result<(), AppError>;
}

/// Tokens as one JSON file, `<data dir>/tokens.json` (mode 0600), rewritten whole through a
/// temporary file and a rename, and read again only when it changed on disk — so that a token
/// issued or revoked by the CLI takes effect in a running server at its next request.
pub struct FileTokenStore {
    path: PathBuf,
    cache: Mutex<Option<(FileVersion, Vec<StoredToken>)>>,
    /// Held across read-modify-write, so that two requests of this process never race.
    writing: Mutex<()>,
}

/// When the file was last changed and how long it is: it is read again when either differs.
type FileVersion = (SystemTime, u64);

impl FileTokenStore {
    /// Tokens kept in `data_dir/tokens.json`.
    pub fn in_data_dir(data_dir: impl Into<PathBuf>) -> FileTokenStore {
        FileTokenStore {
            path: data_dir.into().join("tokens.json"),
            cache: Mutex::new(None),
            writing: Mutex::new(()),
        }
    }

    fn read(&self) -> Result<Vec<StoredToken>, AppError> {
        let modified = match std::fs::metadata(&self.path) {
            Ok(meta) => (meta.modified()?, meta.len()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err.into()),
        };
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| AppError::internal("token cache poisoned"))?;
        if let Some((seen, tokens)) = cache.as_ref()
            && *seen == modified
        {
            return Ok(tokens.clone());
        }
        let text = std::fs::read_to_string(&self.path)?;
        let tokens: Vec<StoredToken> = serde_json::from_str(&text)
            .map_err(|e| AppError::internal(format!("{} is damaged: {e}", self.path.display())))?;
        *cache = Some((modified, tokens.clone()));
        Ok(tokens)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, ()>, AppError> {
        self.writing
            .lock()
            .map_err(|_| AppError::internal("token store lock poisoned"))
    }

    fn write(&self, tokens: &[StoredToken]) -> Result<(), AppError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(tokens).map_err(AppError::internal)?;
        // Per process: another process rewriting the file at once has its own.
        let temporary = self
            .path
            .with_extension(format!("json.{}.new", std::process::id()));
        write_private(&temporary, text.as_bytes())?;
        std::fs::rename(&temporary, &self.path)?;
        Ok(())
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

impl TokenStore for FileTokenStore {
    fn all(&self) -> Result<Vec<StoredToken>, AppError> {
        self.read()
    }

    fn add(&self, token: StoredToken) -> Result<(), AppError> {
        let _writing = self.lock()?;
        let mut tokens = self.read()?;
        tokens.push(token);
        self.write(&tokens)
    }

    fn update(&self, token: &StoredToken) -> Result<(), AppError> {
        let _writing = self.lock()?;
        let mut tokens = self.read()?;
        for kept in tokens.iter_mut().filter(|t| t.view.id == token.view.id) {
            *kept = token.clone();
        }
        self.write(&tokens)
    }
}

impl App {
    /// Issues a token for `principal` of `coalition` (a principal the record has registered),
    /// valid for `expires` if given. The secret is returned here and kept nowhere; the issue is
    /// recorded on the log first (its id, principal, label, expiry and the secret's SHA-256, at
    /// the principal's marking, by a secretariat that may read it) and the token kept only
    /// then, so that no token is accepted that the record does not name.
    pub async fn issue_token(
        &self,
        coalition: &CoalitionId,
        principal: &PrincipalId,
        label: &str,
        expires: Option<Span>,
    ) -> Result<IssuedToken, AppError> {
        let state = self.current(coalition).await?;
        let Some(registered) = state.principal(principal) else {
            return Err(AppError::invalid(
                "principal",
                format!("{coalition} has no principal {principal}"),
            ));
        };
        let secretariat = recorder(&state, &registered.marking)?;
        let secret = format!("{PREFIX}{}", hex::encode(random::<32>()?));
        let now = self.now();
        let view = TokenView {
            id: format!("TOK-{}", hex::encode(random::<4>()?)),
            coalition: coalition.clone(),
            principal: principal.clone(),
            label: label.to_owned(),
            issued_at: now,
            expires_at: expires
                .map(|span| Timestamp::from_unix(now.unix() + span.seconds() as i64)),
            revoked_at: None,
            last_used: None,
        };
        let sha256 = Hash::of(&[secret.as_bytes()]);
        let issue = Command::IssueToken {
            token: view.id.clone(),
            principal: principal.clone(),
            label: label.to_owned(),
            expires_at: view.expires_at,
            sha256,
        };
        self.execute(coalition, &secretariat, &[issue]).await?;
        self.tokens.add(StoredToken {
            view: view.clone(),
            sha256,
        })?;
        Ok(IssuedToken {
            token: secret,
            view,
        })
    }

    /// The tokens issued for a coalition, oldest first.
    pub fn tokens(&self, coalition: &CoalitionId) -> Result<Vec<TokenView>, AppError> {
        Ok(self
            .tokens
            .all()?
            .into_iter()
            .map(|t| t.view)
            .filter(|t| &t.coalition == coalition)
            .collect())
    }

    /// Revokes a token: it is refused from its next use on. The revocation is recorded on the
    /// log first (a token issued before tokens were recorded is only marked in the store).
    pub async fn revoke_token(
        &self,
        coalition: &CoalitionId,
        id: &str,
    ) -> Result<TokenView, AppError> {
        let mut token = self
            .tokens
            .all()?
            .into_iter()
            .find(|t| &t.view.coalition == coalition && t.view.id == id)
            .ok_or_else(|| AppError::not_found("token", id))?;
        let state = self.current(coalition).await?;
        if let Some(record) = state.token(id).filter(|record| !record.revoked) {
            let secretariat = recorder(&state, &record.marking)?;
            let revoke = Command::RevokeToken {
                token: id.to_owned(),
            };
            self.execute(coalition, &secretariat, &[revoke]).await?;
        }
        if token.view.revoked_at.is_none() {
            token.view.revoked_at = Some(self.now());
            self.tokens.update(&token)?;
        }
        Ok(token.view)
    }

    /// The token `presented` names, if it is kept, not revoked and not expired. Every kept hash
    /// is compared, in constant time, so the time taken says nothing about which came close.
    pub fn authenticate(&self, presented: &str) -> Result<Option<TokenView>, AppError> {
        let hash = Hash::of(&[presented.as_bytes()]);
        let mut found = None;
        for token in self.tokens.all()? {
            if bool::from(token.sha256.as_bytes().ct_eq(hash.as_bytes())) {
                found = Some(token);
            }
        }
        let now = self.now();
        let Some(mut token) = found.filter(|t| {
            t.view.revoked_at.is_none() && t.view.expires_at.is_none_or(|end| now < end)
        }) else {
            return Ok(None);
        };
        // Last use to the minute: a busy token does not rewrite the store on every request.
        if token
            .view
            .last_used
            .is_none_or(|last| now.unix() - last.unix() >= 60)
        {
            token.view.last_used = Some(now);
            // Remembering the last use is a courtesy: failing it refuses no valid token.
            let _ = self.tokens.update(&token);
        }
        Ok(Some(token.view))
    }
}

/// The secretariat that records a token's issue or revocation: the first (by id) that may read
/// the principal's marking, so that its events are about what it may see.
fn recorder(state: &State, marking: &Marking) -> Result<PrincipalId, AppError> {
    state
        .principals()
        .values()
        .filter(|p| p.role == PrincipalRole::Secretariat)
        .find(|p| may_read(&state.viewer_for(p), marking))
        .map(|p| p.id.clone())
        .ok_or_else(|| {
            AppError::invalid(
                "principal",
                "no secretariat of the coalition may read this principal's record, so none can record its token",
            )
        })
}

fn random<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, secret: &str) -> StoredToken {
        StoredToken {
            view: TokenView {
                id: id.into(),
                coalition: CoalitionId::parse("paris-2026").expect("an id"),
                principal: PrincipalId::parse("macron").expect("an id"),
                label: String::new(),
                issued_at: Timestamp::from_unix(0),
                expires_at: None,
                revoked_at: None,
                last_used: None,
            },
            sha256: Hash::of(&[secret.as_bytes()]),
        }
    }

    #[test]
    fn the_file_keeps_only_hashes_and_sees_changes_made_by_another_process() {
        let dir = tempfile::tempdir().expect("a directory");
        let store = FileTokenStore::in_data_dir(dir.path());
        assert!(store.all().expect("empty").is_empty());
        store
            .add(stored("TOK-1", "coalition_secret"))
            .expect("kept");
        let text = std::fs::read_to_string(dir.path().join("tokens.json")).expect("written");
        assert!(!text.contains("coalition_secret"), "{text}");
        assert!(text.contains(&Hash::of(&[b"coalition_secret"]).to_hex()));
        // Another process (another store on the same file) adds a token.
        std::thread::sleep(std::time::Duration::from_millis(20));
        FileTokenStore::in_data_dir(dir.path())
            .add(stored("TOK-2", "coalition_other"))
            .expect("kept");
        let ids: Vec<String> = store
            .all()
            .expect("read")
            .into_iter()
            .map(|t| t.view.id)
            .collect();
        assert_eq!(ids, ["TOK-1", "TOK-2"]);
    }
}
