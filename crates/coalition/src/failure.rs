//! How a failed command ends: the message, and the exit codes promised in `--help`.
//!
//! 0 ok · 1 internal error · 2 bad input (a flag, a file, or a rule that said no) ·
//! 3 verification failure (the record or a proof does not check out).

use std::fmt;

use coalition_app::AppError;

/// Input the user can fix that the CLI itself found (a file it could not read, a flag pair).
#[derive(Debug)]
pub(crate) struct BadInput(pub(crate) String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The record or a proof failed verification.
#[derive(Debug)]
pub(crate) struct VerificationFailed(pub(crate) String);

impl fmt::Display for VerificationFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VerificationFailed {}

/// Wraps any displayable problem as bad input (exit code 2).
pub(crate) fn bad_input(message: impl fmt::Display) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.to_string()))
}

/// Wraps any displayable problem as a verification failure (exit code 3).
pub(crate) fn verification_failed(message: impl fmt::Display) -> anyhow::Error {
    anyhow::Error::new(VerificationFailed(message.to_string()))
}

/// Positional arguments, named as `--help` names them; every other field is a flag.
const POSITIONALS: [&str; 4] = ["seq", "from", "to", "aggregate"];

/// The message for an error: an invalid field is named as the command line spells it.
pub(crate) fn render(err: &anyhow::Error) -> String {
    match err.downcast_ref::<AppError>() {
        Some(AppError::Invalid { field, message }) if POSITIONALS.contains(&field.as_str()) => {
            format!("{}: {message}", field.to_uppercase())
        }
        Some(AppError::Invalid { field, message }) => format!("--{field}: {message}"),
        _ => format!("{err:#}"),
    }
}

/// The exit code for an error: the first marker found in its chain decides.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(app) = cause.downcast_ref::<AppError>() {
            return match app {
                AppError::Invalid { .. }
                | AppError::Source(_)
                | AppError::NotFound { .. }
                | AppError::Rejected { .. }
                | AppError::KeyReused(_) => 2,
                AppError::Verification(_) => 3,
                AppError::Conflict(_)
                | AppError::Unavailable(_)
                | AppError::Claimed(_)
                | AppError::Internal(_) => 1,
            };
        }
        if cause.is::<VerificationFailed>() {
            return 3;
        }
        if cause.is::<BadInput>() || cause.is::<clap::Error>() {
            return 2;
        }
    }
    1
}
