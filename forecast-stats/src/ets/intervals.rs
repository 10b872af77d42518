//! Prediction intervals for ETS forecasts (R `forecast:::class1/class2`, simulation).
//!
//! - **Class 1** (additive error, additive or no season): exact,
//!   `σ_h² = σ²(1 + Σ_{j<h} c_j²)` with `c_j = α + βφ_j + γ·1[j mod m = 0]`
//!   (`φ_j = φ + … + φ^j`, or `j` undamped). No allocation.
//! - **Class 2** (multiplicative error, additive or no season): R's approximation
//!   `θ_1 = μ_1²`, `θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}`, `σ_h² = (1 + σ²)θ_h − μ_h²`.
//!   Uses the first interval's buffers as scratch; no allocation.
//! - **Multiplicative season** (R classes 3 and the rest): 5000 simulated paths of the
//!   recursion with Gaussian innovations `N(0, σ²)` from a fixed seed, empirical quantiles
//!   (R's type-7, by selection). Its path and season buffers are per-thread scratch that only
//!   grows, so a forecast allocates nothing once they have reached the largest `H`.

use std::cell::RefCell;

use forecast_core::forecast::normal_z;
use forecast_core::{Error, Forecast, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use super::ets_filter::Kernel;
use super::spec::{ErrorType, EtsSpec, Seasonal, SmoothingParams};

/// Number of simulated paths for the simulation intervals.
pub const SIMULATION_PATHS: usize = 5000;
/// Seed of the simulation intervals.
pub const SIMULATION_SEED: u64 = 20240101;

/// Interval levels whose normal quantile is computed once per call.
const MAX_CACHED_Z: usize = 8;

/// `c_j` of the class-1/2 variance (j ≥ 1).
#[inline]
fn c_j(spec: &EtsSpec, p: &SmoothingParams, j: usize, phi_j: f64) -> f64 {
    let mut c = p.alpha;
    if spec.trend.is_some() {
        c += p.beta * phi_j;
    }
    if spec.seasonal.is_some() && j.is_multiple_of(spec.m()) {
        c += p.gamma;
    }
    c
}

/// Fills `out.intervals` around `out.point` (already the point forecast). `state` is the
/// forecast origin's state `(ℓ, b, season ring, pos)`.
#[allow(clippy::needless_range_loop)]
pub(crate) fn fill(
    spec: &EtsSpec,
    p: &SmoothingParams,
    sigma2: f64,
    state: (f64, f64, &[f64], usize),
    out: &mut Forecast,
) -> Result<()> {
    if out.intervals.is_empty() {
        return Ok(());
    }
    if !(sigma2.is_finite() && sigma2 >= 0.0) {
        return Err(Error::model(
            "ets",
            format!("residual variance is {sigma2}"),
        ));
    }
    let damped_phi = if spec.trend.is_damped() { p.phi } else { 1.0 };
    match (spec.error, spec.seasonal) {
        (ErrorType::Additive, Seasonal::None | Seasonal::Additive) => {
            let h_max = out.point.len();
            // Normal quantiles once per level, not per step (no allocation).
            let mut zs = [0.0f64; MAX_CACHED_Z];
            for (z, iv) in zs.iter_mut().zip(&out.intervals) {
                *z = normal_z(iv.level);
            }
            let mut cum = 0.0;
            let (mut phi_j, mut phi_pow) = (0.0, 1.0);
            for h in 0..h_max {
                if h > 0 {
                    let j = h;
                    phi_pow *= damped_phi;
                    phi_j += phi_pow;
                    let c = c_j(spec, p, j, phi_j);
                    cum += c * c;
                }
                let sd = (sigma2 * (1.0 + cum)).sqrt();
                for (i, iv) in out.intervals.iter_mut().enumerate() {
                    let z = if i < MAX_CACHED_Z {
                        zs[i]
                    } else {
                        normal_z(iv.level)
                    };
                    iv.lower[h] = out.point[h] - z * sd;
                    iv.upper[h] = out.point[h] + z * sd;
                }
            }
            Ok(())
        }
        (ErrorType::Multiplicative, Seasonal::None | Seasonal::Additive) => {
            let h_max = out.point.len();
            let mu = &out.point;
            let iv0 = &mut out.intervals[0];
            // θ in iv0.lower, variance in iv0.upper.
            for h in 0..h_max {
                let mut s = 0.0;
                let (mut phi_j, mut phi_pow) = (0.0, 1.0);
                for j in 1..=h {
                    phi_pow *= damped_phi;
                    phi_j += phi_pow;
                    let c = c_j(spec, p, j, phi_j);
                    s += c * c * iv0.lower[h - j];
                }
                iv0.lower[h] = mu[h] * mu[h] + sigma2 * s;
            }
            for h in 0..h_max {
                iv0.upper[h] = ((1.0 + sigma2) * iv0.lower[h] - mu[h] * mu[h]).max(0.0);
            }
            for k in (0..out.intervals.len()).rev() {
                let z = normal_z(out.intervals[k].level);
                for h in 0..h_max {
                    let sd = out.intervals[0].upper[h].sqrt();
                    let iv = &mut out.intervals[k];
                    iv.lower[h] = out.point[h] - z * sd;
                    iv.upper[h] = out.point[h] + z * sd;
                }
            }
            Ok(())
        }
        (_, Seasonal::Multiplicative) => simulate(spec, p, sigma2, state, out),
    }
}

/// Per-thread buffers of [`simulate`]: the paths (step-major) and a season ring.
#[derive(Default)]
struct SimScratch {
    paths: Vec<f64>,
    season: Vec<f64>,
}

thread_local! {
    static SIM_SCRATCH: RefCell<SimScratch> = RefCell::new(SimScratch::default());
}

fn simulate(
    spec: &EtsSpec,
    p: &SmoothingParams,
    sigma2: f64,
    state: (f64, f64, &[f64], usize),
    out: &mut Forecast,
) -> Result<()> {
    let normal = Normal::new(0.0, sigma2.sqrt())
        .map_err(|e| Error::model("ets", format!("simulation: {e}")))?;
    SIM_SCRATCH.with(|cell| {
        let mut guard = cell.borrow_mut();
        let SimScratch { paths, season } = &mut *guard;
        simulate_with(spec, p, &normal, state, out, paths, season);
    });
    Ok(())
}

fn simulate_with(
    spec: &EtsSpec,
    p: &SmoothingParams,
    normal: &Normal<f64>,
    state: (f64, f64, &[f64], usize),
    out: &mut Forecast,
    paths: &mut Vec<f64>,
    season: &mut Vec<f64>,
) {
    let h_max = out.point.len();
    let k = Kernel::new(spec, p);
    let mut rng = ChaCha8Rng::seed_from_u64(SIMULATION_SEED);
    let np = SIMULATION_PATHS;
    paths.clear();
    paths.resize(h_max * np, 0.0);
    season.clear();
    season.extend_from_slice(state.2);
    let mut one = [0.0];
    for path in 0..np {
        season.copy_from_slice(state.2);
        let (mut l, mut b, mut pos) = (state.0, state.1, state.3);
        for h in 0..h_max {
            k.forecast(l, b, season, pos, &mut one);
            let e = normal.sample(&mut rng);
            let y = match spec.error {
                ErrorType::Additive => one[0] + e,
                ErrorType::Multiplicative => one[0] * (1.0 + e),
            };
            paths[h * np + path] = y;
            k.run(&mut l, &mut b, season, &mut pos, &[y], |_, _| {});
        }
    }
    for h in 0..h_max {
        let col = &mut paths[h * np..(h + 1) * np];
        for iv in out.intervals.iter_mut() {
            let a = (100.0 - iv.level) / 200.0;
            iv.lower[h] = quantile7(col, a);
            iv.upper[h] = quantile7(col, 1.0 - a);
        }
    }
}

/// R's default (type 7) quantile of `v` at probability `q`, by selection (`O(n)`, reorders
/// `v`; the value is the one sorting would give).
fn quantile7(v: &mut [f64], q: f64) -> f64 {
    let n = v.len();
    let hpos = (n - 1) as f64 * q;
    let lo = (hpos.floor() as usize).min(n - 1);
    let frac = hpos - lo as f64;
    let (_, &mut at, above) = v.select_nth_unstable_by(lo, f64::total_cmp);
    if frac == 0.0 || above.is_empty() {
        return at;
    }
    let next = above.iter().copied().fold(f64::INFINITY, f64::min);
    at + frac * (next - at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ets::spec::Trend;

    /// The test vector of the algorithm notes (§4.5): AAA, α=0.3, β=0.1, γ=0.2, m=4.
    #[test]
    fn class1_test_vector() {
        let spec =
            EtsSpec::new(ErrorType::Additive, Trend::Additive, Seasonal::Additive, 4).unwrap();
        let p = SmoothingParams {
            alpha: 0.3,
            beta: 0.1,
            gamma: 0.2,
            phi: 1.0,
        };
        let c: Vec<f64> = (1..=5).map(|j| c_j(&spec, &p, j, j as f64)).collect();
        let want = [0.4, 0.5, 0.6, 0.9, 0.8];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
        let mut f = Forecast::default();
        f.reset(0, 1, 6, &[95.0]).unwrap();
        let season = [0.0; 4];
        fill(&spec, &p, 1.0, (0.0, 0.0, &season, 0), &mut f).unwrap();
        let z = normal_z(95.0);
        let rel: Vec<f64> = f.intervals[0]
            .upper
            .iter()
            .map(|u| (u / z).powi(2))
            .collect();
        let want = [1.0, 1.16, 1.41, 1.77, 2.58, 3.22];
        for (a, b) in rel.iter().zip(want) {
            assert!((a - b).abs() < 1e-9, "{rel:?}");
        }
        // FPP3 closed form for AAA at h = 5, 6.
        for h in [5.0f64, 6.0] {
            let k = ((h - 1.0) / 4.0).floor();
            let (a, b, g, m) = (0.3, 0.1, 0.2, 4.0);
            let v = 1.0
                + (h - 1.0) * (a * a + a * b * h + b * b * h * (2.0 * h - 1.0) / 6.0)
                + g * k * (2.0 * a + g + b * m * (k + 1.0));
            assert!((v - rel[h as usize - 1]).abs() < 1e-9);
        }
    }
}
