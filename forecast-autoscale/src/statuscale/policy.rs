//! [`StatuScalePolicy`]: StatuScale's horizontal rule as a [`ScalingPolicy`], with the
//! vertical controller running alongside when a [`StatusSource`] (load-status detector and
//! one-step predictor) is attached.
//!
//! The replayed load maps to the representative pod's CPU as `u = U_max·ρ` with
//! `ρ = load/(pods·C)` capped at 1 (a pod cannot use more than its quota cap), so one
//! replica's capacity `C` corresponds to `U_max = 300 m`. The replay's supply counts replicas
//! only; the vertical quota is reported through [`StatuScalePolicy::last_vertical`].

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use super::horizontal::{HorizontalController, HorizontalParams};
use super::vertical::{VerticalController, VerticalDecision, VerticalInput, VerticalParams};
use crate::error::{Result, check_positive};
use crate::policy::{Observation, ReplicaBounds, ScalingPolicy};

/// What a load-status detector reports at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatusSignal {
    /// `u_t` is at or above the resistance line of the previous tick.
    pub above_resistance: bool,
    /// One-step prediction of the next sample (millicores), if a predictor is ready.
    pub prediction: Option<f64>,
}

/// A load-status detector plus one-step predictor (StatuScale §1.3 and §1.5.2), supplied by
/// the forecaster side.
pub trait StatusSource: Send + Sync + std::fmt::Debug {
    /// Observes the representative usage series (millicores, oldest first, one sample per
    /// tick, the last one taken at `now`) and reports the status signal.
    fn observe(&mut self, now: i64, usage: &[f64]) -> StatusSignal;
    /// Forgets all state.
    fn reset(&mut self);
    /// Clones into a new box.
    fn clone_box(&self) -> Box<dyn StatusSource>;
}

impl Clone for Box<dyn StatusSource> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Settings of the StatuScale policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatuScaleConfig {
    /// Replica bounds.
    pub bounds: ReplicaBounds,
    /// Horizontal rule (score, thresholds, cooldown).
    pub horizontal: HorizontalParams,
    /// Vertical controller.
    pub vertical: VerticalParams,
}

impl StatuScaleConfig {
    /// The defaults of §1.8 with the given bounds.
    pub fn new(min: u32, max: u32) -> Result<Self> {
        Ok(StatuScaleConfig {
            bounds: ReplicaBounds::new(min, max)?,
            horizontal: HorizontalParams::default(),
            vertical: VerticalParams::default(),
        })
    }
}

/// StatuScale as a [`ScalingPolicy`].
#[derive(Debug, Clone)]
pub struct StatuScalePolicy {
    name: String,
    cfg: StatuScaleConfig,
    horizontal: HorizontalController,
    vertical: VerticalController,
    source: Option<Box<dyn StatusSource>>,
    usage: Vec<f64>,
    last_vertical: Option<VerticalDecision>,
}

impl StatuScalePolicy {
    /// A policy named `statuscale` without a status source (horizontal rule only).
    pub fn new(cfg: StatuScaleConfig) -> Result<Self> {
        ReplicaBounds::new(cfg.bounds.min, cfg.bounds.max)?;
        Ok(StatuScalePolicy {
            name: "statuscale".into(),
            horizontal: HorizontalController::new(cfg.horizontal)?,
            vertical: VerticalController::new(cfg.vertical)?,
            cfg,
            source: None,
            usage: Vec::new(),
            last_vertical: None,
        })
    }

    /// Attaches a status source so the vertical controller runs too.
    pub fn with_status_source(mut self, source: Box<dyn StatusSource>) -> Self {
        self.source = Some(source);
        self
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The vertical decision of the last tick (only with a status source).
    pub fn last_vertical(&self) -> Option<VerticalDecision> {
        self.last_vertical
    }

    /// The representative CPU sample (millicores) for a load spread over `pods` pods.
    pub fn usage_millicores(&self, load: f64, pods: u32, capacity: f64) -> f64 {
        let u_max = self.cfg.horizontal.score.u_max;
        let rho = if pods == 0 {
            if load > 0.0 { 1.0 } else { 0.0 }
        } else {
            (load / (pods as f64 * capacity)).clamp(0.0, 1.0)
        };
        rho * u_max
    }
}

impl ScalingPolicy for StatuScalePolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.cfg.bounds
    }

    fn prepare(&mut self, _history: &Series) -> Result<()> {
        self.horizontal.reset();
        self.vertical.reset();
        if let Some(s) = &mut self.source {
            s.reset();
        }
        self.usage.clear();
        self.last_vertical = None;
        Ok(())
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        check_positive("capacity", obs.capacity)?;
        let b = self.cfg.bounds;
        let current = b.clamp(obs.replicas);
        let Some(load) = obs.latest() else {
            return Ok(current);
        };
        let pods = if obs.metric_pods > 0 {
            obs.metric_pods
        } else {
            obs.ready
        };
        let u = self.usage_millicores(load, pods, obs.capacity);
        self.usage.push(u);
        let action = self.horizontal.step(u, obs.now, current, b.min, b.max);
        if let Some(source) = &mut self.source {
            let signal = source.observe(obs.now, &self.usage);
            let n = self.usage.len();
            let at = |k: usize| self.usage[n.saturating_sub(k + 1)];
            let input = VerticalInput {
                now: obs.now,
                samples: n,
                recent: [at(2), at(1), at(0)],
                above_resistance: signal.above_resistance,
                prediction: signal.prediction,
                last_horizontal: self.horizontal.last_action(),
            };
            self.last_vertical = Some(self.vertical.step(&input));
        }
        let desired = match action {
            1 => current.saturating_add(1),
            -1 => current.saturating_sub(1),
            _ => current,
        };
        Ok(b.clamp(desired))
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
