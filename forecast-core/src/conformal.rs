//! Split-conformal prediction intervals for any Forecaster (work in progress).
