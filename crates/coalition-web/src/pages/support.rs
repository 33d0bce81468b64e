//! Support per donor: committed, allocated, delivered and outstanding in each unit and
//! category, under the commitments the reader may read — the table `coalition support` prints
//! and `GET …/support` answers — with ended commitments apart and the rows as CSV.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use coalition_app::views::{CommitmentFilter, SupportTotal};

use super::{Banner, Chrome, open, render};
use crate::Web;
use crate::csv_export::csv;
use crate::error::WebError;
use crate::visitor::Visitor;

/// One total as the table shows it.
struct Total {
    donor: String,
    category: String,
    unit: String,
    committed: u64,
    allocated: u64,
    delivered: u64,
    outstanding: u64,
    commitments: usize,
}

impl Total {
    fn of(t: crate::i18n::Tr, total: &SupportTotal) -> Total {
        Total {
            donor: total.donor.to_string(),
            category: t.name("category", total.category.as_str()),
            unit: total.unit.clone(),
            committed: total.committed,
            allocated: total.allocated,
            delivered: total.delivered,
            outstanding: total.outstanding,
            commitments: total.commitments,
        }
    }
}

#[derive(askama::Template)]
#[template(path = "support.html")]
struct SupportPage {
    chrome: Chrome,
    coalition: String,
    live: Vec<Total>,
    ended: Vec<Total>,
}

/// The reader's support table.
pub(crate) async fn support(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let summary = reader.support(&CommitmentFilter::default());
    let mut banner = Banner::default();
    for row in &summary.rows {
        banner.add(&row.marking);
    }
    let chrome = Chrome::new(&visitor, &c, "nav-support", t.get("support-title"), banner);
    Ok(render(&SupportPage {
        chrome,
        coalition: c.to_string(),
        live: summary.totals.iter().map(|x| Total::of(t, x)).collect(),
        ended: summary.ended.iter().map(|x| Total::of(t, x)).collect(),
    }))
}

/// The totals as CSV, the live ones then the ended ones.
pub(crate) async fn support_csv(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let summary = reader.support(&CommitmentFilter::default());
    let rows: Vec<Vec<String>> = [(false, &summary.totals), (true, &summary.ended)]
        .into_iter()
        .flat_map(|(ended, totals)| {
            totals.iter().map(move |x| {
                vec![
                    x.donor.to_string(),
                    x.category.to_string(),
                    x.unit.clone(),
                    ended.to_string(),
                    x.commitments.to_string(),
                    x.committed.to_string(),
                    x.allocated.to_string(),
                    x.delivered.to_string(),
                    x.outstanding.to_string(),
                ]
            })
        })
        .collect();
    csv(
        &format!("{c}-support.csv"),
        &[
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
        &rows,
    )
}
