//! Who the caller is: the CLI against a server (`--server`) checks that `--as` names the
//! token's own principal before it sends anything.

use axum::Extension;
use axum::response::Response;
use coalition_core::id::{CoalitionId, PrincipalId};
use serde::Serialize;

use super::json;
use crate::caller::Caller;
use crate::error::ApiError;

/// The caller as the server resolved it.
#[derive(Debug, Serialize)]
struct WhoAmI {
    /// The token's coalition (none for the public).
    coalition: Option<CoalitionId>,
    /// The token's principal (none for the public).
    principal: Option<PrincipalId>,
}

/// Who the bearer token is: its coalition and principal, or nulls for the public. Never the
/// token, its id or its label.
#[utoipa::path(get, path = "/api/whoami", tag = "coalitions",
    responses((status = 200, description = "`{coalition, principal}`, both null without a token", body = Object),
        (status = 401, description = "A bad, revoked or expired token", body = ApiError)))]
pub(crate) async fn whoami(Extension(caller): Extension<Caller>) -> Result<Response, ApiError> {
    let (coalition, principal) = match caller {
        Caller::Public => (None, None),
        Caller::Token(token) => (Some(token.coalition), Some(token.principal)),
    };
    Ok(json(&WhoAmI {
        coalition,
        principal,
    }))
}
