//! The HPA replica calculator (Kubernetes `replica_calculator.go`; spec §2.3): one replica
//! proposal per metric.
//!
//! ```
//! use forecast_autoscale::hpa::{Pod, ReadinessConfig, Tolerance, resource_utilization_replicas};
//! // Spec §2.7: 4 pods, requests 500 m, usage 2100 m, target 50 % -> 9 replicas.
//! let pods: Vec<Pod> = [450.0, 500.0, 600.0, 550.0]
//!     .iter()
//!     .map(|&u| Pod::running(500.0, u, 0))
//!     .collect();
//! let n = resource_utilization_replicas(
//!     4, &pods, true, 50, Tolerance::default(), 0, &ReadinessConfig::default(),
//! ).unwrap();
//! assert_eq!(n, 9);
//! ```

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::pods::{Pod, PodGroup, ReadinessConfig, classify};

/// Why one metric could not give a proposal (the HPA then ignores it, §2.4).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum MetricError {
    /// No pod had a usable sample ("did not receive metrics for targeted pods").
    #[error("no metrics for the targeted pods (pods might be unready)")]
    NoMetrics,
    /// A pod has no resource request, so utilisation is undefined.
    #[error("missing resource request for pod {pod}")]
    MissingRequest {
        /// Index of the pod in the list given.
        pod: usize,
    },
    /// The sum of requests is zero.
    #[error("the sum of resource requests is zero")]
    ZeroRequests,
    /// The target is not a finite positive number.
    #[error("invalid metric target {0}")]
    InvalidTarget(f64),
}

/// The scaling tolerance: no change while `1 − down ≤ ratio ≤ 1 + up` (KEP-4951 form; both
/// default to 0.1, the `--horizontal-pod-autoscaler-tolerance` default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tolerance {
    /// Tolerance above 1 (scale-up side).
    pub up: f64,
    /// Tolerance below 1 (scale-down side).
    pub down: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance { up: 0.1, down: 0.1 }
    }
}

impl Tolerance {
    /// True when `ratio` is within tolerance (inclusive bounds).
    pub fn within(&self, ratio: f64) -> bool {
        1.0 - self.down <= ratio && ratio <= 1.0 + self.up
    }
}

fn ceil_u32(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= u32::MAX as f64 {
        u32::MAX
    } else {
        x.ceil() as u32
    }
}

/// Groups pods, returning (ready count, per-pod group).
fn group(pods: &[Pod], cpu: bool, now: i64, cfg: &ReadinessConfig) -> (usize, Vec<PodGroup>) {
    let groups: Vec<PodGroup> = pods.iter().map(|p| classify(p, cpu, now, cfg)).collect();
    let ready = groups.iter().filter(|g| **g == PodGroup::Ready).count();
    (ready, groups)
}

/// The fill-in step shared by both pod-level calculators (§2.3 steps 4–7).
///
/// `ratio_of` computes a usage ratio from `(sample, request)` entries; `fill_missing_down`
/// is the value a missing pod counts with on a scale-down.
#[allow(clippy::too_many_arguments)]
fn finish<F>(
    current: u32,
    pods: &[Pod],
    groups: &[PodGroup],
    ready_count: usize,
    tol: Tolerance,
    ratio: f64,
    fill_missing_down: impl Fn(&Pod) -> f64,
    ratio_of: F,
) -> Result<u32, MetricError>
where
    F: Fn(&[(f64, f64)]) -> Result<f64, MetricError>,
{
    let has_unready = groups.contains(&PodGroup::Unready);
    let has_missing = groups.contains(&PodGroup::Missing);
    let scale_up_with_unready = has_unready && ratio > 1.0;
    if !scale_up_with_unready && !has_missing {
        if tol.within(ratio) {
            return Ok(current);
        }
        return Ok(ceil_u32(ratio * ready_count as f64));
    }
    let mut entries = Vec::with_capacity(pods.len());
    for (pod, g) in pods.iter().zip(groups) {
        let req = pod.request.unwrap_or(0.0);
        match g {
            PodGroup::Ready => entries.push((pod.sample.map_or(0.0, |s| s.value), req)),
            PodGroup::Missing if ratio < 1.0 => entries.push((fill_missing_down(pod), req)),
            PodGroup::Missing if ratio > 1.0 => entries.push((0.0, req)),
            PodGroup::Unready if scale_up_with_unready => entries.push((0.0, req)),
            _ => {}
        }
    }
    let new_ratio = ratio_of(&entries)?;
    if tol.within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(current);
    }
    let new = ceil_u32(new_ratio * entries.len() as f64);
    if (new_ratio < 1.0 && new > current) || (new_ratio > 1.0 && new < current) {
        return Ok(current);
    }
    Ok(new)
}

fn check_requests(pods: &[Pod]) -> Result<(), MetricError> {
    match pods.iter().position(|p| p.request.is_none()) {
        Some(pod) => Err(MetricError::MissingRequest { pod }),
        None => Ok(()),
    }
}

/// Resource metric with a `Utilization` target (`GetResourceReplicas`, §2.3a).
///
/// `util = int(100·Σusage/Σrequests)` over the ready pods with samples (integer percent,
/// truncated), `ratio = util/target`; missing pods count 100 % of their request on a
/// scale-down and 0 on a scale-up; unready pods count 0 on a scale-up.
pub fn resource_utilization_replicas(
    current: u32,
    pods: &[Pod],
    cpu: bool,
    target_utilization: u32,
    tol: Tolerance,
    now: i64,
    readiness: &ReadinessConfig,
) -> Result<u32, MetricError> {
    if target_utilization == 0 {
        return Err(MetricError::InvalidTarget(0.0));
    }
    check_requests(pods)?;
    let (ready_count, groups) = group(pods, cpu, now, readiness);
    let target = target_utilization as f64;
    let ratio_of = |entries: &[(f64, f64)]| -> Result<f64, MetricError> {
        let (m, r) = entries
            .iter()
            .fold((0.0, 0.0), |(m, r), (u, q)| (m + u, r + q));
        if r <= 0.0 {
            return Err(MetricError::ZeroRequests);
        }
        Ok((100.0 * m / r).trunc() / target)
    };
    let used: Vec<(f64, f64)> = pods
        .iter()
        .zip(&groups)
        .filter(|(_, g)| **g == PodGroup::Ready)
        .map(|(p, _)| (p.sample.map_or(0.0, |s| s.value), p.request.unwrap_or(0.0)))
        .collect();
    if used.is_empty() {
        return Err(MetricError::NoMetrics);
    }
    let ratio = ratio_of(&used)?;
    finish(
        current,
        pods,
        &groups,
        ready_count,
        tol,
        ratio,
        |p| p.request.unwrap_or(0.0),
        ratio_of,
    )
}

/// A value in milli-units, rounded up like `resource.Quantity.MilliValue`.
fn milli(v: f64) -> i64 {
    (v * 1000.0).ceil() as i64
}

/// Resource `AverageValue` and Pods metrics (`calcPlainMetricReplicas`, §2.3b).
///
/// `usage = Σ samples / |samples|` in integer milli-units (as Kubernetes), `ratio =
/// usage/target`; missing pods count `target` on a scale-down. The CPU readiness rules apply
/// only when `cpu` is true.
pub fn plain_metric_replicas(
    current: u32,
    pods: &[Pod],
    cpu: bool,
    target_average: f64,
    tol: Tolerance,
    now: i64,
    readiness: &ReadinessConfig,
) -> Result<u32, MetricError> {
    if !(target_average.is_finite() && target_average > 0.0) {
        return Err(MetricError::InvalidTarget(target_average));
    }
    let (ready_count, groups) = group(pods, cpu, now, readiness);
    let target_m = milli(target_average).max(1);
    let ratio_of = |entries: &[(f64, f64)]| -> Result<f64, MetricError> {
        if entries.is_empty() {
            return Err(MetricError::NoMetrics);
        }
        let total: i64 = entries.iter().map(|(v, _)| milli(*v)).sum();
        let usage = total / entries.len() as i64;
        Ok(usage as f64 / target_m as f64)
    };
    let used: Vec<(f64, f64)> = pods
        .iter()
        .zip(&groups)
        .filter(|(_, g)| **g == PodGroup::Ready)
        .map(|(p, _)| (p.sample.map_or(0.0, |s| s.value), 0.0))
        .collect();
    let ratio = ratio_of(&used)?;
    finish(
        current,
        pods,
        &groups,
        ready_count,
        tol,
        ratio,
        |_| target_average,
        ratio_of,
    )
}

/// A target of an object or external metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ValueTarget {
    /// The metric's total should equal this value (`ratio·readyPods`).
    Value(f64),
    /// The metric's total divided by the replicas should equal this value.
    AverageValue(f64),
}

/// Object (§2.3c) and External (§2.3d) metrics: `total` is the object's value or the sum of
/// the external series; `ready_pods` counts Running+Ready pods; `status_replicas` is the
/// scale's status replica count.
pub fn value_metric_replicas(
    current: u32,
    ready_pods: u32,
    status_replicas: u32,
    total: f64,
    target: ValueTarget,
    tol: Tolerance,
) -> Result<u32, MetricError> {
    match target {
        ValueTarget::Value(t) => {
            if !(t.is_finite() && t > 0.0) {
                return Err(MetricError::InvalidTarget(t));
            }
            let ratio = total / t;
            if current == 0 {
                return Ok(ceil_u32(ratio));
            }
            if tol.within(ratio) {
                return Ok(current);
            }
            Ok(ceil_u32(ratio * ready_pods as f64))
        }
        ValueTarget::AverageValue(t) => {
            if !(t.is_finite() && t > 0.0) {
                return Err(MetricError::InvalidTarget(t));
            }
            let ratio = total / (t * status_replicas as f64);
            if tol.within(ratio) {
                return Ok(status_replicas);
            }
            Ok(ceil_u32(total / t))
        }
    }
}
