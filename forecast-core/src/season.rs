//! Season-length detection from the autocorrelation function (ACF).
//!
//! [`detect_season`] proposes a season length `m` for a series of values:
//!
//! 1. Remove the least-squares line (a trend would otherwise dominate the ACF).
//! 2. Compute the ACF `r_k` for lags `k = 0..=P`, `P = min(max_period, (n−1)/2)` (at least two
//!    cycles must fit), with the lag-corrected normalisation
//!    `r_k = (1/(n−k)) Σ_t x_t x_{t+k} / ((1/n) Σ_t x_t²)`, computed by FFT in `O(n log n)`
//!    ([`autocorrelation`]).
//! 3. A lag `k ≥ 2` is a *candidate* when it is a local maximum (`r_{k−1} < r_k ≥ r_{k+1}`),
//!    significant (`r_k ≥ max(0.2, 4·√(B/(n−k)))`, four of Bartlett's standard errors with
//!    `B = 1 + 2 Σ_{j<k₀} r_j²` summed up to the first negative lag `k₀`: the short-memory
//!    (AR-like) part inflates the noise of the ACF at long lags; white noise has `B ≈ 1`), and
//!    prominent (`r_k − min_{1≤j<k} r_j ≥ 0.1`, so that wiggles on a slowly decaying ACF do not
//!    count).
//! 4. The candidate with the highest `r_k` wins, except that the smallest candidate `c` of which
//!    the winner is (within 2 %) a multiple and with `r_c ≥ 0.9·r_best` is preferred: a daily
//!    cycle also peaks at two and three days.
//!
//! `None` means no significant season (white noise, random walks, trends, too few points).
//!
//! [`detect_season_for`] adds the calendar: it looks at lags up to
//! `min((n−1)/2, max(400, 2 days of points))` and, when the detected period is within 5 %
//! (at least one lag) of a calendar period (points per hour, day or week at the series' step),
//! returns the calendar period instead (noise moves ACF peaks by a few lags; `288` is more
//! useful than `287` for 5-minute data).
//!
//! ```
//! use forecast_core::season::detect_season;
//! let y: Vec<f64> = (0..240)
//!     .map(|t| (2.0 * std::f64::consts::PI * t as f64 / 24.0).sin() + 0.01 * (t % 7) as f64)
//!     .collect();
//! assert_eq!(detect_season(&y, 60), Some(24));
//! assert_eq!(detect_season(&(0..100).map(|t| t as f64).collect::<Vec<_>>(), 40), None);
//! ```

use crate::series::Series;

/// Smallest ACF value a season peak must reach.
const MIN_ACF: f64 = 0.2;
/// Band multiplier: a peak must exceed `Z_BAND` standard errors of `r_k` (Bartlett).
const Z_BAND: f64 = 4.0;
/// How far a peak must rise above the lowest ACF value at shorter lags.
const MIN_PROMINENCE: f64 = 0.1;
/// A shorter period is preferred when its ACF is at least this share of the best peak's.
const HARMONIC_SHARE: f64 = 0.9;

/// In-place iterative radix-2 FFT of `(re, im)` (length a power of two); `inverse` flips the
/// sign of the exponent (no `1/N` scaling).
fn fft(re: &mut [f64], im: &mut [f64], inverse: bool) {
    let n = re.len();
    let mut j = 0usize;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let sign = if inverse { 1.0 } else { -1.0 };
    let mut len = 2;
    while len <= n {
        let ang = sign * 2.0 * std::f64::consts::PI / len as f64;
        let half = len / 2;
        for start in (0..n).step_by(len) {
            for k in 0..half {
                let (s, c) = (ang * k as f64).sin_cos();
                let (a, b) = (start + k, start + k + half);
                let tr = re[b] * c - im[b] * s;
                let ti = re[b] * s + im[b] * c;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
        len <<= 1;
    }
}

/// Removes the least-squares line from `values`.
fn detrend(values: &[f64]) -> Vec<f64> {
    let n = values.len() as f64;
    let tm = (n - 1.0) / 2.0;
    let ym = values.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, &y) in values.iter().enumerate() {
        let dt = t as f64 - tm;
        sxy += dt * (y - ym);
        sxx += dt * dt;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(t, &y)| y - ym - slope * (t as f64 - tm))
        .collect()
}

/// The lag-corrected autocorrelation `r_0..=r_max_lag` of the (already centred or detrended)
/// `x`: `r_k = (1/(n−k)) Σ_t x_t x_{t+k} / ((1/n) Σ_t x_t²)`, computed by FFT.
///
/// Returns an empty vector when `x` is empty, has zero variance or holds a non-finite value;
/// lags at or beyond `n` are not returned.
pub fn autocorrelation(x: &[f64], max_lag: usize) -> Vec<f64> {
    let n = x.len();
    if n == 0 || x.iter().any(|v| !v.is_finite()) {
        return Vec::new();
    }
    let size = (2 * n).next_power_of_two();
    let mut re = vec![0.0; size];
    let mut im = vec![0.0; size];
    re[..n].copy_from_slice(x);
    fft(&mut re, &mut im, false);
    for k in 0..size {
        re[k] = re[k] * re[k] + im[k] * im[k];
        im[k] = 0.0;
    }
    fft(&mut re, &mut im, true);
    let c0 = re[0] / size as f64 / n as f64;
    if c0 <= 0.0 || !c0.is_finite() {
        return Vec::new();
    }
    (0..=max_lag.min(n - 1))
        .map(|k| re[k] / size as f64 / (n - k) as f64 / c0)
        .collect()
}

/// Proposes a season length in `2..=max_period` (see the [module docs](self)), or `None`
/// when there is no significant season, fewer than 8 values, or a non-finite value.
pub fn detect_season(values: &[f64], max_period: usize) -> Option<usize> {
    let n = values.len();
    if n < 8 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let p = max_period.min((n - 1) / 2);
    if p < 2 {
        return None;
    }
    let x = detrend(values);
    let r = autocorrelation(&x, p + 1);
    if r.len() < p + 1 {
        return None;
    }
    // Bartlett's variance factor of the short-memory part: 1 + 2 Σ r_j² up to the first lag
    // where the ACF turns negative.
    let first_negative = (1..=p).find(|&k| r[k] < 0.0).unwrap_or(p + 1);
    let bartlett = 1.0 + 2.0 * r[1..first_negative].iter().map(|v| v * v).sum::<f64>();
    let mut candidates: Vec<usize> = Vec::new();
    let mut min_before = r[1];
    for k in 2..=p {
        min_before = min_before.min(r[k - 1]);
        let right = r.get(k + 1).copied().unwrap_or(f64::NEG_INFINITY);
        let band = MIN_ACF.max(Z_BAND * (bartlett / (n - k) as f64).sqrt());
        if r[k] > r[k - 1] && r[k] >= right && r[k] >= band && r[k] - min_before >= MIN_PROMINENCE {
            candidates.push(k);
        }
    }
    let best = *candidates
        .iter()
        .max_by(|&&a, &&b| r[a].total_cmp(&r[b]).then(b.cmp(&a)))?;
    candidates
        .iter()
        .copied()
        .filter(|&c| c < best && r[c] >= HARMONIC_SHARE * r[best])
        .find(|&c| {
            let mult = (best as f64 / c as f64).round();
            (best as f64 - mult * c as f64).abs() <= (0.02 * best as f64).max(1.0)
        })
        .or(Some(best))
}

/// Calendar periods (points per hour, day, week) at a step of `step` seconds, those that are
/// whole numbers of at least 2.
pub fn calendar_periods(step: i64) -> Vec<usize> {
    if step <= 0 {
        return Vec::new();
    }
    [3_600i64, 86_400, 604_800]
        .iter()
        .filter(|&&p| p % step == 0 && p / step >= 2)
        .map(|&p| (p / step) as usize)
        .collect()
}

/// Proposes a season length for `series`, searching lags up to
/// `min((n−1)/2, max(400, 2 days of points))` and snapping to a calendar period
/// ([`calendar_periods`]) within 5 % (see the [module docs](self)).
pub fn detect_season_for(series: &Series) -> Option<usize> {
    let step = series.step();
    let two_days = (2 * 86_400 / step.max(1)) as usize;
    let max_period = two_days.max(400);
    let p = detect_season(series.values(), max_period)?;
    calendar_periods(step)
        .into_iter()
        .find(|&c| p.abs_diff(c) as f64 <= (0.05 * c as f64).max(1.0))
        .or(Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acf_matches_direct_sum() {
        let x: Vec<f64> = (0..37).map(|t| ((t * 13) % 7) as f64 - 3.0).collect();
        let r = autocorrelation(&x, 10);
        let c0: f64 = x.iter().map(|v| v * v).sum::<f64>() / 37.0;
        for (k, rk) in r.iter().enumerate() {
            let ck: f64 = (0..37 - k).map(|t| x[t] * x[t + k]).sum::<f64>() / (37 - k) as f64;
            assert!((rk - ck / c0).abs() < 1e-12, "lag {k}");
        }
    }

    #[test]
    fn calendar() {
        assert_eq!(calendar_periods(300), vec![12, 288, 2016]);
        assert_eq!(calendar_periods(3600), vec![24, 168]);
        assert_eq!(calendar_periods(86_400), vec![7]);
        assert!(calendar_periods(7 * 60 + 1).is_empty());
    }
}
