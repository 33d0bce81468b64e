//! Readers for GENIUS / ANAC negotiation domains: the domain XML (`negotiation_template`)
//! and one utility-space XML per party (`utility_space`).
//!
//! Two readings of the same files are offered, because the field's two reference tools
//! disagree ([`Semantics`]):
//!
//! * **GENIUS** (default): a discrete evaluation is divided by the issue's largest evaluation
//!   when that largest evaluation, rounded to an integer, exceeds 1 (and the evaluation itself
//!   is rounded first); an integer issue's linear evaluator is applied to `value - lowerbound`
//!   and clamped to 0..1; a party's total utility is capped at 1.
//! * **Raw** (NegMAS): evaluations are used as written, an integer issue's evaluator is applied
//!   to the value itself, and nothing is capped.
//!
//! Weights are used as written in both. Real-valued issues are not supported (the ANAC data
//! this crate was checked against has none); the reader says so.

use roxmltree::{Document, Node};

use crate::error::ReadError;
use crate::model::{Issue, Negotiation, Party, ValueFunction};

/// How to read evaluations (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Semantics {
    /// GENIUS's rules (the default).
    #[default]
    Genius,
    /// NegMAS's rules: numbers as written.
    Raw,
}

impl Semantics {
    /// The name used on the command line and in documents (`genius`, `raw`).
    pub fn name(self) -> &'static str {
        match self {
            Semantics::Genius => "genius",
            Semantics::Raw => "raw",
        }
    }
}

/// A domain as read: issues plus what a profile needs to match against them.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The issues, ordered by their `index` attribute.
    pub issues: Vec<Issue>,
    /// Each issue's `index` attribute.
    pub indices: Vec<i64>,
    /// For integer issues, the lower bound (`None` for discrete issues).
    pub lower_bounds: Vec<Option<i64>>,
}

fn parse_doc<'a>(text: &'a str, file: &str) -> Result<Document<'a>, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Document::parse(text).map_err(|e| {
        let pos = e.pos();
        ReadError {
            file: file.to_owned(),
            location: crate::error::Location::Line {
                line: pos.row as usize,
                column: Some(pos.col as usize),
            },
            message: format!("not well-formed XML: {e}"),
        }
    })
}

fn line_of(doc: &Document<'_>, node: Node<'_, '_>) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}

fn attr_number(
    doc: &Document<'_>,
    file: &str,
    node: Node<'_, '_>,
    name: &str,
) -> Result<f64, ReadError> {
    let raw = node.attribute(name).ok_or_else(|| {
        ReadError::at_line(
            file,
            line_of(doc, node),
            format!(
                "<{}> has no `{name}` attribute; expected a number",
                node.tag_name().name()
            ),
        )
    })?;
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            ReadError::at_line(
                file,
                line_of(doc, node),
                format!(
                    "<{}> attribute `{name}` is {raw:?}; expected a number",
                    node.tag_name().name()
                ),
            )
        })
}

fn attr_int(
    doc: &Document<'_>,
    file: &str,
    node: Node<'_, '_>,
    name: &str,
) -> Result<i64, ReadError> {
    let v = attr_number(doc, file, node, name)?;
    if v.fract() != 0.0 {
        return Err(ReadError::at_line(
            file,
            line_of(doc, node),
            format!(
                "<{}> attribute `{name}` is {v}; expected an integer",
                node.tag_name().name()
            ),
        ));
    }
    Ok(v as i64)
}

fn issue_type<'a>(node: Node<'a, '_>) -> &'a str {
    node.attribute("type")
        .or_else(|| node.attribute("etype"))
        .or_else(|| node.attribute("vtype"))
        .unwrap_or("discrete")
}

/// Bounds of an integer issue: attributes on the issue, or a `<range>` child.
fn bounds(
    doc: &Document<'_>,
    file: &str,
    node: Node<'_, '_>,
) -> Result<Option<(i64, i64)>, ReadError> {
    if node.attribute("lowerbound").is_some() {
        return Ok(Some((
            attr_int(doc, file, node, "lowerbound")?,
            attr_int(doc, file, node, "upperbound")?,
        )));
    }
    if let Some(range) = node.children().find(|c| c.has_tag_name("range")) {
        return Ok(Some((
            attr_int(doc, file, range, "lowerbound")?,
            attr_int(doc, file, range, "upperbound")?,
        )));
    }
    Ok(None)
}

/// Reads a GENIUS domain file.
pub fn read_domain(text: &str, file: &str) -> Result<Domain, ReadError> {
    let doc = parse_doc(text, file)?;
    let root = doc.root_element();
    let mut issues: Vec<(i64, Issue, Option<i64>)> = Vec::new();
    for node in root.descendants().filter(|n| n.has_tag_name("issue")) {
        let line = line_of(&doc, node);
        let index = attr_int(&doc, file, node, "index")?;
        let name = node.attribute("name").ok_or_else(|| {
            ReadError::at_line(
                file,
                line,
                "<issue> has no `name` attribute; expected the issue's name",
            )
        })?;
        match issue_type(node) {
            "discrete" => {
                let mut items: Vec<(i64, String, usize)> = Vec::new();
                for item in node.children().filter(|c| c.has_tag_name("item")) {
                    let iline = line_of(&doc, item);
                    let value = item.attribute("value").ok_or_else(|| {
                        ReadError::at_line(file, iline, format!("<item> of issue `{name}` has no `value` attribute; expected the option's label"))
                    })?;
                    let idx = if item.attribute("index").is_some() {
                        attr_int(&doc, file, item, "index")?
                    } else {
                        items.len() as i64 + 1
                    };
                    if items.iter().any(|(_, v, _)| v == value) {
                        return Err(ReadError::at_line(
                            file,
                            iline,
                            format!("issue `{name}` lists the value {value:?} twice"),
                        ));
                    }
                    items.push((idx, value.to_owned(), iline));
                }
                if items.is_empty() {
                    return Err(ReadError::at_line(
                        file,
                        line,
                        format!("discrete issue `{name}` has no <item>; expected at least one"),
                    ));
                }
                items.sort_by_key(|(i, _, _)| *i);
                issues.push((
                    index,
                    Issue::options(name, items.into_iter().map(|(_, v, _)| v)),
                    None,
                ));
            }
            "integer" => {
                let Some((lo, hi)) = bounds(&doc, file, node)? else {
                    return Err(ReadError::at_line(
                        file,
                        line,
                        format!(
                            "integer issue `{name}` has no lowerbound/upperbound; expected both"
                        ),
                    ));
                };
                if hi < lo || hi - lo > 1_000_000 {
                    return Err(ReadError::at_line(
                        file,
                        line,
                        format!(
                            "integer issue `{name}` has bounds {lo}..{hi}; expected lowerbound <= upperbound and at most 1,000,000 values"
                        ),
                    ));
                }
                let values: Vec<f64> = (lo..=hi).map(|v| v as f64).collect();
                let labels = (lo..=hi).map(|v| v.to_string()).collect();
                issues.push((
                    index,
                    Issue {
                        name: name.to_owned(),
                        labels,
                        values: Some(values),
                    },
                    Some(lo),
                ));
            }
            other => {
                return Err(ReadError::at_line(
                    file,
                    line,
                    format!(
                        "issue `{name}` has type {other:?}; only discrete and integer issues are supported"
                    ),
                ));
            }
        }
    }
    if issues.is_empty() {
        return Err(ReadError::in_file(
            file,
            "no <issue> element found; expected a GENIUS domain (<negotiation_template>)",
        ));
    }
    issues.sort_by_key(|(i, _, _)| *i);
    for pair in issues.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(ReadError::in_file(
                file,
                format!("two issues have index {}", pair[0].0),
            ));
        }
    }
    Ok(Domain {
        indices: issues.iter().map(|(i, _, _)| *i).collect(),
        lower_bounds: issues.iter().map(|(_, _, l)| *l).collect(),
        issues: issues.into_iter().map(|(_, i, _)| i).collect(),
    })
}

/// Java's `Math.round` for the values GENIUS rounds.
fn java_round(v: f64) -> f64 {
    (v + 0.5).floor()
}

/// Reads one party's utility-space file against `domain`. The party is named `name`.
pub fn read_profile(
    text: &str,
    file: &str,
    name: &str,
    domain: &Domain,
    semantics: Semantics,
) -> Result<Party, ReadError> {
    let doc = parse_doc(text, file)?;
    let root = doc.root_element();
    if !root.has_tag_name("utility_space") {
        return Err(ReadError::at_line(
            file,
            line_of(&doc, root),
            format!(
                "root element is <{}>; expected <utility_space> (a GENIUS profile)",
                root.tag_name().name()
            ),
        ));
    }
    let mut reservation = 0.0;
    if let Some(r) = root.children().find(|c| c.has_tag_name("reservation")) {
        reservation = attr_number(&doc, file, r, "value")?;
        if !(0.0..=1.0).contains(&reservation) {
            return Err(ReadError::at_line(
                file,
                line_of(&doc, r),
                format!(
                    "reservation value {reservation} is outside the utility scale; expected a number from 0 to 1"
                ),
            ));
        }
    }
    let objective = root
        .children()
        .find(|c| c.has_tag_name("objective"))
        .unwrap_or(root);
    let n = domain.issues.len();
    let by_index = |index: i64| domain.indices.iter().position(|&i| i == index);

    let mut weights: Vec<Option<f64>> = vec![None; n];
    for w in objective.descendants().filter(|c| c.has_tag_name("weight")) {
        let index = attr_int(&doc, file, w, "index")?;
        let Some(k) = by_index(index) else {
            return Err(ReadError::at_line(
                file,
                line_of(&doc, w),
                format!("<weight> has index {index}, which is no issue of the domain"),
            ));
        };
        weights[k] = Some(attr_number(&doc, file, w, "value")?);
    }

    let mut values: Vec<Option<Vec<f64>>> = vec![None; n];
    for node in objective.descendants().filter(|c| c.has_tag_name("issue")) {
        let line = line_of(&doc, node);
        let k = match node
            .attribute("name")
            .and_then(|nm| domain.issues.iter().position(|i| i.name == nm))
        {
            Some(k) => k,
            None => {
                let index = attr_int(&doc, file, node, "index")?;
                by_index(index).ok_or_else(|| {
                    ReadError::at_line(
                        file,
                        line,
                        format!(
                            "<issue name={:?} index={index}> matches no issue of the domain by name or index",
                            node.attribute("name").unwrap_or("")
                        ),
                    )
                })?
            }
        };
        let issue = &domain.issues[k];
        let table = match domain.lower_bounds[k] {
            None => discrete_values(&doc, file, node, issue, semantics)?,
            Some(domain_lower) => {
                if let Some(profile) = bounds(&doc, file, node)? {
                    check_bounds(
                        file,
                        line,
                        issue,
                        profile,
                        (domain_lower, domain_upper(issue)),
                    )?;
                }
                integer_values(&doc, file, node, issue, domain_lower, semantics)?
            }
        };
        values[k] = Some(table);
    }

    let mut party_weights = Vec::with_capacity(n);
    let mut party_values = Vec::with_capacity(n);
    for k in 0..n {
        let issue = &domain.issues[k].name;
        let Some(w) = weights[k] else {
            return Err(ReadError::in_file(
                file,
                format!(
                    "no <weight> for issue `{issue}` (index {}); expected one per issue",
                    domain.indices[k]
                ),
            ));
        };
        let Some(v) = values[k].take() else {
            return Err(ReadError::in_file(
                file,
                format!("no evaluation for issue `{issue}`; expected an <issue> element for it"),
            ));
        };
        party_weights.push(w);
        party_values.push(ValueFunction::Table(v));
    }
    let mut party = Party::new(name, party_weights, party_values);
    party.reservation = reservation;
    if semantics == Semantics::Genius {
        party.cap = Some(1.0);
    }
    Ok(party)
}

/// The upper bound of an integer issue read from the domain (its last value).
fn domain_upper(issue: &Issue) -> i64 {
    issue
        .values
        .as_ref()
        .and_then(|v| v.last())
        .map_or(i64::MIN, |&v| v as i64)
}

/// A profile's bounds of an integer issue must be the domain's: the evaluator is applied to
/// `value − lowerbound`, so a different lower bound silently shifts every utility (one
/// changed bound in a Killer Robot profile grows its frontier from 7,444 to 35,986 points),
/// and values outside the profile's range would have no evaluation at all.
fn check_bounds(
    file: &str,
    line: usize,
    issue: &Issue,
    (lower, upper): (i64, i64),
    (domain_lower, domain_upper): (i64, i64),
) -> Result<(), ReadError> {
    if lower > upper {
        return Err(ReadError::at_line(
            file,
            line,
            format!(
                "integer issue `{}` has lowerbound {lower} > upperbound {upper}; expected lowerbound <= upperbound, and the domain's bounds {domain_lower}..{domain_upper}",
                issue.name
            ),
        ));
    }
    if (lower, upper) != (domain_lower, domain_upper) {
        return Err(ReadError::at_line(
            file,
            line,
            format!(
                "integer issue `{}` has bounds {lower}..{upper} here but {domain_lower}..{domain_upper} in the domain; expected the domain's bounds",
                issue.name
            ),
        ));
    }
    Ok(())
}

fn discrete_values(
    doc: &Document<'_>,
    file: &str,
    node: Node<'_, '_>,
    issue: &Issue,
    semantics: Semantics,
) -> Result<Vec<f64>, ReadError> {
    let mut raw: Vec<Option<f64>> = vec![None; issue.len()];
    for item in node.children().filter(|c| c.has_tag_name("item")) {
        let line = line_of(doc, item);
        let label = item.attribute("value").ok_or_else(|| {
            ReadError::at_line(
                file,
                line,
                format!("<item> of issue `{}` has no `value` attribute", issue.name),
            )
        })?;
        let Some(o) = issue.option_index(label) else {
            return Err(ReadError::at_line(
                file,
                line,
                format!(
                    "issue `{}` has no value {label:?} in the domain",
                    issue.name
                ),
            ));
        };
        let e = attr_number(doc, file, item, "evaluation")?;
        if e < 0.0 && semantics == Semantics::Genius {
            return Err(ReadError::at_line(
                file,
                line,
                format!(
                    "evaluation {e} of {label:?} is negative; GENIUS expects evaluations >= 0 (use --semantics raw to read it as written)"
                ),
            ));
        }
        raw[o] = Some(e);
    }
    let mut out = Vec::with_capacity(raw.len());
    for (o, v) in raw.iter().enumerate() {
        let Some(v) = v else {
            return Err(ReadError::at_line(
                file,
                line_of(doc, node),
                format!(
                    "issue `{}` gives no evaluation for value {:?}; expected one <item> per value",
                    issue.name, issue.labels[o]
                ),
            ));
        };
        out.push(*v);
    }
    if semantics == Semantics::Genius {
        let max = java_round(out.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        if max > 1.0 {
            for v in &mut out {
                *v = java_round(*v) / max;
            }
        }
    }
    Ok(out)
}

fn integer_values(
    doc: &Document<'_>,
    file: &str,
    node: Node<'_, '_>,
    issue: &Issue,
    lower: i64,
    semantics: Semantics,
) -> Result<Vec<f64>, ReadError> {
    let Some(ev) = node.children().find(|c| c.has_tag_name("evaluator")) else {
        return Err(ReadError::at_line(
            file,
            line_of(doc, node),
            format!(
                "integer issue `{}` has no <evaluator>; expected <evaluator ftype=\"linear\" slope=.. offset=..>",
                issue.name
            ),
        ));
    };
    let ftype = ev.attribute("ftype").unwrap_or("linear");
    if ftype != "linear" {
        return Err(ReadError::at_line(
            file,
            line_of(doc, ev),
            format!(
                "evaluator type {ftype:?} of issue `{}` is not supported; expected \"linear\"",
                issue.name
            ),
        ));
    }
    let pick = |a: &str, b: &str, default: f64| -> Result<f64, ReadError> {
        if ev.attribute(a).is_some() {
            attr_number(doc, file, ev, a)
        } else if ev.attribute(b).is_some() {
            attr_number(doc, file, ev, b)
        } else {
            Ok(default)
        }
    };
    let slope = pick("slope", "parameter1", 1.0)?;
    let offset = pick("offset", "parameter0", 0.0)?;
    let values = issue.values.as_deref().unwrap_or(&[]);
    Ok(values
        .iter()
        .map(|&x| match semantics {
            Semantics::Genius => (slope * (x - lower as f64) + offset).clamp(0.0, 1.0),
            Semantics::Raw => slope * x + offset,
        })
        .collect())
}

/// Reads a domain and its profiles into a negotiation. Each profile is `(text, file name)`;
/// parties are named after the file names without directory and extension.
pub fn read_negotiation(
    domain_text: &str,
    domain_file: &str,
    profiles: &[(&str, &str)],
    semantics: Semantics,
) -> Result<Negotiation, ReadError> {
    let domain = read_domain(domain_text, domain_file)?;
    let mut parties = Vec::with_capacity(profiles.len());
    for (text, file) in profiles {
        let stem = std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(file);
        parties.push(read_profile(text, file, stem, &domain, semantics)?);
    }
    Ok(Negotiation {
        issues: domain.issues,
        parties,
        red_lines: Vec::new(),
        blocs: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOMAIN: &str = r#"<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="root" type="objective">
  <issue index="2" name="Years" type="integer" lowerbound="10" upperbound="12"/>
  <issue index="1" name="Zone" type="discrete">
    <item index="2" value="freeze"/>
    <item index="1" value="dmz"/>
  </issue>
</objective></utility_space></negotiation_template>"#;

    const PROFILE: &str = r#"<utility_space><reservation value="0.25"/>
<objective index="0" name="other">
  <issue index="1" name="Zone" type="discrete">
    <item value="dmz" evaluation="4"/><item value="freeze" evaluation="2"/>
  </issue>
  <issue index="2" name="Years" type="integer" lowerbound="10" upperbound="12">
    <evaluator ftype="linear" slope="0.5" offset="0.25"/>
  </issue>
  <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective></utility_space>"#;

    #[test]
    fn issues_and_items_are_ordered_by_their_index_attributes() {
        let d = read_domain(DOMAIN, "d.xml").unwrap();
        assert_eq!(d.issues[0].name, "Zone");
        assert_eq!(d.issues[0].labels, vec!["dmz", "freeze"]);
        assert_eq!(d.issues[1].labels, vec!["10", "11", "12"]);
    }

    #[test]
    fn genius_semantics_normalise_discrete_and_offset_integer_issues() {
        let d = read_domain(DOMAIN, "d.xml").unwrap();
        let p = read_profile(PROFILE, "p.xml", "P", &d, Semantics::Genius).unwrap();
        assert_eq!(p.values[0], ValueFunction::Table(vec![1.0, 0.5]));
        assert_eq!(p.values[1], ValueFunction::Table(vec![0.25, 0.75, 1.0]));
        assert_eq!(p.reservation, 0.25);
        assert_eq!(p.cap, Some(1.0));
        let raw = read_profile(PROFILE, "p.xml", "P", &d, Semantics::Raw).unwrap();
        assert_eq!(raw.values[0], ValueFunction::Table(vec![4.0, 2.0]));
        assert_eq!(raw.values[1], ValueFunction::Table(vec![5.25, 5.75, 6.25]));
        assert_eq!(raw.cap, None);
    }

    #[test]
    fn a_missing_evaluation_names_the_file_line_and_value() {
        let d = read_domain(DOMAIN, "d.xml").unwrap();
        let broken = PROFILE.replace(r#"<item value="freeze" evaluation="2"/>"#, "");
        let err = read_profile(&broken, "p.xml", "P", &d, Semantics::Genius).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.xml: line 3"), "{msg}");
        assert!(msg.contains("freeze"), "{msg}");
    }

    #[test]
    fn malformed_xml_is_reported_with_a_position() {
        let err = read_domain("<negotiation_template><issue", "bad.xml").unwrap_err();
        assert!(err.to_string().starts_with("bad.xml: line 1"), "{err}");
    }
}
