//! The two ways things go wrong: a file that cannot be read, and a model that does not hold
//! together.

use thiserror::Error;

/// Where in a file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line number (and, when known, the 1-based column).
    Line {
        /// 1-based line.
        line: usize,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// A dotted path to a field (TOML tables have no useful line after deserialisation).
    Field(String),
    /// The whole file.
    File,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line {
                line,
                column: Some(column),
            } => write!(f, "line {line}, column {column}"),
            Location::Line { line, column: None } => write!(f, "line {line}"),
            Location::Field(path) => write!(f, "field `{path}`"),
            Location::File => f.write_str("the file"),
        }
    }
}

/// A file in one of the supported formats could not be read.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{file}: {location}: {message}")]
pub struct ReadError {
    /// The file name given by the caller.
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// What was found and what was expected.
    pub message: String,
}

impl ReadError {
    pub(crate) fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        ReadError {
            file: file.to_owned(),
            location: Location::Line { line, column: None },
            message: message.into(),
        }
    }

    pub(crate) fn at_field(
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ReadError {
            file: file.to_owned(),
            location: Location::Field(path.into()),
            message: message.into(),
        }
    }

    pub(crate) fn in_file(file: &str, message: impl Into<String>) -> Self {
        ReadError {
            file: file.to_owned(),
            location: Location::File,
            message: message.into(),
        }
    }
}

/// A model that cannot be analysed as given.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum ModelError {
    /// A list that must have one entry per issue has another length.
    #[error("party `{party}` has {found} {what} but the negotiation has {expected} issues")]
    WrongLength {
        /// The party.
        party: String,
        /// Which list.
        what: &'static str,
        /// How many were given.
        found: usize,
        /// How many issues there are.
        expected: usize,
    },
    /// An issue without options.
    #[error("issue `{0}` has no options")]
    EmptyIssue(String),
    /// A numeric issue whose range or step makes no sense.
    #[error("issue `{issue}`: {message}")]
    BadRange {
        /// The issue.
        issue: String,
        /// What is wrong.
        message: String,
    },
    /// A value table whose length differs from the issue's option count.
    #[error("party `{party}`, issue `{issue}`: {found} values given for {expected} options")]
    TableLength {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// Values given.
        found: usize,
        /// Options of the issue.
        expected: usize,
    },
    /// A value function that needs numbers on an issue that has none.
    #[error("party `{party}`, issue `{issue}`: a {shape} value function needs a numeric issue")]
    NotNumeric {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The shape asked for.
        shape: &'static str,
    },
    /// A number that must be finite is not.
    #[error("{what} is not a finite number")]
    NotFinite {
        /// What it is.
        what: String,
    },
    /// A reservation value off the utility scale.
    #[error("party `{party}` has reservation value {value}; expected a number from 0 to 1")]
    ReservationOutOfRange {
        /// The party.
        party: String,
        /// The value given.
        value: f64,
    },
    /// An index that points nowhere.
    #[error("{what} refers to {kind} {index}, but there are only {count}")]
    BadIndex {
        /// Who refers.
        what: String,
        /// A party, an issue or an option.
        kind: &'static str,
        /// The index.
        index: usize,
        /// How many exist.
        count: usize,
    },
    /// Something the analysis needs is missing.
    #[error("{0}")]
    Missing(String),
    /// The exchange model's input breaks one of its assumptions.
    #[error("{0}")]
    Exchange(String),
}
