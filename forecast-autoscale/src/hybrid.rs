//! Hybrid predictive + reactive policies (spec §6.3): max (safety first), weighted blend,
//! reactive override when the two disagree by more than `D` replicas, and a fallback to the
//! HPA when the forecaster errors or its recent error exceeds a bound.
//!
//! ```
//! use forecast_autoscale::hybrid::HybridStrategy;
//! assert_eq!(HybridStrategy::MaxSafety.combine(3, 5), 5);
//! assert_eq!(HybridStrategy::WeightedBlend { w: 0.5 }.combine(3, 6), 5); // ceil(4.5)
//! assert_eq!(HybridStrategy::ReactiveOverride { d: 2 }.combine(3, 6), 6);
//! assert_eq!(HybridStrategy::ReactiveOverride { d: 2 }.combine(4, 6), 4);
//! ```

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive, check_range};
use crate::hpa::HpaPolicy;
use crate::policy::{Cooldown, Observation, ReplicaBounds, ScalingPolicy};
use crate::predictive::PredictivePolicy;
use crate::reactive::ReactivePolicy;

/// How the predictive and reactive counts combine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum HybridStrategy {
    /// `max(n_pred, n_react)`.
    MaxSafety,
    /// `ceil(w·n_pred + (1−w)·n_react)`, `w ∈ [0, 1]` (0.5).
    WeightedBlend {
        /// Weight of the predictive count.
        w: f64,
    },
    /// `n_react` if `|n_pred − n_react| > d`, else `n_pred` (`d` = 2).
    ReactiveOverride {
        /// Disagreement threshold in replicas.
        d: u32,
    },
}

impl HybridStrategy {
    /// Combines the two counts (before clamping).
    pub fn combine(&self, n_pred: u32, n_react: u32) -> u32 {
        match *self {
            HybridStrategy::MaxSafety => n_pred.max(n_react),
            HybridStrategy::WeightedBlend { w } => {
                let x = w * n_pred as f64 + (1.0 - w) * n_react as f64;
                // Guard against 4.000000001 from rounding: the blend of integers with
                // weight w is within 1e-9 of an integer only when it is one.
                let r = x.round();
                if (x - r).abs() < 1e-9 {
                    r as u32
                } else {
                    x.ceil() as u32
                }
            }
            HybridStrategy::ReactiveOverride { d } => {
                if n_pred.abs_diff(n_react) > d {
                    n_react
                } else {
                    n_pred
                }
            }
        }
    }

    /// Short name for reports: `max`, `blend`, `override`.
    pub fn label(&self) -> &'static str {
        match self {
            HybridStrategy::MaxSafety => "max",
            HybridStrategy::WeightedBlend { .. } => "blend",
            HybridStrategy::ReactiveOverride { .. } => "override",
        }
    }

    fn validate(&self) -> Result<()> {
        if let HybridStrategy::WeightedBlend { w } = self {
            check_range("w", *w, 0.0, 1.0)?;
        }
        Ok(())
    }
}

/// When to hand over to the HPA.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FallbackConfig {
    /// Fall back while the forecaster's recent one-step WAPE exceeds this (e.g. 0.5).
    pub max_error: f64,
    /// Matched predictions needed before the error bound is applied (e.g. 5).
    pub min_matches: usize,
}

/// A hybrid of a [`PredictivePolicy`] and a [`ReactivePolicy`], with an optional HPA fallback.
#[derive(Debug, Clone)]
pub struct HybridPolicy {
    name: String,
    predictive: PredictivePolicy,
    reactive: ReactivePolicy,
    strategy: HybridStrategy,
    bounds: ReplicaBounds,
    cooldown: Cooldown,
    fallback: Option<(FallbackConfig, HpaPolicy)>,
    fallback_decisions: usize,
}

impl HybridPolicy {
    /// A hybrid named `hybrid-<strategy>:<model>`. Bounds are the planner's; the cooldown is
    /// the reactive scaler's and applies to the combined decision.
    pub fn new(
        predictive: PredictivePolicy,
        reactive: ReactivePolicy,
        strategy: HybridStrategy,
    ) -> Result<Self> {
        strategy.validate()?;
        let bounds = predictive.bounds();
        if reactive.bounds() != bounds {
            return Err(AutoscaleError::invalid_param(
                "bounds",
                format!(
                    "predictive bounds {:?} differ from reactive bounds {:?}",
                    bounds,
                    reactive.bounds()
                ),
            ));
        }
        let rc = reactive.scaler().config();
        let cooldown = Cooldown::new(rc.cooldown_up, rc.cooldown_down)?;
        Ok(HybridPolicy {
            name: format!("hybrid-{}:{}", strategy.label(), predictive.model().name()),
            predictive,
            reactive,
            strategy,
            bounds,
            cooldown,
            fallback: None,
            fallback_decisions: 0,
        })
    }

    /// Adds an HPA fallback used when the forecaster fails or its recent error exceeds
    /// `cfg.max_error`. Without it, a forecaster failure falls back to the reactive count.
    pub fn with_fallback(mut self, cfg: FallbackConfig, hpa: HpaPolicy) -> Result<Self> {
        check_positive("max_error", cfg.max_error)?;
        if hpa.bounds() != self.bounds {
            return Err(AutoscaleError::invalid_param(
                "bounds",
                "the fallback HPA must have the hybrid's bounds",
            ));
        }
        self.fallback = Some((cfg, hpa));
        Ok(self)
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// How many decisions of the current run were taken by the fallback.
    pub fn fallback_decisions(&self) -> usize {
        self.fallback_decisions
    }
}

impl ScalingPolicy for HybridPolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.bounds
    }

    fn prepare(&mut self, history: &Series) -> Result<()> {
        self.cooldown.reset();
        self.fallback_decisions = 0;
        self.reactive.prepare(history)?;
        if let Some((_, hpa)) = &mut self.fallback {
            hpa.prepare(history)?;
        }
        self.predictive.prepare(history)
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        let current = self.bounds.clamp(obs.replicas);
        let n_react = self.reactive.desired_before_cooldown(obs);
        let hpa_n = match &mut self.fallback {
            Some((_, hpa)) => Some(hpa.decide(obs)?),
            None => None,
        };
        let pred = self.predictive.plan(obs);
        let too_wrong = match (&self.fallback, self.predictive.recent_error()) {
            (Some((cfg, _)), Some(err)) => {
                err > cfg.max_error && self.predictive.error_matches() >= cfg.min_matches
            }
            _ => false,
        };
        match (pred, hpa_n) {
            (Err(_), Some(h)) => {
                self.fallback_decisions += 1;
                Ok(h)
            }
            (Ok(_), Some(h)) if too_wrong => {
                self.fallback_decisions += 1;
                Ok(h)
            }
            (Err(_), None) => {
                // No HPA fallback: the reactive count keeps the service up.
                self.fallback_decisions += 1;
                Ok(self
                    .cooldown
                    .gate(obs.now, current, self.bounds.clamp(n_react)))
            }
            (Ok(n_pred), _) => {
                let n = self.bounds.clamp(self.strategy.combine(n_pred, n_react));
                Ok(self.cooldown.gate(obs.now, current, n))
            }
        }
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
