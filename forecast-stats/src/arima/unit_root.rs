//! Unit-root tests that choose the differencing orders of auto-ARIMA:
//! KPSS (level) for `d` (statsforecast's `ndiffs`, lag `⌊3√n/13⌋`) and the seasonal-strength
//! heuristic for `D` (`nsdiffs(test = "seas")`: `F_S = max(0, 1 − Var(R)/Var(S+R)) > 0.64` from an
//! STL decomposition with `s.window = 11`, as `forecast::mstl`).
//!
//! The STL here follows Cleveland et al. (1990) / R's `stl` Fortran (non-robust, two inner
//! passes, `s.degree = 0`, `t.degree = l.degree = 1`), except that every loess fit is
//! evaluated at every point (R's `*.jump` interpolation is not used), which changes the
//! decomposition only marginally.

/// KPSS level-stationarity statistic `η` with `l = ⌊3√n/13⌋` Bartlett lags.
pub fn kpss_stat(x: &[f64]) -> f64 {
    let n = x.len();
    let nf = n as f64;
    let mean = x.iter().sum::<f64>() / nf;
    let e: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let mut s = 0.0;
    let mut eta_num = 0.0;
    for v in &e {
        s += v;
        eta_num += s * s;
    }
    eta_num /= nf * nf;
    let l = (3.0 * nf.sqrt() / 13.0) as usize;
    let mut lr = e.iter().map(|v| v * v).sum::<f64>() / nf;
    for lag in 1..=l {
        let w = 1.0 - lag as f64 / (l as f64 + 1.0);
        let cov: f64 = (lag..n).map(|t| e[t] * e[t - lag]).sum();
        lr += 2.0 / nf * w * cov;
    }
    eta_num / lr
}

/// KPSS p-value by linear interpolation of the critical values
/// (0.347, 0.463, 0.574, 0.739) ↔ (0.10, 0.05, 0.025, 0.01), clamped at the ends.
pub fn kpss_pvalue(stat: f64) -> f64 {
    let cv = [0.347, 0.463, 0.574, 0.739];
    let pv = [0.10, 0.05, 0.025, 0.01];
    if stat.is_nan() {
        return 0.10;
    }
    if stat <= cv[0] {
        return pv[0];
    }
    if stat >= cv[3] {
        return pv[3];
    }
    for i in 0..3 {
        if stat <= cv[i + 1] {
            let f = (stat - cv[i]) / (cv[i + 1] - cv[i]);
            return pv[i] + f * (pv[i + 1] - pv[i]);
        }
    }
    pv[3]
}

fn is_constant(x: &[f64]) -> bool {
    x.iter().all(|v| *v == x[0])
}

/// Number of first differences (≤ `max_d`) that make `x` level-stationary by KPSS at 5 %.
pub fn ndiffs(x: &[f64], max_d: usize) -> usize {
    let mut x = x.to_vec();
    let mut d = 0;
    if x.len() < 3 || is_constant(&x) {
        return 0;
    }
    while d < max_d && kpss_pvalue(kpss_stat(&x)) < 0.05 {
        d += 1;
        x = x.windows(2).map(|w| w[1] - w[0]).collect();
        if x.len() < 3 || is_constant(&x) {
            return d;
        }
    }
    d
}

/// Seasonal strength `max(0, 1 − Var(R)/Var(S + R))` from STL (`s.window = 11`).
pub fn seasonal_strength(x: &[f64], m: usize) -> f64 {
    let (seasonal, trend) = stl(x, m, 11);
    let rem: Vec<f64> = (0..x.len())
        .map(|i| x[i] - seasonal[i] - trend[i])
        .collect();
    let sr: Vec<f64> = (0..x.len()).map(|i| rem[i] + seasonal[i]).collect();
    let var = |v: &[f64]| {
        let mu = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|a| (a - mu).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
    };
    let vsr = var(&sr);
    if vsr <= 0.0 {
        return 0.0;
    }
    (1.0 - var(&rem) / vsr).clamp(0.0, 1.0)
}

/// Seasonal differences (0 or 1) by the seasonal-strength heuristic (threshold 0.64).
pub fn nsdiffs(x: &[f64], m: usize) -> usize {
    if m <= 1 || x.len() <= 2 * m || is_constant(x) {
        return 0;
    }
    usize::from(seasonal_strength(x, m) > 0.64)
}

fn next_odd(x: f64) -> usize {
    let v = x.ceil() as usize;
    if v.is_multiple_of(2) { v + 1 } else { v }
}

/// Loess estimate at 1-based position `xs` from points `nleft..=nright` (1-based) of `y`.
fn est(y: &[f64], len: usize, deg: usize, xs: f64, nleft: usize, nright: usize) -> Option<f64> {
    let n = y.len();
    let range = n as f64 - 1.0;
    let mut h = (xs - nleft as f64).max(nright as f64 - xs);
    if len > n {
        h += ((len - n) / 2) as f64;
    }
    let (h9, h1) = (0.999 * h, 0.001 * h);
    let mut w = [0.0f64; 0].to_vec();
    w.resize(nright + 1 - nleft, 0.0);
    let mut a = 0.0;
    for j in nleft..=nright {
        let r = (j as f64 - xs).abs();
        let wj = if r <= h9 {
            if r <= h1 {
                1.0
            } else {
                (1.0 - (r / h).powi(3)).powi(3)
            }
        } else {
            0.0
        };
        w[j - nleft] = wj;
        a += wj;
    }
    if a <= 0.0 {
        return None;
    }
    for v in w.iter_mut() {
        *v /= a;
    }
    if h > 0.0 && deg > 0 {
        let a: f64 = (nleft..=nright).map(|j| w[j - nleft] * j as f64).sum();
        let c: f64 = (nleft..=nright)
            .map(|j| w[j - nleft] * (j as f64 - a).powi(2))
            .sum();
        if c.sqrt() > 0.001 * range {
            let b = (xs - a) / c;
            for j in nleft..=nright {
                w[j - nleft] *= b * (j as f64 - a) + 1.0;
            }
        }
    }
    Some((nleft..=nright).map(|j| w[j - nleft] * y[j - 1]).sum())
}

/// Loess smoothing of `y` at every point with window `len` and degree `deg`.
fn ess(y: &[f64], len: usize, deg: usize) -> Vec<f64> {
    let n = y.len();
    if n < 2 {
        return y.to_vec();
    }
    let mut out = vec![0.0; n];
    if len >= n {
        for (i, o) in out.iter_mut().enumerate() {
            *o = est(y, len, deg, (i + 1) as f64, 1, n).unwrap_or(y[i]);
        }
    } else {
        let nsh = len.div_ceil(2);
        let (mut nleft, mut nright) = (1usize, len);
        for i in 1..=n {
            if i > nsh && nright != n {
                nleft += 1;
                nright += 1;
            }
            out[i - 1] = est(y, len, deg, i as f64, nleft, nright).unwrap_or(y[i - 1]);
        }
    }
    out
}

fn moving_average(x: &[f64], len: usize) -> Vec<f64> {
    let n = x.len();
    if n < len {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(n - len + 1);
    let mut s: f64 = x[..len].iter().sum();
    out.push(s / len as f64);
    for i in len..n {
        s += x[i] - x[i - len];
        out.push(s / len as f64);
    }
    out
}

/// Non-robust STL: returns `(seasonal, trend)`.
pub fn stl(y: &[f64], np: usize, ns: usize) -> (Vec<f64>, Vec<f64>) {
    let n = y.len();
    let nt = next_odd(1.5 * np as f64 / (1.0 - 1.5 / ns as f64));
    let nl = next_odd(np as f64);
    let mut trend = vec![0.0; n];
    let mut season = vec![0.0; n];
    for _ in 0..2 {
        let detr: Vec<f64> = (0..n).map(|i| y[i] - trend[i]).collect();
        // Cycle-subseries smoothing, extended by one period at each end.
        let mut c = vec![0.0; n + 2 * np];
        for j in 0..np {
            let sub: Vec<f64> = detr.iter().skip(j).step_by(np).copied().collect();
            let k = sub.len();
            if k == 0 {
                continue;
            }
            let sm = ess(&sub, ns, 0);
            let nright = ns.min(k);
            let first = est(&sub, ns, 0, 0.0, 1, nright).unwrap_or(sm[0]);
            let nleft = (k as i64 - ns as i64 + 1).max(1) as usize;
            let last = est(&sub, ns, 0, (k + 1) as f64, nleft, k).unwrap_or(sm[k - 1]);
            let mut ext = Vec::with_capacity(k + 2);
            ext.push(first);
            ext.extend_from_slice(&sm);
            ext.push(last);
            for (mi, v) in ext.iter().enumerate() {
                let idx = mi * np + j;
                if idx < n + 2 * np {
                    c[idx] = *v;
                }
            }
        }
        let l1 = moving_average(&c, np);
        let l2 = moving_average(&l1, np);
        let l3 = moving_average(&l2, 3);
        let low = ess(&l3, nl, 1);
        for i in 0..n {
            season[i] = c[np + i] - low.get(i).copied().unwrap_or(0.0);
        }
        let deseas: Vec<f64> = (0..n).map(|i| y[i] - season[i]).collect();
        trend = ess(&deseas, nt, 1);
    }
    (season, trend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kpss_and_strength() {
        let trend: Vec<f64> = (0..200)
            .map(|t| t as f64 + ((t * 7919) % 13) as f64)
            .collect();
        assert!(ndiffs(&trend, 2) >= 1);
        let noise: Vec<f64> = (0..200).map(|t| ((t * 7919) % 13) as f64).collect();
        assert_eq!(ndiffs(&noise, 2), 0);
        let seas: Vec<f64> = (0..240)
            .map(|t| {
                10.0 * (2.0 * std::f64::consts::PI * t as f64 / 24.0).sin()
                    + ((t * 31) % 5) as f64 * 0.1
            })
            .collect();
        assert!(seasonal_strength(&seas, 24) > 0.9);
        assert_eq!(nsdiffs(&noise, 24), 0);
        assert!((kpss_pvalue(0.5) - (0.05 - 0.025 * 0.037 / 0.111)).abs() < 1e-12);
    }
}
