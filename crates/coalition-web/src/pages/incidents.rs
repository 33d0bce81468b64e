//! Incidents: the list with the report form; an incident's page with the confirmations toward
//! the verification rule (who has confirmed, what is still needed), the obligations it opened
//! with their countdowns, overdue ones highlighted, and the forms to confirm it and to record
//! fulfilment, waiver or dispute. A form with bad input comes back with the message next to
//! the field and what was typed kept; nothing is written.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use coalition_app::Request;
use coalition_app::request::{NewIncidentRequest, ObligationReport};
use coalition_app::views::IncidentView;
use coalition_app::{AppError, Reader};
use coalition_core::classification::Level;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, IncidentId, ObligationId, PartyCode};
use coalition_core::incident::IncidentKind;
use coalition_core::names::Named as _;
use coalition_core::party::PrincipalRole;

use super::dashboard::ObligationRow;
use super::forms::{Echo, writing};
use super::{Banner, Chrome, Mark, id, open, render_form, see_other};
use crate::Web;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::visitor::Visitor;

/// An incident as a row of the list.
pub(crate) struct Row {
    id: String,
    kind: String,
    parties: String,
    occurred: String,
    status: String,
    confirmations: usize,
    mark: Mark,
}

impl Row {
    fn of(t: Tr, view: &IncidentView) -> Row {
        let i = &view.incident;
        Row {
            id: i.id.to_string(),
            kind: t.name("kind", i.kind.name()),
            parties: format!("{} → {}", i.aggressor, i.target),
            occurred: t.time(&i.occurred_at),
            status: t.name("incident", &view.status),
            confirmations: view.confirmations.len(),
            mark: Mark::of(&i.marking),
        }
    }
}

/// An option of a select.
pub(crate) struct Pick {
    value: String,
    label: String,
}

#[derive(askama::Template)]
#[template(path = "incidents.html")]
struct List {
    chrome: Chrome,
    coalition: String,
    rows: Vec<Row>,
    echo: Echo,
    kinds: Vec<Pick>,
    levels: Vec<Pick>,
    protected: String,
}

fn list_page(visitor: &Visitor, c: &CoalitionId, reader: &Reader, echo: Echo) -> Response {
    let t = visitor.t;
    let views = reader.incidents();
    let mut banner = Banner::default();
    for v in &views {
        banner.add(&v.incident.marking);
    }
    let failed = echo.failed();
    let chrome = Chrome::new(
        visitor,
        c,
        "nav-incidents",
        t.get("incidents-title"),
        banner,
    )
    .live(c);
    render_form(
        &List {
            coalition: c.to_string(),
            rows: views.iter().map(|v| Row::of(t, v)).collect(),
            echo,
            kinds: IncidentKind::ALL
                .iter()
                .map(|k| Pick {
                    value: k.name().to_owned(),
                    label: t.name("kind", k.name()),
                })
                .collect(),
            levels: Level::ALL
                .iter()
                .map(|l| Pick {
                    value: l.name().to_owned(),
                    label: l.name().to_owned(),
                })
                .collect(),
            protected: reader
                .protected()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            chrome,
        },
        failed,
    )
}

/// The list and the report form.
pub(crate) async fn list(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    Ok(list_page(&visitor, &c, &reader, Echo::default()))
}

/// A moment as a `datetime-local` field sends it (UTC), or RFC 3339.
fn moment(t: Tr, text: &str) -> Result<Timestamp, String> {
    if text.is_empty() {
        return Err(t.get("form-required"));
    }
    let full = if text.len() == 16 {
        format!("{text}:00Z")
    } else {
        text.to_owned()
    };
    Timestamp::parse(&full)
        .or_else(|_| Timestamp::parse(&format!("{text}Z")))
        .map_err(|_| t.with("form-time-invalid", "text", text))
}

fn party(t: Tr, text: &str) -> Result<PartyCode, String> {
    if text.is_empty() {
        return Err(t.get("form-required"));
    }
    PartyCode::parse(text).map_err(|_| t.with("form-party-invalid", "text", text))
}

/// What the application refused, shown where it belongs: at a field it names, else above
/// the form.
fn refused(echo: &mut Echo, err: AppError, fields: &[&str]) -> Result<(), WebError> {
    match err {
        AppError::Invalid { field, message } if fields.contains(&field.as_str()) => {
            echo.fault(&field, message);
        }
        AppError::Invalid { message, .. } | AppError::Conflict(message) => {
            echo.general = Some(message)
        }
        AppError::Source(source) => echo.general = Some(source.to_string()),
        AppError::Rejected { rejection } => echo.general = Some(rejection.to_string()),
        other => return Err(WebError::from_app(other)),
    }
    Ok(())
}

/// Reports an incident through the form.
pub(crate) async fn report(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = writing(&web, &visitor, &body)?;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let t = visitor.t;
    let mut echo = Echo::of(&fields);
    let aggressor = echo.take(&fields, "aggressor", |s| party(t, s));
    let target = echo.take(&fields, "target", |s| party(t, s));
    let kind = echo.take(&fields, "kind", |s| {
        s.parse::<IncidentKind>()
            .map_err(|_| t.with("form-choice-invalid", "text", s))
    });
    let at = echo.take(&fields, "at", |s| moment(t, s));
    let level = echo.take(&fields, "classification", |s| {
        s.parse::<Level>()
            .map_err(|_| t.with("form-choice-invalid", "text", s))
    });
    let releasable = echo.take(&fields, "releasable_to", |s| {
        if s.is_empty() {
            return Ok(None);
        }
        s.split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| party(t, p.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    });
    let location = fields.get("location");
    let description = fields.get("description");
    let (Some(aggressor), Some(target), Some(kind), Some(at), Some(level), Some(releasable_to)) =
        (aggressor, target, kind, at, level, releasable)
    else {
        return Ok(list_page(&visitor, &c, &reader, echo));
    };
    let request = Request::ReportIncident(Box::new(NewIncidentRequest {
        aggressor,
        target,
        kind,
        at,
        location,
        description,
        evidence: Vec::new(),
        nuclear_weapons_used: false,
        classification: Some(level),
        releasable_to,
        reported_at: None,
    }));
    let actor = visitor.actor()?;
    match web.app.submit(&c, &actor, request).await {
        Ok(receipt) => match receipt.created() {
            Some(created) => Ok(see_other(&format!("/c/{c}/incidents/{}", created.id))),
            None => Ok(see_other(&format!("/c/{c}/incidents"))),
        },
        Err(err) => {
            refused(
                &mut echo,
                err,
                &[
                    "aggressor",
                    "target",
                    "kind",
                    "at",
                    "location",
                    "description",
                    "classification",
                ],
            )?;
            Ok(list_page(&visitor, &c, &reader, echo))
        }
    }
}

/// Where verification stands against the coalition's rule.
struct Progress {
    rule: String,
    verified: bool,
    by_monitor: bool,
    secretariat: bool,
    members: usize,
    members_needed: usize,
    confirmed: Vec<(String, String, String, String)>,
}

#[derive(askama::Template)]
#[template(path = "incident.html")]
struct Show {
    chrome: Chrome,
    coalition: String,
    view: IncidentView,
    mark: Mark,
    kind: String,
    status: String,
    occurred: String,
    progress: Progress,
    obligations: Vec<ObligationRow>,
    echo: Echo,
}

async fn show_page(
    web: &Web,
    visitor: &Visitor,
    c: &str,
    item: &str,
    echo: Echo,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(web, visitor, c, None).await?;
    let item: IncidentId = id(item)?;
    let detail = reader.incident(&item).map_err(WebError::from_app)?;
    let view = detail.incident;
    let rule = reader.verification().unwrap_or_default();
    let members: BTreeSet<&PartyCode> = view
        .confirmations
        .iter()
        .filter(|c| c.member && c.role.speaks_for_party())
        .map(|c| &c.party)
        .collect();
    let progress = Progress {
        rule: rule.describe(),
        verified: rule.is_met(&view.confirmations),
        by_monitor: view
            .confirmations
            .iter()
            .any(|c| c.role == PrincipalRole::Monitor),
        secretariat: view
            .confirmations
            .iter()
            .any(|c| c.role == PrincipalRole::Secretariat),
        members: members.len(),
        members_needed: usize::from(rule.members_with_secretariat),
        confirmed: view
            .confirmations
            .iter()
            .map(|c| {
                (
                    c.principal.to_string(),
                    c.party.to_string(),
                    c.role.to_string(),
                    t.time(&c.at),
                )
            })
            .collect(),
    };
    let mut banner = Banner::default();
    banner.add(&view.incident.marking);
    let now = reader.at().unix();
    let mut obligations: Vec<ObligationRow> = detail
        .obligations
        .iter()
        .map(|o| {
            banner.add(&o.obligation.marking);
            ObligationRow::of(t, o, now)
        })
        .collect();
    obligations.sort_by_key(|o| !o.overdue);
    let failed = echo.failed();
    let chrome = Chrome::new(
        visitor,
        &c,
        "nav-incidents",
        format!(
            "{} — {}",
            view.incident.id,
            t.name("kind", view.incident.kind.name())
        ),
        banner,
    )
    .live(&c);
    Ok(render_form(
        &Show {
            coalition: c.to_string(),
            mark: Mark::of(&view.incident.marking),
            kind: t.name("kind", view.incident.kind.name()),
            status: t.name("incident", &view.status),
            occurred: t.time(&view.incident.occurred_at),
            progress,
            obligations,
            echo,
            view,
            chrome,
        },
        failed,
    ))
}

/// An incident's page.
pub(crate) async fn show(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
) -> Result<Response, WebError> {
    show_page(&web, &visitor, &c, &item, Echo::default()).await
}

/// Confirms an incident as the signed-in principal.
pub(crate) async fn confirm(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = writing(&web, &visitor, &body)?;
    let (coalition, reader) = open(&web, &visitor, &c, None).await?;
    let incident: IncidentId = id(&item)?;
    // An incident the reader may not see is not one it can confirm: the same 404.
    reader.incident(&incident).map_err(WebError::from_app)?;
    let request = Request::ConfirmIncident { incident, at: None };
    match web.app.submit(&coalition, &visitor.actor()?, request).await {
        Ok(_) => Ok(see_other(&format!("/c/{coalition}/incidents/{item}"))),
        Err(err) => {
            let mut echo = Echo::of(&fields);
            refused(&mut echo, err, &[])?;
            show_page(&web, &visitor, &c, &item, echo).await
        }
    }
}

/// Records an obligation's fulfilment, waiver or dispute.
pub(crate) async fn settle(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = writing(&web, &visitor, &body)?;
    let t = visitor.t;
    let (coalition, reader) = open(&web, &visitor, &c, None).await?;
    let obligation: ObligationId = id(&item)?;
    let seen = reader
        .obligations(&coalition_app::views::ObligationFilter::default())
        .into_iter()
        .find(|o| o.obligation.id == obligation)
        .ok_or(WebError::NotFound)?;
    let incident = seen.obligation.incident.to_string();
    let mut echo = Echo::of(&fields);
    let action = echo.take(&fields, "action", |s| match s {
        "fulfil" | "waive" | "dispute" => Ok(s.to_owned()),
        other => Err(t.with("form-choice-invalid", "text", other)),
    });
    let report = echo.take(&fields, "report", |s| {
        if s.is_empty() {
            Err(t.get("form-report-required"))
        } else {
            Ok(s.to_owned())
        }
    });
    let (Some(action), Some(report)) = (action, report) else {
        return show_page(&web, &visitor, &c, &incident, echo).await;
    };
    let settled = ObligationReport {
        obligation,
        report,
        at: None,
    };
    let request = match action.as_str() {
        "fulfil" => Request::FulfilObligation(settled),
        "waive" => Request::WaiveObligation(settled),
        _ => Request::DisputeObligation(settled),
    };
    match web.app.submit(&coalition, &visitor.actor()?, request).await {
        Ok(_) => Ok(see_other(&format!(
            "/c/{coalition}/incidents/{incident}#ob-{item}"
        ))),
        Err(err) => {
            refused(&mut echo, err, &["report"])?;
            show_page(&web, &visitor, &c, &incident, echo).await
        }
    }
}
