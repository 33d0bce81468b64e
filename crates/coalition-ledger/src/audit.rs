//! The signature audit: replays a verified log and checks every approval again, as an offline
//! verifier must — against the key the principal had registered *at that point* of the log,
//! over the exact approval message, by a leader of a required signatory party — that every
//! version's leaves hash to the content hash the approvals sign and every paragraph the log holds
//! is among them (a reader's log holds the paragraphs it may read), and that every adoption is
//! carried by its rule (the approvals, or a silence that held).

use coalition_core::hash::Hash;
use coalition_core::party::PrincipalRole;
use coalition_core::signature::{PublicKey, SignatureBytes, approval_message};
use coalition_core::statement::check_version;
use coalition_core::witness::check_approvals;
use coalition_core::{Event, State, apply};

use crate::audience::coalition_of;

use std::sync::Mutex;

use crate::canonical::Envelope;

/// The first approval that does not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {seq}: {problem}")]
pub struct SignatureFailure {
    /// The sequence number of the approval.
    pub seq: u64,
    /// What is wrong.
    pub problem: String,
}

/// How many signatures were checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditSummary {
    /// Approvals whose signature verified.
    pub approvals: u64,
    /// Key registrations seen.
    pub keys: u64,
}

/// A signature to check, found while replaying.
struct Check<'a> {
    key: PublicKey,
    message: Hash,
    signature: SignatureBytes,
    /// The approval, to name it if its signature fails (the text is made only then).
    envelope: &'a Envelope,
}

impl Check<'_> {
    fn failure(&self) -> SignatureFailure {
        let problem = match &self.envelope.event {
            Event::VersionApproved {
                statement,
                approval,
            } => format!(
                "bad signature: {}'s approval of {statement} version {} does not verify under the key registered at that point",
                approval.principal, approval.version
            ),
            _ => "bad signature".to_owned(),
        };
        SignatureFailure {
            seq: self.envelope.seq,
            problem,
        }
    }
}

/// Signatures handed to the pool at once: enough to outweigh a task's cost.
const CHECKS_PER_TASK: usize = 64;

/// Checks every approval in `envelopes` (the whole log, in order) and names the first failure.
///
/// The replay (who was a leader, which key was registered, which version was current) is
/// sequential; the strict signature checks it finds are independent, so they are handed to the
/// thread pool as the replay goes and run beside it on every core. Every signature is checked
/// with `verify_strict` — batch verification is not used: it accepts some signatures strict
/// verification rejects.
pub fn audit_signatures<'a>(
    envelopes: impl IntoIterator<Item = &'a Envelope> + Send,
) -> Result<AuditSummary, SignatureFailure> {
    // The earliest bad signature found by any task.
    let first_bad: Mutex<Option<SignatureFailure>> = Mutex::new(None);
    let verify = |checks: Vec<Check<'a>>| {
        for check in &checks {
            if !check
                .key
                .verify_strict(check.message.as_bytes(), &check.signature)
            {
                let failure = check.failure();
                if let Ok(mut first) = first_bad.lock()
                    && first.as_ref().is_none_or(|f| f.seq > failure.seq)
                {
                    *first = Some(failure);
                }
                break;
            }
        }
    };
    let replayed = rayon::scope(|scope| {
        let mut batch = Vec::with_capacity(CHECKS_PER_TASK);
        let verify = &verify;
        let replayed = replay(envelopes, |check| {
            batch.push(check);
            if batch.len() == CHECKS_PER_TASK {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(CHECKS_PER_TASK));
                scope.spawn(move |_| verify(full));
            }
        });
        verify(batch);
        replayed
    });
    let first_bad = match first_bad.into_inner() {
        Ok(first) => first,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(bad) = first_bad {
        // Any failure the replay found comes later: it stopped there, after collecting this one.
        return Err(bad);
    }
    replayed
}

/// Replays the log, checking everything but the signatures themselves, which it collects.
fn replay<'a>(
    envelopes: impl IntoIterator<Item = &'a Envelope>,
    mut found: impl FnMut(Check<'a>),
) -> Result<AuditSummary, SignatureFailure> {
    let mut state = State::new();
    let mut summary = AuditSummary::default();
    // When and by whom the log was opened: an exercise's copied entries share both.
    let mut opening = None;
    for envelope in envelopes {
        opening.get_or_insert_with(|| (envelope.recorded_at, envelope.actor.clone()));
        let fail = |problem: String| SignatureFailure {
            seq: envelope.seq,
            problem,
        };
        match &envelope.event {
            Event::VersionApproved {
                statement,
                approval,
            } => {
                let principal = state.principal(&approval.principal).ok_or_else(|| {
                    fail(format!(
                        "approval by unknown principal {}",
                        approval.principal
                    ))
                })?;
                let key = principal.public_key.ok_or_else(|| {
                    fail(format!(
                        "signature by {}, who had no key registered at that point",
                        approval.principal
                    ))
                })?;
                let record = state
                    .statements()
                    .get(statement)
                    .ok_or_else(|| fail(format!("approval of unknown statement {statement}")))?;
                let version = record.version(approval.version).ok_or_else(|| {
                    fail(format!(
                        "approval of version {} of {statement}, which did not exist",
                        approval.version
                    ))
                })?;
                if version.content != approval.content {
                    return Err(fail(format!(
                        "approval names content {} but version {} is {}",
                        approval.content, approval.version, version.content
                    )));
                }
                if principal.role != PrincipalRole::Leader || principal.party != approval.party {
                    return Err(fail(format!(
                        "approval by {}, not a leader of {}",
                        approval.principal, approval.party
                    )));
                }
                if !record.signatories.contains(&approval.party) {
                    return Err(fail(format!(
                        "approval by {}, which is not a required signatory of {statement}",
                        approval.party
                    )));
                }
                // An approval is signed for the coalition whose log holds it — an audience log
                // holds the coalition's approvals under its own id — except that an exercise
                // copies the real log's approvals in its opening batch (same time, same actor as
                // its founding), and those were signed for the real coalition.
                let coalition = state
                    .coalition()
                    .map_or_else(|| coalition_of(&envelope.coalition), |c| c.id.clone());
                let signed_in = match state.coalition().and_then(|c| c.exercise.as_ref()) {
                    Some(exercise)
                        if opening.as_ref()
                            == Some(&(envelope.recorded_at, envelope.actor.clone())) =>
                    {
                        exercise.of.clone()
                    }
                    _ => coalition,
                };
                let message = approval_message(
                    &signed_in,
                    statement.as_str(),
                    approval.version,
                    &approval.content,
                );
                found(Check {
                    key,
                    message,
                    signature: approval.signature,
                    envelope,
                });
                summary.approvals += 1;
            }
            Event::StatementAdopted {
                statement, version, ..
            } => {
                let holds = state.statements().get(statement).is_some_and(|record| {
                    record.current().map(|v| v.number) == Some(*version)
                        && record.rule_holds(envelope.recorded_at)
                });
                if !holds {
                    return Err(fail(format!(
                        "{statement} is recorded as adopted (version {version}) but its adoption rule did not hold at that point"
                    )));
                }
            }
            Event::WitnessPolicySet {
                version,
                policy,
                approvals,
            } => {
                // A change of witnesses is carried by the states that witnessed before it,
                // checked here again from the log alone.
                let coalition = state
                    .coalition()
                    .map_or_else(|| coalition_of(&envelope.coalition), |c| c.id.clone());
                let expected = state.witness_policy().map_or(1, |p| p.version + 1);
                if *version != expected {
                    return Err(fail(format!(
                        "witness policy number {version} recorded where number {expected} was next"
                    )));
                }
                check_approvals(&state, &coalition, *version, policy, approvals)
                    .map_err(|problem| fail(format!("witness policy {version}: {problem}")))?;
                summary.approvals += approvals.len() as u64;
            }
            Event::KeyRegistered { .. } => summary.keys += 1,
            Event::PrincipalRegistered { principal } if principal.public_key.is_some() => {
                summary.keys += 1
            }
            _ => {}
        }
        apply(&mut state, &envelope.event);
        // A version's commitments, and each paragraph of it this log holds, must check against
        // the content hash its approvals sign: a reader checks the paragraphs it may read.
        if let Event::VersionTabled {
            statement, version, ..
        }
        | Event::ParagraphTabled {
            statement, version, ..
        } = &envelope.event
        {
            let tabled = state
                .statements()
                .get(statement)
                .and_then(|record| record.version(*version))
                .ok_or_else(|| {
                    fail(format!(
                        "a paragraph of {statement}, which has no version {version}"
                    ))
                })?;
            check_version(tabled).map_err(|problem| fail(format!("{statement}: {problem}")))?;
        }
    }
    Ok(summary)
}
