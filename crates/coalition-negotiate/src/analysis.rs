//! The standard analysis of a negotiation: the size of the space, the Pareto frontier of the
//! acceptable outcomes and the bargaining solutions on it, under one of two conventions.

use crate::bargaining::{self, Disagreement, Solutions};
use crate::frontier::{self, Frontier, FrontierScratch, Progress};
use crate::genius::Semantics;
use crate::model::Negotiation;
use crate::space::{Constraints, Tables};

/// Which outcomes the frontier is taken over and where gains are measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Drop outcomes below a reservation value before taking the frontier (NegMAS, and our
    /// scenarios); GENIUS keeps them.
    pub rational_only: bool,
    /// The disagreement point.
    pub disagreement: Disagreement,
}

impl AnalyzeOptions {
    /// Our scenarios: red lines and reservation values enforced, gains over reservation values.
    pub const SCENARIO: AnalyzeOptions = AnalyzeOptions {
        rational_only: true,
        disagreement: Disagreement::Reservation,
    };

    /// The conventions of the tool whose reading of GENIUS files `semantics` follows.
    pub fn for_semantics(semantics: Semantics) -> AnalyzeOptions {
        match semantics {
            Semantics::Genius => AnalyzeOptions {
                rational_only: false,
                disagreement: Disagreement::Reservation,
            },
            Semantics::Raw => AnalyzeOptions {
                rational_only: true,
                disagreement: Disagreement::ReservationOrMinimum,
            },
        }
    }
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Model indices of the parties analysed (utility vectors follow this order).
    pub parties: Vec<usize>,
    /// Size of the outcome space (saturating).
    pub outcomes: u128,
    /// The frontier.
    pub frontier: Frontier,
    /// The solutions on it.
    pub solutions: Solutions,
}

/// Analyses `parties` of `negotiation` (red lines always enforced).
pub fn analyze(
    negotiation: &Negotiation,
    parties: &[usize],
    options: AnalyzeOptions,
    progress: Progress<'_>,
) -> Analysis {
    let constraints = Constraints {
        red_lines: true,
        reservations: options.rational_only,
    };
    let tables = Tables::new(negotiation, parties, constraints);
    let frontier =
        frontier::pareto_frontier_with(&tables, &mut FrontierScratch::default(), progress);
    let whole = Tables::new(negotiation, parties, Constraints::NONE);
    let minimum: Vec<f64> = (0..parties.len())
        .map(|p| whole.utility_range(p).0.min(capped(&whole, p)))
        .collect();
    let d = bargaining::disagreement_point(options.disagreement, &tables.reservation, &minimum);
    let solutions = bargaining::solve(&frontier, &d);
    Analysis {
        parties: parties.to_vec(),
        outcomes: negotiation.outcome_count(),
        frontier,
        solutions,
    }
}

fn capped(t: &Tables, p: usize) -> f64 {
    t.cap.get(p).copied().unwrap_or(f64::INFINITY)
}
