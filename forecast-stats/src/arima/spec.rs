//! Model orders `(p,d,q)(P,D,Q)[m]`, the regression terms (mean, drift) and the layout of the
//! coefficient vector (R's order: `ar, ma, sar, sma, intercept/drift`).

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// Largest supported season length (5-minute data with a daily cycle is 288).
pub const MAX_SEASON: usize = 2016;

/// Orders and regression terms of a (seasonal) ARIMA model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArimaSpec {
    /// Non-seasonal AR order `p`.
    pub p: usize,
    /// Non-seasonal differences `d`.
    pub d: usize,
    /// Non-seasonal MA order `q`.
    pub q: usize,
    /// Seasonal AR order `P`.
    pub sp: usize,
    /// Seasonal differences `D`.
    pub sd: usize,
    /// Seasonal MA order `Q`.
    pub sq: usize,
    /// Season length `m` (1 = no seasonality; seasonal orders must then be 0).
    pub m: usize,
    /// Include a mean (only used when `d + D = 0`, as R does).
    pub include_mean: bool,
    /// Include a drift (linear trend in the time index `1..n`); needs `d + D <= 1`.
    pub include_drift: bool,
}

impl Default for ArimaSpec {
    fn default() -> Self {
        ArimaSpec {
            p: 0,
            d: 0,
            q: 0,
            sp: 0,
            sd: 0,
            sq: 0,
            m: 1,
            include_mean: true,
            include_drift: false,
        }
    }
}

impl ArimaSpec {
    /// Checks the orders: `m >= 1`, seasonal parts only with `m > 1`, `d <= 2`, `D <= 1`,
    /// ARMA orders at most 10 (seasonal at most 4), drift only with `d + D <= 1`.
    pub fn validate(&self) -> Result<()> {
        if self.m == 0 || self.m > MAX_SEASON {
            return Err(Error::invalid_param(
                "season",
                format!("season length must be in 1..={MAX_SEASON}, got {}", self.m),
            ));
        }
        if self.m == 1 && (self.sp + self.sd + self.sq) > 0 {
            return Err(Error::invalid_param(
                "seasonal-order",
                format!(
                    "seasonal order ({},{},{}) needs a season length > 1",
                    self.sp, self.sd, self.sq
                ),
            ));
        }
        if self.p > 10 || self.q > 10 {
            return Err(Error::invalid_param(
                "order",
                format!("p and q must be at most 10, got p={} q={}", self.p, self.q),
            ));
        }
        if self.sp > 4 || self.sq > 4 {
            return Err(Error::invalid_param(
                "seasonal-order",
                format!("P and Q must be at most 4, got P={} Q={}", self.sp, self.sq),
            ));
        }
        if self.d > 2 {
            return Err(Error::invalid_param(
                "order",
                format!("d must be at most 2, got {}", self.d),
            ));
        }
        if self.sd > 1 {
            return Err(Error::invalid_param(
                "seasonal-order",
                format!("D must be 0 or 1, got {}", self.sd),
            ));
        }
        if self.include_drift && self.d + self.sd > 1 {
            return Err(Error::invalid_param(
                "drift",
                format!(
                    "drift needs d + D <= 1 (got d={} D={}): with more differences a drift is not identified",
                    self.d, self.sd
                ),
            ));
        }
        Ok(())
    }

    /// True when the mean is actually estimated (`include_mean` and `d + D = 0`).
    pub fn has_mean(&self) -> bool {
        self.include_mean && self.d + self.sd == 0
    }

    /// True when the drift is estimated.
    pub fn has_drift(&self) -> bool {
        self.include_drift && self.d + self.sd <= 1
    }

    /// Number of ARMA coefficients `p + q + P + Q`.
    pub fn n_arma(&self) -> usize {
        self.p + self.q + self.sp + self.sq
    }

    /// Number of regression coefficients (mean and/or drift).
    pub fn n_reg(&self) -> usize {
        usize::from(self.has_mean()) + usize::from(self.has_drift())
    }

    /// Total number of estimated coefficients (σ² excluded).
    pub fn n_coef(&self) -> usize {
        self.n_arma() + self.n_reg()
    }

    /// Length of the differencing polynomial `d + m·D` (points lost to differencing).
    pub fn n_diff(&self) -> usize {
        self.d + self.m * self.sd
    }

    /// Order of the expanded AR polynomial `p + m·P`.
    pub fn p_full(&self) -> usize {
        self.p + self.m * self.sp
    }

    /// Order of the expanded MA polynomial `q + m·Q`.
    pub fn q_full(&self) -> usize {
        self.q + self.m * self.sq
    }

    /// A label like `ARIMA(1,0,1)(0,1,1)[24] with drift`.
    pub fn label(&self) -> String {
        let mut s = format!("ARIMA({},{},{})", self.p, self.d, self.q);
        if self.sp + self.sd + self.sq > 0 {
            s.push_str(&format!(
                "({},{},{})[{}]",
                self.sp, self.sd, self.sq, self.m
            ));
        }
        if self.has_drift() {
            s.push_str(" with drift");
        } else if self.has_mean() {
            s.push_str(" with non-zero mean");
        }
        s
    }
}

/// Fitted (or given) coefficients of an ARIMA model, R's sign conventions:
/// `φ(B) = 1 − Σφ_i B^i`, `θ(B) = 1 + Σθ_j B^j`; `mean` is the process mean (R's `intercept`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArimaCoefs {
    /// Non-seasonal AR coefficients `φ_1..φ_p`.
    pub ar: Vec<f64>,
    /// Non-seasonal MA coefficients `θ_1..θ_q`.
    pub ma: Vec<f64>,
    /// Seasonal AR coefficients `Φ_1..Φ_P`.
    pub sar: Vec<f64>,
    /// Seasonal MA coefficients `Θ_1..Θ_Q`.
    pub sma: Vec<f64>,
    /// Process mean (R's `intercept`), when estimated.
    pub mean: Option<f64>,
    /// Drift (slope per step on the time index `1..n`), when estimated.
    pub drift: Option<f64>,
}

impl ArimaCoefs {
    /// Splits a packed coefficient vector (R order) into named parts.
    pub fn from_vec(spec: &ArimaSpec, v: &[f64]) -> Self {
        let mut i = 0;
        let mut take = |k: usize| {
            let s = v[i..i + k].to_vec();
            i += k;
            s
        };
        let ar = take(spec.p);
        let ma = take(spec.q);
        let sar = take(spec.sp);
        let sma = take(spec.sq);
        let mean = spec.has_mean().then(|| take(1)[0]);
        let drift = spec.has_drift().then(|| take(1)[0]);
        ArimaCoefs {
            ar,
            ma,
            sar,
            sma,
            mean,
            drift,
        }
    }

    /// Packs the coefficients in R order; checks the lengths against `spec`.
    pub fn to_vec(&self, spec: &ArimaSpec) -> Result<Vec<f64>> {
        let check = |name: &str, got: usize, want: usize| {
            if got == want {
                Ok(())
            } else {
                Err(Error::invalid_param(
                    name,
                    format!("expected {want} coefficient(s), got {got}"),
                ))
            }
        };
        check("ar", self.ar.len(), spec.p)?;
        check("ma", self.ma.len(), spec.q)?;
        check("sar", self.sar.len(), spec.sp)?;
        check("sma", self.sma.len(), spec.sq)?;
        check(
            "mean",
            usize::from(self.mean.is_some()),
            usize::from(spec.has_mean()),
        )?;
        check(
            "drift",
            usize::from(self.drift.is_some()),
            usize::from(spec.has_drift()),
        )?;
        let mut v = Vec::with_capacity(spec.n_coef());
        v.extend_from_slice(&self.ar);
        v.extend_from_slice(&self.ma);
        v.extend_from_slice(&self.sar);
        v.extend_from_slice(&self.sma);
        v.extend(self.mean);
        v.extend(self.drift);
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            return Err(Error::invalid_param(
                "coefficients",
                format!("coefficient {i} is not finite"),
            ));
        }
        Ok(v)
    }

    /// The regression value `Xβ` at time index `t` (1-based, as R's drift regressor).
    pub fn regression(&self, t: f64) -> f64 {
        self.mean.unwrap_or(0.0) + self.drift.map_or(0.0, |b| b * t)
    }
}
