//! The record as the reader may see it (entries, an inclusion proof of any of them, the latest
//! checkpoint, how to verify offline and the bundle to verify), "who has done what" (parties ×
//! instruments, statements and incidents) and "due soon" (the reader's party's open obligations
//! and pending approvals, soonest first).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coalition_app::Reading;
use coalition_app::views::{CheckpointView, InclusionProofView};
use coalition_core::instrument::Consent;
use coalition_core::obligation::Deadline;
use coalition_core::statement::{AdoptionRule, PartyStanding, StatementStatus};
use serde::Deserialize;

use super::dashboard::{EntryRow, ObligationRow, open_obligations};
use super::{Banner, Chrome, coalition, open, render};
use crate::Web;
use crate::error::WebError;
use crate::visitor::Visitor;

/// Which entry to prove.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Prove {
    seq: Option<u64>,
}

#[derive(askama::Template)]
#[template(path = "record.html")]
struct Record {
    chrome: Chrome,
    coalition: String,
    entries: Vec<EntryRow>,
    checkpoint: CheckpointView,
    proof: Option<InclusionProofView>,
    origin: String,
}

/// The reader's log.
pub(crate) async fn record(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
    Query(q): Query<Prove>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let c = coalition(&c)?;
    let who = visitor.who(&c)?;
    let log = web
        .app
        .log(&c, &Reading::by(who.clone()))
        .await
        .map_err(WebError::from_app)?;
    let mut banner = Banner::default();
    let entries = log
        .iter()
        .rev()
        .map(|e| {
            banner.add(&e.classification);
            EntryRow::of(t, e)
        })
        .collect();
    let checkpoint = web
        .app
        .checkpoint(&c, &who)
        .await
        .map_err(WebError::from_app)?;
    let proof = match q.seq {
        Some(seq) => Some(
            web.app
                .prove(&c, seq, &who)
                .await
                .map_err(WebError::from_app)?,
        ),
        None => None,
    };
    let chrome = Chrome::new(&visitor, &c, "nav-record", t.get("record-title"), banner);
    Ok(render(&Record {
        coalition: c.to_string(),
        entries,
        checkpoint,
        proof,
        origin: visitor.origin(&web),
        chrome,
    }))
}

/// The reader's log as a bundle to verify offline (`coalition log verify --bundle`).
pub(crate) async fn bundle(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let c = coalition(&c)?;
    let who = visitor.who(&c)?;
    let (bytes, view) = web.app.export(&c, &who).await.map_err(WebError::from_app)?;
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{c}.bundle\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(level) = HeaderValue::from_str(&view.classification.to_string()) {
        response.headers_mut().insert("x-classification", level);
    }
    Ok(response)
}

/// One party's line in a "who has done what" table.
struct Line {
    party: String,
    state: String,
    when: String,
}

/// One table: an instrument, a statement or an incident, and its parties' lines.
struct Table {
    title: String,
    href: String,
    lines: Vec<Line>,
}

#[derive(askama::Template)]
#[template(path = "parties.html")]
struct Parties {
    chrome: Chrome,
    /// Instruments, statements and incidents, each under its heading.
    sections: Vec<(String, Vec<Table>)>,
}

/// Who has done what, as a treaty collection shows a treaty's status.
pub(crate) async fn parties(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let at = reader.at();
    let mut banner = Banner::default();
    let instruments = reader
        .instruments()
        .into_iter()
        .map(|view| {
            let record = &view.record;
            banner.add(&record.instrument.marking);
            Table {
                title: format!("{} — {}", record.instrument.id, record.instrument.title),
                href: String::new(),
                lines: record
                    .instrument
                    .parties
                    .iter()
                    .map(|p| {
                        let signed = record.signed.get(p).map(|s| t.day(&s.day()));
                        let (state, when) = match record.consent(p, at) {
                            Consent::Unsigned => (t.get("consent-unsigned"), String::new()),
                            Consent::Signed => {
                                (t.get("consent-signed"), signed.unwrap_or_default())
                            }
                            Consent::Complete { at, ratified: true } => {
                                (t.get("consent-ratified"), t.day(&at.day()))
                            }
                            Consent::Complete {
                                at,
                                ratified: false,
                            } => (t.get("consent-complete"), t.day(&at.day())),
                            Consent::Rejected => (t.get("consent-rejected"), String::new()),
                        };
                        Line {
                            party: p.to_string(),
                            state,
                            when,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let mut statements = Vec::new();
    for row in reader.statements() {
        let standing = reader
            .statement_standing(&row.id)
            .map_err(WebError::from_app)?;
        statements.push(Table {
            title: row.title.clone(),
            href: format!("/c/{c}/statements/{}", row.id),
            lines: standing
                .parties
                .iter()
                .map(|r| {
                    let (state, when) = match &r.standing {
                        PartyStanding::Approved { approval } => {
                            (t.get("standing-approved-short"), t.day(&approval.at.day()))
                        }
                        PartyStanding::ApprovedOlderVersion { version } => {
                            (t.with("standing-older", "version", version), String::new())
                        }
                        PartyStanding::Objected => (t.get("standing-objected"), String::new()),
                        PartyStanding::Pending => (t.get("standing-silent"), String::new()),
                    };
                    Line {
                        party: r.party.to_string(),
                        state,
                        when,
                    }
                })
                .collect(),
        });
    }
    let now = at.unix();
    let incidents = reader
        .incidents()
        .into_iter()
        .map(|view| {
            banner.add(&view.incident.marking);
            let detail = reader.incident(&view.incident.id).ok();
            Table {
                title: format!(
                    "{} — {}",
                    view.incident.id,
                    t.name(
                        "kind",
                        coalition_core::names::Named::name(view.incident.kind)
                    )
                ),
                href: format!("/c/{c}/incidents/{}", view.incident.id),
                lines: detail
                    .map(|d| d.obligations)
                    .unwrap_or_default()
                    .iter()
                    .map(|o| {
                        banner.add(&o.obligation.marking);
                        let row = ObligationRow::of(t, o, now);
                        Line {
                            party: row.guarantor,
                            state: format!("{} — {}", row.kind, row.status),
                            when: row.deadline,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let chrome = Chrome::new(&visitor, &c, "nav-parties", t.get("parties-title"), banner);
    Ok(render(&Parties {
        chrome,
        sections: vec![
            (t.get("parties-instruments"), instruments),
            (t.get("parties-statements"), statements),
            (t.get("parties-incidents"), incidents),
        ],
    }))
}

/// Something the reader's party must do, and by when.
struct Due {
    what: String,
    href: String,
    when: String,
    sort: i64,
    overdue: bool,
}

#[derive(askama::Template)]
#[template(path = "due.html")]
struct DueSoon {
    chrome: Chrome,
    party: String,
    items: Vec<Due>,
}

/// Every open obligation and pending approval of the reader's party, soonest first.
pub(crate) async fn due(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let me = visitor
        .signed_in
        .as_ref()
        .map(|s| s.token.principal.clone());
    let party = reader
        .principals()
        .into_iter()
        .find(|p| Some(&p.id) == me.as_ref())
        .map(|p| p.party)
        .ok_or(WebError::NotFound)?;
    let now = reader.at().unix();
    let mut banner = Banner::default();
    let mut items: Vec<Due> = open_obligations(&reader)
        .iter()
        .filter(|o| o.obligation.guarantor == party)
        .map(|o| {
            banner.add(&o.obligation.marking);
            let row = ObligationRow::of(t, o, now);
            Due {
                what: format!("{} — {} ({})", row.id, row.kind, row.commitment),
                href: format!("/c/{c}/incidents/{}#ob-{}", row.incident, row.id),
                when: if row.left.is_empty() {
                    row.deadline
                } else {
                    format!("{} — {}", row.deadline, row.left)
                },
                sort: match o.deadline {
                    Deadline::Due(at) => at.unix(),
                    _ => i64::MAX,
                },
                overdue: row.overdue,
            }
        })
        .collect();
    for row in reader.statements() {
        if row.status != StatementStatus::Draft {
            continue;
        }
        let standing = reader
            .statement_standing(&row.id)
            .map_err(WebError::from_app)?;
        if !standing.missing.contains(&party) {
            continue;
        }
        let (when, sort) = match standing.rule {
            AdoptionRule::Silence { deadline } => (
                t.with("due-silence", "deadline", t.time(&deadline)),
                deadline.unix(),
            ),
            _ => (t.get("due-approval"), i64::MAX - 1),
        };
        items.push(Due {
            what: t.with("due-approve", "title", &row.title),
            href: format!("/c/{c}/statements/{}", row.id),
            overdue: sort < now,
            when,
            sort,
        });
    }
    items.sort_by_key(|i| i.sort);
    let chrome = Chrome::new(&visitor, &c, "nav-due", t.get("due-title"), banner);
    Ok(render(&DueSoon {
        chrome,
        party: party.to_string(),
        items,
    }))
}
