//! Private key files: ed25519 keys in PKCS#8 PEM, encrypted with a passphrase (PBES2, scrypt and
//! AES-256) unless the caller explicitly asks otherwise, written with mode 0600 and never
//! overwritten.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use coalition_core::signature::PublicKey;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;

/// Why a key file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file exists already, or cannot be created.
    #[error("{}: {source} (key files are never overwritten)", path.display())]
    Uncreatable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key is encrypted and no passphrase was given.
    #[error("{}: the key is encrypted; {hint}", path.display())]
    NeedsPassphrase {
        /// The file.
        path: PathBuf,
        /// How to give one.
        hint: String,
    },
    /// The passphrase does not open the key.
    #[error("{}: wrong passphrase or damaged key file", path.display())]
    WrongPassphrase {
        /// The file.
        path: PathBuf,
    },
    /// The file is not an ed25519 key.
    #[error("{}: not an ed25519 PKCS#8 PEM key ({problem})", path.display())]
    NotAKey {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        problem: String,
    },
    /// Encoding failed (should not happen for a valid key).
    #[error("cannot encode the key: {0}")]
    Encoding(String),
    /// The key is weak (a small-order point) and can sign for anyone.
    #[error("{0}")]
    Weak(String),
}

/// A new random signing key.
pub fn generate() -> SigningKey {
    SigningKey::generate(&mut UnwrapErr(SysRng))
}

/// The public half, as the record stores it.
pub fn public_key(key: &SigningKey) -> Result<PublicKey, KeyFileError> {
    PublicKey::from_bytes(key.verifying_key().to_bytes())
        .map_err(|e| KeyFileError::Weak(e.to_string()))
}

/// Writes `key` to a new file (never overwriting), readable by the owner only; encrypted when a
/// passphrase is given.
pub fn write_key_file(
    path: &Path,
    key: &SigningKey,
    passphrase: Option<&str>,
) -> Result<(), KeyFileError> {
    let pem = match passphrase {
        Some(passphrase) => key
            .to_pkcs8_encrypted_pem(passphrase, Default::default())
            .map_err(|e| KeyFileError::Encoding(e.to_string()))?,
        None => key
            .to_pkcs8_pem(Default::default())
            .map_err(|e| KeyFileError::Encoding(e.to_string()))?,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let uncreatable = |source| KeyFileError::Uncreatable {
        path: path.to_owned(),
        source,
    };
    let mut file = options.open(path).map_err(uncreatable)?;
    file.write_all(pem.as_bytes()).map_err(uncreatable)?;
    file.sync_all().map_err(uncreatable)?;
    Ok(())
}

/// Reads a key file, decrypting it with `passphrase` when it is encrypted; `hint` says how to
/// give a passphrase when none was.
pub fn read_key_file(
    path: &Path,
    passphrase: Option<&str>,
    hint: &str,
) -> Result<SigningKey, KeyFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    if text.contains("BEGIN ENCRYPTED PRIVATE KEY") {
        let passphrase = passphrase.ok_or_else(|| KeyFileError::NeedsPassphrase {
            path: path.to_owned(),
            hint: hint.to_owned(),
        })?;
        SigningKey::from_pkcs8_encrypted_pem(&text, passphrase.as_bytes()).map_err(|_| {
            KeyFileError::WrongPassphrase {
                path: path.to_owned(),
            }
        })
    } else {
        SigningKey::from_pkcs8_pem(&text).map_err(|e| KeyFileError::NotAKey {
            path: path.to_owned(),
            problem: e.to_string(),
        })
    }
}
