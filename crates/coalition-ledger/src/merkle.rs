//! The log as a Merkle tree: RFC 9162 §2.1 hashing, inclusion and consistency proofs.
//!
//! The ledger stores one leaf hash per event, so everything here works on leaf *hashes*
//! ([`leaf_hash`] turns a leaf's bytes into one). Proofs are generated straight from the stored
//! leaf hashes by the recursive definitions of RFC 9162 §2.1.3.1 (`PATH`) and §2.1.4.1
//! (`PROOF`/`SUBPROOF`); they are verified by the step-by-step algorithms of §2.1.3.2 and
//! §2.1.4.2, written here as the RFC states them so that a reader can check them line by line.
//! Generation and verification are independent code paths, and the tests run both against the
//! `ct-merkle` crate and the reference vectors of the Go implementation.

use crate::hash::Hash;

/// The domain-separation byte in front of a leaf's data (RFC 9162 §2.1.1).
const LEAF_PREFIX: u8 = 0x00;
/// The domain-separation byte in front of two child hashes (RFC 9162 §2.1.1).
const NODE_PREFIX: u8 = 0x01;

/// Why a proof could not be generated or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// An inclusion proof was asked for, or checked, at an index the tree does not have.
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange {
        /// The index that was asked for.
        index: u64,
        /// The size of the tree.
        size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one was asked for or checked.
    #[error("old tree size {old_size} is larger than the new tree size {new_size}")]
    OldSizeTooLarge {
        /// The size of the older tree.
        old_size: u64,
        /// The size of the newer tree.
        new_size: u64,
    },
    /// The proof has hashes left over after the path reached the root.
    #[error("the proof is too long: {extra} hash(es) left over after reaching the root")]
    ProofTooLong {
        /// How many hashes were not used.
        extra: usize,
    },
    /// The proof ran out before the path reached the root.
    #[error("the proof is too short: it ends before the path reaches the root")]
    ProofTooShort,
    /// Two trees of different sizes need at least one hash to connect them (RFC 9162
    /// §2.1.4.2 step 1).
    #[error("a consistency proof between sizes {old_size} and {new_size} cannot be empty")]
    EmptyProof {
        /// The size of the older tree.
        old_size: u64,
        /// The size of the newer tree.
        new_size: u64,
    },
    /// Nothing needs proving (equal sizes, or an empty old tree), yet the proof has hashes.
    #[error("sizes {old_size} -> {new_size} need an empty proof, found {len} hash(es)")]
    ProofNotEmpty {
        /// The size of the older tree.
        old_size: u64,
        /// The size of the newer tree.
        new_size: u64,
        /// How many hashes the proof had.
        len: usize,
    },
    /// A tree of size 0 was given a root other than SHA-256 of the empty string.
    #[error("a tree of size 0 has the root {expected}, not {found}")]
    NotTheEmptyRoot {
        /// SHA-256 of the empty string.
        expected: Hash,
        /// The root that was given.
        found: Hash,
    },
    /// Two tree heads of the same size name different roots.
    #[error("two trees of size {size} have different roots {old_root} and {new_root}")]
    RootsDiffer {
        /// The common size.
        size: u64,
        /// The root of the first tree head.
        old_root: Hash,
        /// The root of the second tree head.
        new_root: Hash,
    },
    /// The root computed from an inclusion proof is not the expected root.
    #[error("the inclusion proof leads to root {computed}, not {expected}")]
    RootMismatch {
        /// The root the proof leads to.
        computed: Hash,
        /// The root that was expected.
        expected: Hash,
    },
    /// The consistency proof does not lead back to the old root.
    #[error("the consistency proof leads to old root {computed}, not {expected}")]
    OldRootMismatch {
        /// The old root the proof leads to.
        computed: Hash,
        /// The old root that was expected.
        expected: Hash,
    },
    /// The consistency proof does not lead to the new root.
    #[error("the consistency proof leads to new root {computed}, not {expected}")]
    NewRootMismatch {
        /// The new root the proof leads to.
        computed: Hash,
        /// The new root that was expected.
        expected: Hash,
    },
    /// The tree has more leaves than this machine can address.
    #[error("a tree of {0} leaves does not fit in memory on this machine")]
    TooLarge(u64),
}

/// The hash of one leaf: SHA-256(0x00 || data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    Hash::of(&[&[LEAF_PREFIX], data])
}

/// The hash of an interior node: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Hash::of(&[&[NODE_PREFIX], left.as_bytes(), right.as_bytes()])
}

/// The root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Hash::of(&[])
}

/// The Merkle Tree Hash of the tree whose leaves have the hashes `leaves`, in order.
pub fn root(leaves: &[Hash]) -> Hash {
    if leaves.is_empty() {
        empty_root()
    } else {
        subtree_root(leaves)
    }
}

/// MTH over a non-empty slice of leaf hashes. The recursion is as deep as the tree
/// (at most 64 levels) and hashes each interior node once, with no allocation.
fn subtree_root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [single] => *single,
        _ => {
            let k = split_point(leaves.len());
            node_hash(&subtree_root(&leaves[..k]), &subtree_root(&leaves[k..]))
        }
    }
}

/// The largest power of two smaller than `n` (n ≥ 2): where RFC 9162 splits a tree of n leaves.
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The audit path of the leaf at `index`, lowest level first (RFC 9162 §2.1.3.1, `PATH`).
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProofError> {
    let size = leaves.len() as u64;
    let position = usize::try_from(index)
        .ok()
        .filter(|&i| i < leaves.len())
        .ok_or(ProofError::IndexOutOfRange { index, size })?;
    // A path has one hash per level, so 64 is always enough and the Vec never grows.
    let mut path = Vec::with_capacity(64);
    push_path(leaves, position, &mut path);
    Ok(path)
}

/// PATH(m, D[n]): the path of the subtree below, then the sibling subtree's root.
fn push_path(leaves: &[Hash], m: usize, out: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split_point(leaves.len());
    if m < k {
        push_path(&leaves[..k], m, out);
        out.push(subtree_root(&leaves[k..]));
    } else {
        push_path(&leaves[k..], m - k, out);
        out.push(subtree_root(&leaves[..k]));
    }
}

/// The proof that the tree of the first `old_size` leaves is a prefix of the tree of all
/// `leaves` (RFC 9162 §2.1.4.1, `PROOF`). It is empty when `old_size` is 0 or equals the tree
/// size: nothing needs proving then.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, ProofError> {
    let new_size = leaves.len() as u64;
    if old_size > new_size {
        return Err(ProofError::OldSizeTooLarge { old_size, new_size });
    }
    let mut proof = Vec::with_capacity(64);
    if old_size == 0 {
        return Ok(proof);
    }
    // old_size ≤ leaves.len(), so it fits in usize.
    let m = usize::try_from(old_size).map_err(|_| ProofError::TooLarge(old_size))?;
    push_subproof(leaves, m, true, &mut proof);
    Ok(proof)
}

/// SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1. `whole` (the RFC's `b`) says whether the subtree
/// of m leaves is the whole old tree, whose root the verifier already holds.
fn push_subproof(leaves: &[Hash], m: usize, whole: bool, out: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !whole {
            out.push(subtree_root(leaves));
        }
        return;
    }
    let k = split_point(n);
    if m <= k {
        push_subproof(&leaves[..k], m, whole, out);
        out.push(subtree_root(&leaves[k..]));
    } else {
        push_subproof(&leaves[k..], m - k, false, out);
        out.push(subtree_root(&leaves[..k]));
    }
}

/// Checks that `leaf_hash` is the leaf at `index` of the tree of `tree_size` leaves with root
/// `root`, by the algorithm of RFC 9162 §2.1.3.2.
pub fn verify_inclusion(
    index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    // Step 1.
    if index >= tree_size {
        return Err(ProofError::IndexOutOfRange {
            index,
            size: tree_size,
        });
    }
    // Steps 2 and 3.
    let mut f_n = index;
    let mut s_n = tree_size - 1;
    let mut r = *leaf_hash;
    // Step 4.
    for (used, p) in proof.iter().enumerate() {
        // 4a.
        if s_n == 0 {
            return Err(ProofError::ProofTooLong {
                extra: proof.len() - used,
            });
        }
        // 4b.
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        // 4c.
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 5.
    if s_n != 0 {
        return Err(ProofError::ProofTooShort);
    }
    if r != *root {
        return Err(ProofError::RootMismatch {
            computed: r,
            expected: *root,
        });
    }
    Ok(())
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a prefix of the tree of
/// `new_size` leaves with root `new_root`, by the algorithm of RFC 9162 §2.1.4.2.
///
/// Two cases the RFC leaves out are settled here, both needing an empty proof: equal sizes are
/// consistent when the roots are equal, and the empty tree (whose root must be SHA-256 of the
/// empty string) is a prefix of every tree.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::OldSizeTooLarge { old_size, new_size });
    }
    if old_size == 0 || old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::ProofNotEmpty {
                old_size,
                new_size,
                len: proof.len(),
            });
        }
        if old_size == 0 && *old_root != empty_root() {
            return Err(ProofError::NotTheEmptyRoot {
                expected: empty_root(),
                found: *old_root,
            });
        }
        if old_size == new_size && old_root != new_root {
            return Err(ProofError::RootsDiffer {
                size: old_size,
                old_root: *old_root,
                new_root: *new_root,
            });
        }
        return Ok(());
    }
    // From here on 0 < old_size < new_size, the case RFC 9162 §2.1.4.2 is written for.
    // Step 1.
    let Some((first, rest)) = proof.split_first() else {
        return Err(ProofError::EmptyProof { old_size, new_size });
    };
    // Step 2: when the old tree is a complete subtree, its root is the path's first element;
    // rather than copy the proof to prepend it, start the walk from it.
    let (seed, path) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        (first, rest)
    };
    // Step 3.
    let mut f_n = old_size - 1;
    let mut s_n = new_size - 1;
    // Step 4.
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 5.
    let mut f_r = *seed;
    let mut s_r = *seed;
    // Step 6.
    for (used, c) in path.iter().enumerate() {
        // 6a.
        if s_n == 0 {
            return Err(ProofError::ProofTooLong {
                extra: path.len() - used,
            });
        }
        // 6b.
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        // 6c.
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 7.
    if s_n != 0 {
        return Err(ProofError::ProofTooShort);
    }
    if f_r != *old_root {
        return Err(ProofError::OldRootMismatch {
            computed: f_r,
            expected: *old_root,
        });
    }
    if s_r != *new_root {
        return Err(ProofError::NewRootMismatch {
            computed: s_r,
            expected: *new_root,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The eight leaves of the reference tree used by RFC 6962 implementations (the
    /// Go and C++ Certificate Transparency code), as hex.
    const REFERENCE_LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];

    /// The published roots of the first 1..=8 of those leaves.
    const REFERENCE_ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    fn reference_leaves() -> Vec<Hash> {
        REFERENCE_LEAVES
            .iter()
            .map(|h| leaf_hash(&hex::decode(h).unwrap()))
            .collect()
    }

    fn h(hex: &str) -> Hash {
        Hash::from_hex(hex).unwrap()
    }

    #[test]
    fn roots_of_the_reference_leaves_are_the_published_roots() {
        let leaves = reference_leaves();
        for (n, expected) in REFERENCE_ROOTS.iter().enumerate() {
            assert_eq!(root(&leaves[..=n]), h(expected), "tree of {} leaves", n + 1);
        }
        assert_eq!(
            root(&[]).to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn published_proofs_are_generated_and_verify() {
        let leaves = reference_leaves();
        // The inclusion proof of the sixth leaf (index 5) in the tree of 8 and the 6 -> 8
        // consistency proof, as published with the reference tree.
        let inclusion = inclusion_proof(&leaves, 5).unwrap();
        assert_eq!(
            inclusion,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
            .map(h)
        );
        verify_inclusion(5, 8, &leaves[5], &inclusion, &h(REFERENCE_ROOTS[7])).unwrap();

        let consistency = consistency_proof(&leaves, 6).unwrap();
        assert_eq!(
            consistency,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
            .map(h)
        );
        verify_consistency(
            6,
            8,
            &h(REFERENCE_ROOTS[5]),
            &h(REFERENCE_ROOTS[7]),
            &consistency,
        )
        .unwrap();
    }

    #[test]
    fn split_point_is_the_largest_power_of_two_below_n() {
        for n in 2..2000usize {
            let k = split_point(n);
            assert!(
                k.is_power_of_two() && k < n && 2 * k >= n,
                "n = {n}, k = {k}"
            );
        }
    }

    #[test]
    fn generation_refuses_impossible_requests() {
        let leaves = reference_leaves();
        assert_eq!(
            inclusion_proof(&leaves, 8),
            Err(ProofError::IndexOutOfRange { index: 8, size: 8 })
        );
        assert!(inclusion_proof(&[], 0).is_err());
        assert_eq!(
            consistency_proof(&leaves[..3], 4),
            Err(ProofError::OldSizeTooLarge {
                old_size: 4,
                new_size: 3
            })
        );
        assert_eq!(consistency_proof(&leaves, 0), Ok(vec![]));
        assert_eq!(consistency_proof(&leaves, 8), Ok(vec![]));
    }

    #[test]
    fn the_trivial_consistency_cases_are_settled() {
        let leaves = reference_leaves();
        let r3 = root(&leaves[..3]);
        let r8 = root(&leaves);
        // The empty tree is a prefix of everything, but only under its own root.
        verify_consistency(0, 8, &empty_root(), &r8, &[]).unwrap();
        verify_consistency(0, 0, &empty_root(), &empty_root(), &[]).unwrap();
        assert!(matches!(
            verify_consistency(0, 8, &r3, &r8, &[]),
            Err(ProofError::NotTheEmptyRoot { .. })
        ));
        assert!(matches!(
            verify_consistency(0, 8, &empty_root(), &r8, &[r3]),
            Err(ProofError::ProofNotEmpty { .. })
        ));
        // Equal sizes need equal roots and nothing else.
        verify_consistency(3, 3, &r3, &r3, &[]).unwrap();
        assert!(matches!(
            verify_consistency(3, 3, &r3, &r8, &[]),
            Err(ProofError::RootsDiffer { .. })
        ));
        assert!(matches!(
            verify_consistency(3, 3, &r3, &r3, &[r3]),
            Err(ProofError::ProofNotEmpty { .. })
        ));
        // Different sizes need a proof.
        assert!(matches!(
            verify_consistency(3, 8, &r3, &r8, &[]),
            Err(ProofError::EmptyProof { .. })
        ));
        assert!(matches!(
            verify_consistency(8, 3, &r8, &r3, &[]),
            Err(ProofError::OldSizeTooLarge { .. })
        ));
    }

    #[test]
    fn errors_say_which_check_failed() {
        let leaves = reference_leaves();
        let r8 = root(&leaves);
        let mut proof = inclusion_proof(&leaves, 2).unwrap();
        proof.push(r8);
        assert_eq!(
            verify_inclusion(2, 8, &leaves[2], &proof, &r8),
            Err(ProofError::ProofTooLong { extra: 1 })
        );
        proof.truncate(2);
        assert_eq!(
            verify_inclusion(2, 8, &leaves[2], &proof, &r8),
            Err(ProofError::ProofTooShort)
        );
        let proof = inclusion_proof(&leaves, 2).unwrap();
        assert!(matches!(
            verify_inclusion(2, 8, &leaves[3], &proof, &r8),
            Err(ProofError::RootMismatch { .. })
        ));
        let r5 = root(&leaves[..5]);
        let proof = consistency_proof(&leaves, 5).unwrap();
        assert!(matches!(
            verify_consistency(5, 8, &r8, &r8, &proof),
            Err(ProofError::OldRootMismatch { .. })
        ));
        assert!(matches!(
            verify_consistency(5, 8, &r5, &r5, &proof),
            Err(ProofError::NewRootMismatch { .. })
        ));
    }
}
