//! The recent error of a live model: forecasts are compared with the observations that
//! arrive later (every horizon the previous forecast covered), over a bounded window.
//!
//! ```
//! use forecast_zoo::live::model_error::{ErrorMetric, RollingErrors};
//! let mut e = RollingErrors::new(2);
//! e.push(10.0, 12.0);
//! e.push(10.0, 9.0);
//! e.push(20.0, 20.0); // the first pair drops out of the window
//! assert_eq!(e.value(ErrorMetric::Mae), Some(0.5));
//! assert_eq!(e.value(ErrorMetric::Mape), Some(5.0)); // percent
//! ```

use std::collections::VecDeque;
use std::str::FromStr;

use serde::Deserialize;

/// An error measure exposed as `forecast_zoo_model_error{metric=…}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorMetric {
    /// Mean absolute error (load units).
    Mae,
    /// Root mean squared error (load units).
    Rmse,
    /// Mean absolute percentage error in percent (observations with |y| < 1e-9 skipped).
    Mape,
}

impl ErrorMetric {
    /// Every metric, in exposition order.
    pub const ALL: [ErrorMetric; 3] = [ErrorMetric::Mae, ErrorMetric::Rmse, ErrorMetric::Mape];

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorMetric::Mae => "mae",
            ErrorMetric::Rmse => "rmse",
            ErrorMetric::Mape => "mape",
        }
    }
}

impl FromStr for ErrorMetric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mae" => Ok(ErrorMetric::Mae),
            "rmse" => Ok(ErrorMetric::Rmse),
            "mape" => Ok(ErrorMetric::Mape),
            o => Err(format!(
                "`{o}` is not an error metric; use mae, rmse or mape"
            )),
        }
    }
}

/// A limit on the recent error beyond which the target falls back.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBound {
    /// The metric compared.
    pub metric: ErrorMetric,
    /// The largest acceptable value (load units, or percent for MAPE).
    pub max: f64,
    /// Pairs needed before the bound applies (default 10).
    #[serde(default = "default_min_samples")]
    pub min_samples: usize,
}

fn default_min_samples() -> usize {
    10
}

impl FromStr for ErrorBound {
    type Err = String;
    /// `metric=max`, e.g. `mape=30`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (m, v) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}`: expected metric=max, e.g. mape=30"))?;
        let max: f64 = v
            .trim()
            .parse()
            .map_err(|_| format!("`{v}` is not a number"))?;
        let b = ErrorBound {
            metric: m.parse()?,
            max,
            min_samples: default_min_samples(),
        };
        b.validate()?;
        Ok(b)
    }
}

impl ErrorBound {
    /// Checks `max` is finite and positive and `min_samples` ≥ 1.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.max.is_finite() && self.max > 0.0) {
            return Err(format!("the error bound must be > 0, got {}", self.max));
        }
        if self.min_samples == 0 {
            return Err("min_samples must be at least 1".into());
        }
        Ok(())
    }
}

/// The last `window` (observation, forecast) pairs.
#[derive(Debug, Clone)]
pub struct RollingErrors {
    pairs: VecDeque<(f64, f64)>,
    window: usize,
}

impl RollingErrors {
    /// An empty tracker keeping at most `window` (≥ 1) pairs.
    pub fn new(window: usize) -> Self {
        RollingErrors {
            pairs: VecDeque::with_capacity(window.max(1)),
            window: window.max(1),
        }
    }

    /// Records an observation `y` and what was forecast for it, `f` (non-finite pairs are
    /// ignored).
    pub fn push(&mut self, y: f64, f: f64) {
        if !(y.is_finite() && f.is_finite()) {
            return;
        }
        if self.pairs.len() == self.window {
            self.pairs.pop_front();
        }
        self.pairs.push_back((y, f));
    }

    /// Pairs held.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when no pair is held.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Forgets every pair.
    pub fn clear(&mut self) {
        self.pairs.clear();
    }

    /// The metric over the window; `None` without (usable) pairs.
    pub fn value(&self, m: ErrorMetric) -> Option<f64> {
        if self.pairs.is_empty() {
            return None;
        }
        let n = self.pairs.len() as f64;
        match m {
            ErrorMetric::Mae => {
                Some(self.pairs.iter().map(|(y, f)| (y - f).abs()).sum::<f64>() / n)
            }
            ErrorMetric::Rmse => {
                Some((self.pairs.iter().map(|(y, f)| (y - f).powi(2)).sum::<f64>() / n).sqrt())
            }
            ErrorMetric::Mape => {
                let (s, k) = self
                    .pairs
                    .iter()
                    .filter(|(y, _)| y.abs() >= 1e-9)
                    .fold((0.0, 0usize), |(s, k), (y, f)| {
                        (s + ((y - f) / y).abs(), k + 1)
                    });
                (k > 0).then(|| 100.0 * s / k as f64)
            }
        }
    }

    /// True when `bound` applies (enough pairs) and the metric exceeds it.
    pub fn exceeds(&self, bound: &ErrorBound) -> bool {
        self.len() >= bound.min_samples && self.value(bound.metric).is_some_and(|v| v > bound.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_forecast_core() {
        let y = [10.0, 0.0, 5.0, 8.0];
        let f = [12.0, 1.0, 5.0, 6.0];
        let mut e = RollingErrors::new(10);
        for (a, b) in y.iter().zip(&f) {
            e.push(*a, *b);
        }
        e.push(f64::NAN, 1.0);
        assert_eq!(e.len(), 4);
        let mae = forecast_core::metrics::mae(&y, &f);
        let rmse = forecast_core::metrics::rmse(&y, &f);
        assert!((e.value(ErrorMetric::Mae).unwrap() - mae).abs() < 1e-12);
        assert!((e.value(ErrorMetric::Rmse).unwrap() - rmse).abs() < 1e-12);
        // MAPE skips y = 0: (0.2 + 0 + 0.25) / 3.
        assert!((e.value(ErrorMetric::Mape).unwrap() - 15.0).abs() < 1e-12);
        let b: ErrorBound = "mae=1".parse().unwrap();
        assert!(!e.exceeds(&b)); // only 4 pairs < 10
        let b = ErrorBound {
            min_samples: 4,
            ..b
        };
        assert!(e.exceeds(&b));
        assert!("mape".parse::<ErrorBound>().is_err());
        assert!("mse=1".parse::<ErrorBound>().is_err());
        assert!("mae=-1".parse::<ErrorBound>().is_err());
    }
}
