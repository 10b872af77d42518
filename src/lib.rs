//! # forecast-zoo
//!
//! The facade of the workspace: it re-exports the member crates behind cargo features, holds
//! the model [`registry`] that builds any model by name, and [`plot`]s forecasts. The
//! `forecast-zoo` binary (CLI) is built on top of it.
//!
//! | re-export | crate | feature |
//! |---|---|---|
//! | [`core`] | `forecast-core`: Series, Forecaster, io, metrics, backtest, baselines | always |
//! | `stats` | `forecast-stats`: ETS, ARIMA, Prophet-style | `stats` |
//! | `trees` | `forecast-trees`: XGBoost, LightGBM | `trees` |
//! | `neural` | `forecast-neural`: GRU, LSTM, CNN | `neural` |
//! | `ensemble` | `forecast-ensemble`: weighted ensembles, hybrids, StatuScale | `ensemble` |
//! | `autoscale` | `forecast-autoscale`: replica planner, HPA, replay | `autoscale` |
//!
//! ```
//! use forecast_zoo::core::{Forecaster, Series};
//! use forecast_zoo::core::params::{BuildContext, Params};
//! use forecast_zoo::registry::Registry;
//!
//! let y = Series::new(1_704_067_200, 3600, (0..72).map(|t| (t % 24) as f64).collect()).unwrap();
//! let ctx = BuildContext { season: Some(24), step: y.step() };
//! let mut model = Registry::builtin()
//!     .build("seasonal-naive", Params::new("seasonal-naive"), &ctx)
//!     .unwrap();
//! model.fit(&y).unwrap();
//! let f = model.forecast(&y, 3, &[80.0]).unwrap();
//! assert_eq!(f.point, vec![0.0, 1.0, 2.0]);
//! ```

#[cfg(feature = "autoscale")]
pub use forecast_autoscale as autoscale;
pub use forecast_core as core;
#[cfg(feature = "ensemble")]
pub use forecast_ensemble as ensemble;
#[cfg(feature = "neural")]
pub use forecast_neural as neural;
#[cfg(feature = "stats")]
pub use forecast_stats as stats;
#[cfg(feature = "trees")]
pub use forecast_trees as trees;

/// Live Prometheus: `query_range` history, and forecasts plus recommended replicas served as
/// metrics for KEDA and the HPA (the `fetch` and `serve` commands).
pub mod live;
pub mod plot;
pub mod registry;
pub mod zoo;

pub use registry::Registry;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
