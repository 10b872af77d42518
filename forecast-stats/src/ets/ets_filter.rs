//! The ETS recursions (innovations state space, as in R `forecast`'s `etscalc.c`).
//!
//! One step with `q = ℓ + φb` (or `ℓ` without trend) and `s` the seasonal state of the
//! observation:
//! `ŷ = q (+ s | × s)`, `p = y (− s | / s)`, `ℓ' = q + α(p − q)`,
//! `b' = φb + (β/α)(ℓ' − ℓ − φb)`, `s' = s + γ(y − q − s)` or `s + γ(y/q − s)`.
//! The state update does not depend on the error type, so statsmodels' Holt-Winters
//! (`ExponentialSmoothing`) runs through the same kernel with `β/α = β*`.
//! Divisors with `|x| < 1e−10` give `1e10`, as in `etscalc.c`.

use super::spec::{ErrorType, EtsSpec, EtsState, Seasonal, SmoothingParams, Trend};

const TOL: f64 = 1e-10;
const HUGE: f64 = 1e10;

#[inline]
fn ratio(y: f64, x: f64) -> f64 {
    if x.abs() < TOL { HUGE } else { y / x }
}

/// A compiled recursion: component switches and the smoothing parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kernel {
    trend: bool,
    seasonal: Seasonal,
    alpha: f64,
    beta_star: f64,
    gamma: f64,
    phi: f64,
}

impl Kernel {
    /// Kernel for `spec` with ETS-form parameters.
    pub(crate) fn new(spec: &EtsSpec, p: &SmoothingParams) -> Self {
        let trend = spec.trend.is_some();
        let beta_star = if trend && p.alpha != 0.0 {
            p.beta / p.alpha
        } else {
            0.0
        };
        Kernel {
            trend,
            seasonal: spec.seasonal,
            alpha: p.alpha,
            beta_star,
            gamma: if spec.seasonal.is_some() {
                p.gamma
            } else {
                0.0
            },
            phi: if spec.trend == Trend::AdditiveDamped {
                p.phi
            } else {
                1.0
            },
        }
    }

    /// One observation: returns the one-step forecast `ŷ` made before seeing `y`, and
    /// updates level, trend and the seasonal slot in place.
    #[inline(always)]
    pub(crate) fn step(&self, l: &mut f64, b: &mut f64, s: &mut f64, y: f64) -> f64 {
        let phib = if self.trend { self.phi * *b } else { 0.0 };
        let q = *l + phib;
        let s_old = *s;
        let (yhat, p) = match self.seasonal {
            Seasonal::None => (q, y),
            Seasonal::Additive => (q + s_old, y - s_old),
            Seasonal::Multiplicative => (q * s_old, ratio(y, s_old)),
        };
        let l_new = q + self.alpha * (p - q);
        if self.trend {
            *b = phib + self.beta_star * (l_new - *l - phib);
        }
        match self.seasonal {
            Seasonal::None => {}
            Seasonal::Additive => *s = s_old + self.gamma * (y - q - s_old),
            Seasonal::Multiplicative => *s = s_old + self.gamma * (ratio(y, q) - s_old),
        }
        *l = l_new;
        yhat
    }

    /// Runs the recursion over `y` from the state (`level`, `trend`, seasonal ring `season`
    /// at `pos`), calling `f(i, ŷ_i)` for each observation; the state ends after `y`.
    #[inline]
    pub(crate) fn run(
        &self,
        l: &mut f64,
        b: &mut f64,
        season: &mut [f64],
        pos: &mut usize,
        y: &[f64],
        mut f: impl FnMut(usize, f64),
    ) {
        if self.seasonal == Seasonal::None || season.is_empty() {
            let mut dummy = 0.0;
            for (i, &yi) in y.iter().enumerate() {
                let yh = self.step(l, b, &mut dummy, yi);
                f(i, yh);
            }
            return;
        }
        let m = season.len();
        let mut p = *pos % m;
        for (i, &yi) in y.iter().enumerate() {
            let yh = self.step(l, b, &mut season[p], yi);
            p += 1;
            if p == m {
                p = 0;
            }
            f(i, yh);
        }
        *pos = p;
    }

    /// Point forecasts for `out.len()` steps from the state:
    /// `ŷ_h = ℓ + φ_h b (+|×) s_{(pos + h − 1) mod m}` with `φ_h = φ + … + φ^h`.
    pub(crate) fn forecast(&self, l: f64, b: f64, season: &[f64], pos: usize, out: &mut [f64]) {
        let m = season.len().max(1);
        let mut phi_h = 0.0;
        let mut phi_pow = 1.0;
        for (h, o) in out.iter_mut().enumerate() {
            phi_pow *= self.phi;
            phi_h += phi_pow;
            let q = if self.trend { l + phi_h * b } else { l };
            *o = match self.seasonal {
                Seasonal::None => q,
                Seasonal::Additive => q + season[(pos + h) % m],
                Seasonal::Multiplicative => q * season[(pos + h) % m],
            };
        }
    }
}

/// Goodness of fit of one pass of the recursion over the training data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PassStats {
    /// Σ (y − ŷ)².
    pub sse: f64,
    /// Σ e², with e the model's innovation (additive or relative error).
    pub sum_e2: f64,
    /// Σ ln |ŷ| (used by multiplicative-error likelihoods).
    pub sum_log_yhat: f64,
    /// Number of observations.
    pub n: usize,
    /// True when some one-step forecast was not strictly positive.
    pub nonpositive: bool,
    /// Number of one-step forecasts off by more than a factor 2 (`ŷ > 2y` or `ŷ < y/2`).
    pub n_far: usize,
}

impl PassStats {
    /// R `ets`' `−2·loglik` without constants: `n ln Σe² (+ 2 Σ ln|ŷ|)`.
    ///
    /// Multiplicative-error fits are rejected (`+∞`) when a one-step forecast leaves the
    /// positive half-line (`y = ŷ(1 + e)` with positive data needs `ŷ > 0`; R takes `|ŷ|`),
    /// and when more than half of the one-step forecasts are off by more than a factor 2.
    /// The second guard removes a degenerate optimum of this likelihood: with `ŷ ≫ y` every
    /// relative error is ≈ −1, so `Σe²` stays bounded while `2Σ ln ŷ` is outweighed, and on
    /// spiky data (the CPU reference series) such a fit — a steep trend far above the data —
    /// otherwise wins on AICc.
    pub(crate) fn lik(&self, error: ErrorType) -> f64 {
        if error == ErrorType::Multiplicative && (self.nonpositive || 2 * self.n_far > self.n) {
            return f64::INFINITY;
        }
        let mut lik = self.n as f64 * self.sum_e2.ln();
        if error == ErrorType::Multiplicative {
            lik += 2.0 * self.sum_log_yhat;
        }
        if lik.is_nan() {
            f64::INFINITY
        } else {
            lik.max(-1e10)
        }
    }
}

/// Runs the recursion from `init` over `y`, writing the end state into `end` (whose
/// seasonal buffer is reused) and, when given, the one-step fitted values into `fitted`.
pub(crate) fn pass(
    spec: &EtsSpec,
    params: &SmoothingParams,
    init: &EtsState,
    y: &[f64],
    end: &mut EtsState,
    mut fitted: Option<&mut [f64]>,
) -> PassStats {
    let k = Kernel::new(spec, params);
    end.level = init.level;
    end.trend = init.trend;
    end.season.clear();
    end.season.extend_from_slice(&init.season);
    end.pos = init.pos;
    let mult = spec.error == ErrorType::Multiplicative;
    let (mut sse, mut sum_e2, mut sum_log) = (0.0, 0.0, 0.0);
    let mut nonpositive = false;
    let mut n_far = 0usize;
    let EtsState {
        level,
        trend,
        season,
        pos,
    } = end;
    k.run(level, trend, season, pos, y, |i, yh| {
        let r = y[i] - yh;
        sse += r * r;
        nonpositive |= yh.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater);
        n_far += usize::from(yh > 2.0 * y[i] || 2.0 * yh < y[i]);
        if mult {
            let d = if yh.abs() < TOL { yh + TOL } else { yh };
            let e = r / d;
            sum_e2 += e * e;
            sum_log += yh.abs().ln();
        } else {
            sum_e2 += r * r;
        }
        if let Some(f) = fitted.as_deref_mut() {
            f[i] = yh;
        }
    });
    PassStats {
        sse,
        sum_e2,
        sum_log_yhat: sum_log,
        n: y.len(),
        nonpositive,
        n_far,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_is_exponential_smoothing() {
        let spec = EtsSpec::new(ErrorType::Additive, Trend::None, Seasonal::None, 1).unwrap();
        let p = SmoothingParams {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
        };
        let init = EtsState {
            level: 0.0,
            trend: 0.0,
            season: vec![0.0],
            pos: 0,
        };
        let mut end = init.clone();
        let mut fitted = [0.0; 3];
        let st = pass(
            &spec,
            &p,
            &init,
            &[2.0, 4.0, 0.0],
            &mut end,
            Some(&mut fitted),
        );
        assert_eq!(fitted, [0.0, 1.0, 2.5]);
        assert_eq!(end.level, 1.25);
        assert_eq!(st.sse, 4.0 + 9.0 + 6.25);
    }
}
