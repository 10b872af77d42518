//! # forecast-stats
//!
//! Statistical forecasters for forecast-zoo, in our own Rust: Holt-Winters/ETS with AutoETS
//! ([`ets`]), ARIMA/SARIMA with auto order search ([`arima`]) and a Prophet-style
//! decomposable model ([`prophet`]). Each implements [`forecast_core::Forecaster`].

pub mod arima;
pub mod ets;
pub mod prophet;
pub mod registry;
