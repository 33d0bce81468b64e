//! Differential test against the `ct-merkle` crate, an independent RFC 6962 implementation: for
//! random trees, our roots and proofs are byte-for-byte ct-merkle's, and each side's verifier
//! accepts the other side's proofs.
//!
//! 10 000 cases by default; `PROPTEST_CASES=100000` runs the goal table's figure.

use coalition_ledger::Hash;
use coalition_ledger::merkle::{
    consistency_proof, empty_root, inclusion_proof, leaf_hash, root, verify_consistency,
    verify_inclusion,
};
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use proptest::prelude::*;
use sha2::Sha256;

type CtTree = MemoryBackedTree<Sha256, Vec<u8>>;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn to_ct(hash: &Hash) -> ct_merkle::digest::Output<Sha256> {
    hash.0.into()
}

fn concat(hashes: &[Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

fn from_bytes(bytes: &[u8]) -> Vec<Hash> {
    bytes
        .chunks(32)
        .map(|c| Hash(c.try_into().unwrap()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn roots_and_proofs_agree_with_ct_merkle(
        values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..40),
        index_seed in any::<u64>(),
        old_seed in any::<u64>(),
    ) {
        let mut ct = CtTree::new();
        for v in &values {
            ct.push(v.clone());
        }
        let leaves: Vec<Hash> = values.iter().map(|v| leaf_hash(v)).collect();
        let n = leaves.len() as u64;

        // Roots, including the empty tree's.
        let our_root = root(&leaves);
        let ct_tree_root = ct.root();
        prop_assert_eq!(ct_tree_root.as_bytes().as_slice(), our_root.as_bytes().as_slice());
        if n == 0 {
            prop_assert_eq!(our_root, empty_root());
            return Ok(());
        }
        let ct_root = RootHash::<Sha256>::new(to_ct(&our_root), n);

        // Inclusion: same bytes, and each verifier accepts the other's proof.
        let index = index_seed % n;
        let ours = inclusion_proof(&leaves, index).unwrap();
        let theirs = ct.prove_inclusion(index as usize);
        prop_assert_eq!(theirs.as_bytes().to_vec(), concat(&ours));
        let digests: Vec<_> = ours.iter().map(to_ct).collect();
        let ours_for_ct = InclusionProof::<Sha256>::from_digests(&digests);
        prop_assert!(ct_root.verify_inclusion(&values[index as usize], index, &ours_for_ct).is_ok());
        let theirs_for_us = from_bytes(theirs.as_bytes());
        prop_assert_eq!(verify_inclusion(index, n, &leaves[index as usize], &theirs_for_us, &our_root), Ok(()));

        // Consistency from every kind of prefix size 1..=n (ct-merkle has no size-0 proofs).
        let old = 1 + old_seed % n;
        let old_root = root(&leaves[..old as usize]);
        let ours = consistency_proof(&leaves, old).unwrap();
        let theirs = ct.prove_consistency((n - old) as usize);
        prop_assert_eq!(theirs.as_bytes().to_vec(), concat(&ours));
        let ct_old_root = RootHash::<Sha256>::new(to_ct(&old_root), old);
        let digests: Vec<_> = ours.iter().map(to_ct).collect();
        let ours_for_ct = ConsistencyProof::<Sha256>::from_digests(&digests);
        prop_assert!(ct_root.verify_consistency(&ct_old_root, &ours_for_ct).is_ok());
        let theirs_for_us = from_bytes(theirs.as_bytes());
        prop_assert_eq!(verify_consistency(old, n, &old_root, &our_root, &theirs_for_us), Ok(()));

        // A wrong old root is rejected by both: the verifiers agree on failure as well.
        let wrong_old = Hash::of(&[b"not the old root"]);
        prop_assert!(verify_consistency(old, n, &wrong_old, &our_root, &ours).is_err());
        let ct_wrong_old = RootHash::<Sha256>::new(to_ct(&wrong_old), old);
        prop_assert!(ct_root.verify_consistency(&ct_wrong_old, &ours_for_ct).is_err());
    }
}
