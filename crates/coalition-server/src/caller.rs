//! Who is calling: the bearer token resolved to its principal (no token: the public), and the one
//! log line per request — method, route, status, latency and principal id, never a token.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
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

    /// The token's id (for limits and logs; never the token).
    pub(crate) fn token_id(&self) -> Option<&str> {
        match self {
            Caller::Public => None,
            Caller::Token(token) => Some(&token.id),
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
    let address = client_address(&request);
    let caller = resolve(&shared, request.headers(), address);
    let mut response = match caller {
        Ok(caller) => {
            let principal = caller.principal().to_owned();
            request.extensions_mut().insert(caller);
            request.extensions_mut().insert(ClientAddress(address));
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

/// The address a request came from, for the handlers' rate limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientAddress(pub(crate) IpAddr);

/// The client's address (the peer of the connection); unspecified where the router is called
/// without a connection (in process).
fn client_address(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip())
}

fn resolve(
    shared: &Shared,
    headers: &axum::http::HeaderMap,
    address: IpAddr,
) -> Result<Caller, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Public);
    };
    let Some(token) = value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        shared.limiter.may_authenticate(address)?;
        return Err(shared.limiter.failed(
            address,
            unauthorised("expected Authorization: Bearer TOKEN"),
        ));
    };
    by_token(shared, token, address)
}

/// The caller a presented token names: its principal, or 401 for a token that is unknown,
/// revoked or expired (429 once the address has failed too often).
pub(crate) fn by_token(shared: &Shared, token: &str, address: IpAddr) -> Result<Caller, ApiError> {
    // Checked before the token is: a barred address learns nothing of what it presents.
    shared.limiter.may_authenticate(address)?;
    match shared.app.authenticate(token.trim())? {
        Some(token) => Ok(Caller::Token(Box::new(token))),
        None => {
            tracing::warn!(client = %address, "a request presented a token that is unknown, revoked or expired");
            Err(shared
                .limiter
                .failed(address, unauthorised("unknown, revoked or expired token")))
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
