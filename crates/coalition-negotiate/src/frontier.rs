//! The exact Pareto frontier of the feasible set, for any number of parties, without
//! enumerating the outcome space.
//!
//! Utilities are additive, so the utility vector of an outcome is the sum of one vector per
//! issue. If a partial outcome (issues `0..k` assigned) is strictly dominated by another
//! partial outcome whose constraints look the same to the remaining issues, every completion of
//! the first is strictly dominated by the same completion of the second. Issues are therefore
//! merged one at a time (a Minkowski sum), and after each merge the dominated partial outcomes
//! are dropped:
//!
//! * partial outcomes are grouped by the state of the red lines that span several issues (a
//!   bit per red line: "every assigned condition matched so far"), and dominance is only
//!   applied within a group;
//! * a partial outcome whose optimistic bound (what it has plus the most each party can still
//!   gain) misses some party's reservation value is dropped (reservation values are
//!   upward-closed, so dominance stays valid);
//! * when a cap (GENIUS's "utility at most 1") can bind, a strict advantage only counts where
//!   the dominated partial outcome cannot reach the cap any more.
//!
//! Memory grows with the frontiers of the partial outcomes, not with the space. Outcomes with
//! identical utility vectors are all kept. Utilities closer than [`crate::TOLERANCE`] are
//! treated as equal.

use std::cmp::Ordering;

use crate::TOLERANCE;
use crate::dominance::{DominanceTree, prunes};
use crate::space::{LineState, Tables};

/// Every non-dominated feasible outcome with its utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// Parties per utility vector.
    pub n_parties: usize,
    /// Issues per outcome.
    pub n_issues: usize,
    /// Flat: `n_issues` option indices per point.
    pub outcomes: Vec<u32>,
    /// Flat: `n_parties` utilities per point (after any cap).
    pub utilities: Vec<f64>,
    /// Utilities closer than this were treated as equal.
    pub tolerance: f64,
}

impl Frontier {
    /// Number of frontier points.
    pub fn len(&self) -> usize {
        self.utilities
            .len()
            .checked_div(self.n_parties)
            .unwrap_or(0)
    }

    /// Whether there is no frontier point (the feasible set is empty).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The option indices of point `i`.
    pub fn outcome(&self, i: usize) -> &[u32] {
        &self.outcomes[i * self.n_issues..(i + 1) * self.n_issues]
    }

    /// The utilities of point `i`.
    pub fn utility(&self, i: usize) -> &[f64] {
        &self.utilities[i * self.n_parties..(i + 1) * self.n_parties]
    }
}

/// Reusable buffers for [`pareto_frontier_with`]: pass the same scratch to repeated calls to
/// avoid reallocating.
#[derive(Debug, Default)]
pub struct FrontierScratch {
    cand_u: Vec<f64>,
    cand_key: Vec<u64>,
    cand_parent: Vec<u32>,
    cand_option: Vec<u32>,
    order: Vec<u32>,
    archive: Vec<u32>,
    kept: Vec<u32>,
    key: Vec<u64>,
    tree: DominanceTree,
}

/// Progress of a long computation: `(steps done, steps in total)`.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// The Pareto frontier of the feasible set of `tables` (see the module documentation).
pub fn pareto_frontier(tables: &Tables) -> Frontier {
    pareto_frontier_with(tables, &mut FrontierScratch::default(), &mut |_, _| {})
}

/// [`pareto_frontier`] with caller-owned scratch space and a progress callback (called once per
/// merged issue).
pub fn pareto_frontier_with(
    tables: &Tables,
    scratch: &mut FrontierScratch,
    progress: Progress<'_>,
) -> Frontier {
    let n = tables.n_parties;
    let n_issues = tables.n_issues;
    let order = tables.merge_order();
    let (outcomes, count) = if order.iter().enumerate().all(|(k, &o)| k == o) {
        merge_issues(tables, scratch, progress)
    } else {
        let (merged, count) = merge_issues(&tables.reordered(&order), scratch, progress);
        let mut outcomes = vec![0u32; merged.len()];
        for e in 0..count {
            for (k, &issue) in order.iter().enumerate() {
                outcomes[e * n_issues + issue] = merged[e * n_issues + k];
            }
        }
        (outcomes, count)
    };
    // Utilities summed in issue order whatever the merge order, as every analysis sums them
    // (the merge's sums may differ in the last bit), then capped.
    let mut utilities = vec![0.0; count * n];
    for e in 0..count {
        tables.utilities_into(
            &outcomes[e * n_issues..(e + 1) * n_issues],
            &mut utilities[e * n..(e + 1) * n],
        );
    }
    let mut frontier = Frontier {
        n_parties: n,
        n_issues,
        outcomes,
        utilities,
        tolerance: TOLERANCE,
    };
    if tables.has_binding_cap() {
        // After capping, some kept points may tie or be dominated: filter once more, exactly.
        let zeros = vec![0.0; n];
        let no_cap = vec![f64::INFINITY; n];
        nondominated(
            &frontier.utilities,
            &[],
            count,
            n,
            0,
            &zeros,
            &no_cap,
            &mut scratch.order,
            &mut scratch.archive,
            &mut scratch.kept,
            &mut scratch.tree,
        );
        frontier = select(&frontier, &scratch.kept);
    }
    sort_points(&mut frontier);
    frontier
}

/// The merge itself, in the issue order of `tables`: the outcomes kept (`n_issues` option
/// indices each) and how many there are.
fn merge_issues(
    tables: &Tables,
    scratch: &mut FrontierScratch,
    progress: Progress<'_>,
) -> (Vec<u32>, usize) {
    let n = tables.n_parties;
    let n_issues = tables.n_issues;
    let lines = LineState::new(tables);
    let words = lines.words;
    let tol = TOLERANCE;

    // The current layer: partial outcomes over issues 0..k.
    let mut cur_u: Vec<f64> = vec![0.0; n];
    let mut cur_key: Vec<u64> = vec![0; words];
    let mut cur_len: usize = 1;
    let mut history: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(n_issues);

    for k in 0..n_issues {
        let ms = &tables.max_suffix[(k + 1) * n..(k + 2) * n];
        let s = &mut *scratch;
        s.cand_u.clear();
        s.cand_key.clear();
        s.cand_parent.clear();
        s.cand_option.clear();
        s.key.resize(words, 0);
        for e in 0..cur_len {
            let base_u = &cur_u[e * n..(e + 1) * n];
            let base_key = &cur_key[e * words..(e + 1) * words];
            'option: for &o in &tables.allowed[k] {
                s.key.copy_from_slice(base_key);
                if !lines.assign(&mut s.key, k, o) {
                    continue;
                }
                let c = tables.contribution(k, o as usize);
                for p in 0..n {
                    if base_u[p] + c[p] + ms[p] < tables.floor[p] - tol {
                        continue 'option;
                    }
                }
                for p in 0..n {
                    s.cand_u.push(base_u[p] + c[p]);
                }
                s.cand_key.extend_from_slice(&s.key);
                s.cand_parent.push(e as u32);
                s.cand_option.push(o);
            }
        }
        let count = s.cand_parent.len();
        nondominated(
            &s.cand_u,
            &s.cand_key,
            count,
            n,
            words,
            ms,
            &tables.cap,
            &mut s.order,
            &mut s.archive,
            &mut s.kept,
            &mut s.tree,
        );
        let mut next_u = Vec::with_capacity(s.kept.len() * n);
        let mut next_key = Vec::with_capacity(s.kept.len() * words);
        let mut parents = Vec::with_capacity(s.kept.len());
        let mut options = Vec::with_capacity(s.kept.len());
        for &i in &s.kept {
            let i = i as usize;
            next_u.extend_from_slice(&s.cand_u[i * n..(i + 1) * n]);
            next_key.extend_from_slice(&s.cand_key[i * words..(i + 1) * words]);
            parents.push(s.cand_parent[i]);
            options.push(s.cand_option[i]);
        }
        cur_len = parents.len();
        cur_u = next_u;
        cur_key = next_key;
        history.push((parents, options));
        progress(k as u64 + 1, n_issues as u64);
        if cur_len == 0 {
            break;
        }
    }

    if history.len() != n_issues {
        return (Vec::new(), 0);
    }
    // Reconstruct the outcomes by walking the parent links back.
    let mut outcomes = vec![0u32; cur_len * n_issues];
    for e in 0..cur_len {
        let mut idx = e;
        for k in (0..n_issues).rev() {
            let (parents, options) = &history[k];
            outcomes[e * n_issues + k] = options[idx];
            idx = parents[idx] as usize;
        }
    }
    (outcomes, cur_len)
}

fn select(f: &Frontier, keep: &[u32]) -> Frontier {
    let mut out = Frontier {
        n_parties: f.n_parties,
        n_issues: f.n_issues,
        outcomes: Vec::with_capacity(keep.len() * f.n_issues),
        utilities: Vec::with_capacity(keep.len() * f.n_parties),
        tolerance: f.tolerance,
    };
    for &i in keep {
        out.outcomes.extend_from_slice(f.outcome(i as usize));
        out.utilities.extend_from_slice(f.utility(i as usize));
    }
    out
}

/// Orders the points by the first party's utility (highest first), then by the other
/// parties' utilities, then by enumeration order of the outcome.
fn sort_points(f: &mut Frontier) {
    let len = f.len();
    let mut idx: Vec<u32> = (0..len as u32).collect();
    idx.sort_by(|&a, &b| {
        let (ua, ub) = (f.utility(a as usize), f.utility(b as usize));
        for (x, y) in ua.iter().zip(ub) {
            match y.partial_cmp(x) {
                Some(Ordering::Equal) | None => {}
                Some(o) => return o,
            }
        }
        f.outcome(a as usize).cmp(f.outcome(b as usize))
    });
    *f = select(f, &idx);
}

/// Writes into `kept` the candidates not pruned by another candidate of the same key group,
/// group by group.
///
/// Two parties without caps: a sweep in lexicographically descending order of utilities (a
/// point can only be pruned by one before it or level with it, and kept points before it are
/// ordered on the second utility too). More parties, or caps: each group's candidates go into
/// a [`DominanceTree`], and a candidate is kept when no candidate of its group prunes it; the
/// queries follow the tree's leaf order, which puts neighbours together as the tree's
/// pruning cache wants, so no sort on the utilities is needed.
#[allow(clippy::too_many_arguments)]
fn nondominated(
    u: &[f64],
    keys: &[u64],
    count: usize,
    n: usize,
    words: usize,
    ms: &[f64],
    cap: &[f64],
    order: &mut Vec<u32>,
    archive: &mut Vec<u32>,
    kept: &mut Vec<u32>,
    tree: &mut DominanceTree,
) {
    kept.clear();
    order.clear();
    order.extend(0..count as u32);
    let key_of = |i: u32| &keys[i as usize * words..(i as usize + 1) * words];
    let util = |i: u32| &u[i as usize * n..(i as usize + 1) * n];
    let cap_free = cap.iter().all(|c| c.is_infinite());
    let fast2 = n == 2 && cap_free;
    if !fast2 {
        if words > 0 {
            order.sort_unstable_by(|&a, &b| key_of(a).cmp(key_of(b)).then(a.cmp(&b)));
        }
        for group in order.chunk_by(|&a, &b| key_of(a) == key_of(b)) {
            tree.rebuild(u, n, group);
            archive.clear();
            archive.extend_from_slice(tree.ids());
            kept.extend(
                archive
                    .iter()
                    .copied()
                    .filter(|&p| !tree.prunes_any(util(p), ms, cap)),
            );
        }
        return;
    }
    order.sort_unstable_by(|&a, &b| {
        key_of(a).cmp(key_of(b)).then_with(|| {
            for (x, y) in util(a).iter().zip(util(b)) {
                match y.partial_cmp(x) {
                    Some(Ordering::Equal) | None => {}
                    Some(o) => return o,
                }
            }
            a.cmp(&b)
        })
    });
    const GONE: u32 = u32::MAX;
    let mut start = 0;
    while start < order.len() {
        let group_key = key_of(order[start]);
        let mut end = start + 1;
        while end < order.len() && key_of(order[end]) == group_key {
            end += 1;
        }
        archive.clear();
        let mut hint = usize::MAX;
        for &p in &order[start..end] {
            let pu = util(p);
            // 1. Is p pruned by a kept point? Try the last successful one first, then scan
            //    from the most recent kept point backwards.
            let mut dominated = false;
            if hint < archive.len()
                && archive[hint] != GONE
                && prunes(util(archive[hint]), pu, ms, cap)
            {
                dominated = true;
            }
            if !dominated {
                for (pos, &q) in archive.iter().enumerate().rev() {
                    if q == GONE {
                        continue;
                    }
                    let qu = util(q);
                    if fast2 && qu[1] < pu[1] - 2.0 * TOLERANCE {
                        // Kept points are in decreasing order of the first utility, so
                        // earlier ones have an even lower second utility.
                        break;
                    }
                    if prunes(qu, pu, ms, cap) {
                        dominated = true;
                        hint = pos;
                        break;
                    }
                }
            }
            if dominated {
                continue;
            }
            // 2. Drop kept points that p prunes: only those level with p on the first
            //    utility can be (the rest are ahead by more than the tolerance).
            for q in archive.iter_mut().rev() {
                if *q == GONE {
                    continue;
                }
                let qu = util(*q);
                if qu[0] > pu[0] + TOLERANCE {
                    break;
                }
                if prunes(pu, qu, ms, cap) {
                    *q = GONE;
                }
            }
            archive.push(p);
        }
        kept.extend(archive.iter().copied().filter(|&q| q != GONE));
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Issue, Negotiation, Party, ValueFunction};
    use crate::space::Constraints;

    fn two_party(a: Vec<f64>, b: Vec<f64>) -> Negotiation {
        let m = a.len();
        Negotiation {
            issues: vec![Issue::options("x", (0..m).map(|i| format!("o{i}")))],
            parties: vec![
                Party::new("A", vec![1.0], vec![ValueFunction::Table(a)]),
                Party::new("B", vec![1.0], vec![ValueFunction::Table(b)]),
            ],
            ..Negotiation::default()
        }
    }

    #[test]
    fn dominated_options_are_dropped_and_equal_vectors_are_all_kept() {
        let neg = two_party(vec![1.0, 0.5, 0.4, 0.5], vec![0.0, 0.5, 0.4, 0.5]);
        let t = Tables::new(&neg, &[0, 1], Constraints::FEASIBLE);
        let f = pareto_frontier(&t);
        let outs: Vec<u32> = (0..f.len()).map(|i| f.outcome(i)[0]).collect();
        assert_eq!(outs, vec![0, 1, 3]);
    }

    #[test]
    fn a_cap_turns_a_strict_advantage_above_one_into_a_tie() {
        let mut neg = two_party(vec![1.2, 1.1, 0.2], vec![0.0, 0.0, 0.0]);
        let f = pareto_frontier(&Tables::new(&neg, &[0, 1], Constraints::NONE));
        assert_eq!(f.len(), 1);
        neg.parties[0].cap = Some(1.0);
        let f = pareto_frontier(&Tables::new(&neg, &[0, 1], Constraints::NONE));
        assert_eq!(f.len(), 2, "both outcomes above 1 become 1 and tie");
        assert_eq!(f.utility(1), &[1.0, 0.0]);
    }
}
