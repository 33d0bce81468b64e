//! Offline bundles: every byte matters, a truncated or rewritten history is caught by anyone who
//! holds an earlier checkpoint (even when the log key changed), and the signature audit names
//! approvals by non-signatories and signatures by keys not registered at that point.
//!
//! The histories are made with the core tests' coalition (`coalition-core/tests/it/fixture.rs`),
//! sealed here exactly as the ledger seals them. Forged histories are re-sealed and re-signed
//! with the log key: the attacker holds the record keeper's key, not the leaders'.

#[path = "../../../coalition-core/tests/it/fixture.rs"]
mod support;

use coalition_core::classification::Level;
use coalition_core::command::Command;
use coalition_core::dates::Span;
use coalition_core::event::Event;
use coalition_core::statement::{AdoptionRule, Approval, Paragraph, content_hash, leaf};
use coalition_ledger::bundle::{
    Bundle, BundleFailure, check_extends, origin, sign_log, verify_bundle,
};
use coalition_ledger::canonical::Envelope;
use coalition_ledger::checkpoint::VerifierKey;
use coalition_ledger::seal::seal;
use coalition_ledger::{Hash, Head, SealedEvent};
use ed25519_dalek::SigningKey;
use support::{Batch, World, coalition_id, key, paragraphs, public, sign};

const UNANIMITY: AdoptionRule = AdoptionRule::Unanimity;

fn log_key() -> SigningKey {
    key(250)
}

/// The test coalition with its log key, one statement tabled and adopted by FRA, GBR and DEU.
fn small_world(log_key: &SigningKey) -> World {
    adopted_world(log_key, "We stand together.")
}

/// The same, with `text` as the statement's PUBLIC paragraph.
fn adopted_world(log_key: &SigningKey, text: &str) -> World {
    let mut world = World::new();
    register_log_key(&mut world, log_key);
    let paragraphs = paragraphs(&[(text, Level::Public), ("Modalities.", Level::Secret)]);
    world.draft_with("s", &["FRA", "GBR", "DEU"], UNANIMITY, paragraphs);
    for leader in ["macron", "starmer", "merz"] {
        world.approve(leader, "s", 1).unwrap();
    }
    assert!(world.statement("s").is_adopted());
    world
}

fn register_log_key(world: &mut World, log_key: &SigningKey) {
    let name = origin(&coalition_id(&world.coalition));
    world.must(
        "secretariat",
        Command::RegisterLogKey {
            name,
            key: public(log_key),
        },
    );
}

/// Seals batches as the ledger does: one seal per accepted command, chained.
fn seal_history(coalition: &str, batches: &[Batch]) -> Vec<(SealedEvent, Envelope)> {
    let coalition = coalition_id(coalition);
    let mut head = Head::EMPTY;
    let mut entries = Vec::new();
    for batch in batches {
        let sealed = seal(
            &coalition,
            head,
            batch.at,
            &batch.actor,
            batch.events.clone(),
        )
        .unwrap();
        for entry in sealed {
            head = Head {
                seq: entry.seq,
                hash: entry.hash,
            };
            let envelope = Envelope::from_canonical_bytes(&entry.body).unwrap();
            entries.push((entry, envelope));
        }
    }
    entries
}

fn bundle_of(
    coalition: &str,
    entries: &[(SealedEvent, Envelope)],
    log_key: &SigningKey,
) -> Vec<u8> {
    Bundle::build(&coalition_id(coalition), entries, log_key)
        .unwrap()
        .to_bytes()
}

fn bundle(world: &World, log_key: &SigningKey) -> Vec<u8> {
    bundle_of(
        &world.coalition,
        &seal_history(&world.coalition, &world.history),
        log_key,
    )
}

/// The signed checkpoint note of a world's whole log.
fn checkpoint(world: &World, log_key: &SigningKey) -> String {
    let entries: Vec<SealedEvent> = seal_history(&world.coalition, &world.history)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    sign_log(&coalition_id(&world.coalition), &entries, log_key)
        .unwrap()
        .1
}

fn verifier(world: &World, log_key: &SigningKey) -> VerifierKey {
    VerifierKey::new(
        &origin(&coalition_id(&world.coalition)),
        log_key.verifying_key(),
    )
    .unwrap()
}

/// The failure's text, or a panic naming what was accepted.
fn refused(
    bytes: &[u8],
    earlier: Option<(&str, Option<&VerifierKey>)>,
    what: &str,
) -> BundleFailure {
    match verify_bundle(bytes, earlier) {
        Ok(verified) => panic!("{what}: accepted ({} events)", verified.events),
        Err(failure) => failure,
    }
}

/// Rewrites every event of the history with `edit` (events it maps to `None` are dropped).
fn edit_events(world: &mut World, mut edit: impl FnMut(&Event) -> Option<Event>) {
    for batch in &mut world.history {
        batch.events = batch.events.iter().filter_map(&mut edit).collect();
    }
    world.history.retain(|b| !b.events.is_empty());
}

/// Rewrites the approval `principal` gave to `statement`.
fn forge_approval(
    world: &mut World,
    statement: &str,
    principal: &str,
    forge: impl Fn(&mut Approval),
) {
    edit_events(world, |event| {
        let mut event = event.clone();
        if let Event::VersionApproved {
            statement: s,
            approval,
        } = &mut event
            && s.as_str() == statement
            && approval.principal.as_str() == principal
        {
            forge(approval);
        }
        Some(event)
    });
}

/// The audit's complaint about a bundle (which must fail the signature audit).
fn audit_failure(bytes: &[u8], what: &str) -> String {
    match refused(bytes, None, what) {
        BundleFailure::Signature(failure) => failure.problem,
        other => panic!("{what}: expected a signature failure, got {other}"),
    }
}

// --- the honest bundle ----------------------------------------------------------------------

#[test]
fn a_bundle_verifies_offline_and_extends_its_own_earlier_checkpoints() {
    let key = log_key();
    let mut world = small_world(&key);
    let bytes = bundle(&world, &key);
    let verified = verify_bundle(&bytes, None).unwrap();
    assert_eq!(verified.audit.approvals, 3);
    assert_eq!(verified.events, world.events().count() as u64);

    // Later, the log grew honestly: it extends the checkpoint taken now.
    let earlier = checkpoint(&world, &key);
    let earlier_size = world.events().count() as u64;
    world.draft("t", &["FRA"], UNANIMITY);
    world.approve("macron", "t", 1).unwrap();
    let later = bundle(&world, &key);
    let verified = verify_bundle(&later, Some((&earlier, None))).unwrap();
    // Drafted, its version tabled, its one paragraph; approved; adopted.
    assert_eq!(verified.events, earlier_size + 5);
    assert_eq!(verified.consistent_with.map(|c| c.size), Some(earlier_size));
    let verified = verify_bundle(&later, Some((&earlier, Some(&verifier(&world, &key))))).unwrap();
    assert_eq!(verified.audit.approvals, 4);
}

// --- every byte -----------------------------------------------------------------------------

/// Changes one byte at every position of a small bundle (two leaders approve one statement) three
/// ways (its lowest bit, the case bit, the whole byte): `verify_bundle` must refuse every one.
#[test]
fn a_bundle_with_any_one_byte_changed_is_rejected() {
    let key = log_key();
    let mut world = World::small();
    register_log_key(&mut world, &key);
    world.draft_with(
        "s",
        &["FRA", "GBR"],
        UNANIMITY,
        paragraphs(&[
            ("We stand together.", Level::Public),
            ("Opérations: modalités.", Level::Secret),
        ]),
    );
    world.approve("macron", "s", 1).unwrap();
    world.approve("starmer", "s", 1).unwrap();
    let bytes = bundle(&world, &key);
    assert_eq!(verify_bundle(&bytes, None).unwrap().audit.approvals, 2);
    let changes: Vec<(usize, u8)> = (0..bytes.len())
        .flat_map(|position| [0x01u8, 0x20, 0xff].map(|mask| (position, mask)))
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let accepted: Vec<(usize, u8)> = std::thread::scope(|scope| {
        let handles: Vec<_> = changes
            .chunks(changes.len().div_ceil(threads))
            .map(|chunk| {
                let bytes = &bytes;
                scope.spawn(move || {
                    let mut copy = bytes.clone();
                    let mut accepted = Vec::new();
                    for &(position, mask) in chunk {
                        copy[position] ^= mask;
                        if verify_bundle(&copy, None).is_ok() {
                            accepted.push((position, mask));
                        }
                        copy[position] ^= mask;
                    }
                    accepted
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        bytes.len() > 4 * 1024,
        "the bundle is {} bytes",
        bytes.len()
    );
    assert!(
        accepted.is_empty(),
        "{} of {} changed bundles accepted, first at {:?}",
        accepted.len(),
        changes.len(),
        accepted.first()
    );
    eprintln!(
        "{} bytes: {} altered bundles (every position, three ways), all rejected",
        bytes.len(),
        changes.len()
    );
}

// --- truncation and rewriting ---------------------------------------------------------------

#[test]
fn a_bundle_truncated_by_one_event_is_rejected_against_an_earlier_checkpoint() {
    let key = log_key();
    let world = small_world(&key);
    let earlier = checkpoint(&world, &key);
    let entries = seal_history(&world.coalition, &world.history);
    let truncated = bundle_of(&world.coalition, &entries[..entries.len() - 1], &key);
    // On its own the shorter log is well formed and signed by the log key …
    verify_bundle(&truncated, None).unwrap();
    // … but not to anyone who held the checkpoint of the longer one.
    let failure = refused(&truncated, Some((&earlier, None)), "truncated");
    assert!(
        matches!(&failure, BundleFailure::Inconsistent(m) if m.contains("truncated")),
        "{failure}"
    );
    let failure = refused(
        &truncated,
        Some((&earlier, Some(&verifier(&world, &key)))),
        "truncated, explicit key",
    );
    assert!(
        matches!(failure, BundleFailure::Inconsistent(_)),
        "{failure}"
    );
}

/// The same commands with one paragraph worded differently: a different history from the
/// start, every signature in it valid.
fn rewritten_world(log_key: &SigningKey) -> World {
    adopted_world(log_key, "We stand apart.")
}

#[test]
fn a_bundle_rebuilt_with_a_different_history_is_rejected_against_an_earlier_checkpoint() {
    let key = log_key();
    let honest = small_world(&key);
    let earlier = checkpoint(&honest, &key);
    let old_key = verifier(&honest, &key);
    let mut cases = 0;

    // Same length, same log key.
    let same_length = rewritten_world(&key);
    assert_eq!(same_length.events().count(), honest.events().count());
    // Longer, same log key.
    let mut longer = rewritten_world(&key);
    longer.draft("t", &["FRA"], UNANIMITY);
    longer.approve("macron", "t", 1).unwrap();
    // Longer, rebuilt around a new log key.
    let new_key = support::key(251);
    let mut new_log_key = rewritten_world(&new_key);
    new_log_key.draft("t", &["FRA"], UNANIMITY);

    for (what, world, signer) in [
        ("same length", &same_length, &key),
        ("longer", &longer, &key),
        ("new log key", &new_log_key, &new_key),
    ] {
        let bytes = bundle(world, signer);
        verify_bundle(&bytes, None).unwrap_or_else(|e| panic!("{what}: {e}"));
        // Against the earlier checkpoint, with the key in the bundle or the key held earlier.
        for key in [None, Some(&old_key)] {
            let failure = refused(&bytes, Some((&earlier, key)), what);
            assert!(
                matches!(failure, BundleFailure::Inconsistent(_)),
                "{what}: {failure}"
            );
            cases += 1;
        }
        // The ledger's check on its own.
        let entries = seal_history(&world.coalition, &world.history);
        let leaves: Vec<Hash> = entries.iter().map(|(s, _)| s.hash).collect();
        let current = verify_bundle(&bytes, None).unwrap().checkpoint;
        assert!(
            check_extends(
                &earlier,
                &old_key,
                &coalition_id(&world.coalition),
                &leaves,
                &current
            )
            .is_err(),
            "{what}"
        );
    }
    assert_eq!(cases, 6);
}

// --- forged approvals -----------------------------------------------------------------------

#[test]
fn a_paragraph_changed_after_approval_is_rejected_even_when_resealed_and_resigned() {
    let key = log_key();
    let tamper = |recompute_content: bool| {
        let mut world = small_world(&key);
        let changed = |paragraph: &Paragraph| Paragraph {
            text: "We stand apart.".into(),
            ..paragraph.clone()
        };
        let (old, new) = world
            .events()
            .find_map(|event| match event {
                Event::ParagraphTabled {
                    paragraph, opening, ..
                } => Some((leaf(paragraph, opening), leaf(&changed(paragraph), opening))),
                _ => None,
            })
            .expect("a paragraph");
        edit_events(&mut world, |event| {
            let mut event = event.clone();
            match &mut event {
                Event::ParagraphTabled {
                    paragraph, opening, ..
                } if leaf(paragraph, opening) == old => *paragraph = changed(paragraph),
                Event::VersionTabled {
                    leaves, content, ..
                } if recompute_content && leaves.contains(&old) => {
                    for l in leaves.iter_mut().filter(|l| **l == old) {
                        *l = new;
                    }
                    leaves.sort();
                    *content = content_hash(leaves);
                }
                _ => {}
            }
            Some(event)
        });
        bundle(&world, &key)
    };
    // The version's hash recomputed: the leaders' approvals name the old one.
    let failure = refused(&tamper(true), None, "text and hash changed");
    assert!(
        matches!(&failure, BundleFailure::Signature(f) if f.problem.contains("content")),
        "{failure}"
    );
    // The version's hash left as the leaders signed it: the text no longer hashes to it.
    let failure = refused(&tamper(false), None, "text changed, hash kept");
    assert!(failure.to_string().contains("content"), "{failure}");
}

#[test]
fn an_approval_by_a_party_that_is_not_a_required_signatory_is_rejected_naming_it() {
    let key = log_key();
    let mut world = small_world(&key);
    // ESP's leader, with a valid signature by ESP's registered key, in place of DEU's approval.
    let content = world.content("s", 1);
    let signature = sign(world.key("sanchez"), &world.coalition, "s", 1, &content);
    forge_approval(&mut world, "s", "merz", |approval| {
        approval.party = support::party("ESP");
        approval.principal = support::principal_id("sanchez");
        approval.signature = signature;
    });
    let problem = audit_failure(&bundle(&world, &key), "non-signatory");
    assert!(
        problem.contains("ESP, which is not a required signatory of s"),
        "{problem}"
    );
}

#[test]
fn an_approval_by_a_non_leader_is_rejected_naming_it() {
    let key = log_key();
    let mut world = small_world(&key);
    let content = world.content("s", 1);
    let signature = sign(world.key("barrot"), &world.coalition, "s", 1, &content);
    forge_approval(&mut world, "s", "macron", |approval| {
        approval.principal = support::principal_id("barrot");
        approval.signature = signature;
    });
    let problem = audit_failure(&bundle(&world, &key), "minister");
    assert!(problem.contains("barrot, not a leader of FRA"), "{problem}");
}

#[test]
fn a_signature_by_a_key_not_registered_at_that_point_is_rejected_naming_it() {
    let key = log_key();

    // Macron's approval signed with a key registered only after it (a later rotation).
    let mut world = small_world(&key);
    let content = world.content("s", 1);
    let later = support::key(77);
    let signature = sign(&later, &world.coalition, "s", 1, &content);
    forge_approval(&mut world, "s", "macron", |a| a.signature = signature);
    world.register_key("macron", later);
    let problem = audit_failure(&bundle(&world, &key), "key registered later");
    assert!(
        problem.contains("under the key registered at that point"),
        "{problem}"
    );

    // Macron's first key registration moved after his approval: no key at that point.
    let mut world = small_world(&key);
    let position = world
        .history
        .iter()
        .position(|b| {
            matches!(&b.events[..], [Event::KeyRegistered { principal, .. }] if principal.as_str() == "macron")
        })
        .unwrap();
    let moved = world.history.remove(position);
    world.history.push(moved);
    let problem = audit_failure(&bundle(&world, &key), "no key yet");
    assert!(
        problem.contains("macron, who had no key registered at that point"),
        "{problem}"
    );

    // Signed with another party's leader's key.
    let mut world = small_world(&key);
    let signature = sign(world.key("starmer"), &world.coalition, "s", 1, &content);
    forge_approval(&mut world, "s", "macron", |a| a.signature = signature);
    let problem = audit_failure(&bundle(&world, &key), "another party's key");
    assert!(problem.starts_with("bad signature"), "{problem}");
}

#[test]
fn an_approval_replayed_from_another_coalition_is_rejected() {
    let key = log_key();
    let mut world = small_world(&key);
    // The same leaders, keys and text in another coalition: the signature names that coalition.
    let mut other = World::named("other-coalition");
    register_log_key(&mut other, &key);
    other.draft_with(
        "s",
        &["FRA", "GBR", "DEU"],
        UNANIMITY,
        world.statement("s").versions[0].paragraphs.clone(),
    );
    other.approve("macron", "s", 1).unwrap();
    let replayed = other
        .events()
        .find_map(|e| match e {
            Event::VersionApproved { approval, .. } => Some(approval.signature),
            _ => None,
        })
        .unwrap();
    forge_approval(&mut world, "s", "macron", |a| a.signature = replayed);
    let problem = audit_failure(&bundle(&world, &key), "replayed from another coalition");
    assert!(problem.starts_with("bad signature"), "{problem}");
}

#[test]
fn approvals_signed_before_a_key_rotation_stay_valid_offline() {
    let key = log_key();
    let mut world = small_world(&key);
    let old = world.key("macron").clone();
    world.advance(Span::days(1));
    world.register_key("macron", support::key(78));
    world.draft("t", &["FRA"], UNANIMITY);
    world.approve("macron", "t", 1).unwrap();
    let verified = verify_bundle(&bundle(&world, &key), None).unwrap();
    assert_eq!(verified.audit.approvals, 4);
    assert!(verified.audit.keys >= 9);

    // The same approval signed with the old key after the rotation is refused.
    let content = world.content("t", 1);
    let signature = sign(&old, &world.coalition, "t", 1, &content);
    forge_approval(&mut world, "t", "macron", |a| a.signature = signature);
    let problem = audit_failure(&bundle(&world, &key), "old key after rotation");
    assert!(
        problem.contains("under the key registered at that point"),
        "{problem}"
    );
}

#[test]
fn an_adoption_without_the_approvals_its_rule_needs_is_rejected() {
    let key = log_key();
    let mut world = small_world(&key);
    // DEU's approval dropped; the adoption recorded with it kept.
    edit_events(&mut world, |event| match event {
        Event::VersionApproved { approval, .. } if approval.party.as_str() == "DEU" => None,
        other => Some(other.clone()),
    });
    let failure = refused(&bundle(&world, &key), None, "adoption without unanimity");
    assert!(failure.to_string().contains("adopt"), "{failure}");
}

#[test]
fn the_key_list_must_be_the_keys_registered_in_the_log() {
    let key = log_key();
    let world = small_world(&key);
    let entries = seal_history(&world.coalition, &world.history);
    let mut bundle = Bundle::build(&coalition_id(&world.coalition), &entries, &key).unwrap();
    bundle.keys.pop();
    let failure = refused(&bundle.to_bytes(), None, "a key left out");
    assert!(matches!(failure, BundleFailure::Keys(_)), "{failure}");
}

#[test]
fn adoptions_under_every_rule_verify_offline_and_a_premature_silence_does_not() {
    let key = log_key();
    let deadline = support::at("2026-01-10T12:00:00Z");
    let mut world = World::new();
    register_log_key(&mut world, &key);
    world.draft("unanimity", &["FRA", "GBR"], UNANIMITY);
    world.draft(
        "quorum",
        &["FRA", "GBR", "DEU"],
        AdoptionRule::Quorum { k: 2 },
    );
    world.draft(
        "silence",
        &["FRA", "GBR"],
        AdoptionRule::Silence { deadline },
    );
    for (leader, statement) in [
        ("macron", "unanimity"),
        ("starmer", "unanimity"),
        ("macron", "quorum"),
        ("merz", "quorum"),
    ] {
        world.approve(leader, statement, 1).unwrap();
    }
    world.now = deadline;
    world.must(
        "secretariat",
        Command::ConcludeSilence {
            statement: support::statement_id("silence"),
        },
    );
    for statement in ["unanimity", "quorum", "silence"] {
        assert!(world.statement(statement).is_adopted(), "{statement}");
    }
    verify_bundle(&bundle(&world, &key), None).unwrap();

    // The silence concluded a second before its deadline.
    for batch in &mut world.history {
        if matches!(&batch.events[..], [Event::StatementAdopted { statement, .. }] if statement.as_str() == "silence")
        {
            batch.at = support::at("2026-01-10T11:59:59Z");
        }
    }
    let failure = refused(&bundle(&world, &key), None, "silence concluded early");
    assert!(
        failure.to_string().contains("adoption rule did not hold"),
        "{failure}"
    );
}
