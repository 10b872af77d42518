//! A box-bounded Nelder–Mead minimiser with restarts (hand-written; R `optim` coefficients).
//!
//! Reflection 1, expansion 2, contraction 0.5, shrink 0.5. Points outside the box score
//! `+∞` without calling the objective. The simplex is rebuilt around the best point after
//! each convergence until a restart no longer improves by more than `reltol` (restarting is
//! the standard cure for Nelder–Mead's premature collapse in many dimensions).

/// Options of [`minimize`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct NmOptions {
    /// Relative convergence tolerance on the simplex' spread of values.
    pub reltol: f64,
    /// Iteration limit per run.
    pub max_iter: usize,
    /// Number of restarts after the first convergence.
    pub restarts: usize,
}

impl Default for NmOptions {
    fn default() -> Self {
        NmOptions {
            reltol: 1e-10,
            max_iter: 4000,
            restarts: 6,
        }
    }
}

/// Result of [`minimize`].
#[derive(Debug, Clone)]
pub(crate) struct NmResult {
    /// Best point.
    pub x: Vec<f64>,
    /// Its value.
    pub f: f64,
}

fn inside(x: &[f64], lo: &[f64], hi: &[f64]) -> bool {
    x.iter()
        .zip(lo.iter().zip(hi))
        .all(|(v, (l, h))| *v >= *l && *v <= *h)
}

/// Minimises `f` from `x0` with initial steps `step`, keeping `lo ≤ x ≤ hi`.
pub(crate) fn minimize(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    step: &[f64],
    lo: &[f64],
    hi: &[f64],
    opts: NmOptions,
) -> NmResult {
    let n = x0.len();
    let mut best_x: Vec<f64> = x0
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(v, (l, h))| v.clamp(*l, *h))
        .collect();
    let mut best_f = f(&best_x);
    if n == 0 {
        return NmResult {
            x: best_x,
            f: best_f,
        };
    }
    let mut eval = |x: &[f64]| -> f64 {
        if inside(x, lo, hi) {
            let v = f(x);
            if v.is_nan() { f64::INFINITY } else { v }
        } else {
            f64::INFINITY
        }
    };
    for round in 0..=opts.restarts {
        let scale = if round == 0 { 1.0 } else { 0.5 };
        let (x, fx) = run_once(&mut eval, &best_x, best_f, step, scale, lo, hi, opts);
        let improved = best_f - fx;
        if fx < best_f {
            best_x = x;
            best_f = fx;
        }
        if round > 0
            && (improved.is_nan() || improved <= opts.reltol * (best_f.abs() + opts.reltol))
        {
            break;
        }
    }
    NmResult {
        x: best_x,
        f: best_f,
    }
}

#[allow(clippy::too_many_arguments)]
fn run_once(
    eval: &mut impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    f0: f64,
    step: &[f64],
    scale: f64,
    lo: &[f64],
    hi: &[f64],
    opts: NmOptions,
) -> (Vec<f64>, f64) {
    let n = x0.len();
    let mut pts: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut vals: Vec<f64> = Vec::with_capacity(n + 1);
    pts.push(x0.to_vec());
    vals.push(f0);
    for i in 0..n {
        let mut x = x0.to_vec();
        let s = step[i] * scale;
        x[i] += s;
        if x[i] > hi[i] {
            x[i] = x0[i] - s;
            if x[i] < lo[i] {
                x[i] = 0.5 * (lo[i] + hi[i]);
            }
        }
        vals.push(eval(&x));
        pts.push(x);
    }
    let mut c = vec![0.0; n];
    let mut xr = vec![0.0; n];
    let mut xe = vec![0.0; n];
    let mut order: Vec<usize> = (0..=n).collect();
    for _ in 0..opts.max_iter {
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        let (il, ih, is) = (order[0], order[n], order[n - 1]);
        let (fl, fh, fs) = (vals[il], vals[ih], vals[is]);
        if fh.is_finite() && fh - fl <= opts.reltol * (fl.abs() + opts.reltol) {
            break;
        }
        c.iter_mut().for_each(|v| *v = 0.0);
        for &k in &order[..n] {
            for (ci, pi) in c.iter_mut().zip(&pts[k]) {
                *ci += pi / n as f64;
            }
        }
        for i in 0..n {
            xr[i] = c[i] + (c[i] - pts[ih][i]);
        }
        let fr = eval(&xr);
        if fr < fl {
            for i in 0..n {
                xe[i] = c[i] + 2.0 * (c[i] - pts[ih][i]);
            }
            let fe = eval(&xe);
            if fe < fr {
                pts[ih].copy_from_slice(&xe);
                vals[ih] = fe;
            } else {
                pts[ih].copy_from_slice(&xr);
                vals[ih] = fr;
            }
            continue;
        }
        if fr < fs {
            pts[ih].copy_from_slice(&xr);
            vals[ih] = fr;
            continue;
        }
        // Contraction (outside if the reflection helped a little, inside otherwise).
        let outside = fr < fh;
        for i in 0..n {
            xe[i] = if outside {
                c[i] + 0.5 * (xr[i] - c[i])
            } else {
                c[i] + 0.5 * (pts[ih][i] - c[i])
            };
        }
        let fc = eval(&xe);
        if (outside && fc <= fr) || (!outside && fc < fh) {
            pts[ih].copy_from_slice(&xe);
            vals[ih] = fc;
            continue;
        }
        // Shrink towards the best point.
        let best = pts[il].clone();
        for k in 0..=n {
            if k == il {
                continue;
            }
            for i in 0..n {
                pts[k][i] = best[i] + 0.5 * (pts[k][i] - best[i]);
            }
            vals[k] = eval(&pts[k]);
        }
    }
    let (k, &fbest) = vals
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .expect("simplex is non-empty");
    (pts[k].clone(), fbest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_bounded_minimum() {
        let f = |x: &[f64]| (x[0] - 0.3).powi(2) + 10.0 * (x[1] + 2.0).powi(2);
        let r = minimize(
            f,
            &[0.5, 0.5],
            &[0.1, 0.1],
            &[0.0, -1.0],
            &[1.0, 1.0],
            NmOptions::default(),
        );
        assert!((r.x[0] - 0.3).abs() < 1e-4, "{:?}", r.x);
        assert!((r.x[1] + 1.0).abs() < 1e-4, "{:?}", r.x);
    }
}
