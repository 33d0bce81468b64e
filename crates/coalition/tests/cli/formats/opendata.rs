//! Open data: the public record as files with a documented schema, validated with an
//! independent JSON Schema validator, agreeing with the public reads, free of classified items.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

/// The committed schema.
fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/open-data.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the schema")).expect("JSON")
}

fn export(env: &Env, format: &str, dir: &str) -> PathBuf {
    let out = env.root().join(dir);
    env.ok(&[
        "export",
        DEMO,
        "--public",
        "--format",
        format,
        "--out",
        path(&out),
    ]);
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("a file")).expect("JSON")
}

/// Validates every JSON file of an export against its definition in the schema with Python's
/// `jsonschema` (Draft 2020-12, formats checked): `Some` of its complaints (empty when valid),
/// `None` when skipped — without it, unless `REQUIRE_JSONSCHEMA=1` (as `.ci/run` sets it).
fn jsonschema_errors(dir: &Path) -> Option<String> {
    let script = r##"
import json, sys, pathlib
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
manifest = json.load(open(pathlib.Path(sys.argv[2]) / "manifest.json"))
checks = [("manifest", "manifest.json")] + [(f["table"], f["path"]) for f in manifest["files"]]
bad = 0
for name, file in checks:
    doc = json.load(open(pathlib.Path(sys.argv[2]) / file))
    validator = jsonschema.Draft202012Validator(
        {"$defs": schema["$defs"], "$ref": "#/$defs/" + name},
        format_checker=jsonschema.FormatChecker())
    for error in validator.iter_errors(doc):
        bad += 1
        print(file, list(error.absolute_path), error.message)
sys.exit(1 if bad else 0)
"##;
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/open-data.schema.json");
    // `.ci/run` names the Python of its venv; elsewhere the one on the PATH.
    let python = std::env::var("COALITION_PYTHON").unwrap_or_else(|_| "python3".into());
    let run = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(dir)
        .output();
    let usable = run.as_ref().is_ok_and(|o| {
        !String::from_utf8_lossy(&o.stderr).contains("No module named 'jsonschema'")
    });
    if !usable {
        assert!(
            std::env::var("REQUIRE_JSONSCHEMA").as_deref() != Ok("1"),
            "REQUIRE_JSONSCHEMA=1 but python3 with jsonschema cannot be run: {run:?}"
        );
        eprintln!("SKIPPED: no python3 with jsonschema");
        return None;
    }
    let output = run.expect("python3 ran");
    let complaints = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.status.success(),
        complaints.is_empty(),
        "{complaints}"
    );
    Some(complaints)
}

#[test]
fn the_json_export_validates_against_the_documented_schema_and_agrees_with_the_public_reads() {
    let env = Env::demo();
    let dir = export(&env, "json", "open");
    if let Some(complaints) = jsonschema_errors(&dir) {
        assert_eq!(complaints, "", "the export does not validate");
        // The validator does catch a file that breaks the schema.
        let broken = env.root().join("broken");
        copy_tree(&dir, &broken);
        let mut support = read_json(&broken.join("support.json"));
        support[0]["committed"] = Value::from("a lot");
        std::fs::write(broken.join("support.json"), support.to_string()).expect("write");
        let complaints = jsonschema_errors(&broken).expect("the validator ran");
        assert!(complaints.contains("support.json"), "{complaints}");
    }
    let manifest = read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["reader"], "public");
    for file in items(&manifest["files"]) {
        let rows = read_json(&dir.join(file["path"].as_str().expect("a path")));
        assert_eq!(
            items(&rows).len() as u64,
            file["rows"].as_u64().expect("a count")
        );
    }

    // The same numbers as the public's own reads.
    let support = env.json(&["support", DEMO, "--public"]);
    let exported = read_json(&dir.join("support.json"));
    let figures = |t: &Value| -> Vec<Value> {
        [
            "donor",
            "category",
            "unit",
            "committed",
            "allocated",
            "delivered",
            "outstanding",
        ]
        .iter()
        .map(|k| t[*k].clone())
        .collect()
    };
    for (ended, key) in [(false, "totals"), (true, "ended")] {
        let expected: Vec<Vec<Value>> = items(&support[key]).iter().map(figures).collect();
        let got: Vec<Vec<Value>> = items(&exported)
            .iter()
            .filter(|t| t["ended"] == ended)
            .map(figures)
            .collect();
        assert_eq!(got, expected, "{key}");
    }
    let commitments = env.json(&["commitments", DEMO, "--public"]);
    let ids = |v: &Value, key: &str| -> Vec<(Value, Value)> {
        items(v)
            .iter()
            .map(|c| (c[key].clone(), c["status"].clone()))
            .collect()
    };
    assert_eq!(
        ids(&read_json(&dir.join("commitments.json")), "commitment"),
        ids(&commitments, "id")
    );
    let aggregates: BTreeMap<String, Value> = items(&env.json(&["aggregates", DEMO, "--public"]))
        .iter()
        .filter_map(|a| {
            let value = if a["value"].is_null() {
                a["released_value"].clone()
            } else {
                a["value"].clone()
            };
            (!value.is_null()).then(|| (a["aggregate"].as_str().expect("a name").to_owned(), value))
        })
        .collect();
    let exported: BTreeMap<String, Value> = items(&read_json(&dir.join("aggregates.json")))
        .iter()
        .map(|a| {
            (
                a["aggregate"].as_str().expect("a name").to_owned(),
                a["value"].clone(),
            )
        })
        .collect();
    assert_eq!(exported, aggregates);
    let shown = env.json(&["statement", "show", DEMO, "paris-declaration", "--public"]);
    let texts: Vec<Value> = items(&shown["paragraphs"])
        .iter()
        .map(|p| p["text"].clone())
        .collect();
    let exported: Vec<Value> = items(&read_json(&dir.join("statement_paragraphs.json")))
        .iter()
        .filter(|p| p["statement"] == "paris-declaration")
        .map(|p| p["text"].clone())
        .collect();
    assert_eq!(exported, texts);
}

#[test]
fn the_csv_export_has_the_schemas_columns_and_the_json_exports_cells() {
    let env = Env::demo();
    let json = export(&env, "json", "open-json");
    let csv_dir = export(&env, "csv", "open-csv");
    let schema = schema();
    let manifest = read_json(&csv_dir.join("manifest.json"));
    for file in items(&manifest["files"]) {
        let table = file["table"].as_str().expect("a table");
        let columns: Vec<String> = items(&schema["$defs"][table]["items"]["required"])
            .iter()
            .map(|c| c.as_str().expect("a column").to_owned())
            .collect();
        let text = std::fs::read_to_string(csv_dir.join(format!("{table}.csv"))).expect("a CSV");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, columns, "{table}.csv");
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
            .collect();
        let from_json: Vec<Vec<String>> = items(&read_json(&json.join(format!("{table}.json"))))
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|c| match &row[c.as_str()] {
                        Value::Null => String::new(),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(rows, from_json, "{table}");
    }
}

#[test]
fn open_data_holds_nothing_classified_and_is_only_for_the_public() {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let incident = env.json(&report(&[]));
    let id = incident["id"].as_str().expect("an id");
    env.ok(&["incident", "confirm", DEMO, id, "--as", "monitor"]);
    let mut canaries: Vec<String> = items(&env.json(&["commitments", DEMO]))
        .iter()
        .filter(|c| c["marking"]["level"] != "PUBLIC")
        .flat_map(|c| {
            [
                c["id"].as_str().expect("id").to_owned(),
                c["what"].as_str().expect("what").to_owned(),
            ]
        })
        .collect();
    let shown = env.json(&["statement", "show", DEMO, "paris-declaration"]);
    canaries.extend(
        items(&shown["paragraphs"])
            .iter()
            .filter(|p| p["marking"]["level"] != "PUBLIC")
            .map(|p| p["text"].as_str().expect("text").to_owned()),
    );
    assert!(canaries.len() > 2);
    for format in ["json", "csv"] {
        let dir = export(&env, format, &format!("open-{format}"));
        for entry in std::fs::read_dir(&dir).expect("the export") {
            let path = entry.expect("a file").path();
            let text = std::fs::read_to_string(&path).expect("text");
            for canary in &canaries {
                assert!(
                    !text.contains(canary.as_str()),
                    "{} holds {canary:?}",
                    path.display()
                );
            }
            assert!(
                !text.contains("SECRET") && !text.contains("CONFIDENTIAL"),
                "{}",
                path.display()
            );
        }
    }

    let out = env.root().join("not-public");
    for reader in [&[][..], &["--as", "macron"][..]] {
        let mut args = vec!["export", DEMO, "--format", "json", "--out", path(&out)];
        args.extend_from_slice(reader);
        let err = env.fails(2, &args);
        assert!(err.contains("--public"), "{err}");
        assert!(!out.exists(), "nothing is written");
    }
}
