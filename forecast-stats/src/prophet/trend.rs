//! Piecewise-linear trend with changepoints (Prophet's `piecewise_linear`).

/// `g(t) = (k + Σ_{s_j ≤ t} δ_j)·t + (m − Σ_{s_j ≤ t} s_j·δ_j)` on the scaled problem,
/// summed in Prophet's order.
#[inline]
pub fn piecewise_linear(t: f64, k: f64, m: f64, delta: &[f64], s: &[f64]) -> f64 {
    let (mut k_t, mut m_t) = (0.0, 0.0);
    for (&d, &sj) in delta.iter().zip(s) {
        if sj <= t {
            k_t += d;
            m_t += d * -sj;
        }
    }
    (k_t + k) * t + (m_t + m)
}

/// Slope and intercept after the last changepoint: `g(t) = k_end·t + m_end` for `t ≥ max s`.
pub fn final_segment(k: f64, m: f64, delta: &[f64], s: &[f64]) -> (f64, f64) {
    let (mut k_t, mut m_t) = (0.0, 0.0);
    for (&d, &sj) in delta.iter().zip(s) {
        k_t += d;
        m_t += d * -sj;
    }
    (k_t + k, m_t + m)
}

/// For sorted times `t` and sorted changepoints `s`: how many changepoints are active
/// (`s_j ≤ t_i`) at each row. The indicator row `A_i` is the prefix of that length.
pub fn active_counts(t: &[f64], s: &[f64]) -> Vec<usize> {
    let mut a = 0;
    t.iter()
        .map(|&ti| {
            while a < s.len() && s[a] <= ti {
                a += 1;
            }
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_is_continuous_at_changepoints() {
        let (k, m, d, s) = (0.5, 1.0, [0.3, -0.2], [0.3, 0.6]);
        for &c in &s {
            let l = piecewise_linear(c - 1e-12, k, m, &d, &s);
            let r = piecewise_linear(c, k, m, &d, &s);
            assert!((l - r).abs() < 1e-9);
        }
        let (ke, me) = final_segment(k, m, &d, &s);
        assert!((ke * 0.9 + me - piecewise_linear(0.9, k, m, &d, &s)).abs() < 1e-15);
        assert_eq!(active_counts(&[0.0, 0.3, 0.5, 0.7], &s), vec![0, 1, 1, 2]);
    }
}
