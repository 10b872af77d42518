//! [`GuardedHybrid`]: a predictive policy whose headroom comes from its own forecast errors,
//! with a reactive floor and a forecast-guarded scale-down.
//!
//! At each decision `t` (with `L` the lead time and `P` the decision period):
//!
//! 1. the model forecasts from the visible data (a zero-copy view, nothing later);
//! 2. the **band** `b` is the `quantile` of the recent signed errors `y − ŷ` of the
//!    forecasts made `L` ahead (the step at `t + L`), matched with the values observed later,
//!    at least 0 — an online split-conformal upper bound. The window starts with errors of
//!    the fitted model on the last points of the history (before the replay window) and
//!    then slides over the replay's own matched errors;
//! 3. the load to provision for is `Y = max_k ŷ_k + b` over the forecast steps covering
//!    `[t, t + L + P]` (from now, not from `t + L`: a pod removed now takes `L` to come back,
//!    so the count only falls when the forecast says the smaller count suffices until then);
//! 4. the **reactive floor**: the latest observed load `x` with a margin,
//!    `n_floor = ceil(x·(1 + floor_margin)/(u·C))`;
//! 5. `n = max(ceil(Y/(u·C)), n_floor)`; scale-ups act at once, scale-downs only after
//!    `down_hold` seconds without a scale-up and by at most `max_step_down` per decision.
//!
//! ```
//! use forecast_autoscale::guard::{GuardConfig, GuardedHybrid};
//! use forecast_autoscale::{ReplayConfig, simulate};
//! use forecast_core::{Series, baselines::Naive};
//! let v: Vec<f64> = (0..300).map(|t| 400.0 + 50.0 * (t as f64 / 20.0).sin()).collect();
//! let trace = Series::new(0, 15, v).unwrap();
//! let mut p = GuardedHybrid::new(Box::new(Naive::new()), GuardConfig::new(50.0, 1, 30).unwrap()).unwrap();
//! let mut cfg = ReplayConfig::new(50.0).unwrap();
//! cfg.history_points = 180;
//! let r = simulate(&trace, &mut p, &cfg).unwrap();
//! assert!(r.slo_violation_share < 0.1);
//! ```

use std::collections::VecDeque;

use forecast_core::{Forecast, Forecaster, Series};
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive, check_range};
use crate::policy::{Observation, ReplicaBounds, ScalingPolicy};
use crate::predictive::ErrorTracker;

/// Settings of a [`GuardedHybrid`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardConfig {
    /// Load one replica serves at the SLO (`C`, > 0).
    pub capacity: f64,
    /// Replica bounds (`min >= 1`).
    pub bounds: ReplicaBounds,
    /// Utilisation `u` the provisioned load may reach, in (0, 1] (0.95: the band is the
    /// safety margin).
    pub target_utilization: f64,
    /// Quantile of the signed lead-time errors used as the band, in (0, 1) (0.95).
    pub quantile: f64,
    /// Number of matched errors kept (120).
    pub error_window: usize,
    /// History points at the end of the fit window used to seed the errors (60).
    pub calibration_points: usize,
    /// Margin of the reactive floor over the latest observed load (0.05).
    pub floor_margin: f64,
    /// Lead time `L` in seconds: pod start-up plus metric lag (60).
    pub lead_time: i64,
    /// Decision period `P` in seconds (15).
    pub decision_period: i64,
    /// Seconds without a scale-up before a scale-down (60).
    pub down_hold: i64,
    /// Most replicas removed per decision (1).
    pub max_step_down: u32,
    /// Floor the forecast at the latest observed load before the band is added, and measure
    /// the errors of that floored forecast (true): the band then covers what the floor
    /// misses (mostly the onsets of bursts), not the model's lag behind a burst in progress.
    pub anchor_latest: bool,
}

impl GuardConfig {
    /// Defaults with the given capacity and bounds.
    pub fn new(capacity: f64, min: u32, max: u32) -> Result<Self> {
        check_positive("capacity", capacity)?;
        Ok(GuardConfig {
            capacity,
            bounds: ReplicaBounds::new(min, max)?,
            target_utilization: 0.95,
            quantile: 0.95,
            error_window: 120,
            calibration_points: 60,
            floor_margin: 0.05,
            lead_time: 60,
            decision_period: 15,
            down_hold: 60,
            max_step_down: 1,
            anchor_latest: true,
        })
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        check_positive("capacity", self.capacity)?;
        let b = ReplicaBounds::new(self.bounds.min, self.bounds.max)?;
        if b.min == 0 {
            return Err(AutoscaleError::invalid_param(
                "min_replicas",
                "the guarded hybrid needs min_replicas >= 1",
            ));
        }
        check_range("target_utilization", self.target_utilization, 1e-6, 1.0)?;
        if !(self.quantile > 0.0 && self.quantile < 1.0) {
            return Err(AutoscaleError::invalid_param(
                "quantile",
                format!("must lie strictly between 0 and 1, got {}", self.quantile),
            ));
        }
        check_range("floor_margin", self.floor_margin, 0.0, 10.0)?;
        if self.error_window == 0 {
            return Err(AutoscaleError::invalid_param(
                "error_window",
                "must be at least 1",
            ));
        }
        for (name, v, min) in [
            ("lead_time", self.lead_time, 0),
            ("decision_period", self.decision_period, 1),
            ("down_hold", self.down_hold, 0),
        ] {
            if v < min {
                return Err(AutoscaleError::invalid_param(
                    name,
                    format!("must be >= {min} seconds, got {v}"),
                ));
            }
        }
        if self.max_step_down == 0 {
            return Err(AutoscaleError::invalid_param(
                "max_step_down",
                "must be at least 1 replica",
            ));
        }
        Ok(())
    }
}

/// Signed errors `y − ŷ` of past lead-time forecasts, matched once `y` is visible.
#[derive(Debug, Clone, Default, PartialEq)]
struct LeadErrors {
    window: usize,
    pending: VecDeque<(i64, f64)>,
    errors: VecDeque<f64>,
    sorted: Vec<f64>,
}

impl LeadErrors {
    fn new(window: usize) -> Self {
        LeadErrors {
            window,
            pending: VecDeque::with_capacity(16),
            errors: VecDeque::with_capacity(window + 1),
            sorted: Vec::with_capacity(window + 1),
        }
    }

    fn clear(&mut self) {
        self.pending.clear();
        self.errors.clear();
    }

    fn push_error(&mut self, e: f64) {
        if e.is_finite() {
            self.errors.push_back(e);
            if self.errors.len() > self.window {
                self.errors.pop_front();
            }
        }
    }

    fn predict(&mut self, ts: i64, value: f64) {
        if self.pending.back().is_some_and(|&(t, _)| t >= ts) {
            return;
        }
        self.pending.push_back((ts, value));
    }

    fn observe(&mut self, metric: &Series) {
        let Some(end) = metric.end() else { return };
        while let Some(&(ts, pred)) = self.pending.front() {
            if ts > end {
                break;
            }
            self.pending.pop_front();
            if let Some(i) = metric.index_of(ts) {
                self.push_error(metric.values()[i] - pred);
            }
        }
    }

    /// The `q` quantile (nearest rank `ceil(q·(n+1))`, the split-conformal rank, capped at
    /// `n`) of the errors, at least 0; `None` before any error.
    fn band(&mut self, q: f64) -> Option<f64> {
        let n = self.errors.len();
        if n == 0 {
            return None;
        }
        self.sorted.clear();
        self.sorted.extend(self.errors.iter().copied());
        self.sorted.sort_by(f64::total_cmp);
        let k = ((q * (n + 1) as f64).ceil() as usize).clamp(1, n);
        Some(self.sorted[k - 1].max(0.0))
    }
}

/// A forecaster with an error-derived band, a reactive floor and a guarded scale-down.
#[derive(Debug, Clone)]
pub struct GuardedHybrid {
    name: String,
    model: Box<dyn Forecaster>,
    cfg: GuardConfig,
    max_context: Option<usize>,
    out: Forecast,
    errors: LeadErrors,
    one_step: ErrorTracker,
    last_up: Option<i64>,
}

impl GuardedHybrid {
    /// A policy named `hybrid-guard:<model name>`.
    pub fn new(model: Box<dyn Forecaster>, cfg: GuardConfig) -> Result<Self> {
        cfg.validate()?;
        Ok(GuardedHybrid {
            name: format!("hybrid-guard:{}", model.name()),
            errors: LeadErrors::new(cfg.error_window),
            model,
            cfg,
            max_context: None,
            out: Forecast::default(),
            one_step: ErrorTracker::new(20),
            last_up: None,
        })
    }

    /// Limits the context handed to the model to the last `n` points (a view; `n ≥ 1`).
    pub fn with_max_context(mut self, n: usize) -> Self {
        self.max_context = Some(n.max(1));
        self
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The settings.
    pub fn config(&self) -> &GuardConfig {
        &self.cfg
    }

    /// The current band (load units), `None` before any matched error.
    pub fn band(&mut self) -> Option<f64> {
        self.errors.band(self.cfg.quantile)
    }

    /// The recent one-step WAPE of the model.
    pub fn recent_error(&self) -> Option<f64> {
        self.one_step.wape()
    }

    fn context(&self, metric: &Series) -> Series {
        match self.max_context {
            Some(n) => metric.tail(n),
            None => metric.clone(),
        }
    }

    /// Steps from `next_ts` needed to reach `now + L + P`.
    fn horizon(&self, now: i64, next_ts: i64, step: i64) -> usize {
        let end = now + self.cfg.lead_time + self.cfg.decision_period;
        if end < next_ts {
            1
        } else {
            ((end - next_ts) / step + 1) as usize
        }
    }

    /// The index of the forecast step covering `now + L` in a forecast starting at `first`.
    fn lead_index(&self, now: i64, first: i64, step: i64) -> usize {
        let target = now + self.cfg.lead_time;
        if target <= first {
            0
        } else {
            ((target - first) / step) as usize
        }
    }

    /// Seeds the errors with the fitted model's lead-time errors on the history's last
    /// points (each forecast from the data before its origin only).
    fn calibrate(&mut self, history: &Series) -> Result<()> {
        let n = history.len();
        let step = history.step();
        let need = self.model.min_train_len().max(1);
        let cal = self.cfg.calibration_points.min(n.saturating_sub(need));
        if cal == 0 {
            return Ok(());
        }
        let y = history.values();
        for o in (n - cal)..n {
            let ctx = self.context(&history.head(o));
            let li = self.lead_index(history.timestamp(o - 1), ctx.next_timestamp(), step);
            let target = o + li;
            if target >= n {
                break;
            }
            self.model.forecast_into(&ctx, li + 1, &[], &mut self.out)?;
            if let Some(&p) = self.out.point.get(li) {
                let p = if self.cfg.anchor_latest {
                    p.max(y[o - 1])
                } else {
                    p
                };
                self.errors.push_error(y[target] - p);
            }
        }
        Ok(())
    }
}

impl ScalingPolicy for GuardedHybrid {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.cfg.bounds
    }

    fn prepare(&mut self, history: &Series) -> Result<()> {
        self.errors.clear();
        self.one_step.clear();
        self.last_up = None;
        let needed = self.model.min_train_len();
        if history.len() < needed {
            return Err(AutoscaleError::Forecast(forecast_core::Error::too_short(
                format!("fitting {} before the replay window", self.model.name()),
                needed,
                history.len(),
            )));
        }
        self.model.fit(history)?;
        self.calibrate(history)
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        let b = self.cfg.bounds;
        let current = b.clamp(obs.replicas);
        self.errors.observe(obs.metric);
        self.one_step.observe(obs.metric);
        let Some(latest) = obs.latest() else {
            return Ok(current);
        };
        let ctx = self.context(obs.metric);
        let (next, step) = (ctx.next_timestamp(), ctx.step());
        let h = self.horizon(obs.now, next, step);
        self.model.forecast_into(&ctx, h, &[], &mut self.out)?;
        let Some(&first) = self.out.point.first() else {
            return Err(AutoscaleError::Policy {
                policy: self.name.clone(),
                message: "the model returned an empty forecast".into(),
            });
        };
        self.one_step.predict(next, first);
        let li = self.lead_index(obs.now, next, step);
        let anchor = if self.cfg.anchor_latest {
            latest
        } else {
            f64::NEG_INFINITY
        };
        if let Some(&p) = self.out.point.get(li) {
            self.errors.predict(next + li as i64 * step, p.max(anchor));
        }
        let mut peak = f64::NEG_INFINITY;
        for (k, &v) in self.out.point.iter().enumerate() {
            if !v.is_finite() {
                return Err(AutoscaleError::Policy {
                    policy: self.name.clone(),
                    message: format!("forecast value at step {} is {v}", k + 1),
                });
            }
            peak = peak.max(v);
        }
        let peak = peak.max(anchor);
        let band = self.errors.band(self.cfg.quantile).unwrap_or(0.0);
        let unit = self.cfg.target_utilization * self.cfg.capacity;
        let n_pred = b.clamp_ceil((peak + band).max(0.0) / unit);
        let n_floor = b.clamp_ceil(latest * (1.0 + self.cfg.floor_margin) / unit);
        let desired = n_pred.max(n_floor);
        let n = if desired > current {
            self.last_up = Some(obs.now);
            desired
        } else if desired < current {
            let held = self
                .last_up
                .is_some_and(|t| obs.now < t + self.cfg.down_hold);
            if held {
                current
            } else {
                desired.max(current.saturating_sub(self.cfg.max_step_down))
            }
        } else {
            current
        };
        Ok(b.clamp(n))
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_is_the_conformal_quantile_of_signed_errors() {
        let mut e = LeadErrors::new(10);
        assert_eq!(e.band(0.9), None);
        for x in [-3.0, 1.0, 2.0, 5.0, 4.0] {
            e.push_error(x);
        }
        // n = 5, rank ceil(0.9·6) = 6 -> capped at 5: the largest.
        assert_eq!(e.band(0.9), Some(5.0));
        // rank ceil(0.5·6) = 3: sorted [-3, 1, 2, 4, 5] -> 2.
        assert_eq!(e.band(0.5), Some(2.0));
        let mut neg = LeadErrors::new(3);
        for x in [-5.0, -4.0, -1.0, -2.0] {
            neg.push_error(x);
        }
        assert_eq!(neg.errors.len(), 3);
        assert_eq!(neg.band(0.9), Some(0.0));
    }

    #[test]
    fn config_validation() {
        let mut c = GuardConfig::new(10.0, 1, 5).unwrap();
        assert!(c.validate().is_ok());
        c.quantile = 1.0;
        assert!(c.validate().is_err());
        let mut c = GuardConfig::new(10.0, 0, 5).unwrap();
        assert!(c.validate().is_err());
        c.bounds.min = 1;
        c.max_step_down = 0;
        assert!(c.validate().is_err());
        assert!(GuardConfig::new(0.0, 1, 5).is_err());
        assert!(GuardConfig::new(1.0, 6, 5).is_err());
    }
}
