//! The one error shape of the API, `{code, message, field}`, and the status each application
//! error maps to. A rejected request wrote nothing: the application decides before it appends.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coalition_app::AppError;
use coalition_core::Rejection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// A stable code for scripts (`input.invalid`, `not_found`, a rule's code …).
    pub code: String,
    /// What was wrong and what was expected.
    pub message: String,
    /// The input at fault: a JSON pointer into the request body (`/quantity`) or a query
    /// parameter's name (`as_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip)]
    #[schema(ignore)]
    status: u16,
    #[serde(skip)]
    #[schema(ignore)]
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with this status.
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            field: None,
            status: status.as_u16(),
            retry_after: None,
        }
    }

    /// Names the input at fault.
    pub(crate) fn at(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// Tells the client when to try again.
    pub(crate) fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// Malformed input.
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "input.malformed", message)
    }

    /// The status it is answered with.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// An application error, from a request whose input came from the query (`field` names a
    /// parameter) or from the body (`field` is a pointer into it).
    pub(crate) fn from_app(err: AppError, input: Input) -> ApiError {
        let code = err.code();
        match err {
            AppError::Invalid { field, message } => {
                let name = field.replace('-', "_");
                let field = match input {
                    Input::Query => name,
                    Input::Body(prefix) => format!("{prefix}/{name}"),
                };
                ApiError::new(StatusCode::BAD_REQUEST, code, message).at(field)
            }
            AppError::Source(source) => {
                ApiError::new(StatusCode::BAD_REQUEST, code, source.to_string())
            }
            not_found @ AppError::NotFound { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, code, not_found.to_string())
            }
            AppError::Rejected { rejection } => {
                let status = match rejection {
                    Rejection::NotAuthorised { .. }
                    | Rejection::Clearance { .. }
                    | Rejection::NotASignatory { .. } => StatusCode::FORBIDDEN,
                    Rejection::UnknownPrincipal(_)
                    | Rejection::UnknownInstrument(_)
                    | Rejection::UnknownCommitment(_)
                    | Rejection::UnknownIncident(_)
                    | Rejection::UnknownObligation(_)
                    | Rejection::UnknownStatement(_)
                    | Rejection::UnknownMeeting(_) => StatusCode::NOT_FOUND,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ApiError::new(status, code, format!("refused: {rejection}"))
            }
            AppError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, code, message),
            AppError::Unavailable(message) => {
                tracing::warn!(code, %message, "the record cannot be reached");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    code,
                    "the record cannot be reached now; nothing was written; try again",
                )
                .retry_after(1)
            }
            AppError::KeyReused(message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).at("Idempotency-Key")
            }
            // The record failing its own checks, or I/O: the server's problem, not the caller's,
            // and nothing of it is the caller's to read.
            // Answered inside `submit_once`; reaching here is the server's own fault.
            claimed @ AppError::Claimed(_) => {
                ApiError::from_app(AppError::internal(claimed), input)
            }
            AppError::Verification(message) | AppError::Internal(message) => {
                tracing::error!(code, %message, "request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    code,
                    "the server could not answer; its log says why",
                )
            }
        }
    }
}

/// Where a request's input came from, for naming the field at fault.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Input {
    /// Path and query parameters.
    Query,
    /// A JSON body; its fields are under this pointer.
    Body(&'static str),
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> ApiError {
        ApiError::from_app(err, Input::Query)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let mut response = (status, axum::Json(self)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
