//! Pod grouping of the HPA replica calculator (`groupPods` in Kubernetes'
//! `replica_calculator.go`; spec §2.3.1): ready, unready, missing and ignored pods.

use serde::{Deserialize, Serialize};

/// A pod's lifecycle phase (the subset the HPA looks at).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodPhase {
    /// Scheduled or pulling images; not running yet.
    Pending,
    /// Running.
    Running,
    /// Failed.
    Failed,
    /// Completed.
    Succeeded,
}

/// One metric sample of a pod.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PodSample {
    /// The value (CPU in millicores, or the metric's unit).
    pub value: f64,
    /// When the sample was taken (UTC seconds).
    pub timestamp: i64,
    /// The sample's averaging window in seconds (metrics-server: 15–60 s).
    pub window: i64,
}

/// The state of one pod as the HPA sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pod {
    /// Lifecycle phase.
    pub phase: PodPhase,
    /// True when a deletion timestamp is set.
    pub deleting: bool,
    /// The Ready condition: `None` when absent, else its status.
    pub ready: Option<bool>,
    /// The Ready condition's last transition time (UTC seconds).
    pub last_ready_transition: i64,
    /// Pod start time (UTC seconds), `None` when not set yet.
    pub start_time: Option<i64>,
    /// The resource request (sum over containers) in the metric's unit; `None` when missing.
    pub request: Option<f64>,
    /// The latest metric sample, `None` when the metrics API returned none.
    pub sample: Option<PodSample>,
}

impl Pod {
    /// A running, ready pod started long ago with the given request and sample value.
    pub fn running(request: f64, value: f64, now: i64) -> Self {
        Pod {
            phase: PodPhase::Running,
            deleting: false,
            ready: Some(true),
            last_ready_transition: now - 3600,
            start_time: Some(now - 3600),
            request: Some(request),
            sample: Some(PodSample {
                value,
                timestamp: now,
                window: 30,
            }),
        }
    }

    /// A running, ready pod whose metric sample is missing.
    pub fn without_metrics(request: f64, now: i64) -> Self {
        Pod {
            sample: None,
            ..Pod::running(request, 0.0, now)
        }
    }

    /// A pending pod (starting up), no sample.
    pub fn pending(request: f64, now: i64) -> Self {
        Pod {
            phase: PodPhase::Pending,
            ready: Some(false),
            last_ready_transition: now,
            start_time: None,
            sample: None,
            ..Pod::running(request, 0.0, now)
        }
    }
}

/// Readiness settings of the controller (defaults from §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReadinessConfig {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` in seconds (300).
    pub cpu_initialization_period: i64,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` in seconds (30).
    pub initial_readiness_delay: i64,
}

impl Default for ReadinessConfig {
    fn default() -> Self {
        ReadinessConfig {
            cpu_initialization_period: 300,
            initial_readiness_delay: 30,
        }
    }
}

/// Which group a pod falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodGroup {
    /// Counted in `readyPodCount`, its sample is used.
    Ready,
    /// Pending, or (CPU only) not ready yet: its sample is set aside.
    Unready,
    /// No sample.
    Missing,
    /// Being deleted or failed: dropped entirely.
    Ignored,
}

/// Classifies one pod (spec §2.3.1). `cpu` selects the CPU readiness rules.
pub fn classify(pod: &Pod, cpu: bool, now: i64, cfg: &ReadinessConfig) -> PodGroup {
    if pod.deleting || pod.phase == PodPhase::Failed {
        return PodGroup::Ignored;
    }
    if pod.phase == PodPhase::Pending {
        return PodGroup::Unready;
    }
    let Some(sample) = pod.sample else {
        return PodGroup::Missing;
    };
    if cpu {
        let unready = match (pod.ready, pod.start_time) {
            (None, _) | (_, None) => true,
            (Some(ready), Some(start)) => {
                if start + cfg.cpu_initialization_period > now {
                    !ready || sample.timestamp < pod.last_ready_transition + sample.window
                } else {
                    !ready && start + cfg.initial_readiness_delay > pod.last_ready_transition
                }
            }
        };
        if unready {
            return PodGroup::Unready;
        }
    }
    PodGroup::Ready
}
