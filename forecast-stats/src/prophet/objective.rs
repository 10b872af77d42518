//! The negative log posterior of Prophet's Stan model (linear trend), with analytic gradient.
//!
//! Parameters are packed as `θ = [k, m, δ_1..δ_S, β_1..β_K, u]` with `σ = exp(u)`. The value is
//! what cmdstan's `optimize` minimises by default (constants dropped, no Jacobian):
//!
//! `f = Σ (y_i − μ_i)²/(2σ²) + n·ln σ + k²/50 + m²/50 + Σ|δ_j|/τ + 2σ² + Σ β_c²/(2σ_c²)`
//!
//! with `μ_i = g_i·(1 + (Xβ)ᵐ_i) + (Xβ)ᵃ_i` and `g` the piecewise-linear trend.

use super::config::SeasonalityMode;
use super::features::{Seasonality, fourier_row, n_columns};
use super::trend::active_counts;

/// Training data and priors of one fit, in the scaled problem.
#[derive(Debug, Clone)]
pub struct Posterior {
    t: Vec<f64>,
    y: Vec<f64>,
    x: Vec<f64>,
    n_cols: usize,
    s: Vec<f64>,
    active: Vec<usize>,
    prior: Vec<f64>,
    mult: Vec<bool>,
    tau: f64,
}

impl Posterior {
    /// Builds the problem from timestamps, scaled times `t`, scaled values `y`, changepoints
    /// `s` (scaled, sorted), seasonalities and the Laplace scale `tau`.
    pub fn new(
        timestamps: &[i64],
        t: Vec<f64>,
        y: Vec<f64>,
        s: Vec<f64>,
        seasonalities: &[Seasonality],
        tau: f64,
    ) -> Self {
        let n_cols = n_columns(seasonalities);
        let mut x = vec![0.0; timestamps.len() * n_cols];
        if n_cols > 0 {
            for (row, &ts) in x.chunks_exact_mut(n_cols).zip(timestamps) {
                fourier_row(seasonalities, ts, row);
            }
        }
        let mut prior = Vec::with_capacity(n_cols);
        let mut mult = Vec::with_capacity(n_cols);
        for sea in seasonalities {
            for _ in 0..2 * sea.order {
                prior.push(sea.prior_scale);
                mult.push(sea.mode == SeasonalityMode::Multiplicative);
            }
        }
        let active = active_counts(&t, &s);
        Self {
            t,
            y,
            x,
            n_cols,
            s,
            active,
            prior,
            mult,
            tau,
        }
    }

    /// Number of packed parameters `2 + S + K + 1`.
    pub fn n_params(&self) -> usize {
        3 + self.s.len() + self.n_cols
    }

    /// Number of changepoints S.
    pub fn n_changepoints(&self) -> usize {
        self.s.len()
    }

    /// Scaled times.
    pub fn t(&self) -> &[f64] {
        &self.t
    }

    /// Scaled values.
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// The objective at `theta`; writes the gradient into `grad` when given (sub-gradient
    /// `sign(δ)/τ` with `sign(0) = 0` for the Laplace term, as Stan differentiates `fabs`).
    pub fn eval(&self, theta: &[f64], grad: Option<&mut [f64]>) -> f64 {
        let n_s = self.s.len();
        let kc = self.n_cols;
        let (k, m) = (theta[0], theta[1]);
        let delta = &theta[2..2 + n_s];
        let beta = &theta[2 + n_s..2 + n_s + kc];
        let u = theta[2 + n_s + kc];
        let sigma = u.exp();
        let inv_s2 = 1.0 / (sigma * sigma);

        let mut cum_k = vec![0.0; n_s + 1];
        let mut cum_m = vec![0.0; n_s + 1];
        for j in 0..n_s {
            cum_k[j + 1] = cum_k[j] + delta[j];
            cum_m[j + 1] = cum_m[j] + delta[j] * self.s[j];
        }
        let want_grad = grad.is_some();
        let mut g_beta = vec![0.0; if want_grad { kc } else { 0 }];
        let mut bucket_w = vec![0.0; if want_grad { n_s + 1 } else { 0 }];
        let mut bucket_wt = vec![0.0; if want_grad { n_s + 1 } else { 0 }];
        let (mut gk, mut gm, mut ss) = (0.0, 0.0, 0.0);

        for i in 0..self.t.len() {
            let ti = self.t[i];
            let a = self.active[i];
            let g = (k + cum_k[a]) * ti + m - cum_m[a];
            let row = &self.x[i * kc..(i + 1) * kc];
            let (mut xa, mut xm) = (0.0, 0.0);
            for c in 0..kc {
                let v = row[c] * beta[c];
                if self.mult[c] {
                    xm += v;
                } else {
                    xa += v;
                }
            }
            let h = 1.0 + xm;
            let r = self.y[i] - (g * h + xa);
            ss += r * r;
            if want_grad {
                let w = -r * h * inv_s2;
                gk += w * ti;
                gm += w;
                bucket_w[a] += w;
                bucket_wt[a] += w * ti;
                let rs = -r * inv_s2;
                for c in 0..kc {
                    let f = if self.mult[c] { g } else { 1.0 };
                    g_beta[c] += rs * row[c] * f;
                }
            }
        }

        let n = self.t.len() as f64;
        let mut f = 0.5 * ss * inv_s2 + n * u + k * k / 50.0 + m * m / 50.0 + 2.0 * sigma * sigma;
        for &d in delta {
            f += d.abs() / self.tau;
        }
        for (b, p) in beta.iter().zip(&self.prior) {
            f += b * b / (2.0 * p * p);
        }

        if let Some(grad) = grad {
            grad[0] = gk + k / 25.0;
            grad[1] = gm + m / 25.0;
            let (mut sw, mut swt) = (0.0, 0.0);
            for j in (0..n_s).rev() {
                sw += bucket_w[j + 1];
                swt += bucket_wt[j + 1];
                let sign = if delta[j] > 0.0 {
                    1.0
                } else if delta[j] < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                grad[2 + j] = swt - self.s[j] * sw + sign / self.tau;
            }
            for c in 0..kc {
                grad[2 + n_s + c] = g_beta[c] + beta[c] / (self.prior[c] * self.prior[c]);
            }
            grad[2 + n_s + kc] = -ss * inv_s2 + n + 4.0 * sigma * sigma;
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prophet::config::ProphetStyleConfig;
    use crate::prophet::features::resolve_seasonalities;

    #[test]
    fn gradient_matches_finite_differences() {
        let n = 300;
        let ts: Vec<i64> = (0..n).map(|i| 1_700_000_000 + 3600 * i as i64).collect();
        let t: Vec<f64> = (0..n).map(|i| i as f64 / (n - 1) as f64).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| 0.5 + 0.2 * t[i] + 0.1 * (i as f64 * 0.26).sin())
            .collect();
        for mode in [SeasonalityMode::Additive, SeasonalityMode::Multiplicative] {
            let cfg = ProphetStyleConfig {
                seasonality_mode: mode,
                ..Default::default()
            };
            let seas = resolve_seasonalities(&cfg, ts[0], ts[n - 1], 3600);
            let s = vec![0.2, 0.45, 0.7];
            let p = Posterior::new(&ts, t.clone(), y.clone(), s, &seas, 0.05);
            let theta: Vec<f64> = (0..p.n_params())
                .map(|i| 0.05 * ((i * 7 % 11) as f64 - 5.0) + 0.013)
                .collect();
            let mut g = vec![0.0; p.n_params()];
            p.eval(&theta, Some(&mut g));
            for i in 0..p.n_params() {
                let h = 1e-6;
                let mut a = theta.clone();
                a[i] += h;
                let mut b = theta.clone();
                b[i] -= h;
                let fd = (p.eval(&a, None) - p.eval(&b, None)) / (2.0 * h);
                assert!(
                    (fd - g[i]).abs() <= 1e-5 * (1.0 + fd.abs()),
                    "param {i}: fd {fd} vs analytic {}",
                    g[i]
                );
            }
        }
    }
}
