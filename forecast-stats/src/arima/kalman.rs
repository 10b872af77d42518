//! Exact Gaussian likelihood of a stationary ARMA series by the Kalman filter (R's
//! `ARIMA_Like` on the differenced series, σ² concentrated out), run in `O(r)` per step
//! and `O(r)` memory with the Chandrasekhar recursions (Morf, Sidhu & Kailath 1974).
//!
//! State space (Harvey form): `r = max(p', q'+1)`, transition `T` with first column `φ̃` and
//! ones on the super-diagonal, disturbance loading `R = (1, θ̃_1, …, θ̃_{r−1})`, `Z = e₁`,
//! stationary initial covariance `P₁ = P₀` (`P₀ = T P₀ Tᵀ + R Rᵀ`).
//!
//! Because the system is time-invariant and starts at the stationary `P₀`, the covariance
//! increments have rank one: `P_{t+1} − P_t = M_t Y_t Y_tᵀ` with a scalar `M_t` and a vector
//! `Y_t`. Writing `c_t = P_t Z'` (the first column of the predicted covariance),
//! `F_t = c_t[0]`, and with `y₀ = Y_t[0]`:
//! `F_{t+1} = F_t + M_t y₀²`, `c_{t+1} = c_t + M_t y₀ Y_t`,
//! `Y_{t+1} = T (Y_t − (y₀/F_t) c_t)`, `M_{t+1} = M_t F_t / F_{t+1}`,
//! starting from `c₁ = P₀e₁`, `Y₁ = T c₁`, `M₁ = −1/F₁` (since `P₂ − P₁ = −T c₁ c₁ᵀ Tᵀ / F₁`).
//! The state update is the usual `a_{t|t} = a_{t|t−1} + c_t v_t / F_t`, `a_{t+1|t} = T a_{t|t}`.
//! No `r×r` matrix is ever formed, so `m = 288` seasonal models cost ~300 numbers of state.

use super::polynomial::sparse;
use super::stationary::first_row;

/// Sums produced by the filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Likelihood {
    /// `Σ v_t² / F_t`.
    pub ssq: f64,
    /// `Σ ln F_t`.
    pub sumlog: f64,
    /// Number of observations used.
    pub nu: usize,
}

impl Likelihood {
    /// R's concentrated objective `½(ln(ssq/ν) + sumlog/ν)`.
    pub fn objective(&self) -> f64 {
        let nu = self.nu as f64;
        0.5 * ((self.ssq / nu).ln() + self.sumlog / nu)
    }

    /// `σ̂² = ssq/ν`.
    pub fn sigma2(&self) -> f64 {
        self.ssq / self.nu as f64
    }

    /// Gaussian log-likelihood `−½(ν ln(2πσ̂²) + sumlog + ν)`.
    pub fn loglik(&self) -> f64 {
        let nu = self.nu as f64;
        -0.5 * (nu * (2.0 * std::f64::consts::PI * self.sigma2()).ln() + self.sumlog + nu)
    }
}

/// `v ← T v` for the companion transition (first column `phi`, super-diagonal ones).
#[inline]
fn apply_t(v: &mut [f64], phi_nz: &[(usize, f64)]) {
    let v0 = v[0];
    v.copy_within(1.., 0);
    let r = v.len();
    v[r - 1] = 0.0;
    for &(lag, c) in phi_nz {
        v[lag - 1] += c * v0;
    }
}

/// Runs the Kalman filter over `w` for the ARMA model (`phi`, `theta` expanded).
/// Optionally stores the standardized residuals `v_t/√F_t` and the final filtered state
/// `a_{n|n}` (length `r`). Returns `None` when the model is not stationary or the filter
/// breaks down.
pub fn filter(
    w: &[f64],
    phi: &[f64],
    theta: &[f64],
    mut resid: Option<&mut Vec<f64>>,
    final_state: Option<&mut Vec<f64>>,
) -> Option<Likelihood> {
    let r = phi.len().max(theta.len() + 1);
    let mut c = first_row(phi, theta, r)?;
    c.truncate(r);
    let phi_nz = sparse(phi);
    let mut y = c.clone();
    apply_t(&mut y, &phi_nz);
    let mut f = c[0];
    let mut mm = -1.0 / f;
    let mut a = vec![0.0; r];
    if let Some(res) = resid.as_deref_mut() {
        res.clear();
        res.reserve(w.len());
    }
    let (mut ssq, mut sumlog) = (0.0, 0.0);
    let mut converged = false;
    let last = w.len().saturating_sub(1);
    for (t, &wt) in w.iter().enumerate() {
        if !(f.is_finite() && f > 0.0) {
            return None;
        }
        let v = wt - a[0];
        let vf = v / f;
        for i in 0..r {
            a[i] += c[i] * vf;
        }
        ssq += v * vf;
        sumlog += f.ln();
        if let Some(res) = resid.as_deref_mut() {
            res.push(v / f.sqrt());
        }
        if t == last {
            break;
        }
        apply_t(&mut a, &phi_nz);
        if !converged {
            let y0 = y[0];
            let fnew = f + mm * y0 * y0;
            let g = y0 / f;
            let h = mm * y0;
            let mut ymax = 0.0f64;
            for i in 0..r {
                let (yi, ci) = (y[i], c[i]);
                y[i] = yi - g * ci;
                c[i] = ci + h * yi;
                ymax = ymax.max(y[i].abs());
            }
            apply_t(&mut y, &phi_nz);
            mm = mm * f / fnew;
            f = fnew;
            if mm.abs() * ymax * ymax < 1e-15 * f {
                converged = true;
            }
        }
    }
    if let Some(st) = final_state {
        st.clear();
        st.extend_from_slice(&a);
    }
    let lik = Likelihood {
        ssq,
        sumlog,
        nu: w.len(),
    };
    (lik.ssq.is_finite() && lik.sumlog.is_finite() && !w.is_empty()).then_some(lik)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arima::stationary::initial_covariance;

    /// AR(1): the exact likelihood has F_1 = 1/(1−φ²), then F = 1 and v_t = w_t − φ w_{t−1}.
    #[test]
    fn ar1_exact() {
        let w = [1.0, -0.5, 0.3, 2.0];
        let phi = 0.6;
        let lik = filter(&w, &[phi], &[], None, None).unwrap();
        let f1 = 1.0 / (1.0 - phi * phi);
        let mut ssq = w[0] * w[0] / f1;
        for t in 1..4 {
            let v: f64 = w[t] - phi * w[t - 1];
            ssq += v * v;
        }
        assert!((lik.ssq - ssq).abs() < 1e-12);
        assert!((lik.sumlog - f1.ln()).abs() < 1e-12);
    }

    /// The rank-one recursions agree with the textbook dense filter.
    #[test]
    fn chandrasekhar_matches_dense_filter() {
        let phi = [0.5, 0.0, 0.2, -0.1];
        let theta = [0.4, 0.0, -0.3];
        let w: Vec<f64> = (0..40)
            .map(|t| ((t * 37 % 11) as f64 - 5.0) * 0.3)
            .collect();
        let r = 4;
        let mut p = vec![0.0; r * r];
        assert!(initial_covariance(&phi, &theta, r, &mut p));
        let tm = |i: usize, j: usize| {
            if j == 0 {
                phi[i]
            } else if j == i + 1 {
                1.0
            } else {
                0.0
            }
        };
        let rv = [1.0, 0.4, 0.0, -0.3];
        let mut a = vec![0.0; r];
        let (mut ssq, mut sumlog) = (0.0, 0.0);
        for &wt in &w {
            let f = p[0];
            let v = wt - a[0];
            ssq += v * v / f;
            sumlog += f.ln();
            let k: Vec<f64> = (0..r).map(|i| p[i * r]).collect();
            for i in 0..r {
                a[i] += k[i] * v / f;
            }
            let mut pf = p.clone();
            for i in 0..r {
                for j in 0..r {
                    pf[i * r + j] -= k[i] * k[j] / f;
                }
            }
            let an: Vec<f64> = (0..r)
                .map(|i| (0..r).map(|j| tm(i, j) * a[j]).sum())
                .collect();
            a = an;
            for i in 0..r {
                for j in 0..r {
                    let mut s = rv[i] * rv[j];
                    for k2 in 0..r {
                        for l in 0..r {
                            s += tm(i, k2) * pf[k2 * r + l] * tm(j, l);
                        }
                    }
                    p[i * r + j] = s;
                }
            }
        }
        let lik = filter(&w, &phi, &theta, None, None).unwrap();
        assert!((lik.ssq - ssq).abs() < 1e-10 * ssq, "{} {}", lik.ssq, ssq);
        assert!(
            (lik.sumlog - sumlog).abs() < 1e-10,
            "{} {}",
            lik.sumlog,
            sumlog
        );
    }
}
