//! The one error type of `forecast-core`.
//!
//! Every class of bad input has its own variant, and every message names the offending row,
//! timestamp or parameter, so a user can fix their export without reading our source.
//! Model crates wrap their own failures in [`Error::Model`] or define their own error enum
//! that converts into this one.

use thiserror::Error;

/// Result alias used throughout forecast-zoo.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the forecast-zoo core.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The input held no observations at all.
    #[error("empty input: {what} has no observations")]
    Empty {
        /// What was empty (a file, a series, a slice).
        what: String,
    },

    /// A timestamp is earlier than the one before it.
    #[error(
        "timestamps are not sorted: row {row} has timestamp {timestamp}, earlier than {previous} in the row before"
    )]
    Unsorted {
        /// Zero-based row (observation index) of the offending timestamp.
        row: usize,
        /// The offending timestamp (UTC seconds).
        timestamp: i64,
        /// The timestamp of the row before it.
        previous: i64,
    },

    /// The same timestamp appears twice.
    #[error("duplicate timestamp {timestamp} at row {row}")]
    DuplicateTimestamp {
        /// Zero-based row of the second occurrence.
        row: usize,
        /// The repeated timestamp (UTC seconds).
        timestamp: i64,
    },

    /// A value is NaN or infinite where only finite values are allowed.
    #[error("non-finite value {value} at row {row} (timestamp {timestamp})")]
    NonFinite {
        /// Zero-based row of the value.
        row: usize,
        /// Its timestamp (UTC seconds).
        timestamp: i64,
        /// The value itself (NaN or ±inf).
        value: f64,
    },

    /// Two consecutive timestamps are not one step apart.
    #[error(
        "irregular step at row {row} (timestamp {timestamp}): expected {expected} s after the previous point, got {actual} s"
    )]
    IrregularStep {
        /// Zero-based row where the irregular step ends.
        row: usize,
        /// Its timestamp (UTC seconds).
        timestamp: i64,
        /// The series step in seconds.
        expected: i64,
        /// The observed difference in seconds.
        actual: i64,
    },

    /// The series is shorter than a model or procedure needs.
    #[error("series too short for {what}: need at least {needed} points, got {got}")]
    TooShort {
        /// Who needs the points (a model name, "backtest", ...).
        what: String,
        /// The minimum number of points.
        needed: usize,
        /// The number available.
        got: usize,
    },

    /// All values are equal where a model needs variation.
    #[error("constant series: {what} needs a series that varies (every value is {value})")]
    Constant {
        /// Who needs the variation.
        what: String,
        /// The constant value.
        value: f64,
    },

    /// A forecast was requested for zero steps.
    #[error("horizon must be at least 1, got 0")]
    ZeroHorizon,

    /// A prediction-interval level outside (0, 100).
    #[error(
        "invalid interval level {level}: levels are percentages strictly between 0 and 100 (e.g. 80, 95)"
    )]
    InvalidLevel {
        /// The level as given.
        level: f64,
    },

    /// A hyper-parameter or option with an invalid value.
    #[error("invalid value for parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's documented name.
        name: String,
        /// Why the value is rejected (includes the value).
        reason: String,
    },

    /// A hyper-parameter name that the model does not have.
    #[error("unknown parameter `{name}` for {model}; known parameters: {known}")]
    UnknownParameter {
        /// The model (or component) that was configured.
        model: String,
        /// The unknown key.
        name: String,
        /// Comma-separated list of accepted keys.
        known: String,
    },

    /// A model name that the registry does not know.
    #[error("unknown model `{name}`; known models: {known}")]
    UnknownModel {
        /// The requested name.
        name: String,
        /// Comma-separated list of registered names.
        known: String,
    },

    /// `forecast` was called before `fit`.
    #[error("model {model} is not fitted: call fit() first")]
    NotFitted {
        /// The model name.
        model: String,
    },

    /// The context given to `forecast` does not connect to what the model knows.
    #[error("context for {model} does not line up with its training data: {reason}")]
    ContextMismatch {
        /// The model name.
        model: String,
        /// What is wrong (step, gap, timestamps).
        reason: String,
    },

    /// A line of a text input could not be parsed.
    #[error("parse error at line {line}{}: {message}", column.as_ref().map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Parse {
        /// One-based line number in the input.
        line: usize,
        /// The column name or number, when known.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// The input's layout is not one the reader understands.
    #[error("unrecognised input format: {0}")]
    Format(String),

    /// A gap (missing steps or NaN) met the `error` fill policy.
    #[error(
        "gap in series at row {row} (timestamp {timestamp}): {missing} missing point(s); use --fill linear or --fill previous to fill gaps"
    )]
    Gap {
        /// Zero-based row (in the raw input) after which the gap starts.
        row: usize,
        /// The first missing timestamp (UTC seconds).
        timestamp: i64,
        /// How many points are missing.
        missing: usize,
    },

    /// No series matched a selector.
    #[error("no series matches `{selector}`; available: {available}")]
    SeriesNotFound {
        /// The selector as given.
        selector: String,
        /// The series the input holds.
        available: String,
    },

    /// Several series matched where one was expected.
    #[error("{count} series match `{selector}`; select one with --series (available: {available})")]
    AmbiguousSeries {
        /// The selector as given ("" for none).
        selector: String,
        /// How many matched.
        count: usize,
        /// The series the input holds.
        available: String,
    },

    /// An I/O failure (reading or writing a file).
    #[error("i/o error on {path}: {message}")]
    Io {
        /// The path involved.
        path: String,
        /// The operating system's message.
        message: String,
    },

    /// Serialising or deserialising a model or a result failed.
    #[error("serialization error: {0}")]
    Serde(String),

    /// A model failed in a way specific to it (optimizer, library, numerical trouble).
    #[error("{model}: {message}")]
    Model {
        /// The model name.
        model: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid_param(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Model`].
    pub fn model(model: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Model {
            model: model.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::TooShort`].
    pub fn too_short(what: impl Into<String>, needed: usize, got: usize) -> Self {
        Error::TooShort {
            what: what.into(),
            needed,
            got,
        }
    }

    /// Shorthand for an [`Error::Io`] from a `std::io::Error`.
    pub fn io(path: impl AsRef<std::path::Path>, err: &std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().display().to_string(),
            message: err.to_string(),
        }
    }

    /// True for errors caused by the user's input or options (exit code 2 in the CLI),
    /// false for internal or model failures.
    pub fn is_input_error(&self) -> bool {
        !matches!(self, Error::Model { .. } | Error::Serde(_))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Serde(e.to_string())
    }
}
