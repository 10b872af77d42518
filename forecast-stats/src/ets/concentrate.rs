//! Exact least-squares initial states for the linear models (additive error, no
//! multiplicative season).
//!
//! For fixed smoothing parameters the one-step forecasts of a linear ETS model are affine in
//! the initial state `x0`: `ŷ(x0; y) = ŷ(0; y) + ŷ(x0; 0)`. So the SSE-optimal `x0` (which is
//! also likelihood-optimal, `lik = n ln SSE`) solves a linear least-squares problem whose
//! columns are the responses of the recursion, run on zero data, to a unit level, a unit
//! trend and unit seasonal states. The response to seasonal slot `j` is the response to slot
//! 0 delayed by `j` steps (the recursion is time invariant and nothing moves before the slot
//! is first used), so three runs give every column, and the Gram matrix comes from lagged
//! partial products in `O(n·m + m³)`, which keeps `m = 288` affordable. Seasonal states are
//! constrained to sum to zero (the level/season shift is otherwise unidentified).

use super::ets_filter::{Kernel, PassStats, pass};
use super::spec::{EtsSpec, EtsState, SmoothingParams};

/// Reusable buffers for [`Concentrator::solve`].
#[derive(Debug, Default)]
pub(crate) struct Concentrator {
    zeros: Vec<f64>,
    e0: Vec<f64>,
    zl: Vec<f64>,
    zb: Vec<f64>,
    z0: Vec<f64>,
    season: Vec<f64>,
    gram: Vec<f64>,
    rhs: Vec<f64>,
    uu: Vec<f64>,
    ul: Vec<f64>,
    ub: Vec<f64>,
    ue: Vec<f64>,
    end: Option<EtsState>,
}

fn response(
    k: &Kernel,
    init: (f64, f64, usize),
    m: usize,
    y: &[f64],
    season: &mut Vec<f64>,
    out: &mut Vec<f64>,
) {
    season.clear();
    season.resize(m.max(1), 0.0);
    let (mut l, mut b) = (init.0, init.1);
    if init.2 < usize::MAX {
        season[init.2] = 1.0;
    }
    let mut pos = 0;
    out.clear();
    out.resize(y.len(), 0.0);
    k.run(&mut l, &mut b, season, &mut pos, y, |i, yh| out[i] = yh);
}

fn dot_lag(a: &[f64], b: &[f64], lag: usize) -> f64 {
    // Σ_u a[u] b[u + lag]
    a.iter().zip(&b[lag..]).map(|(x, y)| x * y).sum()
}

impl Concentrator {
    /// The SSE-optimal initial state of the linear model `spec` with parameters `p` on `y`,
    /// and the statistics of the pass from it. `None` when the normal equations are singular
    /// beyond repair or the result is not finite.
    pub(crate) fn solve(
        &mut self,
        spec: &EtsSpec,
        p: &SmoothingParams,
        y: &[f64],
    ) -> Option<(EtsState, PassStats)> {
        debug_assert!(spec.is_linear());
        let n = y.len();
        let m = spec.m();
        let k = Kernel::new(spec, p);
        let has_b = spec.trend.is_some();
        let has_s = spec.seasonal.is_some();
        self.zeros.clear();
        self.zeros.resize(n, 0.0);
        // Residuals from the zero state.
        response(
            &k,
            (0.0, 0.0, usize::MAX),
            m,
            y,
            &mut self.season,
            &mut self.e0,
        );
        for (e, yi) in self.e0.iter_mut().zip(y) {
            *e = yi - *e;
        }
        let zeros = std::mem::take(&mut self.zeros);
        response(
            &k,
            (1.0, 0.0, usize::MAX),
            m,
            &zeros,
            &mut self.season,
            &mut self.zl,
        );
        if has_b {
            response(
                &k,
                (0.0, 1.0, usize::MAX),
                m,
                &zeros,
                &mut self.season,
                &mut self.zb,
            );
        }
        if has_s {
            response(&k, (0.0, 0.0, 0), m, &zeros, &mut self.season, &mut self.z0);
        }
        self.zeros = zeros;
        let ns = if has_s { m - 1 } else { 0 };
        let kk = 1 + usize::from(has_b) + ns;
        let ib = 1;
        let is0 = 1 + usize::from(has_b);
        self.gram.clear();
        self.gram.resize(kk * kk, 0.0);
        self.rhs.clear();
        self.rhs.resize(kk, 0.0);
        let (zl, zb, z0, e0) = (&self.zl, &self.zb, &self.z0, &self.e0);
        let g = &mut self.gram;
        g[0] = dot_lag(zl, zl, 0);
        self.rhs[0] = dot_lag(zl, e0, 0);
        if has_b {
            g[ib * kk + ib] = dot_lag(zb, zb, 0);
            g[ib] = dot_lag(zl, zb, 0);
            g[ib * kk] = g[ib];
            self.rhs[ib] = dot_lag(zb, e0, 0);
        }
        if has_s {
            // U_j · X = Σ_u z0[u] X[u + j].
            self.ul.clear();
            self.ub.clear();
            self.ue.clear();
            for j in 0..m {
                let z = &z0[..n - j];
                self.ul.push(dot_lag(z, zl, j));
                self.ue.push(dot_lag(z, e0, j));
                if has_b {
                    self.ub.push(dot_lag(z, zb, j));
                }
            }
            // uu[d*m + k] = U_i·U_j with d = |i−j|, k = max(i, j) (k ≥ d).
            self.uu.clear();
            self.uu.resize(m * m, 0.0);
            for d in 0..m {
                let mut a = dot_lag(&z0[..n - d], z0, d);
                self.uu[d * m + d] = a;
                for kmax in d + 1..m {
                    let u = n - kmax;
                    a -= z0[u] * z0[u + d];
                    self.uu[d * m + kmax] = a;
                }
            }
            let uu = |i: usize, j: usize| -> f64 {
                let (d, km) = if i > j { (i - j, i) } else { (j - i, j) };
                self.uu[d * m + km]
            };
            let u00 = uu(0, 0);
            for i in 1..m {
                let ri = is0 + i - 1;
                self.rhs[ri] = self.ue[i] - self.ue[0];
                let gl = self.ul[i] - self.ul[0];
                g[ri] = gl;
                g[ri * kk] = gl;
                if has_b {
                    let gb = self.ub[i] - self.ub[0];
                    g[ib * kk + ri] = gb;
                    g[ri * kk + ib] = gb;
                }
                let ui0 = uu(i, 0);
                for j in 1..=i {
                    let rj = is0 + j - 1;
                    let v = uu(i, j) - ui0 - uu(0, j) + u00;
                    g[ri * kk + rj] = v;
                    g[rj * kk + ri] = v;
                }
            }
        }
        let c = solve_spd(&mut self.gram, &mut self.rhs, kk)?;
        let mut init = EtsState {
            level: c[0],
            trend: if has_b { c[ib] } else { 0.0 },
            season: vec![0.0; m.max(1)],
            pos: 0,
        };
        if has_s {
            let mut sum = 0.0;
            for j in 1..m {
                init.season[j] = c[is0 + j - 1];
                sum += init.season[j];
            }
            init.season[0] = -sum;
        }
        if !(init.level.is_finite() && init.trend.is_finite())
            || init.season.iter().any(|v| !v.is_finite())
        {
            return None;
        }
        let mut end = self.end.take().unwrap_or(EtsState {
            level: 0.0,
            trend: 0.0,
            season: Vec::new(),
            pos: 0,
        });
        let stats = pass(spec, p, &init, y, &mut end, None);
        self.end = Some(end);
        Some((init, stats))
    }
}

/// Solves `A x = b` for a symmetric positive semi-definite `A` (row-major `k×k`) by Cholesky
/// with a growing ridge; the solution is left in and returned from `b`.
fn solve_spd<'a>(a: &mut [f64], b: &'a mut [f64], k: usize) -> Option<&'a [f64]> {
    let orig: Vec<f64> = a.to_vec();
    let trace = (0..k).map(|i| orig[i * k + i].abs()).sum::<f64>() / k as f64;
    let scale = if trace > 0.0 { trace } else { 1.0 };
    for ridge in [0.0, 1e-12, 1e-9, 1e-6] {
        a.copy_from_slice(&orig);
        for i in 0..k {
            a[i * k + i] += ridge * scale;
        }
        if cholesky(a, k) {
            // Forward then backward substitution.
            let mut x: Vec<f64> = b.to_vec();
            for i in 0..k {
                let mut s = x[i];
                for j in 0..i {
                    s -= a[i * k + j] * x[j];
                }
                x[i] = s / a[i * k + i];
            }
            for i in (0..k).rev() {
                let mut s = x[i];
                for j in i + 1..k {
                    s -= a[j * k + i] * x[j];
                }
                x[i] = s / a[i * k + i];
            }
            if x.iter().all(|v| v.is_finite()) {
                b.copy_from_slice(&x);
                return Some(b);
            }
        }
    }
    None
}

/// In-place lower Cholesky factor; false when not positive definite.
fn cholesky(a: &mut [f64], k: usize) -> bool {
    for j in 0..k {
        let mut d = a[j * k + j];
        for p in 0..j {
            d -= a[j * k + p] * a[j * k + p];
        }
        if d.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= a[i * k + p] * a[j * k + p];
            }
            a[i * k + j] = s / d;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ets::spec::{ErrorType, Seasonal, Trend};

    #[test]
    fn recovers_the_generating_initial_state() {
        let spec = EtsSpec::new(
            ErrorType::Additive,
            Trend::AdditiveDamped,
            Seasonal::Additive,
            5,
        )
        .unwrap();
        let p = SmoothingParams {
            alpha: 0.3,
            beta: 0.05,
            gamma: 0.1,
            phi: 0.9,
        };
        let truth = EtsState {
            level: 10.0,
            trend: 0.7,
            season: vec![1.0, -2.0, 0.5, 0.25, 0.25],
            pos: 0,
        };
        // Data generated by the model itself with zero innovations: SSE must reach ~0.
        let k = Kernel::new(&spec, &p);
        let (mut l, mut b, mut s, mut pos) = (truth.level, truth.trend, truth.season.clone(), 0);
        let mut y = vec![0.0; 40];
        for t in 0..40 {
            let mut f = [0.0];
            k.forecast(l, b, &s, pos, &mut f);
            y[t] = f[0];
            k.run(&mut l, &mut b, &mut s, &mut pos, &y[t..t + 1], |_, _| {});
        }
        let mut c = Concentrator::default();
        let (init, st) = c.solve(&spec, &p, &y).unwrap();
        assert!(st.sse < 1e-12, "sse {}", st.sse);
        assert!((init.level - 10.0).abs() < 1e-6);
        for j in 0..5 {
            assert!((init.season[j] - truth.season[j]).abs() < 1e-6, "{init:?}");
        }
    }
}
