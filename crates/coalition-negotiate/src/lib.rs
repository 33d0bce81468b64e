//! What could be agreed?
//!
//! This crate models a multi-issue negotiation (issues with options or numeric steps, parties
//! with additive utilities, reservation values and red lines, blocs) and answers the questions
//! negotiators ask of it:
//!
//! * [`evaluate`]: what does a proposal give each party, which red lines does it break?
//! * [`feasible`]: the zone of possible agreement, and when it is empty the sticking points;
//! * [`frontier`]: the exact Pareto frontier for any number of parties, without enumerating
//!   the outcome space;
//! * [`bargaining`]: Nash, Kalai–Smorodinsky (two readings), utilitarian and egalitarian
//!   points;
//! * [`bloc`]: a bloc's common position and what its adversary could accept near it;
//! * [`forecast`]: the compromise model and the Stokman–Van Oosten exchange model as
//!   implemented in `decide-exchange-model`.
//!
//! It reads the field's formats: GENIUS/ANAC XML domains and profiles ([`genius`]), decide's
//! exchange-model CSV ([`decide_csv`]) and the `[negotiation]` table of our scenario TOML
//! ([`scenario`]). Readers take text and a file name (for messages); the crate does no other
//! I/O, has no async, and depends on no other crate of the workspace.
//!
//! It does **not** simulate negotiation protocols or agents (offers, concessions over time),
//! nor does it handle non-additive utilities or continuous issues.
//!
//! ```
//! use coalition_negotiate::model::{Issue, Negotiation, Party, ValueFunction};
//! use coalition_negotiate::space::{Constraints, Tables};
//! use coalition_negotiate::{bargaining, frontier};
//!
//! let neg = Negotiation {
//!     issues: vec![
//!         Issue::numeric("years", 0.0, 50.0, 5.0).unwrap(),
//!         Issue::options("force", ["yes", "no"]),
//!     ],
//!     parties: vec![
//!         Party::new("UKR", vec![0.7, 0.3], vec![
//!             ValueFunction::Linear { at_min: 0.0, at_max: 1.0 },
//!             ValueFunction::Table(vec![1.0, 0.0]),
//!         ]),
//!         Party::new("USA", vec![0.8, 0.2], vec![
//!             ValueFunction::Peaked { peak: 15.0, at_min: 0.2, at_max: 0.0 },
//!             ValueFunction::Table(vec![0.3, 1.0]),
//!         ]),
//!     ],
//!     ..Negotiation::default()
//! };
//! let tables = Tables::new(&neg, &[0, 1], Constraints::FEASIBLE);
//! let front = frontier::pareto_frontier(&tables);
//! let nash = bargaining::solve(&front, &tables.reservation).nash.unwrap();
//! // The Nash point: 15 years, with a reassurance force.
//! assert_eq!(neg.issues[0].labels[nash.outcome[0] as usize], "15");
//! assert_eq!(neg.issues[1].labels[nash.outcome[1] as usize], "yes");
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod analysis;
pub mod bargaining;
pub mod bloc;
pub mod decide_csv;
pub mod document;
mod dominance;
pub mod error;
pub mod evaluate;
pub mod feasible;
pub mod forecast;
pub mod frontier;
pub mod gap;
pub mod genius;
pub mod model;
pub mod report;
pub mod scenario;
pub mod space;

pub use error::{ModelError, ReadError};

/// Utilities (and objective values) closer than this are treated as equal.
pub const TOLERANCE: f64 = 1e-12;
