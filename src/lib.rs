//! # forecast-zoo
//!
//! The facade: re-exports the member crates behind cargo features and holds the model
//! registry and the CLI.

pub use forecast_core as core;
