//! Statements ⇄ Akoma Ntoso 3.0.

use coalition_app::views::StatementExport;
use serde_json::Value;

use super::{unchanged, xmllint_errors, xmllint_validates};
use crate::support::*;

const SCHEMA: &str = "akoma-ntoso-3.0/akomantoso30.xsd";

/// Exports a version as `args` says (the reader flags), returning the export's JSON and the
/// document.
fn export(env: &Env, statement: &str, file: &str, reader: &[&str]) -> (Value, String) {
    let out = env.root().join(file);
    let mut args = vec![
        "statement",
        "export",
        DEMO,
        statement,
        "--format",
        "akn",
        "--out",
        path(&out),
    ];
    args.extend_from_slice(reader);
    let json = env.json(&args);
    let typed: StatementExport = serde_json::from_value(json.clone()).expect("the export's view");
    assert_eq!(serde_json::to_value(&typed).expect("a view"), json);
    let text = std::fs::read_to_string(&out).expect("the export was written");
    (json, text)
}

/// The (marking, text) pairs of a `statement show --json`.
fn paragraphs(shown: &Value) -> Vec<(Value, String)> {
    items(&shown["paragraphs"])
        .iter()
        .map(|p| {
            (
                p["marking"].clone(),
                p["text"].as_str().expect("a text").to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_export_validates_against_the_official_schema_and_round_trips() {
    let env = Env::demo();
    let (exported, text) = export(&env, "paris-declaration", "paris.akn.xml", &[]);
    xmllint_validates(&env.root().join("paris.akn.xml"), SCHEMA);
    // The validator does reject a document the schema does not allow (no <meta>).
    let meta_start = text.find("<meta>").expect("meta");
    let meta_end = text.find("</meta>").expect("meta") + "</meta>".len();
    let broken = env.write(
        "broken.akn.xml",
        &format!("{}{}", &text[..meta_start], &text[meta_end..]),
    );
    if let Some(complaints) = xmllint_errors(&broken, SCHEMA) {
        assert!(complaints.contains("meta"), "{complaints}");
    }
    let original = env.json(&["statement", "show", DEMO, "paris-declaration"]);
    assert!(text.contains("<docTitle>Paris Declaration"), "{text}");
    assert!(text.contains("coalition:classification=\"SECRET"), "{text}");
    assert!(
        !text.contains("withheld"),
        "the custodian's export is whole: {text}"
    );

    // Imported as a new draft (its title from the document): the same paragraphs and markings,
    // committed to afresh (salted leaves: the same text never gives the same content hash,
    // docs/record-format.md), and the copy checks against its own.
    env.ok(&[
        "statement",
        "draft",
        DEMO,
        "--id",
        "paris-copy",
        "--signatories",
        "FRA,GBR",
        "--from-akn",
        path(&env.root().join("paris.akn.xml")),
        "--as",
        "secretariat",
    ]);
    let copy = env.json(&["statement", "show", DEMO, "paris-copy"]);
    assert_eq!(paragraphs(&copy), paragraphs(&original));
    assert_ne!(copy["content"], original["content"]);
    assert_eq!(copy["verified"], true);
    assert_eq!(exported["content"], original["content"]);
    assert_eq!(copy["title"], original["title"]);

    // An older version, asked for by number.
    let out = env.root().join("v1.akn.xml");
    let v1 = env.json(&[
        "statement",
        "export",
        DEMO,
        "paris-declaration",
        "--version",
        "1",
        "--format",
        "akn",
        "--out",
        path(&out),
    ]);
    let shown_v1 = env.json(&[
        "statement",
        "show",
        DEMO,
        "paris-declaration",
        "--version",
        "1",
    ]);
    assert_eq!(
        (&v1["version"], &v1["content"]),
        (&shown_v1["version"], &shown_v1["content"])
    );
    let v1_text = std::fs::read_to_string(&out).expect("the export");
    assert!(v1_text.contains("eng@v1"), "{v1_text}");
    xmllint_validates(&out, SCHEMA);

    // And as a revision of a draft: greenland's text becomes the copy's version 2.
    export(&env, "greenland", "greenland.akn.xml", &[]);
    xmllint_validates(&env.root().join("greenland.akn.xml"), SCHEMA);
    env.ok(&[
        "statement",
        "revise",
        DEMO,
        "paris-copy",
        "--from-akn",
        path(&env.root().join("greenland.akn.xml")),
        "--as",
        "secretariat",
    ]);
    let revised = env.json(&["statement", "show", DEMO, "paris-copy", "--version", "2"]);
    let greenland = env.json(&["statement", "show", DEMO, "greenland"]);
    assert_eq!(revised["verified"], true);
    assert_eq!(paragraphs(&revised), paragraphs(&greenland));
}

#[test]
fn a_readers_export_holds_only_what_it_may_read_and_says_others_are_withheld() {
    let env = Env::demo();
    let original = env.json(&["statement", "show", DEMO, "paris-declaration"]);
    let secret: Vec<String> = paragraphs(&original)
        .into_iter()
        .filter(|(marking, _)| marking["level"] != "PUBLIC")
        .map(|(_, text)| text)
        .collect();
    assert!(
        !secret.is_empty(),
        "the demo's declaration has a classified paragraph"
    );
    let (exported, text) = export(&env, "paris-declaration", "public.akn.xml", &["--public"]);
    xmllint_validates(&env.root().join("public.akn.xml"), SCHEMA);
    for canary in &secret {
        assert!(
            !text.contains(canary.as_str()),
            "the public export holds {canary:?}"
        );
        // Not even a few words of it.
        let words: String = canary
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!text.contains(&words), "the public export holds {words:?}");
    }
    assert!(text.contains("coalition:withheld"), "{text}");
    assert!(
        !text.contains("SECRET") && !text.contains("RESTRICTED"),
        "{text}"
    );
    // Numbered 1..n with no gap, and no hash computed over what it does not hold.
    let shown = items(&exported["paragraphs"]).len();
    assert!(text.contains(&format!("eId=\"para_{shown}\"")), "{text}");
    assert!(
        !text.contains(&format!("eId=\"para_{}\"", shown + 1)),
        "{text}"
    );
    assert_eq!(exported["content"], Value::Null);
    assert!(!text.contains(original["content"].as_str().expect("a hash")));

    // The note reads the same whether or not anything was withheld: greenland's text is public.
    let (_, greenland) = export(&env, "greenland", "greenland.akn.xml", &["--public"]);
    let note = |t: &str| {
        t.lines()
            .find(|l| l.contains("coalition:withheld"))
            .map(str::to_owned)
    };
    assert_eq!(note(&greenland), note(&text));
}

#[test]
fn a_document_from_another_tool_is_read_with_its_portion_markings() {
    let env = Env::demo();
    let leos = env.write(
        "leos.xml",
        r##"<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <doc name="statement">
    <meta><identification source="#leos"/></meta>
    <preface><longTitle><p><docTitle>Statement on the
      Black Sea</docTitle></p></longTitle></preface>
    <mainBody>
      <paragraph eId="p1"><num>1.</num><content><p>(PUBLIC) We, the leaders, <i>affirm</i>
        freedom of navigation.</p></content></paragraph>
      <paragraph eId="p2"><num>2.</num>
        <content><p>(SECRET//REL TO FRA, GBR) Escort rules.</p></content></paragraph>
    </mainBody>
  </doc>
</akomaNtoso>
"##,
    );
    env.ok(&[
        "statement",
        "draft",
        DEMO,
        "--id",
        "black-sea",
        "--signatories",
        "FRA,GBR",
        "--from-akn",
        path(&leos),
        "--as",
        "secretariat",
    ]);
    let shown = env.json(&["statement", "show", DEMO, "black-sea"]);
    assert_eq!(shown["title"], "Statement on the Black Sea");
    let read = paragraphs(&shown);
    let texts: Vec<&str> = read.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "We, the leaders, affirm freedom of navigation.",
            "Escort rules."
        ]
    );
    assert_eq!(read[0].0["level"], "PUBLIC");
    assert_eq!(read[1].0["level"], "SECRET");
    let releasable = read[1].0.to_string();
    assert!(
        releasable.contains("FRA") && releasable.contains("GBR"),
        "{releasable}"
    );
}

#[test]
fn a_malformed_or_unmarked_document_is_refused_at_its_line_and_nothing_is_written() {
    let env = Env::demo();
    let before = env.head(DEMO);
    let draft = |file: &std::path::Path| {
        env.fails(
            2,
            &[
                "statement",
                "draft",
                DEMO,
                "--id",
                "broken",
                "--title",
                "Broken",
                "--signatories",
                "FRA",
                "--from-akn",
                path(file),
                "--as",
                "secretariat",
            ],
        )
    };
    let ns = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
    let malformed = env.write(
        "malformed.xml",
        &format!("<akomaNtoso xmlns=\"{ns}\">\n<doc>\n<mainBody>\n</doc>\n</akomaNtoso>\n"),
    );
    let err = draft(&malformed);
    assert!(err.contains("malformed.xml:4:"), "{err}");
    unchanged(&env, &before);

    let unmarked = env.write(
        "unmarked.xml",
        &format!(
            "<akomaNtoso xmlns=\"{ns}\"><doc name=\"x\">\n<mainBody>\n\
             <paragraph eId=\"a\"><content><p>(PUBLIC) Fine.</p></content></paragraph>\n\
             <paragraph eId=\"b\"><content><p>No marking.</p></content></paragraph>\n\
             </mainBody></doc></akomaNtoso>\n"
        ),
    );
    let err = draft(&unmarked);
    assert!(
        err.contains("unmarked.xml:4:") && err.contains("no marking"),
        "{err}"
    );
    unchanged(&env, &before);

    let bad_marking = env.write(
        "bad-marking.xml",
        &format!(
            "<akomaNtoso xmlns=\"{ns}\" xmlns:coalition=\"urn:coalition:akn:1.0\"><doc name=\"x\">\n\
             <mainBody>\n<paragraph eId=\"a\" coalition:classification=\"SEKRET\">\n\
             <content><p>Text.</p></content></paragraph>\n</mainBody></doc></akomaNtoso>\n"
        ),
    );
    let err = draft(&bad_marking);
    assert!(
        err.contains("bad-marking.xml:3:") && err.contains("SEKRET"),
        "{err}"
    );
    unchanged(&env, &before);

    let not_akn = env.write(
        "not-akn.xml",
        "<html><body><p>(PUBLIC) x</p></body></html>\n",
    );
    let err = draft(&not_akn);
    assert!(
        err.contains("not-akn.xml:1:") && err.contains("akomaNtoso"),
        "{err}"
    );
    unchanged(&env, &before);
}

#[test]
fn an_export_to_a_file_that_cannot_be_written_fails_and_leaves_nothing() {
    let env = Env::demo();
    let out = env.root().join("no-such-dir").join("x.akn.xml");
    let err = env.fails(
        2,
        &[
            "statement",
            "export",
            DEMO,
            "paris-declaration",
            "--format",
            "akn",
            "--out",
            path(&out),
        ],
    );
    assert!(err.contains("--out"), "{err}");
    assert!(!out.exists());
}
