//! `log show`, `log verify`.

use coalition_core::classification::may_read;
use coalition_ledger::EventStore;
use coalition_ledger::verify::verify_chain;
use serde_json::json;

use crate::cli::{LogCommand, ReadArgs};
use crate::failure::{bad_input, verification_failed};
use crate::output::{print_json, print_table, table};
use crate::session::{Session, viewer};

pub(crate) async fn run(session: &Session, command: LogCommand, json: bool) -> anyhow::Result<()> {
    match command {
        LogCommand::Show(args) => show(session, &args, json).await,
        LogCommand::Verify { coalition } => {
            // Read the raw entries ourselves: a broken record must be reported, not loaded.
            let entries = EventStore::read(session.store.as_ref(), &coalition, 1).await?;
            if entries.is_empty() {
                return Err(bad_input(format!("unknown coalition {coalition}")));
            }
            match verify_chain(&coalition, &entries) {
                Ok(_) => {
                    let head = entries.last().map(|e| (e.seq, e.hash));
                    let (seq, hash) = head.unwrap_or((0, coalition_ledger::Hash::GENESIS));
                    if json {
                        return print_json(
                            &json!({"coalition": coalition, "verified": true, "events": seq, "head": hash}),
                        );
                    }
                    println!("{coalition}: {seq} events verified; head {hash}");
                    Ok(())
                }
                Err(chain) => {
                    if json {
                        print_json(
                            &json!({"coalition": coalition, "verified": false, "first_bad_seq": chain.seq, "problem": chain.problem.to_string()}),
                        )?;
                    }
                    Err(verification_failed(format!(
                        "{coalition}: verification failed at {chain}"
                    )))
                }
            }
        }
    }
}

async fn show(session: &Session, args: &ReadArgs, json: bool) -> anyhow::Result<()> {
    let loaded = session.load(&args.coalition, args.view.as_of).await?;
    let viewer = viewer(&loaded.state, &args.view)?;
    let entries = loaded
        .entries
        .iter()
        .filter(|(_, envelope)| args.view.as_of.is_none_or(|t| envelope.recorded_at <= t))
        .map(|(sealed, envelope)| {
            (
                sealed,
                envelope,
                may_read(&viewer, &envelope.classification),
            )
        });
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
