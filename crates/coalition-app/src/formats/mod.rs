//! The field's own formats: what other tools read and write, produced from (and read into) the
//! same gated views and requests as every other answer. Writers take a view the [`Reader`]
//! built, so an export can hold nothing the reader may not read; parsers return requests' parts
//! with positioned errors ([`SourceError`]), so an import is refused before anything is written.
//!
//! - [`akn`]: statements as Akoma Ntoso 3.0 (OASIS LegalDocML) documents, and drafts from them.
//! - [`calendar`]: obligations' deadlines as an iCalendar feed.
//! - [`csv`]: the one CSV writer, which never writes a cell a spreadsheet would run.
//! - [`iati`]: support as IATI 2.03 activity files.
//! - [`opendata`]: everything the public may see, as JSON or CSV tables with a schema.
//! - [`table`]: support as a Kiel-Tracker-style table (CSV, xlsx), and CSV read back.
//!
//! The formats, which element carries a marking and how to validate each: docs/formats.md.
//!
//! [`Reader`]: crate::Reader
//! [`SourceError`]: crate::import::SourceError

pub mod akn;
pub mod calendar;
pub mod csv;
pub mod iati;
pub mod opendata;
pub mod table;
mod xml;
