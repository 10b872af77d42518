//! Accuracy and interval metrics.
//!
//! Notation: `y_1..y_n` actual values, `f_1..f_n` point forecasts, `[lo_t, hi_t]` a central
//! prediction interval at `level` percent, `α = 1 − level/100`; `x_1..x_N` the in-sample
//! (training) series and `m` the seasonal lag used for scaling.
//!
//! | metric | formula |
//! |---|---|
//! | MAE | `1/n Σ |y_t − f_t|` |
//! | MSE | `1/n Σ (y_t − f_t)²` |
//! | RMSE | `√MSE` |
//! | MAPE | `100/n Σ |y_t − f_t| / |y_t|` (percent; a term with `y_t = f_t = 0` is 0, one with `y_t = 0 ≠ f_t` is +∞) |
//! | sMAPE | `200/n Σ |y_t − f_t| / (|y_t| + |f_t|)` (percent, 0..200; a term is 0 where both are 0) |
//! | bias | `1/n Σ (f_t − y_t)` (positive = over-forecast) |
//! | MASE | `MAE / s`, `s = 1/(N−m) Σ_{i>m} |x_i − x_{i−m}|` ([`seasonal_naive_scale`]) |
//! | RMSSE | `√(MSE / s₂)`, `s₂ = 1/(N−m) Σ_{i>m} (x_i − x_{i−m})²` ([`seasonal_naive_scale_sq`]) |
//! | coverage | `1/n Σ 1[lo_t ≤ y_t ≤ hi_t]` (fraction, bounds inclusive) |
//! | pinball(q) | `1/n Σ ρ_q(y_t, Q_t)`, `ρ_q = q(y−Q)` if `y ≥ Q` else `(1−q)(Q−y)` |
//! | Winkler | `1/n Σ (hi_t − lo_t) + 2/α (lo_t − y_t)·1[y_t < lo_t] + 2/α (y_t − hi_t)·1[y_t > hi_t]` |
//!
//! In [`IntervalMetrics`] the lower bound is scored as the `α/2` quantile and the upper bound
//! as the `1 − α/2` quantile (for 80 %: `q = 0.1` and `q = 0.9`).
//!
//! These match utilsforecast / the peers' reference files (`mape`/`smape` in percent).
//! The free functions return `NaN` when the slices are empty or differ in length (they never
//! panic); [`Metrics::from_slices`] reports such input as a typed error instead.
//!
//! ```
//! use forecast_core::metrics::{self, Metrics, Scales};
//! let y = [10.0, 12.0, 9.0];
//! let f = [11.0, 11.0, 11.0];
//! assert!((metrics::mae(&y, &f) - 4.0 / 3.0).abs() < 1e-12);
//! assert!((metrics::bias(&y, &f) - 2.0 / 3.0).abs() < 1e-12);
//! let scales = Scales::seasonal_naive(&[1.0, 2.0, 4.0, 8.0], 1); // mean |diff| = 7/3
//! let m = Metrics::from_slices(&y, &f, scales, &[]).unwrap();
//! assert!((m.mase - (4.0 / 3.0) / (7.0 / 3.0)).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::{Forecast, validate_levels};

/// `|y − f|`.
#[inline]
fn abs_err(y: f64, f: f64) -> f64 {
    (y - f).abs()
}

/// One MAPE term in percent: `100·|y − f|/|y|`, 0 when `y = f = 0`, +∞ when `y = 0 ≠ f`.
#[inline]
fn ape(y: f64, f: f64) -> f64 {
    let e = (y - f).abs();
    if e == 0.0 {
        0.0
    } else if y == 0.0 {
        f64::INFINITY
    } else {
        100.0 * e / y.abs()
    }
}

/// One sMAPE term in percent: `200·|y − f|/(|y| + |f|)`, 0 when both are 0.
#[inline]
fn sape(y: f64, f: f64) -> f64 {
    let d = y.abs() + f.abs();
    if d == 0.0 {
        0.0
    } else {
        200.0 * (y - f).abs() / d
    }
}

/// The pinball (quantile) loss of quantile forecast `qp` at level `q` for actual `y`.
#[inline]
fn pinball_term(y: f64, qp: f64, q: f64) -> f64 {
    if y >= qp {
        q * (y - qp)
    } else {
        (1.0 - q) * (qp - y)
    }
}

/// The interval (Winkler) score of `[lo, hi]` with miscoverage `alpha` for actual `y`.
#[inline]
fn winkler_term(y: f64, lo: f64, hi: f64, alpha: f64) -> f64 {
    let mut s = hi - lo;
    if y < lo {
        s += 2.0 / alpha * (lo - y);
    } else if y > hi {
        s += 2.0 / alpha * (y - hi);
    }
    s
}

/// `α = (100 − level)/100`, written so that 80 gives exactly 0.2.
#[inline]
fn miscoverage(level_percent: f64) -> f64 {
    (100.0 - level_percent) / 100.0
}

/// Mean of `term(a_i, b_i)`, or NaN for empty or mismatched slices.
fn mean_of(a: &[f64], b: &[f64], term: impl Fn(f64, f64) -> f64) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return f64::NAN;
    }
    let s: f64 = a.iter().zip(b).map(|(&x, &z)| term(x, z)).sum();
    s / a.len() as f64
}

/// Mean absolute error `1/n Σ |y_t − f_t|`.
pub fn mae(y: &[f64], f: &[f64]) -> f64 {
    mean_of(y, f, abs_err)
}

/// Mean squared error `1/n Σ (y_t − f_t)²`.
pub fn mse(y: &[f64], f: &[f64]) -> f64 {
    mean_of(y, f, |a, b| (a - b) * (a - b))
}

/// Root mean squared error `√(1/n Σ (y_t − f_t)²)`.
pub fn rmse(y: &[f64], f: &[f64]) -> f64 {
    mse(y, f).sqrt()
}

/// Mean absolute percentage error in percent, `100/n Σ |y_t − f_t| / |y_t|`.
///
/// A term with `y_t = f_t = 0` counts 0; a term with `y_t = 0 ≠ f_t` is +∞ (so is the result).
pub fn mape(y: &[f64], f: &[f64]) -> f64 {
    mean_of(y, f, ape)
}

/// Symmetric MAPE in percent (0..200), `200/n Σ |y_t − f_t| / (|y_t| + |f_t|)`, with a term
/// of 0 where `y_t = f_t = 0`.
pub fn smape(y: &[f64], f: &[f64]) -> f64 {
    mean_of(y, f, sape)
}

/// Mean error `1/n Σ (f_t − y_t)`: positive when the forecast is too high.
pub fn bias(y: &[f64], f: &[f64]) -> f64 {
    mean_of(y, f, |a, b| b - a)
}

/// Mean absolute scaled error `MAE / scale`, with `scale` usually [`seasonal_naive_scale`] of
/// the training data.
pub fn mase(y: &[f64], f: &[f64], scale: f64) -> f64 {
    mae(y, f) / scale
}

/// Root mean squared scaled error `√(MSE / scale_sq)`, with `scale_sq` usually
/// [`seasonal_naive_scale_sq`] of the training data.
pub fn rmsse(y: &[f64], f: &[f64], scale_sq: f64) -> f64 {
    (mse(y, f) / scale_sq).sqrt()
}

/// In-sample seasonal-naive MAE, `1/(N−m) Σ_{i=m..N−1} |x_i − x_{i−m}|` (0-based), the MASE
/// denominator. `m = 1` gives the naive (random walk) scale. NaN when `N <= m` or `m = 0`.
pub fn seasonal_naive_scale(insample: &[f64], m: usize) -> f64 {
    if m == 0 || insample.len() <= m {
        return f64::NAN;
    }
    mean_of(&insample[m..], &insample[..insample.len() - m], abs_err)
}

/// In-sample seasonal-naive MSE, `1/(N−m) Σ_{i=m..N−1} (x_i − x_{i−m})²` (0-based), the RMSSE
/// denominator. NaN when `N <= m` or `m = 0`.
pub fn seasonal_naive_scale_sq(insample: &[f64], m: usize) -> f64 {
    if m == 0 || insample.len() <= m {
        return f64::NAN;
    }
    mse(&insample[m..], &insample[..insample.len() - m])
}

/// Share of actuals inside `[lo_t, hi_t]`, bounds inclusive (a fraction in `[0, 1]`).
pub fn coverage(y: &[f64], lo: &[f64], hi: &[f64]) -> f64 {
    if y.is_empty() || lo.len() != y.len() || hi.len() != y.len() {
        return f64::NAN;
    }
    let inside = (0..y.len())
        .filter(|&i| lo[i] <= y[i] && y[i] <= hi[i])
        .count();
    inside as f64 / y.len() as f64
}

/// Mean pinball loss of the quantile forecast `q_pred` at quantile level `q` in `(0, 1)`:
/// `1/n Σ q(y−Q)` where `y ≥ Q`, `(1−q)(Q−y)` otherwise.
pub fn pinball(y: &[f64], q_pred: &[f64], q: f64) -> f64 {
    mean_of(y, q_pred, |a, b| pinball_term(a, b, q))
}

/// Mean interval (Winkler) score of the central `level_percent` % interval `[lo, hi]`:
/// `(hi − lo) + 2/α (lo − y)` if `y < lo`, `+ 2/α (y − hi)` if `y > hi`, `α = 1 − level/100`.
pub fn winkler(y: &[f64], lo: &[f64], hi: &[f64], level_percent: f64) -> f64 {
    if y.is_empty() || lo.len() != y.len() || hi.len() != y.len() {
        return f64::NAN;
    }
    let alpha = miscoverage(level_percent);
    let s: f64 = (0..y.len())
        .map(|i| winkler_term(y[i], lo[i], hi[i], alpha))
        .sum();
    s / y.len() as f64
}

/// The denominators of the scaled errors (MASE, RMSSE).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scales {
    /// MASE denominator: in-sample seasonal-naive MAE ([`seasonal_naive_scale`]).
    pub mase: f64,
    /// RMSSE denominator: in-sample seasonal-naive MSE ([`seasonal_naive_scale_sq`]).
    pub rmsse_sq: f64,
}

impl Scales {
    /// Both scales from the in-sample series with seasonal lag `m` (NaN when `N <= m`).
    pub fn seasonal_naive(insample: &[f64], m: usize) -> Self {
        Scales {
            mase: seasonal_naive_scale(insample, m),
            rmsse_sq: seasonal_naive_scale_sq(insample, m),
        }
    }

    /// No scaling information: MASE and RMSSE come out NaN.
    pub fn none() -> Self {
        Scales {
            mase: f64::NAN,
            rmsse_sq: f64::NAN,
        }
    }
}

/// Scores of one central prediction interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalMetrics {
    /// Nominal level in percent (e.g. 80).
    pub level: f64,
    /// Share of actuals inside the interval (fraction, bounds inclusive).
    pub coverage: f64,
    /// Mean interval (Winkler) score.
    pub winkler: f64,
    /// Mean pinball loss of the lower bound as the `α/2` quantile.
    pub pinball_lower: f64,
    /// Mean pinball loss of the upper bound as the `1 − α/2` quantile.
    pub pinball_upper: f64,
}

/// All accuracy metrics of a set of forecasts against actuals (see the module docs for the
/// formulas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of (actual, forecast) pairs scored.
    pub n: usize,
    /// Mean absolute error.
    pub mae: f64,
    /// Mean squared error.
    pub mse: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute percentage error (percent).
    pub mape: f64,
    /// Symmetric MAPE (percent, 0..200).
    pub smape: f64,
    /// Mean absolute scaled error.
    pub mase: f64,
    /// Root mean squared scaled error.
    pub rmsse: f64,
    /// Mean of forecast minus actual.
    pub bias: f64,
    /// Interval scores, one per level, in the order given.
    pub intervals: Vec<IntervalMetrics>,
}

impl Metrics {
    /// Scores point forecasts `f` (and optional intervals `(level, lower, upper)`) against
    /// actuals `y`.
    ///
    /// Errors: [`Error::Empty`] for no actuals, [`Error::InvalidParameter`] for slices of
    /// different lengths, [`Error::InvalidLevel`] for a level outside (0, 100).
    pub fn from_slices(
        y: &[f64],
        f: &[f64],
        scales: Scales,
        intervals: &[(f64, &[f64], &[f64])],
    ) -> Result<Metrics> {
        if y.is_empty() {
            return Err(Error::Empty {
                what: "actuals for metrics".into(),
            });
        }
        let mismatch = |what: &str, got: usize| {
            Error::invalid_param(what, format!("{got} values for {} actuals", y.len()))
        };
        if f.len() != y.len() {
            return Err(mismatch("forecast", f.len()));
        }
        let levels: Vec<f64> = intervals.iter().map(|i| i.0).collect();
        validate_levels(&levels)?;
        let mut acc = MetricsAccumulator::new(&levels);
        for (_, lo, hi) in intervals {
            if lo.len() != y.len() {
                return Err(mismatch("lower", lo.len()));
            }
            if hi.len() != y.len() {
                return Err(mismatch("upper", hi.len()));
            }
        }
        for t in 0..y.len() {
            acc.push_point(y[t], f[t]);
            for (k, (_, lo, hi)) in intervals.iter().enumerate() {
                acc.push_interval(k, y[t], lo[t], hi[t]);
            }
        }
        Ok(acc.finish(scales))
    }

    /// Scores a [`Forecast`] against actuals `y` (the first `y.len()` steps of the forecast),
    /// with every interval the forecast carries.
    ///
    /// Errors: [`Error::Empty`] for no actuals, [`Error::InvalidParameter`] when the forecast
    /// is shorter than `y`.
    pub fn from_forecast(y: &[f64], forecast: &Forecast, scales: Scales) -> Result<Metrics> {
        let h = y.len();
        if forecast.point.len() < h
            || forecast
                .intervals
                .iter()
                .any(|i| i.lower.len() < h || i.upper.len() < h)
        {
            return Err(Error::invalid_param(
                "forecast",
                format!(
                    "the forecast has {} steps but {h} actuals were given",
                    forecast.point.len()
                ),
            ));
        }
        let ivs: Vec<(f64, &[f64], &[f64])> = forecast
            .intervals
            .iter()
            .map(|i| (i.level, &i.lower[..h], &i.upper[..h]))
            .collect();
        Metrics::from_slices(y, &forecast.point[..h], scales, &ivs)
    }

    /// The interval scores at `level` percent, if computed.
    pub fn interval(&self, level: f64) -> Option<&IntervalMetrics> {
        self.intervals
            .iter()
            .find(|i| (i.level - level).abs() < 1e-9)
    }
}

/// Running sums for [`Metrics`], so that a backtest can pool millions of (actual, forecast)
/// pairs without collecting them. Summation is sequential in push order, so the same pushes
/// always give bit-identical metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsAccumulator {
    n: usize,
    abs: f64,
    sq: f64,
    ape: f64,
    sape: f64,
    err: f64,
    intervals: Vec<IntervalSums>,
}

#[derive(Debug, Clone, PartialEq)]
struct IntervalSums {
    level: f64,
    alpha: f64,
    n: usize,
    covered: usize,
    winkler: f64,
    pin_lo: f64,
    pin_hi: f64,
}

impl MetricsAccumulator {
    /// An empty accumulator for interval `levels` (percent; not validated here).
    pub fn new(levels: &[f64]) -> Self {
        MetricsAccumulator {
            n: 0,
            abs: 0.0,
            sq: 0.0,
            ape: 0.0,
            sape: 0.0,
            err: 0.0,
            intervals: levels
                .iter()
                .map(|&level| IntervalSums {
                    level,
                    alpha: miscoverage(level),
                    n: 0,
                    covered: 0,
                    winkler: 0.0,
                    pin_lo: 0.0,
                    pin_hi: 0.0,
                })
                .collect(),
        }
    }

    /// Adds one (actual, point forecast) pair.
    #[inline]
    pub fn push_point(&mut self, y: f64, f: f64) {
        let e = f - y;
        self.n += 1;
        self.abs += e.abs();
        self.sq += e * e;
        self.ape += ape(y, f);
        self.sape += sape(y, f);
        self.err += e;
    }

    /// Adds one actual against the interval of the `k`-th level given to
    /// [`MetricsAccumulator::new`] (ignored when `k` is out of range).
    #[inline]
    pub fn push_interval(&mut self, k: usize, y: f64, lo: f64, hi: f64) {
        if let Some(s) = self.intervals.get_mut(k) {
            s.n += 1;
            if lo <= y && y <= hi {
                s.covered += 1;
            }
            s.winkler += winkler_term(y, lo, hi, s.alpha);
            s.pin_lo += pinball_term(y, lo, s.alpha / 2.0);
            s.pin_hi += pinball_term(y, hi, 1.0 - s.alpha / 2.0);
        }
    }

    /// Number of point pairs pushed so far.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The metrics of everything pushed (NaN everywhere when nothing was).
    pub fn finish(&self, scales: Scales) -> Metrics {
        let n = self.n as f64;
        let mse = self.sq / n;
        let mae = self.abs / n;
        Metrics {
            n: self.n,
            mae,
            mse,
            rmse: mse.sqrt(),
            mape: self.ape / n,
            smape: self.sape / n,
            mase: mae / scales.mase,
            rmsse: (mse / scales.rmsse_sq).sqrt(),
            bias: self.err / n,
            intervals: self
                .intervals
                .iter()
                .map(|s| {
                    let m = s.n as f64;
                    IntervalMetrics {
                        level: s.level,
                        coverage: s.covered as f64 / m,
                        winkler: s.winkler / m,
                        pinball_lower: s.pin_lo / m,
                        pinball_upper: s.pin_hi / m,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_for_zeros_and_mismatches() {
        assert_eq!(smape(&[0.0, 2.0], &[0.0, 2.0]), 0.0);
        assert_eq!(mape(&[0.0], &[0.0]), 0.0);
        assert_eq!(mape(&[0.0], &[1.0]), f64::INFINITY);
        assert!(mae(&[], &[]).is_nan());
        assert!(mae(&[1.0], &[1.0, 2.0]).is_nan());
        assert!(coverage(&[1.0], &[0.0], &[]).is_nan());
        assert!(seasonal_naive_scale(&[1.0, 2.0], 2).is_nan());
        assert!(matches!(
            Metrics::from_slices(&[1.0], &[1.0, 2.0], Scales::none(), &[]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            Metrics::from_slices(&[], &[], Scales::none(), &[]),
            Err(Error::Empty { .. })
        ));
    }

    #[test]
    fn interval_scores_by_hand() {
        // y = [0, 5, 12], interval [2, 10] at 80 % (alpha = 0.2):
        // coverage 1/3; winkler: 8 + 10·2 = 28, 8, 8 + 10·2 = 28 -> 64/3
        let y = [0.0, 5.0, 12.0];
        let lo = [2.0; 3];
        let hi = [10.0; 3];
        assert!((coverage(&y, &lo, &hi) - 1.0 / 3.0).abs() < 1e-15);
        assert!((winkler(&y, &lo, &hi, 80.0) - 64.0 / 3.0).abs() < 1e-12);
        // pinball q=0.1 of lo: (0.9·2 + 0.1·3 + 0.1·10)/3 = 3.1/3
        assert!((pinball(&y, &lo, 0.1) - 3.1 / 3.0).abs() < 1e-12);
        let m = Metrics::from_slices(&y, &[5.0; 3], Scales::none(), &[(80.0, &lo, &hi)]).unwrap();
        let iv = m.interval(80.0).unwrap();
        assert_eq!(iv.coverage, coverage(&y, &lo, &hi));
        assert_eq!(iv.winkler, winkler(&y, &lo, &hi, 80.0));
        assert_eq!(iv.pinball_lower, pinball(&y, &lo, 0.1));
        assert!((iv.pinball_upper - pinball(&y, &hi, 0.9)).abs() < 1e-15);
        assert!(m.mase.is_nan());
    }
}
