//! Bargaining solutions picked from a Pareto frontier.
//!
//! All of them are searched on the frontier (each has an optimum there). Ties: objective
//! values within [`crate::TOLERANCE`] of the best count as equal, and among equals the outcome
//! that comes first in enumeration order wins (first issue's first option first).
//!
//! * **Nash**: maximise the product of gains `u_i - d_i` over the points where every party
//!   gains at least nothing (`u_i >= d_i`).
//! * **Kalai–Smorodinsky** (the literature's and NegMAS's reading): equalise normalised gains
//!   `(u_i - d_i) / (ideal_i - d_i)`, i.e. minimise their spread (max minus min), over the same
//!   points; `ideal_i` is party `i`'s best utility on the frontier.
//! * **Kalai–Smorodinsky, GENIUS's reading**: minimise the sum over pairs of `|u_i - u_j|` on
//!   raw utilities over the whole frontier (GENIUS `BidSpace.getKalaiSmorodinsky`).
//! * **Utilitarian**: maximise the sum of utilities over the whole frontier.
//! * **Egalitarian**: maximise the smallest gain `min_i (u_i - d_i)` over the points where
//!   every party gains at least nothing.

use crate::TOLERANCE;
use crate::frontier::Frontier;

/// One chosen point.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Index of the point in the frontier.
    pub index: usize,
    /// Option index per issue.
    pub outcome: Vec<u32>,
    /// Utility per party.
    pub utilities: Vec<f64>,
    /// The objective's value at the point (product, spread, sum or minimum).
    pub value: f64,
}

/// The bargaining solutions of one frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Solutions {
    /// Nash bargaining solution.
    pub nash: Option<Solution>,
    /// Kalai–Smorodinsky (normalised gains, as in the literature and NegMAS).
    pub kalai_smorodinsky: Option<Solution>,
    /// Kalai–Smorodinsky as GENIUS computes it (least pairwise utility difference).
    pub kalai_smorodinsky_genius: Option<Solution>,
    /// Largest sum of utilities.
    pub utilitarian: Option<Solution>,
    /// Largest smallest gain.
    pub egalitarian: Option<Solution>,
    /// The disagreement point used.
    pub disagreement: Vec<f64>,
    /// Each party's best utility on the frontier.
    pub ideal: Vec<f64>,
}

/// Which disagreement point the gains are measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disagreement {
    /// Each party's reservation value (GENIUS).
    Reservation,
    /// The reservation value, or the party's lowest utility in the space when that is higher
    /// (NegMAS).
    ReservationOrMinimum,
}

/// Computes every solution on `frontier`, measuring gains from `disagreement`.
pub fn solve(frontier: &Frontier, disagreement: &[f64]) -> Solutions {
    let n = frontier.n_parties;
    let len = frontier.len();
    let mut ideal = vec![f64::NEG_INFINITY; n];
    for i in 0..len {
        for (m, u) in ideal.iter_mut().zip(frontier.utility(i)) {
            *m = m.max(*u);
        }
    }
    let d = disagreement;
    let rational = |u: &[f64]| u.iter().zip(d).all(|(u, d)| *u >= *d - TOLERANCE);

    let nash = best(frontier, true, |u| {
        rational(u).then(|| u.iter().zip(d).map(|(u, d)| (u - d).max(0.0)).product())
    });
    let ks = best(frontier, false, |u| {
        rational(u).then(|| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for j in 0..n {
                let range = ideal[j] - d[j];
                let a = if range.abs() > TOLERANCE {
                    (u[j] - d[j]) / range
                } else {
                    u[j] - d[j]
                };
                lo = lo.min(a);
                hi = hi.max(a);
            }
            hi - lo
        })
    });
    let ks_genius = best(frontier, false, |u| {
        let mut s = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                s += (u[i] - u[j]).abs();
            }
        }
        Some(s)
    });
    let utilitarian = best(frontier, true, |u| Some(u.iter().sum()));
    let egalitarian = best(frontier, true, |u| {
        rational(u).then(|| {
            u.iter()
                .zip(d)
                .map(|(u, d)| u - d)
                .fold(f64::INFINITY, f64::min)
        })
    });
    Solutions {
        nash,
        kalai_smorodinsky: ks,
        kalai_smorodinsky_genius: ks_genius,
        utilitarian,
        egalitarian,
        disagreement: d.to_vec(),
        ideal,
    }
}

/// The disagreement point for `rule`, given reservation values and each party's lowest
/// utility in the space.
pub fn disagreement_point(rule: Disagreement, reservation: &[f64], minimum: &[f64]) -> Vec<f64> {
    match rule {
        Disagreement::Reservation => reservation.to_vec(),
        Disagreement::ReservationOrMinimum => reservation
            .iter()
            .zip(minimum)
            .map(|(r, m)| if r >= m { *r } else { *m })
            .collect(),
    }
}

/// The point with the best objective (`maximise` or minimise); `None` objectives are skipped.
fn best(
    frontier: &Frontier,
    maximise: bool,
    objective: impl Fn(&[f64]) -> Option<f64>,
) -> Option<Solution> {
    let values: Vec<Option<f64>> = (0..frontier.len())
        .map(|i| objective(frontier.utility(i)).filter(|v| v.is_finite()))
        .collect();
    let target = values
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| if maximise { a.max(b) } else { a.min(b) })?;
    let index = (0..frontier.len())
        .filter(|&i| {
            values[i].is_some_and(|v| {
                if maximise {
                    v >= target - TOLERANCE
                } else {
                    v <= target + TOLERANCE
                }
            })
        })
        .min_by(|&a, &b| frontier.outcome(a).cmp(frontier.outcome(b)))?;
    Some(Solution {
        index,
        outcome: frontier.outcome(index).to_vec(),
        utilities: frontier.utility(index).to_vec(),
        value: values[index].unwrap_or(target),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frontier(points: &[(f64, f64)]) -> Frontier {
        Frontier {
            n_parties: 2,
            n_issues: 1,
            outcomes: (0..points.len() as u32).collect(),
            utilities: points.iter().flat_map(|&(a, b)| [a, b]).collect(),
            tolerance: TOLERANCE,
        }
    }

    #[test]
    fn nash_maximises_the_product_of_gains_over_the_disagreement_point() {
        let f = frontier(&[(1.0, 0.1), (0.7, 0.6), (0.5, 0.8), (0.1, 1.0)]);
        let s = solve(&f, &[0.0, 0.0]);
        assert_eq!(s.nash.unwrap().outcome, vec![1]);
        // Moving the disagreement point towards party B favours B.
        let s = solve(&f, &[0.0, 0.5]);
        assert_eq!(s.nash.unwrap().outcome, vec![2]);
    }

    #[test]
    fn the_two_kalai_smorodinsky_readings_can_differ() {
        // Party A's best is 1.0, B's best is 0.5: normalised gains are equal at (0.6, 0.3),
        // while raw utilities are closest at (0.45, 0.45).
        let f = frontier(&[(1.0, 0.0), (0.6, 0.3), (0.45, 0.45), (0.0, 0.5)]);
        let s = solve(&f, &[0.0, 0.0]);
        assert_eq!(s.kalai_smorodinsky.unwrap().outcome, vec![1]);
        assert_eq!(s.kalai_smorodinsky_genius.unwrap().outcome, vec![2]);
    }

    #[test]
    fn ties_go_to_the_outcome_first_in_enumeration_order() {
        let mut f = frontier(&[(0.5, 0.5), (0.5, 0.5)]);
        f.outcomes = vec![7, 3];
        let s = solve(&f, &[0.0, 0.0]);
        assert_eq!(s.utilitarian.unwrap().outcome, vec![3]);
    }

    #[test]
    fn no_nash_point_when_nobody_can_gain() {
        let f = frontier(&[(0.2, 0.9), (0.9, 0.2)]);
        let s = solve(&f, &[0.5, 0.5]);
        assert!(s.nash.is_none());
        assert!(s.utilitarian.is_some());
    }
}
