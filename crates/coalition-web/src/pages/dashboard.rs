//! The coalition dashboard: who sits where, the heatmap of guarantors × categories, the
//! coverage timeline, the open obligations (overdue first) and the latest entries of the
//! reader's log. Every number comes from the reader's `Reader`, so it counts only what the
//! reader may see.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use coalition_app::views::{CommitmentFilter, LogEntryView, ObligationFilter, ObligationView};
use coalition_app::{Reader, Reading};
use coalition_core::commitment::{Category, CommitmentStatus, Strength};
use coalition_core::coverage::Coverage;
use coalition_core::names::Named as _;
use coalition_core::obligation::{Deadline, ObligationStatus};

use super::public::{SeatGroup, seat_groups};
use super::{Banner, Chrome, Mark, open, render};
use crate::Web;
use crate::charts::{self, Cell, Heatmap, TimelineRow};
use crate::csv_export::csv;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::visitor::Visitor;

/// How many log entries the dashboard shows.
const RECENT: usize = 10;

/// Whether a commitment still counts: not lapsed, terminated or withdrawn.
fn live(status: CommitmentStatus) -> bool {
    !matches!(
        status,
        CommitmentStatus::Lapsed | CommitmentStatus::Terminated | CommitmentStatus::Withdrawn
    )
}

/// Categories in the order people read them: the built-in ones as listed, then the
/// coalition's own.
fn category_order(category: &str) -> (usize, String) {
    let place = Category::BUILT_IN
        .iter()
        .position(|(slug, _)| *slug == category)
        .unwrap_or(Category::BUILT_IN.len());
    (place, category.to_owned())
}

/// The heatmap of the commitments the reader may see that still count.
pub(crate) fn heatmap(reader: &Reader) -> Heatmap {
    let mut by: BTreeMap<(String, String), Cell> = BTreeMap::new();
    for view in reader.commitments(&CommitmentFilter::default()) {
        if !live(view.status) {
            continue;
        }
        let key = (
            view.commitment.guarantor.to_string(),
            view.commitment.category.as_str().to_owned(),
        );
        let cell = by.entry(key).or_insert(Cell {
            strength: view.strength,
            count: 0,
        });
        cell.count += 1;
        cell.strength = cell.strength.max(view.strength);
    }
    let mut guarantors: Vec<String> = by.keys().map(|(g, _)| g.clone()).collect();
    guarantors.dedup();
    let mut categories: Vec<String> = by.keys().map(|(_, c)| c.clone()).collect();
    categories.sort_by_key(|c| category_order(c));
    categories.dedup();
    let cells = guarantors
        .iter()
        .map(|g| {
            categories
                .iter()
                .map(|c| by.get(&(g.clone(), c.clone())).copied())
                .collect()
        })
        .collect();
    Heatmap {
        guarantors,
        categories,
        cells,
    }
}

/// The timeline's years and rows, from a coverage report.
pub(crate) fn timeline(coverage: &Coverage) -> (Vec<i32>, Vec<TimelineRow>) {
    let years = coverage.timeline.iter().map(|row| row.day.year()).collect();
    let rows = coverage
        .categories
        .iter()
        .map(|c| TimelineRow {
            category: c.category.as_str().to_owned(),
            years: coverage
                .timeline
                .iter()
                .map(|row| row.cover.get(&c.category).copied())
                .collect(),
        })
        .collect();
    (years, rows)
}

/// An obligation as a row: what, who, when due, how long left.
pub(crate) struct ObligationRow {
    pub(crate) id: String,
    pub(crate) guarantor: String,
    pub(crate) kind: String,
    pub(crate) commitment: String,
    pub(crate) incident: String,
    pub(crate) deadline: String,
    pub(crate) deadline_iso: String,
    pub(crate) left: String,
    pub(crate) status: String,
    pub(crate) overdue: bool,
    pub(crate) open: bool,
    pub(crate) mark: Mark,
}

/// Time left (or past) until `due`, in words.
fn countdown(t: Tr, due: i64, now: i64) -> String {
    let seconds = (due - now).abs();
    let (hours, minutes) = (seconds / 3600, (seconds % 3600) / 60);
    let span = if hours >= 48 {
        t.count("span-days", (hours / 24) as usize)
    } else {
        t.with("span-hours", "time", format!("{hours} h {minutes:02}"))
    };
    if due >= now {
        t.with("deadline-left", "span", &span)
    } else {
        t.with("deadline-late", "span", &span)
    }
}

impl ObligationRow {
    pub(crate) fn of(t: Tr, view: &ObligationView, now: i64) -> ObligationRow {
        let o = &view.obligation;
        let (deadline, deadline_iso, left) = match view.deadline {
            Deadline::Due(at) => (t.time(&at), t.iso(&at), countdown(t, at.unix(), now)),
            Deadline::AwaitingRequest => (
                t.get("deadline-awaiting-request"),
                String::new(),
                String::new(),
            ),
            Deadline::NoDeadline => (t.get("deadline-none"), String::new(), String::new()),
        };
        ObligationRow {
            id: o.id.to_string(),
            guarantor: o.guarantor.to_string(),
            kind: t.name("response", o.kind.name()),
            commitment: o.commitment.to_string(),
            incident: o.incident.to_string(),
            deadline,
            deadline_iso,
            left,
            status: t.name("obligation", view.status.name()),
            overdue: view.status == ObligationStatus::Overdue,
            open: matches!(
                view.status,
                ObligationStatus::Open | ObligationStatus::Overdue
            ),
            mark: Mark::of(&o.marking),
        }
    }
}

/// Open obligations, overdue first, then soonest due.
pub(crate) fn open_obligations(reader: &Reader) -> Vec<ObligationView> {
    let mut open: Vec<ObligationView> = reader
        .obligations(&ObligationFilter::default())
        .into_iter()
        .filter(|o| matches!(o.status, ObligationStatus::Open | ObligationStatus::Overdue))
        .collect();
    open.sort_by_key(|o| {
        let due = match o.deadline {
            Deadline::Due(at) => at.unix(),
            _ => i64::MAX,
        };
        (o.status != ObligationStatus::Overdue, due)
    });
    open
}

/// A log entry as a row.
pub(crate) struct EntryRow {
    pub(crate) seq: u64,
    pub(crate) at: String,
    pub(crate) at_iso: String,
    pub(crate) actor: String,
    pub(crate) kind: String,
    pub(crate) hash: String,
    pub(crate) mark: Mark,
}

impl EntryRow {
    pub(crate) fn of(t: Tr, entry: &LogEntryView) -> EntryRow {
        EntryRow {
            seq: entry.seq,
            at: t.time(&entry.recorded_at),
            at_iso: t.iso(&entry.recorded_at),
            actor: entry.actor.to_string(),
            kind: t.name("event", &entry.kind),
            hash: entry.hash.to_hex(),
            mark: Mark::of(&entry.classification),
        }
    }
}

/// A heatmap cell as the table prints it.
pub(crate) struct TableCell {
    pub(crate) text: String,
    pub(crate) strength: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    coalition: String,
    name: String,
    groups: Vec<SeatGroup>,
    heatmap_svg: String,
    heatmap: Heatmap,
    heatmap_rows: Vec<(String, Vec<TableCell>)>,
    timeline_svg: String,
    years: Vec<i32>,
    timeline_rows: Vec<(String, Vec<TableCell>)>,
    gaps: Vec<String>,
    obligations: Vec<ObligationRow>,
    entries: Vec<EntryRow>,
    at: String,
}

fn cell_text(t: Tr, strength: Option<Strength>) -> String {
    strength.map_or_else(|| "—".to_owned(), |s| t.name("strength", s.name()))
}

/// The dashboard.
pub(crate) async fn dashboard(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let t = visitor.t;
    let map = heatmap(&reader);
    let coverage = reader
        .coverage(None, 20, None)
        .map_err(WebError::from_app)?;
    let (years, rows) = timeline(&coverage);
    let mut banner = Banner::default();
    for view in reader.commitments(&CommitmentFilter::default()) {
        banner.add(&view.commitment.marking);
    }
    let now = reader.at().unix();
    let obligations: Vec<ObligationRow> = open_obligations(&reader)
        .iter()
        .map(|o| {
            banner.add(&o.obligation.marking);
            ObligationRow::of(t, o, now)
        })
        .collect();
    let who = visitor.who(&c)?;
    let log = web
        .app
        .log(&c, &Reading::by(who))
        .await
        .map_err(WebError::from_app)?;
    let entries: Vec<EntryRow> = log
        .iter()
        .rev()
        .take(RECENT)
        .map(|e| {
            banner.add(&e.classification);
            EntryRow::of(t, e)
        })
        .collect();
    let heatmap_rows = map
        .guarantors
        .iter()
        .zip(&map.cells)
        .map(|(g, cells)| {
            (
                g.clone(),
                cells
                    .iter()
                    .map(|cell| TableCell {
                        text: cell.map_or_else(
                            || "—".to_owned(),
                            |c| format!("{} ({})", t.name("strength", c.strength.name()), c.count),
                        ),
                        strength: cell.map_or("none", |c| c.strength.name()).to_owned(),
                    })
                    .collect(),
            )
        })
        .collect();
    let timeline_rows = rows
        .iter()
        .map(|row| {
            (
                t.name("category", &row.category),
                row.years
                    .iter()
                    .map(|s| TableCell {
                        text: cell_text(t, *s),
                        strength: s.map_or("none", |s| s.name()).to_owned(),
                    })
                    .collect(),
            )
        })
        .collect();
    let chrome = Chrome::new(
        &visitor,
        &c,
        "nav-dashboard",
        t.get("dashboard-title"),
        banner,
    )
    .live(&c);
    Ok(render(&Dashboard {
        coalition: c.to_string(),
        name: reader.name(),
        groups: seat_groups(t, &reader.members()),
        heatmap_svg: charts::heatmap(t, &map),
        heatmap: map,
        heatmap_rows,
        timeline_svg: charts::timeline(t, &years, &rows),
        years,
        timeline_rows,
        gaps: coverage
            .gaps
            .iter()
            .map(|g| t.name("category", g.as_str()))
            .collect(),
        obligations,
        entries,
        at: t.time(&reader.at()),
        chrome,
    }))
}

/// The heatmap's table as CSV.
pub(crate) async fn heatmap_csv(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (_, reader) = open(&web, &visitor, &c, None).await?;
    let map = heatmap(&reader);
    let mut rows = Vec::new();
    for (g, cells) in map.guarantors.iter().zip(&map.cells) {
        for (category, cell) in map.categories.iter().zip(cells) {
            if let Some(cell) = cell {
                rows.push(vec![
                    g.clone(),
                    category.clone(),
                    cell.strength.name().to_owned(),
                    cell.count.to_string(),
                ]);
            }
        }
    }
    csv(
        "heatmap.csv",
        &["guarantor", "category", "strength", "commitments"],
        &rows,
    )
}

/// The timeline's table as CSV: one row per category, one column per year.
pub(crate) async fn coverage_csv(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (_, reader) = open(&web, &visitor, &c, None).await?;
    let coverage = reader
        .coverage(None, 20, None)
        .map_err(WebError::from_app)?;
    let (years, rows) = timeline(&coverage);
    let mut header: Vec<String> = vec!["category".into()];
    header.extend(years.iter().map(i32::to_string));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            std::iter::once(row.category.clone())
                .chain(
                    row.years
                        .iter()
                        .map(|s| s.map_or("", |s| s.name()).to_owned()),
                )
                .collect()
        })
        .collect();
    csv("coverage.csv", &header, &rows)
}

/// The open obligations as CSV, overdue first.
pub(crate) async fn obligations_csv(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (_, reader) = open(&web, &visitor, &c, None).await?;
    let rows: Vec<Vec<String>> = open_obligations(&reader)
        .iter()
        .map(|o| {
            vec![
                o.obligation.id.to_string(),
                o.obligation.guarantor.to_string(),
                o.obligation.kind.name().to_owned(),
                o.obligation.commitment.to_string(),
                o.obligation.incident.to_string(),
                o.deadline.to_string(),
                o.status.name().to_owned(),
                o.obligation.marking.to_string(),
            ]
        })
        .collect();
    csv(
        "obligations.csv",
        &[
            "obligation",
            "guarantor",
            "kind",
            "commitment",
            "incident",
            "deadline",
            "status",
            "marking",
        ],
        &rows,
    )
}
