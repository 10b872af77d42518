//! KEDA ScaledObject semantics (spec §2.8): the generated HPA (an External metric with an
//! `AverageValue` target, `desired = ceil(M/T)` outside tolerance) for 1 ↔ N, and the KEDA
//! operator's activation phase for 0 ↔ 1 (activation threshold, cooldown, idle replicas),
//! which overrides the HPA.
//!
//! ```
//! use forecast_autoscale::keda::keda_hpa_replicas;
//! // M = 125, T = 10, 5 replicas: ratio 2.5 -> ceil(125/10) = 13.
//! assert_eq!(keda_hpa_replicas(125.0, 10.0, 5), 13);
//! ```

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive};
use crate::hpa::{
    Behavior, HpaController, HpaSpec, MetricError, Tolerance, ValueTarget, value_metric_replicas,
};
use crate::policy::{Observation, ReplicaBounds, ScalingPolicy};

/// The generated HPA's proposal for metric value `m`, target `t` per replica, and `current`
/// replicas (tolerance 0.1): `ceil(m/t)` unless `|m/(t·current) − 1| ≤ 0.1`.
pub fn keda_hpa_replicas(m: f64, t: f64, current: u32) -> u32 {
    value_metric_replicas(
        current,
        current,
        current,
        m,
        ValueTarget::AverageValue(t),
        Tolerance::default(),
    )
    .unwrap_or(current)
}

/// ScaledObject settings (KEDA defaults in parentheses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KedaConfig {
    /// The trigger's `AverageValue` target `T` per replica (required, > 0).
    pub target: f64,
    /// `activation*` threshold: active iff `M >` this (default 0).
    pub activation_threshold: f64,
    /// `minReplicaCount` (default 0).
    pub min_replica_count: u32,
    /// `maxReplicaCount` (default 100).
    pub max_replica_count: u32,
    /// `idleReplicaCount` (default unset); must be below `minReplicaCount`.
    pub idle_replica_count: Option<u32>,
    /// `cooldownPeriod` in seconds (default 300).
    pub cooldown_period: i64,
    /// `initialCooldownPeriod` in seconds (default 0).
    pub initial_cooldown_period: i64,
    /// `pollingInterval` in seconds (default 30).
    pub polling_interval: i64,
    /// The generated HPA's `behavior` (default `None`: legacy path).
    pub behavior: Option<Behavior>,
    /// HPA tolerance (default 0.1).
    pub tolerance: Tolerance,
}

impl KedaConfig {
    /// KEDA defaults with the given target and maximum.
    pub fn new(target: f64, max_replica_count: u32) -> Result<Self> {
        check_positive("target", target)?;
        Ok(KedaConfig {
            target,
            activation_threshold: 0.0,
            min_replica_count: 0,
            max_replica_count,
            idle_replica_count: None,
            cooldown_period: 300,
            initial_cooldown_period: 0,
            polling_interval: 30,
            behavior: None,
            tolerance: Tolerance::default(),
        })
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        check_positive("target", self.target)?;
        if !(self.activation_threshold.is_finite()) {
            return Err(AutoscaleError::invalid_param(
                "activation_threshold",
                format!("must be finite, got {}", self.activation_threshold),
            ));
        }
        ReplicaBounds::new(self.min_replica_count, self.max_replica_count)?;
        if let Some(idle) = self.idle_replica_count
            && idle >= self.min_replica_count
        {
            return Err(AutoscaleError::invalid_param(
                "idle_replica_count",
                format!(
                    "must be below minReplicaCount ({}), got {idle}",
                    self.min_replica_count
                ),
            ));
        }
        for (name, v) in [
            ("cooldown_period", self.cooldown_period),
            ("initial_cooldown_period", self.initial_cooldown_period),
        ] {
            if v < 0 {
                return Err(AutoscaleError::invalid_param(
                    name,
                    format!("must be >= 0 seconds, got {v}"),
                ));
            }
        }
        if self.polling_interval <= 0 {
            return Err(AutoscaleError::invalid_param(
                "polling_interval",
                format!("must be > 0 seconds, got {}", self.polling_interval),
            ));
        }
        Ok(())
    }
}

/// The KEDA operator's activation state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activation {
    cfg: KedaConfig,
    created: Option<i64>,
    last_active: Option<i64>,
}

impl Activation {
    /// The activation phase of `cfg` (not validated here).
    pub fn new(cfg: KedaConfig) -> Self {
        Activation {
            cfg,
            created: None,
            last_active: None,
        }
    }

    /// Forgets creation and activity times.
    pub fn reset(&mut self) {
        self.created = None;
        self.last_active = None;
    }

    /// One operator check at `now` with metric value `m` and `current` replicas: the replica
    /// count KEDA sets, or `None` when it leaves the scale to the HPA.
    pub fn check(&mut self, now: i64, m: f64, current: u32) -> Option<u32> {
        let c = &self.cfg;
        let created = *self.created.get_or_insert(now);
        let min = c.min_replica_count;
        if m > c.activation_threshold {
            self.last_active = Some(now);
            let idle_below_min = c.idle_replica_count.is_some() && current < min;
            if current == 0 || idle_below_min {
                return Some(if min > 0 { min } else { 1 });
            }
            return None;
        }
        let cooled = match self.last_active {
            Some(t) => t + c.cooldown_period < now,
            None => created + c.initial_cooldown_period < now,
        };
        match c.idle_replica_count {
            Some(idle) if current > idle => cooled.then_some(idle),
            Some(_) => None,
            None if current > 0 && min == 0 => cooled.then_some(0),
            None if current < min => Some(min),
            None => None,
        }
    }
}

/// KEDA (operator + generated HPA) as a [`ScalingPolicy`] on the replayed load.
#[derive(Debug, Clone)]
pub struct KedaPolicy {
    name: String,
    cfg: KedaConfig,
    activation: Activation,
    hpa: HpaController,
    last_poll: Option<i64>,
}

impl KedaPolicy {
    /// A KEDA policy named `keda`.
    pub fn new(cfg: KedaConfig) -> Result<Self> {
        cfg.validate()?;
        let hpa_bounds = ReplicaBounds::new(cfg.min_replica_count.max(1), cfg.max_replica_count)?;
        let hpa = HpaController::new(HpaSpec {
            bounds: hpa_bounds,
            behavior: cfg.behavior.clone(),
            downscale_stabilization: 300,
        })?;
        Ok(KedaPolicy {
            name: "keda".into(),
            activation: Activation::new(cfg.clone()),
            cfg,
            hpa,
            last_poll: None,
        })
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl ScalingPolicy for KedaPolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        ReplicaBounds {
            min: self
                .cfg
                .idle_replica_count
                .unwrap_or(self.cfg.min_replica_count),
            max: self.cfg.max_replica_count,
        }
    }

    fn prepare(&mut self, _history: &Series) -> Result<()> {
        self.activation.reset();
        self.hpa.reset();
        self.last_poll = None;
        Ok(())
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        let b = self.bounds();
        let current = b.clamp(obs.replicas);
        let m = obs.latest();
        if let Some(m) = m
            && self
                .last_poll
                .is_none_or(|t| obs.now >= t + self.cfg.polling_interval)
        {
            self.last_poll = Some(obs.now);
            if let Some(target) = self.activation.check(obs.now, m, current)
                && target != current
            {
                return Ok(b.clamp(target));
            }
        }
        if current == 0 || current < self.hpa.spec().bounds.min {
            return Ok(current);
        }
        let proposal = match m {
            Some(m) => value_metric_replicas(
                current,
                obs.ready,
                current,
                m,
                ValueTarget::AverageValue(self.cfg.target),
                self.cfg.tolerance,
            ),
            None => Err(MetricError::NoMetrics),
        };
        Ok(b.clamp(self.hpa.reconcile(obs.now, current, &[proposal])))
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
