//! Where the CLI's record is: the data directory (`--data-dir`, `COALITION_DATA_DIR`, else the
//! per-user data directory) holding `coalition.sqlite` and the log keys, or the database
//! `--database` (`COALITION_DATABASE_URL`) names, with the log keys still in the data directory;
//! trusted checkpoints in `COALITION_TRUST_DIR` (else the per-user config directory), apart from
//! the record.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use coalition_app::keys::FileLogKeys;
use coalition_app::tokens::FileTokenStore;
use coalition_app::trust::DirTrustStore;
use coalition_app::{Access, App, Config};

use crate::failure::bad_input;

/// The file name of the database inside the data directory.
pub(crate) const DATABASE_FILE: &str = "coalition.sqlite";

/// Where `coalition demo` writes the demo leaders' keys, inside the data directory.
pub(crate) const DEMO_KEYS: &str = "demo-keys";

/// The data directory: the flag or `COALITION_DATA_DIR`, else the per-user data directory.
pub(crate) fn data_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    let dir = match flag {
        Some(dir) => dir.to_owned(),
        None => dirs::data_dir()
            .map(|dir| dir.join("coalition"))
            .context("no per-user data directory on this system; pass --data-dir")?,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(bad_input(format!(
            "--data-dir: {} is a file, expected a directory",
            dir.display()
        )));
    }
    Ok(dir)
}

/// Opens the record in `database` (a URL), else in `dir`: for reading (nothing is created) or
/// for writing, with this many connections to it (one for a one-shot command).
pub(crate) async fn open(
    dir: &Path,
    database: Option<&str>,
    access: Access,
    connections: u32,
) -> anyhow::Result<App> {
    open_with_trust(dir, database, &trust_dir()?, access, connections).await
}

/// Where this machine keeps trusted checkpoints: `COALITION_TRUST_DIR`, else the per-user
/// config directory.
pub(crate) fn trust_dir() -> anyhow::Result<PathBuf> {
    Ok(match std::env::var_os("COALITION_TRUST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => DirTrustStore::default_dir()
            .context("no per-user config directory; set COALITION_TRUST_DIR")?,
    })
}

/// Opens the record in `database`, else in `dir`, with trusted checkpoints kept in `trust`.
pub(crate) async fn open_with_trust(
    dir: &Path,
    database: Option<&str>,
    trust: &Path,
    access: Access,
    connections: u32,
) -> anyhow::Result<App> {
    let config = Config {
        database: match database {
            Some(url) => url.to_owned(),
            None => coalition_store::sqlite_url(&dir.join(DATABASE_FILE)),
        },
        log_keys: Arc::new(FileLogKeys::in_data_dir(dir)),
        trust: Arc::new(DirTrustStore::for_source(trust, &source(dir, database))),
        clock: crate::clock::from_env()?,
        tokens: Arc::new(FileTokenStore::in_data_dir(dir)),
        connections,
    };
    Ok(App::open(config, access).await?)
}

/// The source a record's pins are kept for: the database URL (without a password), else the
/// data directory's absolute path. A fresh data directory is a new source, so its demo is not
/// taken for a rewrite of another directory's.
pub(crate) fn source(dir: &Path, database: Option<&str>) -> String {
    match database {
        Some(url) => without_password(url),
        None => {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
            format!("dir:{}", dir.display())
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`: no secret in a file name.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, None), |(a, p)| (a, Some(p)));
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or(user)),
        None => authority.to_owned(),
    };
    match path {
        Some(path) => format!("{scheme}://{authority}/{path}"),
        None => format!("{scheme}://{authority}"),
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_database_source_never_holds_its_password() {
        assert_eq!(
            without_password("postgres://app:s3cret@db:5432/coalition"),
            "postgres://app@db:5432/coalition"
        );
        assert_eq!(
            without_password("sqlite:///tmp/x.sqlite"),
            "sqlite:///tmp/x.sqlite"
        );
        assert_eq!(without_password("postgres://db/c"), "postgres://db/c");
    }
}
