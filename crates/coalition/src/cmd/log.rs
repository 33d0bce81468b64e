//! `log show|verify|checkpoint|prove|consistency|export`.

use coalition_core::classification::may_read;
use coalition_core::id::CoalitionId;
use coalition_ledger::audit::audit_signatures;
use coalition_ledger::bundle::{Bundle, check_extends, log_keys, origin, sign_log, verify_bundle};
use coalition_ledger::checkpoint::VerifierKey;
use coalition_ledger::merkle;
use coalition_ledger::store::read_all;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{Hash, SealedEvent};
use serde_json::json;

use crate::cli::{LogCommand, ReadArgs, VerifyArgs};
use crate::failure::{bad_input, verification_failed};
use crate::output::{print_json, print_table, table};
use crate::session::Session;
use crate::trust;

pub(crate) async fn run(session: &Session, command: LogCommand, json: bool) -> anyhow::Result<()> {
    match command {
        LogCommand::Show(args) => show(session, &args, json).await,
        LogCommand::Verify(args) => match (&args.source.coalition, &args.source.bundle) {
            (Some(coalition), None) => verify_stored(session, coalition, &args, json).await,
            (None, Some(_)) => verify_bundle_file(&args, json),
            _ => Err(bad_input("give a coalition or --bundle FILE")),
        },
        LogCommand::Checkpoint { coalition, out } => {
            let entries = stored_entries(session, &coalition).await?;
            let (checkpoint, note) = sign_log(&coalition, &entries, &session.log_key(&coalition)?)?;
            if let Some(out) = &out {
                std::fs::write(out, &note)
                    .map_err(|e| bad_input(format!("--out {}: {e}", out.display())))?;
            }
            if json {
                return print_json(
                    &json!({"origin": checkpoint.origin, "size": checkpoint.size, "root": checkpoint.root, "note": note}),
                );
            }
            print!("{note}");
            Ok(())
        }
        LogCommand::Prove { coalition, seq } => {
            let entries = stored_entries(session, &coalition).await?;
            let leaves: Vec<Hash> = entries.iter().map(|e| e.hash).collect();
            if seq == 0 || seq > leaves.len() as u64 {
                return Err(bad_input(format!(
                    "SEQ: expected 1 to {}, found {seq}",
                    leaves.len()
                )));
            }
            let root = merkle::root(&leaves);
            let proof = merkle::inclusion_proof(&leaves, seq - 1)?;
            merkle::verify_inclusion(
                seq - 1,
                leaves.len() as u64,
                &leaves[(seq - 1) as usize],
                &proof,
                &root,
            )?;
            let document = json!({
                "seq": seq, "leaf_index": seq - 1, "tree_size": leaves.len(),
                "leaf_hash": leaves[(seq - 1) as usize], "root": root, "proof": proof,
            });
            if json {
                return print_json(&document);
            }
            println!(
                "event {seq} (leaf {}) in a tree of {} with root {root}",
                seq - 1,
                leaves.len()
            );
            println!("leaf hash {}", leaves[(seq - 1) as usize]);
            for (i, node) in proof.iter().enumerate() {
                println!("  proof[{i}] {node}");
            }
            Ok(())
        }
        LogCommand::Consistency {
            coalition,
            old_size,
        } => {
            let entries = stored_entries(session, &coalition).await?;
            let leaves: Vec<Hash> = entries.iter().map(|e| e.hash).collect();
            if old_size > leaves.len() as u64 {
                return Err(bad_input(format!(
                    "--old-size: the log has only {} events",
                    leaves.len()
                )));
            }
            let proof = merkle::consistency_proof(&leaves, old_size)?;
            let (old_root, new_root) = (
                merkle::root(&leaves[..old_size as usize]),
                merkle::root(&leaves),
            );
            merkle::verify_consistency(
                old_size,
                leaves.len() as u64,
                &old_root,
                &new_root,
                &proof,
            )?;
            let document = json!({
                "old_size": old_size, "old_root": old_root, "new_size": leaves.len(), "new_root": new_root, "proof": proof,
            });
            if json {
                return print_json(&document);
            }
            println!(
                "size {old_size} (root {old_root}) → size {} (root {new_root})",
                leaves.len()
            );
            for (i, node) in proof.iter().enumerate() {
                println!("  proof[{i}] {node}");
            }
            Ok(())
        }
        LogCommand::Export { coalition, out } => {
            let loaded = session.load(&coalition, None).await?;
            let bundle = Bundle::build(&coalition, &loaded.entries, &session.log_key(&coalition)?)?;
            let bytes = bundle.to_bytes();
            // The bundle holds every event: it is as classified as the most classified one.
            let highest = loaded
                .entries
                .iter()
                .map(|(_, envelope)| envelope.classification.level)
                .max()
                .unwrap_or(coalition_core::classification::Level::Public);
            std::fs::write(&out, &bytes)
                .map_err(|e| bad_input(format!("--out {}: {e}", out.display())))?;
            if json {
                return print_json(
                    &json!({"coalition": coalition, "events": bundle.entries.len(), "bytes": bytes.len(), "out": out, "classification": highest}),
                );
            }
            println!(
                "{coalition}: {} events, {} keys, signed checkpoint → {} ({} bytes)",
                bundle.entries.len(),
                bundle.keys.len(),
                out.display(),
                bytes.len()
            );
            if highest > coalition_core::classification::Level::Public {
                println!("the bundle holds the whole log: handle it as {highest}");
            }
            Ok(())
        }
    }
}

/// Every stored entry, verified (a broken chain exits 3).
async fn stored_entries(
    session: &Session,
    coalition: &CoalitionId,
) -> anyhow::Result<Vec<SealedEvent>> {
    let entries = read_all(session.store.as_ref(), coalition, 1).await?;
    if entries.is_empty() {
        return Err(bad_input(format!("unknown coalition {coalition}")));
    }
    verify_chain(coalition, &entries).map_err(|chain| {
        verification_failed(format!("{coalition}: verification failed at {chain}"))
    })?;
    Ok(entries)
}

/// The chain, every approval signature, and consistency with the last checkpoint this machine
/// verified; then remembers a fresh checkpoint.
async fn verify_stored(
    session: &Session,
    coalition: &CoalitionId,
    args: &VerifyArgs,
    json: bool,
) -> anyhow::Result<()> {
    // Read the raw entries ourselves: a broken record must be reported, not loaded.
    let entries = read_all(session.store.as_ref(), coalition, 1).await?;
    if entries.is_empty() {
        return Err(bad_input(format!("unknown coalition {coalition}")));
    }
    let fail = |seq: Option<u64>, problem: String| -> anyhow::Error {
        if json {
            let _ = print_json(
                &json!({"coalition": coalition, "verified": false, "first_bad_seq": seq, "problem": problem}),
            );
        }
        verification_failed(format!("{coalition}: verification failed at {problem}"))
    };
    let envelopes = verify_chain(coalition, &entries)
        .map_err(|chain| fail(Some(chain.seq), chain.to_string()))?;
    let audit = audit_signatures(&envelopes).map_err(|e| fail(Some(e.seq), e.to_string()))?;
    let leaves: Vec<Hash> = entries.iter().map(|e| e.hash).collect();
    let head = entries.last().map_or(Hash::GENESIS, |e| e.hash);

    let mut checked_against = None;
    if let Ok(log_key) = session.log_key(coalition) {
        let (current, note) = sign_log(coalition, &entries, &log_key)?;
        let verifier = VerifierKey::new(&origin(coalition), log_key.verifying_key())?;
        let trusted = trust::last_verified(coalition)?;
        if let Some((_, trusted_key)) = &trusted {
            trust::confirm_same_log(coalition, trusted_key, &log_keys(&envelopes))?;
        }
        let mut earlier: Vec<(String, VerifierKey)> = trusted.into_iter().collect();
        if let Some(path) = &args.since_checkpoint {
            let note = std::fs::read_to_string(path)
                .map_err(|e| bad_input(format!("--since-checkpoint {}: {e}", path.display())))?;
            let key = match &args.log_key {
                Some(text) => {
                    VerifierKey::parse(text).map_err(|e| bad_input(format!("--log-key: {e}")))?
                }
                None => verifier.clone(),
            };
            earlier.push((note, key));
        }
        for (old_note, old_key) in &earlier {
            let old = check_extends(old_note, old_key, coalition, &leaves, &current)
                .map_err(|e| fail(None, e.to_string()))?;
            checked_against = Some(old.size);
        }
        trust::remember(coalition, &note, &verifier)?;
    }
    if json {
        return print_json(&json!({
            "coalition": coalition, "verified": true, "events": entries.len(), "head": head,
            "approvals_verified": audit.approvals, "consistent_with_size": checked_against,
        }));
    }
    println!(
        "{coalition}: {} events verified; {} approval signatures verified; head {head}",
        entries.len(),
        audit.approvals
    );
    if let Some(size) = checked_against {
        println!("consistent with the checkpoint verified earlier (size {size})");
    }
    Ok(())
}

fn verify_bundle_file(args: &VerifyArgs, json: bool) -> anyhow::Result<()> {
    let path = args
        .source
        .bundle
        .as_ref()
        .ok_or_else(|| bad_input("--bundle FILE"))?;
    let bytes =
        std::fs::read(path).map_err(|e| bad_input(format!("--bundle {}: {e}", path.display())))?;
    let since = match &args.since_checkpoint {
        Some(file) => Some(
            std::fs::read_to_string(file)
                .map_err(|e| bad_input(format!("--since-checkpoint {}: {e}", file.display())))?,
        ),
        None => None,
    };
    let since_key = match &args.log_key {
        Some(text) => {
            Some(VerifierKey::parse(text).map_err(|e| bad_input(format!("--log-key: {e}")))?)
        }
        None => None,
    };
    let report = |verified: bool, problem: Option<String>| {
        if json {
            let _ = print_json(&json!({"bundle": path, "verified": verified, "problem": problem}));
        }
    };
    let verified = verify_bundle(
        &bytes,
        since.as_deref().map(|note| (note, since_key.as_ref())),
    )
    .map_err(|e| {
        report(false, Some(e.to_string()));
        verification_failed(format!("{}: {e}", path.display()))
    })?;
    // The bundle passed on its own; it must also extend what this machine verified before.
    let bundle = Bundle::from_bytes(&bytes).map_err(|e| verification_failed(e.to_string()))?;
    let leaves: Vec<Hash> = bundle.entries.iter().map(|e| e.hash).collect();
    if let Some((note, key)) = trust::last_verified(&verified.coalition)? {
        trust::confirm_same_log(&verified.coalition, &key, &verified.log_keys)?;
        check_extends(
            &note,
            &key,
            &verified.coalition,
            &leaves,
            &verified.checkpoint,
        )
        .map_err(|e| {
            report(false, Some(e.to_string()));
            verification_failed(format!(
                "{}: {e} (the checkpoint this machine verified earlier)",
                path.display()
            ))
        })?;
    }
    let log_key =
        VerifierKey::parse(&bundle.log_key).map_err(|e| verification_failed(e.to_string()))?;
    trust::remember(&verified.coalition, &bundle.checkpoint, &log_key)?;
    if json {
        return print_json(&json!({
            "bundle": path, "verified": true, "coalition": verified.coalition, "events": verified.events,
            "root": verified.checkpoint.root, "approvals_verified": verified.audit.approvals,
            "consistent_with_size": verified.consistent_with.as_ref().map(|c| c.size),
        }));
    }
    println!(
        "{}: {} events of {} verified offline; {} approval signatures; checkpoint root {}",
        path.display(),
        verified.events,
        verified.coalition,
        verified.audit.approvals,
        verified.checkpoint.root
    );
    if let Some(earlier) = &verified.consistent_with {
        println!(
            "consistent with the earlier checkpoint (size {})",
            earlier.size
        );
    }
    Ok(())
}

async fn show(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let reading = session.read(&args.coalition, &args.view).await?;
    let (loaded, viewer) = (&reading.loaded, &reading.viewer);
    let entries = loaded
        .entries
        .iter()
        .filter(|(_, envelope)| args.view.as_of.is_none_or(|t| envelope.recorded_at <= t))
        .map(|(sealed, envelope)| (sealed, envelope, may_read(viewer, &envelope.classification)));
    if json {
        let rows: Vec<_> = entries
            .map(|(sealed, envelope, readable)| {
                if readable {
                    json!({
                        "seq": sealed.seq, "recorded_at": envelope.recorded_at, "actor": envelope.actor,
                        "kind": envelope.event.kind(), "classification": envelope.classification,
                        "payload": envelope.event, "prev": envelope.prev, "hash": sealed.hash,
                    })
                } else {
                    // Withheld: the hash still lets anyone check the chain; the content stays closed.
                    json!({"seq": sealed.seq, "withheld": true, "hash": sealed.hash})
                }
            })
            .collect();
        return print_json(&rows);
    }
    let mut t = table(["SEQ", "RECORDED", "ACTOR", "KIND", "MARKING", "HASH"]);
    for (sealed, envelope, readable) in entries {
        let hash = sealed.hash.to_hex()[..16].to_owned();
        if readable {
            t.add_row(vec![
                sealed.seq.to_string(),
                envelope.recorded_at.to_string(),
                envelope.actor.to_string(),
                envelope.event.kind().to_owned(),
                envelope.classification.to_string(),
                hash,
            ]);
        } else {
            t.add_row(vec![
                sealed.seq.to_string(),
                String::new(),
                String::new(),
                "(withheld)".into(),
                String::new(),
                hash,
            ]);
        }
    }
    print_table("", &t, "no events");
    Ok(())
}
