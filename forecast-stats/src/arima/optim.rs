//! A BFGS minimiser with central-difference gradients, after R's `optim(method = "BFGS")`
//! (`vmmin`: backtracking line search with Armijo test, inverse-Hessian updates, restarts),
//! which is what R's `arima` uses. Hand-written to keep the exact control flow and to avoid
//! per-iteration allocations in the hot loop of auto-ARIMA.

/// Options of [`bfgs`].
#[derive(Debug, Clone, Copy)]
pub struct BfgsOptions {
    /// Maximum number of iterations (gradient evaluations).
    pub maxit: usize,
    /// Relative convergence tolerance on the objective.
    pub reltol: f64,
    /// Finite-difference step for the gradient (in scaled units).
    pub ndeps: f64,
}

impl Default for BfgsOptions {
    fn default() -> Self {
        BfgsOptions {
            maxit: 100,
            reltol: 1.490_116_119_384_765_6e-8,
            ndeps: 1e-3,
        }
    }
}

/// Result of [`bfgs`].
#[derive(Debug, Clone)]
pub struct BfgsResult {
    /// The minimiser found.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Number of iterations used.
    pub iterations: usize,
}

fn gradient(f: &mut impl FnMut(&[f64]) -> f64, x: &mut [f64], eps: f64, g: &mut [f64]) {
    for i in 0..x.len() {
        let xi = x[i];
        x[i] = xi + eps;
        let fp = f(x);
        x[i] = xi - eps;
        let fm = f(x);
        x[i] = xi;
        g[i] = (fp - fm) / (2.0 * eps);
    }
}

/// Minimises `f` from `x0`. Non-finite objective values are treated as rejected steps.
pub fn bfgs(mut f: impl FnMut(&[f64]) -> f64, x0: &[f64], opt: BfgsOptions) -> BfgsResult {
    let n = x0.len();
    let mut b = x0.to_vec();
    let mut fmin = f(&b);
    if n == 0 || !fmin.is_finite() {
        return BfgsResult {
            x: b,
            value: fmin,
            iterations: 0,
        };
    }
    let (stepredn, acctol, reltest) = (0.2, 1e-4, 10.0);
    let mut g = vec![0.0; n];
    gradient(&mut f, &mut b, opt.ndeps, &mut g);
    let mut hinv = vec![0.0; n * n];
    let mut t = vec![0.0; n];
    let mut xs = vec![0.0; n];
    let mut c = vec![0.0; n];
    let mut iter = 1usize;
    let mut gradcount = 1usize;
    let mut ilast = gradcount;
    loop {
        if g.iter().any(|v| !v.is_finite()) {
            break;
        }
        if ilast == gradcount {
            hinv.fill(0.0);
            for i in 0..n {
                hinv[i * n + i] = 1.0;
            }
        }
        xs.copy_from_slice(&b);
        c.copy_from_slice(&g);
        let mut gradproj = 0.0;
        for i in 0..n {
            let s: f64 = -(0..n).map(|j| hinv[i * n + j] * g[j]).sum::<f64>();
            t[i] = s;
            gradproj += s * g[i];
        }
        let mut count;
        if gradproj < 0.0 {
            let mut steplength = 1.0;
            let mut accpoint = false;
            let mut fval = fmin;
            loop {
                count = 0;
                for i in 0..n {
                    b[i] = xs[i] + steplength * t[i];
                    if reltest + xs[i] == reltest + b[i] {
                        count += 1;
                    }
                }
                if count < n {
                    fval = f(&b);
                    accpoint = fval.is_finite() && fval <= fmin + gradproj * steplength * acctol;
                    if !accpoint {
                        steplength *= stepredn;
                    }
                }
                if count == n || accpoint {
                    break;
                }
            }
            let enough = (fval - fmin).abs() > opt.reltol * (fmin.abs() + opt.reltol);
            if !enough {
                count = n;
                if fval.is_finite() && fval < fmin {
                    fmin = fval;
                } else {
                    b.copy_from_slice(&xs);
                }
            }
            if count < n {
                fmin = fval;
                gradient(&mut f, &mut b, opt.ndeps, &mut g);
                gradcount += 1;
                iter += 1;
                let mut d1 = 0.0;
                for i in 0..n {
                    t[i] *= steplength;
                    c[i] = g[i] - c[i];
                    d1 += t[i] * c[i];
                }
                if d1 > 0.0 {
                    let mut d2 = 0.0;
                    for i in 0..n {
                        let s: f64 = (0..n).map(|j| hinv[i * n + j] * c[j]).sum();
                        xs[i] = s;
                        d2 += s * c[i];
                    }
                    d2 = 1.0 + d2 / d1;
                    for i in 0..n {
                        for j in 0..n {
                            hinv[i * n + j] +=
                                (d2 * t[i] * t[j] - xs[i] * t[j] - t[i] * xs[j]) / d1;
                        }
                    }
                } else {
                    ilast = gradcount;
                }
            } else if ilast < gradcount {
                count = 0;
                ilast = gradcount;
            }
        } else {
            count = 0;
            if ilast == gradcount {
                count = n;
            } else {
                ilast = gradcount;
            }
        }
        if iter >= opt.maxit {
            break;
        }
        if gradcount - ilast > 2 * n {
            ilast = gradcount;
        }
        if count == n && ilast == gradcount {
            break;
        }
    }
    BfgsResult {
        x: b,
        value: fmin,
        iterations: iter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let f = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let r = bfgs(
            f,
            &[-1.2, 1.0],
            BfgsOptions {
                maxit: 500,
                reltol: 1e-12,
                ndeps: 1e-6,
            },
        );
        assert!(
            (r.x[0] - 1.0).abs() < 1e-3 && (r.x[1] - 1.0).abs() < 1e-3,
            "{:?}",
            r
        );
    }
}
