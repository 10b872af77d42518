//! The planner: a forecast → a desired replica count (spec §6.2, with headroom and ramp
//! limits).
//!
//! `Ŷ` is the maximum of the forecast (point or the upper bound of a prediction interval)
//! over the steps covering `[t + L, t + L + P]`, with `L` the provisioning lead time and `P`
//! the decision period; then `n = ceil(Ŷ·(1 + headroom)/(u_tgt·C))`, limited to
//! `current + max_step_up` / `current − max_step_down` and clamped to `[min, max]`.
//!
//! ```
//! use forecast_autoscale::planner::{Planner, PlannerConfig};
//! use forecast_core::Forecast;
//! let mut cfg = PlannerConfig::new(100.0, 1, 20).unwrap();
//! cfg.headroom = 0.0;
//! let planner = Planner::new(cfg).unwrap();
//! let mut f = Forecast::default();
//! f.reset(60, 60, 3, &[]).unwrap();
//! f.point.copy_from_slice(&[100.0, 250.0, 400.0]);
//! // now = 0, lead 60 s, period 15 s: steps covering [60, 75] -> only 250 (ts 120) is out.
//! assert_eq!(planner.plan(&f, 0, 1).unwrap(), 2); // ceil(100/70)
//! ```

use forecast_core::Forecast;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive, check_range};
use crate::policy::ReplicaBounds;

/// Which forecast value the planner provisions for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum PlanMode {
    /// The point forecast.
    Point,
    /// The upper bound of the central interval at `level` percent (safety first).
    Upper {
        /// Interval level in percent, e.g. 80.
        level: f64,
    },
}

/// Planner settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannerConfig {
    /// Load one replica serves at the SLO (`C`, > 0).
    pub capacity: f64,
    /// Target utilisation `u_tgt` in (0, 1] (default 0.7).
    pub target_utilization: f64,
    /// Extra headroom as a fraction (default 0.1 = 10 %).
    pub headroom: f64,
    /// Provisioning lead time `L` in seconds: pod start-up plus control latency (default 60).
    pub lead_time: i64,
    /// Decision period `P` in seconds (default 15).
    pub decision_period: i64,
    /// Replica bounds.
    pub bounds: ReplicaBounds,
    /// Point or upper-interval mode (default point).
    pub mode: PlanMode,
    /// Most replicas added per decision (`None`: unlimited).
    pub max_step_up: Option<u32>,
    /// Most replicas removed per decision (`None`: unlimited).
    pub max_step_down: Option<u32>,
}

impl PlannerConfig {
    /// Defaults with the given capacity and bounds.
    pub fn new(capacity: f64, min: u32, max: u32) -> Result<Self> {
        check_positive("capacity", capacity)?;
        Ok(PlannerConfig {
            capacity,
            target_utilization: 0.7,
            headroom: 0.1,
            lead_time: 60,
            decision_period: 15,
            bounds: ReplicaBounds::new(min, max)?,
            mode: PlanMode::Point,
            max_step_up: None,
            max_step_down: None,
        })
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        check_positive("capacity", self.capacity)?;
        check_range("target_utilization", self.target_utilization, 1e-6, 1.0)?;
        check_range("headroom", self.headroom, 0.0, 10.0)?;
        ReplicaBounds::new(self.bounds.min, self.bounds.max)?;
        if self.lead_time < 0 {
            return Err(AutoscaleError::invalid_param(
                "lead_time",
                format!("must be >= 0 seconds, got {}", self.lead_time),
            ));
        }
        if self.decision_period <= 0 {
            return Err(AutoscaleError::invalid_param(
                "decision_period",
                format!("must be > 0 seconds, got {}", self.decision_period),
            ));
        }
        if let PlanMode::Upper { level } = self.mode
            && !(level.is_finite() && level > 0.0 && level < 100.0)
        {
            return Err(AutoscaleError::invalid_param(
                "level",
                format!("interval level must lie strictly between 0 and 100, got {level}"),
            ));
        }
        if self.max_step_up == Some(0) || self.max_step_down == Some(0) {
            return Err(AutoscaleError::invalid_param(
                "max_step",
                "ramp limits must be at least 1 replica (use None for no limit)",
            ));
        }
        Ok(())
    }
}

/// Turns forecasts into replica counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Planner {
    cfg: PlannerConfig,
    levels: Vec<f64>,
}

impl Planner {
    /// A planner with validated settings.
    pub fn new(cfg: PlannerConfig) -> Result<Self> {
        cfg.validate()?;
        let levels = match cfg.mode {
            PlanMode::Point => Vec::new(),
            PlanMode::Upper { level } => vec![level],
        };
        Ok(Planner { cfg, levels })
    }

    /// The settings.
    pub fn config(&self) -> &PlannerConfig {
        &self.cfg
    }

    /// The interval levels to request from a forecaster (empty in point mode).
    pub fn levels(&self) -> &[f64] {
        &self.levels
    }

    /// The forecast horizon (steps of `step` seconds after `next_ts`, the first forecast
    /// timestamp) needed to cover `[now + L, now + L + P]`.
    pub fn horizon(&self, now: i64, next_ts: i64, step: i64) -> usize {
        let end = now + self.cfg.lead_time + self.cfg.decision_period;
        if end < next_ts {
            return 1;
        }
        ((end - next_ts) / step + 1) as usize
    }

    /// The load to provision for: the max over the forecast steps whose interval
    /// `[ts, ts + step)` meets `[now + L, now + L + P]` (the last step if none does).
    pub fn target_load(&self, forecast: &Forecast, now: i64) -> Result<f64> {
        let values: &[f64] = match self.cfg.mode {
            PlanMode::Point => &forecast.point,
            PlanMode::Upper { level } => {
                &forecast
                    .interval(level)
                    .ok_or_else(|| {
                        AutoscaleError::invalid_param(
                            "level",
                            format!("the forecast has no {level}% interval"),
                        )
                    })?
                    .upper
            }
        };
        let n = values.len().min(forecast.timestamps.len());
        if n == 0 {
            return Err(AutoscaleError::EmptyTrace {
                what: "forecast".into(),
            });
        }
        let step = if n >= 2 {
            forecast.timestamps[1] - forecast.timestamps[0]
        } else {
            1
        };
        let (lo, hi) = (
            now + self.cfg.lead_time,
            now + self.cfg.lead_time + self.cfg.decision_period,
        );
        let mut best: Option<f64> = None;
        for (k, (&ts, &v)) in forecast.timestamps.iter().zip(values).enumerate() {
            if ts + step > lo && ts <= hi {
                if !v.is_finite() {
                    return Err(AutoscaleError::Policy {
                        policy: "planner".into(),
                        message: format!("forecast value at step {} is {v}", k + 1),
                    });
                }
                best = Some(best.map_or(v, |b: f64| b.max(v)));
            }
        }
        let y = match best {
            Some(y) => y,
            None => {
                let v = values[n - 1];
                if !v.is_finite() {
                    return Err(AutoscaleError::Policy {
                        policy: "planner".into(),
                        message: format!("forecast value at step {n} is {v}"),
                    });
                }
                v
            }
        };
        Ok(y.max(0.0))
    }

    /// Replicas for a load `y` before ramp limits: `ceil(y·(1+h)/(u_tgt·C))`, clamped.
    pub fn replicas_for_load(&self, y: f64) -> u32 {
        let c = &self.cfg;
        c.bounds
            .clamp_ceil(y * (1.0 + c.headroom) / (c.target_utilization * c.capacity))
    }

    /// Applies the ramp limits relative to `current`, then the bounds.
    pub fn ramp(&self, current: u32, desired: u32) -> u32 {
        let mut n = desired;
        if let Some(up) = self.cfg.max_step_up {
            n = n.min(current.saturating_add(up));
        }
        if let Some(down) = self.cfg.max_step_down {
            n = n.max(current.saturating_sub(down));
        }
        self.cfg.bounds.clamp(n)
    }

    /// The desired replica count for `forecast` at decision time `now` with `current`
    /// replicas allocated.
    pub fn plan(&self, forecast: &Forecast, now: i64, current: u32) -> Result<u32> {
        let y = self.target_load(forecast, now)?;
        Ok(self.ramp(current, self.replicas_for_load(y)))
    }
}
