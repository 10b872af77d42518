//! Prediction intervals by simulation (Prophet's original, non-vectorised sampler).
//!
//! Per path: future trend changes arrive as a Poisson process with the historical rate (S
//! changepoints per unit of scaled time) on `(1, T_max]`, with sizes `~ Laplace(0, mean|δ|)`;
//! the path adds `ε ~ N(0, σ)` noise to every step. Bounds are numpy-style linearly
//! interpolated percentiles of the paths. Cost per call: `O(samples·H)` normal draws,
//! `O(samples·n_new·H)` for the new changepoints (`n_new ~ Poisson(S·(T_max − 1))`, so it grows
//! with how far past the training data the forecast reaches) and `O(samples)` selection per
//! step and bound; nothing is refitted.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Open01, Poisson, StandardNormal};

use super::predict::FittedProphet;

/// Reusable buffers of the simulation (kept per thread, so a forecast allocates nothing once
/// they have grown).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Scaled time per step.
    pub t: Vec<f64>,
    /// Trend per step (data units).
    pub trend: Vec<f64>,
    /// Multiplicative terms per step.
    pub mult: Vec<f64>,
    /// Additive terms per step (data units).
    pub add: Vec<f64>,
    /// Trend deviation of the current path per step (scaled).
    dev: Vec<f64>,
    /// Simulated values, step-major: `paths[h·samples + s]`.
    pub paths: Vec<f64>,
}

impl Scratch {
    /// Clears the per-step buffers for a new forecast.
    pub fn clear(&mut self) {
        self.t.clear();
        self.trend.clear();
        self.mult.clear();
        self.add.clear();
    }
}

#[inline]
fn laplace(rng: &mut ChaCha8Rng, scale: f64) -> f64 {
    let u: f64 = Open01.sample(rng);
    if u < 0.5 {
        scale * (2.0 * u).ln()
    } else {
        -scale * (2.0 * (1.0 - u)).ln()
    }
}

/// Simulates `samples` paths for the steps already in `scratch.{t, trend, mult, add}`
/// and leaves them in `scratch.paths` (step-major).
pub fn simulate(model: &FittedProphet, samples: usize, seed: u64, scratch: &mut Scratch) {
    let h_len = scratch.t.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sc = model.scaling();
    let sigma = model.params().sigma_obs * sc.y_scale;
    let lambda = model.change_scale();
    let n_cp = model.changepoints_t().len() as f64;
    let t_max = scratch.t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let rate = n_cp * (t_max - 1.0);
    let poisson = if t_max > 1.0 && rate > 0.0 && rate.is_finite() {
        Poisson::new(rate).ok()
    } else {
        None
    };
    scratch.paths.clear();
    scratch.paths.resize(h_len * samples, 0.0);
    scratch.dev.clear();
    scratch.dev.resize(h_len, 0.0);
    for s in 0..samples {
        scratch.dev.iter_mut().for_each(|d| *d = 0.0);
        if let Some(p) = &poisson {
            let n_new: f64 = p.sample(&mut rng);
            for _ in 0..n_new as u64 {
                let at = rng.random_range(1.0..t_max);
                let d = laplace(&mut rng, lambda);
                for (dev, &t) in scratch.dev.iter_mut().zip(&scratch.t) {
                    if t >= at {
                        *dev += d * (t - at);
                    }
                }
            }
        }
        for h in 0..h_len {
            let trend = scratch.trend[h] + scratch.dev[h] * sc.y_scale;
            let eps: f64 = rng.sample(StandardNormal);
            scratch.paths[h * samples + s] =
                trend * (1.0 + scratch.mult[h]) + scratch.add[h] + eps * sigma;
        }
    }
}

/// numpy's default (`linear`) percentile of `v` at probability `p` in `[0, 1]`, by selection
/// (`O(n)`, reorders `v`); `v` must not be empty.
pub fn quantile(v: &mut [f64], p: f64) -> f64 {
    let pos = p * (v.len() - 1) as f64;
    let lo = (pos.floor() as usize).min(v.len() - 1);
    let frac = pos - lo as f64;
    let (_, &mut at, above) = v.select_nth_unstable_by(lo, f64::total_cmp);
    if frac == 0.0 || above.is_empty() {
        return at;
    }
    let next = above.iter().copied().fold(f64::INFINITY, f64::min);
    at + (next - at) * frac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_follow_numpy() {
        let mut v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&mut v, 0.5), 2.5);
        assert!((quantile(&mut v, 0.1) - 1.3).abs() < 1e-12);
        assert_eq!(quantile(&mut v, 1.0), 4.0);
        assert_eq!(quantile(&mut v, 0.0), 1.0);
        assert_eq!(quantile(&mut [7.0], 0.9), 7.0);
    }
}
