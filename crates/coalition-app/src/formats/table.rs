//! Support as a Kiel-Tracker-style table: one row per commitment that states an amount, with
//! committed / allocated / delivered / outstanding, as CSV or as an xlsx workbook (a `support`
//! sheet and a `README` sheet that explains the columns), and the CSV read back to record the
//! allocations and deliveries it states.

use coalition_core::commitment::Stage;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, CommitmentId, PrincipalId};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::app::App;
use crate::error::AppError;
use crate::import::{SourceError, check_size};
use crate::reader::{Reading, Who};
use crate::request::Request;
use crate::views::{CommitmentFilter, ReceiptView, SupportRow};

/// The largest support table read (8 MiB).
pub const MAX_TABLE_BYTES: usize = 8 << 20;

/// The columns, in order, with what each holds (the README sheet and docs/formats.md say the
/// same).
pub const COLUMNS: [(&str, &str); 19] = [
    ("commitment", "The commitment's id in the record."),
    (
        "donor",
        "The guarantor giving the support (ISO 3166-1 alpha-3, or EU, NATO …).",
    ),
    ("recipient", "The protected state receiving it."),
    (
        "category",
        "What kind of support (military-capabilities, financial, air-defence …).",
    ),
    ("what", "The support in words."),
    (
        "unit",
        "What the quantities count: money (EUR, EUR-million …) or items in kind.",
    ),
    (
        "currency",
        "ISO 4217 code when the unit is money; empty for support in kind.",
    ),
    ("committed", "Units promised."),
    (
        "allocated",
        "Units earmarked in a specific package so far (cumulative).",
    ),
    ("delivered", "Units handed over so far (cumulative)."),
    ("outstanding", "Committed minus delivered."),
    (
        "status",
        "The commitment's status when the table was made (in-force, lapsed, withdrawn …).",
    ),
    ("committed_at", "When it was committed (RFC 3339)."),
    (
        "allocated_at",
        "When allocations were last recorded (RFC 3339), if ever.",
    ),
    (
        "delivered_at",
        "When deliveries were last recorded (RFC 3339), if ever.",
    ),
    ("from", "First day it runs, if stated."),
    ("until", "Last day it runs, if stated."),
    ("source", "The instrument it stands on, if any."),
    (
        "marking",
        "Its classification marking: handle the row accordingly.",
    ),
];

/// A row's cells, in [`COLUMNS`] order.
fn cells(row: &SupportRow) -> [String; 19] {
    let opt = |t: Option<String>| t.unwrap_or_default();
    [
        row.commitment.to_string(),
        row.donor.to_string(),
        row.recipient.to_string(),
        row.category.to_string(),
        row.what.clone(),
        row.unit.clone(),
        opt(row.currency.clone()),
        row.committed.to_string(),
        row.allocated.to_string(),
        row.delivered.to_string(),
        row.outstanding.to_string(),
        row.status.to_string(),
        row.committed_at.to_string(),
        opt(row.allocated_at.map(|t| t.to_string())),
        opt(row.delivered_at.map(|t| t.to_string())),
        opt(row.from.map(|d| d.to_string())),
        opt(row.until.map(|d| d.to_string())),
        opt(row.source.as_ref().map(ToString::to_string)),
        row.marking.to_string(),
    ]
}

/// The table as CSV (RFC 4180, a header row; formulas defused, see [`super::csv`]).
pub fn csv(rows: &[SupportRow]) -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    let bytes = super::csv::write(&header, rows.iter().map(cells));
    String::from_utf8(bytes).unwrap_or_default()
}

/// The table as an xlsx workbook: the `support` sheet (quantities as numbers) and a `README`
/// sheet naming the coalition, the reader, the time of reading and every column.
pub fn xlsx(
    coalition: &CoalitionId,
    reader: &str,
    at: Timestamp,
    rows: &[SupportRow],
) -> Result<Vec<u8>, AppError> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        // Stamped with the time of reading, not the clock: the same record read at the same
        // time gives the same bytes.
        let created = ExcelDateTime::from_timestamp(at.unix())?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet().set_name("support")?;
        for (c, (name, _)) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), *name, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in cells(row).iter().enumerate() {
                // Quantities are numbers a spreadsheet can sum; everything else is text.
                match (COLUMNS[c].0, cell.parse::<u64>()) {
                    ("committed" | "allocated" | "delivered" | "outstanding", Ok(n)) => {
                        // Whole numbers below 2^53 are exact in a spreadsheet's doubles.
                        sheet.write_number(r, col(c), n as f64)?;
                    }
                    _ => {
                        sheet.write_string(r, col(c), cell)?;
                    }
                }
            }
        }
        sheet.autofit();
        let readme = book.add_worksheet().set_name("README")?;
        let lines = [
            format!("Support under the commitments of {coalition}, as the Kiel tracker counts it."),
            format!("Made for the reader {reader}, at {at}: only what that reader may read."),
            "Quantities are cumulative; outstanding = committed - delivered.".to_owned(),
            "The same table as CSV: coalition support export --format csv; see docs/formats.md."
                .to_owned(),
        ];
        for (r, line) in lines.iter().enumerate() {
            readme.write_string(u32::try_from(r).unwrap_or(0), 0, line)?;
        }
        let first = u32::try_from(lines.len() + 1).unwrap_or(0);
        readme.write_string_with_format(first, 0, "column", &bold)?;
        readme.write_string_with_format(first, 1, "what it holds", &bold)?;
        for (i, (name, what)) in COLUMNS.iter().enumerate() {
            let r = first + 1 + u32::try_from(i).unwrap_or(0);
            readme.write_string(r, 0, *name)?;
            readme.write_string(r, 1, *what)?;
        }
        readme.autofit();
        book.save_to_buffer()
    };
    build().map_err(AppError::internal)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// One row of an imported table: the cumulative allocated and delivered it states, with the
/// line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    /// The commitment.
    pub commitment: CommitmentId,
    /// Allocated so far, and when (default: now).
    pub allocated: (u64, Option<Timestamp>),
    /// Delivered so far, and when (default: now).
    pub delivered: (u64, Option<Timestamp>),
}

/// Reads a support table (CSV with a header row naming at least `commitment`, `allocated` and
/// `delivered`; `allocated_at` and `delivered_at` when given; other columns are for people and
/// ignored). Errors name `file:line:column (name)`.
pub fn parse_csv(file: &str, text: &str) -> Result<Vec<ImportedRow>, SourceError> {
    check_size(file, text, MAX_TABLE_BYTES)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| SourceError::line(file, 1, e.to_string()))?
        .clone();
    let index = |name: &str| headers.iter().position(|h| h.trim() == name);
    let required = |name: &str| {
        index(name)
            .ok_or_else(|| SourceError::line(file, 1, format!("the header has no {name} column")))
    };
    let (commitment, allocated, delivered) = (
        required("commitment")?,
        required("allocated")?,
        required("delivered")?,
    );
    let (allocated_at, delivered_at) = (index("allocated_at"), index("delivered_at"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            SourceError::line(file, line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |c: usize, what: &str| -> Result<&str, SourceError> {
            record.get(c).map(str::trim).ok_or_else(|| SourceError {
                file: file.to_owned(),
                line: Some(line),
                column: Some(c + 1),
                message: format!("({}) missing: expected {what}", headers[c].trim()),
            })
        };
        let bad = |c: usize, what: &str, value: &str| SourceError {
            file: file.to_owned(),
            line: Some(line),
            column: Some(c + 1),
            message: format!("({}) {value:?}: expected {what}", headers[c].trim()),
        };
        let number = |c: usize| -> Result<u64, SourceError> {
            let value = cell(c, "a whole number")?;
            value
                .parse()
                .map_err(|_| bad(c, "a whole number of units", value))
        };
        let time = |c: Option<usize>| -> Result<Option<Timestamp>, SourceError> {
            let Some(c) = c else { return Ok(None) };
            match cell(c, "a time")? {
                "" => Ok(None),
                value => Timestamp::parse(value)
                    .map(Some)
                    .map_err(|_| bad(c, "an RFC 3339 time such as 2026-03-01T00:00:00Z", value)),
            }
        };
        let id = cell(commitment, "a commitment id")?;
        rows.push(ImportedRow {
            line,
            commitment: id
                .parse()
                .map_err(|e: coalition_core::id::InvalidId| bad(commitment, &e.to_string(), id))?,
            allocated: (number(allocated)?, time(allocated_at)?),
            delivered: (number(delivered)?, time(delivered_at)?),
        });
    }
    if rows.is_empty() {
        return Err(SourceError::whole(file, "no rows below the header"));
    }
    Ok(rows)
}

impl App {
    /// Records the allocations and deliveries a support table states, as `actor`, in one
    /// batch: for each row, a stage whose quantity differs from the record's. A commitment the
    /// actor may not read reads as unknown; a refused row is named by its line; on any error
    /// nothing is written.
    pub async fn import_support(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        file: &str,
        text: &str,
    ) -> Result<ReceiptView, AppError> {
        let rows = parse_csv(file, text)?;
        let reader = self
            .read(coalition, &Reading::by(Who::Principal(actor.clone())))
            .await?;
        let known = reader.support(&CommitmentFilter::default()).rows;
        let state = self.current(coalition).await?;
        let mut commands = Vec::new();
        let mut lines = Vec::new();
        for row in &rows {
            let Some(current) = known.iter().find(|k| k.commitment == row.commitment) else {
                return Err(SourceError::line(
                    file,
                    row.line,
                    format!(
                        "unknown commitment {} (or one that states no amount)",
                        row.commitment
                    ),
                )
                .into());
            };
            for (stage, (quantity, at), now) in [
                (Stage::Allocated, row.allocated, current.allocated),
                (Stage::Delivered, row.delivered, current.delivered),
            ] {
                if quantity == now {
                    continue;
                }
                let request = Request::RecordSupport {
                    commitment: row.commitment.clone(),
                    stage,
                    quantity,
                    at,
                };
                for command in request.into_commands(&state)? {
                    commands.push(command);
                    lines.push(row.line);
                }
            }
        }
        if commands.is_empty() {
            return Err(SourceError::whole(
                file,
                "every row matches the record already: nothing to record",
            )
            .into());
        }
        self.execute_or(coalition, actor, &commands, None, |index, rejection| {
            let line = lines.get(index).copied().unwrap_or(0);
            SourceError::line(file, line, format!("refused: {rejection}")).into()
        })
        .await
    }
}
