//! How a bench ends: 0 ok · 1 internal error · 2 bad input (a flag) · 3 verification failure
//! (a harness caught a lost or unsynced acknowledgement, or a log failed to verify).

/// An error that carries the exit code it ends the run with.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Failure {
    code: u8,
    message: String,
}

/// Bad input (exit code 2).
pub(crate) fn bad_input(message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Failure {
        code: 2,
        message: message.to_string(),
    })
}

/// A verification failure (exit code 3).
pub(crate) fn verification_failed(message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Failure {
        code: 3,
        message: message.to_string(),
    })
}

/// The exit code for an error: the first marked cause decides; clap's errors are bad input.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            return failure.code;
        }
        if cause.is::<clap::Error>() {
            return 2;
        }
    }
    1
}
