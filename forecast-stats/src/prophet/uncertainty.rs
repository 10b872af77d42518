//! Prediction intervals by simulation (Prophet's original, non-vectorised sampler).
//!
//! Per path: future trend changes arrive as a Poisson process with the historical rate (S
//! changepoints per unit of scaled time) on `(1, T_max]`, with sizes `~ Laplace(0, mean|δ|)`;
//! the path adds `ε ~ N(0, σ)` noise to every step. Bounds are numpy-style linearly
//! interpolated percentiles of the paths. Cost per call: `O(samples·H)` normal draws,
//! `O(samples·n_new·H)` for the new changepoints (`n_new ~ Poisson(S·(T_max − 1))`, so it grows
//! with how far past the training data the forecast reaches) and `O(samples)` selection per
//! step and bound; nothing is refitted.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, Poisson, StandardNormal};

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

/// `2^-53`: maps the top 53 bits of a `u64` to `[0, 1)`.
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// Simulates `samples` paths for the steps already in `scratch.{t, trend, mult, add}`
/// and leaves them in `scratch.paths` (step-major).
///
/// A new changepoint at `a` with size `δ` moves the trend at `t ≥ a` by `δ(t − a)`. When the
/// steps are in time order, the changepoints before the first step add `D·t − E` to every
/// step with `D = Σδ`, `E = Σδa` (two sums instead of a pass over the horizon); only those
/// inside the horizon walk the steps. Sizes `~ Laplace(0, λ)` are drawn as a random sign
/// times `λ·Exp(1)` (ziggurat), the position from the other bits of the same `u64`.
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
    let ordered = scratch.t.windows(2).all(|w| w[0] <= w[1]);
    let t_first = if ordered {
        scratch.t.first().copied().unwrap_or(f64::NEG_INFINITY)
    } else {
        f64::NEG_INFINITY
    };
    scratch.paths.clear();
    scratch.paths.resize(h_len * samples, 0.0);
    scratch.dev.clear();
    scratch.dev.resize(h_len, 0.0);
    for s in 0..samples {
        scratch.dev.iter_mut().for_each(|d| *d = 0.0);
        let (mut d_sum, mut e_sum) = (0.0, 0.0);
        if let Some(p) = &poisson {
            let n_new: f64 = p.sample(&mut rng);
            for _ in 0..n_new as u64 {
                let bits = rng.next_u64();
                let at = 1.0 + (t_max - 1.0) * ((bits >> 11) as f64 * UNIT);
                let size: f64 = Exp1.sample(&mut rng);
                let d = if bits & 1 == 1 {
                    lambda * size
                } else {
                    -lambda * size
                };
                if at <= t_first {
                    d_sum += d;
                    e_sum += d * at;
                } else {
                    for (dev, &t) in scratch.dev.iter_mut().zip(&scratch.t) {
                        if t >= at {
                            *dev += d * (t - at);
                        }
                    }
                }
            }
        }
        for h in 0..h_len {
            let dev = d_sum * scratch.t[h] - e_sum + scratch.dev[h];
            let trend = scratch.trend[h] + dev * sc.y_scale;
            let eps: f64 = rng.sample(StandardNormal);
            scratch.paths[h * samples + s] =
                trend * (1.0 + scratch.mult[h]) + scratch.add[h] + eps * sigma;
        }
    }
}

/// The numpy (`linear`) percentiles of `v` at `a` and `1 − a` (`a ≤ 0.5`) with two
/// selections, the second one only over the part above the first.
pub fn quantile_pair(v: &mut [f64], a: f64) -> (f64, f64) {
    let n = v.len();
    let pos_hi = (1.0 - a) * (n - 1) as f64;
    let hi_idx = (pos_hi.floor() as usize).min(n - 1);
    let lo = quantile(v, a);
    let lo_idx = ((a * (n - 1) as f64).floor() as usize).min(n - 1);
    if hi_idx <= lo_idx + 1 {
        return (lo, quantile(v, 1.0 - a));
    }
    // After the first selection every element above `lo_idx` is ≥ the ones below it.
    let above = &mut v[lo_idx + 1..];
    let k = hi_idx - lo_idx - 1;
    let frac = pos_hi - hi_idx as f64;
    let (_, &mut at, rest) = above.select_nth_unstable_by(k, f64::total_cmp);
    if frac == 0.0 || rest.is_empty() {
        return (lo, at);
    }
    let next = rest.iter().copied().fold(f64::INFINITY, f64::min);
    (lo, at + (next - at) * frac)
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
        let base: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 * 0.5)
            .collect();
        for a in [0.0, 0.025, 0.1, 0.25, 0.4995, 0.5] {
            let (mut v1, mut v2) = (base.clone(), base.clone());
            let want = (quantile(&mut v1, a), quantile(&mut v1, 1.0 - a));
            assert_eq!(quantile_pair(&mut v2, a), want, "{a}");
        }
    }
}
