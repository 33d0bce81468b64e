//! Why a page could not be shown. A handler returns the error; the page saying so is written by
//! [`render_errors`], which knows the visitor's language. "Not found" says nothing about what
//! was asked for, so an item the reader may not see answers exactly as a missing one does.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coalition_app::AppError;

use crate::i18n::Tr;
use crate::pages::{Chrome, render};

/// Why a page could not be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    /// No such page or item, or one the reader may not see.
    #[error("not found")]
    NotFound,
    /// The page needs a session: sign in, then come back here.
    #[error("sign in first")]
    SignIn(String),
    /// Signed in for another coalition.
    #[error("signed in for {0}")]
    OtherCoalition(String),
    /// A form without this session's CSRF token, or from another origin.
    #[error("the form is not this session's")]
    Forgery,
    /// Malformed input the page could not take.
    #[error("{0}")]
    BadRequest(String),
    /// A rule refuses this principal the action.
    #[error("{0}")]
    Forbidden(String),
    /// The record cannot be reached now (its database is down); nothing was written.
    #[error("unavailable")]
    Unavailable,
    /// The server's problem; its log says why.
    #[error("internal")]
    Internal,
}

impl WebError {
    /// An application error as a page error.
    pub(crate) fn from_app(err: AppError) -> WebError {
        match err {
            AppError::NotFound { .. } => WebError::NotFound,
            AppError::Invalid { message, .. } => WebError::BadRequest(message),
            AppError::Source(source) => WebError::BadRequest(source.to_string()),
            AppError::Rejected { rejection } => WebError::Forbidden(rejection.to_string()),
            AppError::Conflict(message) | AppError::KeyReused(message) => {
                WebError::BadRequest(message)
            }
            // Pages send no idempotency key, so none of theirs was claimed before.
            claimed @ AppError::Claimed(_) => WebError::BadRequest(claimed.to_string()),
            AppError::Unavailable(message) => {
                tracing::warn!(%message, "the record cannot be reached");
                WebError::Unavailable
            }
            AppError::Verification(message) | AppError::Internal(message) => {
                tracing::error!(%message, "a page failed");
                WebError::Internal
            }
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::SignIn(_) => StatusCode::SEE_OTHER,
            WebError::OtherCoalition(_) | WebError::Forgery | WebError::Forbidden(_) => {
                StatusCode::FORBIDDEN
            }
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page saying so, in the visitor's language.
    pub(crate) fn page(&self, t: Tr) -> Response {
        if let WebError::SignIn(back) = self {
            let target = format!("/sign-in?back={}", urlencode(back));
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(value) = HeaderValue::from_str(&target) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return response;
        }
        let (heading, detail) = match self {
            WebError::NotFound => (t.get("error-not-found"), t.get("error-not-found-detail")),
            WebError::OtherCoalition(c) => (
                t.get("error-forbidden"),
                t.with("error-other-coalition", "coalition", c),
            ),
            WebError::Forgery => (t.get("error-forbidden"), t.get("error-forgery")),
            WebError::Forbidden(why) => (t.get("error-forbidden"), why.clone()),
            WebError::BadRequest(why) => (t.get("error-bad-request"), why.clone()),
            WebError::Unavailable => (
                t.get("error-unavailable"),
                t.get("error-unavailable-detail"),
            ),
            WebError::Internal | WebError::SignIn(_) => {
                (t.get("error-internal"), t.get("error-internal-detail"))
            }
        };
        let page = ErrorPage {
            chrome: Chrome::bare(t, &heading),
            detail,
        };
        let mut response = render(&page);
        *response.status_mut() = self.status();
        if *self == WebError::Unavailable {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// Percent-encodes a path for a query value.
pub(crate) fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)])
        .map(|s| s.trim_start_matches("v=").to_owned())
        .unwrap_or_default()
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    detail: String,
}

impl IntoResponse for WebError {
    /// An empty answer carrying the error; [`render_errors`] writes its page.
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Writes the page of every error a handler returned, in the visitor's language.
pub(crate) async fn render_errors(request: Request, next: Next) -> Response {
    let t = Tr {
        lang: crate::visitor::language(request.headers()),
    };
    let response = next.run(request).await;
    match response.extensions().get::<WebError>() {
        Some(err) => err.page(t),
        None => response,
    }
}
