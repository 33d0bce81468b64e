//! Commitments: the list with its filters (guarantor, category, status, as the world stood on
//! a day) and one page per commitment — instrument, trigger, discretion, responses and their
//! clocks, validity, marking, its history from the reader's log, and support committed,
//! allocated and delivered.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use coalition_app::Reading;
use coalition_app::views::{CommitmentFilter, CommitmentView, response_text};
use coalition_core::commitment::Category;
use coalition_core::dates::{Day, Timestamp};
use coalition_core::id::CommitmentId;
use coalition_core::names::Named as _;
use serde::Deserialize;

use super::dashboard::EntryRow;
use super::{Banner, Chrome, Mark, id, open, render};
use crate::Web;
use crate::csv_export::csv;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::visitor::Visitor;

/// The list's filters, as the form sends them (empty: no filter).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    #[serde(default)]
    guarantor: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    on: String,
}

/// A commitment as a row of the list.
pub(crate) struct Row {
    id: String,
    guarantor: String,
    category: String,
    what: String,
    strength: String,
    status: String,
    status_slug: String,
    runs_until: String,
    mark: Mark,
}

impl Row {
    fn of(t: Tr, view: &CommitmentView) -> Row {
        let c = &view.commitment;
        Row {
            id: c.id.to_string(),
            guarantor: c.guarantor.to_string(),
            category: t.name("category", c.category.as_str()),
            what: c.what.clone(),
            strength: t.name("strength", view.strength.name()),
            status: t.name("status", view.status.name()),
            status_slug: view.status.name().to_owned(),
            runs_until: view.runs_until.clone(),
            mark: Mark::of(&c.marking),
        }
    }
}

/// An option of a filter.
pub(crate) struct Choice {
    value: String,
    label: String,
    chosen: bool,
}

#[derive(askama::Template)]
#[template(path = "commitments.html")]
struct List {
    chrome: Chrome,
    coalition: String,
    rows: Vec<Row>,
    guarantors: Vec<Choice>,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    on: String,
    on_error: Option<String>,
    query: String,
}

/// The views the filters keep, and the day read (if one was given and valid).
fn filtered(reader: &coalition_app::Reader, f: &Filters) -> Vec<CommitmentView> {
    let filter = CommitmentFilter {
        guarantor: coalition_core::id::PartyCode::parse(&f.guarantor).ok(),
        category: Category::parse(&f.category)
            .ok()
            .filter(|_| !f.category.is_empty()),
        in_force: false,
    };
    reader
        .commitments(&filter)
        .into_iter()
        .filter(|v| f.status.is_empty() || v.status.name() == f.status)
        .collect()
}

/// The day a list is read at: the end of the day given, or now.
fn day(t: Tr, on: &str) -> Result<Option<Timestamp>, String> {
    if on.is_empty() {
        return Ok(None);
    }
    Day::parse(on)
        .map(|d| Some(Timestamp::from_unix(d.end().unix() - 1)))
        .map_err(|_| t.with("form-day-invalid", "text", on))
}

/// The list.
pub(crate) async fn list(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (at, on_error) = match day(t, &f.on) {
        Ok(at) => (at, None),
        Err(message) => (None, Some(message)),
    };
    let (c, reader) = open(&web, &visitor, &c, at).await?;
    let all = reader.commitments(&CommitmentFilter::default());
    let views = filtered(&reader, &f);
    let mut banner = Banner::default();
    for v in &views {
        banner.add(&v.commitment.marking);
    }
    let mut guarantors: Vec<String> = all
        .iter()
        .map(|v| v.commitment.guarantor.to_string())
        .collect();
    guarantors.sort();
    guarantors.dedup();
    let mut categories: Vec<String> = all
        .iter()
        .map(|v| v.commitment.category.as_str().to_owned())
        .collect();
    categories.sort();
    categories.dedup();
    let choices = |values: Vec<String>, chosen: &str, family: Option<&str>| -> Vec<Choice> {
        values
            .into_iter()
            .map(|v| Choice {
                label: family.map_or_else(|| v.clone(), |family| t.name(family, &v)),
                chosen: v == chosen,
                value: v,
            })
            .collect()
    };
    let statuses = coalition_core::commitment::CommitmentStatus::ALL
        .iter()
        .map(|s| s.name().to_owned())
        .collect();
    let query = serde_urlencoded::to_string([
        ("guarantor", f.guarantor.as_str()),
        ("category", f.category.as_str()),
        ("status", f.status.as_str()),
        ("on", f.on.as_str()),
    ])
    .unwrap_or_default();
    let chrome = Chrome::new(
        &visitor,
        &c,
        "nav-commitments",
        t.get("commitments-title"),
        banner,
    );
    Ok(render(&List {
        coalition: c.to_string(),
        rows: views.iter().map(|v| Row::of(t, v)).collect(),
        guarantors: choices(guarantors, &f.guarantor, None),
        categories: choices(categories, &f.category, Some("category")),
        statuses: choices(statuses, &f.status, Some("status")),
        on: f.on.clone(),
        on_error,
        query,
        chrome,
    }))
}

/// The list as CSV, with the same filters.
pub(crate) async fn list_csv(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    let at = day(visitor.t, &f.on).map_err(WebError::BadRequest)?;
    let (_, reader) = open(&web, &visitor, &c, at).await?;
    let rows: Vec<Vec<String>> = filtered(&reader, &f)
        .iter()
        .map(|v| {
            let c = &v.commitment;
            vec![
                c.id.to_string(),
                c.guarantor.to_string(),
                c.category.as_str().to_owned(),
                c.what.clone(),
                v.strength.name().to_owned(),
                v.status.name().to_owned(),
                v.runs_until.clone(),
                c.marking.to_string(),
            ]
        })
        .collect();
    csv(
        "commitments.csv",
        &[
            "commitment",
            "guarantor",
            "category",
            "what",
            "strength",
            "status",
            "runs_until",
            "marking",
        ],
        &rows,
    )
}

#[derive(askama::Template)]
#[template(path = "commitment.html")]
struct Show {
    chrome: Chrome,
    coalition: String,
    mark: Mark,
    view: CommitmentView,
    strength: String,
    status: String,
    category: String,
    trigger: String,
    discretion: String,
    responses: Vec<String>,
    from: String,
    until: String,
    committed: String,
    entries: Vec<EntryRow>,
}

/// One commitment: the same 404 for one the reader may not see as for one that does not exist.
pub(crate) async fn show(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let item: CommitmentId = id(&item)?;
    let view = reader.commitment(&item).map_err(WebError::from_app)?;
    let who = visitor.who(&c)?;
    let log = web
        .app
        .log(&c, &Reading::by(who))
        .await
        .map_err(WebError::from_app)?;
    // The entries that name this commitment, in the log the reader may see.
    let named = format!("\"{item}\"");
    let entries: Vec<EntryRow> = log
        .iter()
        .filter(|e| serde_json::to_string(&e.payload).is_ok_and(|json| json.contains(&named)))
        .map(|e| EntryRow::of(t, e))
        .collect();
    let cm = &view.commitment;
    let mut banner = Banner::default();
    banner.add(&cm.marking);
    let committed = cm.amount.as_ref().map_or_else(
        || t.get("commitment-no-amount"),
        |a| format!("{} {}", t.number(a.quantity), a.unit),
    );
    let chrome = Chrome::new(
        &visitor,
        &c,
        "nav-commitments",
        format!("{} — {}", cm.id, cm.guarantor),
        banner,
    );
    Ok(render(&Show {
        coalition: c.to_string(),
        mark: Mark::of(&cm.marking),
        strength: t.name("strength", view.strength.name()),
        status: t.name("status", view.status.name()),
        category: t.name("category", cm.category.as_str()),
        trigger: format!(
            "{} — {}{}",
            t.name("kind", cm.trigger.kind.name()),
            cm.trigger.aggressor,
            if cm.trigger.scope.is_empty() {
                String::new()
            } else {
                format!(" ({})", cm.trigger.scope)
            }
        ),
        discretion: t.name("discretion", cm.discretion.name()),
        responses: cm.responses.iter().map(response_text).collect(),
        from: cm.validity.from.map_or_else(|| "—".into(), |d| t.day(&d)),
        until: cm.validity.until.map_or_else(|| "—".into(), |d| t.day(&d)),
        committed,
        entries,
        chrome,
        view,
    }))
}
