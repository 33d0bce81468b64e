//! The zone of possible agreement: outcomes that break no red line and leave every party at
//! or above its reservation value; and, when there is none, the sticking points.
//!
//! Both walk the outcome space depth first, one issue at a time, and cut every branch whose
//! bounds already decide it: a branch where some party cannot reach its reservation value
//! even with its best remaining options is dropped; a branch where every party is above its
//! reservation value even with its worst remaining options, and no red line can still be
//! broken, is counted in one step.

use std::ops::ControlFlow;

use crate::TOLERANCE;

/// A visitor of feasible outcomes: `(outcome, utilities)`; break to stop.
pub type Visit<'a> = &'a mut dyn FnMut(&[u32], &[f64]) -> ControlFlow<()>;
use crate::frontier::Progress;
use crate::model::Negotiation;
use crate::space::{LineState, Tables};

/// The feasible set: how many outcomes, and the first few in enumeration order.
#[derive(Debug, Clone, PartialEq)]
pub struct FeasibleSet {
    /// Number of feasible outcomes.
    pub count: u128,
    /// The first feasible outcomes in enumeration order (at most the limit asked for).
    pub examples: Vec<Vec<u32>>,
}

impl FeasibleSet {
    /// Whether no outcome is feasible.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Calls `visit(outcome, utilities)` for every feasible outcome of `tables`, in enumeration
/// order, until it returns `ControlFlow::Break`. Nothing is allocated per outcome.
pub fn for_each_feasible(
    tables: &Tables,
    mut visit: impl FnMut(&[u32], &[f64]) -> ControlFlow<()>,
) {
    let lines = LineState::new(tables);
    let mut walk = Walk::new(tables, &lines);
    let _ = walk.visit_all(0, &mut visit);
}

/// Counts the feasible outcomes of `tables` and keeps the first `limit` of them.
pub fn feasible_set(tables: &Tables, limit: usize, progress: Progress<'_>) -> FeasibleSet {
    let lines = LineState::new(tables);
    let mut walk = Walk::new(tables, &lines);
    let mut set = FeasibleSet {
        count: 0,
        examples: Vec::new(),
    };
    if !tables.has_allowed_options() {
        return set;
    }
    if tables.n_issues == 0 {
        let ok = tables.floor.iter().all(|f| 0.0 >= *f - TOLERANCE);
        set.count = u128::from(ok);
        if ok && limit > 0 {
            set.examples.push(Vec::new());
        }
        return set;
    }
    let top = tables.allowed[0].len() as u64;
    walk.count(0, limit, &mut set, &mut |done| progress(done, top));
    set
}

struct Walk<'a> {
    t: &'a Tables,
    lines: &'a LineState,
    outcome: Vec<u32>,
    /// Partial utilities per depth: `(k) * n .. (k+1) * n` holds the sum over issues `..k`.
    u: Vec<f64>,
    /// Red-line state per depth.
    state: Vec<u64>,
    /// Allowed outcomes from depth k on (product of allowed option counts).
    rest: Vec<u128>,
}

impl<'a> Walk<'a> {
    fn new(t: &'a Tables, lines: &'a LineState) -> Walk<'a> {
        let n = t.n_parties;
        let mut rest = vec![1u128; t.n_issues + 1];
        for k in (0..t.n_issues).rev() {
            rest[k] = rest[k + 1].saturating_mul(t.allowed[k].len() as u128);
        }
        Walk {
            t,
            lines,
            outcome: vec![0; t.n_issues],
            u: vec![0.0; (t.n_issues + 1) * n],
            state: vec![0; (t.n_issues + 1) * lines.words],
            rest,
        }
    }

    /// Assigns option `o` at depth `k`; returns false if a red line or a bound rules the
    /// branch out.
    fn step(&mut self, k: usize, o: u32) -> bool {
        let n = self.t.n_parties;
        let w = self.lines.words;
        let (before, after) = self.state.split_at_mut((k + 1) * w);
        after[..w].copy_from_slice(&before[k * w..]);
        if !self.lines.assign(&mut after[..w], k, o) {
            return false;
        }
        let c = self.t.contribution(k, o as usize);
        let ms = &self.t.max_suffix[(k + 1) * n..(k + 2) * n];
        for p in 0..n {
            let v = self.u[k * n + p] + c[p];
            if v + ms[p] < self.t.floor[p] - TOLERANCE {
                return false;
            }
            self.u[(k + 1) * n + p] = v;
        }
        self.outcome[k] = o;
        true
    }

    fn leaf_ok(&self) -> bool {
        let n = self.t.n_parties;
        let k = self.t.n_issues;
        (0..n).all(|p| self.u[k * n + p].min(self.t.cap[p]) >= self.t.floor[p] - TOLERANCE)
    }

    fn visit_all(&mut self, k: usize, visit: Visit<'_>) -> ControlFlow<()> {
        let n = self.t.n_parties;
        if k == self.t.n_issues {
            if self.leaf_ok() {
                let mut u = self.u[k * n..(k + 1) * n].to_vec();
                for (x, c) in u.iter_mut().zip(&self.t.cap) {
                    *x = x.min(*c);
                }
                return visit(&self.outcome, &u);
            }
            return ControlFlow::Continue(());
        }
        for i in 0..self.t.allowed[k].len() {
            let o = self.t.allowed[k][i];
            if self.step(k, o) {
                self.visit_all(k + 1, visit)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Whether every completion from depth `k` is feasible.
    fn settled(&self, k: usize) -> bool {
        let n = self.t.n_parties;
        let w = self.lines.words;
        let mins = &self.t.min_suffix[k * n..(k + 1) * n];
        (0..n).all(|p| {
            (self.u[k * n + p] + mins[p]).min(self.t.cap[p]) >= self.t.floor[p] - TOLERANCE
        }) && self
            .lines
            .all_settled(&self.state[k * w..(k + 1) * w], k, self.t)
    }

    fn count(&mut self, k: usize, limit: usize, set: &mut FeasibleSet, top: &mut dyn FnMut(u64)) {
        if k == self.t.n_issues {
            if self.leaf_ok() {
                set.count += 1;
                if set.examples.len() < limit {
                    set.examples.push(self.outcome.clone());
                }
            }
            return;
        }
        if set.examples.len() >= limit && self.settled(k) {
            set.count = set.count.saturating_add(self.rest[k]);
            return;
        }
        for i in 0..self.t.allowed[k].len() {
            let o = self.t.allowed[k][i];
            if self.step(k, o) {
                self.count(k + 1, limit, set, top);
            }
            if k == 0 {
                top(i as u64 + 1);
            }
        }
    }
}

/// Why no agreement is possible: the fewest constraints to drop to make the feasible set
/// non-empty.
#[derive(Debug, Clone, PartialEq)]
pub struct StickingPoints {
    /// Red lines (indices into `Negotiation::red_lines`) that must go.
    pub red_lines: Vec<usize>,
    /// Parties (model indices) whose reservation value must come down.
    pub reservations: Vec<usize>,
    /// An outcome that becomes feasible once those constraints go (the first in enumeration
    /// order among the cheapest).
    pub witness: Vec<u32>,
}

impl StickingPoints {
    /// How many constraints must go.
    pub fn size(&self) -> usize {
        self.red_lines.len() + self.reservations.len()
    }

    /// The issues involved (sorted).
    pub fn issues(&self, negotiation: &Negotiation) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .red_lines
            .iter()
            .flat_map(|&r| negotiation.red_lines[r].issues())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The parties involved (sorted).
    pub fn parties(&self, negotiation: &Negotiation) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .red_lines
            .iter()
            .map(|&r| negotiation.red_lines[r].party)
            .chain(self.reservations.iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// One red line compiled for the sticking-point search.
struct Line {
    id: usize,
    /// (issue, matching options), ascending by issue.
    conditions: Vec<(usize, Vec<bool>)>,
}

/// The smallest set of red lines and reservation values of `parties` whose removal makes some
/// outcome acceptable, found by branch and bound (minimum cardinality, so also minimal).
/// Returns `None` when the feasible set is already non-empty.
pub fn sticking_points(negotiation: &Negotiation, parties: &[usize]) -> Option<StickingPoints> {
    let t = Tables::new(negotiation, parties, crate::space::Constraints::NONE);
    let lines: Vec<Line> = negotiation
        .red_lines
        .iter()
        .enumerate()
        .filter(|(_, r)| parties.contains(&r.party))
        .map(|(id, r)| Line {
            id,
            conditions: r
                .issues()
                .into_iter()
                .filter(|&i| i < t.n_issues)
                .map(|i| {
                    let mut mask = vec![true; t.sizes[i]];
                    for c in r.conditions.iter().filter(|c| c.issue == i) {
                        for (o, m) in mask.iter_mut().enumerate() {
                            *m = *m && c.options.contains(&o);
                        }
                    }
                    (i, mask)
                })
                .collect(),
        })
        .collect();
    // Per issue: the lines with a condition there, and whether it is their last issue.
    let mut per_issue: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); t.n_issues];
    for (l, line) in lines.iter().enumerate() {
        let last = line.conditions.last().map_or(0, |c| c.0);
        for (ci, (issue, _)) in line.conditions.iter().enumerate() {
            per_issue[*issue].push((l, ci, *issue == last));
        }
    }
    let nl = lines.len();
    let mut search = Search {
        t: &t,
        lines: &lines,
        per_issue: &per_issue,
        outcome: vec![0; t.n_issues],
        alive: vec![true; (t.n_issues + 1) * nl],
        broken: Vec::new(),
        u: vec![0.0; (t.n_issues + 1) * t.n_parties],
        best_cost: usize::MAX,
        best: None,
    };
    search.run(0, 0);
    let (cost, witness, broken) = search.best?;
    if cost == 0 {
        return None;
    }
    let u = t.utilities(&witness);
    let reservations = (0..t.n_parties)
        .filter(|&p| u[p] < t.reservation[p] - TOLERANCE)
        .map(|p| parties[p])
        .collect();
    Some(StickingPoints {
        red_lines: broken,
        reservations,
        witness,
    })
}

struct Search<'a> {
    t: &'a Tables,
    lines: &'a [Line],
    per_issue: &'a [Vec<(usize, usize, bool)>],
    outcome: Vec<u32>,
    /// Per depth, per line: every assigned condition matched so far.
    alive: Vec<bool>,
    broken: Vec<usize>,
    /// Per depth, per party: utility summed over the assigned issues.
    u: Vec<f64>,
    best_cost: usize,
    best: Option<(usize, Vec<u32>, Vec<usize>)>,
}

impl Search<'_> {
    fn unreachable_reservations(&self, k: usize) -> usize {
        let n = self.t.n_parties;
        (0..n)
            .filter(|&p| {
                (self.u[k * n + p] + self.t.max_suffix[k * n + p]).min(self.t.cap[p])
                    < self.t.reservation[p] - TOLERANCE
            })
            .count()
    }

    fn run(&mut self, k: usize, cost: usize) {
        let bound = cost + self.unreachable_reservations(k);
        if bound >= self.best_cost {
            return;
        }
        if k == self.t.n_issues {
            let mut ids: Vec<usize> = self.broken.iter().map(|&l| self.lines[l].id).collect();
            ids.sort_unstable();
            self.best_cost = bound;
            self.best = Some((bound, self.outcome.clone(), ids));
            return;
        }
        let n = self.t.n_parties;
        let nl = self.lines.len();
        for o in 0..self.t.sizes[k] {
            self.alive.copy_within(k * nl..(k + 1) * nl, (k + 1) * nl);
            let mut newly_broken = 0;
            for &(l, ci, last) in &self.per_issue[k] {
                let slot = (k + 1) * nl + l;
                let now = self.alive[slot] && self.lines[l].conditions[ci].1[o];
                self.alive[slot] = now;
                if now && last {
                    newly_broken += 1;
                    self.broken.push(l);
                }
            }
            let c = self.t.contribution(k, o);
            for (p, c) in c.iter().enumerate() {
                self.u[(k + 1) * n + p] = self.u[k * n + p] + c;
            }
            self.outcome[k] = o as u32;
            self.run(k + 1, cost + newly_broken);
            for _ in 0..newly_broken {
                self.broken.pop();
            }
            if self.best_cost == 0 {
                return;
            }
        }
    }
}
