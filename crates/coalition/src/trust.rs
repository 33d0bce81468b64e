//! The checkpoints this machine has verified: one per coalition, kept outside the data
//! directory (whoever can rewrite the database should not be able to rewrite what we trust).
//! A log that is not consistent with the kept checkpoint is refused.

use std::path::PathBuf;

use anyhow::Context as _;
use coalition_core::id::CoalitionId;
use coalition_ledger::checkpoint::VerifierKey;

/// The trust directory: `COALITION_TRUST_DIR`, else the per-user config directory.
fn dir() -> anyhow::Result<PathBuf> {
    match std::env::var_os("COALITION_TRUST_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => dirs::config_dir()
            .map(|d| d.join("coalition").join("trusted-checkpoints"))
            .context("no per-user config directory; set COALITION_TRUST_DIR"),
    }
}

/// The last checkpoint verified for a coalition, with the key that signed it.
pub(crate) fn last_verified(
    coalition: &CoalitionId,
) -> anyhow::Result<Option<(String, VerifierKey)>> {
    let dir = dir()?;
    let note = dir.join(format!("{coalition}.checkpoint"));
    let key = dir.join(format!("{coalition}.key"));
    if !note.exists() {
        return Ok(None);
    }
    let note = std::fs::read_to_string(&note)?;
    let key = VerifierKey::parse(std::fs::read_to_string(&key)?.trim())
        .map_err(|e| anyhow::anyhow!("trusted key for {coalition} is damaged: {e}"))?;
    Ok(Some((note, key)))
}

/// Remembers a verified checkpoint (replacing the previous one).
pub(crate) fn remember(
    coalition: &CoalitionId,
    note: &str,
    key: &VerifierKey,
) -> anyhow::Result<()> {
    let dir = dir()?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{coalition}.checkpoint")), note)?;
    std::fs::write(dir.join(format!("{coalition}.key")), format!("{key}\n"))?;
    Ok(())
}

/// Forgets the checkpoint kept for a coalition: only when its custodian deliberately starts the
/// log again (`coalition demo --reset`), since any other log would then be refused.
pub(crate) fn forget(coalition: &CoalitionId) -> anyhow::Result<()> {
    let dir = dir()?;
    for name in [
        format!("{coalition}.checkpoint"),
        format!("{coalition}.key"),
    ] {
        match std::fs::remove_file(dir.join(name)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
            _ => {}
        }
    }
    Ok(())
}

/// Refuses a log that never registered the key that signed the checkpoint this machine kept:
/// it is another log under the same coalition id — recreated, or rewritten from scratch.
pub(crate) fn confirm_same_log(
    coalition: &CoalitionId,
    trusted: &VerifierKey,
    registered: &[coalition_core::signature::PublicKey],
) -> anyhow::Result<()> {
    if registered
        .iter()
        .any(|key| key.0 == trusted.public_key().to_bytes())
    {
        return Ok(());
    }
    Err(crate::failure::verification_failed(format!(
        "{coalition}: not consistent with the earlier checkpoint this machine verified: that \
         checkpoint was signed by {trusted}, a key this log never registered, so this is another \
         log under the same id (recreated, or rewritten from scratch). If the coalition was \
         deliberately recreated, remove {} to trust the new log.",
        dir()?.join(format!("{coalition}.checkpoint")).display()
    )))
}
