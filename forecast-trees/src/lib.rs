//! # forecast-trees
//!
//! Gradient-boosted tree forecasters with the real libraries and their own hyper-parameter
//! names: [`LightGbm`] (LightGBM 4.7.0 through `lightgbm3`) and [`XGBoost`] (XGBoost 1.6.2
//! through `xgboost-rs`), on one shared feature builder.
//!
//! - [`features`]: lags, rolling mean/std/min/max, calendar features, target transform
//!   (none, difference, ratio to the recent level), with exact definitions.
//! - [`forecasting`]: recursive (default) and direct multi-step strategies, the engine
//!   choice, and the allocation-free forecast loop.
//! - [`native`]: the fitted boosters parsed into flat arrays and evaluated in Rust (the
//!   default engine; identical to LightGBM in `f64`, to XGBoost in `f32`).
//! - [`library`]: training and the libraries' own predict path (the comparison engine).
//! - [`registry`]: the `lightgbm` and `xgboost` entries for the `forecast-zoo` facade.
//!
//! Intervals: neither model has its own; wrap it in
//! [`Conformal`](forecast_core::conformal::Conformal) (the facade does so for `--level`).
//! A saved model embeds the library's own model text (LightGBM's text model, XGBoost's JSON),
//! and forecasts are identical after loading.
//!
//! ```
//! use forecast_core::{Forecaster, Series, model_from_json, model_to_json};
//! use forecast_trees::{Engine, LightGbm, LightGbmConfig};
//! use forecast_trees::features::{Calendar, FeatureConfig, Transform};
//!
//! // Two days of hourly data with a daily cycle.
//! let y: Vec<f64> = (0..24 * 14)
//!     .map(|t| 100.0 + 20.0 * (std::f64::consts::TAU * t as f64 / 24.0).sin())
//!     .collect();
//! let train = Series::new(1_704_067_200, 3600, y).unwrap();
//!
//! let mut cfg = LightGbmConfig::default();
//! cfg.options.features = FeatureConfig {
//!     lags: 24,
//!     windows: vec![6],
//!     calendar: Calendar::Auto, // hour and day of week for hourly data
//!     transform: Transform::Difference,
//! };
//! cfg.num_iterations = 30;
//! let mut model = LightGbm::new(cfg).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 12, &[]).unwrap();
//! assert_eq!(f.point.len(), 12);
//!
//! // The library's own predict gives the same forecast (LightGBM: identical).
//! let mut lib = model.clone();
//! lib.set_engine(Engine::Library);
//! assert_eq!(lib.forecast(&train, 12, &[]).unwrap().point, f.point);
//!
//! // Save and load: same forecast.
//! let back = model_from_json(&model_to_json(&model).unwrap()).unwrap();
//! assert_eq!(back.forecast(&train, 12, &[]).unwrap().point, f.point);
//! ```

pub mod features;
pub mod forecasting;
pub mod library;
pub mod lightgbm;
pub mod native;
pub mod registry;
pub mod xgboost;

pub use forecasting::{Engine, Strategy, TreeOptions};
pub use lightgbm::{LightGbm, LightGbmConfig, LightGbmObjective};
pub use xgboost::{TreeMethod, XGBoost, XGBoostConfig, XGBoostObjective};
