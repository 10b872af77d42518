//! Stationary initial state covariance `P₀` of the ARMA state space (the solution of
//! `P = T P Tᵀ + R Rᵀ`), computed in `O(r²)` plus one `(p'+1)`-sized linear solve for the
//! autocovariances, instead of Gardner et al.'s `O(r⁴)` system or an `O(r³)` doubling.
//!
//! With the Harvey state `α_t[i] = Σ_{k>i} φ_k w_{t+i−k} + Σ_{k≥i} θ_k ε_{t+i−k}` (θ₀ = 1),
//! the Lyapunov equation reads, element-wise,
//! `P_ij = φ_{i+1}φ_{j+1}γ₀ + φ_{i+1}P_{0,j+1} + φ_{j+1}P_{0,i+1} + P_{i+1,j+1} + θ_iθ_j`,
//! which is solved backwards from the last row once the first row
//! `P_{0k} = Σ_{l>k} φ_l γ_{l−k} + Σ_{l≥k} θ_l ψ_{l−k}` is known from the autocovariances γ
//! and the ψ-weights (σ² = 1).

/// ψ-weights `ψ_0..ψ_{len−1}` of the ARMA(φ, θ) process.
pub fn psi_weights(phi: &[f64], theta: &[f64], len: usize) -> Vec<f64> {
    let mut psi = vec![0.0; len];
    for j in 0..len {
        let mut v = if j == 0 {
            1.0
        } else {
            theta.get(j - 1).copied().unwrap_or(0.0)
        };
        for i in 1..=j.min(phi.len()) {
            v += phi[i - 1] * psi[j - i];
        }
        psi[j] = v;
    }
    psi
}

/// Autocovariances `γ_0..γ_{len−1}` of the ARMA(φ, θ) process with unit innovation variance;
/// `None` when the AR part is (numerically) non-stationary.
pub fn autocovariances(phi: &[f64], theta: &[f64], len: usize) -> Option<Vec<f64>> {
    let p = phi.len();
    let q = theta.len();
    let psi = psi_weights(phi, theta, q + 1);
    let th = |j: usize| if j == 0 { 1.0 } else { theta[j - 1] };
    // c_k = Σ_{j=k}^{q} θ_j ψ_{j−k}
    let c = |k: usize| (k..=q).map(|j| th(j) * psi[j - k]).sum::<f64>();
    let mut gamma = vec![0.0; len.max(p + 1)];
    if p == 0 {
        for (k, g) in gamma.iter_mut().enumerate() {
            *g = if k <= q { c(k) } else { 0.0 };
        }
        gamma.truncate(len);
        return Some(gamma);
    }
    let n = p + 1;
    let mut a = vec![0.0; n * n];
    let mut b: Vec<f64> = (0..n).map(c).collect();
    for k in 0..n {
        a[k * n + k] += 1.0;
        for i in 1..=p {
            let col = k.abs_diff(i);
            a[k * n + col] -= phi[i - 1];
        }
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..n {
        let piv =
            (col..n).max_by(|&x, &y| a[x * n + col].abs().total_cmp(&a[y * n + col].abs()))?;
        if a[piv * n + col].abs() < 1e-14 {
            return None;
        }
        if piv != col {
            for j in 0..n {
                a.swap(col * n + j, piv * n + j);
            }
            b.swap(col, piv);
        }
        let d = a[col * n + col];
        for row in col + 1..n {
            let f = a[row * n + col] / d;
            if f != 0.0 {
                for j in col..n {
                    a[row * n + j] -= f * a[col * n + j];
                }
                b[row] -= f * b[col];
            }
        }
    }
    for row in (0..n).rev() {
        let mut s = b[row];
        for j in row + 1..n {
            s -= a[row * n + j] * gamma[j];
        }
        gamma[row] = s / a[row * n + row];
    }
    for k in n..gamma.len() {
        let mut v = if k <= q { c(k) } else { 0.0 };
        for i in 1..=p {
            v += phi[i - 1] * gamma[k - i];
        }
        gamma[k] = v;
    }
    if !(gamma[0].is_finite() && gamma[0] > 0.0) {
        return None;
    }
    gamma.truncate(len);
    Some(gamma)
}

fn ph(phi: &[f64], k: usize) -> f64 {
    if (1..=phi.len()).contains(&k) {
        phi[k - 1]
    } else {
        0.0
    }
}

fn th(theta: &[f64], k: usize) -> f64 {
    if k == 0 {
        1.0
    } else {
        theta.get(k - 1).copied().unwrap_or(0.0)
    }
}

/// First row (= first column) `P_{0k}`, `k = 0..r`, of `P₀`, plus a trailing 0 (length
/// `r + 1`); `None` when the AR part is not stationary. This is all the Chandrasekhar filter
/// in [`super::kalman`] needs.
pub fn first_row(phi: &[f64], theta: &[f64], r: usize) -> Option<Vec<f64>> {
    let gamma = autocovariances(phi, theta, r + 1)?;
    let psi = psi_weights(phi, theta, r);
    let mut row0 = vec![0.0; r + 1];
    for (k, slot) in row0.iter_mut().enumerate().take(r) {
        let mut s = 0.0;
        for l in k + 1..=r.min(phi.len()) {
            s += ph(phi, l) * gamma[l - k];
        }
        for l in k..r {
            s += th(theta, l) * psi[l - k];
        }
        *slot = s;
    }
    (row0[0].is_finite() && row0[0] > 0.0).then_some(row0)
}

/// Writes `P₀` (row-major `r×r`, `r = max(p', q'+1)`) into `p0`. `phi`/`theta` are the
/// expanded coefficients. Returns `false` when the AR part is not stationary.
pub fn initial_covariance(phi: &[f64], theta: &[f64], r: usize, p0: &mut [f64]) -> bool {
    let Some(row0) = first_row(phi, theta, r) else {
        return false;
    };
    let ph = |k: usize| ph(phi, k);
    let th = |k: usize| th(theta, k);
    let g0 = row0[0];
    for i in (0..r).rev() {
        for j in (i..r).rev() {
            let next = if i + 1 < r && j + 1 < r {
                p0[(i + 1) * r + j + 1]
            } else {
                0.0
            };
            let v = ph(i + 1) * ph(j + 1) * g0
                + ph(i + 1) * row0[j + 1]
                + ph(j + 1) * row0[i + 1]
                + next
                + th(i) * th(j);
            p0[i * r + j] = v;
            p0[j * r + i] = v;
        }
    }
    p0[0].is_finite() && p0[0] > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `P = T P Tᵀ + R Rᵀ` for an ARMA(2,1).
    #[test]
    fn lyapunov_holds() {
        let phi = [0.5, -0.3];
        let theta = [0.4];
        let r = 2;
        let mut p = vec![0.0; 4];
        assert!(initial_covariance(&phi, &theta, r, &mut p));
        let t = [phi[0], 1.0, phi[1], 0.0];
        let rv = [1.0, 0.4];
        for i in 0..r {
            for j in 0..r {
                let mut s = rv[i] * rv[j];
                for k in 0..r {
                    for l in 0..r {
                        s += t[i * r + k] * p[k * r + l] * t[j * r + l];
                    }
                }
                assert!((s - p[i * r + j]).abs() < 1e-12, "{i}{j}");
            }
        }
        let g = autocovariances(&[0.6], &[], 3).unwrap();
        assert!((g[0] - 1.0 / 0.64).abs() < 1e-12 && (g[2] - 0.36 / 0.64).abs() < 1e-12);
    }
}
