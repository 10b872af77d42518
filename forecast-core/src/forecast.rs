//! [`Forecast`]: point forecasts with per-level prediction intervals.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{Error, Result};

/// A central prediction interval at one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Nominal coverage in percent, e.g. `80.0` or `95.0`.
    pub level: f64,
    /// Lower bound per step (the `(100 − level)/2` percent quantile).
    pub lower: Vec<f64>,
    /// Upper bound per step (the `(100 + level)/2` percent quantile).
    pub upper: Vec<f64>,
}

/// A forecast of `horizon` steps: timestamps, point values and intervals.
///
/// `Forecast` doubles as a reusable output buffer: [`Forecaster::forecast_into`]
/// (crate::Forecaster::forecast_into) resizes it in place with [`Forecast::reset`], so a loop
/// of forecasts allocates nothing once the buffers have grown.
///
/// ```
/// use forecast_core::Forecast;
/// let mut f = Forecast::default();
/// f.reset(3600, 60, 3, &[80.0]).unwrap();
/// assert_eq!(f.timestamps, vec![3600, 3660, 3720]);
/// f.point.copy_from_slice(&[1.0, 2.0, 3.0]);
/// f.set_normal_intervals(|h| (h + 1) as f64).unwrap();
/// let i80 = f.interval(80.0).unwrap();
/// assert!((i80.upper[0] - 1.0 - 1.2815515655446004).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Timestamps (UTC seconds) of the forecast steps.
    pub timestamps: Vec<i64>,
    /// Point forecast (mean or median, as the model documents) per step.
    pub point: Vec<f64>,
    /// One interval per requested level, in the order requested.
    pub intervals: Vec<Interval>,
}

/// Checks interval levels: each strictly between 0 and 100 (percent) and finite.
pub fn validate_levels(levels: &[f64]) -> Result<()> {
    for &level in levels {
        if !(level.is_finite() && level > 0.0 && level < 100.0) {
            return Err(Error::InvalidLevel { level });
        }
    }
    Ok(())
}

/// The standard normal quantile for the upper bound of a central `level`% interval
/// (1.2816 for 80, 1.9600 for 95).
pub fn normal_z(level: f64) -> f64 {
    let n = Normal::standard();
    n.inverse_cdf(0.5 + level / 200.0)
}

impl Forecast {
    /// Number of forecast steps.
    pub fn horizon(&self) -> usize {
        self.point.len()
    }

    /// Resizes this forecast to `horizon` steps starting at `first_ts` every `step` seconds,
    /// with one (zeroed) interval per level, reusing existing allocations.
    ///
    /// Errors: [`Error::ZeroHorizon`], [`Error::InvalidLevel`].
    pub fn reset(
        &mut self,
        first_ts: i64,
        step: i64,
        horizon: usize,
        levels: &[f64],
    ) -> Result<()> {
        if horizon == 0 {
            return Err(Error::ZeroHorizon);
        }
        validate_levels(levels)?;
        self.timestamps.clear();
        self.timestamps
            .extend((0..horizon).map(|i| first_ts + i as i64 * step));
        self.point.clear();
        self.point.resize(horizon, 0.0);
        self.intervals.truncate(levels.len());
        while self.intervals.len() < levels.len() {
            self.intervals.push(Interval {
                level: 0.0,
                lower: Vec::new(),
                upper: Vec::new(),
            });
        }
        for (iv, &level) in self.intervals.iter_mut().zip(levels) {
            iv.level = level;
            iv.lower.clear();
            iv.lower.resize(horizon, 0.0);
            iv.upper.clear();
            iv.upper.resize(horizon, 0.0);
        }
        Ok(())
    }

    /// The interval at `level` percent, if it was requested.
    pub fn interval(&self, level: f64) -> Option<&Interval> {
        self.intervals
            .iter()
            .find(|i| (i.level - level).abs() < 1e-9)
    }

    /// Fills every interval as `point ± z(level)·sigma(h)` (Gaussian errors), where `sigma(h)`
    /// is the forecast standard deviation at step `h` (0-based).
    pub fn set_normal_intervals(&mut self, sigma: impl Fn(usize) -> f64) -> Result<()> {
        for iv in &mut self.intervals {
            let z = normal_z(iv.level);
            for h in 0..self.point.len() {
                let s = sigma(h);
                if !(s.is_finite() && s >= 0.0) {
                    return Err(Error::model(
                        "intervals",
                        format!("forecast standard deviation at step {} is {s}", h + 1),
                    ));
                }
                iv.lower[h] = self.point[h] - z * s;
                iv.upper[h] = self.point[h] + z * s;
            }
        }
        Ok(())
    }

    /// Checks the invariants a consumer relies on: equal lengths, finite values,
    /// `lower <= point <= upper` is *not* required (quantile models may cross), but
    /// `lower <= upper` is.
    pub fn validate(&self) -> Result<()> {
        let h = self.point.len();
        if self.timestamps.len() != h {
            return Err(Error::model(
                "forecast",
                "timestamps and points differ in length",
            ));
        }
        if let Some(i) = self.point.iter().position(|v| !v.is_finite()) {
            return Err(Error::model(
                "forecast",
                format!("point forecast at step {} is {}", i + 1, self.point[i]),
            ));
        }
        for iv in &self.intervals {
            if iv.lower.len() != h || iv.upper.len() != h {
                return Err(Error::model(
                    "forecast",
                    "interval length differs from horizon",
                ));
            }
            for k in 0..h {
                if !(iv.lower[k].is_finite() && iv.upper[k].is_finite())
                    || iv.lower[k] > iv.upper[k]
                {
                    return Err(Error::model(
                        "forecast",
                        format!("invalid {}% interval at step {}", iv.level, k + 1),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_reuses_buffers_and_checks_input() {
        let mut f = Forecast::default();
        assert_eq!(f.reset(0, 60, 0, &[]), Err(Error::ZeroHorizon));
        assert!(matches!(
            f.reset(0, 60, 2, &[100.0]),
            Err(Error::InvalidLevel { .. })
        ));
        f.reset(0, 60, 4, &[80.0, 95.0]).unwrap();
        let cap = f.point.capacity();
        f.reset(60, 60, 2, &[95.0]).unwrap();
        assert_eq!(f.point.capacity(), cap);
        assert_eq!(f.timestamps, vec![60, 120]);
        assert_eq!(f.intervals.len(), 1);
        assert_eq!(f.intervals[0].level, 95.0);
    }

    #[test]
    fn z_values() {
        assert!((normal_z(95.0) - 1.959963984540054).abs() < 1e-12);
        assert!((normal_z(80.0) - 1.2815515655446004).abs() < 1e-12);
    }
}
