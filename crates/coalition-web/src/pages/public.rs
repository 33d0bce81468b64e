//! The public face: what anyone may read without signing in — the coalition, its disclosed
//! members, the adopted statements' PUBLIC paragraphs, the communiqués, the released figures,
//! and the latest checkpoint of the public log so anyone can check it was never rewritten.
//! Everything here is read as the public, whoever is signed in.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use coalition_app::views::CheckpointView;
use coalition_app::{Reading, Who};
use coalition_core::communique::{PublicFigure, PublicStatement};
use coalition_core::party::SeatRole;

use super::{Banner, Chrome, Mark, coalition, render};
use crate::Web;
use crate::error::WebError;
use crate::visitor::Visitor;

/// A coalition in the list.
struct Listed {
    id: String,
    name: String,
    mine: bool,
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    coalitions: Vec<Listed>,
}

/// The coalitions in the record, with links to their public faces.
pub(crate) async fn home(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
) -> Result<Response, WebError> {
    let names = web
        .app
        .coalition_names()
        .await
        .map_err(WebError::from_app)?;
    let mine = visitor
        .signed_in
        .as_ref()
        .map(|s| s.token.coalition.clone());
    let mut chrome = Chrome::bare(visitor.t, &visitor.t.get("home-title"));
    chrome.languages = super::languages(visitor.t, &visitor.here);
    chrome.user = visitor
        .signed_in
        .as_ref()
        .map(|s| s.token.principal.to_string());
    chrome.csrf = visitor.csrf();
    Ok(render(&Home {
        chrome,
        coalitions: names
            .into_iter()
            .map(|c| Listed {
                mine: mine.as_ref() == Some(&c.id),
                id: c.id.to_string(),
                name: c.name,
            })
            .collect(),
    }))
}

/// A group of seats of one role.
pub(crate) struct SeatGroup {
    pub(crate) role: String,
    pub(crate) parties: Vec<String>,
}

/// The seats by role, in the order people name them.
pub(crate) fn seat_groups(
    t: crate::i18n::Tr,
    seats: &[coalition_core::party::Seat],
) -> Vec<SeatGroup> {
    [
        SeatRole::ProtectedState,
        SeatRole::Member,
        SeatRole::Partner,
        SeatRole::Observer,
    ]
    .into_iter()
    .map(|role| SeatGroup {
        role: t.name("role", &role.to_string()),
        parties: seats
            .iter()
            .filter(|s| s.role == role)
            .map(|s| s.party.to_string())
            .collect(),
    })
    .filter(|g| !g.parties.is_empty())
    .collect()
}

struct Communiques {
    title: String,
    day: String,
    statements: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "public.html")]
struct PublicFace {
    chrome: Chrome,
    coalition: String,
    protected: String,
    groups: Vec<SeatGroup>,
    members: usize,
    statements: Vec<PublicStatement>,
    communiques: Vec<Communiques>,
    figures: Vec<PublicFigure>,
    checkpoint: CheckpointView,
    public: Mark,
    origin: String,
}

/// The public face of a coalition.
pub(crate) async fn public_face(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let c = coalition(&c)?;
    let reader = web
        .app
        .read(&c, &Reading::by(Who::Public))
        .await
        .map_err(WebError::from_app)?;
    let t = visitor.t;
    let seats = reader.members();
    let communique = reader.communique(None).map_err(WebError::from_app)?;
    let mut communiques = Vec::new();
    for meeting in reader.meetings() {
        let of_meeting = reader
            .communique(Some(&meeting.id))
            .map_err(WebError::from_app)?;
        if of_meeting.statements.is_empty() {
            continue;
        }
        communiques.push(Communiques {
            title: format!("{} ({})", meeting.title, meeting.place),
            day: t.day(&meeting.day),
            statements: of_meeting
                .statements
                .iter()
                .map(|s| s.title.clone())
                .collect(),
        });
    }
    let checkpoint = web
        .app
        .checkpoint(&c, &Who::Public)
        .await
        .map_err(WebError::from_app)?;
    let chrome = Chrome::new(&visitor, &c, "nav-public", reader.name(), Banner::default());
    Ok(render(&PublicFace {
        chrome,
        coalition: c.to_string(),
        protected: reader
            .protected()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        members: seats.iter().filter(|s| s.role == SeatRole::Member).count(),
        groups: seat_groups(t, &seats),
        statements: communique.statements,
        communiques,
        figures: communique.figures,
        checkpoint,
        public: Mark::of(&coalition_core::classification::Marking::public()),
        origin: visitor.origin(&web),
    }))
}
