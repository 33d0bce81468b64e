//! Moving a record from one store to another (SQLite → PostgreSQL, or back): every coalition's
//! log copied entry by entry with its bytes and hashes unchanged, each chain verified on the
//! way out and again on arrival, and the Merkle roots (what checkpoints sign) compared.
//!
//! Safe to run again: a target log that is a prefix of the source's (an interrupted run) is
//! continued, an identical one is left alone; a target holding anything else — another
//! coalition, or a log that diverges from the source's — is refused before anything is written.

use coalition_core::hash::Hash;
use coalition_core::id::CoalitionId;
use coalition_ledger::store::PAGE;
use coalition_ledger::verify::verify_from;
use coalition_ledger::{EventStore, Head, SealedEvent, StoreError, merkle};
use coalition_store::{OpenOptions, open, redacted};

use crate::error::AppError;
use crate::views::{MigratedLog, MigrationView};

/// Entries per transaction on the target: one page of the source.
const BATCH: usize = PAGE * 8;

/// What a migration reports as it goes, for a progress bar.
pub trait Progress: Send {
    /// The copy starts: `total` entries to read in all.
    fn start(&mut self, total: u64);
    /// `entries` more entries of `coalition` were read and copied or found in place.
    fn advance(&mut self, coalition: &CoalitionId, entries: u64);
}

/// Copies every log of the record at `from` to the store at `to` and verifies the copies.
pub async fn migrate(
    from: &str,
    to: &str,
    progress: &mut dyn Progress,
) -> Result<MigrationView, AppError> {
    if from == to {
        return Err(AppError::invalid(
            "to",
            "the same location as --from; expected another store",
        ));
    }
    let source = match open(from, OpenOptions::READ).await {
        Ok(store) => store,
        Err(StoreError::Missing(at)) => {
            return Err(AppError::invalid("from", format!("no record at {at}")));
        }
        Err(err) => return Err(opening("from", err)),
    };
    let target = match open(to, OpenOptions::WRITE).await {
        Ok(store) => store,
        Err(err) => {
            source.close().await;
            return Err(opening("to", err));
        }
    };
    let result = copy_all(source.as_ref(), target.as_ref(), progress).await;
    source.close().await;
    target.close().await;
    let logs = result?;
    Ok(MigrationView {
        from: redacted(from),
        to: redacted(to),
        logs,
    })
}

fn opening(flag: &str, err: StoreError) -> AppError {
    match err {
        StoreError::Location(problem) => AppError::invalid(flag, problem),
        err => AppError::internal(format!("--{flag}: cannot open the store: {err}")),
    }
}

/// Where each log stands before anything is written: the source's head, and how far the
/// target already holds it.
struct Plan {
    id: CoalitionId,
    source: Head,
    present: Head,
}

async fn copy_all(
    source: &dyn EventStore,
    target: &dyn EventStore,
    progress: &mut dyn Progress,
) -> Result<Vec<MigratedLog>, AppError> {
    let ids = source.coalitions().await.map_err(store)?;
    // Everything the target holds must be a copy in progress of the source's.
    for id in target.coalitions().await.map_err(store)? {
        if !ids.contains(&id) {
            return Err(AppError::invalid(
                "to",
                format!(
                    "the target already holds coalition {id}, which the source does not; expected an empty store or an earlier copy of this one"
                ),
            ));
        }
    }
    let mut plans = Vec::new();
    for id in ids {
        let source_head = source.head(&id).await.map_err(store)?;
        let present = target.head(&id).await.map_err(store)?;
        if present.seq > source_head.seq {
            return Err(diverges(
                &id,
                format!(
                    "the target's log has {} entries, the source's {}",
                    present.seq, source_head.seq
                ),
            ));
        }
        if present.seq > 0 {
            let at = source.read(&id, present.seq, 1).await.map_err(store)?;
            if at.first().map(SealedEvent::head) != Some(present) {
                return Err(diverges(
                    &id,
                    format!(
                        "entry {} differs between the source and the target",
                        present.seq
                    ),
                ));
            }
        }
        plans.push(Plan {
            id,
            source: source_head,
            present,
        });
    }
    progress.start(plans.iter().map(|p| p.source.seq).sum());
    let mut logs = Vec::new();
    for plan in plans {
        logs.push(copy_one(source, target, &plan, progress).await?);
    }
    Ok(logs)
}

fn diverges(id: &CoalitionId, why: String) -> AppError {
    AppError::Verification(format!(
        "coalition {id}: the target's log is not a copy of the source's ({why}); nothing was written"
    ))
}

fn store(err: StoreError) -> AppError {
    AppError::internal(err)
}

/// Copies one log from where the target holds it up to the source's head as planned,
/// verifying every entry read, then verifies the whole copy and compares the roots.
async fn copy_one(
    source: &dyn EventStore,
    target: &dyn EventStore,
    plan: &Plan,
    progress: &mut dyn Progress,
) -> Result<MigratedLog, AppError> {
    let id = &plan.id;
    let mut leaves: Vec<Hash> = Vec::with_capacity(usize::try_from(plan.source.seq).unwrap_or(0));
    let mut head = Head::EMPTY;
    let mut copied = 0;
    while head.seq < plan.source.seq {
        let want = usize::try_from(plan.source.seq - head.seq)
            .unwrap_or(BATCH)
            .min(BATCH);
        let mut batch = Vec::with_capacity(want);
        while batch.len() < want {
            let from = head.seq + batch.len() as u64 + 1;
            let page = source
                .read(id, from, PAGE.min(want - batch.len()))
                .await
                .map_err(store)?;
            if page.is_empty() {
                return Err(AppError::Verification(format!(
                    "coalition {id}: the source's log ends before entry {from}, its head"
                )));
            }
            batch.extend(page);
        }
        verify_from(id, head, &batch).map_err(|e| {
            AppError::Verification(format!("coalition {id}: the source's log fails at {e}"))
        })?;
        let next = batch.last().map_or(head, SealedEvent::head);
        // Only what the target does not hold yet.
        let missing: Vec<SealedEvent> = batch
            .iter()
            .filter(|e| e.seq > plan.present.seq)
            .cloned()
            .collect();
        if !missing.is_empty() {
            // The batch starts after `head`; the target may already hold part of it.
            let before = if plan.present.seq > head.seq {
                plan.present
            } else {
                head
            };
            target.append(id, before, &missing).await.map_err(|e| match e {
                StoreError::Conflict { .. } => AppError::Verification(format!(
                    "coalition {id}: another writer is appending to the target ({e}); stop it and run the migration again"
                )),
                e => store(e),
            })?;
            copied += missing.len() as u64;
        }
        leaves.extend(batch.iter().map(|e| e.hash));
        progress.advance(id, batch.len() as u64);
        head = next;
    }
    // On arrival: the target's log read back page by page, verified from its first entry,
    // entry for entry the source's, and so the same tree.
    let mut arrived_leaves: Vec<Hash> = Vec::with_capacity(leaves.len());
    let mut arrived = Head::EMPTY;
    loop {
        let page = target
            .read(id, arrived.seq + 1, PAGE)
            .await
            .map_err(store)?;
        let Some(last) = page.last() else { break };
        verify_from(id, arrived, &page).map_err(|e| {
            AppError::Verification(format!("coalition {id}: the copy fails at {e}"))
        })?;
        arrived = last.head();
        arrived_leaves.extend(page.iter().map(|e| e.hash));
    }
    if arrived_leaves != leaves {
        return Err(AppError::Verification(format!(
            "coalition {id}: the copy has {} entries that differ from the source's {}",
            arrived_leaves.len(),
            leaves.len()
        )));
    }
    let root = merkle::root(&leaves);
    let arrived_root = merkle::root(&arrived_leaves);
    if root != arrived_root {
        return Err(AppError::Verification(format!(
            "coalition {id}: the copy's root {arrived_root} differs from the source's {root}"
        )));
    }
    Ok(MigratedLog {
        coalition: id.clone(),
        entries: plan.source.seq,
        copied,
        root,
    })
}
