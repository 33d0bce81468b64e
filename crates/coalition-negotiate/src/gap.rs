//! Where the parties stand apart: for each issue, the two parties whose preferred options are
//! furthest apart, in words ("donbas: RUS demands “surrender of the fortress belt”, UKR offers
//! “demilitarised zone with mutual withdrawal”").
//!
//! A party's preferred option on an issue is the one its value function rates highest among
//! the options its own single-issue red lines leave (the first such option on a tie); parties
//! that give the issue no weight have none. Options sit on the issue's scale: the numbers of
//! a numeric issue, the option's place in the list otherwise. The widest gap is the pair of
//! preferred options furthest apart (on a tie, the pair with the larger weights on the issue,
//! then the first in party order). Of the two, the party further from the middle ground
//! (the mean preferred position, weighted by weight on the issue × power) *asks* (numeric) or
//! *demands*; the other *offers*: it is the nearer to where a deal would land.

use crate::model::{Negotiation, format_number};

/// One party's preferred option on an issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preference {
    /// Model index of the party.
    pub party: usize,
    /// The option it prefers.
    pub option: usize,
}

/// The widest gap on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueGap {
    /// The issue.
    pub issue: usize,
    /// The party further from the middle ground, and what it asks for.
    pub asks: Preference,
    /// The party nearer to it, and what it offers.
    pub offers: Preference,
}

impl IssueGap {
    /// The gap in words: "duration: UKR asks 50 years, RUS offers 0" for a numeric issue
    /// (`unit` after the first number), "force: FRA demands “yes”, RUS offers “no”"
    /// otherwise.
    pub fn describe(&self, negotiation: &Negotiation, unit: Option<&str>) -> String {
        let issue = &negotiation.issues[self.issue];
        let party = |p: Preference| negotiation.parties[p.party].name.as_str();
        match &issue.values {
            Some(values) => {
                let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
                format!(
                    "{}: {} asks {}{unit}, {} offers {}",
                    issue.name,
                    party(self.asks),
                    format_number(values[self.asks.option]),
                    party(self.offers),
                    format_number(values[self.offers.option]),
                )
            }
            None => format!(
                "{}: {} demands “{}”, {} offers “{}”",
                issue.name,
                party(self.asks),
                issue.labels[self.asks.option],
                party(self.offers),
                issue.labels[self.offers.option],
            ),
        }
    }
}

/// Each of `parties`' preferred option on `issue` (parties that give it no weight left out).
pub fn preferences(negotiation: &Negotiation, parties: &[usize], issue: usize) -> Vec<Preference> {
    let iss = &negotiation.issues[issue];
    parties
        .iter()
        .filter(|&&p| negotiation.parties[p].weights[issue] > 0.0)
        .filter_map(|&p| {
            let values = negotiation.parties[p].values[issue].evaluate_all(iss);
            let forbidden = |o: usize| {
                negotiation.red_lines.iter().any(|r| {
                    r.party == p
                        && r.conditions.len() == 1
                        && r.conditions[0].issue == issue
                        && r.conditions[0].options.binary_search(&o).is_ok()
                })
            };
            let mut best: Option<usize> = None;
            for (o, v) in values.iter().enumerate() {
                if !forbidden(o) && best.is_none_or(|b| *v > values[b]) {
                    best = Some(o);
                }
            }
            best.map(|option| Preference { party: p, option })
        })
        .collect()
}

/// The widest gap on every issue where two of `parties` prefer different options, in issue
/// order.
pub fn issue_gaps(negotiation: &Negotiation, parties: &[usize]) -> Vec<IssueGap> {
    (0..negotiation.issues.len())
        .filter_map(|issue| widest_gap(negotiation, parties, issue))
        .collect()
}

fn widest_gap(negotiation: &Negotiation, parties: &[usize], issue: usize) -> Option<IssueGap> {
    let iss = &negotiation.issues[issue];
    let position = |o: usize| iss.values.as_ref().map_or(o as f64, |v| v[o]);
    let weight = |p: usize| negotiation.parties[p].weights[issue];
    let prefs = preferences(negotiation, parties, issue);
    let mut widest: Option<(f64, f64, Preference, Preference)> = None;
    for (k, &a) in prefs.iter().enumerate() {
        for &b in &prefs[k + 1..] {
            let distance = (position(a.option) - position(b.option)).abs();
            let stake = weight(a.party) + weight(b.party);
            let wider = widest.is_none_or(|(d, s, _, _)| {
                distance > d + crate::TOLERANCE || (distance > d - crate::TOLERANCE && stake > s)
            });
            if distance > 0.0 && wider {
                widest = Some((distance, stake, a, b));
            }
        }
    }
    let (_, _, a, b) = widest?;
    let pull = |p: &Preference| weight(p.party) * negotiation.parties[p.party].power.max(0.0);
    let total: f64 = prefs.iter().map(pull).sum();
    let middle = if total > 0.0 {
        prefs
            .iter()
            .map(|p| pull(p) * position(p.option))
            .sum::<f64>()
            / total
    } else {
        (position(a.option) + position(b.option)) / 2.0
    };
    let off = |p: Preference| (position(p.option) - middle).abs();
    let (asks, offers) = if off(b) > off(a) + crate::TOLERANCE {
        (b, a)
    } else {
        (a, b)
    };
    Some(IssueGap {
        issue,
        asks,
        offers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, Issue, Party, RedLine, RedLineKind, ValueFunction};

    fn negotiation() -> Negotiation {
        Negotiation {
            issues: vec![
                Issue::numeric("duration", 0.0, 50.0, 5.0).expect("a range"),
                Issue::options("force", ["no", "yes"]),
            ],
            parties: vec![
                Party::new(
                    "UKR",
                    vec![0.5, 0.5],
                    vec![
                        ValueFunction::Linear {
                            at_min: 0.0,
                            at_max: 1.0,
                        },
                        ValueFunction::Table(vec![0.0, 1.0]),
                    ],
                ),
                Party::new(
                    "USA",
                    vec![0.5, 0.0],
                    vec![
                        ValueFunction::Peaked {
                            peak: 15.0,
                            at_min: 0.2,
                            at_max: 0.0,
                        },
                        ValueFunction::Table(vec![1.0, 0.0]),
                    ],
                ),
                Party::new(
                    "RUS",
                    vec![0.2, 0.8],
                    vec![
                        ValueFunction::Linear {
                            at_min: 1.0,
                            at_max: 0.0,
                        },
                        // Prefers "yes" on paper, but its red line forbids it.
                        ValueFunction::Table(vec![0.5, 1.0]),
                    ],
                ),
            ],
            red_lines: vec![RedLine {
                party: 2,
                kind: RedLineKind::ForbiddenOptions,
                conditions: vec![Condition {
                    issue: 1,
                    options: vec![1],
                }],
                label: String::new(),
            }],
            ..Negotiation::default()
        }
    }

    #[test]
    fn the_widest_gap_is_named_with_who_asks_and_who_offers() {
        let neg = negotiation();
        let gaps = issue_gaps(&neg, &[0, 1, 2]);
        assert_eq!(gaps.len(), 2);
        // UKR 50 and RUS 0 are furthest apart; the middle ground (50, 15 and 0 weighted
        // 0.5, 0.5 and 0.2: 27.1) is nearer to UKR.
        assert_eq!(
            gaps[0].describe(&neg, Some("years")),
            "duration: RUS asks 0 years, UKR offers 50"
        );
        // USA gives force no weight; RUS's red line leaves it "no", where its weight of 0.8
        // puts the middle ground (0.38).
        assert_eq!(
            gaps[1].describe(&neg, None),
            "force: UKR demands “yes”, RUS offers “no”"
        );
    }

    #[test]
    fn within_a_subset_only_its_parties_count() {
        let neg = negotiation();
        let gaps = issue_gaps(&neg, &[0, 1]);
        assert_eq!(gaps.len(), 1, "USA does not weigh force");
        assert_eq!(
            gaps[0].describe(&neg, Some("years")),
            "duration: UKR asks 50 years, USA offers 15"
        );
        assert!(issue_gaps(&neg, &[1]).is_empty());
    }
}
