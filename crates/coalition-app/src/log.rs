//! The log itself: the gated view of its entries, verification (in place and of a bundle),
//! checkpoints, proofs and export. Verification failures are answers (a report that says what
//! failed), not errors; this machine's trusted checkpoint is consulted and updated here.

use std::path::Path;

use coalition_core::classification::Level;
use coalition_core::dates::Timestamp;
use coalition_core::hash::Hash;
use coalition_core::id::CoalitionId;
use coalition_core::witness::PolicyInForce;
use coalition_ledger::audience::{Audience, derive};
use coalition_ledger::audit::audit_signatures;
use coalition_ledger::bundle::{
    Bundle, Witnessing, check_extends, check_witnessed, log_keys, origin, policy_at, sign_log,
    verify_bundle,
};
use coalition_ledger::checkpoint::VerifierKey;
use coalition_ledger::checkpoint::open_checkpoint;
use coalition_ledger::cosignature::{Cosignature, CosignerKey, add_cosignatures};
use coalition_ledger::merkle;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{SealedEvent, VerifiedEntry};
use ed25519_dalek::SigningKey;

use crate::app::App;
use crate::error::AppError;
use crate::reader::{Reader, Reading, Who};
use crate::trust::confirm_same_log;
use crate::views::{
    BundleVerification, CheckpointView, ConsistencyProofView, CosignedBy, ExportView,
    InclusionProofView, LogEntryView, LogVerification, WitnessReport,
};

/// An earlier checkpoint a log must extend, given by the user.
#[derive(Clone, Debug)]
pub struct Since {
    /// The signed note.
    pub note: String,
    /// The key that signed it (default: the log's own), as a verifier key string.
    pub key: Option<String>,
}

impl Since {
    fn key(&self) -> Result<Option<VerifierKey>, AppError> {
        self.key
            .as_deref()
            .map(|text| {
                VerifierKey::parse(text).map_err(|e| AppError::invalid("log-key", e.to_string()))
            })
            .transpose()
    }
}

impl App {
    /// The log as the reader may see it: the custodian, the master log; anyone else, its
    /// audience's log — the entries it may read, numbered and chained among themselves, with
    /// nothing in it about the others (docs/threat-model.md).
    pub async fn log(
        &self,
        coalition: &CoalitionId,
        reading: &Reading,
    ) -> Result<Vec<LogEntryView>, AppError> {
        let (_, entries) = self
            .readable_log(coalition, &reading.who, reading.as_of)
            .await?;
        Ok(entries
            .iter()
            .map(|(sealed, envelope)| LogEntryView {
                seq: sealed.seq,
                recorded_at: envelope.recorded_at,
                actor: envelope.actor.clone(),
                kind: envelope.event.kind().to_owned(),
                classification: envelope.classification.clone(),
                payload: Box::new(envelope.event.clone()),
                prev: envelope.prev,
                hash: sealed.hash,
            })
            .collect())
    }

    /// The log `who` may see, as the record stood at `as_of`: its id and its verified entries.
    pub(crate) async fn readable_log(
        &self,
        coalition: &CoalitionId,
        who: &Who,
        as_of: Option<Timestamp>,
    ) -> Result<(CoalitionId, Vec<VerifiedEntry>), AppError> {
        let mut entries = self.entries(coalition).await?;
        if let Some(as_of) = as_of {
            entries.retain(|(_, envelope)| envelope.recorded_at <= as_of);
        }
        if *who == Who::Custodian {
            return Ok((coalition.clone(), entries));
        }
        let state = self.state(coalition, as_of, None).await?;
        let viewer = Reader::viewer(&state, who)?;
        let audience = Audience::of(&viewer).ok_or_else(|| {
            AppError::internal("a reader who is not the custodian has an audience")
        })?;
        let id = audience
            .log_id(coalition)
            .map_err(|e| AppError::invalid("coalition", e.to_string()))?;
        let derived = derive(coalition, &audience, &entries).map_err(AppError::internal)?;
        Ok((id, derived))
    }

    /// Verifies a stored log: the chain, every approval signature, and consistency with the last
    /// checkpoint this machine verified (and with `since`); then remembers a fresh checkpoint.
    /// A coalition with a witness policy must hold a checkpoint its quorum cosigned.
    pub async fn verify(
        &self,
        coalition: &CoalitionId,
        since: Option<&Since>,
    ) -> Result<LogVerification, AppError> {
        self.verify_witnessed(coalition, since, None).await
    }

    /// [`App::verify`], accepting a witnessed checkpoint with at least `min_witnesses`
    /// cosignatures instead of the policy's quorum (the report says so).
    pub async fn verify_witnessed(
        &self,
        coalition: &CoalitionId,
        since: Option<&Since>,
        min_witnesses: Option<u32>,
    ) -> Result<LogVerification, AppError> {
        let failed = |seq: Option<u64>, problem: String| LogVerification::Failed {
            coalition: coalition.clone(),
            verified: false,
            first_bad_seq: seq,
            problem,
        };
        // The raw entries: a broken record must be reported, not loaded. A coalition this
        // machine verified before cannot simply vanish: its absence is a finding, not a typo.
        let entries = match self.stored_entries(coalition).await {
            Err(AppError::NotFound { .. }) if self.trust.last_verified(coalition)?.is_some() => {
                return Ok(failed(
                    None,
                    format!(
                        "this machine verified {coalition} before ({}), and the record now \
                         holds no entry of it: deleted, renamed or damaged",
                        self.trust.location(coalition)
                    ),
                ));
            }
            entries => entries?,
        };
        let envelopes = match verify_chain(coalition, &entries) {
            Ok(envelopes) => envelopes,
            Err(chain) => return Ok(failed(Some(chain.seq), chain.to_string())),
        };
        let audit = match audit_signatures(&envelopes) {
            Ok(audit) => audit,
            Err(e) => return Ok(failed(Some(e.seq), e.to_string())),
        };
        let leaves = leaves(&entries);
        let head = entries.last().map_or(Hash::GENESIS, |e| e.hash);

        let mut checked_against = None;
        let mut witnesses = None;
        if let Some(log_key) = self.log_keys.get(coalition)? {
            if let Err(problem) = registered(coalition, &log_key, &envelopes) {
                return Ok(failed(None, problem));
            }
            let (current, note) =
                sign_log(coalition, &entries, &log_key).map_err(AppError::internal)?;
            let verifier = verifier_key(coalition, &log_key)?;
            let trusted = self.trust.last_verified(coalition)?;
            if let Some(trusted) = &trusted {
                confirm_same_log(
                    self.trust.as_ref(),
                    coalition,
                    &trusted.key,
                    &log_keys(&envelopes),
                )?;
            }
            let mut earlier: Vec<(String, VerifierKey)> =
                trusted.into_iter().map(|t| (t.note, t.key)).collect();
            if let Some(since) = since {
                earlier.push((
                    since.note.clone(),
                    since.key()?.unwrap_or_else(|| verifier.clone()),
                ));
            }
            for (old_note, old_key) in &earlier {
                match check_extends(old_note, old_key, coalition, &leaves, &current) {
                    Ok(old) => checked_against = Some(old.size),
                    Err(e) => return Ok(failed(None, e.to_string())),
                }
            }
            let witnessed = match self.log_keys.witnessed(coalition)? {
                Some(note) => {
                    match check_witnessed(&note, &verifier, coalition, &leaves, &envelopes) {
                        Ok(witnessing) => witnessing,
                        Err(e) => return Ok(failed(None, e.to_string())),
                    }
                }
                None => None,
            };
            let policy = policy_at(&envelopes, leaves.len() as u64);
            match judge(policy, witnessed, leaves.len() as u64, min_witnesses) {
                Ok(report) => witnesses = report,
                Err(problem) => return Ok(failed(None, problem)),
            }
            self.trust.remember(coalition, &note, &verifier)?;
        }
        Ok(LogVerification::Verified {
            coalition: coalition.clone(),
            verified: true,
            events: entries.len() as u64,
            head,
            approvals_verified: audit.approvals,
            consistent_with_size: checked_against,
            witnesses,
        })
    }

    /// Verifies a bundle with no database: on its own, against `since`, and against the last
    /// checkpoint this machine verified for its coalition; then remembers its checkpoint.
    /// A coalition with a witness policy must carry a checkpoint its quorum cosigned.
    pub fn verify_bundle(
        &self,
        file: &Path,
        bytes: &[u8],
        since: Option<&Since>,
    ) -> Result<BundleVerification, AppError> {
        self.verify_bundle_witnessed(file, bytes, since, None)
    }

    /// [`App::verify_bundle`], accepting at least `min_witnesses` cosignatures instead of the
    /// policy's quorum (the report says so).
    pub fn verify_bundle_witnessed(
        &self,
        file: &Path,
        bytes: &[u8],
        since: Option<&Since>,
        min_witnesses: Option<u32>,
    ) -> Result<BundleVerification, AppError> {
        let failed = |problem: String| BundleVerification::Failed {
            bundle: file.to_owned(),
            verified: false,
            problem,
        };
        let since_key = since.map(Since::key).transpose()?.flatten();
        let verified =
            match verify_bundle(bytes, since.map(|s| (s.note.as_str(), since_key.as_ref()))) {
                Ok(verified) => verified,
                Err(e) => return Ok(failed(e.to_string())),
            };
        // The bundle passed on its own; it must also extend what this machine verified before.
        let bundle =
            Bundle::from_bytes(bytes).map_err(|e| AppError::Verification(e.to_string()))?;
        let leaves: Vec<Hash> = bundle.entries.iter().map(|e| e.hash).collect();
        if let Some(trusted) = self.trust.last_verified(&verified.coalition)? {
            confirm_same_log(
                self.trust.as_ref(),
                &verified.coalition,
                &trusted.key,
                &verified.log_keys,
            )?;
            if let Err(e) = check_extends(
                &trusted.note,
                &trusted.key,
                &verified.coalition,
                &leaves,
                &verified.checkpoint,
            ) {
                return Ok(failed(format!(
                    "{e} (the checkpoint this machine verified earlier)"
                )));
            }
        }
        let witnesses = match judge(
            verified.policy.clone(),
            verified.witnessing.clone(),
            verified.events,
            min_witnesses,
        ) {
            Ok(report) => report,
            Err(problem) => return Ok(failed(problem)),
        };
        let log_key = VerifierKey::parse(&bundle.log_key)
            .map_err(|e| AppError::Verification(e.to_string()))?;
        self.trust
            .remember(&verified.coalition, &bundle.checkpoint, &log_key)?;
        Ok(BundleVerification::Verified {
            bundle: file.to_owned(),
            verified: true,
            coalition: verified.coalition.clone(),
            events: verified.events,
            root: verified.checkpoint.root,
            approvals_verified: verified.audit.approvals,
            consistent_with_size: verified.consistent_with.as_ref().map(|c| c.size),
            witnesses,
        })
    }

    /// Signs a checkpoint of the log `who` may see with the coalition's log key.
    pub async fn checkpoint(
        &self,
        coalition: &CoalitionId,
        who: &Who,
    ) -> Result<CheckpointView, AppError> {
        let (id, entries) = self.readable_log(coalition, who, None).await?;
        let key = self.signing_key(coalition, &entries)?;
        let sealed: Vec<SealedEvent> = entries.into_iter().map(|(sealed, _)| sealed).collect();
        let (checkpoint, note) = sign_log(&id, &sealed, &key).map_err(AppError::internal)?;
        // What this machine signs, it pins: a log replaced after this checkpoint is caught.
        self.trust.remember(&id, &note, &verifier_key(&id, &key)?)?;
        Ok(CheckpointView {
            origin: checkpoint.origin,
            size: checkpoint.size,
            root: checkpoint.root,
            note,
            log_key: verifier_key(&id, &key)?.to_string(),
            witnesses: None,
        })
    }

    /// Adds cosignatures to a checkpoint `note` of the log `who` may see — gathered from the
    /// witnesses, or brought by hand — keeping only those by the policy's witnesses that verify,
    /// merged with any kept before for the same checkpoint; keeps the result as the log's
    /// witnessed checkpoint (what `export` publishes and `verify` judges) and reports it.
    pub async fn witness_checkpoint(
        &self,
        coalition: &CoalitionId,
        who: &Who,
        note: &str,
        brought: &[Cosignature],
    ) -> Result<CheckpointView, AppError> {
        let (id, entries) = self.readable_log(coalition, who, None).await?;
        let key = self.signing_key(coalition, &entries)?;
        let verifier = verifier_key(&id, &key)?;
        let checkpoint = open_checkpoint(note, &verifier)
            .map_err(|e| AppError::invalid("checkpoint", e.to_string()))?;
        let envelopes: Vec<_> = entries.iter().map(|(_, e)| e.clone()).collect();
        let leaves: Vec<Hash> = entries.iter().map(|(s, _)| s.hash).collect();
        let Some(policy) = policy_at(&envelopes, leaves.len() as u64) else {
            return Err(AppError::invalid(
                "cosign-from",
                format!("{coalition} has no witness policy: there is nobody to cosign for"),
            ));
        };
        let body = checkpoint.body();
        let keys: Vec<CosignerKey> = policy
            .policy
            .witnesses
            .iter()
            .map(crate::reader::cosigner_key)
            .collect::<Result<_, _>>()?;
        let valid: Vec<Cosignature> = brought
            .iter()
            .filter(|c| {
                keys.iter()
                    .any(|k| c.is_by(k) && c.verify(k, &body).is_ok())
            })
            .cloned()
            .collect();
        // Cosignatures kept before for this very checkpoint still count.
        let base = match self.log_keys.witnessed(&id)? {
            Some(kept) if open_checkpoint(&kept, &verifier).is_ok_and(|c| c == checkpoint) => kept,
            _ => note.to_owned(),
        };
        let witnessed = add_cosignatures(&base, &valid).map_err(AppError::internal)?;
        let witnessing = check_witnessed(&witnessed, &verifier, &id, &leaves, &envelopes)
            .map_err(|e| AppError::Verification(e.to_string()))?;
        if witnessing.as_ref().is_some_and(|w| !w.cosigned.is_empty()) {
            self.log_keys.keep_witnessed(&id, &witnessed)?;
        }
        let report = judge(Some(policy), witnessing, leaves.len() as u64, Some(0))
            .map_err(AppError::internal)?;
        Ok(CheckpointView {
            origin: checkpoint.origin.clone(),
            size: checkpoint.size,
            root: checkpoint.root,
            note: witnessed,
            log_key: verifier.to_string(),
            witnesses: report,
        })
    }

    /// The leaves (event hashes) of the log `who` may see: what consistency proofs for its
    /// witnesses are made from.
    pub async fn leaves(&self, coalition: &CoalitionId, who: &Who) -> Result<Vec<Hash>, AppError> {
        self.readable_leaves(coalition, who).await
    }

    /// An inclusion proof that entry `seq` is in the log `who` may see (checked before it is
    /// returned).
    pub async fn prove(
        &self,
        coalition: &CoalitionId,
        seq: u64,
        who: &Who,
    ) -> Result<InclusionProofView, AppError> {
        let leaves = self.readable_leaves(coalition, who).await?;
        let size = leaves.len() as u64;
        if seq == 0 || seq > size {
            return Err(AppError::invalid(
                "seq",
                format!("expected 1 to {size}, found {seq}"),
            ));
        }
        let index = seq - 1;
        let leaf = leaves[index as usize];
        let root = merkle::root(&leaves);
        let proof = merkle::inclusion_proof(&leaves, index).map_err(AppError::internal)?;
        merkle::verify_inclusion(index, size, &leaf, &proof, &root).map_err(AppError::internal)?;
        Ok(InclusionProofView {
            seq,
            leaf_index: index,
            tree_size: size,
            leaf_hash: leaf,
            root,
            proof,
        })
    }

    /// A consistency proof from an earlier size to the current one of the log `who` may see
    /// (checked before it is returned).
    pub async fn consistency(
        &self,
        coalition: &CoalitionId,
        old_size: u64,
        who: &Who,
    ) -> Result<ConsistencyProofView, AppError> {
        let leaves = self.readable_leaves(coalition, who).await?;
        let size = leaves.len() as u64;
        if old_size > size {
            return Err(AppError::invalid(
                "old-size",
                format!("the log has only {size} events"),
            ));
        }
        let proof = merkle::consistency_proof(&leaves, old_size).map_err(AppError::internal)?;
        let old_root = merkle::root(&leaves[..old_size as usize]);
        let new_root = merkle::root(&leaves);
        merkle::verify_consistency(old_size, size, &old_root, &new_root, &proof)
            .map_err(AppError::internal)?;
        Ok(ConsistencyProofView {
            old_size,
            old_root,
            new_size: size,
            new_root,
            proof,
        })
    }

    /// The log `who` may see, its public keys and a signed checkpoint, as bundle bytes: the
    /// public's bundle is wholly publishable and verifiable by anyone. The view says how the
    /// bundle must be handled (as its most classified entry).
    pub async fn export(
        &self,
        coalition: &CoalitionId,
        who: &Who,
    ) -> Result<(Vec<u8>, ExportView), AppError> {
        let (id, entries) = self.readable_log(coalition, who, None).await?;
        let key = self.signing_key(coalition, &entries)?;
        let bundle = Bundle::build(&id, &entries, &key)
            .map_err(AppError::internal)?
            .with_witnessed(self.log_keys.witnessed(&id)?);
        let bytes = bundle.to_bytes();
        let classification = entries
            .iter()
            .map(|(_, envelope)| envelope.classification.level)
            .max()
            .unwrap_or(Level::Public);
        let view = ExportView {
            coalition: id,
            events: bundle.entries.len(),
            keys: bundle.keys.len(),
            bytes: bytes.len(),
            out: None,
            classification,
        };
        Ok((bytes, view))
    }

    /// The leaves of the log `who` may see; the custodian's are checked against the stored
    /// bytes (a broken chain is a verification failure).
    async fn readable_leaves(
        &self,
        coalition: &CoalitionId,
        who: &Who,
    ) -> Result<Vec<Hash>, AppError> {
        if *who == Who::Custodian {
            return Ok(leaves(&self.verified_entries(coalition).await?));
        }
        let (_, entries) = self.readable_log(coalition, who, None).await?;
        Ok(entries.iter().map(|(sealed, _)| sealed.hash).collect())
    }

    /// Every stored entry, verified (a broken chain is a verification failure).
    async fn verified_entries(
        &self,
        coalition: &CoalitionId,
    ) -> Result<Vec<SealedEvent>, AppError> {
        let entries = self.stored_entries(coalition).await?;
        verify_chain(coalition, &entries).map_err(|chain| {
            AppError::Verification(format!("{coalition}: verification failed at {chain}"))
        })?;
        Ok(entries)
    }

    /// The key this custodian signs the coalition's checkpoints with — refused unless the log
    /// itself registered it, so that a record swapped under a kept key is never signed for.
    fn signing_key(
        &self,
        coalition: &CoalitionId,
        entries: &[VerifiedEntry],
    ) -> Result<SigningKey, AppError> {
        let key = self
            .log_keys
            .get(coalition)?
            .ok_or_else(|| AppError::internal(format!("no log signing key for {coalition}")))?;
        let envelopes: Vec<_> = entries.iter().map(|(_, e)| e.clone()).collect();
        registered(coalition, &key, &envelopes).map_err(AppError::Verification)?;
        Ok(key)
    }
}

fn leaves(entries: &[SealedEvent]) -> Vec<Hash> {
    entries.iter().map(|e| e.hash).collect()
}

fn verifier_key(coalition: &CoalitionId, key: &SigningKey) -> Result<VerifierKey, AppError> {
    VerifierKey::new(&origin(coalition), key.verifying_key()).map_err(AppError::internal)
}

/// Whether the log registered `key` as its log key; the refusal says what to make of it.
fn registered(
    coalition: &CoalitionId,
    key: &SigningKey,
    envelopes: &[coalition_ledger::canonical::Envelope],
) -> Result<(), String> {
    let public = key.verifying_key().to_bytes();
    if log_keys(envelopes).iter().any(|k| k.0 == public) {
        return Ok(());
    }
    Err(format!(
        "the log signing key kept for {coalition} is not a key this log registered: the record \
         is not the one the key signs for (replaced, or restored from elsewhere); nothing was \
         signed or pinned"
    ))
}

/// Judges a log's witnessing by its policy: `None` when the log set no witness policy; the
/// report when the witnessed checkpoint carries the quorum (or, with `min_witnesses`, at least
/// that many); otherwise why it is "not witnessed".
fn judge(
    policy: Option<PolicyInForce>,
    witnessed: Option<Witnessing>,
    events: u64,
    min_witnesses: Option<u32>,
) -> Result<Option<WitnessReport>, String> {
    let Some(policy) = witnessed.as_ref().map(|w| w.policy.clone()).or(policy) else {
        return Ok(None);
    };
    let quorum = policy.policy.quorum;
    let required = min_witnesses.map_or(quorum, |min| min.min(quorum));
    let (size, cosigned, missing) = match &witnessed {
        Some(w) => (
            Some(w.checkpoint.size),
            w.cosigned
                .iter()
                .map(|(witness, at)| CosignedBy {
                    name: witness.name.clone(),
                    party: witness.party.clone(),
                    cosigned_at: *at,
                })
                .collect::<Vec<_>>(),
            w.missing
                .iter()
                .map(|m| format!("{} ({})", m.name, m.party))
                .collect::<Vec<_>>(),
        ),
        None => (
            None,
            Vec::new(),
            policy
                .policy
                .witnesses
                .iter()
                .map(|m| format!("{} ({})", m.name, m.party))
                .collect(),
        ),
    };
    let count = cosigned.len() as u32;
    if count < required {
        let what = match size {
            Some(size) => format!(
                "the witnessed checkpoint (size {size}) carries {count} of the {quorum} cosignatures witness policy {} requires",
                policy.version
            ),
            None => format!(
                "no checkpoint cosigned by its witnesses is held; witness policy {} requires {quorum}",
                policy.version
            ),
        };
        let by = if cosigned.is_empty() {
            String::new()
        } else {
            format!(
                "; cosigned by {}",
                cosigned
                    .iter()
                    .map(|c| format!("{} ({})", c.name, c.party))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(format!(
            "not witnessed: {what}{by}; missing {} (gather with `log checkpoint`, or accept fewer with --min-witnesses N)",
            missing.join(", ")
        ));
    }
    Ok(Some(WitnessReport {
        policy: policy.version,
        quorum,
        required,
        witnessed_size: size,
        events,
        cosigned,
        missing,
        quorum_met: count >= quorum,
    }))
}
