//! Statements: the list; a statement's page with its versions, the paragraphs of one version
//! with their portion marks, a paragraph-by-paragraph diff of any two, approval progress per
//! required signatory, the adoption rule, and approving from the page. The signature is made on
//! the signer's machine over the exact bytes shown (with the command that makes it) and checked
//! by the server as any other; the server never holds a key.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use coalition_app::Request;
use coalition_app::views::{DiffLine, StatementShow, StatementStanding};
use coalition_core::signature::SignatureBytes;
use coalition_core::statement::{
    AdoptionRule, MeetingId, PartyStanding, StatementId, StatementStatus,
};
use serde::Deserialize;

use super::forms::{Echo, writing};
use super::{Banner, Chrome, Mark, id, open, render, render_form, see_other};
use crate::Web;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::visitor::Visitor;

/// A statement as a row.
struct Row {
    id: String,
    title: String,
    status: String,
    approvals: usize,
    signatories: usize,
    version: String,
}

fn status_text(t: Tr, status: &StatementStatus) -> String {
    match status {
        StatementStatus::Draft => t.get("statement-draft"),
        StatementStatus::Adopted { version, at } => t.with(
            "statement-adopted",
            "when",
            format!("{} (v{version})", t.time(at)),
        ),
    }
}

fn rule_text(t: Tr, rule: &AdoptionRule) -> String {
    match rule {
        AdoptionRule::Unanimity => t.get("rule-unanimity"),
        AdoptionRule::Quorum { k } => t.with("rule-quorum", "k", k),
        AdoptionRule::Silence { deadline } => t.with("rule-silence", "deadline", t.time(deadline)),
    }
}

#[derive(askama::Template)]
#[template(path = "statements.html")]
struct List {
    chrome: Chrome,
    coalition: String,
    rows: Vec<Row>,
}

/// The list.
pub(crate) async fn list(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(&web, &visitor, &c, None).await?;
    let rows = reader
        .statements()
        .into_iter()
        .map(|s| Row {
            id: s.id.to_string(),
            title: s.title,
            status: status_text(t, &s.status),
            approvals: s.approvals_of_latest,
            signatories: s.signatories.len(),
            version: s
                .latest_version
                .map_or_else(|| "—".into(), |v| v.to_string()),
        })
        .collect();
    let chrome = Chrome::new(
        &visitor,
        &c,
        "nav-statements",
        t.get("statements-title"),
        Banner::default(),
    );
    Ok(render(&List {
        coalition: c.to_string(),
        rows,
        chrome,
    }))
}

/// Which version, and which two to compare.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Which {
    version: Option<u32>,
    from: Option<u32>,
    to: Option<u32>,
}

struct Para {
    mark: Mark,
    text: String,
    number: usize,
}

struct Standing {
    party: String,
    standing: String,
    approved: bool,
    meeting: String,
}

struct Signing {
    version: u32,
    message: String,
    command: String,
    meetings: Vec<(String, String)>,
}

#[derive(askama::Template)]
#[template(path = "statement.html")]
struct Show {
    chrome: Chrome,
    coalition: String,
    id: String,
    version: u32,
    versions: Vec<u32>,
    status: String,
    rule: String,
    paragraphs: Vec<Para>,
    verified: bool,
    standings: Vec<Standing>,
    missing: Vec<String>,
    approved: usize,
    required: usize,
    diff: Option<(u32, u32, Vec<DiffLine>)>,
    signing: Option<Signing>,
    echo: Echo,
}

async fn show_page(
    web: &Web,
    visitor: &Visitor,
    c: &str,
    item: &str,
    which: &Which,
    echo: Echo,
) -> Result<Response, WebError> {
    let t = visitor.t;
    let (c, reader) = open(web, visitor, c, None).await?;
    let sid: StatementId = id(item)?;
    let standing: StatementStanding = reader
        .statement_standing(&sid)
        .map_err(WebError::from_app)?;
    let shown: StatementShow = reader
        .statement(&sid, which.version)
        .map_err(WebError::from_app)?;
    let latest = standing.latest_version.unwrap_or(shown.version);
    let diff = match (which.from, which.to) {
        (Some(from), Some(to)) => Some((
            from,
            to,
            reader
                .statement_diff(&sid, from, to)
                .map_err(WebError::from_app)?
                .changes,
        )),
        _ => None,
    };
    let mut banner = Banner::default();
    let paragraphs = shown
        .paragraphs
        .iter()
        .map(|p| {
            banner.add(&p.marking);
            Para {
                mark: Mark::of(&p.marking),
                text: p.text.clone(),
                number: p.number,
            }
        })
        .collect();
    let standings: Vec<Standing> = standing
        .parties
        .iter()
        .map(|row| Standing {
            party: row.party.to_string(),
            approved: matches!(row.standing, PartyStanding::Approved { .. }),
            standing: match &row.standing {
                PartyStanding::Approved { approval } => {
                    t.with("standing-approved", "when", t.time(&approval.at))
                }
                PartyStanding::ApprovedOlderVersion { version } => {
                    t.with("standing-older", "version", version)
                }
                PartyStanding::Objected => t.get("standing-objected"),
                PartyStanding::Pending => t.get("standing-pending"),
            },
            meeting: row.meeting.clone().unwrap_or_default(),
        })
        .collect();
    let approved = standings.iter().filter(|s| s.approved).count();
    // The signing form, for a signed-in signatory whose party has not approved the latest draft.
    let signing = match &visitor.signed_in {
        Some(s) if standing.status == StatementStatus::Draft => {
            let me = reader
                .principals()
                .into_iter()
                .find(|p| p.id == s.token.principal);
            match me {
                Some(me) if standing.missing.contains(&me.party) => {
                    let to_sign = reader
                        .to_sign(&sid, latest, &me.id)
                        .map_err(WebError::from_app)?;
                    let message = to_sign.message.to_hex();
                    Some(Signing {
                        version: latest,
                        command: format!(
                            "coalition key sign --key {}.pem --message {message}",
                            me.id
                        ),
                        message,
                        meetings: reader
                            .meetings()
                            .into_iter()
                            .map(|m| (m.id.to_string(), format!("{} ({})", m.title, t.day(&m.day))))
                            .collect(),
                    })
                }
                _ => None,
            }
        }
        _ => None,
    };
    let failed = echo.failed();
    let chrome = Chrome::new(
        visitor,
        &c,
        "nav-statements",
        standing.title.clone(),
        banner,
    );
    Ok(render_form(
        &Show {
            coalition: c.to_string(),
            id: sid.to_string(),
            version: shown.version,
            versions: (1..=latest).collect(),
            status: status_text(t, &standing.status),
            rule: rule_text(t, &standing.rule),
            paragraphs,
            verified: shown.verified,
            required: standings.len(),
            approved,
            standings,
            missing: standing.missing.iter().map(|p| p.to_string()).collect(),
            diff,
            signing,
            echo,
            chrome,
        },
        failed,
    ))
}

/// A statement's page.
pub(crate) async fn show(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
    Query(which): Query<Which>,
) -> Result<Response, WebError> {
    show_page(&web, &visitor, &c, &item, &which, Echo::default()).await
}

/// Approves a version with a signature made on the signer's machine.
pub(crate) async fn approve(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path((c, item)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = writing(&web, &visitor, &body)?;
    let t = visitor.t;
    let (coalition, reader) = open(&web, &visitor, &c, None).await?;
    let statement: StatementId = id(&item)?;
    reader
        .statement_standing(&statement)
        .map_err(WebError::from_app)?;
    let mut echo = Echo::of(&fields);
    let version = echo.take(&fields, "version", |s| {
        s.parse::<u32>()
            .map_err(|_| t.with("form-choice-invalid", "text", s))
    });
    let signature = echo.take(&fields, "signature", |s| {
        let text: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Err(t.get("form-required"));
        }
        SignatureBytes::parse(&text).map_err(|_| t.get("approve-signature-invalid"))
    });
    let meeting = echo.take(&fields, "meeting", |s| {
        if s.is_empty() {
            Ok(None)
        } else {
            MeetingId::parse(s)
                .map(Some)
                .map_err(|_| t.with("form-choice-invalid", "text", s))
        }
    });
    let which = Which::default();
    let (Some(version), Some(signature), Some(meeting)) = (version, signature, meeting) else {
        return show_page(&web, &visitor, &c, &item, &which, echo).await;
    };
    let actor = visitor.actor()?;
    let request = Request::ApproveVersion {
        statement,
        version,
        signature,
        meeting,
        at: None,
    };
    match web.app.submit(&coalition, &actor, request).await {
        Ok(_) => Ok(see_other(&format!("/c/{coalition}/statements/{item}"))),
        Err(coalition_app::AppError::Rejected { rejection }) => {
            echo.fault("signature", rejection.to_string());
            show_page(&web, &visitor, &c, &item, &which, echo).await
        }
        Err(coalition_app::AppError::Invalid { message, .. }) => {
            echo.general = Some(message);
            show_page(&web, &visitor, &c, &item, &which, echo).await
        }
        Err(other) => Err(WebError::from_app(other)),
    }
}
