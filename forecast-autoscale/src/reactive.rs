//! The reactive autoscaler (spec §6.1): an EMA of the observed load, per-replica-count
//! hysteresis thresholds (linear or a custom table validated against oscillation) and a
//! cooldown.
//!
//! ```
//! use forecast_autoscale::reactive::{ReactiveConfig, ReactiveScaler};
//! let mut r = ReactiveScaler::new(ReactiveConfig::new(100.0, 1, 10).unwrap()).unwrap();
//! let s: Vec<f64> = [100.0, 200.0, 200.0].iter().map(|&x| r.observe(x)).collect();
//! assert!((s[1] - 170.0).abs() < 1e-12 && (s[2] - 191.0).abs() < 1e-12);
//! // 191 RPS > up(1) = 80: target n* = ceil(191/70) = 3.
//! assert_eq!(r.desired(1), 3);
//! ```

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive, check_range};
use crate::policy::{Cooldown, Observation, ReplicaBounds, ScalingPolicy};

/// Scale-up/scale-down thresholds per replica count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Thresholds {
    /// `up(n) = u_up·C·n`, `down(n) = u_down·C·(n−1)`, target `n* = ceil(s/(u_tgt·C))`,
    /// with `0 < u_down < u_tgt ≤ u_up ≤ 1`.
    Linear {
        /// `u_up` (0.8).
        up: f64,
        /// `u_tgt` (0.7).
        target: f64,
        /// `u_down` (0.5).
        down: f64,
    },
    /// A custom table: entry `n−1` holds `(up_n, down_n)` in load units for `n` replicas; it
    /// must cover `1..=max` and satisfy `down_n < up_n` and `down_{n+1} < up_n` (no
    /// oscillation). `n*` is the smallest `n` with `s ≤ up_n`.
    Table(Vec<(f64, f64)>),
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::Linear {
            up: 0.8,
            target: 0.7,
            down: 0.5,
        }
    }
}

/// Settings of the reactive scaler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactiveConfig {
    /// Load one replica serves at the SLO (`C`, > 0).
    pub capacity: f64,
    /// EMA weight of the newest sample, in (0, 1] (0.7).
    pub alpha: f64,
    /// Thresholds (linear 0.8 / 0.7 / 0.5 by default).
    pub thresholds: Thresholds,
    /// Replica bounds (`min >= 1`).
    pub bounds: ReplicaBounds,
    /// Cooldown before a scale-up, seconds since the last action (60).
    pub cooldown_up: i64,
    /// Cooldown before a scale-down, seconds since the last action (60).
    pub cooldown_down: i64,
}

impl ReactiveConfig {
    /// The defaults of §6.1 with the given capacity and bounds.
    pub fn new(capacity: f64, min: u32, max: u32) -> Result<Self> {
        check_positive("capacity", capacity)?;
        Ok(ReactiveConfig {
            capacity,
            alpha: 0.7,
            thresholds: Thresholds::default(),
            bounds: ReplicaBounds::new(min, max)?,
            cooldown_up: 60,
            cooldown_down: 60,
        })
    }

    /// Checks every value, including the non-oscillation condition of a table.
    pub fn validate(&self) -> Result<()> {
        check_positive("capacity", self.capacity)?;
        check_range("alpha", self.alpha, f64::MIN_POSITIVE, 1.0)?;
        let b = ReplicaBounds::new(self.bounds.min, self.bounds.max)?;
        if b.min == 0 {
            return Err(AutoscaleError::invalid_param(
                "min_replicas",
                "the reactive scaler needs min_replicas >= 1",
            ));
        }
        Cooldown::new(self.cooldown_up, self.cooldown_down)?;
        match &self.thresholds {
            Thresholds::Linear { up, target, down } => {
                let ok = [*up, *target, *down].iter().all(|v| v.is_finite())
                    && 0.0 < *down
                    && down < target
                    && target <= up
                    && *up <= 1.0;
                if !ok {
                    return Err(AutoscaleError::invalid_param(
                        "thresholds",
                        format!(
                            "need 0 < u_down < u_tgt <= u_up <= 1, got u_down {down}, u_tgt {target}, u_up {up}"
                        ),
                    ));
                }
            }
            Thresholds::Table(t) => {
                if t.len() < b.max as usize {
                    return Err(AutoscaleError::invalid_param(
                        "thresholds",
                        format!(
                            "the table has {} rows but must cover 1..={} replicas",
                            t.len(),
                            b.max
                        ),
                    ));
                }
                for (i, &(up, down)) in t.iter().enumerate() {
                    let n = i + 1;
                    if !(up.is_finite() && down.is_finite() && down >= 0.0 && down < up) {
                        return Err(AutoscaleError::invalid_param(
                            "thresholds",
                            format!(
                                "row for {n} replicas needs 0 <= down < up, got ({up}, {down})"
                            ),
                        ));
                    }
                    if let Some(&(_, next_down)) = t.get(i + 1)
                        && next_down >= up
                    {
                        return Err(AutoscaleError::invalid_param(
                            "thresholds",
                            format!(
                                "table can oscillate: down_{} = {next_down} must be < up_{n} = {up}",
                                n + 1
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The EMA and the threshold logic, without the cooldown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactiveScaler {
    cfg: ReactiveConfig,
    ema: Option<f64>,
}

impl ReactiveScaler {
    /// A scaler with validated settings.
    pub fn new(cfg: ReactiveConfig) -> Result<Self> {
        cfg.validate()?;
        Ok(ReactiveScaler { cfg, ema: None })
    }

    /// The settings.
    pub fn config(&self) -> &ReactiveConfig {
        &self.cfg
    }

    /// Forgets the EMA.
    pub fn reset(&mut self) {
        self.ema = None;
    }

    /// Feeds one sample: `s_t = α·x_t + (1−α)·s_{t−1}`, `s_0 = x_0`. Returns `s_t`.
    pub fn observe(&mut self, x: f64) -> f64 {
        let a = self.cfg.alpha;
        let s = match self.ema {
            None => x,
            Some(prev) => a * x + (1.0 - a) * prev,
        };
        self.ema = Some(s);
        s
    }

    /// The current EMA (`None` before the first sample).
    pub fn ema(&self) -> Option<f64> {
        self.ema
    }

    /// Scale-up threshold for `n` replicas.
    pub fn up(&self, n: u32) -> f64 {
        match &self.cfg.thresholds {
            Thresholds::Linear { up, .. } => up * self.cfg.capacity * n as f64,
            Thresholds::Table(t) => t.get(n.max(1) as usize - 1).map_or(f64::INFINITY, |r| r.0),
        }
    }

    /// Scale-down threshold for `n` replicas.
    pub fn down(&self, n: u32) -> f64 {
        match &self.cfg.thresholds {
            Thresholds::Linear { down, .. } => {
                down * self.cfg.capacity * n.saturating_sub(1) as f64
            }
            Thresholds::Table(t) => t.get(n.max(1) as usize - 1).map_or(0.0, |r| r.1),
        }
    }

    /// The target count `n*` for a smoothed load `s`, clamped to the bounds.
    pub fn target(&self, s: f64) -> u32 {
        let b = self.cfg.bounds;
        match &self.cfg.thresholds {
            Thresholds::Linear { target, .. } => b.clamp_ceil(s / (target * self.cfg.capacity)),
            Thresholds::Table(t) => {
                let n = t
                    .iter()
                    .position(|r| s <= r.0)
                    .map_or(b.max, |i| i as u32 + 1);
                b.clamp(n)
            }
        }
    }

    /// The desired count with `n` replicas now, before the cooldown ("reactive desired").
    /// `n` itself before the first sample.
    pub fn desired(&self, n: u32) -> u32 {
        let Some(s) = self.ema else {
            return self.cfg.bounds.clamp(n);
        };
        let b = self.cfg.bounds;
        let n_star = self.target(s);
        let mut d = n;
        if s > self.up(n) {
            d = n_star.max(n.saturating_add(1)).min(b.max);
        } else if s < self.down(n) {
            d = n_star.min(n.saturating_sub(1)).max(b.min);
        }
        b.clamp(d)
    }
}

/// Feeds every sample of `metric` newer than `*last_ts` into `scaler`.
pub(crate) fn feed_new_samples(
    scaler: &mut ReactiveScaler,
    metric: &Series,
    last_ts: &mut Option<i64>,
) {
    let fresh = match *last_ts {
        Some(ts) => metric.after(ts),
        None => metric.clone(),
    };
    for &x in fresh.values() {
        scaler.observe(x);
    }
    if let Some(end) = metric.end() {
        *last_ts = Some(last_ts.map_or(end, |t| t.max(end)));
    }
}

/// The reactive scaler as a [`ScalingPolicy`]: EMA over every new sample, thresholds, cooldown.
#[derive(Debug, Clone)]
pub struct ReactivePolicy {
    name: String,
    scaler: ReactiveScaler,
    cooldown: Cooldown,
    last_ts: Option<i64>,
}

impl ReactivePolicy {
    /// A reactive policy named `reactive`.
    pub fn new(cfg: ReactiveConfig) -> Result<Self> {
        let cooldown = Cooldown::new(cfg.cooldown_up, cfg.cooldown_down)?;
        Ok(ReactivePolicy {
            name: "reactive".into(),
            scaler: ReactiveScaler::new(cfg)?,
            cooldown,
            last_ts: None,
        })
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The scaler (EMA and thresholds).
    pub fn scaler(&self) -> &ReactiveScaler {
        &self.scaler
    }

    /// Updates the EMA from the observation and returns the desired count before the cooldown.
    pub fn desired_before_cooldown(&mut self, obs: &Observation<'_>) -> u32 {
        feed_new_samples(&mut self.scaler, obs.metric, &mut self.last_ts);
        self.scaler.desired(obs.replicas)
    }
}

impl ScalingPolicy for ReactivePolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.scaler.cfg.bounds
    }

    fn prepare(&mut self, _history: &Series) -> Result<()> {
        self.scaler.reset();
        self.cooldown.reset();
        self.last_ts = None;
        Ok(())
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        let desired = self.desired_before_cooldown(obs);
        let current = self.bounds().clamp(obs.replicas);
        Ok(self.cooldown.gate(obs.now, current, desired))
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
