//! The witness policy: set first by the secretariat, changed only with the approval of leaders
//! of a quorum of the parties that witness under the policy in force; bad policies are refused
//! naming the field.

use coalition_core::command::Command;
use coalition_core::rejection::Rejection;
use coalition_core::signature::SignatureBytes;
use coalition_core::witness::{PolicyApproval, Witness, WitnessPolicy, policy_message};
use ed25519_dalek::Signer;

use crate::fixture::{World, coalition_id, key, party, principal_id, public};

fn policy(parties: &[&str], quorum: u32, seed: u8) -> WitnessPolicy {
    WitnessPolicy {
        witnesses: parties
            .iter()
            .enumerate()
            .map(|(i, p)| Witness {
                name: format!("witness.{}/w{seed}", p.to_lowercase()),
                party: party(p),
                key: public(&key(seed + i as u8)),
                url: None,
            })
            .collect(),
        quorum,
    }
}

fn approve(world: &World, leader: &str, version: u32, policy: &WitnessPolicy) -> PolicyApproval {
    let message = policy_message(
        &coalition_id(crate::fixture::COALITION),
        version,
        &policy.content(),
    );
    PolicyApproval {
        principal: principal_id(leader),
        signature: SignatureBytes(world.key(leader).sign(message.as_bytes()).to_bytes()),
    }
}

fn set(policy: &WitnessPolicy, approvals: Vec<PolicyApproval>) -> Command {
    Command::SetWitnessPolicy {
        policy: policy.clone(),
        approvals,
    }
}

fn field(rejection: Rejection) -> &'static str {
    match rejection {
        Rejection::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    }
}

#[test]
fn the_first_policy_is_the_secretariats_and_a_change_needs_a_quorum_of_witness_states() {
    let mut world = World::new();
    let first = policy(&["FRA", "GBR", "POL"], 2, 10);
    assert!(matches!(
        world.decide("macron", &set(&first, vec![])),
        Err(Rejection::NotAuthorised { .. })
    ));
    world.must("secretariat", set(&first, vec![]));
    assert_eq!(world.state.witness_policy().unwrap().version, 1);

    let second = policy(&["FRA", "DEU"], 1, 20);
    // Without approvals, or with only one witness state's, or with a non-witness state's.
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&second, vec![]))
                .unwrap_err()
        ),
        "approvals"
    );
    let one = vec![approve(&world, "macron", 2, &second)];
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&second, one.clone()))
                .unwrap_err()
        ),
        "approvals"
    );
    let outsider = vec![
        approve(&world, "macron", 2, &second),
        approve(&world, "merz", 2, &second),
    ];
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&second, outsider))
                .unwrap_err()
        ),
        "approvals"
    );
    // An approval of another policy, or for another number, does not count.
    let other = policy(&["FRA"], 1, 30);
    let wrong = vec![
        approve(&world, "macron", 2, &second),
        approve(&world, "tusk", 2, &other),
    ];
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&second, wrong))
                .unwrap_err()
        ),
        "approvals"
    );
    let stale = vec![
        approve(&world, "macron", 2, &second),
        approve(&world, "tusk", 3, &second),
    ];
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&second, stale))
                .unwrap_err()
        ),
        "approvals"
    );
    // France and Poland witness under policy 1: their leaders carry the change.
    let two = vec![
        approve(&world, "macron", 2, &second),
        approve(&world, "tusk", 2, &second),
    ];
    world.must("secretariat", set(&second, two.clone()));
    let now = world.state.witness_policy().unwrap();
    assert_eq!((now.version, &now.policy), (2, &second));
    // Replaying the same approvals for the same policy again is refused (no change, stale number).
    assert!(world.decide("secretariat", &set(&second, two)).is_err());
}

#[test]
fn a_malformed_policy_is_refused_naming_its_field() {
    let world = World::new();
    let cases = [
        (policy(&["FRA", "GBR"], 0, 10), "quorum"),
        (policy(&["FRA", "GBR"], 3, 10), "quorum"),
        (policy(&[], 1, 10), "witnesses"),
        (policy(&["FRA", "JPN"], 1, 10), "witnesses"),
    ];
    for (bad, expected) in cases {
        assert_eq!(
            field(world.decide("secretariat", &set(&bad, vec![])).unwrap_err()),
            expected
        );
    }
    let mut same_key = policy(&["FRA", "GBR"], 1, 10);
    same_key.witnesses[1].key = same_key.witnesses[0].key;
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&same_key, vec![]))
                .unwrap_err()
        ),
        "witnesses"
    );
    let mut spaced = policy(&["FRA"], 1, 10);
    spaced.witnesses[0].name = "a name".into();
    assert_eq!(
        field(
            world
                .decide("secretariat", &set(&spaced, vec![]))
                .unwrap_err()
        ),
        "witnesses"
    );
}
