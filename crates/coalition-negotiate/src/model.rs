//! The negotiation as data: issues and their options, parties with additive utilities,
//! reservation values and red lines, forecasting data, and blocs.
//!
//! The model is immutable once built; analyses compile it into flat tables
//! ([`crate::space::Tables`]) and never change it.

use crate::error::ModelError;

/// One issue on the table: a list of options, optionally with a number for each.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The issue's name (unique in a negotiation).
    pub name: String,
    /// One label per option, in the issue's order.
    pub labels: Vec<String>,
    /// For numeric issues, the number of each option, ascending. `None` for categorical issues.
    pub values: Option<Vec<f64>>,
}

impl Issue {
    /// A categorical issue with the given option labels.
    pub fn options<S: Into<String>>(
        name: impl Into<String>,
        labels: impl IntoIterator<Item = S>,
    ) -> Issue {
        Issue {
            name: name.into(),
            labels: labels.into_iter().map(Into::into).collect(),
            values: None,
        }
    }

    /// A numeric issue from `min` to `max` (inclusive) in steps of `step`.
    pub fn numeric(
        name: impl Into<String>,
        min: f64,
        max: f64,
        step: f64,
    ) -> Result<Issue, ModelError> {
        let name = name.into();
        let bad = |message: String| ModelError::BadRange {
            issue: name.clone(),
            message,
        };
        if !(min.is_finite() && max.is_finite() && step.is_finite()) {
            return Err(bad("min, max and step must be finite numbers".into()));
        }
        if max < min {
            return Err(bad(format!("max {max} is below min {min}")));
        }
        if step <= 0.0 {
            return Err(bad(format!("step must be positive, got {step}")));
        }
        let count = ((max - min) / step + 1e-9).floor() + 1.0;
        if count > 1_000_000.0 {
            return Err(bad(format!(
                "{count} steps is too many for one issue (at most 1,000,000)"
            )));
        }
        let values: Vec<f64> = (0..count as usize).map(|k| min + step * k as f64).collect();
        let labels = values.iter().map(|v| format_number(*v)).collect();
        Ok(Issue {
            name,
            labels,
            values: Some(values),
        })
    }

    /// How many options the issue has.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the issue has no options (never true in a validated model).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The index of the option with this label.
    pub fn option_index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }
}

/// Formats a number as a short label: integers without a decimal point.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// How much a party values each option of one issue, before the issue weight.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueFunction {
    /// One value per option.
    Table(Vec<f64>),
    /// Numeric issues: a straight line from `at_min` (at the issue's smallest value) to
    /// `at_max` (at its largest).
    Linear {
        /// Value at the smallest number.
        at_min: f64,
        /// Value at the largest number.
        at_max: f64,
    },
    /// Numeric issues: 0 at and below `low`, 1 at `peak`, 0 at and above `high`, straight
    /// lines between.
    Triangular {
        /// Where the value starts rising.
        low: f64,
        /// Where the value is 1.
        peak: f64,
        /// Where the value is back to 0.
        high: f64,
    },
    /// Numeric issues: 1 at `peak`, falling in straight lines to `at_min` at the issue's
    /// smallest number and to `at_max` at its largest.
    Peaked {
        /// Where the value is 1.
        peak: f64,
        /// Value at the smallest number.
        at_min: f64,
        /// Value at the largest number.
        at_max: f64,
    },
}

impl ValueFunction {
    fn shape(&self) -> &'static str {
        match self {
            ValueFunction::Table(_) => "table",
            ValueFunction::Linear { .. } => "linear",
            ValueFunction::Triangular { .. } => "triangular",
            ValueFunction::Peaked { .. } => "peaked",
        }
    }

    /// The value of each option of `issue` (checked by [`Negotiation::validate`]).
    pub(crate) fn evaluate_all(&self, issue: &Issue) -> Vec<f64> {
        match (self, &issue.values) {
            (ValueFunction::Table(t), _) => t.clone(),
            (_, None) => vec![0.0; issue.len()],
            (f, Some(values)) => {
                let lo = values.first().copied().unwrap_or(0.0);
                let hi = values.last().copied().unwrap_or(0.0);
                values.iter().map(|&x| f.at(x, lo, hi)).collect()
            }
        }
    }

    fn at(&self, x: f64, lo: f64, hi: f64) -> f64 {
        let line = |x0: f64, y0: f64, x1: f64, y1: f64| {
            if (x1 - x0).abs() < f64::EPSILON {
                y1
            } else {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            }
        };
        match *self {
            ValueFunction::Table(_) => 0.0,
            ValueFunction::Linear { at_min, at_max } => line(lo, at_min, hi, at_max),
            ValueFunction::Triangular { low, peak, high } => {
                if x <= low || x >= high {
                    if x == peak { 1.0 } else { 0.0 }
                } else if x <= peak {
                    line(low, 0.0, peak, 1.0)
                } else {
                    line(peak, 1.0, high, 0.0)
                }
            }
            ValueFunction::Peaked {
                peak,
                at_min,
                at_max,
            } => {
                if x <= peak {
                    line(lo, at_min, peak, 1.0)
                } else {
                    line(peak, 1.0, hi, at_max)
                }
            }
        }
    }
}

/// A party's stance on one issue for the forecasting models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stance {
    /// Position on the issue's 0–100 scale.
    pub position: f64,
    /// How much the issue matters to the party, 0–100 (or 0–1: only ratios matter).
    pub salience: f64,
}

/// A party: additive utility, reservation value, and forecasting data.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Its code or name (unique in a negotiation).
    pub name: String,
    /// One weight per issue, used as written (not normalised).
    pub weights: Vec<f64>,
    /// One value function per issue.
    pub values: Vec<ValueFunction>,
    /// Utility of no agreement: an outcome below it is not acceptable.
    pub reservation: f64,
    /// GENIUS caps a party's total utility at 1; `None` means no cap.
    pub cap: Option<f64>,
    /// Power or capability, for the forecasting models.
    pub power: f64,
    /// One stance per issue for the forecasting models (`None`: no stance on that issue).
    pub stances: Vec<Option<Stance>>,
}

impl Party {
    /// A party with no reservation value, no cap, power 1 and no stances.
    pub fn new(name: impl Into<String>, weights: Vec<f64>, values: Vec<ValueFunction>) -> Party {
        let n = weights.len();
        Party {
            name: name.into(),
            weights,
            values,
            reservation: 0.0,
            cap: None,
            power: 1.0,
            stances: vec![None; n],
        }
    }
}

/// What kind of hard constraint a red line is (for display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedLineKind {
    /// Some options of one issue are ruled out.
    ForbiddenOptions,
    /// A numeric issue must stay within bounds.
    NumericBound,
    /// A combination of options across issues is ruled out.
    ForbiddenCombination,
}

/// One part of a red line: "the outcome on `issue` is one of `options`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The issue.
    pub issue: usize,
    /// The matching options of that issue (sorted, no duplicates).
    pub options: Vec<usize>,
}

/// A hard constraint of one party: an outcome that matches every condition breaks it.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// The party that holds it.
    pub party: usize,
    /// What kind it is.
    pub kind: RedLineKind,
    /// All must match for the red line to be broken.
    pub conditions: Vec<Condition>,
    /// A human description ("RUS: no NATO membership"); generated when empty.
    pub label: String,
}

impl RedLine {
    /// The issues this red line involves.
    pub fn issues(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.conditions.iter().map(|c| c.issue).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Whether `outcome` (one option index per issue) breaks this red line.
    pub fn is_broken_by(&self, outcome: &[u32]) -> bool {
        self.conditions.iter().all(|c| {
            outcome
                .get(c.issue)
                .is_some_and(|&o| c.options.binary_search(&(o as usize)).is_ok())
        })
    }

    /// A readable description, using the model's names.
    pub fn describe(&self, negotiation: &Negotiation) -> String {
        if !self.label.is_empty() {
            return self.label.clone();
        }
        let party = negotiation
            .parties
            .get(self.party)
            .map_or("?", |p| p.name.as_str());
        let parts: Vec<String> = self
            .conditions
            .iter()
            .map(|c| {
                let Some(issue) = negotiation.issues.get(c.issue) else {
                    return "?".to_owned();
                };
                let labels: Vec<&str> = c
                    .options
                    .iter()
                    .filter_map(|&o| issue.labels.get(o).map(String::as_str))
                    .collect();
                format!("{} = {}", issue.name, labels.join(" or "))
            })
            .collect();
        format!("{party} rejects {}", parts.join(" together with "))
    }
}

/// A named group of parties that bargains first and then faces an adversary.
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    /// The bloc's name.
    pub name: String,
    /// Its members (party indices).
    pub members: Vec<usize>,
    /// The party the bloc's position is taken to.
    pub adversary: Option<usize>,
}

/// A whole negotiation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Negotiation {
    /// The issues, in order (the first issue varies slowest in enumeration order).
    pub issues: Vec<Issue>,
    /// The parties, in order (utility vectors follow this order).
    pub parties: Vec<Party>,
    /// Every party's red lines.
    pub red_lines: Vec<RedLine>,
    /// Named blocs.
    pub blocs: Vec<Bloc>,
}

impl Negotiation {
    /// The number of outcomes (saturating at `u128::MAX`).
    pub fn outcome_count(&self) -> u128 {
        self.issues
            .iter()
            .fold(1u128, |acc, i| acc.saturating_mul(i.len() as u128))
    }

    /// The index of the party with this name.
    pub fn party_index(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.name == name)
    }

    /// The index of the issue with this name.
    pub fn issue_index(&self, name: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.name == name)
    }

    /// The labels of an outcome, one per issue.
    pub fn labels<'a>(&'a self, outcome: &[u32]) -> Vec<(&'a str, &'a str)> {
        self.issues
            .iter()
            .zip(outcome)
            .map(|(issue, &o)| {
                (
                    issue.name.as_str(),
                    issue.labels.get(o as usize).map_or("?", String::as_str),
                )
            })
            .collect()
    }

    /// Checks that every list has the right length and every number is finite.
    pub fn validate(&self) -> Result<(), ModelError> {
        let n = self.issues.len();
        for issue in &self.issues {
            if issue.is_empty() {
                return Err(ModelError::EmptyIssue(issue.name.clone()));
            }
            if let Some(v) = &issue.values
                && v.len() != issue.len()
            {
                return Err(ModelError::BadRange {
                    issue: issue.name.clone(),
                    message: "numbers and labels differ in count".into(),
                });
            }
        }
        for party in &self.parties {
            let check_len = |what: &'static str, found: usize| {
                if found == n {
                    Ok(())
                } else {
                    Err(ModelError::WrongLength {
                        party: party.name.clone(),
                        what,
                        found,
                        expected: n,
                    })
                }
            };
            check_len("weights", party.weights.len())?;
            check_len("value functions", party.values.len())?;
            check_len("stances", party.stances.len())?;
            if !(0.0..=1.0).contains(&party.reservation) {
                return Err(ModelError::ReservationOutOfRange {
                    party: party.name.clone(),
                    value: party.reservation,
                });
            }
            finite(&format!("party `{}` power", party.name), party.power)?;
            for (k, (issue, f)) in self.issues.iter().zip(&party.values).enumerate() {
                finite(
                    &format!("party `{}` weight of `{}`", party.name, issue.name),
                    party.weights[k],
                )?;
                match f {
                    ValueFunction::Table(t) => {
                        if t.len() != issue.len() {
                            return Err(ModelError::TableLength {
                                party: party.name.clone(),
                                issue: issue.name.clone(),
                                found: t.len(),
                                expected: issue.len(),
                            });
                        }
                        for v in t {
                            finite(
                                &format!("a value of party `{}` on `{}`", party.name, issue.name),
                                *v,
                            )?;
                        }
                    }
                    other => {
                        if issue.values.is_none() {
                            return Err(ModelError::NotNumeric {
                                party: party.name.clone(),
                                issue: issue.name.clone(),
                                shape: other.shape(),
                            });
                        }
                    }
                }
            }
            for s in party.stances.iter().flatten() {
                finite(&format!("party `{}` position", party.name), s.position)?;
                finite(&format!("party `{}` salience", party.name), s.salience)?;
            }
        }
        for (k, r) in self.red_lines.iter().enumerate() {
            let what = format!("red line {}", k + 1);
            if r.party >= self.parties.len() {
                return Err(bad_index(&what, "party", r.party, self.parties.len()));
            }
            for c in &r.conditions {
                let Some(issue) = self.issues.get(c.issue) else {
                    return Err(bad_index(&what, "issue", c.issue, n));
                };
                if let Some(&o) = c.options.iter().find(|&&o| o >= issue.len()) {
                    return Err(bad_index(&what, "option", o, issue.len()));
                }
            }
        }
        for b in &self.blocs {
            for &m in b.members.iter().chain(b.adversary.iter()) {
                if m >= self.parties.len() {
                    return Err(bad_index(
                        &format!("bloc `{}`", b.name),
                        "party",
                        m,
                        self.parties.len(),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn finite(what: &str, v: f64) -> Result<(), ModelError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(ModelError::NotFinite {
            what: what.to_owned(),
        })
    }
}

fn bad_index(what: &str, kind: &'static str, index: usize, count: usize) -> ModelError {
    ModelError::BadIndex {
        what: what.to_owned(),
        kind,
        index,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numeric_issue_has_one_option_per_step_including_both_ends() {
        let issue = Issue::numeric("years", 0.0, 50.0, 5.0).unwrap();
        assert_eq!(issue.len(), 11);
        assert_eq!(issue.labels[3], "15");
        assert_eq!(issue.values.as_ref().unwrap()[10], 50.0);
    }

    #[test]
    fn a_numeric_issue_with_a_zero_step_is_refused() {
        assert!(Issue::numeric("years", 0.0, 50.0, 0.0).is_err());
        assert!(Issue::numeric("years", 10.0, 5.0, 1.0).is_err());
    }

    #[test]
    fn value_functions_take_their_documented_shapes() {
        let issue = Issue::numeric("years", 0.0, 50.0, 10.0).unwrap();
        let lin = ValueFunction::Linear {
            at_min: 0.0,
            at_max: 1.0,
        }
        .evaluate_all(&issue);
        assert_eq!(lin, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let tri = ValueFunction::Triangular {
            low: 10.0,
            peak: 20.0,
            high: 40.0,
        }
        .evaluate_all(&issue);
        assert_eq!(tri, vec![0.0, 0.0, 1.0, 0.5, 0.0, 0.0]);
        let peak = ValueFunction::Peaked {
            peak: 20.0,
            at_min: 0.5,
            at_max: 0.0,
        }
        .evaluate_all(&issue);
        let want = [0.5, 0.75, 1.0, 2.0 / 3.0, 1.0 / 3.0, 0.0];
        assert!(
            peak.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12),
            "{peak:?}"
        );
    }

    #[test]
    fn a_table_of_the_wrong_length_is_reported_with_party_and_issue() {
        let neg = Negotiation {
            issues: vec![Issue::options("force", ["yes", "no"])],
            parties: vec![Party::new(
                "FRA",
                vec![1.0],
                vec![ValueFunction::Table(vec![1.0])],
            )],
            ..Negotiation::default()
        };
        let err = neg.validate().unwrap_err().to_string();
        assert!(err.contains("FRA") && err.contains("force"), "{err}");
    }

    #[test]
    fn a_reservation_value_off_the_utility_scale_is_refused() {
        let mut party = Party::new("RUS", vec![1.0], vec![ValueFunction::Table(vec![1.0, 0.0])]);
        party.reservation = 1.2;
        let neg = Negotiation {
            issues: vec![Issue::options("force", ["no", "yes"])],
            parties: vec![party],
            ..Negotiation::default()
        };
        let err = neg.validate().unwrap_err().to_string();
        assert!(err.contains("RUS") && err.contains("from 0 to 1"), "{err}");
    }
}
