//! The witness under kill -9: cycles of a witness process SIGKILLed at a random moment while a
//! client submits checkpoints of two forks of one log. Across every crash and restart it never
//! cosigns a checkpoint inconsistent with one it cosigned before (everything it cosigned is one
//! chain), and what it acknowledged is on disk when it comes back (the held size never falls
//! below the largest size it answered 200 for).
//!
//! `COALITION_WITNESS_CRASH_CYCLES` sets the number of cycles (default 6, bounded for CI);
//! `COALITION_WITNESS_CRASH_SEED` replays a run's moments.

use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use coalition_ledger::Hash;
use coalition_ledger::checkpoint::{Checkpoint, VerifierKey, sign_checkpoint};
use coalition_ledger::cosignature::{Cosignature, CosignerKey};
use coalition_ledger::merkle::{consistency_proof, leaf_hash, root};
use coalition_ledger::witness::{AddCheckpoint, parse_size_answer};
use ed25519_dalek::SigningKey;

use crate::support::*;
use crate::witness::try_add_checkpoint;

const LOG: &str = "crash-log";
const FORK_AT: usize = 20;
const MAX_SIZE: usize = 400;

/// xorshift64*: enough randomness for choosing moments and branches, seeded per run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn branch(b: u8) -> Vec<Hash> {
    (0..MAX_SIZE)
        .map(|i| {
            let tag = if i >= FORK_AT { b } else { 0 };
            leaf_hash(&[(i as u64).to_be_bytes().as_slice(), &[tag]].concat())
        })
        .collect()
}

fn start(env: &Env, state: &std::path::Path, log_key: &str) -> (Child, String) {
    use std::io::BufRead as _;
    let mut child = env
        .command()
        .args([
            "witness",
            "serve",
            "--log",
            LOG,
            "--log-key",
            log_key,
            "--addr",
            "127.0.0.1:0",
            "--state",
        ])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("witness serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut url = None;
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if let Some(u) = line.strip_prefix("listening on ") {
            url = Some(u.to_owned());
        }
        if line == "ready" {
            break;
        }
    }
    (child, url.expect("a URL"))
}

#[test]
fn a_witness_killed_during_add_checkpoint_never_cosigns_inconsistently() {
    let cycles: usize = std::env::var("COALITION_WITNESS_CRASH_CYCLES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(6);
    let env = Env::new();
    let state = env.root().join("witness");
    let own = env.ok(&[
        "witness",
        "init",
        "--state",
        path(&state),
        "--name",
        "witness.crash/w",
    ]);
    let own = CosignerKey::parse(own.trim()).unwrap();
    let log = SigningKey::from_bytes(&[42; 32]);
    let origin = format!("coalition/{LOG}");
    let log_key = VerifierKey::new(&origin, log.verifying_key())
        .unwrap()
        .to_string();
    let branches = Arc::new([branch(1), branch(2)]);
    // A fresh seed each run (printed, and settable to replay one).
    let seed = std::env::var("COALITION_WITNESS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).unwrap();
            u64::from_le_bytes(bytes)
        })
        | 1;
    eprintln!("witness crash test: seed {seed}, {cycles} cycles");
    let mut rng = Rng(seed);
    // Every acknowledged cosignature: (branch, size), in the order the answers came.
    let cosigned: Arc<Mutex<Vec<(u8, usize)>>> = Arc::default();
    let mut held_after_restart = Vec::new();
    for cycle in 0..cycles {
        let (mut child, url) = start(&env, &state, &log_key);
        let status = env.json(&["witness", "status", "--state", path(&state)]);
        let held = status["logs"]
            .get(0)
            .map_or(0, |l| l["size"].as_u64().unwrap() as usize);
        let acknowledged = cosigned
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.1)
            .max()
            .unwrap_or(0);
        assert!(
            held >= acknowledged,
            "cycle {cycle}: the witness came back holding {held}, but had acknowledged {acknowledged}"
        );
        held_after_restart.push(held);

        let client = {
            let (branches, cosigned, own, origin, log) = (
                branches.clone(),
                cosigned.clone(),
                own.clone(),
                origin.clone(),
                log.clone(),
            );
            let mut rng = Rng(rng.next() | 1);
            std::thread::spawn(move || {
                let mut old = held;
                let deadline = Instant::now() + Duration::from_secs(2);
                while Instant::now() < deadline {
                    let b = rng.below(2) as u8;
                    let size = (old + rng.below(8) as usize).clamp(1, MAX_SIZE);
                    let leaves = &branches[b as usize][..size];
                    let checkpoint = Checkpoint::new(origin.as_str(), size as u64, root(leaves));
                    let note = sign_checkpoint(&checkpoint, &origin, &log).unwrap();
                    let from = old.min(size);
                    let body = AddCheckpoint {
                        old_size: from as u64,
                        proof: consistency_proof(leaves, from as u64).unwrap(),
                        checkpoint: note,
                    }
                    .to_body();
                    let Ok((status, answer)) = try_add_checkpoint(&url, &body) else {
                        return; // killed under us
                    };
                    match status {
                        200 => {
                            let line = Cosignature::parse_line(answer.trim_end()).unwrap();
                            assert!(line.verify(&own, &checkpoint.body()).is_ok());
                            cosigned.lock().unwrap().push((b, size));
                            old = size;
                        }
                        409 => old = parse_size_answer(&answer).unwrap() as usize,
                        400 | 422 => {}
                        other => panic!("unexpected status {other}: {answer}"),
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(20 + rng.below(400)));
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let _ = client.join();
    }
    let cosigned = cosigned.lock().unwrap();
    assert!(
        cosigned.len() > cycles,
        "the client got cosignatures in most cycles: {}",
        cosigned.len()
    );
    // One chain: sizes never fall, and past the fork only one branch was ever cosigned.
    for pair in cosigned.windows(2) {
        assert!(pair[0].1 <= pair[1].1, "{pair:?}");
    }
    let past: std::collections::BTreeSet<u8> = cosigned
        .iter()
        .filter(|c| c.1 > FORK_AT)
        .map(|c| c.0)
        .collect();
    assert!(past.len() <= 1, "cosigned both forks: {past:?}");
}
