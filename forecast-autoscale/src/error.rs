//! [`AutoscaleError`]: the one error type of this crate, convertible into
//! [`forecast_core::Error`] so the CLI can map it to an exit code.

use thiserror::Error;

/// Result alias of this crate.
pub type Result<T, E = AutoscaleError> = std::result::Result<T, E>;

/// Everything that can go wrong while planning, scaling or replaying a trace.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum AutoscaleError {
    /// A configuration value is out of its documented range (capacity ≤ 0, min > max, ...).
    #[error("invalid value for parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's documented name.
        name: String,
        /// Why the value is rejected (includes the value).
        reason: String,
    },

    /// A demand trace (or another required input) holds no points.
    #[error("empty input: {what} has no observations")]
    EmptyTrace {
        /// What was empty.
        what: String,
    },

    /// A demand value is NaN, infinite or negative.
    #[error("invalid demand {value} at row {row} (timestamp {timestamp}): {reason}")]
    InvalidDemand {
        /// Zero-based row of the value in the trace.
        row: usize,
        /// Its timestamp (UTC seconds).
        timestamp: i64,
        /// The value itself.
        value: f64,
        /// Why it is rejected.
        reason: String,
    },

    /// A forecaster used by a predictive policy failed.
    #[error("forecaster failed: {0}")]
    Forecast(#[from] forecast_core::Error),

    /// A policy returned something the simulator cannot accept (a bug guard).
    #[error("policy {policy}: {message}")]
    Policy {
        /// The policy's name.
        policy: String,
        /// What went wrong.
        message: String,
    },
}

impl AutoscaleError {
    /// Shorthand for [`AutoscaleError::InvalidParameter`].
    pub fn invalid_param(name: impl Into<String>, reason: impl Into<String>) -> Self {
        AutoscaleError::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// True for errors caused by the user's input or options (exit code 2 in the CLI).
    pub fn is_input_error(&self) -> bool {
        match self {
            AutoscaleError::Forecast(e) => e.is_input_error(),
            AutoscaleError::Policy { .. } => false,
            _ => true,
        }
    }
}

impl From<AutoscaleError> for forecast_core::Error {
    fn from(e: AutoscaleError) -> Self {
        match e {
            AutoscaleError::InvalidParameter { name, reason } => {
                forecast_core::Error::InvalidParameter { name, reason }
            }
            AutoscaleError::EmptyTrace { what } => forecast_core::Error::Empty { what },
            AutoscaleError::InvalidDemand {
                row,
                timestamp,
                value,
                ..
            } if !value.is_finite() => forecast_core::Error::NonFinite {
                row,
                timestamp,
                value,
            },
            AutoscaleError::InvalidDemand {
                row,
                timestamp,
                value,
                reason,
            } => forecast_core::Error::InvalidParameter {
                name: "demand".into(),
                reason: format!("value {value} at row {row} (timestamp {timestamp}): {reason}"),
            },
            AutoscaleError::Forecast(inner) => inner,
            AutoscaleError::Policy { policy, message } => forecast_core::Error::Model {
                model: policy,
                message,
            },
        }
    }
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn check_positive(name: &str, value: f64) -> Result<()> {
    if !(value.is_finite() && value > 0.0) {
        return Err(AutoscaleError::invalid_param(
            name,
            format!("must be a finite number > 0, got {value}"),
        ));
    }
    Ok(())
}

/// Checks that `value` lies in `[lo, hi]` and is finite.
pub(crate) fn check_range(name: &str, value: f64, lo: f64, hi: f64) -> Result<()> {
    if !(value.is_finite() && value >= lo && value <= hi) {
        return Err(AutoscaleError::invalid_param(
            name,
            format!("must lie in [{lo}, {hi}], got {value}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_into_core_errors_by_class() {
        let e: forecast_core::Error = AutoscaleError::invalid_param("capacity", "bad").into();
        assert!(matches!(e, forecast_core::Error::InvalidParameter { .. }));
        assert!(e.is_input_error());
        let e: forecast_core::Error = AutoscaleError::InvalidDemand {
            row: 3,
            timestamp: 30,
            value: f64::NAN,
            reason: "not finite".into(),
        }
        .into();
        assert!(matches!(e, forecast_core::Error::NonFinite { row: 3, .. }));
        let e: forecast_core::Error = AutoscaleError::Policy {
            policy: "x".into(),
            message: "y".into(),
        }
        .into();
        assert!(!e.is_input_error());
    }
}
