//! Everything the public may see of a coalition, as static files any web server or CDN can
//! serve: the public page's data, the communiqué, open data, and the public log's signed
//! checkpoint and hash tiles. Each file lies at the path of the API route that serves the same
//! bytes to a caller without a token, so a static copy can stand in for the server's public face
//! (and `log verify --server` can be pointed at the server while the copy carries the load).

use coalition_core::id::CoalitionId;
use coalition_ledger::tiles::{tile, tiles_of};
use serde::Serialize;

use crate::app::App;
use crate::error::AppError;
use crate::formats::opendata::{Layout, open_data};
use crate::reader::{Reading, Who};

/// One published file: its path relative to the site root, and its bytes.
pub type Published = (String, Vec<u8>);

/// The coverage horizon the public page shows (the API's default).
const COVERAGE_YEARS: u16 = 20;

impl App {
    /// The coalition as the public sees it now, file by file (see the module's note).
    pub async fn publish(&self, coalition: &CoalitionId) -> Result<Vec<Published>, AppError> {
        let reader = self.read(coalition, &Reading::by(Who::Public)).await?;
        let base = format!("api/coalitions/{coalition}");
        let page = [
            ("members", json(&reader.members())?),
            ("instruments", json(&reader.instruments())?),
            ("statements", json(&reader.statements())?),
            ("meetings", json(&reader.meetings())?),
            ("aggregates", json(&reader.aggregates())?),
            ("communique", json(&reader.communique(None)?)?),
            (
                "coverage",
                json(&reader.coverage(None, COVERAGE_YEARS, None)?)?,
            ),
        ];
        let mut files: Vec<Published> = page
            .into_iter()
            .map(|(name, bytes)| (format!("{base}/{name}"), bytes))
            .collect();
        let data = open_data(&reader)?;
        for (layout, dir) in [(Layout::Json, "json"), (Layout::Csv, "csv")] {
            for (name, bytes) in data.files(layout) {
                files.push((format!("{base}/open-data/{dir}/{name}"), bytes));
            }
        }
        let checkpoint = self.checkpoint(coalition, &Who::Public).await?;
        files.push((
            format!("{base}/tlog/checkpoint"),
            checkpoint.note.into_bytes(),
        ));
        let leaves = self.readable_leaves(coalition, &Who::Public).await?;
        for name in tiles_of(leaves.len() as u64) {
            let bytes = tile(&leaves, &name)
                .ok_or_else(|| AppError::internal("a tile of the tree is missing"))?;
            files.push((format!("{base}/tlog/tile/{}", name.path()), bytes));
        }
        Ok(files)
    }
}

/// A view as the API's JSON bytes (compact, as `axum::Json` writes them).
fn json<T: Serialize>(view: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(view).map_err(AppError::internal)
}
