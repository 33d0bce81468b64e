//! Who is calling: the bearer token resolved to its principal (no token: the public), and the one
//! log line per request — method, route, status, latency and principal id, never a token.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coalition_app::Who;
use coalition_app::tokens::TokenView;
use coalition_core::id::CoalitionId;

use crate::error::ApiError;
use crate::shared::Shared;

/// The caller of a request.
#[derive(Clone, Debug)]
pub(crate) enum Caller {
    /// No token: the public.
    Public,
    /// A valid token's principal.
    Token(Box<TokenView>),
}

impl Caller {
    /// Who reads `coalition`: a token is valid only for the coalition it was issued for.
    pub(crate) fn who(&self, coalition: &CoalitionId) -> Result<Who, ApiError> {
        match self {
            Caller::Public => Ok(Who::Public),
            Caller::Token(token) if &token.coalition == coalition => {
                Ok(Who::Principal(token.principal.clone()))
            }
            Caller::Token(token) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "token.other_coalition",
                format!("this token is valid for {} only", token.coalition),
            )),
        }
    }

    /// The principal acting: writes need a token, for this coalition.
    pub(crate) fn actor(
        &self,
        coalition: &CoalitionId,
    ) -> Result<coalition_core::id::PrincipalId, ApiError> {
        match self.who(coalition)? {
            Who::Principal(principal) => Ok(principal),
            Who::Public | Who::Custodian => Err(unauthorised(
                "a write needs a token: Authorization: Bearer TOKEN",
            )),
        }
    }

    fn principal(&self) -> &str {
        match self {
            Caller::Public => "-",
            Caller::Token(token) => token.principal.as_str(),
        }
    }
}

fn unauthorised(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "token.invalid", message)
}

/// What the route layer tells the log line: the route matched and the principal.
#[derive(Clone)]
struct Logged {
    route: String,
    principal: String,
}

/// Resolves the caller (inside routing, so the route is known) and remembers both for the log.
pub(crate) async fn authenticate(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str)
        .to_owned();
    let caller = resolve(&shared, request.headers());
    let mut response = match caller {
        Ok(caller) => {
            let principal = caller.principal().to_owned();
            request.extensions_mut().insert(caller);
            let mut response = next.run(request).await;
            response
                .extensions_mut()
                .insert(Logged { route, principal });
            return response;
        }
        Err(err) => err.into_response(),
    };
    response.extensions_mut().insert(Logged {
        route,
        principal: "-".into(),
    });
    response
}

fn resolve(shared: &Shared, headers: &axum::http::HeaderMap) -> Result<Caller, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Public);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorised("expected Authorization: Bearer TOKEN"))?;
    by_token(shared, token)
}

/// The caller a presented token names: its principal, or 401 for a token that is unknown,
/// revoked or expired.
pub(crate) fn by_token(shared: &Shared, token: &str) -> Result<Caller, ApiError> {
    match shared.app.authenticate(token.trim())? {
        Some(token) => Ok(Caller::Token(Box::new(token))),
        None => {
            tracing::warn!("a request presented a token that is unknown, revoked or expired");
            Err(unauthorised("unknown, revoked or expired token"))
        }
    }
}

/// One line per request.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let response = next.run(request).await;
    let (route, principal) = response
        .extensions()
        .get::<Logged>()
        .map_or(("-", "-"), |l| (l.route.as_str(), l.principal.as_str()));
    tracing::info!(
        target: "coalition_server::request",
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        principal = %principal,
    );
    response
}
