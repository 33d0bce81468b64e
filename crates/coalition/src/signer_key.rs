//! The signer's own key files, on the signer's machine: generated here, read here to sign, and
//! never sent anywhere (only signatures are submitted). The file format is `coalition-app`'s.

use std::path::Path;

use coalition_app::keys::{KeyFileError, read_key_file, write_key_file};
use ed25519_dalek::SigningKey;

use crate::failure::bad_input;

/// The environment variable holding a key file's passphrase.
pub(crate) const PASSPHRASE_ENV: &str = "COALITION_KEY_PASSPHRASE";

/// The passphrase from the environment, if set and non-empty.
pub(crate) fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

/// Reads the key file named by `--key`, decrypting it with the passphrase from the environment.
pub(crate) fn read(path: &Path) -> anyhow::Result<SigningKey> {
    read_key_file(
        path,
        passphrase_from_env().as_deref(),
        &format!("set {PASSPHRASE_ENV}"),
    )
    .map_err(|e| flag_error("--key", &e))
}

/// Writes a new key file named by `--out` (never overwriting).
pub(crate) fn write(path: &Path, key: &SigningKey, passphrase: Option<&str>) -> anyhow::Result<()> {
    write_key_file(path, key, passphrase).map_err(|e| flag_error("--out", &e))
}

fn flag_error(flag: &str, err: &KeyFileError) -> anyhow::Error {
    match err {
        KeyFileError::Encoding(_) | KeyFileError::Weak(_) => anyhow::anyhow!("{err}"),
        _ => bad_input(format!("{flag} {err}")),
    }
}
