//! Statements as Akoma Ntoso 3.0 documents (OASIS LegalDocML), the format parliaments, the EU
//! (AKN4EU, LEOS) and the UN draft legal texts in.
//!
//! Written: one `statement` (name `jointStatement`) per version, with
//! - `meta/identification`: FRBR work, expression (`eng@vN`) and manifestation URIs under
//!   `/akn/<coalition>/statement/jointStatement/<day first tabled>/<statement>`;
//! - `meta/lifecycle`: one `eventRef` per version tabled up to this one, and the adoption;
//! - `meta/workflow`: one `step` per approval of this version (`by` the party);
//! - `meta/references`: the coalition and the parties as `TLCOrganization`s, the events as
//!   `TLCEvent`s;
//! - `meta/proprietary`: our `coalition:record` (coalition, statement, version, content hash
//!   when the export is complete, the reader it was made for) and, in a reader's export, a
//!   `coalition:withheld` note;
//! - `preface`: the title, the coalition, the meeting and the date;
//! - `mainBody`: one `paragraph` per paragraph (`eId` `para_N`, `num` `N.`), its portion
//!   marking in the attribute `coalition:classification` (namespace [`NS`]).
//!
//! Read: every `paragraph` in `mainBody` that has its own `content`, its text with whitespace
//! collapsed; its marking from `coalition:classification` or, for a document another tool wrote,
//! from a portion marking that opens its text (`(SECRET//REL TO FRA, GBR) …`). A paragraph with
//! neither is refused at its line: nothing is public by accident.

use coalition_core::classification::Marking;
use coalition_core::statement::{Paragraph, StatementStatus};
use roxmltree::{Document, Node};

use super::xml::Xml;
use crate::import::{MAX_DRAFT_BYTES, SourceError, check_size};
use crate::views::StatementExport;

/// The Akoma Ntoso 3.0 namespace.
pub const AKN_NS: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// Our namespace, for the portion marking attribute and the proprietary metadata.
pub const NS: &str = "urn:coalition:akn:1.0";

/// What a reader's export says in place of what it leaves out. The same words whether or not
/// anything was left out, so that the export tells nothing about paragraphs it does not hold.
pub const WITHHELD_NOTE: &str = "Exported for a reader of the record: paragraphs this reader may \
                                 not read, if there are any, are withheld.";

/// A draft read from an Akoma Ntoso document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AknDraft {
    /// The document's title (`docTitle`), if it has one.
    pub title: Option<String>,
    /// The paragraphs with their markings.
    pub paragraphs: Vec<Paragraph>,
}

/// The version as an Akoma Ntoso 3.0 document.
pub fn write(export: &StatementExport) -> String {
    let mut xml = Xml::new();
    // Writing into memory cannot fail.
    let _ = xml.node(
        "akomaNtoso",
        &[("xmlns", AKN_NS), ("xmlns:coalition", NS)],
        |x| {
            x.node("statement", &[("name", "jointStatement")], |x| {
                meta(x, export)?;
                preface(x, export)?;
                x.node("mainBody", &[], |x| {
                    for (i, p) in export.paragraphs.iter().enumerate() {
                        let n = i + 1;
                        let (e_id, marking) = (format!("para_{n}"), p.marking.to_string());
                        x.node(
                            "paragraph",
                            &[
                                ("eId", e_id.as_str()),
                                ("coalition:classification", marking.as_str()),
                            ],
                            |x| {
                                x.leaf("num", &[], &format!("{n}."))?;
                                x.node("content", &[], |x| x.leaf("p", &[], &p.text))
                            },
                        )?;
                    }
                    Ok(())
                })
            })
        },
    );
    xml.finish()
}

/// The document's FRBR work URI, after Akoma Ntoso's naming convention
/// (`/akn/<jurisdiction>/<type>/<subtype>/<date>/<number>`): tabled first on that day, named by
/// the statement's id.
fn work_uri(export: &StatementExport) -> String {
    let first = export
        .tabled
        .first()
        .map(|t| t.day().to_string())
        .unwrap_or_default();
    format!(
        "/akn/{}/statement/jointStatement/{first}/{}",
        country(export),
        export.id
    )
}

/// The jurisdiction part of the URIs: the coalition's id stands for the multilateral
/// instrument; Akoma Ntoso's naming convention accepts any such code.
fn country(export: &StatementExport) -> String {
    export.coalition.as_str().to_ascii_lowercase()
}

fn meta(x: &mut Xml, export: &StatementExport) -> std::io::Result<()> {
    let work = work_uri(export);
    let expression = format!("{work}/eng@v{}", export.version);
    let tabled = export
        .tabled
        .last()
        .map(|t| t.day().to_string())
        .unwrap_or_default();
    let first = export
        .tabled
        .first()
        .map(|t| t.day().to_string())
        .unwrap_or_default();
    let adopted = match export.status {
        StatementStatus::Adopted { version, at } if version == export.version => Some(at),
        _ => None,
    };
    x.node("meta", &[], |x| {
        x.node("identification", &[("source", "#coalition")], |x| {
            x.node("FRBRWork", &[], |x| {
                x.empty("FRBRthis", &[("value", &format!("{work}/!main"))])?;
                x.empty("FRBRuri", &[("value", &work)])?;
                x.empty("FRBRdate", &[("date", &first), ("name", "tabled")])?;
                x.empty("FRBRauthor", &[("href", "#coalition")])?;
                x.empty("FRBRcountry", &[("value", &country(export))])?;
                x.empty("FRBRname", &[("value", &export.title)])
            })?;
            x.node("FRBRExpression", &[], |x| {
                x.empty("FRBRthis", &[("value", &format!("{expression}/!main"))])?;
                x.empty("FRBRuri", &[("value", &expression)])?;
                x.empty("FRBRdate", &[("date", &tabled), ("name", "version")])?;
                x.empty("FRBRauthor", &[("href", "#coalition")])?;
                x.empty("FRBRlanguage", &[("language", "eng")])
            })?;
            x.node("FRBRManifestation", &[], |x| {
                x.empty("FRBRthis", &[("value", &format!("{expression}/!main.xml"))])?;
                x.empty("FRBRuri", &[("value", &format!("{expression}.akn"))])?;
                x.empty("FRBRdate", &[("date", &tabled), ("name", "version")])?;
                x.empty("FRBRauthor", &[("href", "#coalition")])
            })
        })?;
        x.node("lifecycle", &[("source", "#coalition")], |x| {
            for (i, at) in export.tabled.iter().enumerate() {
                let (id, refers) = (format!("evt_v{}", i + 1), format!("#tabled_v{}", i + 1));
                x.empty(
                    "eventRef",
                    &[
                        ("eId", &id),
                        ("date", &at.day().to_string()),
                        ("source", "#coalition"),
                        ("type", if i == 0 { "generation" } else { "amendment" }),
                        ("refersTo", &refers),
                    ],
                )?;
            }
            if let Some(at) = adopted {
                x.empty(
                    "eventRef",
                    &[
                        ("eId", "evt_adopted"),
                        ("date", &at.day().to_string()),
                        ("source", "#coalition"),
                        ("type", "amendment"),
                        ("refersTo", "#adopted"),
                    ],
                )?;
            }
            Ok(())
        })?;
        if !export.approvals.is_empty() {
            x.node("workflow", &[("source", "#coalition")], |x| {
                for a in &export.approvals {
                    x.empty(
                        "step",
                        &[
                            ("date", &a.at.day().to_string()),
                            ("by", &format!("#{}", party_ref(a.party.as_str()))),
                            ("refersTo", "#approval"),
                        ],
                    )?;
                }
                Ok(())
            })?;
        }
        x.node("references", &[("source", "#coalition")], |x| {
            x.empty(
                "TLCOrganization",
                &[
                    ("eId", "coalition"),
                    (
                        "href",
                        &format!("/ontology/organization/{}", export.coalition),
                    ),
                    ("showAs", &export.coalition_name),
                ],
            )?;
            for party in &export.signatories {
                x.empty(
                    "TLCOrganization",
                    &[
                        ("eId", &party_ref(party.as_str())),
                        ("href", &format!("/ontology/organization/party/{party}")),
                        ("showAs", party.as_str()),
                    ],
                )?;
            }
            if let Some(meeting) = &export.meeting {
                x.empty(
                    "TLCLocation",
                    &[
                        ("eId", "meeting_place"),
                        ("href", "/ontology/location/meeting"),
                        ("showAs", &meeting.place),
                    ],
                )?;
            }
            for i in 1..=export.tabled.len() {
                x.empty(
                    "TLCEvent",
                    &[
                        ("eId", &format!("tabled_v{i}")),
                        ("href", &format!("/ontology/event/tabled/v{i}")),
                        ("showAs", &format!("version {i} tabled")),
                    ],
                )?;
            }
            if adopted.is_some() {
                x.empty(
                    "TLCEvent",
                    &[
                        ("eId", "adopted"),
                        ("href", "/ontology/event/adopted"),
                        ("showAs", "adopted"),
                    ],
                )?;
            }
            x.empty(
                "TLCConcept",
                &[
                    ("eId", "approval"),
                    ("href", "/ontology/concept/signed-approval"),
                    ("showAs", "signed approval"),
                ],
            )
        })?;
        x.node("proprietary", &[("source", "#coalition")], |x| {
            let version = export.version.to_string();
            let content = export.content.map(|h| h.to_hex());
            let mut attrs = vec![
                ("coalition", export.coalition.as_str()),
                ("statement", export.id.as_str()),
                ("version", version.as_str()),
                ("reader", export.reader.as_str()),
            ];
            if let Some(content) = &content {
                attrs.push(("content", content.as_str()));
            }
            x.empty("coalition:record", &attrs)?;
            if !export.is_complete() {
                x.leaf("coalition:withheld", &[], WITHHELD_NOTE)?;
            }
            Ok(())
        })
    })
}

/// A party's `eId` (`party_FRA`).
fn party_ref(party: &str) -> String {
    format!("party_{party}")
}

fn preface(x: &mut Xml, export: &StatementExport) -> std::io::Result<()> {
    x.node("preface", &[], |x| {
        x.node("p", &[("class", "title")], |x| {
            x.leaf("docTitle", &[], &export.title)
        })?;
        x.node("p", &[], |x| {
            x.leaf(
                "organization",
                &[("refersTo", "#coalition")],
                &export.coalition_name,
            )
        })?;
        if let Some(meeting) = &export.meeting {
            x.node("p", &[], |x| {
                x.leaf("docProponent", &[], &meeting.title)?;
                x.leaf(
                    "location",
                    &[("refersTo", "#meeting_place")],
                    &meeting.place,
                )?;
                let day = meeting.day.to_string();
                x.leaf("docDate", &[("date", &day)], &day)
            })?;
        } else if let Some(at) = export.tabled.last() {
            x.node("p", &[], |x| {
                let day = at.day().to_string();
                x.leaf("docDate", &[("date", &day)], &day)
            })?;
        }
        x.node("p", &[], |x| {
            x.leaf(
                "docNumber",
                &[],
                &format!("{} version {}", export.id, export.version),
            )
        })
    })
}

/// Reads a draft's paragraphs from an Akoma Ntoso document. `name` is used only in messages,
/// which name the line (and column) of what could not be read.
pub fn parse(name: &str, text: &str) -> Result<AknDraft, SourceError> {
    check_size(name, text, MAX_DRAFT_BYTES)?;
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        SourceError {
            file: name.to_owned(),
            line: Some(pos.row as usize),
            column: Some(pos.col as usize),
            message: format!("not well-formed XML: {e}"),
        }
    })?;
    let at = |node: Node<'_, '_>, message: String| {
        SourceError::at(name, text, Some(node.range()), message)
    };
    let root = doc.root_element();
    if root.tag_name().name() != "akomaNtoso" || root.tag_name().namespace() != Some(AKN_NS) {
        return Err(at(
            root,
            format!("expected an <akomaNtoso> document in the namespace {AKN_NS}"),
        ));
    }
    let body = root
        .descendants()
        .find(|n| is_akn(n, "mainBody") || is_akn(n, "body"))
        .ok_or_else(|| at(root, "the document has no <mainBody> (or <body>)".into()))?;
    let title = root
        .descendants()
        .find(|n| is_akn(n, "docTitle"))
        .map(|n| collapse(&text_of(n)))
        .filter(|t| !t.is_empty());
    let mut paragraphs = Vec::new();
    for node in body.descendants().filter(|n| is_akn(n, "paragraph")) {
        let Some(content) = node.children().find(|c| is_akn(c, "content")) else {
            continue;
        };
        let text = collapse(&text_of(content));
        let (marking, text) = match node.attribute((NS, "classification")) {
            Some(value) => {
                let marking: Marking = value.parse().map_err(
                    |e: coalition_core::classification::InvalidMarking| {
                        at(node, format!("coalition:classification: {e}"))
                    },
                )?;
                (marking, text)
            }
            None => portion_marked(&text).ok_or_else(|| {
                at(
                    node,
                    "paragraph has no marking: give it a coalition:classification attribute \
                     (xmlns:coalition=\"urn:coalition:akn:1.0\") or open its text with a portion \
                     marking such as (PUBLIC) or (SECRET//REL TO FRA, GBR)"
                        .into(),
                )
            })?,
        };
        if text.is_empty() {
            return Err(at(node, "paragraph has a marking but no text".into()));
        }
        paragraphs.push(Paragraph { text, marking });
    }
    if paragraphs.is_empty() {
        return Err(at(
            body,
            "no <paragraph> with <content> found in the body".into(),
        ));
    }
    Ok(AknDraft { title, paragraphs })
}

/// A portion marking opening a paragraph's text: `(PUBLIC) text` → the marking and the rest.
fn portion_marked(text: &str) -> Option<(Marking, String)> {
    let (marking, body) = text.strip_prefix('(')?.split_once(')')?;
    Some((marking.parse().ok()?, body.trim().to_owned()))
}

fn is_akn(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(AKN_NS)
}

/// All the text under a node, in document order.
fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

/// Whitespace runs as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
