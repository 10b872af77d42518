//! The Kubernetes HorizontalPodAutoscaler (autoscaling/v2), reproduced from the controller's
//! source (spec §2): per-metric replica calculation with pod grouping and tolerance
//! ([`algorithm`]), the max over several metrics, stabilisation ([`stabilization`]), the
//! legacy or `behavior` rate limits ([`behavior`]), and a [`ScalingPolicy`] adapter
//! ([`HpaPolicy`]) for trace replay.
//!
//! [`ScalingPolicy`]: crate::ScalingPolicy
//!
//! ```
//! use forecast_autoscale::hpa::{HpaController, HpaSpec};
//! use forecast_autoscale::ReplicaBounds;
//! // Legacy path (no behavior): current 3, desired 20 -> at most max(2·3, 4) = 6.
//! let mut hpa = HpaController::new(HpaSpec::legacy(ReplicaBounds::new(1, 50).unwrap())).unwrap();
//! assert_eq!(hpa.reconcile(0, 3, &[Ok(20)]), 6);
//! ```

pub mod algorithm;
pub mod behavior;
pub mod pods;
pub mod policy;
pub mod stabilization;

pub use algorithm::{
    MetricError, Tolerance, ValueTarget, plain_metric_replicas, resource_utilization_replicas,
    value_metric_replicas,
};
pub use behavior::{
    Behavior, RateKind, RatePolicy, ScaleEvents, ScalingRules, SelectPolicy, apply_rate_limits,
};
pub use pods::{Pod, PodGroup, PodPhase, PodSample, ReadinessConfig, classify};
pub use policy::{HpaConfig, HpaMetric, HpaPolicy};
pub use stabilization::Recommendations;

use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result};
use crate::policy::ReplicaBounds;

/// The scale-up limit of the legacy path: `max(2·current, 4)`.
pub fn legacy_scale_up_limit(current: u32) -> u32 {
    current.saturating_mul(2).max(4)
}

/// The normalisation part of an HPA spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HpaSpec {
    /// `minReplicas` / `maxReplicas`.
    pub bounds: ReplicaBounds,
    /// `behavior`; `None` selects the legacy path (§2.5a).
    pub behavior: Option<Behavior>,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` in seconds (300), used by the
    /// legacy path.
    pub downscale_stabilization: i64,
}

impl HpaSpec {
    /// A spec without `behavior` (what `kubectl autoscale` creates).
    pub fn legacy(bounds: ReplicaBounds) -> Self {
        HpaSpec {
            bounds,
            behavior: None,
            downscale_stabilization: 300,
        }
    }

    /// A spec with the default `behavior` (§2.1).
    pub fn with_default_behavior(bounds: ReplicaBounds) -> Self {
        HpaSpec {
            behavior: Some(Behavior::default()),
            ..HpaSpec::legacy(bounds)
        }
    }

    /// Checks bounds, windows and policies.
    pub fn validate(&self) -> Result<()> {
        ReplicaBounds::new(self.bounds.min, self.bounds.max)?;
        if self.downscale_stabilization < 0 {
            return Err(AutoscaleError::invalid_param(
                "downscale_stabilization",
                format!("must be >= 0 seconds, got {}", self.downscale_stabilization),
            ));
        }
        if let Some(b) = &self.behavior {
            b.validate()?;
        }
        Ok(())
    }
}

/// The state machine of one HPA: stored recommendations and scale events (§2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HpaController {
    spec: HpaSpec,
    recommendations: Recommendations,
    events: ScaleEvents,
}

impl HpaController {
    /// A controller for `spec` (validated).
    pub fn new(spec: HpaSpec) -> Result<Self> {
        spec.validate()?;
        Ok(HpaController {
            spec,
            recommendations: Recommendations::default(),
            events: ScaleEvents::default(),
        })
    }

    /// The spec.
    pub fn spec(&self) -> &HpaSpec {
        &self.spec
    }

    /// Forgets recommendations and events (a new HPA object).
    pub fn reset(&mut self) {
        self.recommendations.clear();
        self.events.clear();
    }

    /// Seeds a recommendation (for tests reproducing a controller's history).
    pub fn seed_recommendation(&mut self, replicas: u32, time: i64) {
        self.recommendations.seed(replicas, time);
    }

    /// Records a past rescale (for tests reproducing a controller's history).
    pub fn seed_scale_event(&mut self, prev: u32, new: u32, time: i64) {
        if let Some(b) = &self.spec.behavior {
            self.events.record(b, prev, new, time);
        }
    }

    /// One reconcile at `now` with `current = spec.replicas` and one proposal per metric
    /// (computed by the functions of [`algorithm`]); returns the replica count to set
    /// (`current` when nothing changes).
    pub fn reconcile(
        &mut self,
        now: i64,
        current: u32,
        proposals: &[Result<u32, MetricError>],
    ) -> u32 {
        if self.recommendations.is_empty() {
            self.recommendations.seed(current, now);
        }
        let ReplicaBounds { min, max } = self.spec.bounds;
        if current == 0 && min != 0 {
            return current;
        }
        let desired = if current > max {
            max
        } else if current < min {
            min
        } else {
            let mut best: Option<u32> = None;
            let mut invalid = 0usize;
            for p in proposals {
                match p {
                    Ok(n) => best = Some(best.map_or(*n, |b| b.max(*n))),
                    Err(_) => invalid += 1,
                }
            }
            let Some(proposal) = best else {
                return current;
            };
            if invalid > 0 && proposal < current {
                return current;
            }
            match &self.spec.behavior {
                None => {
                    let rec = self.recommendations.stabilize_legacy(
                        proposal,
                        now,
                        self.spec.downscale_stabilization,
                    );
                    let upper = max.min(legacy_scale_up_limit(current));
                    rec.clamp(min, upper.max(min))
                }
                Some(b) => {
                    let rec = self.recommendations.stabilize_with_behavior(
                        current,
                        proposal,
                        now,
                        b.scale_up.stabilization_window_seconds,
                        b.scale_down.stabilization_window_seconds,
                    );
                    apply_rate_limits(&self.events, b, current, rec, min, max, now)
                }
            }
        };
        if desired != current
            && let Some(b) = &self.spec.behavior
        {
            self.events.record(b, current, desired, now);
        }
        desired
    }
}
