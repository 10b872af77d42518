//! [`LiveError`]: what can go wrong talking to Prometheus, reading secrets and parsing the
//! `serve` configuration.

use std::path::PathBuf;

use thiserror::Error;

/// Result alias of the live module.
pub type Result<T, E = LiveError> = std::result::Result<T, E>;

/// Errors of the live Prometheus module.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LiveError {
    /// Prometheus could not be reached (connection refused, DNS, TLS, timeout).
    #[error("cannot reach Prometheus at {url}: {message}")]
    Unreachable {
        /// The URL requested (without credentials).
        url: String,
        /// The transport error.
        message: String,
    },
    /// Prometheus answered with an error (bad PromQL, too many points, overload...).
    #[error("Prometheus answered HTTP {status} ({error_type}): {message}")]
    Api {
        /// The HTTP status code.
        status: u16,
        /// Prometheus' `errorType` (`bad_data`, `execution`, `timeout`...), or `http`.
        error_type: String,
        /// Prometheus' `error` message, or the start of the body.
        message: String,
    },
    /// The answer could not be read as a `query_range` result.
    #[error("unreadable Prometheus answer: {0}")]
    Answer(#[from] forecast_core::Error),
    /// The query returned no series.
    #[error("the query `{query}` returned no series between {start} and {end}")]
    Empty {
        /// The PromQL query.
        query: String,
        /// Start of the range (UTC seconds).
        start: i64,
        /// End of the range (UTC seconds).
        end: i64,
    },
    /// A credential could not be read from its environment variable or file.
    #[error("credential: {0}")]
    Secret(String),
    /// A configuration file is invalid; `line`/`column` are one-based when known.
    #[error("{}{}: {message}", path.display(), location(*line, *column))]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// One-based line of the problem.
        line: Option<usize>,
        /// One-based column of the problem.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// An option or configuration value is out of range.
    #[error("invalid value for `{name}`: {reason}")]
    Invalid {
        /// The option or key.
        name: String,
        /// Why (includes the value).
        reason: String,
    },
    /// Writing output or binding the listener failed.
    #[error("{what}: {message}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        message: String,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl LiveError {
    /// Shorthand for [`LiveError::Invalid`].
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        LiveError::Invalid {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// True for problems of the input (options, configuration, query, credentials) rather
    /// than of the environment (network, Prometheus down): the CLI exits with 2 for these.
    pub fn is_input_error(&self) -> bool {
        match self {
            LiveError::Unreachable { .. } | LiveError::Io { .. } => false,
            LiveError::Api { status, .. } => (400..500).contains(status),
            LiveError::Answer(e) => e.is_input_error(),
            _ => true,
        }
    }

    /// A short machine-readable kind, used as the `kind` label of error counters.
    pub fn kind(&self) -> &'static str {
        match self {
            LiveError::Unreachable { .. } => "unreachable",
            LiveError::Api { .. } => "api",
            LiveError::Answer(_) => "answer",
            LiveError::Empty { .. } => "empty",
            LiveError::Secret(_) => "secret",
            LiveError::Config { .. } | LiveError::Invalid { .. } => "config",
            LiveError::Io { .. } => "io",
        }
    }
}
