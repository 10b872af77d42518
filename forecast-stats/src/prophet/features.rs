//! Design of the model: seasonalities with their Fourier columns, and changepoint placement.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use super::config::{ProphetStyleConfig, SeasonalityMode, Toggle};

const DAY: f64 = 86_400.0;

/// A resolved seasonality: `2·order` Fourier columns of period `period_days`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seasonality {
    /// Name (`daily`, `weekly`, `yearly` or the custom name).
    pub name: String,
    /// Period in days (Prophet's unit).
    pub period_days: f64,
    /// Fourier order.
    pub order: usize,
    /// Prior scale of the coefficients.
    pub prior_scale: f64,
    /// Additive or multiplicative.
    pub mode: SeasonalityMode,
}

/// The seasonalities Prophet would use for training data spanning `first..=last` (UTC seconds)
/// with smallest gap `dt_min` seconds: yearly (order 10), weekly (3), daily (4), then the custom
/// ones, each on when its [`Toggle`] says so (`auto`: yearly if the span ≥ 730 days, weekly if
/// ≥ 14 days and `dt_min` < 7 days, daily if ≥ 2 days and `dt_min` < 1 day).
pub fn resolve_seasonalities(
    cfg: &ProphetStyleConfig,
    first: i64,
    last: i64,
    dt_min: i64,
) -> Vec<Seasonality> {
    let span = (last - first) as f64;
    let dt = dt_min as f64;
    let builtins = [
        ("yearly", cfg.yearly, 365.25, 10, span >= 730.0 * DAY),
        (
            "weekly",
            cfg.weekly,
            7.0,
            3,
            span >= 14.0 * DAY && dt < 7.0 * DAY,
        ),
        ("daily", cfg.daily, 1.0, 4, span >= 2.0 * DAY && dt < DAY),
    ];
    let mut out = Vec::new();
    for (name, toggle, period, order, auto_on) in builtins {
        let on = match toggle {
            Toggle::On => true,
            Toggle::Off => false,
            Toggle::Auto => auto_on,
        };
        if on {
            out.push(Seasonality {
                name: name.to_string(),
                period_days: period,
                order,
                prior_scale: cfg.seasonality_prior_scale,
                mode: cfg.seasonality_mode,
            });
        }
    }
    for c in &cfg.custom {
        out.push(Seasonality {
            name: c.name.clone(),
            period_days: c.period_seconds / DAY,
            order: c.fourier_order,
            prior_scale: c.prior_scale.unwrap_or(cfg.seasonality_prior_scale),
            mode: c.mode.unwrap_or(cfg.seasonality_mode),
        });
    }
    out
}

/// Total number of Fourier columns.
pub fn n_columns(seasonalities: &[Seasonality]) -> usize {
    seasonalities.iter().map(|s| 2 * s.order).sum()
}

/// Writes the Fourier columns of timestamp `ts` into `row` (length [`n_columns`]):
/// per seasonality `[sin(2π·1·τ/P), cos(2π·1·τ/P), …]` with `τ` = days since 1970-01-01,
/// computed in Prophet's order of operations.
#[inline]
pub fn fourier_row(seasonalities: &[Seasonality], ts: i64, row: &mut [f64]) {
    let x = ts as f64 / DAY * PI * 2.0;
    let mut c = 0;
    for s in seasonalities {
        for i in 1..=s.order {
            let (sin, cos) = (x * i as f64 / s.period_days).sin_cos();
            row[c] = sin;
            row[c + 1] = cos;
            c += 2;
        }
    }
}

/// Prophet's changepoints for a history of sorted, scaled times `t`: `n_cp` (reduced to
/// `⌊range·n⌋ − 1` if needed) rows at `round_half_even(linspace(0, H−1, n_cp+1))[1..]` with
/// `H = ⌊range·n⌋`; returns their scaled times (empty when there are none).
pub fn changepoints(t: &[f64], n_changepoints: usize, range: f64) -> Vec<f64> {
    let hist = (t.len() as f64 * range).floor() as usize;
    let n_cp = n_changepoints.min(hist.saturating_sub(1));
    if n_cp == 0 {
        return Vec::new();
    }
    let step = (hist - 1) as f64 / n_cp as f64;
    (1..=n_cp)
        .map(|i| {
            let pos = if i == n_cp {
                (hist - 1) as f64
            } else {
                i as f64 * step
            };
            t[pos.round_ties_even() as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changepoint_indices_match_the_spec_vector() {
        let t: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let cp = changepoints(&t, 25, 0.8);
        let want = [
            3, 6, 9, 13, 16, 19, 22, 25, 28, 32, 35, 38, 41, 44, 47, 51, 54, 57, 60, 63, 66, 70,
            73, 76, 79,
        ];
        assert_eq!(cp, want.iter().map(|&i| i as f64).collect::<Vec<_>>());
        assert!(changepoints(&t[..2], 25, 0.8).is_empty());
    }
}
