//! [`LagRegression`]: a one-step autoregression on the last `p` values fitted by least
//! squares and applied recursively over the horizon — StatuScale's fallback one-step
//! predictor (spec §1.5.2 (b): "a fallback AR(5) least-squares regressor").
//!
//! Fit on `y[0..n]`: with the training mean `μ` and `x_t = y_t − μ`, the coefficients `φ`
//! minimise `Σ_t (x_t − Σ_j φ_j x_{t−j})²` over `t = p..n` (normal equations with a ridge of
//! `1e−9·trace/p`, so constant or collinear windows stay solvable). Forecast:
//! `ŷ_{t+1} = μ + Σ_j φ_j (y_{t+1−j} − μ)`, feeding predictions back for later steps. No
//! intervals of its own (wrap it in `Conformal`).
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_ensemble::statuscale::LagRegression;
//! // x_t = 0.5·x_{t−1} exactly (mean 0 after a long decay is not needed: the fit is exact).
//! let y: Vec<f64> = (0..40).map(|t| 100.0 * 0.5f64.powi(t)).collect();
//! let s = Series::new(0, 60, y).unwrap();
//! let mut m = LagRegression::new(1).unwrap();
//! m.fit(&s).unwrap();
//! let f = m.forecast(&s, 2, &[]).unwrap();
//! assert!(f.point[0].is_finite());
//! ```

use forecast_core::{Error, Forecast, Forecaster, Result, Series, check_context};
use serde::{Deserialize, Serialize};

/// The largest number of lags.
pub const MAX_LAGS: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fitted {
    mean: f64,
    phi: Vec<f64>,
    step: i64,
}

/// Autoregression on `lags` past values, least squares, recursive multi-step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LagRegression {
    lags: usize,
    fitted: Option<Fitted>,
}

impl LagRegression {
    /// An unfitted model on `lags` values (1 ..= [`MAX_LAGS`]).
    pub fn new(lags: usize) -> Result<Self> {
        if lags == 0 || lags > MAX_LAGS {
            return Err(Error::invalid_param(
                "lags",
                format!("must be between 1 and {MAX_LAGS}, got {lags}"),
            ));
        }
        Ok(LagRegression { lags, fitted: None })
    }

    /// The number of lags.
    pub fn lags(&self) -> usize {
        self.lags
    }

    /// The fitted coefficients `φ_1..φ_p` (lag 1 first) and the centring mean.
    pub fn coefficients(&self) -> Option<(&[f64], f64)> {
        self.fitted.as_ref().map(|f| (f.phi.as_slice(), f.mean))
    }
}

/// Solves the symmetric system `a·x = b` (row-major `p×p`) by Gaussian elimination with
/// partial pivoting; `None` when singular.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, p: usize) -> Option<Vec<f64>> {
    for c in 0..p {
        let piv = (c..p).max_by(|&i, &j| a[i * p + c].abs().total_cmp(&a[j * p + c].abs()))?;
        if a[piv * p + c].abs() < 1e-300 {
            return None;
        }
        if piv != c {
            for k in 0..p {
                a.swap(c * p + k, piv * p + k);
            }
            b.swap(c, piv);
        }
        for r in c + 1..p {
            let f = a[r * p + c] / a[c * p + c];
            if f != 0.0 {
                for k in c..p {
                    a[r * p + k] -= f * a[c * p + k];
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = vec![0.0; p];
    for r in (0..p).rev() {
        let s: f64 = (r + 1..p).map(|k| a[r * p + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * p + r];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[typetag::serde(name = "lag-regression")]
impl Forecaster for LagRegression {
    fn name(&self) -> &str {
        "lag-regression"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let p = self.lags;
        let n = train.len();
        if n < self.min_train_len() {
            return Err(Error::too_short(self.name(), self.min_train_len(), n));
        }
        let y = train.values();
        let mean = y.iter().sum::<f64>() / n as f64;
        let mut xtx = vec![0.0; p * p];
        let mut xty = vec![0.0; p];
        for t in p..n {
            let target = y[t] - mean;
            for i in 0..p {
                let xi = y[t - 1 - i] - mean;
                xty[i] += xi * target;
                for j in i..p {
                    xtx[i * p + j] += xi * (y[t - 1 - j] - mean);
                }
            }
        }
        for i in 0..p {
            for j in 0..i {
                xtx[i * p + j] = xtx[j * p + i];
            }
        }
        let trace: f64 = (0..p).map(|i| xtx[i * p + i]).sum();
        let ridge = 1e-9 * (trace / p as f64).max(f64::MIN_POSITIVE);
        for i in 0..p {
            xtx[i * p + i] += ridge;
        }
        let phi = solve(xtx, xty, p).unwrap_or_else(|| vec![0.0; p]);
        self.fitted = Some(Fitted {
            mean,
            phi,
            step: train.step(),
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        2 * self.lags + 2
    }

    fn supports_intervals(&self) -> bool {
        false
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.as_ref().ok_or_else(|| Error::NotFitted {
            model: self.name().into(),
        })?;
        if horizon == 0 {
            return Err(Error::ZeroHorizon);
        }
        if !levels.is_empty() {
            return Err(Error::invalid_param(
                "levels",
                "lag-regression has no intervals of its own; wrap it in Conformal",
            ));
        }
        check_context(self.name(), context, f.step)?;
        let y = context.values();
        let len = y.len();
        out.reset(context.next_timestamp(), context.step(), horizon, levels)?;
        for k in 0..horizon {
            let mut v = f.mean;
            for (j, phi) in f.phi.iter().enumerate() {
                // Lag j+1 of step k: an earlier prediction, else the context (its first value
                // repeated when the context is shorter than the lags).
                let lagged = if k > j {
                    out.point[k - 1 - j]
                } else {
                    let back = j - k + 1;
                    y[len.saturating_sub(back)]
                };
                v += phi * (lagged - f.mean);
            }
            out.point[k] = v;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_ar2() {
        // x_t = 1.2 x_{t−1} − 0.5 x_{t−2} around mean ~0 with a non-degenerate start.
        let mut y = vec![3.0, -1.0];
        for t in 2..200 {
            let v = 1.2 * y[t - 1] - 0.5 * y[t - 2] + if t % 17 == 0 { 1.0 } else { 0.0 };
            y.push(v);
        }
        let s = Series::new(0, 60, y.clone()).unwrap();
        let mut m = LagRegression::new(2).unwrap();
        m.fit(&s).unwrap();
        let (phi, _) = m.coefficients().unwrap();
        assert!(
            (phi[0] - 1.2).abs() < 0.05 && (phi[1] + 0.5).abs() < 0.05,
            "{phi:?}"
        );
        let f = m.forecast(&s, 3, &[]).unwrap();
        assert_eq!(f.point.len(), 3);
        assert!(LagRegression::new(0).is_err());
        assert!(m.forecast(&s, 1, &[80.0]).is_err());
    }
}
