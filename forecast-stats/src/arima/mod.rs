//! ARIMA/SARIMA `(p,d,q)(P,D,Q)[m]` with mean or drift, estimated by CSS followed by exact
//! maximum likelihood (Kalman filter on the differenced series, R `stats::arima` conventions),
//! forecasts and intervals from the state space, and auto-ARIMA (Hyndman–Khandakar stepwise
//! search with KPSS / seasonal-strength unit-root tests).
//!
//! Files: [`spec`] (orders, coefficients), [`polynomial`], [`difference`], [`css`],
//! [`stationary`] (initial covariance), [`kalman`] (exact likelihood), [`optim`] (BFGS),
//! [`fit`], [`forecast`] (state and recursions), [`model`], [`unit_root`], [`auto`],
//! [`forecaster`].
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_stats::arima::{AutoArima, AutoArimaConfig};
//! let y: Vec<f64> = (0..120).map(|t| 10.0 + (t as f64 * 0.7).sin() + 0.01 * t as f64).collect();
//! let train = Series::new(0, 60, y).unwrap();
//! let mut model = AutoArima::new(AutoArimaConfig::default()).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 6, &[95.0]).unwrap();
//! assert_eq!(f.point.len(), 6);
//! ```

pub mod auto;
pub mod css;
pub mod difference;
pub mod fit;
pub mod forecast;
pub mod forecaster;
pub mod kalman;
pub mod model;
pub mod optim;
pub mod polynomial;
pub mod spec;
pub mod stationary;
pub mod unit_root;

pub use auto::{AutoArimaConfig, AutoArimaResult, auto_arima};
pub use fit::{
    FilterResult, FitOptions, FitResult, Method, evaluate, filter_series, fit, fit_with,
};
pub use forecaster::{Arima, ArimaConfig, AutoArima};
pub use model::FittedArima;
pub use optim::BfgsOptions;
pub use spec::{ArimaCoefs, ArimaSpec};
