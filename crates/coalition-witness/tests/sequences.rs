//! Random logs and random sequences of submissions — genuine growth, forks, corrupted proofs,
//! replays of older checkpoints — against a witness in a temporary directory, reopened at random
//! (a restart): it cosigns exactly the submissions that extend what it holds, every cosignature
//! verifies for its own checkpoint only, and everything it cosigned forms one growing chain.

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, sign_checkpoint};
use coalition_ledger::cosignature::{Cosignature, CosignerKey};
use coalition_ledger::merkle::{consistency_proof, leaf_hash, root};
use coalition_ledger::witness::AddCheckpoint;
use coalition_witness::{Witness, WitnessedLog, init};
use ed25519_dalek::SigningKey;
use proptest::prelude::*;

const ORIGIN: &str = "coalition/prop";

fn leaves(n: usize, branch: u8, fork_at: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| {
            let b = if i >= fork_at { branch } else { 0 };
            leaf_hash(&[(i as u64).to_be_bytes().as_slice(), &[b]].concat())
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Step {
    /// Submit the checkpoint of `size` leaves of `branch` with an honest proof from `old`.
    Submit { branch: u8, size: usize, old: usize },
    /// The same, with one proof hash corrupted.
    Corrupt {
        branch: u8,
        size: usize,
        old: usize,
        which: usize,
    },
    /// Restart the witness.
    Reopen,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0u8..2, 0usize..40, 0usize..40).prop_map(|(branch, size, old)| Step::Submit { branch, size, old }),
        2 => (0u8..2, 1usize..40, 0usize..40, 0usize..8).prop_map(|(branch, size, old, which)| Step::Corrupt { branch, size, old, which }),
        1 => Just(Step::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_witness_cosigns_exactly_the_consistent_growing_sequence(
        fork_at in 1usize..30,
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let log = SigningKey::from_bytes(&[9; 32]);
        let log_key = VerifierKey::new(ORIGIN, log.verifying_key()).unwrap();
        let own: CosignerKey = init(dir.path(), "witness.test/w").unwrap();
        let open = || Witness::open(dir.path(), vec![WitnessedLog { key: log_key.clone() }]).unwrap();
        let mut witness = open();
        let branches = [leaves(40, 1, fork_at), leaves(40, 2, fork_at)];
        // The model: what the witness holds (branch, size).
        let mut held: Option<(u8, usize)> = None;
        let mut cosigned: Vec<(u8, usize)> = Vec::new();
        for (t, step) in steps.into_iter().enumerate() {
            let (branch, size, old, corrupt) = match step {
                Step::Reopen => { witness = open(); continue; }
                Step::Submit { branch, size, old } => (branch, size, old.min(size), None),
                Step::Corrupt { branch, size, old, which } => (branch, size, old.min(size), Some(which)),
            };
            let all = &branches[branch as usize][..size];
            let checkpoint = Checkpoint::new(ORIGIN, size as u64, root(all));
            let note = sign_checkpoint(&checkpoint, ORIGIN, &log).unwrap();
            let mut proof = consistency_proof(all, old as u64).unwrap();
            let corrupted = match corrupt {
                Some(which) if !proof.is_empty() => { let i = which % proof.len(); proof[i].0[0] ^= 1; true }
                _ => false,
            };
            let body = AddCheckpoint { old_size: old as u64, proof, checkpoint: note }.to_body();
            let answer = witness.add_checkpoint(&body, 1_000 + t as u64).unwrap();
            // The model's answer: the client must name the held size; a corrupted proof never
            // passes; growth must stay on the held branch (before the fork both are one).
            let held_size = held.map_or(0, |(_, s)| s);
            let same_history = |(b, s): (u8, usize)| s <= fork_at || b == branch;
            let expected = old == held_size
                && !corrupted
                && held.is_none_or(|h| h.1 <= size && (h.1 == 0 || same_history(h)));
            prop_assert_eq!(answer.is_ok(), expected, "step {} {:?}: {:?}", t, (branch, size, old, corrupted), answer);
            if let Ok(line) = answer {
                let cosignature = Cosignature::parse_line(line.trim_end()).unwrap();
                prop_assert!(cosignature.verify(&own, &checkpoint.body()).is_ok());
                // Not for another size or the other branch.
                let other = Checkpoint::new(ORIGIN, size as u64, root(&branches[1 - branch as usize][..size]));
                if other != checkpoint {
                    prop_assert!(cosignature.verify(&own, &other.body()).is_err());
                }
                held = Some((if size > fork_at { branch } else { held.map_or(branch, |h| h.0) }, size));
                cosigned.push((branch, size));
            }
        }
        // Everything cosigned is one chain: sizes never shrink, and past the fork one branch.
        for pair in cosigned.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].1);
        }
        let past_fork: std::collections::BTreeSet<u8> = cosigned.iter().filter(|(_, s)| *s > fork_at).map(|(b, _)| *b).collect();
        prop_assert!(past_fork.len() <= 1);
    }
}

#[test]
fn a_fork_is_refused_across_a_restart_and_kept_as_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let log = SigningKey::from_bytes(&[9; 32]);
    let log_key = VerifierKey::new(ORIGIN, log.verifying_key()).unwrap();
    init(dir.path(), "witness.test/w").unwrap();
    let logs = || {
        vec![WitnessedLog {
            key: log_key.clone(),
        }]
    };
    let a = leaves(10, 1, 5);
    let b = leaves(10, 2, 5);
    let submit = |witness: &Witness, all: &[Hash], old: usize| {
        let note = sign_checkpoint(
            &Checkpoint::new(ORIGIN, all.len() as u64, root(all)),
            ORIGIN,
            &log,
        )
        .unwrap();
        let proof = consistency_proof(all, old as u64).unwrap_or_default(); // none can exist from a larger size
        witness
            .add_checkpoint(
                &AddCheckpoint {
                    old_size: old as u64,
                    proof,
                    checkpoint: note,
                }
                .to_body(),
                7,
            )
            .unwrap()
    };
    let witness = Witness::open(dir.path(), logs()).unwrap();
    assert!(submit(&witness, &a, 0).is_ok());
    drop(witness);
    let witness = Witness::open(dir.path(), logs()).unwrap();
    let refused = submit(&witness, &b, 10).unwrap_err();
    assert_eq!(refused.status(), 422);
    let evidence = witness.evidence().unwrap();
    assert_eq!(evidence.len(), 1);
    let text = &evidence[0].1;
    assert!(
        text.contains(&coalition_ledger::checkpoint::Checkpoint::new(ORIGIN, 10, root(&a)).body())
    );
    assert!(
        text.contains(&coalition_ledger::checkpoint::Checkpoint::new(ORIGIN, 10, root(&b)).body())
    );
    // The honest branch still grows.
    let longer = leaves(12, 1, 5);
    assert!(submit(&witness, &longer, 10).is_ok());
    // A smaller tree than the one held is refused.
    assert_eq!(submit(&witness, &a[..8], 12).unwrap_err().status(), 400);
}
