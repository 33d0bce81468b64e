//! Shared helpers: brute-force enumeration and paths to test data.

use std::path::PathBuf;

use coalition_negotiate::TOLERANCE;
use coalition_negotiate::model::Negotiation;
use coalition_negotiate::space::Tables;

/// Every outcome of the space in enumeration order (small spaces only).
pub(crate) fn all_outcomes(sizes: &[usize]) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new()];
    for &s in sizes {
        let mut next = Vec::with_capacity(out.len() * s);
        for o in &out {
            for v in 0..s as u32 {
                let mut w = o.clone();
                w.push(v);
                next.push(w);
            }
        }
        out = next;
    }
    out
}

/// Whether `outcome` breaks no red line of the table's parties and meets every reservation
/// value, checked directly on the model.
pub(crate) fn feasible(neg: &Negotiation, t: &Tables, outcome: &[u32]) -> bool {
    let u = t.utilities(outcome);
    let red_ok = neg
        .red_lines
        .iter()
        .filter(|r| t.parties.contains(&r.party))
        .all(|r| !r.is_broken_by(outcome));
    red_ok
        && u.iter()
            .zip(&t.reservation)
            .all(|(u, r)| *u >= r - TOLERANCE)
}

/// `a` dominates `b`: at least as good for everyone, strictly better for someone.
pub(crate) fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| *x >= y - TOLERANCE)
        && a.iter().zip(b).any(|(x, y)| *x > y + TOLERANCE)
}

/// The shared reference data, or `None` (after saying so) when `../shared` is absent; with
/// `REQUIRE_SHARED=1` (as `.ci/run` sets it) its absence fails the test instead.
pub(crate) fn shared(what: &str) -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/negotiation");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("REQUIRE_SHARED").as_deref() != Ok("1"),
        "REQUIRE_SHARED=1 but {} is missing ({what})",
        dir.display()
    );
    eprintln!("{what}: SKIPPED (no ../shared/testdata/negotiation next to the repository)");
    None
}

/// The repository's own test data folder.
pub(crate) fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/negotiate")
}
