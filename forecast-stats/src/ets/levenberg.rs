//! A small box-constrained Levenberg–Marquardt least-squares solver (forward-difference
//! Jacobian, projected steps), used to polish the Nelder–Mead optimum of the non-linear
//! models. Both objectives are sums of squares: the SSE, and R's ETS likelihood
//! `n ln Σe² + 2Σ ln|ŷ|`, which equals `n ln Σ (e_t·G)²` with `G` the geometric mean of `|ŷ|`.

/// Minimises `Σ r(x)²` from `x0` within `[lo, hi]`; `res` fills the residuals and returns
/// false where the model is not admissible. Returns the best point and its sum of squares.
pub(crate) fn minimize_lsq(
    mut res: impl FnMut(&[f64], &mut [f64]) -> bool,
    n_res: usize,
    x0: &[f64],
    lo: &[f64],
    hi: &[f64],
    max_iter: usize,
) -> (Vec<f64>, f64) {
    let d = x0.len();
    let mut x = x0.to_vec();
    let mut r = vec![0.0; n_res];
    if !res(&x, &mut r) {
        return (x, f64::INFINITY);
    }
    let ss = |r: &[f64]| r.iter().map(|v| v * v).sum::<f64>();
    let mut f = ss(&r);
    if !f.is_finite() {
        return (x, f64::INFINITY);
    }
    let mut jac = vec![0.0; n_res * d];
    let mut rt = vec![0.0; n_res];
    let mut a = vec![0.0; d * d];
    let mut g = vec![0.0; d];
    let mut xt = x.clone();
    let mut lambda = 1e-3;
    for _ in 0..max_iter {
        // Jacobian (column i in jac[i*n..]).
        for i in 0..d {
            let h0 = 1e-7 * x[i].abs().max(1e-3);
            let mut h = h0;
            xt.copy_from_slice(&x);
            if xt[i] + h > hi[i] {
                h = -h0;
            }
            xt[i] += h;
            let col = &mut jac[i * n_res..(i + 1) * n_res];
            if !res(&xt, &mut rt) {
                col.iter_mut().for_each(|v| *v = 0.0);
                continue;
            }
            for t in 0..n_res {
                col[t] = (rt[t] - r[t]) / h;
            }
        }
        for i in 0..d {
            let ci = &jac[i * n_res..(i + 1) * n_res];
            g[i] = ci.iter().zip(&r).map(|(a, b)| a * b).sum();
            for j in 0..=i {
                let cj = &jac[j * n_res..(j + 1) * n_res];
                let v: f64 = ci.iter().zip(cj).map(|(a, b)| a * b).sum();
                a[i * d + j] = v;
                a[j * d + i] = v;
            }
        }
        let mut improved = false;
        while lambda < 1e12 {
            let mut m = a.clone();
            for i in 0..d {
                m[i * d + i] += lambda * a[i * d + i].max(1e-12);
            }
            let mut step: Vec<f64> = g.iter().map(|v| -v).collect();
            if !solve(&mut m, &mut step, d) {
                lambda *= 10.0;
                continue;
            }
            for i in 0..d {
                xt[i] = (x[i] + step[i]).clamp(lo[i], hi[i]);
            }
            if res(&xt, &mut rt) {
                let ft = ss(&rt);
                if ft.is_finite() && ft < f {
                    let rel = (f - ft) / f.max(1e-300);
                    x.copy_from_slice(&xt);
                    r.copy_from_slice(&rt);
                    f = ft;
                    lambda = (lambda / 5.0).max(1e-12);
                    improved = rel > 1e-13;
                    break;
                }
            }
            lambda *= 5.0;
        }
        if !improved {
            break;
        }
    }
    (x, f)
}

/// Gaussian elimination with partial pivoting; false if singular.
fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))
            .unwrap_or(c);
        if a[p * n + c] == 0.0 || !a[p * n + c].is_finite() {
            return false;
        }
        if p != c {
            for k in 0..n {
                a.swap(p * n + k, c * n + k);
            }
            b.swap(p, c);
        }
        for i in c + 1..n {
            let f = a[i * n + c] / a[c * n + c];
            if f != 0.0 {
                for k in c..n {
                    a[i * n + k] -= f * a[c * n + k];
                }
                b[i] -= f * b[c];
            }
        }
    }
    for c in (0..n).rev() {
        let mut s = b[c];
        for k in c + 1..n {
            s -= a[c * n + k] * b[k];
        }
        b[c] = s / a[c * n + c];
    }
    b.iter().all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_an_exponential_curve() {
        let t: Vec<f64> = (0..20).map(|i| i as f64 / 4.0).collect();
        let y: Vec<f64> = t.iter().map(|t| 3.0 * (-0.7 * t).exp()).collect();
        let (x, f) = minimize_lsq(
            |p, r| {
                for (i, ti) in t.iter().enumerate() {
                    r[i] = p[0] * (-p[1] * ti).exp() - y[i];
                }
                true
            },
            20,
            &[1.0, 0.1],
            &[0.0, 0.0],
            &[10.0, 0.5],
            200,
        );
        // The rate is capped at 0.5 by the box.
        assert!((x[1] - 0.5).abs() < 1e-12, "{x:?} {f}");
        let (x, _) = minimize_lsq(
            |p, r| {
                for (i, ti) in t.iter().enumerate() {
                    r[i] = p[0] * (-p[1] * ti).exp() - y[i];
                }
                true
            },
            20,
            &[1.0, 0.1],
            &[0.0, 0.0],
            &[10.0, 2.0],
            200,
        );
        assert!(
            (x[0] - 3.0).abs() < 1e-6 && (x[1] - 0.7).abs() < 1e-6,
            "{x:?}"
        );
    }
}
