//! Support: the per-donor table, IATI activity files, Kiel-Tracker-style spreadsheets and the
//! CSV import.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;

use super::{unchanged, xmllint_validates};
use crate::support::*;

const IATI_SCHEMA: &str = "iati-2.03/iati-activities-schema.xsd";

/// The rows of `support --json` by commitment id.
fn row<'a>(summary: &'a Value, commitment: &str) -> &'a Value {
    find(&summary["rows"], "commitment", commitment)
}

/// The commitments with amounts the custodian reads that the public may not: their ids, units
/// and descriptions are the canaries no public export may hold.
fn classified_canaries(env: &Env) -> Vec<String> {
    let all = env.json(&["support", DEMO]);
    let canaries: Vec<String> = items(&all["rows"])
        .iter()
        .filter(|r| r["marking"]["level"] != "PUBLIC")
        .flat_map(|r| {
            [
                r["commitment"].as_str().expect("an id").to_owned(),
                r["what"].as_str().expect("a what").to_owned(),
            ]
        })
        .collect();
    assert!(!canaries.is_empty(), "the demo has classified support");
    canaries
}

/// A CSV text's header and rows.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn export(env: &Env, format: &str, file: &str, reader: &[&str]) -> std::path::PathBuf {
    let out = env.root().join(file);
    let mut args = vec![
        "support",
        "export",
        DEMO,
        "--format",
        format,
        "--out",
        path(&out),
    ];
    args.extend_from_slice(reader);
    env.ok(&args);
    out
}

#[test]
fn support_is_totalled_per_donor_with_ended_commitments_apart_and_gated() {
    let env = Env::demo();
    let all = env.json(&["support", DEMO]);
    // 2024 aid that lapsed is totalled apart from what still counts.
    assert!(has(&all["ended"], "donor", "DEU"), "{all:#}");
    assert!(!has(&all["totals"], "donor", "DEU"), "{all:#}");
    let nor = row(&all, "nor-2025-air-defence");
    assert_eq!(nor["outstanding"], nor["committed"]);

    // Deliveries recorded under a commitment move it from outstanding to delivered.
    env.ok(&[
        "commitment",
        "support",
        DEMO,
        "nor-2025-air-defence",
        "--stage",
        "delivered",
        "--quantity",
        "50",
        "--at",
        "2026-02-01T00:00:00Z",
        "--as",
        "secretariat",
    ]);
    let after = env.json(&["support", DEMO, "--guarantor", "NOR"]);
    let nor = find(&after["totals"], "donor", "NOR");
    assert_eq!(
        (nor["delivered"].as_u64(), nor["outstanding"].as_u64()),
        (Some(50), Some(70))
    );
    assert!(items(&after["rows"]).iter().all(|r| r["donor"] == "NOR"));
    // As the world stood before the delivery.
    let before = env.json(&["support", DEMO, "--at", "2026-01-15T00:00:00Z"]);
    assert_eq!(row(&before, "nor-2025-air-defence")["delivered"], 0);

    // The public sees neither the classified rows nor totals made from them.
    let canaries = classified_canaries(&env);
    for reader in [&["--public"][..], &["--public", "--csv"][..]] {
        let mut args = vec!["support", DEMO];
        args.extend_from_slice(reader);
        let out = env.ok(&args);
        for canary in &canaries {
            assert!(
                !out.contains(canary.as_str()),
                "{reader:?} shows {canary:?}:\n{out}"
            );
        }
        assert!(!out.contains("interceptors"), "{out}");
    }
}

#[test]
fn an_iati_export_validates_and_publishes_only_public_commitments() {
    let env = Env::demo();
    // Allocated before it is delivered.
    for (stage, at) in [
        ("allocated", "2024-05-01T00:00:00Z"),
        ("delivered", "2024-06-01T00:00:00Z"),
    ] {
        env.ok(&[
            "commitment",
            "support",
            DEMO,
            "deu-2024-financial",
            "--stage",
            stage,
            "--quantity",
            "5000",
            "--at",
            at,
            "--as",
            "secretariat",
        ]);
    }
    let canaries = classified_canaries(&env);
    // Even the custodian's IATI file holds only PUBLIC commitments: it is a publication.
    let file = export(&env, "iati", "paris.iati.xml", &[]);
    xmllint_validates(&file, IATI_SCHEMA);
    let text = std::fs::read_to_string(&file).expect("the IATI file");
    for canary in &canaries {
        assert!(
            !text.contains(canary.as_str()),
            "the IATI file holds {canary:?}"
        );
    }
    assert!(text.contains("<iati-activities version=\"2.03\""), "{text}");
    // EUR 7 bn committed (type 2), EUR 5 bn disbursed (type 3), to Ukraine (UA).
    let deu = text
        .split("<iati-activity ")
        .find(|a| a.contains("deu-2024-financial"))
        .expect("DEU's activity");
    assert!(deu.contains("<recipient-country code=\"UA\""), "{deu}");
    assert!(deu.contains("<transaction-type code=\"2\"/>"), "{deu}");
    assert!(deu.contains(">7000000000</value>"), "{deu}");
    assert!(deu.contains("<transaction-type code=\"3\"/>"), "{deu}");
    assert!(
        deu.contains("<value currency=\"EUR\" value-date=\"2024-06-01\">5000000000</value>"),
        "{deu}"
    );
    assert!(
        deu.contains("<sector vocabulary=\"99\" code=\"financial\">"),
        "{deu}"
    );
    // The public's file is the same publication.
    let public = export(&env, "iati", "public.iati.xml", &["--public"]);
    xmllint_validates(&public, IATI_SCHEMA);
}

/// The cells of a worksheet as text.
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx");
    let range = book.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .map(|cells| {
            cells
                .iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_spreadsheet_has_the_table_and_a_readme_and_holds_only_what_its_reader_may_read() {
    let env = Env::demo();
    let (header, rows) = parse_csv(&env.ok(&["support", DEMO, "--csv"]));
    let file = export(&env, "xlsx", "support.xlsx", &[]);
    let bytes = std::fs::read(&file).expect("the workbook");
    let table = sheet(&bytes, "support");
    assert_eq!(table[0], header);
    assert_eq!(&table[1..], &rows[..], "the same cells as the CSV");
    let committed = header
        .iter()
        .position(|h| h == "committed")
        .expect("committed");
    let nor = table
        .iter()
        .find(|r| r[0] == "nor-2025-air-defence")
        .expect("NOR's row");
    assert_eq!(nor[committed], "120", "quantities are numbers");
    // The same record read at the same time: the same bytes (no clock in the workbook).
    let again = std::fs::read(export(&env, "xlsx", "again.xlsx", &[])).expect("the workbook");
    assert!(again == bytes, "two exports of the same reading differ");
    let readme = sheet(&bytes, "README");
    for column in &header {
        assert!(
            readme.iter().any(|r| r[0] == *column),
            "README explains {column}"
        );
    }

    let canaries = classified_canaries(&env);
    let public = std::fs::read(export(&env, "xlsx", "public.xlsx", &["--public"])).expect("xlsx");
    let cells: Vec<String> = sheet(&public, "support").into_iter().flatten().collect();
    for canary in &canaries {
        assert!(
            !cells.contains(canary),
            "the public workbook holds {canary:?}"
        );
    }
    let public_csv =
        std::fs::read_to_string(export(&env, "csv", "public.csv", &["--public"])).expect("csv");
    for canary in &canaries {
        assert!(
            !public_csv.contains(canary.as_str()),
            "the public CSV holds {canary:?}"
        );
    }
}

#[test]
fn a_csv_table_round_trips_and_records_what_changed() {
    let env = Env::demo();
    let file = export(&env, "csv", "support.csv", &[]);
    let text = std::fs::read_to_string(&file).expect("the CSV");
    let (header, rows) = parse_csv(&text);
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (delivered, delivered_at) = (column("delivered"), column("delivered_at"));
    // Another tool changes NOR's deliveries.
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).expect("a header");
    for mut cells in rows {
        if cells[0] == "nor-2025-air-defence" {
            cells[delivered] = "40".into();
            // Derived: the record recomputes it.
            cells[column("outstanding")] = "80".into();
            cells[delivered_at] = "2026-03-01T00:00:00Z".into();
        }
        writer.write_record(&cells).expect("a row");
    }
    let edited = String::from_utf8(writer.into_inner().expect("csv")).expect("UTF-8");
    let edited_file = env.write("edited.csv", &edited);
    let before = env.head(DEMO);
    env.ok(&[
        "support",
        "import",
        DEMO,
        "--format",
        "csv",
        "--from",
        path(&edited_file),
        "--as",
        "secretariat",
    ]);
    assert_eq!(env.head(DEMO).0, before.0 + 1, "one change, one entry");
    let nor = env.json(&["support", DEMO, "--guarantor", "NOR"]);
    let nor = row(&nor, "nor-2025-air-defence");
    assert_eq!(nor["delivered"], 40);
    assert_eq!(nor["delivered_at"], "2026-03-01T00:00:00Z");
    // Exported again, the table is the edited one.
    let again = std::fs::read_to_string(export(&env, "csv", "again.csv", &[])).expect("csv");
    assert_eq!(parse_csv(&again), parse_csv(&edited));
}

#[test]
fn a_bad_table_is_refused_at_its_row_and_column_and_nothing_is_written() {
    let env = Env::demo();
    let header = "commitment,donor,allocated,delivered,delivered_at";
    let import = |name: &str, text: &str| {
        let file = env.write(name, text);
        env.fails(
            2,
            &[
                "support",
                "import",
                DEMO,
                "--format",
                "csv",
                "--from",
                path(&file),
                "--as",
                "secretariat",
            ],
        )
    };
    let before = env.head(DEMO);
    let cases = [
        (
            "number.csv",
            format!(
                "{header}\nnor-2025-air-defence,NOR,120,10,\ngbr-2024-military,GBR,2500,lots,\n"
            ),
            "number.csv:3:4: (delivered) \"lots\"",
        ),
        (
            "time.csv",
            format!("{header}\nnor-2025-air-defence,NOR,120,10,yesterday\n"),
            "time.csv:2:5: (delivered_at) \"yesterday\"",
        ),
        (
            "unknown.csv",
            format!("{header}\nnor-2025-air-defence,NOR,120,10,\nno-such,XXX,1,1,\n"),
            "unknown.csv:3: unknown commitment no-such",
        ),
        (
            "too-much.csv",
            format!(
                "{header}\nnor-2025-air-defence,NOR,120,10,\nnor-2025-air-defence,NOR,120,999,\n"
            ),
            "too-much.csv:3: refused",
        ),
        (
            "header.csv",
            "commitment,donor\nx,y\n".to_owned(),
            "header.csv:1: the header has no allocated column",
        ),
        (
            "ragged.csv",
            format!("{header}\nnor-2025-air-defence,NOR\n"),
            "ragged.csv:2",
        ),
    ];
    for (name, text, expected) in &cases {
        let err = import(name, text);
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in {err}"
        );
        unchanged(&env, &before);
    }
}

/// A description someone typed as a spreadsheet formula reaches every CSV as text: the support
/// table and open data write it with a leading apostrophe, quantities stay numbers, and the
/// table still imports.
#[test]
fn a_formula_typed_into_the_record_is_never_a_formula_in_a_csv() {
    let env = Env::demo();
    let formula = "=HYPERLINK(\"http://example.invalid/\",\"open\")";
    let id = env.ok(&[
        "commitment",
        "add",
        DEMO,
        "--guarantor",
        "FRA",
        "--category",
        "financial",
        "--what",
        formula,
        "--quantity",
        "7",
        "--unit",
        "EUR-million",
        "--aggressor",
        "RUS",
        "--deliver-within",
        "30d",
        "--from",
        "2026-01-01",
        "--classification",
        "PUBLIC",
        "--as",
        "macron",
    ]);
    let id = id.trim();
    let defused = format!("'{formula}");
    let text = std::fs::read_to_string(export(&env, "csv", "support.csv", &[])).expect("csv");
    let (header, rows) = parse_csv(&text);
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let ours = rows.iter().find(|r| r[0] == id).expect("the new row");
    assert_eq!(ours[column("what")], defused);
    assert_eq!(ours[column("committed")], "7", "a quantity stays a number");
    assert!(
        rows.iter().flatten().all(|cell| !cell.starts_with('=')),
        "no cell of the table starts a formula"
    );
    // Open data, the public's CSV, writes it the same way.
    let open = env.root().join("open-csv");
    env.ok(&[
        "export",
        DEMO,
        "--public",
        "--format",
        "csv",
        "--out",
        path(&open),
    ]);
    let commitments = std::fs::read_to_string(open.join("commitments.csv")).expect("a CSV");
    let (header, rows) = parse_csv(&commitments);
    let what = header
        .iter()
        .position(|h| h == "what")
        .expect("a what column");
    let public = rows.iter().find(|r| r[0] == id).expect("the public row");
    assert_eq!(public[what], defused);
    // The defused table still imports: nothing changed, so nothing is recorded.
    let before = env.head(DEMO);
    let out = env.fails(
        2,
        &[
            "support",
            "import",
            DEMO,
            "--format",
            "csv",
            "--from",
            path(&env.root().join("support.csv")),
            "--as",
            "secretariat",
        ],
    );
    assert!(out.contains("nothing to record"), "{out}");
    assert_eq!(env.head(DEMO), before);
}
