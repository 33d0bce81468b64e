//! Draft files: the paragraphs of a statement version, each with its marking.
//!
//! Markdown: paragraphs are separated by blank lines and each starts with a portion marking in
//! parentheses, as classified documents are marked: `(PUBLIC) We, the leaders …` or
//! `(SECRET//REL TO FRA, GBR, UKR) The operational modalities …`. Lines starting with `#` are
//! headings and are skipped. A paragraph without a marking is an error: nothing is public by
//! accident.
//!
//! TOML: `[[paragraphs]]` tables with `text` and `marking` (the same printed form).

use coalition_core::classification::Marking;
use coalition_core::statement::Paragraph;
use serde::Deserialize;

use super::SourceError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDraft {
    paragraphs: Vec<TomlParagraph>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlParagraph {
    text: String,
    marking: String,
}

/// Reads a draft's paragraphs: TOML when `name` ends in `.toml`, Markdown otherwise. `name` is
/// only used in messages.
pub fn parse_draft(name: &str, text: &str) -> Result<Vec<Paragraph>, SourceError> {
    super::check_size(name, text, super::MAX_DRAFT_BYTES)?;
    if name.ends_with(".toml") {
        parse_toml(name, text)
    } else {
        parse_markdown(name, text)
    }
}

/// Parses the TOML form.
fn parse_toml(name: &str, text: &str) -> Result<Vec<Paragraph>, SourceError> {
    let draft: TomlDraft = toml::from_str(text)
        .map_err(|e| SourceError::at(name, text, e.span(), e.message().trim()))?;
    draft
        .paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let marking: Marking = p
                .marking
                .parse()
                .map_err(|e| SourceError::whole(name, format!("paragraphs[{i}].marking: {e}")))?;
            Ok(Paragraph {
                text: p.text.trim().to_owned(),
                marking,
            })
        })
        .collect()
}

/// Parses the Markdown form.
fn parse_markdown(name: &str, text: &str) -> Result<Vec<Paragraph>, SourceError> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start_line = 0;
    let lines = text.lines().chain(std::iter::once(""));
    for (index, line) in lines.enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if !current.is_empty() {
                paragraphs.push(marked_paragraph(name, start_line, &current.join(" "))?);
                current.clear();
            }
            continue;
        }
        if current.is_empty() {
            start_line = index + 1;
        }
        current.push(trimmed);
    }
    if paragraphs.is_empty() {
        return Err(SourceError::whole(name, "no paragraphs found"));
    }
    Ok(paragraphs)
}

fn marked_paragraph(name: &str, line: usize, text: &str) -> Result<Paragraph, SourceError> {
    let missing = || {
        SourceError::line(
            name,
            line,
            "paragraph has no portion marking; start it with (PUBLIC), (RESTRICTED), (SECRET//REL TO FRA, GBR) …",
        )
    };
    let rest = text.strip_prefix('(').ok_or_else(missing)?;
    let (marking, body) = rest.split_once(')').ok_or_else(missing)?;
    let marking: Marking =
        marking
            .parse()
            .map_err(|e: coalition_core::classification::InvalidMarking| {
                SourceError::line(name, line, e.to_string())
            })?;
    let body = body.trim();
    if body.is_empty() {
        return Err(SourceError::line(
            name,
            line,
            "paragraph has a marking but no text",
        ));
    }
    Ok(Paragraph {
        text: body.to_owned(),
        marking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use coalition_core::classification::Level;

    #[test]
    fn markdown_paragraphs_carry_their_portion_markings() {
        let text = "# Draft\n\n(PUBLIC) First\nparagraph.\n\n(SECRET//REL TO FRA, GBR) Second.\n";
        let paragraphs = parse_markdown("d.md", text).unwrap();
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[0].text, "First paragraph.");
        assert_eq!(paragraphs[0].marking.level, Level::Public);
        assert_eq!(paragraphs[1].marking.to_string(), "SECRET//REL TO FRA, GBR");
    }

    #[test]
    fn an_unmarked_paragraph_is_an_error_naming_its_line() {
        let err = parse_markdown("d.md", "(PUBLIC) One.\n\nTwo.\n").unwrap_err();
        assert!(err.to_string().starts_with("d.md:3:"), "{err}");
    }

    #[test]
    fn a_bad_marking_in_toml_names_the_paragraph() {
        let err = parse_toml(
            "d.toml",
            "[[paragraphs]]\ntext = \"x\"\nmarking = \"SEKRET\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("paragraphs[0].marking"), "{err}");
        let err = parse_toml("d.toml", "[[paragraphs]]\ntext = \"x\"\n").unwrap_err();
        assert!(err.to_string().starts_with("d.toml:"), "{err}");
    }
}
