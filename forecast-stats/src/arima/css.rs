//! Conditional sum of squares (R `arima(method = "CSS")`), on the differenced series.

/// CSS residual variance `SSR/ν` for the differenced series `w` with expanded AR `phi` and MA
/// `theta`: residuals start after the first `len(phi)` points of `w` (R's `ncond` minus the
/// differencing), earlier residuals are 0. Returns `(σ²_CSS, ν)`; `ν = 0` when `w` is too short.
pub fn css_sigma2(w: &[f64], phi: &[f64], theta: &[f64], resid: &mut Vec<f64>) -> (f64, usize) {
    let n = w.len();
    let start = phi.len();
    resid.clear();
    resid.resize(n, 0.0);
    if n <= start {
        return (f64::NAN, 0);
    }
    let phi_nz = super::polynomial::sparse(phi);
    let th_nz = super::polynomial::sparse(theta);
    let mut ssq = 0.0;
    for t in start..n {
        let mut e = w[t];
        for &(lag, c) in &phi_nz {
            e -= c * w[t - lag];
        }
        for &(lag, c) in &th_nz {
            if lag > t - start {
                break;
            }
            e -= c * resid[t - lag];
        }
        resid[t] = e;
        ssq += e * e;
    }
    let nu = n - start;
    (ssq / nu as f64, nu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar1_css() {
        let w = [1.0, 2.0, 1.0, 0.0];
        let mut r = Vec::new();
        let (s2, nu) = css_sigma2(&w, &[0.5], &[], &mut r);
        assert_eq!(nu, 3);
        // residuals 1.5, 0, -0.5
        assert!((s2 - (2.25 + 0.25) / 3.0).abs() < 1e-15);
    }
}
