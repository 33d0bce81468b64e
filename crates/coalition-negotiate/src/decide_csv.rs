//! Reader for the exchange-model input used by `decide-exchange-model`: one record per line,
//! the first field giving the record type.
//!
//! | type | fields | meaning |
//! |---|---|---|
//! | `#A` | key, name, comment | an actor |
//! | `#P` | key, name, description | an issue |
//! | `#M` | issue, position, description | a labelled point of the issue's scale |
//! | `#D` | actor, issue, position, salience, power, comment | a stance |
//! | `#/`, `#O`, `#0` | anything | a comment |
//!
//! The delimiter (tab, semicolon or comma) and the quote character (`'` or `"`) are guessed
//! from the first 1024 bytes, as decide does with Python's `csv.Sniffer`. An issue's scale runs
//! from the smallest to the largest of its `#M` positions (0..100 without any); decide 2022
//! mis-reads the lower bound when `#M` rows are not in ascending order, and this reader simply
//! takes the minimum.

use crate::error::ReadError;
use crate::forecast::{ForecastInput, ForecastIssue, ForecastStance};

fn sniff(text: &str) -> (u8, u8) {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let delimiter = if sample.contains('\t') {
        b'\t'
    } else if sample.contains(';') {
        b';'
    } else {
        b','
    };
    let single = sample.matches('\'').count();
    let double = sample.matches('"').count();
    let quote = if single > double { b'\'' } else { b'"' };
    (delimiter, quote)
}

fn number(file: &str, line: usize, what: &str, raw: Option<&str>) -> Result<f64, ReadError> {
    let raw = raw.map(str::trim).unwrap_or("");
    raw.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            ReadError::at_line(file, line, format!("{what} is {raw:?}; expected a number"))
        })
}

fn key(file: &str, line: usize, what: &str, raw: Option<&str>) -> Result<String, ReadError> {
    match raw.map(str::trim) {
        Some(k) if !k.is_empty() => Ok(k.to_owned()),
        _ => Err(ReadError::at_line(
            file,
            line,
            format!("{what} is missing; expected a key"),
        )),
    }
}

/// Reads decide's CSV format into a forecast input.
pub fn read(text: &str, file: &str) -> Result<ForecastInput, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (delimiter, quote) = sniff(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quote(quote)
        .from_reader(text.as_bytes());

    let mut input = ForecastInput::default();
    let mut marks: Vec<Option<(f64, f64)>> = Vec::new();
    // #M and #D rows are resolved after all #A and #P rows are known, as decide does.
    let mut later: Vec<(usize, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ReadError::at_line(file, line, format!("unreadable record: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let fields: Vec<String> = record.iter().map(|f| f.trim().to_owned()).collect();
        if fields.iter().all(String::is_empty) {
            continue;
        }
        let kind = fields[0].as_str();
        let f = |i: usize| fields.get(i).map(String::as_str);
        match kind {
            "#A" => {
                let k = key(file, line, "actor key (field 2)", f(1))?;
                if input.actors.contains(&k) {
                    return Err(ReadError::at_line(
                        file,
                        line,
                        format!("actor `{k}` is defined twice"),
                    ));
                }
                input.actors.push(k);
            }
            "#P" => {
                let k = key(file, line, "issue key (field 2)", f(1))?;
                if input.issues.iter().any(|i| i.name == k) {
                    return Err(ReadError::at_line(
                        file,
                        line,
                        format!("issue `{k}` is defined twice"),
                    ));
                }
                input.issues.push(ForecastIssue {
                    name: k,
                    lower: 0.0,
                    upper: 100.0,
                });
                marks.push(None);
            }
            "#M" | "#D" => later.push((line, fields.clone())),
            "#/" | "#O" | "#0" => {}
            other => {
                return Err(ReadError::at_line(
                    file,
                    line,
                    format!(
                        "record type {other:?} is unknown; expected #A, #P, #M, #D or a comment (#/)"
                    ),
                ));
            }
        }
    }
    let issue_of = |issues: &[ForecastIssue], name: &str, line: usize| {
        issues.iter().position(|i| i.name == name).ok_or_else(|| {
            ReadError::at_line(
                file,
                line,
                format!("issue `{name}` is not defined by a #P record"),
            )
        })
    };
    for (line, fields) in later.iter().filter(|(_, f)| f[0] == "#M") {
        let f = |i: usize| fields.get(i).map(String::as_str);
        let name = key(file, *line, "issue key (field 2)", f(1))?;
        let issue = issue_of(&input.issues, &name, *line)?;
        let v = number(file, *line, "position (field 3)", f(2))?;
        marks[issue] = Some(match marks[issue] {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
    }
    for (issue, m) in input.issues.iter_mut().zip(&marks) {
        if let Some((lo, hi)) = m {
            issue.lower = *lo;
            issue.upper = *hi;
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (line, fields) in later.iter().filter(|(_, f)| f[0] == "#D") {
        let line = *line;
        let f = |i: usize| fields.get(i).map(String::as_str);
        let actor_key = key(file, line, "actor key (field 2)", f(1))?;
        let actor = input
            .actors
            .iter()
            .position(|a| *a == actor_key)
            .ok_or_else(|| {
                ReadError::at_line(
                    file,
                    line,
                    format!("actor `{actor_key}` is not defined by an #A record"),
                )
            })?;
        let issue_key = key(file, line, "issue key (field 3)", f(2))?;
        let issue = issue_of(&input.issues, &issue_key, line)?;
        let position = number(file, line, "position (field 4)", f(3))?;
        let salience = number(file, line, "salience (field 5)", f(4))?;
        let power = number(file, line, "power (field 6)", f(5))?;
        let range = &input.issues[issue];
        if position < range.lower || position > range.upper {
            return Err(ReadError::at_line(
                file,
                line,
                format!(
                    "position {position} of `{actor_key}` on `{issue_key}` is outside the issue's range {}..{} (set by its #M records)",
                    range.lower, range.upper
                ),
            ));
        }
        for (what, v) in [("salience", salience), ("power", power)] {
            if !(0.0..=100.0).contains(&v) {
                return Err(ReadError::at_line(
                    file,
                    line,
                    format!("{what} {v} is outside 0..100"),
                ));
            }
        }
        if !seen.insert((actor, issue)) {
            return Err(ReadError::at_line(
                file,
                line,
                format!("`{actor_key}` has a second #D record on `{issue_key}`"),
            ));
        }
        input.stances.push(ForecastStance {
            actor,
            issue,
            position,
            salience,
            power,
        });
    }
    if input.stances.is_empty() {
        return Err(ReadError::in_file(
            file,
            "no #D record found; expected actor positions",
        ));
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_tab_separated_rows_are_read_and_marks_set_the_scale() {
        let text = "'#A'\t'X'\t'X'\t''\n'#A'\t'Y'\t'Y'\t''\n'#P'\t'toll'\t'toll'\t''\n\
                    '#M'\t'toll'\t7\n'#M'\t'toll'\t0.5\n\
                    '#D'\t'X'\t'toll'\t3.0\t0.7\t1.0\t\n'#D'\t'Y'\t'toll'\t5\t0.5\t0.5\n";
        let input = read(text, "in.csv").unwrap();
        assert_eq!(input.actors, vec!["X", "Y"]);
        assert_eq!((input.issues[0].lower, input.issues[0].upper), (0.5, 7.0));
        assert_eq!(input.stances[1].position, 5.0);
    }

    #[test]
    fn an_undefined_actor_is_reported_with_its_line() {
        let text = "#A;X;X;\n#P;p;p;\n#D;Z;p;50;0.5;1\n";
        let err = read(text, "in.csv").unwrap_err().to_string();
        assert!(err.starts_with("in.csv: line 3"), "{err}");
        assert!(err.contains("`Z`"), "{err}");
    }

    #[test]
    fn a_position_outside_the_marks_is_refused() {
        let text = "#A;X;X;\n#P;p;p;\n#M;p;0\n#M;p;10\n#D;X;p;50;0.5;1\n";
        let err = read(text, "in.csv").unwrap_err().to_string();
        assert!(err.contains("line 5") && err.contains("outside"), "{err}");
    }
}
