//! `log show|verify|checkpoint|prove|consistency|export`.

use coalition_app::log::Since;
use coalition_app::served::{self, Served};
use coalition_app::trust::DirTrustStore;
use coalition_app::views::ConsistencyProofView;
use coalition_app::views::{BundleVerification, LogVerification};
use coalition_core::classification::Level;
use coalition_core::id::CoalitionId;
use coalition_ledger::checkpoint::Checkpoint;
use coalition_ledger::tiles::{leaves_from, tiles_of};

use crate::cli::{LogCommand, ReadArgs, VerifyArgs};
use crate::cmd::witness;
use crate::failure::{bad_input, verification_failed};
use crate::file::{MAX_BUNDLE_BYTES, MAX_NOTE_BYTES};
use crate::output::{print_json, print_table, table};
use crate::remote::Remote;
use crate::source::Source;

pub(crate) async fn run(app: &Source, command: LogCommand, json: bool) -> anyhow::Result<()> {
    match command {
        LogCommand::Show(args) => show(app, &args, json).await,
        LogCommand::Verify(args) => match (&args.source.coalition, &args.source.bundle) {
            (Some(coalition), None) => {
                let report = match app {
                    Source::Local { app, .. } => {
                        app.verify_witnessed(coalition, since(&args)?.as_ref(), args.min_witnesses)
                            .await?
                    }
                    Source::Remote(remote) => {
                        if args.since_checkpoint.is_some() {
                            return Err(bad_input(
                                "--since-checkpoint: against --server the earlier checkpoint is \
                                 the one this machine pinned for that server",
                            ));
                        }
                        verify_server(remote, coalition).await?
                    }
                };
                if json {
                    print_json(&report)?;
                }
                match report {
                    LogVerification::Verified {
                        coalition,
                        events,
                        head,
                        approvals_verified,
                        consistent_with_size,
                        witnesses,
                        ..
                    } => {
                        if !json {
                            println!(
                                "{coalition}: {events} events verified; {approvals_verified} approval signatures verified; head {head}"
                            );
                            if let Some(size) = consistent_with_size {
                                println!(
                                    "consistent with the checkpoint verified earlier (size {size})"
                                );
                            }
                            print_witnesses(witnesses.as_ref());
                        }
                        Ok(())
                    }
                    LogVerification::Failed {
                        coalition,
                        first_bad_seq,
                        problem,
                        ..
                    } => Err(verification_failed(match first_bad_seq {
                        Some(_) => format!("{coalition}: verification failed at {problem}"),
                        None => format!("{coalition}: verification failed: {problem}"),
                    })),
                }
            }
            (None, Some(path)) => {
                let bytes = crate::file::read_bytes("--bundle", path, MAX_BUNDLE_BYTES)?;
                let (local, _) = app.local("log verify --bundle")?;
                let report = local.verify_bundle_witnessed(
                    path,
                    &bytes,
                    since(&args)?.as_ref(),
                    args.min_witnesses,
                )?;
                if json {
                    print_json(&report)?;
                }
                match report {
                    BundleVerification::Verified {
                        bundle,
                        coalition,
                        events,
                        root,
                        approvals_verified,
                        consistent_with_size,
                        witnesses,
                        ..
                    } => {
                        if !json {
                            println!(
                                "{}: {events} events of {coalition} verified offline; {approvals_verified} approval signatures; checkpoint root {root}",
                                bundle.display()
                            );
                            if let Some(size) = consistent_with_size {
                                println!("consistent with the earlier checkpoint (size {size})");
                            }
                            print_witnesses(witnesses.as_ref());
                        }
                        Ok(())
                    }
                    BundleVerification::Failed {
                        bundle, problem, ..
                    } => Err(verification_failed(format!(
                        "{}: {problem}",
                        bundle.display()
                    ))),
                }
            }
            _ => Err(bad_input("give a coalition or --bundle FILE")),
        },
        LogCommand::Checkpoint {
            coalition,
            out,
            cosign_from,
            witness_timeout,
            who,
        } => {
            let who = super::who(&who);
            let checkpoint = app.checkpoint(&coalition, &who).await?;
            let checkpoint = match app {
                Source::Local { app, .. } => {
                    witness::gather(
                        app,
                        &coalition,
                        &who,
                        checkpoint,
                        &cosign_from,
                        witness_timeout,
                    )
                    .await?
                }
                Source::Remote(_) if !cosign_from.is_empty() => {
                    return Err(bad_input(
                        "--cosign-from: cosignatures are added where the record is kept, \
                         not through --server",
                    ));
                }
                Source::Remote(_) => checkpoint,
            };
            if let Some(out) = &out {
                std::fs::write(out, &checkpoint.note)
                    .map_err(|e| bad_input(format!("--out {}: {e}", out.display())))?;
            }
            if json {
                return print_json(&checkpoint);
            }
            print!("{}", checkpoint.note);
            Ok(())
        }
        LogCommand::Prove {
            coalition,
            seq,
            who,
        } => {
            let proof = app.prove(&coalition, seq, &super::who(&who)).await?;
            if json {
                return print_json(&proof);
            }
            println!(
                "event {seq} (leaf {}) in a tree of {} with root {}",
                proof.leaf_index, proof.tree_size, proof.root
            );
            println!("leaf hash {}", proof.leaf_hash);
            for (i, node) in proof.proof.iter().enumerate() {
                println!("  proof[{i}] {node}");
            }
            Ok(())
        }
        LogCommand::Consistency {
            coalition,
            old_size,
            who,
        } => {
            let proof = app
                .consistency(&coalition, old_size, &super::who(&who))
                .await?;
            if json {
                return print_json(&proof);
            }
            println!(
                "size {old_size} (root {}) → size {} (root {})",
                proof.old_root, proof.new_size, proof.new_root
            );
            for (i, node) in proof.proof.iter().enumerate() {
                println!("  proof[{i}] {node}");
            }
            Ok(())
        }
        LogCommand::Export {
            coalition,
            out,
            who,
        } => {
            let (bytes, mut view) = app.export(&coalition, &super::who(&who)).await?;
            std::fs::write(&out, &bytes)
                .map_err(|e| bad_input(format!("--out {}: {e}", out.display())))?;
            view.out = Some(out.clone());
            if json {
                return print_json(&view);
            }
            println!(
                "{}: {} events, {} keys, signed checkpoint → {} ({} bytes)",
                view.coalition,
                view.events,
                view.keys,
                out.display(),
                view.bytes
            );
            if view.classification > Level::Public {
                println!("handle the bundle as {}", view.classification);
            }
            Ok(())
        }
    }
}

/// The earlier checkpoint named by `--since-checkpoint` (and `--log-key`).
fn since(args: &VerifyArgs) -> anyhow::Result<Option<Since>> {
    let Some(path) = &args.since_checkpoint else {
        return Ok(None);
    };
    let note = crate::file::read_text("--since-checkpoint", path, MAX_NOTE_BYTES)?;
    Ok(Some(Since {
        note,
        key: args.log_key.clone(),
    }))
}

async fn show(app: &Source, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    if args.view.at.is_some() {
        return Err(bad_input(
            "--at: the log is in the order things were recorded; ask --as-of TIME for the log as it stood then",
        ));
    }
    let entries = app
        .log(&args.coalition, &super::reading(&args.view, None))
        .await?;
    if json {
        return print_json(&entries);
    }
    let mut t = table(["SEQ", "RECORDED", "ACTOR", "KIND", "MARKING", "HASH"]);
    for e in &entries {
        t.add_row(vec![
            e.seq.to_string(),
            e.recorded_at.to_string(),
            e.actor.to_string(),
            e.kind.clone(),
            e.classification.to_string(),
            e.hash.to_hex()[..16].to_owned(),
        ]);
    }
    print_table("", &t, "no events");
    Ok(())
}

/// What `log verify` says about the witnesses.
fn print_witnesses(report: Option<&coalition_app::views::WitnessReport>) {
    let Some(report) = report else {
        return;
    };
    let names: Vec<String> = report
        .cosigned
        .iter()
        .map(|c| format!("{} ({})", c.name, c.party))
        .collect();
    let size = report
        .witnessed_size
        .map_or_else(|| "no checkpoint".to_owned(), |s| format!("size {s}"));
    println!(
        "witnessed ({size} of {}) by {} of {} required under witness policy {}: {}",
        report.events,
        report.cosigned.len(),
        report.quorum,
        report.policy,
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    );
    if !report.quorum_met {
        println!(
            "ACCEPTED BELOW QUORUM: {} cosignature(s) accepted by --min-witnesses {}; the policy requires {}; missing {}",
            report.cosigned.len(),
            report.required,
            report.quorum,
            report.missing.join(", ")
        );
    }
    if let Some(size) = report.witnessed_size
        && size < report.events
    {
        println!(
            "the last {} event(s) are not witnessed yet (run `log checkpoint`)",
            report.events - size
        );
    }
}

/// `log verify --server URL C`: the server's signed checkpoint against the one this machine
/// pinned for that server, the consistency proof between them, the hash tiles against the
/// checkpoint's root, and with a token (or on first contact) every entry the caller may read.
async fn verify_server(
    remote: &Remote,
    coalition: &CoalitionId,
) -> anyhow::Result<LogVerification> {
    let base = format!("/api/coalitions/{coalition}");
    let public = !remote.has_token();
    let trust = DirTrustStore::for_source(crate::config::trust_dir()?, remote.url());
    // The log may grow between the answers; a checkpoint and proof of different sizes are asked
    // again rather than taken for a fork.
    for _ in 0..3 {
        let note = remote
            .get_raw(&format!("{base}/tlog/checkpoint"), &[], public)
            .await?
            .body;
        let note = String::from_utf8(note.to_vec())
            .map_err(|_| verification_failed("the server's checkpoint is not text"))?;
        // The body only, to learn the size asked about; its signature is checked with the rest.
        let text = note.split_once("\n\n").map_or("", |(body, _)| body);
        let body = Checkpoint::parse_body(&format!("{text}\n"))
            .map_err(|e| verification_failed(format!("the server's checkpoint: {e}")))?;
        let log = body
            .origin
            .strip_prefix("coalition/")
            .and_then(|id| CoalitionId::parse(id).ok())
            .filter(|log| coalition_ledger::audience::coalition_of(log) == *coalition)
            .ok_or_else(|| {
                verification_failed(format!(
                    "the server's checkpoint is of {:?}, not of a log of {coalition}",
                    body.origin
                ))
            })?;
        let pinned = served::pinned(&trust, &log)?;
        let consistency = match &pinned {
            Some(old) if old.size <= body.size => Some(
                remote
                    .get::<ConsistencyProofView>(
                        &format!("{base}/log/consistency"),
                        &[("old_size", old.size.to_string())],
                        public,
                    )
                    .await?,
            ),
            _ => None,
        };
        if consistency
            .as_ref()
            .is_some_and(|p| p.new_size != body.size)
        {
            continue;
        }
        let mut level_zero = Vec::new();
        for name in tiles_of(body.size).into_iter().filter(|n| n.level == 0) {
            let path = format!("{base}/tlog/tile/{}", name.path());
            level_zero.push((
                name,
                remote.get_raw(&path, &[], public).await?.body.to_vec(),
            ));
        }
        let leaves = leaves_from(body.size, &level_zero)
            .map_err(|e| verification_failed(format!("the server's tiles: {e}")))?;
        let bundle = if remote.has_token() || pinned.is_none() {
            let answer = remote
                .get_raw(&format!("{base}/log/export"), &[], public)
                .await?;
            Some(answer.body.to_vec())
        } else {
            None
        };
        let served = Served {
            checkpoint: note,
            consistency,
            leaves,
            bundle,
        };
        return Ok(served::verify_served(&trust, &log, &served)?);
    }
    Err(anyhow::anyhow!(
        "{coalition}: the server's log kept growing while it was verified; try again"
    ))
}
