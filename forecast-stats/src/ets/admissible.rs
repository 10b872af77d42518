//! Parameter bounds of R `forecast::ets` (`bounds = "both"`): the usual box and the
//! admissible (forecastability) region, including the root test of the characteristic
//! polynomial for seasonal models.

use super::spec::{EtsSpec, SmoothingParams};

/// Lower bound of α, β, γ ("usual" region).
pub(crate) const LOWER: f64 = 1e-4;
/// Upper bound of α, β, γ.
pub(crate) const UPPER: f64 = 0.9999;
/// Damping range.
pub(crate) const PHI_RANGE: (f64, f64) = (0.8, 0.98);

/// R's `admissible(alpha, beta, gamma, phi, m)`. R finds the roots with `polyroot` and
/// accepts moduli up to `1 + 1e−10`; we run the Schur–Cohn test on the polynomial scaled by
/// `1 + 1e−8` (no root finding, `O(m²)`, so `m = 288` stays cheap).
pub(crate) fn admissible(spec: &EtsSpec, p: &SmoothingParams) -> bool {
    let phi = if spec.trend.is_damped() { p.phi } else { 1.0 };
    let (alpha, m) = (p.alpha, spec.m());
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    if !spec.seasonal.is_some() {
        if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
            return false;
        }
        if spec.trend.is_some()
            && (p.beta < alpha * (phi - 1.0) || p.beta > (1.0 + phi) * (2.0 - alpha))
        {
            return false;
        }
        return true;
    }
    let beta = if spec.trend.is_some() { p.beta } else { 0.0 };
    let gamma = p.gamma;
    let mf = m as f64;
    if gamma < (1.0 - 1.0 / phi - alpha).max(0.0) || gamma > 1.0 + 1.0 / phi - alpha {
        return false;
    }
    if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - mf + phi + phi * mf) / (2.0 * phi * mf) {
        return false;
    }
    if beta < -(1.0 - phi) * (gamma / mf + alpha) {
        return false;
    }
    // Characteristic polynomial, coefficients in increasing order (degree m + 1).
    let mut c = Vec::with_capacity(m + 2);
    c.push(phi * (1.0 - alpha - gamma));
    c.push(alpha + beta - alpha * phi + gamma - 1.0);
    for _ in 0..m.saturating_sub(2) {
        c.push(alpha + beta - alpha * phi);
    }
    c.push(alpha + beta - phi);
    c.push(1.0);
    roots_within(&c, 1.0 + 1e-8)
}

/// True when every root of `Σ c_i z^i` has modulus at most `radius`, by the Schur–Cohn
/// reduction on `P(radius·z)` (exact recursion, `O(d²)`, no root finding). Roots on the
/// circle count as outside, so `radius` carries the tolerance.
pub(crate) fn roots_within(coef: &[f64], radius: f64) -> bool {
    let mut a: Vec<f64> = coef.to_vec();
    while a.len() > 1 && a[a.len() - 1] == 0.0 {
        a.pop();
    }
    let mut scale = 1.0;
    for v in a.iter_mut() {
        *v *= scale;
        scale *= radius;
    }
    while a.len() > 1 {
        let n = a.len() - 1;
        let (a0, an) = (a[0], a[n]);
        if an.abs().partial_cmp(&a0.abs()) != Some(std::cmp::Ordering::Greater) {
            return false;
        }
        let mut q: Vec<f64> = (0..n).map(|k| an * a[k + 1] - a0 * a[n - k - 1]).collect();
        let lead = q[n - 1];
        if !(lead.is_finite() && lead != 0.0) {
            return false;
        }
        for v in q.iter_mut() {
            *v /= lead;
        }
        a = q;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schur_cohn_on_known_polynomials() {
        // (z − 0.5)(z + 2)(z − 1) = z³ + 0.5 z² − 2.5 z + 1: a root of modulus 2.
        assert!(!roots_within(&[1.0, -2.5, 0.5, 1.0], 1.0 + 1e-8));
        assert!(roots_within(&[1.0, -2.5, 0.5, 1.0], 2.0 + 1e-6));
        // z² + 0.25 → |z| = 0.5.
        assert!(roots_within(&[0.25, 0.0, 1.0], 0.51));
        assert!(!roots_within(&[0.25, 0.0, 1.0], 0.49));
        // (z − 1)(z − 0.3): a root on the unit circle is admissible with a tolerance.
        assert!(roots_within(&[0.3, -1.3, 1.0], 1.0 + 1e-8));
    }
}
