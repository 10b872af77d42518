//! # forecast-core
//!
//! The contract of forecast-zoo: every model crate depends on this crate and on nothing else
//! of the workspace, and this crate knows no model beyond the baselines.
//!
//! - [`Series`]: a regular, validated UTC series with zero-copy windows; [`RawSeries`] and
//!   [`RawSeries::regularize`] for gappy input.
//! - [`Forecaster`]: the object-safe model trait; [`Forecast`]: points plus intervals.
//! - [`Error`]: one error enum, a variant per class of bad input.
//! - [`io`]: Prometheus/Grafana CSV and `query_range` JSON readers, result writers.
//! - [`metrics`], [`backtest`]: honest evaluation (rolling origin, the protocol of the
//!   peers' reference backtests).
//! - [`baselines`]: Naive, SeasonalNaive, Drift, MovingAverage.
//! - [`conformal`]: intervals for any model from its own backtest residuals.
//! - [`season`]: season-length detection; [`generate`]: synthetic load scenarios.
//!
//! ```
//! use forecast_core::{Forecaster, Series, baselines::SeasonalNaive};
//! let y: Vec<f64> = (0..48).map(|t| 10.0 + (t % 24) as f64).collect();
//! let train = Series::new(1_700_000_000, 3600, y).unwrap();
//! let mut model = SeasonalNaive::new(24).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 3, &[80.0, 95.0]).unwrap();
//! assert_eq!(f.point, vec![10.0, 11.0, 12.0]);
//! assert_eq!(f.intervals.len(), 2);
//! ```

pub mod backtest;
pub mod baselines;
pub mod conformal;
pub mod error;
pub mod forecast;
pub mod forecaster;
pub mod generate;
pub mod io;
pub mod metrics;
pub mod params;
mod raw;
pub mod season;
mod series;
pub mod time;

pub use error::{Error, Result};
pub use forecast::{Forecast, Interval, validate_levels};
pub use forecaster::{
    Forecaster, ForecasterClone, check_context, load_model, model_from_json, model_to_json,
    save_model,
};
pub use raw::{Fill, FillReport, RawSeries};
pub use series::Series;
