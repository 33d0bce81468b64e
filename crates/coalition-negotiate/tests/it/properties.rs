//! Properties of the frontier, the bargaining solutions and the feasible set, checked by
//! brute force on small random negotiations.

use coalition_negotiate::bargaining;
use coalition_negotiate::feasible::{feasible_set, sticking_points};
use coalition_negotiate::frontier::pareto_frontier;
use coalition_negotiate::model::{
    Condition, Issue, Negotiation, Party, RedLine, RedLineKind, ValueFunction,
};
use coalition_negotiate::space::{Constraints, Tables};
use proptest::prelude::*;

use crate::support::{all_outcomes, dominates, feasible};

/// Random small negotiations. Values are multiples of 1/4 so that ties are common.
fn negotiation() -> impl Strategy<Value = Negotiation> {
    (1usize..=4, 2usize..=4)
        .prop_flat_map(|(n_issues, n_parties)| {
            (prop::collection::vec(1usize..=4, n_issues), Just(n_parties))
        })
        .prop_flat_map(|(sizes, n_parties)| {
            let n_issues = sizes.len();
            let party = {
                let sizes = sizes.clone();
                (
                    prop::collection::vec(0u8..=4, n_issues),
                    sizes
                        .iter()
                        .map(|&s| prop::collection::vec(0u8..=4, s))
                        .collect::<Vec<_>>(),
                    0u8..=3,
                    prop::bool::weighted(0.2),
                )
            };
            let red = (
                0..n_parties,
                prop::collection::vec((0..n_issues, 0usize..4), 1..=2),
            );
            (
                Just(sizes),
                prop::collection::vec(party, n_parties),
                prop::collection::vec(red, 0..=3),
            )
        })
        .prop_map(|(sizes, parties, reds)| {
            let issues = sizes
                .iter()
                .enumerate()
                .map(|(k, &s)| Issue::options(format!("i{k}"), (0..s).map(|o| format!("o{o}"))))
                .collect();
            let parties = parties
                .into_iter()
                .enumerate()
                .map(|(p, (w, vals, res, capped))| {
                    let mut party = Party::new(
                        format!("p{p}"),
                        w.iter().map(|&x| f64::from(x) / 4.0).collect(),
                        vals.iter()
                            .map(|v| {
                                ValueFunction::Table(
                                    v.iter().map(|&x| f64::from(x) / 4.0).collect(),
                                )
                            })
                            .collect(),
                    );
                    party.reservation = f64::from(res) / 4.0;
                    if capped {
                        party.cap = Some(1.0);
                    }
                    party
                })
                .collect();
            let red_lines = reds
                .into_iter()
                .map(|(party, conds)| {
                    let conditions: Vec<Condition> = conds
                        .into_iter()
                        .map(|(issue, o)| Condition {
                            issue,
                            options: vec![o % sizes[issue]],
                        })
                        .collect();
                    RedLine {
                        party,
                        kind: RedLineKind::ForbiddenCombination,
                        conditions,
                        label: String::new(),
                    }
                })
                .collect();
            Negotiation {
                issues,
                parties,
                red_lines,
                blocs: Vec::new(),
            }
        })
}

fn tables(neg: &Negotiation) -> Tables {
    let all: Vec<usize> = (0..neg.parties.len()).collect();
    Tables::new(neg, &all, Constraints::FEASIBLE)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_frontier_is_exactly_the_set_of_non_dominated_feasible_outcomes(neg in negotiation()) {
        let t = tables(&neg);
        let f = pareto_frontier(&t);
        let feasible_points: Vec<(Vec<u32>, Vec<f64>)> = all_outcomes(&t.sizes)
            .into_iter()
            .filter(|o| feasible(&neg, &t, o))
            .map(|o| { let u = t.utilities(&o); (o, u) })
            .collect();
        // Every frontier point is feasible and dominated by no feasible outcome.
        for i in 0..f.len() {
            prop_assert!(feasible(&neg, &t, f.outcome(i)), "infeasible frontier point {:?}", f.outcome(i));
            prop_assert_eq!(t.utilities(f.outcome(i)), f.utility(i).to_vec());
            for (o, u) in &feasible_points {
                prop_assert!(!dominates(u, f.utility(i)), "{:?} dominates frontier point {:?}", o, f.outcome(i));
            }
        }
        // Every feasible outcome is weakly dominated by some frontier point, and every
        // non-dominated feasible outcome is on the frontier (ties included).
        let on_frontier: Vec<&[u32]> = (0..f.len()).map(|i| f.outcome(i)).collect();
        for (o, u) in &feasible_points {
            let covered = (0..f.len()).any(|i| dominates(f.utility(i), u) || f.outcome(i) == o.as_slice());
            prop_assert!(covered, "feasible {:?} not weakly dominated by the frontier", o);
            let dominated = feasible_points.iter().any(|(_, v)| dominates(v, u));
            prop_assert_eq!(!dominated, on_frontier.contains(&o.as_slice()), "outcome {:?}", o);
        }
    }

    #[test]
    fn the_nash_point_maximises_the_product_of_gains_over_the_feasible_set(neg in negotiation()) {
        let t = tables(&neg);
        let f = pareto_frontier(&t);
        let s = bargaining::solve(&f, &t.reservation);
        let best = all_outcomes(&t.sizes)
            .into_iter()
            .filter(|o| feasible(&neg, &t, o))
            .map(|o| t.utilities(&o).iter().zip(&t.reservation).map(|(u, r)| (u - r).max(0.0)).product::<f64>())
            .fold(f64::NEG_INFINITY, f64::max);
        match s.nash {
            Some(n) => prop_assert!((n.value - best).abs() < 1e-9, "nash {} vs brute force {}", n.value, best),
            None => prop_assert!(best == f64::NEG_INFINITY, "no nash point but feasible outcomes exist"),
        }
        if let Some(u) = s.utilitarian {
            let best_sum = all_outcomes(&t.sizes)
                .into_iter()
                .filter(|o| feasible(&neg, &t, o))
                .map(|o| t.utilities(&o).iter().sum::<f64>())
                .fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((u.value - best_sum).abs() < 1e-9);
        }
    }

    #[test]
    fn the_feasible_set_is_counted_exactly_and_sticking_points_appear_only_when_it_is_empty(neg in negotiation()) {
        let t = tables(&neg);
        let brute: Vec<Vec<u32>> = all_outcomes(&t.sizes).into_iter().filter(|o| feasible(&neg, &t, o)).collect();
        let set = feasible_set(&t, 3, &mut |_, _| {});
        prop_assert_eq!(set.count, brute.len() as u128);
        prop_assert_eq!(&set.examples[..], &brute[..brute.len().min(3)]);
        let all: Vec<usize> = (0..neg.parties.len()).collect();
        let sp = sticking_points(&neg, &all);
        prop_assert_eq!(sp.is_some(), brute.is_empty());
        if let Some(sp) = sp {
            // Dropping exactly those constraints makes the witness acceptable ...
            let mut relaxed = neg.clone();
            for &p in &sp.reservations { relaxed.parties[p].reservation = f64::NEG_INFINITY; }
            let kept: Vec<RedLine> = relaxed.red_lines.iter().enumerate()
                .filter(|(i, _)| !sp.red_lines.contains(i)).map(|(_, r)| r.clone()).collect();
            relaxed.red_lines = kept;
            let rt = tables(&relaxed);
            prop_assert!(feasible(&relaxed, &rt, &sp.witness));
            // ... and no outcome needs fewer constraints dropped.
            for o in all_outcomes(&t.sizes) {
                let broken = neg.red_lines.iter().filter(|r| r.is_broken_by(&o)).count();
                let u = t.utilities(&o);
                let below = u.iter().zip(&t.reservation).filter(|(u, r)| **u < **r - 1e-12).count();
                prop_assert!(broken + below >= sp.size());
            }
        }
    }
}
