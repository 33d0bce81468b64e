//! Signing in with a token, signing out, and the language switch.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::forms::{Echo, Fields};
use super::{Chrome, render, see_other};
use crate::Web;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::session::{self, LANG_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE};
use crate::visitor::Visitor;

/// Where to go back to.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Back {
    back: Option<String>,
}

/// A path on this site, or nothing: never another origin (`//host`, `https://…`).
fn local(path: Option<&str>) -> Option<String> {
    let path = path?.trim();
    (path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
        .then(|| path.to_owned())
}

#[derive(askama::Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    back: String,
    echo: Echo,
}

fn sign_in_page(
    visitor: &Visitor,
    web: &Web,
    back: String,
    echo: Echo,
    status: StatusCode,
) -> Response {
    let csrf = session::random_id();
    let page = SignInPage {
        chrome: Chrome::bare(visitor.t, &visitor.t.get("sign-in-title")),
        csrf: csrf.clone(),
        back,
        echo,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    set(
        &mut response,
        &session::set_cookie(SIGN_IN_COOKIE, &csrf, visitor.tls(web), Some(3600)),
    );
    response
}

fn set(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The sign-in form.
pub(crate) async fn sign_in_form(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Query(q): Query<Back>,
) -> Response {
    let back = local(q.back.as_deref()).unwrap_or_default();
    sign_in_page(&visitor, &web, back, Echo::default(), StatusCode::OK)
}

/// Exchanges a token for a session.
pub(crate) async fn sign_in(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = Fields::parse(&body)?;
    let expected = session::cookie(&visitor.headers, SIGN_IN_COOKIE).unwrap_or_default();
    if !session::same_origin(&visitor.headers)
        || !session::same_secret(&expected, &fields.get("csrf"))
    {
        return Err(WebError::Forgery);
    }
    let back = local(Some(&fields.get("back"))).unwrap_or_default();
    let token = fields.get("token");
    let mut echo = Echo::default();
    let valid = if token.is_empty() {
        echo.fault("token", visitor.t.get("sign-in-token-missing"));
        None
    } else {
        web.app.authenticate(&token).map_err(WebError::from_app)?
    };
    let Some(valid) = valid else {
        if !echo.failed() {
            tracing::warn!("a sign-in presented a token that is unknown, revoked or expired");
            echo.fault("token", visitor.t.get("sign-in-token-invalid"));
        }
        // The token is a secret: it is not shown again.
        return Ok(sign_in_page(
            &visitor,
            &web,
            back,
            echo,
            StatusCode::UNAUTHORIZED,
        ));
    };
    let id = web.sessions.start(token);
    let target = if back.is_empty() {
        format!("/c/{}", valid.coalition)
    } else {
        back
    };
    let mut response = see_other(&target);
    let tls = visitor.tls(&web);
    set(
        &mut response,
        &session::set_cookie(SESSION_COOKIE, &id, tls, None),
    );
    set(
        &mut response,
        &session::set_cookie(SIGN_IN_COOKIE, "", tls, Some(0)),
    );
    Ok(response)
}

/// Ends the session.
pub(crate) async fn sign_out(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = Fields::parse(&body)?;
    visitor.check_form(&fields.get("csrf"))?;
    if let Some(id) = session::cookie(&visitor.headers, SESSION_COOKIE) {
        web.sessions.end(&id);
    }
    let mut response = see_other("/");
    set(
        &mut response,
        &session::set_cookie(SESSION_COOKIE, "", visitor.tls(&web), Some(0)),
    );
    Ok(response)
}

/// Switches the language (a cookie) and goes back.
pub(crate) async fn language(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(tag): Path<String>,
    Query(q): Query<Back>,
) -> Result<Response, WebError> {
    let lang = Lang::from_tag(&tag).ok_or(WebError::NotFound)?;
    let mut response = see_other(&local(q.back.as_deref()).unwrap_or_else(|| "/".into()));
    set(
        &mut response,
        &session::set_cookie(
            LANG_COOKIE,
            lang.tag(),
            visitor.tls(&web),
            Some(365 * 86400),
        ),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn only_a_local_path_is_gone_back_to() {
        assert_eq!(local(Some("/c/x")).as_deref(), Some("/c/x"));
        assert_eq!(local(Some("//evil.example/")), None);
        assert_eq!(local(Some("https://evil.example/")), None);
        assert_eq!(local(Some("/\\evil")), None);
        assert_eq!(local(None), None);
    }
}
