//! Exhaustive corruption probes (RELIABILITY row 2): for every tree size 1..=N, every leaf index
//! and every pair of sizes, the generated proof verifies and every corrupted variant of it is
//! rejected. Each corrupted variant states something false (the leaves are distinct), so an
//! acceptance is a soundness bug.
//!
//! Not probed: the tree size off by one. A proof does not always pin the size down exactly
//! (the path of leaf 0 is the same in trees of 7 and 8 leaves, so a proof against the root of
//! 7 also "verifies" for size 8 with that same root). That is a property of RFC 9162 proofs, not
//! a flaw: the size and the root come together from a signed checkpoint, never separately.
//!
//! N is 64 by default; `COALITION_MERKLE_PROBE_N=256` (or the ignored test
//! `probes_up_to_256`) runs the full size of the goal table.

use coalition_ledger::Hash;
use coalition_ledger::merkle::{
    ProofError, consistency_proof, empty_root, inclusion_proof, leaf_hash, root,
    verify_consistency, verify_inclusion,
};

const DEFAULT_N: u64 = 64;

fn probe_limit() -> u64 {
    std::env::var("COALITION_MERKLE_PROBE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_N)
}

/// A hash that is no root, leaf or node of the test tree.
fn stranger(tag: &str) -> Hash {
    Hash::of(&[b"not in the tree: ", tag.as_bytes()])
}

/// Flips one bit of `hash`; which bit depends on `salt`, so the run covers every byte and bit.
fn flip(hash: &Hash, salt: usize) -> Hash {
    let mut bytes = hash.0;
    bytes[salt % 32] ^= 1 << (salt % 8);
    Hash(bytes)
}

/// The proof variants every proof gets: each element altered, removed or doubled, and hashes
/// put in front and behind.
fn proof_variants(proof: &[Hash], salt: usize, extras: &[Hash]) -> Vec<(String, Vec<Hash>)> {
    let mut out = Vec::new();
    for k in 0..proof.len() {
        let mut p = proof.to_vec();
        p[k] = flip(&p[k], salt + 7 * k);
        out.push((format!("bit flipped in element {k}"), p));
        let mut p = proof.to_vec();
        p.remove(k);
        out.push((format!("element {k} removed"), p));
        let mut p = proof.to_vec();
        p.insert(k, stranger("inserted"));
        out.push((format!("stranger inserted at {k}"), p));
        let mut p = proof.to_vec();
        p.insert(k, proof[k]);
        out.push((format!("element {k} doubled"), p));
    }
    if !proof.is_empty() {
        out.push(("truncated".into(), proof[..proof.len() - 1].to_vec()));
        out.push(("emptied".into(), Vec::new()));
        let mut p = proof.to_vec();
        p.swap(0, proof.len() - 1);
        if p != proof {
            out.push(("first and last swapped".into(), p));
        }
    }
    for (i, extra) in extras.iter().chain([&Hash::GENESIS]).enumerate() {
        let mut p = proof.to_vec();
        p.push(*extra);
        out.push((format!("extended by extra {i}"), p));
        let mut p = vec![*extra];
        p.extend_from_slice(proof);
        out.push((format!("preceded by extra {i}"), p));
    }
    out
}

struct Report {
    genuine: usize,
    probes: usize,
    failures: Vec<String>,
}

impl Report {
    fn new() -> Self {
        Report {
            genuine: 0,
            probes: 0,
            failures: Vec::new(),
        }
    }

    fn genuine(&mut self, what: String, result: Result<(), ProofError>) {
        self.genuine += 1;
        if let Err(e) = result {
            self.fail(format!("{what}: genuine proof rejected: {e}"));
        }
    }

    fn probe(&mut self, what: &dyn Fn() -> String, result: Result<(), ProofError>) {
        self.probes += 1;
        if result.is_ok() {
            self.fail(format!("{}: corrupted proof ACCEPTED", what()));
        }
    }

    fn fail(&mut self, message: String) {
        if self.failures.len() < 30 {
            self.failures.push(message);
        }
    }
}

fn tree(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

fn inclusion_probes(limit: u64) -> Report {
    let leaves = tree(limit);
    let mut report = Report::new();
    for n in 1..=limit {
        let tree = &leaves[..n as usize];
        let r = root(tree);
        for i in 0..n {
            let leaf = tree[i as usize];
            let proof = inclusion_proof(tree, i).unwrap();
            report.genuine(
                format!("inclusion {i} in {n}"),
                verify_inclusion(i, n, &leaf, &proof, &r),
            );
            let at = |what: &str| format!("inclusion {i} in {n}, {what}");
            for (what, index, size) in [
                ("index - 1", i.wrapping_sub(1), n),
                ("index + 1", i + 1, n),
                ("index ^ 2", i ^ 2, n),
                ("size * 2", i, n * 2),
                ("size / 2", i, n / 2),
            ] {
                report.probe(
                    &|| at(what),
                    verify_inclusion(index, size, &leaf, &proof, &r),
                );
            }
            let neighbour = leaves[((i + 1) % limit) as usize];
            for (what, l, root) in [
                ("wrong leaf", stranger("leaf"), r),
                ("neighbour's leaf", neighbour, r),
                ("root as leaf", r, r),
                ("empty root", leaf, empty_root()),
                ("random root", leaf, stranger("root")),
                ("zero root", leaf, Hash::GENESIS),
                ("root of size - 1", leaf, root_or_empty(&leaves, n - 1)),
            ] {
                if what == "root as leaf" && n == 1 {
                    continue; // In a one-leaf tree the leaf is the root: that is true, not a probe.
                }
                report.probe(&|| at(what), verify_inclusion(i, n, &l, &proof, &root));
            }
            for (what, p) in proof_variants(&proof, (n + i) as usize, &[r, leaf]) {
                report.probe(&|| at(&what), verify_inclusion(i, n, &leaf, &p, &r));
            }
        }
    }
    report
}

fn root_or_empty(leaves: &[Hash], n: u64) -> Hash {
    root(&leaves[..n as usize])
}

fn consistency_probes(limit: u64) -> Report {
    let leaves = tree(limit);
    let roots: Vec<Hash> = (0..=limit).map(|n| root_or_empty(&leaves, n)).collect();
    let mut report = Report::new();
    for n in 1..=limit {
        let tree = &leaves[..n as usize];
        let r2 = roots[n as usize];
        // The two trivial cases first: from the empty tree, and from a tree to itself.
        let empty = consistency_proof(tree, 0).unwrap();
        report.genuine(
            format!("0 -> {n}"),
            verify_consistency(0, n, &empty_root(), &r2, &empty),
        );
        report.probe(
            &|| format!("0 -> {n}, non-empty proof"),
            verify_consistency(0, n, &empty_root(), &r2, &[r2]),
        );
        report.probe(
            &|| format!("0 -> {n}, wrong old root"),
            verify_consistency(0, n, &r2, &r2, &[]),
        );
        let same = consistency_proof(tree, n).unwrap();
        report.genuine(
            format!("{n} -> {n}"),
            verify_consistency(n, n, &r2, &r2, &same),
        );
        report.probe(
            &|| format!("{n} -> {n}, non-empty proof"),
            verify_consistency(n, n, &r2, &r2, &[r2]),
        );
        report.probe(
            &|| format!("{n} -> {n}, other root"),
            verify_consistency(n, n, &r2, &roots[n as usize - 1], &[]),
        );

        for m in 1..n {
            let r1 = roots[m as usize];
            let proof = consistency_proof(tree, m).unwrap();
            report.genuine(
                format!("{m} -> {n}"),
                verify_consistency(m, n, &r1, &r2, &proof),
            );
            let at = |what: &str| format!("{m} -> {n}, {what}");
            for (what, size1, size2) in [
                ("size1 - 1", m - 1, n),
                ("size1 + 1", m + 1, n),
                ("size1 ^ 2", m ^ 2, n),
                ("size1 * 2", m * 2, n),
                ("size2 * 2", m, n * 2),
                ("size2 / 2", m, n / 2),
                ("sizes swapped", n, m),
            ] {
                report.probe(
                    &|| at(what),
                    verify_consistency(size1, size2, &r1, &r2, &proof),
                );
            }
            for (what, root1, root2) in [
                ("wrong root1", stranger("root1"), r2),
                ("wrong root2", r1, stranger("root2")),
                ("swapped roots", r2, r1),
                ("root2 twice", r2, r2),
                ("root1 twice", r1, r1),
                ("empty root1", empty_root(), r2),
                ("root1 of size1 - 1", roots[m as usize - 1], r2),
                ("root2 of size2 - 1", r1, roots[n as usize - 1]),
            ] {
                report.probe(
                    &|| at(what),
                    verify_consistency(m, n, &root1, &root2, &proof),
                );
            }
            for (what, p) in proof_variants(&proof, (n * 3 + m) as usize, &[r1, r2]) {
                report.probe(&|| at(&what), verify_consistency(m, n, &r1, &r2, &p));
            }
        }
    }
    report
}

fn assert_clean(kind: &str, limit: u64, report: &Report) {
    println!(
        "{kind}: sizes 1..={limit}: {} genuine proofs verified, {} corrupted variants rejected",
        report.genuine, report.probes
    );
    assert!(
        report.failures.is_empty(),
        "{kind} failures (first 30):\n{}",
        report.failures.join("\n")
    );
}

#[test]
fn every_inclusion_proof_verifies_and_every_corruption_is_rejected() {
    let limit = probe_limit();
    let report = inclusion_probes(limit);
    assert_eq!(report.genuine as u64, limit * (limit + 1) / 2);
    assert_clean("inclusion", limit, &report);
}

#[test]
fn every_consistency_proof_verifies_and_every_corruption_is_rejected() {
    let limit = probe_limit();
    let report = consistency_probes(limit);
    assert_eq!(report.genuine as u64, limit * (limit + 1) / 2 + limit);
    assert_clean("consistency", limit, &report);
}

#[test]
#[ignore = "the full size of the goal table; slow in a debug build"]
fn probes_up_to_256() {
    assert_clean("inclusion", 256, &inclusion_probes(256));
    assert_clean("consistency", 256, &consistency_probes(256));
}
