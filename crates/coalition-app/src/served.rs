//! A log as a server serves it, checked without the server's word: its hash tiles, and
//! verification of what a client fetched (the signed checkpoint, a consistency proof from the
//! checkpoint this machine pinned for that server, the leaf tiles, and with a token every entry
//! the caller may read) against this machine's pin. What is fetched and how is the front end's;
//! what counts as verified is decided here, once.

use coalition_core::hash::Hash;
use coalition_core::id::CoalitionId;
use coalition_ledger::bundle::{origin, verify_bundle};
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, open_checkpoint};
use coalition_ledger::merkle;
use coalition_ledger::tiles::{TileName, tile};

use crate::app::App;
use crate::error::AppError;
use crate::reader::Who;
use crate::trust::TrustStore;
use crate::views::{ConsistencyProofView, LogVerification};

impl App {
    /// A hash tile of the log `who` may see (C2SP tlog-tiles), or not found if that log has no
    /// such tile.
    pub async fn tile(
        &self,
        coalition: &CoalitionId,
        who: &Who,
        name: &TileName,
    ) -> Result<Vec<u8>, AppError> {
        let leaves = self.readable_leaves(coalition, who).await?;
        tile(&leaves, name).ok_or_else(|| AppError::not_found("tile", name.path()))
    }
}

/// What a client fetched from a server about one log.
#[derive(Clone, Debug, Default)]
pub struct Served {
    /// The signed checkpoint (C2SP signed note).
    pub checkpoint: String,
    /// A consistency proof from the pinned checkpoint's size, if one was pinned.
    pub consistency: Option<ConsistencyProofView>,
    /// The leaf hashes, read from the level-0 tiles.
    pub leaves: Vec<Hash>,
    /// The caller's log as a bundle: every entry it may read, with the keys.
    pub bundle: Option<Vec<u8>>,
}

/// The checkpoint this machine pinned for a log, opened with the key pinned with it.
pub fn pinned(trust: &dyn TrustStore, log: &CoalitionId) -> Result<Option<Checkpoint>, AppError> {
    let Some(trusted) = trust.last_verified(log)? else {
        return Ok(None);
    };
    open_checkpoint(&trusted.note, &trusted.key)
        .map(Some)
        .map_err(|e| AppError::internal(format!("the checkpoint pinned for {log} is damaged: {e}")))
}

/// Verifies what was fetched about `log` against the checkpoint `trust` pinned for its source,
/// then pins the new checkpoint. The log's key is the pinned one; on first contact the
/// bundle's, trusted on first use as ssh trusts a host key, after the whole bundle verified.
pub fn verify_served(
    trust: &dyn TrustStore,
    log: &CoalitionId,
    served: &Served,
) -> Result<LogVerification, AppError> {
    let failed = |problem: String| LogVerification::Failed {
        coalition: log.clone(),
        verified: false,
        first_bad_seq: None,
        problem,
    };
    let trusted = trust.last_verified(log)?;
    let bundle_key = match &served.bundle {
        Some(bytes) => Some(
            coalition_ledger::bundle::Bundle::from_bytes(bytes)
                .map_err(|e| AppError::Verification(format!("the server's bundle: {e}")))
                .and_then(|b| {
                    VerifierKey::parse(&b.log_key)
                        .map_err(|e| AppError::Verification(format!("the bundle's log key: {e}")))
                })?,
        ),
        None => None,
    };
    let key = match (&trusted, &bundle_key) {
        (Some(trusted), _) => trusted.key.clone(),
        (None, Some(from_bundle)) => from_bundle.clone(),
        (None, None) => {
            return Err(AppError::internal(
                "a first verification of a served log needs its entries (the bundle)",
            ));
        }
    };
    let current = match open_checkpoint(&served.checkpoint, &key)
        .and_then(|c| c.expect_origin(&origin(log)))
    {
        Ok(current) => current,
        Err(e) => {
            return Ok(failed(format!(
                "the server's checkpoint does not verify with the log key this machine trusts \
                 for it ({key}): {e}; a log under another key is another log, or a rewritten one"
            )));
        }
    };

    let mut consistent_with = None;
    if let Some(trusted) = &trusted {
        let old = open_checkpoint(&trusted.note, &trusted.key).map_err(|e| {
            AppError::internal(format!("the checkpoint pinned for {log} is damaged: {e}"))
        })?;
        if old.size > current.size {
            return Ok(failed(format!(
                "the server's log has {} events but the checkpoint this machine verified \
                 earlier covered {}: it was truncated",
                current.size, old.size
            )));
        }
        let Some(proof) = &served.consistency else {
            return Err(AppError::internal("a pinned log needs a consistency proof"));
        };
        let matches = proof.old_size == old.size
            && proof.new_size == current.size
            && proof.new_root == current.root;
        if !matches
            || merkle::verify_consistency(
                old.size,
                current.size,
                &old.root,
                &current.root,
                &proof.proof,
            )
            .is_err()
        {
            return Ok(failed(format!(
                "not consistent with the earlier checkpoint this machine verified ({}): the \
                 first {} events no longer hash to its root; the server's history was \
                 rewritten or forked",
                trust.location(log),
                old.size
            )));
        }
        consistent_with = Some(old.size);
    }

    if served.leaves.len() as u64 != current.size || merkle::root(&served.leaves) != current.root {
        return Ok(failed(format!(
            "the server's hash tiles ({} leaves, root {}) do not give its signed checkpoint \
             (size {}, root {})",
            served.leaves.len(),
            merkle::root(&served.leaves),
            current.size,
            current.root
        )));
    }

    let mut approvals = 0;
    if let Some(bytes) = &served.bundle {
        let verified = match verify_bundle(bytes, None) {
            Ok(verified) => verified,
            Err(e) => return Ok(failed(format!("the entries the server gave: {e}"))),
        };
        let leaves_of_bundle: Vec<Hash> = coalition_ledger::bundle::Bundle::from_bytes(bytes)
            .map_err(|e| AppError::Verification(e.to_string()))?
            .entries
            .iter()
            .map(|e| e.hash)
            .collect();
        let prefix = leaves_of_bundle.get(..served.leaves.len());
        if verified.coalition != *log || prefix != Some(served.leaves.as_slice()) {
            return Ok(failed(
                "the entries the server gave are not the leaves of its tree".to_owned(),
            ));
        }
        if key.public_key()
            != bundle_key
                .as_ref()
                .map_or(key.public_key(), |k| k.public_key())
        {
            return Ok(failed(
                "the entries the server gave are signed for under another log key".to_owned(),
            ));
        }
        approvals = verified.audit.approvals;
    }

    trust.remember(log, &served.checkpoint, &key)?;
    Ok(LogVerification::Verified {
        coalition: log.clone(),
        verified: true,
        events: current.size,
        head: served.leaves.last().copied().unwrap_or(Hash::GENESIS),
        approvals_verified: approvals,
        consistent_with_size: consistent_with,
        // The server's checkpoint route serves the log's own signature only; its witnesses'
        // cosignatures are not yet served or checked here.
        witnesses: None,
    })
}
