//! Split-conformal prediction intervals for any [`Forecaster`].
//!
//! [`Conformal`] wraps a model and calibrates intervals from the model's own out-of-sample
//! errors, per horizon step, with no distributional assumption:
//!
//! 1. **Calibration backtest.** On a training series `y[0..n]` with `H = max_horizon`,
//!    `W = calibration_windows` and stride `s`, the calibration origins are
//!    `o_j = n − H − (W−1−j)·s`, `j = 0..W−1` (the last `W` origins whose `H`-step
//!    forecast ends inside the training data). A clone of the inner model is fitted once on
//!    `y[..o_0]` and forecasts `H` steps from each context `y[..o_j]` (the no-refit context
//!    path); the absolute errors `|y[o_j + h] − ŷ_j(h)|` are kept per step `h`.
//! 2. **Final fit.** The inner model is then fitted on the whole training series.
//! 3. **Intervals.** For level `L` (percent) the half-width at step `h` is the
//!    `k`-th smallest calibration error of that step with `k = ⌈(W+1)·L/100⌉` (the split-
//!    conformal quantile, which covers at least `L` % for exchangeable errors), clamped to `W`
//!    when `k > W` (then the interval under-covers slightly: use more windows for high levels,
//!    e.g. `W ≥ 19` for 95 %, `W ≥ 99` for 99 %). The interval is `point ± half-width`.
//!
//! Forecasting beyond `max_horizon` steps is an [`Error::InvalidParameter`] naming
//! `max_horizon` (there is no calibration for those steps). The wrapper reports the inner
//! model's [`name`](Forecaster::name), so leaderboards stay readable; it always
//! [supports intervals](Forecaster::supports_intervals).
//!
//! ```
//! use forecast_core::{Forecaster, Series, baselines::Naive};
//! use forecast_core::conformal::{Conformal, ConformalConfig};
//! let y: Vec<f64> = (0..200).map(|t| ((t * 37) % 11) as f64).collect();
//! let s = Series::new(0, 60, y).unwrap();
//! let cfg = ConformalConfig { calibration_windows: 40, max_horizon: 6, stride: 1 };
//! let mut m = Conformal::new(Box::new(Naive::new()), cfg).unwrap();
//! m.fit(&s).unwrap();
//! let f = m.forecast(&s, 6, &[80.0, 95.0]).unwrap();
//! let (i80, i95) = (f.interval(80.0).unwrap(), f.interval(95.0).unwrap());
//! assert!(i95.upper[0] >= i80.upper[0] && i80.upper[0] >= f.point[0]);
//! assert_eq!(m.name(), "naive");
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::{Forecast, Interval, validate_levels};
use crate::forecaster::Forecaster;
use crate::series::Series;

/// Options of [`Conformal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConformalConfig {
    /// Number `W` of calibration forecasts (origins). Default 50.
    pub calibration_windows: usize,
    /// Largest horizon `H` that gets intervals. Default 24.
    pub max_horizon: usize,
    /// Distance between calibration origins. Default 1.
    pub stride: usize,
}

impl Default for ConformalConfig {
    fn default() -> Self {
        ConformalConfig {
            calibration_windows: 50,
            max_horizon: 24,
            stride: 1,
        }
    }
}

impl ConformalConfig {
    /// Checks that every option is at least 1 ([`Error::InvalidParameter`] naming it).
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("calibration_windows", self.calibration_windows),
            ("max_horizon", self.max_horizon),
            ("stride", self.stride),
        ] {
            if v == 0 {
                return Err(Error::invalid_param(name, "must be at least 1, got 0"));
            }
        }
        Ok(())
    }

    /// Training points the calibration needs beyond what the inner model needs:
    /// `H + (W − 1)·s`.
    pub fn extra_points(&self) -> usize {
        self.max_horizon + (self.calibration_windows - 1) * self.stride
    }
}

/// A model wrapped with split-conformal intervals (see the [module docs](self)).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conformal {
    inner: Box<dyn Forecaster>,
    config: ConformalConfig,
    /// Sorted absolute calibration errors, one vector of `W` per step `1..=H`.
    errors: Option<Vec<Vec<f64>>>,
}

impl Conformal {
    /// Wraps `inner` (fitted or not; [`Forecaster::fit`] refits it).
    ///
    /// Errors: [`Error::InvalidParameter`] from [`ConformalConfig::validate`].
    pub fn new(inner: Box<dyn Forecaster>, config: ConformalConfig) -> Result<Self> {
        config.validate()?;
        Ok(Conformal {
            inner,
            config,
            errors: None,
        })
    }

    /// The wrapped model.
    pub fn inner(&self) -> &dyn Forecaster {
        self.inner.as_ref()
    }

    /// The options.
    pub fn config(&self) -> &ConformalConfig {
        &self.config
    }

    /// The interval half-width at step `step` (1-based) for `level` percent, once fitted.
    pub fn half_width(&self, step: usize, level: f64) -> Option<f64> {
        let errors = self.errors.as_ref()?;
        let e = errors.get(step.checked_sub(1)?)?;
        Some(quantile(e, level))
    }
}

/// The `⌈(W+1)·level/100⌉`-th smallest of the sorted errors `e` (clamped to `1..=W`).
fn quantile(e: &[f64], level: f64) -> f64 {
    let w = e.len();
    let k = ((w + 1) as f64 * level / 100.0 - 1e-9).ceil() as usize;
    e[k.clamp(1, w) - 1]
}

#[typetag::serde(name = "conformal")]
impl Forecaster for Conformal {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let c = self.config;
        let n = train.len();
        let needed = self.min_train_len();
        if n < needed {
            return Err(Error::too_short(
                format!("conformal calibration of {}", self.inner.name()),
                needed,
                n,
            ));
        }
        let (h, w) = (c.max_horizon, c.calibration_windows);
        let first = n - c.extra_points();
        let mut calib = self.inner.clone_box();
        calib.fit(&train.head(first))?;
        let y = train.values();
        let mut errors = vec![Vec::with_capacity(w); h];
        let mut f = Forecast::default();
        for j in 0..w {
            let o = first + j * c.stride;
            calib.forecast_into(&train.head(o), h, &[], &mut f)?;
            if f.point.len() != h {
                return Err(Error::model(
                    self.inner.name(),
                    format!(
                        "calibration forecast has {} steps instead of {h}",
                        f.point.len()
                    ),
                ));
            }
            for (k, e) in errors.iter_mut().enumerate() {
                let err = (y[o + k] - f.point[k]).abs();
                if !err.is_finite() {
                    return Err(Error::model(
                        self.inner.name(),
                        format!("non-finite calibration forecast at step {}", k + 1),
                    ));
                }
                e.push(err);
            }
        }
        for e in &mut errors {
            e.sort_by(f64::total_cmp);
        }
        self.inner.fit(train)?;
        self.errors = Some(errors);
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.errors.is_some() && self.inner.is_fitted()
    }

    fn min_train_len(&self) -> usize {
        self.inner.min_train_len() + self.config.extra_points()
    }

    fn supports_intervals(&self) -> bool {
        true
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let errors = self.errors.as_ref().ok_or_else(|| Error::NotFitted {
            model: self.name().to_string(),
        })?;
        if horizon > self.config.max_horizon {
            return Err(Error::invalid_param(
                "max_horizon",
                format!(
                    "conformal intervals are calibrated for {} steps but {horizon} were requested; set max_horizon >= {horizon}",
                    self.config.max_horizon
                ),
            ));
        }
        validate_levels(levels)?;
        // Keep the interval buffers across the inner call (which resets them to none).
        let mut intervals = std::mem::take(&mut out.intervals);
        let res = self.inner.forecast_into(context, horizon, &[], out);
        intervals.truncate(levels.len());
        while intervals.len() < levels.len() {
            intervals.push(Interval {
                level: 0.0,
                lower: Vec::new(),
                upper: Vec::new(),
            });
        }
        out.intervals = intervals;
        res?;
        let h = out.point.len();
        if h > errors.len() {
            return Err(Error::model(
                self.inner.name(),
                format!("returned {h} steps for a horizon of {horizon}"),
            ));
        }
        for (iv, &level) in out.intervals.iter_mut().zip(levels) {
            iv.level = level;
            iv.lower.clear();
            iv.upper.clear();
            for (k, &p) in out.point.iter().enumerate().take(h) {
                let q = quantile(&errors[k], level);
                iv.lower.push(p - q);
                iv.upper.push(p + q);
            }
        }
        Ok(())
    }
}
