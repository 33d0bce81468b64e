//! Open data: everything the public may see, as tables with a documented schema
//! (docs/open-data.schema.json), in JSON (one array of objects per table) or CSV (one file per
//! table, the same columns), with a `manifest.json` naming the coalition, the time of reading and
//! the files. Built from the public's [`Reader`] views only — the same answers `--public --json`
//! gives — so the numbers agree with every other public read.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::AppError;
use crate::reader::Reader;
use crate::views::{CommitmentFilter, ObligationFilter};

/// The version of the open-data layout (the manifest's `format`); docs/open-data.schema.json
/// describes it.
pub const FORMAT: &str = "coalition-open-data/1";

/// One table: its name (the file's stem), its columns in order, its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// `commitments`, `support` …
    pub name: &'static str,
    /// The columns, in order (the CSV header; the JSON objects' keys).
    pub columns: &'static [&'static str],
    /// The rows: strings, whole numbers or null, one per column.
    pub rows: Vec<Vec<Value>>,
}

/// The public record as tables, with its manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenData {
    /// `manifest.json`.
    pub manifest: Value,
    /// The tables.
    pub tables: Vec<Table>,
}

/// JSON or CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `<table>.json`: an array of objects.
    Json,
    /// `<table>.csv`: RFC 4180 with a header row.
    Csv,
}

impl OpenData {
    /// The files to write: (name, bytes), the manifest first.
    pub fn files(&self, layout: Layout) -> Vec<(String, Vec<u8>)> {
        let mut manifest = self.manifest.clone();
        let ext = match layout {
            Layout::Json => "json",
            Layout::Csv => "csv",
        };
        manifest["files"] = self
            .tables
            .iter()
            .map(|t| {
                json!({
                    "table": t.name,
                    "path": format!("{}.{ext}", t.name),
                    "rows": t.rows.len(),
                    "schema": format!("open-data.schema.json#/$defs/{}", t.name),
                })
            })
            .collect();
        let mut files = vec![("manifest.json".to_owned(), pretty(&manifest))];
        for table in &self.tables {
            let bytes = match layout {
                Layout::Json => pretty(&Value::Array(
                    table
                        .rows
                        .iter()
                        .map(|row| {
                            let object: Map<String, Value> = table
                                .columns
                                .iter()
                                .map(|c| (*c).to_owned())
                                .zip(row.iter().cloned())
                                .collect();
                            Value::Object(object)
                        })
                        .collect(),
                )),
                Layout::Csv => csv_bytes(table),
            };
            files.push((format!("{}.{ext}", table.name), bytes));
        }
        files
    }
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn csv_bytes(table: &Table) -> Vec<u8> {
    super::csv::write(
        table.columns,
        table.rows.iter().map(|row| {
            row.iter().map(|v| match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        }),
    )
}

/// A value as the tables hold it: enums by their names, optional values as null.
fn cell(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The public record of the reader's coalition. Only the public may read it this way: open
/// data is what anyone may see.
pub fn open_data(reader: &Reader) -> Result<OpenData, AppError> {
    if !reader.is_public() {
        return Err(AppError::invalid(
            "public",
            "open data is what the public may see: read it with --public",
        ));
    }
    let members = Table {
        name: "members",
        columns: &["party", "role", "from", "until", "note"],
        rows: reader
            .members()
            .iter()
            .map(|s| {
                vec![
                    cell(&s.party),
                    cell(&s.role),
                    cell(&s.from),
                    cell(&s.until),
                    cell(&s.note),
                ]
            })
            .collect(),
    };
    let commitments = Table {
        name: "commitments",
        columns: &[
            "commitment",
            "guarantor",
            "protected",
            "category",
            "what",
            "instrument",
            "status",
            "strength",
            "runs_until",
            "unit",
            "committed",
            "allocated",
            "delivered",
        ],
        rows: reader
            .commitments(&CommitmentFilter::default())
            .iter()
            .map(|v| {
                let c = &v.commitment;
                let amount = c.amount.as_ref();
                vec![
                    cell(&c.id),
                    cell(&c.guarantor),
                    cell(&c.protected),
                    cell(&c.category),
                    cell(&c.what),
                    cell(&c.instrument),
                    cell(&v.status),
                    cell(&v.strength),
                    cell(&v.runs_until),
                    cell(&amount.map(|a| &a.unit)),
                    cell(&amount.map(|a| a.quantity)),
                    cell(&v.allocated),
                    cell(&v.delivered),
                ]
            })
            .collect(),
    };
    let summary = reader.support(&CommitmentFilter::default());
    let support = Table {
        name: "support",
        columns: &[
            "donor",
            "category",
            "unit",
            "ended",
            "commitments",
            "committed",
            "allocated",
            "delivered",
            "outstanding",
        ],
        rows: [(false, &summary.totals), (true, &summary.ended)]
            .into_iter()
            .flat_map(|(ended, totals)| {
                totals.iter().map(move |t| {
                    vec![
                        cell(&t.donor),
                        cell(&t.category),
                        cell(&t.unit),
                        cell(&ended),
                        cell(&t.commitments),
                        cell(&t.committed),
                        cell(&t.allocated),
                        cell(&t.delivered),
                        cell(&t.outstanding),
                    ]
                })
            })
            .collect(),
    };
    let incidents = Table {
        name: "incidents",
        columns: &[
            "incident",
            "aggressor",
            "target",
            "kind",
            "occurred_at",
            "status",
        ],
        rows: reader
            .incidents()
            .iter()
            .map(|v| {
                let i = &v.incident;
                vec![
                    cell(&i.id),
                    cell(&i.aggressor),
                    cell(&i.target),
                    cell(&i.kind),
                    cell(&i.occurred_at),
                    cell(&v.status),
                ]
            })
            .collect(),
    };
    let obligations = Table {
        name: "obligations",
        columns: &[
            "obligation",
            "commitment",
            "incident",
            "guarantor",
            "kind",
            "due",
            "status",
        ],
        rows: reader
            .obligations(&ObligationFilter::default())
            .iter()
            .map(|v| {
                let o = &v.obligation;
                let due = match v.deadline {
                    coalition_core::obligation::Deadline::Due(at) => cell(&at),
                    _ => Value::Null,
                };
                vec![
                    cell(&o.id),
                    cell(&o.commitment),
                    cell(&o.incident),
                    cell(&o.guarantor),
                    cell(&o.kind),
                    due,
                    cell(&v.status),
                ]
            })
            .collect(),
    };
    let rows = reader.statements();
    let statements = Table {
        name: "statements",
        columns: &[
            "statement",
            "title",
            "status",
            "adopted_version",
            "latest_version",
        ],
        rows: rows
            .iter()
            .map(|s| {
                let adopted = match s.status {
                    coalition_core::statement::StatementStatus::Adopted { version, .. } => {
                        cell(&version)
                    }
                    coalition_core::statement::StatementStatus::Draft => Value::Null,
                };
                let status = cell(&s.status)["status"].clone();
                vec![
                    cell(&s.id),
                    cell(&s.title),
                    status,
                    adopted,
                    cell(&s.latest_version),
                ]
            })
            .collect(),
    };
    let mut paragraph_rows = Vec::new();
    for s in &rows {
        if s.latest_version.is_none() {
            continue;
        }
        let export = reader.statement_export(&s.id, None)?;
        for (i, p) in export.paragraphs.iter().enumerate() {
            paragraph_rows.push(vec![
                cell(&s.id),
                cell(&export.version),
                cell(&(i + 1)),
                cell(&p.text),
            ]);
        }
    }
    let paragraphs = Table {
        name: "statement_paragraphs",
        columns: &["statement", "version", "number", "text"],
        rows: paragraph_rows,
    };
    let aggregates = Table {
        name: "aggregates",
        columns: &["aggregate", "description", "value"],
        rows: reader
            .aggregates()
            .iter()
            .filter_map(|a| {
                let value = a.value.or(a.released_value)?;
                Some(vec![cell(&a.aggregate), cell(&a.description), cell(&value)])
            })
            .collect(),
    };
    let manifest = json!({
        "format": FORMAT,
        "coalition": reader.coalition(),
        "name": reader.name(),
        "protected": reader.protected(),
        "reader": "public",
        "at": reader.at(),
        "marking": "PUBLIC",
    });
    Ok(OpenData {
        manifest,
        tables: vec![
            members,
            commitments,
            support,
            incidents,
            obligations,
            statements,
            paragraphs,
            aggregates,
        ],
    })
}
