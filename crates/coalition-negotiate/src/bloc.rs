//! A bloc's common position and what its adversary could accept near it.
//!
//! 1. The bloc bargains alone: the Pareto frontier of the members' feasible set (their red
//!    lines and reservation values), and its Nash point (falling back to the egalitarian,
//!    then the utilitarian point when no outcome gives every member a gain).
//! 2. The neighbourhood of that position: every outcome that differs from it on at most
//!    `radius` issues.
//! 3. The zone of possible agreement with the adversary there: the neighbours that break no
//!    red line of the bloc or the adversary and leave everyone at or above their reservation
//!    value, best first by the Nash product of all parties' gains.
//! 4. When that zone is empty: what the position runs into (the red lines it breaks, the
//!    parties it leaves below their reservation value), the nearest acceptable outcome (fewest
//!    issues changed, then largest Nash product), and, when no outcome at all is acceptable,
//!    the sticking points: the fewest red lines and reservation values that must give.

use crate::TOLERANCE;
use std::ops::ControlFlow;

use crate::bargaining::{self, Solution, Solutions};
use crate::evaluate::{Evaluation, evaluate};
use crate::feasible::{self, StickingPoints};
use crate::frontier;
use crate::model::Negotiation;
use crate::space::{Constraints, Tables};

/// One outcome near the bloc's position that everyone could accept.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Option index per issue.
    pub outcome: Vec<u32>,
    /// Utilities of the bloc's members then the adversary.
    pub utilities: Vec<f64>,
    /// Nash product of gains over reservation values.
    pub nash_product: f64,
    /// Issues on which it differs from the bloc's position.
    pub changed: Vec<usize>,
}

/// The result of [`common_position`].
#[derive(Debug, Clone, PartialEq)]
pub struct BlocAnalysis {
    /// The bloc's index in `Negotiation::blocs`.
    pub bloc: usize,
    /// Model indices of the members, in the bloc's order.
    pub members: Vec<usize>,
    /// Points on the members' frontier.
    pub frontier_len: usize,
    /// The members' bargaining solutions.
    pub solutions: Solutions,
    /// The common position (`None` when the members' feasible set is empty).
    pub position: Option<Solution>,
    /// Which solution gave the position (`"nash"`, `"egalitarian"`, `"utilitarian"`).
    pub rule: &'static str,
    /// Sticking points among the members, when they cannot agree at all.
    pub bloc_sticking_points: Option<StickingPoints>,
    /// The adversary (model index).
    pub adversary: Option<usize>,
    /// How many outcomes the neighbourhood has.
    pub neighbourhood: usize,
    /// The acceptable neighbours, best first.
    pub zopa: Vec<Agreement>,
    /// What every party (bloc and adversary) makes of the position.
    pub evaluation: Option<Evaluation>,
    /// When `zopa` is empty: the acceptable outcome nearest to the position.
    pub nearest: Option<Agreement>,
    /// Sticking points between the bloc and the adversary when no outcome is acceptable.
    pub sticking_points: Option<StickingPoints>,
}

impl BlocAnalysis {
    /// The parties of the ZOPA's utility vectors: the members, then the adversary.
    pub fn parties(&self) -> Vec<usize> {
        self.members.iter().copied().chain(self.adversary).collect()
    }
}

/// Analyses bloc `bloc` of `negotiation` (see the module documentation).
pub fn common_position(
    negotiation: &Negotiation,
    bloc: usize,
    radius: usize,
) -> Option<BlocAnalysis> {
    let b = negotiation.blocs.get(bloc)?;
    let members = b.members.clone();
    let t = Tables::new(negotiation, &members, Constraints::FEASIBLE);
    let f = frontier::pareto_frontier(&t);
    let solutions = bargaining::solve(&f, &t.reservation);
    let (rule, position) = if let Some(s) = &solutions.nash {
        ("nash", Some(s.clone()))
    } else if let Some(s) = &solutions.egalitarian {
        ("egalitarian", Some(s.clone()))
    } else {
        ("utilitarian", solutions.utilitarian.clone())
    };
    let mut analysis = BlocAnalysis {
        bloc,
        members: members.clone(),
        frontier_len: f.len(),
        solutions,
        position,
        rule,
        bloc_sticking_points: None,
        adversary: b.adversary,
        neighbourhood: 0,
        zopa: Vec::new(),
        evaluation: None,
        nearest: None,
        sticking_points: None,
    };
    let Some(position) = analysis.position.clone() else {
        analysis.bloc_sticking_points = feasible::sticking_points(negotiation, &members);
        return Some(analysis);
    };
    let Some(adversary) = b.adversary else {
        return Some(analysis);
    };
    let mut all = members;
    if !all.contains(&adversary) {
        all.push(adversary);
    }
    let everyone = Tables::new(negotiation, &all, Constraints::FEASIBLE);
    let mut zopa = Vec::new();
    let mut count = 0;
    neighbours(&position.outcome, &everyone.sizes, radius, &mut |outcome| {
        count += 1;
        if everyone.is_feasible(negotiation, outcome) {
            let utilities = everyone.utilities(outcome);
            let nash_product = utilities
                .iter()
                .zip(&everyone.reservation)
                .map(|(u, r)| (u - r).max(0.0))
                .product();
            let changed = (0..outcome.len())
                .filter(|&k| outcome[k] != position.outcome[k])
                .collect();
            zopa.push(Agreement {
                outcome: outcome.to_vec(),
                utilities,
                nash_product,
                changed,
            });
        }
    });
    zopa.sort_by(|a, b| {
        if (a.nash_product - b.nash_product).abs() <= TOLERANCE {
            a.outcome.cmp(&b.outcome)
        } else {
            b.nash_product.total_cmp(&a.nash_product)
        }
    });
    analysis.neighbourhood = count;
    analysis.evaluation = Some(evaluate(negotiation, &position.outcome));
    if zopa.is_empty() {
        let mut best: Option<Agreement> = None;
        feasible::for_each_feasible(&everyone, |outcome, utilities| {
            let changed: Vec<usize> = (0..outcome.len())
                .filter(|&k| outcome[k] != position.outcome[k])
                .collect();
            let nash_product = utilities
                .iter()
                .zip(&everyone.reservation)
                .map(|(u, r)| (u - r).max(0.0))
                .product::<f64>();
            let better = best.as_ref().is_none_or(|b| {
                changed.len() < b.changed.len()
                    || (changed.len() == b.changed.len()
                        && nash_product > b.nash_product + TOLERANCE)
            });
            if better {
                best = Some(Agreement {
                    outcome: outcome.to_vec(),
                    utilities: utilities.to_vec(),
                    nash_product,
                    changed,
                });
            }
            ControlFlow::Continue(())
        });
        if best.is_none() {
            analysis.sticking_points = feasible::sticking_points(negotiation, &all);
        }
        analysis.nearest = best;
    }
    analysis.zopa = zopa;
    Some(analysis)
}

/// Calls `visit` for every outcome that differs from `center` on at most `radius` issues, in
/// enumeration order.
fn neighbours(center: &[u32], sizes: &[usize], radius: usize, visit: &mut dyn FnMut(&[u32])) {
    fn go(
        k: usize,
        left: usize,
        cur: &mut Vec<u32>,
        center: &[u32],
        sizes: &[usize],
        visit: &mut dyn FnMut(&[u32]),
    ) {
        if k == center.len() {
            visit(cur);
            return;
        }
        for o in 0..sizes[k] as u32 {
            let changes = o != center[k];
            if changes && left == 0 {
                continue;
            }
            cur[k] = o;
            go(
                k + 1,
                left - usize::from(changes),
                cur,
                center,
                sizes,
                visit,
            );
        }
        cur[k] = center[k];
    }
    let mut cur = center.to_vec();
    go(0, radius, &mut cur, center, sizes, visit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neighbourhood_of_radius_one_changes_one_issue_at_a_time() {
        let mut seen = Vec::new();
        neighbours(&[1, 0], &[3, 2], 1, &mut |o| seen.push(o.to_vec()));
        assert_eq!(seen, vec![vec![0, 0], vec![1, 0], vec![1, 1], vec![2, 0]]);
    }
}
