//! `verify`: offline verification of a log of many signed approvals — the chain and the
//! signature audit as `log verify` runs them, and the whole bundle — against bare
//! ed25519-dalek `verify_strict` over the same (message, signature, key) triples.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use coalition_core::classification::{Level, Marking};
use coalition_core::command::Command;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_core::{Context, State, apply, decide};
use coalition_ledger::Head;
use coalition_ledger::seal::seal;
use coalition_ledger::verify::verify_chain;
use serde_json::json;

use crate::failure::{bad_input, verification_failed};
use crate::report::{fastest, print_json};
use crate::world::{GUARANTORS, founding, party};

/// Parties for `bench verify`: each gets a member's seat and a leader with a key.
const VERIFY_PARTIES: [&str; 50] = [
    "FRA", "GBR", "DEU", "ITA", "POL", "ESP", "NLD", "DNK", "SWE", "CAN", "BEL", "BGR", "HRV",
    "EST", "FIN", "GRC", "ISL", "LVA", "LTU", "LUX", "NOR", "PRT", "ROU", "SVN", "CZE", "AUT",
    "TUR", "CYP", "IRL", "JPN", "AUS", "NZL", "MNE", "ALB", "MKD", "SVK", "HUN", "MLT", "CHE",
    "USA", "KOR", "BRA", "MEX", "ARG", "CHL", "ZAF", "IND", "IDN", "PHL", "SGP",
];

/// A log of `approvals` signed approvals: statements with `signatories` required parties each,
/// every leader approving (so every complete statement is adopted). Decided and sealed in memory,
/// signatures made here with each leader's key. Returns the sealed entries with their envelopes
/// and the (message, signature, key) of every approval.
#[allow(clippy::type_complexity)]
fn approvals_log(
    id: &CoalitionId,
    approvals: u64,
    signatories: usize,
    log_key: &ed25519_dalek::SigningKey,
) -> anyhow::Result<(
    Vec<(
        coalition_ledger::SealedEvent,
        coalition_ledger::canonical::Envelope,
    )>,
    Vec<(
        [u8; 32],
        ed25519_dalek::Signature,
        ed25519_dalek::VerifyingKey,
    )>,
)> {
    use coalition_core::signature::{PublicKey, SignatureBytes, approval_message};
    use coalition_core::statement::{AdoptionRule, Paragraph, StatementId};
    use ed25519_dalek::{Signer as _, SigningKey};

    let now = Timestamp::parse("2026-01-06T12:00:00Z")?;
    let secretariat = PrincipalId::parse("secretariat")?;
    let mut batches: Vec<(PrincipalId, Command)> = Vec::new();
    let (_, founding) = founding(id)?;
    batches.extend(founding.into_iter().map(|c| (secretariat.clone(), c)));
    let parties = &VERIFY_PARTIES[..signatories];
    let mut leaders = Vec::new();
    for (n, code) in parties.iter().enumerate() {
        let party = party(code)?;
        if !GUARANTORS.contains(code) && *code != "USA" {
            batches.push((
                secretariat.clone(),
                Command::GrantSeat(Seat {
                    party: party.clone(),
                    role: SeatRole::Member,
                    from: None,
                    until: None,
                    disclosed: true,
                    note: String::new(),
                }),
            ));
        }
        let key = SigningKey::from_bytes(&[u8::try_from(n)? + 1; 32]);
        let leader = PrincipalId::parse(&format!("leader-{}", code.to_lowercase()))?;
        batches.push((
            secretariat.clone(),
            Command::RegisterPrincipal(Principal {
                id: leader.clone(),
                name: format!("Leader of {code}"),
                party,
                role: PrincipalRole::Leader,
                clearance: Level::Secret,
                marking: Marking::public(),
                public_key: Some(PublicKey::from_bytes(key.verifying_key().to_bytes())?),
            }),
        ));
        leaders.push((leader, key));
    }
    batches.push((
        secretariat.clone(),
        Command::RegisterLogKey {
            name: coalition_ledger::bundle::origin(id),
            key: PublicKey::from_bytes(log_key.verifying_key().to_bytes())?,
        },
    ));

    let mut state = State::new();
    let mut head = Head::EMPTY;
    let mut entries = Vec::new();
    let mut triples = Vec::new();
    let mut record = |state: &mut State,
                      head: &mut Head,
                      actor: &PrincipalId,
                      command: &Command|
     -> anyhow::Result<()> {
        let ctx = Context {
            now,
            actor: actor.clone(),
        };
        let events = decide(state, command, &ctx)?;
        for event in &events {
            apply(state, event);
        }
        for sealed in seal(id, *head, now, actor, events)? {
            *head = Head {
                seq: sealed.seq,
                hash: sealed.hash,
            };
            let envelope =
                coalition_ledger::canonical::Envelope::from_canonical_bytes(&sealed.body)?;
            entries.push((sealed, envelope));
        }
        Ok(())
    };
    for (actor, command) in &batches {
        record(&mut state, &mut head, actor, command)?;
    }
    let statements = approvals.div_ceil(signatories as u64);
    let mut left = approvals;
    for s in 0..statements {
        let statement = StatementId::parse(&format!("s{s}"))?;
        let paragraphs = vec![Paragraph {
            text: format!("Statement {s}: we stand together."),
            marking: Marking::public(),
        }];
        let draft = Command::DraftStatement {
            statement: statement.clone(),
            title: format!("Statement {s}"),
            signatories: parties
                .iter()
                .map(|p| party(p))
                .collect::<anyhow::Result<_>>()?,
            rule: AdoptionRule::Unanimity,
            paragraphs,
            // A fixed seed: the bench needs commitments, not secrecy.
            seed: coalition_core::statement::Seed([s as u8; 32]),
            at: None,
        };
        record(&mut state, &mut head, &secretariat, &draft)?;
        let content = state
            .statements()
            .get(&statement)
            .and_then(|r| r.current())
            .map(|v| v.content)
            .context("the statement just drafted")?;
        let message = approval_message(id, statement.as_str(), 1, &content);
        for (leader, key) in leaders
            .iter()
            .take(usize::try_from(left.min(signatories as u64))?)
        {
            let signature = key.sign(message.as_bytes());
            let approve = Command::ApproveVersion {
                statement: statement.clone(),
                version: 1,
                signature: SignatureBytes(signature.to_bytes()),
                meeting: None,
                at: None,
            };
            record(&mut state, &mut head, leader, &approve)?;
            triples.push((message.0, signature, key.verifying_key()));
            left -= 1;
        }
    }
    Ok((entries, triples))
}

pub(crate) fn run(
    approvals: u64,
    signatories: usize,
    rounds: u32,
    json: bool,
) -> anyhow::Result<()> {
    if approvals == 0 || !(1..=VERIFY_PARTIES.len()).contains(&signatories) {
        return Err(bad_input(format!(
            "expected --approvals ≥ 1 and 1 ≤ --signatories ≤ {}",
            VERIFY_PARTIES.len()
        )));
    }
    let id = CoalitionId::parse("bench-verify")?;
    let log_key = ed25519_dalek::SigningKey::from_bytes(&[0xa5; 32]);
    let started = Instant::now();
    let (entries, triples) = approvals_log(&id, approvals, signatories, &log_key)?;
    let bundle = coalition_ledger::bundle::Bundle::build(&id, &entries, &log_key)?.to_bytes();
    let build_time = started.elapsed();
    let sealed: Vec<coalition_ledger::SealedEvent> =
        entries.into_iter().map(|(sealed, _)| sealed).collect();

    // Ours: the chain (canonical bytes, hashes, links) and the signature audit (every approval
    // against the key registered at that point, strict), as `log verify` runs them …
    let mut checked = 0;
    let ours = fastest(rounds, || {
        let envelopes = verify_chain(&id, &sealed)?;
        checked = coalition_ledger::audit::audit_signatures(&envelopes)?.approvals;
        Ok(())
    })?;
    if checked != approvals {
        return Err(verification_failed(format!(
            "the audit checked {checked} approvals, expected {approvals}"
        )));
    }
    // (The chain alone, to show where the rest of the time goes.)
    let chain = fastest(rounds, || {
        verify_chain(&id, &sealed)?;
        Ok(())
    })?;
    // … and the whole bundle offline (canonical form, key list, checkpoint, Merkle root too).
    let offline = fastest(rounds, || {
        coalition_ledger::bundle::verify_bundle(&bundle, None)?;
        Ok(())
    })?;
    // Bare ed25519-dalek over the same (message, signature, key) triples, keys already parsed.
    let bare = fastest(rounds, || {
        for (message, signature, key) in &triples {
            key.verify_strict(message, signature)?;
        }
        Ok(())
    })?;
    let messages: Vec<&[u8]> = triples.iter().map(|(m, _, _)| m.as_slice()).collect();
    let signatures: Vec<ed25519_dalek::Signature> = triples.iter().map(|(_, s, _)| *s).collect();
    let keys: Vec<ed25519_dalek::VerifyingKey> = triples.iter().map(|(_, _, k)| *k).collect();
    let batch = fastest(rounds, || {
        ed25519_dalek::verify_batch(&messages, &signatures, &keys)?;
        Ok(())
    })?;

    let rate = |d: Duration| approvals as f64 / d.as_secs_f64();
    if json {
        return print_json(&json!({
            "approvals": approvals,
            "events": sealed.len(),
            "bundle_bytes": bundle.len(),
            "build_seconds": build_time.as_secs_f64(),
            "ours_chain_and_audit_per_second": rate(ours),
            "ours_bundle_per_second": rate(offline),
            "chain_only_seconds": chain.as_secs_f64(),
            "chain_and_audit_seconds": ours.as_secs_f64(),
            "bare_verify_strict_per_second": rate(bare),
            "bare_verify_batch_per_second": rate(batch),
            "ratio_audit_to_strict": rate(ours) / rate(bare),
            "ratio_bundle_to_strict": rate(offline) / rate(bare),
            "ratio_batch_to_strict": rate(batch) / rate(bare),
        }));
    }
    println!(
        "{approvals} approvals ({signatories} signatories per statement), {} events, bundle {} bytes; built in {:.1}s",
        sealed.len(),
        bundle.len(),
        build_time.as_secs_f64()
    );
    println!("signatures per second (fastest of {rounds}):");
    println!(
        "  ours: whole bundle offline (log verify --bundle): {:>8.0}/s  ratio {:.3}",
        rate(offline),
        rate(offline) / rate(bare)
    );
    println!(
        "  bare ed25519-dalek verify_batch (not strict):     {:>8.0}/s  ratio {:.3}",
        rate(batch),
        rate(batch) / rate(bare)
    );
    println!(
        "  ours: chain + signature audit (log verify):      {:>9.0}/s, of which the chain alone {:.0} ms of {:.0} ms",
        rate(ours),
        chain.as_secs_f64() * 1e3,
        ours.as_secs_f64() * 1e3
    );
    println!(
        "ratio {:.3}: ours (chain + signature audit) {:.0}/s against the baseline, bare ed25519-dalek verify_strict on one thread, {:.0}/s",
        rate(ours) / rate(bare),
        rate(ours),
        rate(bare)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verify_bench_log_holds_the_approvals_asked_for_and_verifies() {
        let id = CoalitionId::parse("bench-verify").unwrap();
        let log_key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        // Three statements of three signatories; the last one approved by one leader only.
        let (entries, triples) = approvals_log(&id, 7, 3, &log_key).unwrap();
        assert_eq!(triples.len(), 7);
        let envelopes: Vec<_> = entries.iter().map(|(_, e)| e.clone()).collect();
        let audit = coalition_ledger::audit::audit_signatures(&envelopes).unwrap();
        assert_eq!(audit.approvals, 7);
        let adopted = envelopes
            .iter()
            .filter(|e| matches!(e.event, coalition_core::Event::StatementAdopted { .. }))
            .count();
        assert_eq!(adopted, 2);
        for (message, signature, key) in &triples {
            key.verify_strict(message, signature).unwrap();
        }
        let bundle = coalition_ledger::bundle::Bundle::build(&id, &entries, &log_key).unwrap();
        coalition_ledger::bundle::verify_bundle(&bundle.to_bytes(), None).unwrap();
    }

    #[test]
    fn the_direct_codec_agrees_with_the_reference_on_every_kind_of_entry_written_here() {
        use coalition_ledger::canonical::Envelope;
        let id = CoalitionId::parse("bench-verify").unwrap();
        let log_key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let (mut entries, _) = approvals_log(&id, 7, 3, &log_key).unwrap();
        // And commitments answering an attack, the attack, its confirmation, the obligations.
        let other = CoalitionId::parse("bench-activation").unwrap();
        let (actor, mut commands) = founding(&other).unwrap();
        for n in 0..3 {
            commands.push(crate::world::bench_commitment(n).unwrap());
        }
        commands.push(crate::world::report_incident().unwrap());
        let now = Timestamp::parse("2026-06-02T00:00:00Z").unwrap();
        let mut sealer = crate::world::Sealer::new(&other);
        let mut sealed = sealer.seal(&actor, now, &commands).unwrap();
        let events: Vec<_> = sealed
            .iter()
            .map(|e| {
                Envelope::from_canonical_bytes_by_tree(&e.body)
                    .unwrap()
                    .event
            })
            .collect();
        let confirm = Command::ConfirmIncident {
            incident: crate::world::reported(&events).unwrap(),
            at: None,
        };
        sealed.extend(
            sealer
                .seal(&PrincipalId::parse("monitor").unwrap(), now, &[confirm])
                .unwrap(),
        );
        for entry in sealed {
            let envelope = Envelope::from_canonical_bytes_by_tree(&entry.body).unwrap();
            entries.push((entry, envelope));
        }
        let kinds: std::collections::BTreeSet<String> = entries
            .iter()
            .map(|(_, e)| serde_json::to_value(&e.event).unwrap()["kind"].to_string())
            .collect();
        assert!(kinds.len() >= 10, "{kinds:?}");
        for (entry, envelope) in &entries {
            assert_eq!(
                envelope.to_canonical_bytes(),
                envelope.to_canonical_bytes_by_tree()
            );
            assert_eq!(
                Envelope::from_canonical_bytes(&entry.body).as_ref(),
                Ok(envelope)
            );
            let text = std::str::from_utf8(&entry.body).unwrap();
            for variant in [
                text.replacen("\":", "\" :", 1),
                text.replacen('{', "{\"aaa\":1,", 1),
                format!("{text}\n"),
            ] {
                assert_eq!(
                    Envelope::from_canonical_bytes(variant.as_bytes()),
                    Envelope::from_canonical_bytes_by_tree(variant.as_bytes())
                );
            }
        }
    }
}
