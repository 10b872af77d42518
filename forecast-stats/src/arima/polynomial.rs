//! Lag polynomials: expanding `φ(B)Φ(B^m)` and `θ(B)Θ(B^m)`, stationarity/invertibility tests,
//! R's PACF re-parameterisation of AR blocks, and root moduli / MA root reflection.

use super::spec::ArimaSpec;

/// Expanded AR and MA coefficients `(φ̃_1..φ̃_{p'}, θ̃_1..θ̃_{q'})` from a packed coefficient
/// vector (R order), following R's bookkeeping (`φ̃_{jm+i} −= φ_i Φ_j`, `θ̃_{jm+i} += θ_i Θ_j`).
pub fn expand(spec: &ArimaSpec, coef: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (p, q, sp, sq, m) = (spec.p, spec.q, spec.sp, spec.sq, spec.m);
    let ar = &coef[..p];
    let ma = &coef[p..p + q];
    let sar = &coef[p + q..p + q + sp];
    let sma = &coef[p + q + sp..p + q + sp + sq];
    let mut phi = vec![0.0; p + m * sp];
    let mut theta = vec![0.0; q + m * sq];
    phi[..p].copy_from_slice(ar);
    theta[..q].copy_from_slice(ma);
    for (j, &sj) in sar.iter().enumerate() {
        let jm = (j + 1) * m;
        phi[jm - 1] += sj;
        for (i, &ai) in ar.iter().enumerate() {
            phi[jm + i] -= ai * sj;
        }
    }
    for (j, &sj) in sma.iter().enumerate() {
        let jm = (j + 1) * m;
        theta[jm - 1] += sj;
        for (i, &mi) in ma.iter().enumerate() {
            theta[jm + i] += mi * sj;
        }
    }
    (phi, theta)
}

/// Non-zero entries `(lag, coefficient)` of a dense coefficient list (lag = index + 1).
pub fn sparse(coefs: &[f64]) -> Vec<(usize, f64)> {
    coefs
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 0.0)
        .map(|(i, &c)| (i + 1, c))
        .collect()
}

/// True when `1 − Σ a_k z^k` has all roots outside the unit circle (step-down / Schur–Cohn
/// test through the partial autocorrelations: every |PACF| < 1).
pub fn is_stationary(ar: &[f64]) -> bool {
    let mut a = ar.to_vec();
    while a.last() == Some(&0.0) {
        a.pop();
    }
    let mut work = a.clone();
    for k in (0..a.len()).rev() {
        let kappa = a[k];
        if !kappa.is_finite() || kappa.abs() >= 1.0 {
            return false;
        }
        let den = 1.0 - kappa * kappa;
        for j in 0..k {
            work[j] = (a[j] + kappa * a[k - 1 - j]) / den;
        }
        a[..k].copy_from_slice(&work[..k]);
    }
    true
}

/// True when `1 + Σ b_k z^k` has all roots outside the unit circle.
pub fn is_invertible(ma: &[f64]) -> bool {
    let neg: Vec<f64> = ma.iter().map(|x| -x).collect();
    is_stationary(&neg)
}

/// R's `partrans`: maps unconstrained values to a stationary AR block (tanh of PACF, then
/// Durbin–Levinson).
pub fn partrans(raw: &[f64], out: &mut [f64]) {
    let p = raw.len();
    let mut work = [0.0f64; 16];
    for j in 0..p {
        out[j] = raw[j].tanh();
        work[j] = out[j];
    }
    for j in 1..p {
        let a = out[j];
        for k in 0..j {
            work[k] -= a * out[j - k - 1];
        }
        out[..j].copy_from_slice(&work[..j]);
    }
}

/// Inverse of [`partrans`] (R's `invpartrans`); `None` when the block is not stationary.
pub fn inv_partrans(phi: &[f64]) -> Option<Vec<f64>> {
    let p = phi.len();
    let mut new = phi.to_vec();
    let mut work = phi.to_vec();
    for j in (1..p).rev() {
        let a = new[j];
        if a.abs() >= 1.0 {
            return None;
        }
        for k in 0..j {
            work[k] = (new[k] + a * new[j - k - 1]) / (1.0 - a * a);
        }
        new[..j].copy_from_slice(&work[..j]);
    }
    if new.iter().any(|x| x.abs() >= 1.0 || !x.is_finite()) {
        return None;
    }
    Some(new.iter().map(|x| x.atanh()).collect())
}

/// A tiny complex number for the root finder.
#[derive(Debug, Clone, Copy, PartialEq)]
struct C(f64, f64);

impl C {
    fn add(self, o: C) -> C {
        C(self.0 + o.0, self.1 + o.1)
    }
    fn sub(self, o: C) -> C {
        C(self.0 - o.0, self.1 - o.1)
    }
    fn mul(self, o: C) -> C {
        C(self.0 * o.0 - self.1 * o.1, self.0 * o.1 + self.1 * o.0)
    }
    fn div(self, o: C) -> C {
        let d = o.0 * o.0 + o.1 * o.1;
        C(
            (self.0 * o.0 + self.1 * o.1) / d,
            (self.1 * o.0 - self.0 * o.1) / d,
        )
    }
    fn abs(self) -> f64 {
        self.0.hypot(self.1)
    }
}

/// Roots of `c_0 + c_1 z + … + c_k z^k` (trailing zeros trimmed) by Durand–Kerner iteration.
fn roots(c: &[f64]) -> Vec<C> {
    let mut c = c.to_vec();
    while c.len() > 1 && c.last().is_some_and(|x| x.abs() < 1e-300) {
        c.pop();
    }
    let k = c.len() - 1;
    if k == 0 {
        return Vec::new();
    }
    let lead = c[k];
    let monic: Vec<f64> = c.iter().map(|x| x / lead).collect();
    let eval = |z: C| {
        let mut acc = C(1.0, 0.0);
        for i in (0..k).rev() {
            acc = acc.mul(z).add(C(monic[i], 0.0));
        }
        acc
    };
    let radius = 1.0 + monic[..k].iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let mut z: Vec<C> = (0..k)
        .map(|i| {
            let ang = 2.0 * std::f64::consts::PI * i as f64 / k as f64 + 0.4;
            C(0.5 * radius * ang.cos(), 0.5 * radius * ang.sin())
        })
        .collect();
    for _ in 0..500 {
        let mut delta = 0.0f64;
        for i in 0..k {
            let mut den = C(1.0, 0.0);
            for j in 0..k {
                if i != j {
                    den = den.mul(z[i].sub(z[j]));
                }
            }
            if den.abs() == 0.0 {
                den = C(1e-12, 0.0);
            }
            let step = eval(z[i]).div(den);
            z[i] = z[i].sub(step);
            delta = delta.max(step.abs());
        }
        if delta < 1e-14 {
            break;
        }
    }
    z
}

/// Smallest root modulus of `1 − Σ a_k z^k` (AR convention; `∞` for an empty polynomial).
pub fn min_root_ar(ar: &[f64]) -> f64 {
    let mut c = vec![1.0];
    c.extend(ar.iter().map(|x| -x));
    roots(&c)
        .iter()
        .map(|z| z.abs())
        .fold(f64::INFINITY, f64::min)
}

/// Smallest root modulus of `1 + Σ b_k z^k` (MA convention).
pub fn min_root_ma(ma: &[f64]) -> f64 {
    let mut c = vec![1.0];
    c.extend_from_slice(ma);
    roots(&c)
        .iter()
        .map(|z| z.abs())
        .fold(f64::INFINITY, f64::min)
}

/// R's `maInvert`: reflects MA roots inside the unit circle to make the block invertible.
pub fn ma_invert(ma: &[f64]) -> Vec<f64> {
    let q = ma.len();
    let q0 = ma.iter().rposition(|x| *x != 0.0).map_or(0, |i| i + 1);
    if q0 == 0 {
        return ma.to_vec();
    }
    let mut c = vec![1.0];
    c.extend_from_slice(&ma[..q0]);
    let mut rts = roots(&c);
    if rts.iter().all(|z| z.abs() >= 1.0) {
        return ma.to_vec();
    }
    if q0 == 1 {
        let mut out = vec![0.0; q];
        out[0] = 1.0 / ma[0];
        return out;
    }
    for z in rts.iter_mut() {
        if z.abs() < 1.0 {
            *z = C(1.0, 0.0).div(*z);
        }
    }
    // x(z) = Π (1 − z / r)
    let mut x = vec![C(1.0, 0.0)];
    for r in rts {
        let mut nx = vec![C(0.0, 0.0); x.len() + 1];
        for (i, xi) in x.iter().enumerate() {
            nx[i] = nx[i].add(*xi);
            nx[i + 1] = nx[i + 1].sub(xi.div(r));
        }
        x = nx;
    }
    let mut out: Vec<f64> = x[1..].iter().map(|z| z.0).collect();
    out.resize(q, 0.0);
    out
}

/// Multiplies `1 − Σ a_k B^k` by a polynomial `1 + Σ c_k B^k` (given as `c_1..`) and returns
/// the product in AR convention `(φ*_1, φ*_2, …)` with product `= 1 − Σ φ*_k B^k`.
pub fn ar_times(ar: &[f64], c: &[f64]) -> Vec<f64> {
    let mut a = vec![1.0];
    a.extend(ar.iter().map(|x| -x));
    let mut b = vec![1.0];
    b.extend_from_slice(c);
    let mut prod = vec![0.0; a.len() + b.len() - 1];
    for (i, ai) in a.iter().enumerate() {
        for (j, bj) in b.iter().enumerate() {
            prod[i + j] += ai * bj;
        }
    }
    prod[1..].iter().map(|x| -x).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_seasonal() {
        let spec = ArimaSpec {
            p: 1,
            q: 1,
            sp: 1,
            sq: 1,
            m: 4,
            ..Default::default()
        };
        let (phi, theta) = expand(&spec, &[0.5, 0.3, 0.2, -0.4]);
        assert_eq!(phi, vec![0.5, 0.0, 0.0, 0.2, -0.1]);
        assert!((theta[3] + 0.4).abs() < 1e-15 && (theta[4] + 0.12).abs() < 1e-15);
    }

    #[test]
    fn stationarity_and_roots() {
        assert!(is_stationary(&[0.5, 0.3]));
        assert!(!is_stationary(&[1.01]));
        assert!(!is_stationary(&[0.6, 0.5]));
        assert!((min_root_ar(&[0.5]) - 2.0).abs() < 1e-10);
        assert!((min_root_ma(&[-0.25, 0.0]) - 4.0).abs() < 1e-10);
        let inv = ma_invert(&[-2.0]);
        assert!((inv[0] + 0.5).abs() < 1e-12);
        let inv2 = ma_invert(&[-2.5, 1.0]); // roots 0.5 and 2
        assert!(is_invertible(&inv2));
        let raw = [0.3, -0.7];
        let mut phi = [0.0; 2];
        partrans(&raw, &mut phi);
        let back = inv_partrans(&phi).unwrap();
        assert!((back[0] - 0.3).abs() < 1e-12 && (back[1] + 0.7).abs() < 1e-12);
    }
}
