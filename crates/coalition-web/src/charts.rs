//! Charts drawn on the server as SVG: the heatmap of guarantors × categories and the coverage
//! timeline. Each is built from the same numbers as the table printed under it, has a title
//! and a description for screen readers, axis labels and a legend, and needs no script or font.

use std::fmt::Write as _;

use coalition_core::commitment::Strength;
use coalition_core::names::Named as _;

use crate::i18n::Tr;

/// Text safe inside SVG/XML.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The fill of a strength, and of no cover.
pub(crate) fn fill(strength: Option<Strength>) -> &'static str {
    match strength {
        Some(Strength::Guarantee) => "#08519c",
        Some(Strength::PoliticalCommitment) => "#6baed6",
        Some(Strength::Assurance) => "#fdae6b",
        None => "#f4f4f4",
    }
}

/// One cell of the heatmap: the strongest live commitment and how many there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) strength: Strength,
    pub(crate) count: usize,
}

/// Guarantors (rows) × categories (columns).
#[derive(Clone, Debug, Default)]
pub(crate) struct Heatmap {
    pub(crate) guarantors: Vec<String>,
    pub(crate) categories: Vec<String>,
    /// `cells[row][column]`.
    pub(crate) cells: Vec<Vec<Option<Cell>>>,
}

const CELL: usize = 30;

fn legend(out: &mut String, t: Tr, x: usize, y: usize, with_gap: bool) {
    let mut entries: Vec<(Option<Strength>, String)> = Strength::ALL
        .iter()
        .rev()
        .map(|s| (Some(*s), t.name("strength", s.name())))
        .collect();
    if with_gap {
        entries.push((None, t.get("chart-not-covered")));
    }
    let _ = write!(out, r#"<g class="legend" transform="translate({x},{y})">"#);
    for (i, (strength, label)) in entries.iter().enumerate() {
        let dy = i * 20;
        let dash = if *strength == Some(Strength::Assurance) {
            r##" stroke="#8c4a00" stroke-dasharray="3 2""##
        } else {
            r##" stroke="#999""##
        };
        let _ = write!(
            out,
            r#"<rect x="0" y="{dy}" width="14" height="14" fill="{}"{dash}/><text x="20" y="{}" font-size="12">{}</text>"#,
            fill(*strength),
            dy + 11,
            escape(label)
        );
    }
    out.push_str("</g>");
}

/// The heatmap as SVG.
pub(crate) fn heatmap(t: Tr, map: &Heatmap) -> String {
    let left = 60;
    let top = 170;
    let width = left + map.categories.len() * CELL + 220;
    let height = (top + map.guarantors.len() * CELL + 40).max(top + 100);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="heatmap-title heatmap-desc" class="chart"><title id="heatmap-title">{}</title><desc id="heatmap-desc">{}</desc>"#,
        escape(&t.get("heatmap-title")),
        escape(&t.get("heatmap-desc"))
    );
    for (j, category) in map.categories.iter().enumerate() {
        let x = left + j * CELL + CELL / 2;
        let _ = write!(
            out,
            r#"<text transform="translate({x},{}) rotate(-55)" font-size="11">{}</text>"#,
            top - 6,
            escape(&t.name("category", category))
        );
    }
    for (i, guarantor) in map.guarantors.iter().enumerate() {
        let y = top + i * CELL;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            left - 6,
            y + CELL / 2 + 4,
            escape(guarantor)
        );
        for (j, cell) in map.cells[i].iter().enumerate() {
            let x = left + j * CELL;
            let strength = cell.map(|c| c.strength);
            let label = match cell {
                Some(c) => format!(
                    "{guarantor} × {}: {} ({})",
                    t.name("category", &map.categories[j]),
                    t.name("strength", c.strength.name()),
                    c.count
                ),
                None => format!(
                    "{guarantor} × {}: —",
                    t.name("category", &map.categories[j])
                ),
            };
            let _ = write!(
                out,
                r##"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{}" stroke="#fff"><title>{}</title></rect>"##,
                fill(strength),
                escape(&label)
            );
            if let Some(c) = cell {
                let ink = if c.strength == Strength::Guarantee {
                    "#fff"
                } else {
                    "#000"
                };
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{ink}">{}</text>"#,
                    x + CELL / 2,
                    y + CELL / 2 + 4,
                    c.count
                );
            }
        }
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="12" font-weight="bold">{}</text>"#,
        left,
        14,
        escape(&t.get("heatmap-axes"))
    );
    legend(
        &mut out,
        t,
        left + map.categories.len() * CELL + 20,
        top,
        false,
    );
    out.push_str("</svg>");
    out
}

/// One row of the coverage timeline: a category and its strongest cover on each anniversary.
#[derive(Clone, Debug)]
pub(crate) struct TimelineRow {
    pub(crate) category: String,
    pub(crate) years: Vec<Option<Strength>>,
}

/// The coverage timeline as SVG: a bar per year covered, coloured by strength; assurances
/// (no deadline) outlined dashed; gaps left empty.
pub(crate) fn timeline(t: Tr, years: &[i32], rows: &[TimelineRow]) -> String {
    let left = 180;
    let top = 40;
    let column = 24;
    let row_height = 26;
    let width = left + years.len() * column + 220;
    let height = (top + rows.len() * row_height + 40).max(top + 100);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="timeline-title timeline-desc" class="chart"><title id="timeline-title">{}</title><desc id="timeline-desc">{}</desc>"#,
        escape(&t.get("timeline-title")),
        escape(&t.get("timeline-desc"))
    );
    for (j, year) in years.iter().enumerate() {
        if j % 2 == 0 {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="11" text-anchor="middle">{year}</text>"#,
                left + j * column + column / 2,
                top - 8
            );
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let y = top + i * row_height;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            left - 8,
            y + row_height / 2 + 3,
            escape(&t.name("category", &row.category))
        );
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>"##,
            y + row_height / 2,
            left + years.len() * column,
            y + row_height / 2
        );
        for (j, strength) in row.years.iter().enumerate() {
            let Some(strength) = strength else { continue };
            let dash = if *strength == Strength::Assurance {
                r##" stroke="#8c4a00" stroke-dasharray="3 2""##
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{column}" height="{}" fill="{}"{dash}><title>{}</title></rect>"#,
                left + j * column,
                y + 4,
                row_height - 8,
                fill(Some(*strength)),
                escape(&format!(
                    "{} {}: {}",
                    t.name("category", &row.category),
                    years[j],
                    t.name("strength", strength.name())
                ))
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="{left}" y="{}" font-size="12">{}</text>"#,
        top + rows.len() * row_height + 20,
        escape(&t.get("timeline-axis"))
    );
    legend(&mut out, t, left + years.len() * column + 20, top, true);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn text_in_a_chart_is_escaped() {
        let map = Heatmap {
            guarantors: vec!["<script>".into()],
            categories: vec!["a&b".into()],
            cells: vec![vec![Some(Cell {
                strength: Strength::Guarantee,
                count: 2,
            })]],
        };
        let svg = heatmap(Tr { lang: Lang::En }, &map);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a&amp;b"));
        assert!(svg.contains(">2</text>"));
    }
}
