//! Why an application call failed, in the terms every front end maps to its own: the CLI to exit
//! codes (2 bad input, 3 verification failure, 1 internal), the server to HTTP statuses.

use coalition_core::Rejection;
use coalition_ledger::{LedgerError, StoreError};

use crate::import::SourceError;

/// Why an application call failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that is not what was expected: `field` names it (a request field, a flag's name,
    /// or a positional argument), `message` says what was wrong and what was expected.
    #[error("{field}: {message}")]
    Invalid {
        /// The input at fault, kebab-case (`version`, `old-size`, `key`).
        field: String,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A file or text with a position: `file:line:column: message`.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// No such item, or one the reader may not read: the two are indistinguishable.
    #[error("unknown {noun} {id}")]
    NotFound {
        /// What kind of item (`commitment`, `statement`, `coalition`).
        noun: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A rule refused the command.
    #[error("refused: {rejection}")]
    Rejected {
        /// The rule (its `code()` is stable for scripts and the API).
        rejection: Rejection,
    },
    /// The record, a bundle or a proof fails verification.
    #[error("{0}")]
    Verification(String),
    /// Another writer kept winning the race for the log's head.
    #[error("{0}: too many concurrent writers; try again")]
    Conflict(String),
    /// The record cannot be reached now (its database restarting): nothing was written; try
    /// again shortly.
    #[error("{0}; try again shortly")]
    Unavailable(String),
    /// An idempotency key sent again with another request than the one it was first sent with.
    #[error("{0}")]
    KeyReused(String),
    /// The write's idempotency key was claimed before; [`crate::App::submit_once`] answers it.
    #[error("this idempotency key was used before, for entries {} to {}", .0.first, .0.last)]
    Claimed(coalition_ledger::Claimed),
    /// Something that is not the caller's fault (I/O, a damaged key file of the custodian).
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// Invalid input in `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// No visible item `id` of this kind.
    pub fn not_found(noun: &'static str, id: impl ToString) -> AppError {
        AppError::NotFound {
            noun,
            id: id.to_string(),
        }
    }

    /// An internal failure.
    pub fn internal(err: impl std::fmt::Display) -> AppError {
        AppError::Internal(err.to_string())
    }

    /// A stable code for scripts and the API: the rule's code for a rejection.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "input.invalid",
            AppError::Source(_) => "input.source",
            AppError::NotFound { .. } => "not_found",
            AppError::Rejected { rejection } => rejection.code(),
            AppError::Verification(_) => "record.verification_failed",
            AppError::Conflict(_) => "record.conflict",
            AppError::KeyReused(_) => "idempotency.key_reused",
            AppError::Unavailable(_) => "record.unavailable",
            AppError::Claimed(_) => "idempotency.claimed",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<LedgerError> for AppError {
    fn from(err: LedgerError) -> AppError {
        match err {
            LedgerError::Rejected { rejection, .. } => AppError::Rejected { rejection },
            LedgerError::UnknownCoalition(id) => AppError::not_found("coalition", id),
            LedgerError::Broken(chain) => {
                AppError::Verification(format!("the record fails verification at {chain}"))
            }
            LedgerError::Store(StoreError::Damaged(problem)) => AppError::Verification(format!(
                "the stored record is damaged ({problem}): restore it from a copy that verifies, \
                 or from an exported bundle"
            )),
            LedgerError::Store(unavailable @ StoreError::Unavailable(_)) => {
                AppError::Unavailable(unavailable.to_string())
            }
            LedgerError::Store(conflict @ StoreError::Conflict { .. }) => {
                AppError::Conflict(conflict.to_string())
            }
            other => AppError::internal(other),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        AppError::from(LedgerError::Store(err))
    }
}

impl From<std::io::Error> for AppError {
    fn from(err: std::io::Error) -> AppError {
        AppError::internal(err)
    }
}
