//! `log show|verify|checkpoint|prove|consistency|export`.

use coalition_app::App;
use coalition_app::log::Since;
use coalition_app::views::{BundleVerification, LogVerification};
use coalition_core::classification::Level;

use crate::cli::{LogCommand, ReadArgs, VerifyArgs};
use crate::cmd::witness;
use crate::failure::{bad_input, verification_failed};
use crate::file::{MAX_BUNDLE_BYTES, MAX_NOTE_BYTES};
use crate::output::{print_json, print_table, table};

pub(crate) async fn run(app: &App, command: LogCommand, json: bool) -> anyhow::Result<()> {
    match command {
        LogCommand::Show(args) => show(app, &args, json).await,
        LogCommand::Verify(args) => match (&args.source.coalition, &args.source.bundle) {
            (Some(coalition), None) => {
                let report = app
                    .verify_witnessed(coalition, since(&args)?.as_ref(), args.min_witnesses)
                    .await?;
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
                let report = app.verify_bundle_witnessed(
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
            let checkpoint = witness::gather(
                app,
                &coalition,
                &who,
                checkpoint,
                &cosign_from,
                witness_timeout,
            )
            .await?;
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

async fn show(app: &App, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
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
