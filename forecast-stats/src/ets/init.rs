//! Heuristic initial states (R `forecast:::initstate`), used as starting values.
//!
//! Seasonal models: a classical decomposition (centred moving average of order `m`, `2×m`
//! for even `m`) of the first `min(n, 3m)` points, cut to whole seasons; the detrended values
//! are averaged per season position and normalised to sum 0 (additive) or mean 1
//! (multiplicative, floored at 0.01). R uses a Fourier regression when `n < 3m`; we need
//! `n ≥ 2m` and decompose whatever whole seasons there are (at most 3).
//! Level and trend: the mean, or an OLS line on `t = 1..`, of the first `min(max(10, 2m), n)`
//! seasonally adjusted points.

use super::spec::{EtsSpec, EtsState, Seasonal};

/// Seasonal indices (chronological: index `j` is the phase of observation `j`) by classical
/// decomposition of `y` with season `m`; `None` when there are fewer than two seasons.
pub(crate) fn decompose_seasonal(y: &[f64], m: usize, multiplicative: bool) -> Option<Vec<f64>> {
    let cycles = (y.len() / m).min(3);
    if cycles < 2 || m < 2 {
        return None;
    }
    let x = &y[..cycles * m];
    let n = x.len();
    // Centred moving average.
    let (half, weights_even) = (m / 2, m.is_multiple_of(2));
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(half) {
        let tr = if weights_even {
            let mut s = 0.5 * (x[t - half] + x[t + half]);
            for v in &x[t + 1 - half..t + half] {
                s += v;
            }
            s / m as f64
        } else {
            x[t - half..=t + half].iter().sum::<f64>() / m as f64
        };
        let d = if multiplicative {
            if tr.abs() < 1e-12 {
                continue;
            }
            x[t] / tr
        } else {
            x[t] - tr
        };
        sums[t % m] += d;
        counts[t % m] += 1;
    }
    let mut fig: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| {
            if c > 0 {
                s / c as f64
            } else if multiplicative {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let mean = fig.iter().sum::<f64>() / m as f64;
    if multiplicative {
        for f in &mut fig {
            *f = (*f / mean).max(1e-2);
        }
        let mean = fig.iter().sum::<f64>() / m as f64;
        for f in &mut fig {
            *f /= mean;
        }
    } else {
        for f in &mut fig {
            *f -= mean;
        }
    }
    Some(fig)
}

/// Heuristic initial state for `spec` on `y` (R `initstate`), with `pos = 0`.
pub(crate) fn initial_state(spec: &EtsSpec, y: &[f64]) -> EtsState {
    let m = spec.m();
    let mult = spec.seasonal == Seasonal::Multiplicative;
    let season = if spec.seasonal.is_some() {
        decompose_seasonal(y, m, mult).unwrap_or_else(|| vec![if mult { 1.0 } else { 0.0 }; m])
    } else {
        vec![0.0]
    };
    let maxn = 10.max(2 * m).min(y.len());
    let adj: Vec<f64> = (0..maxn)
        .map(|t| match spec.seasonal {
            Seasonal::None => y[t],
            Seasonal::Additive => y[t] - season[t % m],
            Seasonal::Multiplicative => y[t] / season[t % m].max(1e-2),
        })
        .collect();
    let (level, trend) = if spec.trend.is_some() && maxn >= 2 {
        let (a, b) = ols_line(&adj);
        if (a + b).abs() < 1e-8 {
            (a * (1.0 + 1e-3), b * (1.0 - 1e-3))
        } else {
            (a, b)
        }
    } else {
        (adj.iter().sum::<f64>() / adj.len().max(1) as f64, 0.0)
    };
    EtsState {
        level,
        trend,
        season,
        pos: 0,
    }
}

/// OLS of `v` on `(1, t)` with `t = 1..=len`: `(intercept, slope)`.
fn ols_line(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let tbar = (n + 1.0) / 2.0;
    let ybar = v.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, &yi) in v.iter().enumerate() {
        let dt = (i + 1) as f64 - tbar;
        sxy += dt * (yi - ybar);
        sxx += dt * dt;
    }
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (ybar - b * tbar, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ets::spec::{ErrorType, Trend};

    #[test]
    fn decomposition_recovers_a_clean_pattern() {
        let pat = [3.0, -1.0, -2.0, 0.0];
        let y: Vec<f64> = (0..12)
            .map(|t| 10.0 + 0.5 * t as f64 + pat[t % 4])
            .collect();
        let s = decompose_seasonal(&y, 4, false).unwrap();
        for j in 0..4 {
            assert!((s[j] - pat[j]).abs() < 1e-12, "{s:?}");
        }
        let spec =
            EtsSpec::new(ErrorType::Additive, Trend::Additive, Seasonal::Additive, 4).unwrap();
        let st = initial_state(&spec, &y);
        assert!((st.trend - 0.5).abs() < 1e-12);
        assert!((st.level - 9.5).abs() < 1e-12);
    }
}
