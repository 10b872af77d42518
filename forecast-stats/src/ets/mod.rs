//! Holt-Winters and ETS (innovations state space) with AutoETS.
//!
//! - [`HoltWinters`]: statsmodels `ExponentialSmoothing` parameterisation (Holt's β\*),
//!   least-squares fit with statsmodels' bounds.
//! - [`Ets`]: a fixed ETS(E,T,S) model fitted by likelihood like R `forecast::ets`.
//! - [`AutoEts`]: AICc selection over the admissible candidates (R `ets(y, "ZZZ")`,
//!   statsforecast `AutoETS`), for any season length (R stops at 24).
//!
//! All three share one recursion ([`FittedEts`]): `forecast` filters the context's
//! observations newer than the training data from the fitted final state (no refit, no
//! allocation: the seasonal ring is copied to the stack and indexed modulo `m`) and
//! forecasts with class-1/class-2 closed-form intervals, or simulated ones for
//! multiplicative seasons. Trends are none, additive or additive damped; seasons none,
//! additive or multiplicative. Seasonal models need two full seasons of data
//! ([`EtsSpec::min_train_len`]).
//!
//! Initial states: linear models (additive error, no multiplicative season) estimate every
//! initial state exactly by least squares for any `m` (e.g. 288); multiplicative models
//! optimise them by Nelder–Mead when `m ≤ 24` and keep the additive fit's seasonal states
//! above (see [`MAX_FREE_SEASON_NONLINEAR`]).
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_stats::ets::{AutoEts, AutoEtsConfig};
//! let y: Vec<f64> = (0..200).map(|t| 100.0 + 10.0 * ((t % 24) as f64 / 24.0 * 6.283).sin()
//!     + ((t * 7919) % 13) as f64 * 0.3).collect();
//! let train = Series::new(1_700_000_000, 3600, y).unwrap();
//! let mut model = AutoEts::new(AutoEtsConfig { season_length: 24, ..Default::default() }).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 12, &[80.0, 95.0]).unwrap();
//! assert_eq!(f.point.len(), 12);
//! ```

mod admissible;
mod auto;
mod concentrate;
mod ets_filter;
mod fit;
mod forecaster;
mod init;
mod intervals;
mod levenberg;
mod model;
mod nelder_mead;
mod spec;

pub use auto::{AutoEtsConfig, Candidate};
pub use forecaster::{
    AutoEts, Ets, HoltWinters, HoltWintersConfig, HwParams, initial_from_r_order,
};
pub use intervals::{SIMULATION_PATHS, SIMULATION_SEED};
pub use model::{FittedEts, SigmaConvention};
pub use spec::{
    ErrorType, EtsSpec, EtsState, MAX_FREE_SEASON_NONLINEAR, Seasonal, SmoothingParams, Trend,
};
