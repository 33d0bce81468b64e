//! What a single proposal gives each party.

use crate::TOLERANCE;
use crate::model::Negotiation;
use crate::space::{Constraints, Tables};

/// One party's view of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyView {
    /// Model index of the party.
    pub party: usize,
    /// Its utility.
    pub utility: f64,
    /// Its reservation value.
    pub reservation: f64,
    /// Whether the utility is at least the reservation value.
    pub beats_reservation: bool,
    /// Its red lines (indices into `Negotiation::red_lines`) that the proposal breaks.
    pub broken: Vec<usize>,
}

/// The evaluation of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// One view per party, in model order.
    pub parties: Vec<PartyView>,
    /// Whether every party accepts it (no red line broken, every reservation value met).
    pub acceptable: bool,
}

/// Evaluates `outcome` (one option index per issue, checked by the caller) for every party.
pub fn evaluate(negotiation: &Negotiation, outcome: &[u32]) -> Evaluation {
    let all: Vec<usize> = (0..negotiation.parties.len()).collect();
    let t = Tables::new(negotiation, &all, Constraints::NONE);
    let u = t.utilities(outcome);
    let parties: Vec<PartyView> = all
        .iter()
        .map(|&p| {
            let broken = negotiation
                .red_lines
                .iter()
                .enumerate()
                .filter(|(_, r)| r.party == p && r.is_broken_by(outcome))
                .map(|(i, _)| i)
                .collect();
            let reservation = negotiation.parties[p].reservation;
            PartyView {
                party: p,
                utility: u[p],
                reservation,
                beats_reservation: u[p] >= reservation - TOLERANCE,
                broken,
            }
        })
        .collect();
    let acceptable = parties
        .iter()
        .all(|v| v.beats_reservation && v.broken.is_empty());
    Evaluation {
        parties,
        acceptable,
    }
}

/// Parses a proposal given as `issue=label` pairs (every issue exactly once).
pub fn parse_proposal(
    negotiation: &Negotiation,
    pairs: &[(String, String)],
) -> Result<Vec<u32>, String> {
    let mut outcome: Vec<Option<u32>> = vec![None; negotiation.issues.len()];
    for (issue, label) in pairs {
        let Some(k) = negotiation.issue_index(issue) else {
            let names: Vec<&str> = negotiation.issues.iter().map(|i| i.name.as_str()).collect();
            return Err(format!(
                "`{issue}` is not an issue; expected one of: {}",
                names.join(", ")
            ));
        };
        let Some(o) = negotiation.issues[k].option_index(label) else {
            return Err(format!(
                "issue `{issue}` has no option `{label}`; expected one of: {}",
                negotiation.issues[k].labels.join(", ")
            ));
        };
        if outcome[k].replace(o as u32).is_some() {
            return Err(format!("issue `{issue}` is given twice"));
        }
    }
    outcome
        .iter()
        .enumerate()
        .map(|(k, o)| {
            o.ok_or_else(|| format!("no option given for issue `{}`", negotiation.issues[k].name))
        })
        .collect()
}
