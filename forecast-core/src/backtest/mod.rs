//! Rolling-origin backtesting of any [`Forecaster`](crate::Forecaster), on one series or many,
//! in parallel and with results identical to a serial run.
//!
//! # Protocol (the default; the peers' statsforecast runs use exactly this)
//!
//! For a series `y[0..n]` and requested horizons with maximum `Hmax`:
//!
//! 1. **Test region**: the last `test = floor(0.2·n)` points (or
//!    [`BacktestConfig::test_size`]); the first test index is `T0 = n − test`.
//! 2. **Origins** `T0, T0+s, T0+2s, …` while `o + Hmax ≤ n`. The stride is
//!    `s = max(Hmax, ceil(L / max_origins))` with `L = n − T0 − Hmax + 1`, or `s = Hmax`
//!    without a cap; an explicit [`BacktestConfig::stride`] overrides both. All horizons share
//!    this grid ([`OriginGrid`]).
//! 3. **Fitting**: at origin `o` the model sees `y[..o]`, or only its last `W` points with
//!    [`BacktestConfig::window`] (sliding window; expanding without). It is refit at origin
//!    number `k` when `k % refit_every == 0`; in between it forecasts from the updated context
//!    (the series from the start of the last fit window up to `o`, a zero-copy view) without
//!    refitting. A *segment* (one fit plus the forecasts until the next refit) is the unit of
//!    parallel work; the model template is cloned (`clone_box`) per segment.
//! 4. **Scoring**: every origin gets one `Hmax`-step forecast; horizon `h` is scored on the
//!    first `h` steps of each, pooled over all origins and steps
//!    ([`HorizonReport::pooled`]) and per step ([`HorizonReport::per_step`]). The MASE/RMSSE
//!    scales are the in-sample seasonal-naive errors of `y[..T0]` with lag
//!    `m = `[`BacktestConfig::season`] ([`Scales::seasonal_naive`](crate::metrics::Scales)).
//!    Interval metrics are computed for [`BacktestConfig::levels`] when the model
//!    [supports intervals](crate::Forecaster::supports_intervals).
//! 5. **Timing**: `fit_seconds` is the total wall time of all fits, `forecast_ms_per_call`
//!    the mean wall time of one forecast call.
//!
//! [`backtest_many`] runs every (series, model) pair in parallel; results flatten into
//! [`BacktestRow`]s with [`rows`] and are written by [`write_csv`] and [`write_json`].
//!
//! ```
//! use forecast_core::{Series, baselines::Naive, backtest::{BacktestConfig, backtest}};
//! let y: Vec<f64> = (0..50).map(|t| (t % 7) as f64).collect();
//! let s = Series::new(0, 60, y).unwrap();
//! let cfg = BacktestConfig { horizons: vec![1, 3], ..Default::default() };
//! let r = backtest(&Naive::new(), &s, &cfg).unwrap();
//! assert_eq!(r.grid.t0, 40);                 // the last floor(0.2·50) = 10 points are tested
//! assert_eq!(r.grid.origins, vec![40, 43, 46]); // stride = Hmax = 3, o + 3 <= 50
//! assert_eq!(r.horizons[1].pooled.n, 9);      // 3 origins x 3 steps
//! ```

mod config;
mod report;
mod run;

pub use config::{BacktestConfig, OriginGrid};
pub use report::{BacktestRow, rows, write_csv, write_json};
pub use run::{BacktestResult, HorizonReport, backtest, backtest_many};
