//! Who is looking at a page: the language they read, and the principal their session's token
//! names (or the public), resolved once per request.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use coalition_app::tokens::TokenView;
use coalition_app::{Reader, Reading, Who};
use coalition_core::dates::Timestamp;
use coalition_core::id::CoalitionId;

use crate::Web;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::{self, LANG_COOKIE, SESSION_COOKIE, Session};

/// The language of a request: the switch's cookie, else `Accept-Language`.
pub(crate) fn language(headers: &HeaderMap) -> Lang {
    session::cookie(headers, LANG_COOKIE)
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_else(|| {
            Lang::negotiate(
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// A signed-in visitor's session and its token.
#[derive(Clone)]
pub(crate) struct SignedIn {
    pub(crate) session: Session,
    pub(crate) token: TokenView,
}

/// The visitor of a page.
pub(crate) struct Visitor {
    pub(crate) t: Tr,
    pub(crate) signed_in: Option<SignedIn>,
    /// The path and query asked for (the language switch returns there).
    pub(crate) here: String,
    pub(crate) headers: HeaderMap,
}

impl FromRequestParts<Arc<Web>> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, web: &Arc<Web>) -> Result<Self, WebError> {
        let t = Tr {
            lang: language(&parts.headers),
        };
        let mut signed_in = None;
        if let Some(id) = session::cookie(&parts.headers, SESSION_COOKIE)
            && let Some(session) = web.sessions.get(&id)
        {
            // The token is checked at every request: a revoked or expired one ends the session.
            match web.app.authenticate(&session.token) {
                Ok(Some(token)) => signed_in = Some(SignedIn { session, token }),
                Ok(None) => web.sessions.end(&id),
                Err(err) => return Err(WebError::from_app(err)),
            }
        }
        Ok(Visitor {
            t,
            signed_in,
            here: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            headers: parts.headers.clone(),
        })
    }
}

impl Visitor {
    /// Who reads `coalition`: the session's principal if its token is for this coalition.
    /// Pages other than the public face need one: without it, sign in.
    pub(crate) fn who(&self, coalition: &CoalitionId) -> Result<Who, WebError> {
        match &self.signed_in {
            Some(s) if &s.token.coalition == coalition => {
                Ok(Who::Principal(s.token.principal.clone()))
            }
            Some(s) => Err(WebError::OtherCoalition(s.token.coalition.to_string())),
            None => Err(WebError::SignIn(self.here.clone())),
        }
    }

    /// The coalition as this visitor may read it, now (or at `at`).
    pub(crate) async fn reader(
        &self,
        web: &Web,
        coalition: &CoalitionId,
        at: Option<Timestamp>,
    ) -> Result<Reader, WebError> {
        let who = self.who(coalition)?;
        web.app
            .read(
                coalition,
                &Reading {
                    who,
                    as_of: None,
                    at,
                },
            )
            .await
            .map_err(WebError::from_app)
    }

    /// The principal a form acts as.
    pub(crate) fn actor(&self) -> Result<coalition_core::id::PrincipalId, WebError> {
        self.signed_in
            .as_ref()
            .map(|s| s.token.principal.clone())
            .ok_or_else(|| WebError::SignIn(self.here.clone()))
    }

    /// The session's CSRF token (empty without a session).
    pub(crate) fn csrf(&self) -> String {
        self.signed_in
            .as_ref()
            .map(|s| s.session.csrf.clone())
            .unwrap_or_default()
    }

    /// Whether this request came over TLS (cookies are then Secure).
    pub(crate) fn tls(&self, web: &Web) -> bool {
        session::over_tls(&self.headers, web.options.always_tls)
    }

    /// This site's origin as the visitor reached it (for commands a person copies).
    pub(crate) fn origin(&self, web: &Web) -> String {
        let host = self
            .headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if self.tls(web) { "https" } else { "http" };
        format!("{scheme}://{host}")
    }

    /// Checks a form's CSRF token and origin; a write needs both.
    pub(crate) fn check_form(&self, sent: &str) -> Result<(), WebError> {
        let expected = self.csrf();
        if !session::same_origin(&self.headers) || !session::same_secret(&expected, sent) {
            return Err(WebError::Forgery);
        }
        Ok(())
    }
}
