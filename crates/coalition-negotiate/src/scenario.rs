//! Reader for our own format: the `[negotiation]` table of a scenario TOML file (other
//! top-level tables are ignored). The schema is documented in `docs/negotiation.md`; in short:
//!
//! ```toml
//! [[negotiation.issues]]
//! name = "duration"            # numeric: min, max, step
//! min = 0
//! max = 50
//! step = 5
//!
//! [[negotiation.issues]]
//! name = "force"               # categorical: options (and an optional 0–100 scale)
//! options = ["yes", "no"]
//!
//! [[negotiation.parties]]
//! name = "UKR"
//! reservation = 0.3
//! power = 1.0
//! illustrative = true
//! weights = { duration = 0.6, force = 0.4 }
//! values = { duration = { shape = "linear", at_min = 0.0, at_max = 1.0 }, force = { yes = 1.0, no = 0.0 } }
//! stances = { duration = { position = 100, salience = 90 } }
//! red_lines = [ { issue = "duration", min = 10, illustrative = true } ]
//!
//! [[negotiation.blocs]]
//! name = "coalition"
//! members = ["UKR"]
//! adversary = "RUS"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::ReadError;
use crate::forecast::{ForecastInput, ForecastIssue, ForecastStance};
use crate::model::{
    Bloc, Condition, Issue, Negotiation, Party, RedLine, RedLineKind, Stance, ValueFunction,
};

/// A negotiation read from a scenario, with the extra information only our format carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The model.
    pub negotiation: Negotiation,
    /// A title for reports.
    pub title: Option<String>,
    /// A display label per issue (the name when none is given).
    pub issue_labels: Vec<String>,
    /// The unit of each numeric issue's values, when given (`years`).
    pub units: Vec<Option<String>>,
    /// A display name per party.
    pub party_names: Vec<String>,
    /// Whether each party's numbers are marked illustrative.
    pub illustrative: Vec<bool>,
    /// Per issue, the 0–100 forecasting scale point of each option.
    pub scales: Vec<Vec<f64>>,
    /// The bloc to analyse by default (index into `negotiation.blocs`).
    pub default_bloc: Option<usize>,
    /// Neighbourhood radius for the bloc analysis.
    pub radius: usize,
    /// Rounds of the exchange model.
    pub rounds: usize,
}

#[derive(Deserialize)]
struct FileToml {
    negotiation: Option<Spanned<NegotiationToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegotiationToml {
    title: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
    #[allow(dead_code)]
    illustrative: Option<bool>,
    issues: Vec<Spanned<IssueToml>>,
    parties: Vec<Spanned<PartyToml>>,
    #[serde(default)]
    blocs: Vec<Spanned<BlocToml>>,
    analysis: Option<AnalysisToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueToml {
    name: String,
    label: Option<String>,
    options: Option<Vec<String>>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    unit: Option<String>,
    scale: Option<Vec<f64>>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyToml {
    name: String,
    full_name: Option<String>,
    illustrative: Option<bool>,
    #[allow(dead_code)]
    source: Option<String>,
    reservation: Option<Spanned<f64>>,
    #[serde(default = "one")]
    power: f64,
    weights: BTreeMap<String, f64>,
    values: BTreeMap<String, ValueToml>,
    #[serde(default)]
    stances: BTreeMap<String, StanceToml>,
    #[serde(default)]
    red_lines: Vec<RedLineToml>,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ValueToml {
    Shape(ShapeToml),
    Table(BTreeMap<String, f64>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeToml {
    shape: String,
    at_min: Option<f64>,
    at_max: Option<f64>,
    low: Option<f64>,
    peak: Option<f64>,
    high: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StanceToml {
    position: f64,
    salience: f64,
    #[allow(dead_code)]
    illustrative: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedLineToml {
    forbid: Option<BTreeMap<String, OneOrMany>>,
    issue: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    note: Option<String>,
    #[allow(dead_code)]
    illustrative: Option<bool>,
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlocToml {
    name: String,
    members: Vec<String>,
    adversary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalysisToml {
    bloc: Option<String>,
    radius: Option<usize>,
    rounds: Option<usize>,
}

fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads the `[negotiation]` table of a scenario file.
pub fn read(text: &str, file: &str) -> Result<Scenario, ReadError> {
    let parsed: FileToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_at(text, s.start));
        ReadError::at_line(file, line, e.message().trim().to_owned())
    })?;
    let Some(neg) = parsed.negotiation else {
        return Err(ReadError::in_file(
            file,
            "no [negotiation] table; expected one (see docs/negotiation.md)",
        ));
    };
    let neg_line = line_at(text, neg.span().start);
    let neg = neg.into_inner();
    let err = |span: std::ops::Range<usize>, msg: String| {
        ReadError::at_line(file, line_at(text, span.start), msg)
    };

    let mut issues = Vec::new();
    let mut issue_labels = Vec::new();
    let mut units = Vec::new();
    let mut scales = Vec::new();
    for spanned in &neg.issues {
        let span = spanned.span();
        let i = spanned.get_ref();
        if issues.iter().any(|x: &Issue| x.name == i.name) {
            return Err(err(span, format!("issue `{}` is defined twice", i.name)));
        }
        let issue = match (&i.options, i.min, i.max, i.step) {
            (Some(options), None, None, None) => {
                if options.is_empty() {
                    return Err(err(
                        span,
                        format!("issue `{}` has no options; expected at least one", i.name),
                    ));
                }
                Issue::options(i.name.clone(), options.iter().cloned())
            }
            (None, Some(min), Some(max), step) => {
                Issue::numeric(i.name.clone(), min, max, step.unwrap_or(1.0))
                    .map_err(|e| err(span.clone(), e.to_string()))?
            }
            _ => {
                return Err(err(
                    span,
                    format!(
                        "issue `{}`: expected either `options = [...]` or `min`, `max` (and `step`)",
                        i.name
                    ),
                ));
            }
        };
        let scale = match (&i.scale, &issue.values) {
            (Some(s), _) => {
                if s.len() != issue.len() {
                    return Err(err(
                        span,
                        format!(
                            "issue `{}`: `scale` has {} points for {} options",
                            i.name,
                            s.len(),
                            issue.len()
                        ),
                    ));
                }
                if s.iter().any(|v| !(0.0..=100.0).contains(v)) {
                    return Err(err(
                        span,
                        format!("issue `{}`: `scale` points must lie in 0..100", i.name),
                    ));
                }
                s.clone()
            }
            (None, Some(values)) => {
                let (lo, hi) = (values[0], values[values.len() - 1]);
                values
                    .iter()
                    .map(|v| {
                        if hi > lo {
                            (v - lo) / (hi - lo) * 100.0
                        } else {
                            0.0
                        }
                    })
                    .collect()
            }
            (None, None) => {
                let m = issue.len();
                (0..m)
                    .map(|k| {
                        if m > 1 {
                            k as f64 * 100.0 / (m - 1) as f64
                        } else {
                            0.0
                        }
                    })
                    .collect()
            }
        };
        issue_labels.push(i.label.clone().unwrap_or_else(|| i.name.clone()));
        units.push(i.unit.clone());
        scales.push(scale);
        issues.push(issue);
    }
    if issues.is_empty() {
        return Err(ReadError::at_line(
            file,
            neg_line,
            "[negotiation] has no issues; expected at least one [[negotiation.issues]]",
        ));
    }
    let issue_index = |name: &str| issues.iter().position(|i| i.name == name);

    let mut parties = Vec::new();
    let mut party_names = Vec::new();
    let mut illustrative = Vec::new();
    let mut red_lines = Vec::new();
    for spanned in &neg.parties {
        let span = spanned.span();
        let p = spanned.get_ref();
        let here = |msg: String| err(span.clone(), format!("party `{}`: {msg}", p.name));
        if parties.iter().any(|x: &Party| x.name == p.name) {
            return Err(here("defined twice".into()));
        }
        for key in p
            .weights
            .keys()
            .chain(p.values.keys())
            .chain(p.stances.keys())
        {
            if issue_index(key).is_none() {
                return Err(here(format!("`{key}` is not an issue")));
            }
        }
        let mut weights = Vec::new();
        let mut values = Vec::new();
        let mut stances = Vec::new();
        for issue in &issues {
            let Some(w) = p.weights.get(&issue.name) else {
                return Err(here(format!(
                    "no weight for issue `{}`; expected one per issue (0 is allowed)",
                    issue.name
                )));
            };
            weights.push(*w);
            let f = match p.values.get(&issue.name) {
                None if *w == 0.0 => ValueFunction::Table(vec![0.0; issue.len()]),
                None => return Err(here(format!("no values for issue `{}`", issue.name))),
                Some(ValueToml::Table(t)) => {
                    let mut v = vec![0.0; issue.len()];
                    for (label, x) in t {
                        let Some(o) = issue.option_index(label) else {
                            return Err(here(format!(
                                "issue `{}` has no option `{label}`",
                                issue.name
                            )));
                        };
                        v[o] = *x;
                    }
                    if t.len() != issue.len() {
                        return Err(here(format!(
                            "values for `{}` cover {} of its {} options; expected all",
                            issue.name,
                            t.len(),
                            issue.len()
                        )));
                    }
                    ValueFunction::Table(v)
                }
                Some(ValueToml::Shape(s)) => {
                    shape(s).map_err(|m| here(format!("values for `{}`: {m}", issue.name)))?
                }
            };
            values.push(f);
            stances.push(match p.stances.get(&issue.name) {
                None => None,
                Some(s) => {
                    if !(0.0..=100.0).contains(&s.position) || !(0.0..=100.0).contains(&s.salience)
                    {
                        return Err(here(format!(
                            "stance on `{}`: position and salience must lie in 0..100",
                            issue.name
                        )));
                    }
                    Some(Stance {
                        position: s.position,
                        salience: s.salience,
                    })
                }
            });
        }
        let party_index = parties.len();
        for (k, r) in p.red_lines.iter().enumerate() {
            let what = |m: String| here(format!("red line {}: {m}", k + 1));
            let line = match (&r.forbid, &r.issue) {
                (Some(forbid), None) => {
                    if r.min.is_some() || r.max.is_some() {
                        return Err(what(
                            "`min`/`max` go with `issue`, not with `forbid`".into(),
                        ));
                    }
                    let mut conditions = Vec::new();
                    for (issue_name, labels) in forbid {
                        let Some(issue) = issue_index(issue_name) else {
                            return Err(what(format!("`{issue_name}` is not an issue")));
                        };
                        let labels: Vec<&String> = match labels {
                            OneOrMany::One(l) => vec![l],
                            OneOrMany::Many(v) => v.iter().collect(),
                        };
                        let mut options = Vec::new();
                        for l in labels {
                            let Some(o) = issues[issue].option_index(l) else {
                                return Err(what(format!(
                                    "issue `{issue_name}` has no option `{l}`"
                                )));
                            };
                            options.push(o);
                        }
                        options.sort_unstable();
                        options.dedup();
                        conditions.push(Condition { issue, options });
                    }
                    if conditions.is_empty() {
                        return Err(what("`forbid` is empty".into()));
                    }
                    conditions.sort_by_key(|c| c.issue);
                    let kind = if conditions.len() == 1 {
                        RedLineKind::ForbiddenOptions
                    } else {
                        RedLineKind::ForbiddenCombination
                    };
                    RedLine {
                        party: party_index,
                        kind,
                        conditions,
                        label: r.note.clone().unwrap_or_default(),
                    }
                }
                (None, Some(issue_name)) => {
                    let Some(issue) = issue_index(issue_name) else {
                        return Err(what(format!("`{issue_name}` is not an issue")));
                    };
                    let Some(nums) = &issues[issue].values else {
                        return Err(what(format!(
                            "`{issue_name}` is not numeric; use `forbid` for options"
                        )));
                    };
                    if r.min.is_none() && r.max.is_none() {
                        return Err(what("a bound needs `min` or `max`".into()));
                    }
                    let lo = r.min.unwrap_or(f64::NEG_INFINITY);
                    let hi = r.max.unwrap_or(f64::INFINITY);
                    let options = (0..nums.len())
                        .filter(|&o| nums[o] < lo - 1e-9 || nums[o] > hi + 1e-9)
                        .collect();
                    let bound = match (r.min, r.max) {
                        (Some(a), Some(b)) => format!(
                            "between {} and {}",
                            crate::model::format_number(a),
                            crate::model::format_number(b)
                        ),
                        (Some(a), None) => format!("at least {}", crate::model::format_number(a)),
                        (None, Some(b)) => format!("at most {}", crate::model::format_number(b)),
                        (None, None) => String::new(),
                    };
                    RedLine {
                        party: party_index,
                        kind: RedLineKind::NumericBound,
                        conditions: vec![Condition { issue, options }],
                        label: r
                            .note
                            .clone()
                            .unwrap_or_else(|| format!("{}: {issue_name} {bound}", p.name)),
                    }
                }
                _ => return Err(what(
                    "expected either `forbid = { issue = [options] }` or `issue` with `min`/`max`"
                        .into(),
                )),
            };
            red_lines.push(line);
        }
        let mut party = Party::new(p.name.clone(), weights, values);
        if let Some(r) = &p.reservation {
            let value = *r.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(err(
                    r.span(),
                    format!(
                        "party `{}`: reservation = {value} is outside the utility scale; expected a number from 0 (any agreement beats no agreement) to 1 (only the party's best outcome does)",
                        p.name
                    ),
                ));
            }
            party.reservation = value;
        }
        party.power = p.power;
        party.stances = stances;
        parties.push(party);
        party_names.push(p.full_name.clone().unwrap_or_else(|| p.name.clone()));
        illustrative.push(p.illustrative.unwrap_or(false));
    }
    if parties.is_empty() {
        return Err(ReadError::at_line(
            file,
            neg_line,
            "[negotiation] has no parties; expected at least one [[negotiation.parties]]",
        ));
    }
    let party_index = |name: &str| parties.iter().position(|p| p.name == name);
    let mut blocs = Vec::new();
    for spanned in &neg.blocs {
        let span = spanned.span();
        let b = spanned.get_ref();
        let mut members = Vec::new();
        for m in &b.members {
            let Some(i) = party_index(m) else {
                return Err(err(
                    span,
                    format!("bloc `{}`: `{m}` is not a party", b.name),
                ));
            };
            members.push(i);
        }
        if members.is_empty() {
            return Err(err(span, format!("bloc `{}` has no members", b.name)));
        }
        let adversary = match &b.adversary {
            None => None,
            Some(a) => Some(party_index(a).ok_or_else(|| {
                err(
                    span.clone(),
                    format!("bloc `{}`: adversary `{a}` is not a party", b.name),
                )
            })?),
        };
        blocs.push(Bloc {
            name: b.name.clone(),
            members,
            adversary,
        });
    }
    let analysis = neg.analysis.as_ref();
    let default_bloc = match analysis.and_then(|a| a.bloc.as_ref()) {
        Some(name) => Some(blocs.iter().position(|b| &b.name == name).ok_or_else(|| {
            ReadError::at_field(
                file,
                "negotiation.analysis.bloc",
                format!("`{name}` is not a bloc"),
            )
        })?),
        None => (!blocs.is_empty()).then_some(0),
    };
    let negotiation = Negotiation {
        issues,
        parties,
        red_lines,
        blocs,
    };
    negotiation
        .validate()
        .map_err(|e| ReadError::at_line(file, neg_line, e.to_string()))?;
    Ok(Scenario {
        negotiation,
        title: neg.title.clone(),
        issue_labels,
        units,
        party_names,
        illustrative,
        scales,
        default_bloc,
        radius: analysis.and_then(|a| a.radius).unwrap_or(1),
        rounds: analysis.and_then(|a| a.rounds).unwrap_or(10),
    })
}

fn shape(s: &ShapeToml) -> Result<ValueFunction, String> {
    let need =
        |v: Option<f64>, name: &str| v.ok_or_else(|| format!("shape `{}` needs `{name}`", s.shape));
    match s.shape.as_str() {
        "linear" => Ok(ValueFunction::Linear {
            at_min: need(s.at_min, "at_min")?,
            at_max: need(s.at_max, "at_max")?,
        }),
        "triangular" => {
            let (low, peak, high) = (
                need(s.low, "low")?,
                need(s.peak, "peak")?,
                need(s.high, "high")?,
            );
            if !(low <= peak && peak <= high) {
                return Err("expected low <= peak <= high".into());
            }
            Ok(ValueFunction::Triangular { low, peak, high })
        }
        "peaked" => Ok(ValueFunction::Peaked {
            peak: need(s.peak, "peak")?,
            at_min: need(s.at_min, "at_min")?,
            at_max: need(s.at_max, "at_max")?,
        }),
        other => Err(format!(
            "unknown shape `{other}`; expected linear, triangular or peaked"
        )),
    }
}

impl Scenario {
    /// The forecasting input: parties with at least one stance, positions on the 0–100 scale,
    /// saliences divided by 100 (the exchange model's formulas expect 0–1).
    pub fn forecast_input(&self) -> ForecastInput {
        let neg = &self.negotiation;
        let mut input = ForecastInput {
            actors: Vec::new(),
            issues: neg
                .issues
                .iter()
                .map(|i| ForecastIssue {
                    name: i.name.clone(),
                    lower: 0.0,
                    upper: 100.0,
                })
                .collect(),
            stances: Vec::new(),
        };
        for p in &neg.parties {
            if p.stances.iter().all(Option::is_none) {
                continue;
            }
            let actor = input.actors.len();
            input.actors.push(p.name.clone());
            for (issue, s) in p.stances.iter().enumerate() {
                if let Some(s) = s {
                    input.stances.push(ForecastStance {
                        actor,
                        issue,
                        position: s.position,
                        salience: s.salience / 100.0,
                        power: p.power,
                    });
                }
            }
        }
        input
    }

    /// The option of `issue` whose scale point is nearest to `position` (0–100), with its value
    /// in the issue's own units for numeric issues.
    pub fn nearest_option(&self, issue: usize, position: f64) -> (usize, Option<f64>) {
        let scale = &self.scales[issue];
        let best = (0..scale.len())
            .min_by(|&a, &b| {
                (scale[a] - position)
                    .abs()
                    .total_cmp(&(scale[b] - position).abs())
            })
            .unwrap_or(0);
        let units = self.negotiation.issues[issue].values.as_ref().map(|v| {
            let (lo, hi) = (v[0], v[v.len() - 1]);
            lo + (hi - lo) * position / 100.0
        });
        (best, units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[scenario]
name = "ignored by this reader"

[negotiation]
title = "test"

[[negotiation.issues]]
name = "years"
min = 0
max = 20
step = 10

[[negotiation.issues]]
name = "zone"
options = ["surrender", "dmz"]

[[negotiation.parties]]
name = "UKR"
reservation = 0.2
weights = { years = 0.5, zone = 0.5 }
values = { years = { shape = "linear", at_min = 0.0, at_max = 1.0 }, zone = { surrender = 0.0, dmz = 1.0 } }
stances = { years = { position = 100, salience = 80 } }
red_lines = [ { forbid = { zone = "surrender" } }, { issue = "years", min = 10 } ]

[[negotiation.parties]]
name = "RUS"
weights = { years = 0.5, zone = 0.5 }
values = { years = { shape = "linear", at_min = 1.0, at_max = 0.0 }, zone = { surrender = 1.0, dmz = 0.0 } }

[[negotiation.blocs]]
name = "b"
members = ["UKR"]
adversary = "RUS"
"#;

    #[test]
    fn a_scenario_becomes_issues_parties_red_lines_and_blocs() {
        let s = read(TOML, "s.toml").unwrap();
        let n = &s.negotiation;
        assert_eq!(n.issues[0].labels, vec!["0", "10", "20"]);
        assert_eq!(n.red_lines.len(), 2);
        assert!(n.red_lines[0].is_broken_by(&[2, 0]));
        assert!(n.red_lines[1].is_broken_by(&[0, 1]));
        assert!(!n.red_lines[1].is_broken_by(&[1, 1]));
        assert_eq!(n.blocs[0].adversary, Some(1));
        assert_eq!(s.scales[0], vec![0.0, 50.0, 100.0]);
        assert_eq!(s.forecast_input().stances[0].salience, 0.8);
    }

    #[test]
    fn an_unknown_option_in_a_value_table_names_the_line_of_the_party() {
        let bad = TOML.replace(
            "zone = { surrender = 0.0, dmz = 1.0 }",
            "zone = { surrender = 0.0, dmzz = 1.0 }",
        );
        let err = read(&bad, "s.toml").unwrap_err().to_string();
        assert!(err.contains("line 18") && err.contains("dmzz"), "{err}");
    }

    #[test]
    fn a_typo_in_a_field_name_is_an_error_with_a_line() {
        let bad = TOML.replace("reservation = 0.2", "reservaton = 0.2");
        let err = read(&bad, "s.toml").unwrap_err().to_string();
        assert!(err.contains("reservaton"), "{err}");
        assert!(err.contains("line "), "{err}");
    }
}
