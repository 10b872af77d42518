//! [`HpaPolicy`]: the HPA as a [`ScalingPolicy`] for trace replay.
//!
//! The replayed load is turned into the pod list the controller would see: the load of the
//! latest visible sample is spread evenly over the `metric_pods` pods that were ready when it
//! was taken; pods ready since then have no sample yet (missing), and starting pods are
//! Pending (unready). For a CPU `Utilization` metric a pod's request is the per-replica
//! capacity, so 100 % utilisation means one replica's capacity.

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use super::algorithm::{
    MetricError, Tolerance, ValueTarget, plain_metric_replicas, resource_utilization_replicas,
    value_metric_replicas,
};
use super::behavior::Behavior;
use super::pods::{Pod, ReadinessConfig};
use super::{HpaController, HpaSpec};
use crate::error::{AutoscaleError, Result, check_positive};
use crate::policy::{Observation, ReplicaBounds, ScalingPolicy};

/// The metric an [`HpaPolicy`] scales on, derived from the replayed load.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum HpaMetric {
    /// Resource CPU with a `Utilization` target in percent of the request (capacity).
    CpuUtilization {
        /// Target utilisation in percent (e.g. 70 or the API default 80).
        target_percent: u32,
    },
    /// A Pods metric (load per pod) with an `AverageValue` target.
    PodsAverageValue {
        /// Target load per pod.
        target: f64,
    },
    /// An External metric (total load) with an `AverageValue` target (what KEDA generates).
    ExternalAverageValue {
        /// Target load per replica.
        target: f64,
    },
    /// An External metric (total load) with a `Value` target.
    ExternalValue {
        /// Target total value.
        target: f64,
    },
}

/// Configuration of an [`HpaPolicy`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HpaConfig {
    /// `minReplicas` / `maxReplicas` (min ≥ 1).
    pub bounds: ReplicaBounds,
    /// The metrics (the desired count is the max over them). Default: CPU 80 %.
    pub metrics: Vec<HpaMetric>,
    /// Tolerance (0.1 both ways).
    pub tolerance: Tolerance,
    /// `behavior`; `None` (default) selects the legacy path.
    pub behavior: Option<Behavior>,
    /// Legacy downscale stabilisation window in seconds (300).
    pub downscale_stabilization: i64,
    /// CPU readiness settings.
    pub readiness: ReadinessConfig,
}

impl HpaConfig {
    /// The API defaults: CPU utilisation target 80 %, tolerance 0.1, no `behavior`.
    pub fn new(min: u32, max: u32) -> Result<Self> {
        Ok(HpaConfig {
            bounds: ReplicaBounds::new(min, max)?,
            metrics: vec![HpaMetric::CpuUtilization { target_percent: 80 }],
            tolerance: Tolerance::default(),
            behavior: None,
            downscale_stabilization: 300,
            readiness: ReadinessConfig::default(),
        })
    }

    /// Replaces the metrics with one CPU utilisation target (percent).
    pub fn with_cpu_target(mut self, target_percent: u32) -> Self {
        self.metrics = vec![HpaMetric::CpuUtilization { target_percent }];
        self
    }

    /// Sets `behavior` (Some) or selects the legacy path (None).
    pub fn with_behavior(mut self, behavior: Option<Behavior>) -> Self {
        self.behavior = behavior;
        self
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        if self.bounds.min == 0 {
            return Err(AutoscaleError::invalid_param(
                "min_replicas",
                "the HPA needs min_replicas >= 1 (use KEDA for scale to zero)",
            ));
        }
        if self.metrics.is_empty() {
            return Err(AutoscaleError::invalid_param(
                "metrics",
                "at least one metric is required",
            ));
        }
        for m in &self.metrics {
            match *m {
                HpaMetric::CpuUtilization { target_percent: 0 } => {
                    return Err(AutoscaleError::invalid_param(
                        "target_percent",
                        "must be at least 1",
                    ));
                }
                HpaMetric::PodsAverageValue { target }
                | HpaMetric::ExternalAverageValue { target }
                | HpaMetric::ExternalValue { target } => check_positive("target", target)?,
                _ => {}
            }
        }
        for (name, v) in [
            ("tolerance.up", self.tolerance.up),
            ("tolerance.down", self.tolerance.down),
        ] {
            if !(v.is_finite() && (0.0..1.0).contains(&v)) {
                return Err(AutoscaleError::invalid_param(
                    name,
                    format!("must lie in [0, 1), got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// The Kubernetes HPA as a [`ScalingPolicy`].
#[derive(Debug, Clone)]
pub struct HpaPolicy {
    name: String,
    cfg: HpaConfig,
    controller: HpaController,
    pods: Vec<Pod>,
    proposals: Vec<Result<u32, MetricError>>,
}

impl HpaPolicy {
    /// An HPA policy named `hpa`.
    pub fn new(cfg: HpaConfig) -> Result<Self> {
        cfg.validate()?;
        let controller = HpaController::new(HpaSpec {
            bounds: cfg.bounds,
            behavior: cfg.behavior.clone(),
            downscale_stabilization: cfg.downscale_stabilization,
        })?;
        Ok(HpaPolicy {
            name: "hpa".into(),
            cfg,
            controller,
            pods: Vec::new(),
            proposals: Vec::new(),
        })
    }

    /// Renames the policy (for reports).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The configuration.
    pub fn config(&self) -> &HpaConfig {
        &self.cfg
    }

    fn build_pods(&mut self, obs: &Observation<'_>, load: f64, request: f64, per_pod_scale: f64) {
        self.pods.clear();
        let with_sample = obs.metric_pods.min(obs.ready);
        let value = if with_sample > 0 {
            load / with_sample as f64 * per_pod_scale
        } else {
            0.0
        };
        for _ in 0..with_sample {
            self.pods.push(Pod::running(request, value, obs.now));
        }
        for _ in with_sample..obs.ready {
            self.pods.push(Pod::without_metrics(request, obs.now));
        }
        for _ in obs.ready..obs.replicas {
            self.pods.push(Pod::pending(request, obs.now));
        }
    }
}

impl ScalingPolicy for HpaPolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.cfg.bounds
    }

    fn prepare(&mut self, _history: &Series) -> Result<()> {
        self.controller.reset();
        Ok(())
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        check_positive("capacity", obs.capacity)?;
        let current = obs.replicas;
        self.proposals.clear();
        match obs.latest() {
            None => self.proposals.push(Err(MetricError::NoMetrics)),
            Some(load) => {
                for i in 0..self.cfg.metrics.len() {
                    let metric = self.cfg.metrics[i];
                    let p = match metric {
                        HpaMetric::CpuUtilization { target_percent } => {
                            // Request 1000 m = one replica's capacity.
                            self.build_pods(obs, load, 1000.0, 1000.0 / obs.capacity);
                            resource_utilization_replicas(
                                current,
                                &self.pods,
                                true,
                                target_percent,
                                self.cfg.tolerance,
                                obs.now,
                                &self.cfg.readiness,
                            )
                        }
                        HpaMetric::PodsAverageValue { target } => {
                            self.build_pods(obs, load, 1.0, 1.0);
                            plain_metric_replicas(
                                current,
                                &self.pods,
                                false,
                                target,
                                self.cfg.tolerance,
                                obs.now,
                                &self.cfg.readiness,
                            )
                        }
                        HpaMetric::ExternalAverageValue { target } => value_metric_replicas(
                            current,
                            obs.ready,
                            current,
                            load,
                            ValueTarget::AverageValue(target),
                            self.cfg.tolerance,
                        ),
                        HpaMetric::ExternalValue { target } => value_metric_replicas(
                            current,
                            obs.ready,
                            current,
                            load,
                            ValueTarget::Value(target),
                            self.cfg.tolerance,
                        ),
                    };
                    self.proposals.push(p);
                }
            }
        }
        Ok(self.controller.reconcile(obs.now, current, &self.proposals))
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
