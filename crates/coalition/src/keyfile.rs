//! Private key files: ed25519 keys in PKCS#8 PEM, encrypted with a passphrase (PBES2, scrypt and
//! AES-256) unless the user explicitly asks otherwise, written with mode 0600 and never
//! overwritten. Private keys stay on the signer's machine: only signatures are submitted.

use std::io::Write as _;
use std::path::Path;

use coalition_core::signature::PublicKey;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;

use crate::failure::bad_input;

/// The environment variable holding a key file's passphrase.
pub(crate) const PASSPHRASE_ENV: &str = "COALITION_KEY_PASSPHRASE";

/// A new random signing key.
pub(crate) fn generate() -> SigningKey {
    SigningKey::generate(&mut UnwrapErr(SysRng))
}

/// The public half, as the record stores it.
pub(crate) fn public_key(key: &SigningKey) -> anyhow::Result<PublicKey> {
    Ok(PublicKey::from_bytes(key.verifying_key().to_bytes())?)
}

/// The passphrase from the environment, if set and non-empty.
pub(crate) fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

/// Writes `key` to a new file (never overwriting), readable by the owner only.
pub(crate) fn write(path: &Path, key: &SigningKey, passphrase: Option<&str>) -> anyhow::Result<()> {
    let pem = match passphrase {
        Some(passphrase) => key
            .to_pkcs8_encrypted_pem(passphrase, Default::default())
            .map_err(|e| anyhow::anyhow!("cannot encrypt the key: {e}"))?,
        None => key
            .to_pkcs8_pem(Default::default())
            .map_err(|e| anyhow::anyhow!("cannot encode the key: {e}"))?,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        bad_input(format!(
            "--out {}: {e} (key files are never overwritten)",
            path.display()
        ))
    })?;
    file.write_all(pem.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Reads a key file, decrypting it with the passphrase from the environment when it is
/// encrypted.
pub(crate) fn read(path: &Path) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("--key {}: {e}", path.display())))?;
    if text.contains("BEGIN ENCRYPTED PRIVATE KEY") {
        let passphrase = passphrase_from_env().ok_or_else(|| {
            bad_input(format!(
                "--key {}: the key is encrypted; set {PASSPHRASE_ENV}",
                path.display()
            ))
        })?;
        SigningKey::from_pkcs8_encrypted_pem(&text, passphrase.as_bytes()).map_err(|_| {
            bad_input(format!(
                "--key {}: wrong passphrase or damaged key file",
                path.display()
            ))
        })
    } else {
        SigningKey::from_pkcs8_pem(&text).map_err(|e| {
            bad_input(format!(
                "--key {}: not an ed25519 PKCS#8 PEM key ({e})",
                path.display()
            ))
        })
    }
}
