//! [`Scaler`]: per-series affine scaling, fitted on the training data and stored in the model.
//!
//! ```
//! use forecast_neural::{Scaler, ScalerKind};
//! let s = Scaler::fit(ScalerKind::MinMax, &[2.0, 4.0, 6.0], "lstm").unwrap();
//! assert_eq!(s.scale(4.0), 0.5);
//! assert_eq!(s.unscale(0.5), 4.0);
//! ```

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

use crate::config::ScalerKind;

/// An affine map `y ↦ (y − shift) / scale` with its inverse.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Which statistic the map came from.
    pub kind: ScalerKind,
    /// Subtracted first (mean or minimum).
    pub shift: f64,
    /// Divided by next (standard deviation or range), always > 0.
    pub scale: f64,
}

impl Scaler {
    /// Fits a scaler of `kind` on `values`; `model` names the caller in errors.
    ///
    /// Errors: [`Error::Empty`] for no values, [`Error::Constant`] when every value is the
    /// same (zero variance: the scaled series would be undefined).
    pub fn fit(kind: ScalerKind, values: &[f64], model: &str) -> Result<Scaler> {
        let n = values.len();
        if n == 0 {
            return Err(Error::Empty {
                what: format!("training series of {model}"),
            });
        }
        let (shift, scale) = match kind {
            ScalerKind::Standard => {
                let mean = values.iter().sum::<f64>() / n as f64;
                let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                (mean, var.sqrt())
            }
            ScalerKind::MinMax => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo, hi - lo)
            }
        };
        if !(scale.is_finite() && shift.is_finite()) {
            return Err(Error::model(
                model,
                "the series' spread overflows f64; rescale the values first",
            ));
        }
        // A spread below 1e-12 of the level is rounding noise, not variation.
        if scale <= 0.0 || scale <= 1e-12 * shift.abs() {
            return Err(Error::Constant {
                what: model.to_string(),
                value: values[0],
            });
        }
        Ok(Scaler { kind, shift, scale })
    }

    /// The scaled value of `y`.
    pub fn scale(&self, y: f64) -> f64 {
        (y - self.shift) / self.scale
    }

    /// The original-units value of a scaled `z`.
    pub fn unscale(&self, z: f64) -> f64 {
        z * self.scale + self.shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_minmax_round_trip() {
        let v = [1.0, 2.0, 3.0, 4.0];
        let s = Scaler::fit(ScalerKind::Standard, &v, "m").unwrap();
        assert!((s.shift - 2.5).abs() < 1e-15);
        assert!((s.scale - 1.25f64.sqrt()).abs() < 1e-15);
        for &y in &v {
            assert!((s.unscale(s.scale(y)) - y).abs() < 1e-12);
        }
        let m = Scaler::fit(ScalerKind::MinMax, &v, "m").unwrap();
        assert_eq!((m.scale(1.0), m.scale(4.0)), (0.0, 1.0));
    }

    #[test]
    fn constant_and_empty_are_typed_errors() {
        assert!(matches!(
            Scaler::fit(ScalerKind::Standard, &[5.0; 10], "gru"),
            Err(Error::Constant { value, .. }) if value == 5.0
        ));
        assert!(matches!(
            Scaler::fit(ScalerKind::MinMax, &[1e9; 3], "gru"),
            Err(Error::Constant { .. })
        ));
        assert!(matches!(
            Scaler::fit(ScalerKind::MinMax, &[], "gru"),
            Err(Error::Empty { .. })
        ));
    }
}
