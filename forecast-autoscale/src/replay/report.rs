//! [`ReplayReport`]: the metrics of one replay run, and [`Timeline`]: its per-step curves.

use serde::{Deserialize, Serialize};

/// Per-step curves of a run (for plots).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Step start times (UTC seconds).
    pub timestamps: Vec<i64>,
    /// Load `λ_t` (trace units, e.g. RPS).
    pub load: Vec<f64>,
    /// Required replicas `d_t = ceil(λ_t/(ρ_SLO·C))`.
    pub required: Vec<u32>,
    /// Ready replicas `s_t` (supply).
    pub ready: Vec<u32>,
    /// Allocated replicas `a_t` (including starting pods).
    pub allocated: Vec<u32>,
}

/// The metrics of one replay run (formulas in [`crate::metrics`] and the fields' docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayReport {
    /// Policy name.
    pub policy: String,
    /// Number of simulated steps `N`.
    pub steps: usize,
    /// Step `Δ` in seconds.
    pub step_seconds: i64,
    /// `T = N·Δ` in seconds.
    pub duration_seconds: f64,
    /// `T_U = Σ Δ·1[d_t > s_t]` seconds (SLO violated: load above ready capacity).
    pub slo_violation_seconds: f64,
    /// `T_U / T`, in [0, 1].
    pub slo_violation_share: f64,
    /// Unserved demand `Σ Δ·(λ_t − s_t·C)⁺` (load × seconds, e.g. requests).
    pub unserved: f64,
    /// Over-provisioning `Σ Δ·(s_t − d_t)⁺` in replica-seconds.
    pub over_provisioning: f64,
    /// Mean over-provisioned replicas `over_provisioning / T`.
    pub mean_over_provisioned: f64,
    /// Cost `Σ Δ·a_t / 60` (allocated pods, starting ones included).
    pub pod_minutes: f64,
    /// Steps where the allocated count rose.
    pub scale_ups: usize,
    /// Steps where the allocated count fell.
    pub scale_downs: usize,
    /// `Σ |a_t − a_{t−1}|`.
    pub replicas_changed: u64,
    /// θ_U in percent (demand-normalised; see [`crate::metrics`]).
    pub accuracy_u: f64,
    /// θ_O in percent.
    pub accuracy_o: f64,
    /// BUNGEE's unnormalised accuracy_U in replicas.
    pub accuracy_u_replicas: f64,
    /// BUNGEE's unnormalised accuracy_O in replicas.
    pub accuracy_o_replicas: f64,
    /// τ_U in percent.
    pub timeshare_u: f64,
    /// τ_O in percent.
    pub timeshare_o: f64,
    /// υ in percent.
    pub instability: f64,
    /// Jitter in replica changes per minute.
    pub jitter: f64,
    /// StatuScale correlation factor between supply and demand curves (higher is better).
    pub correlation_factor: f64,
    /// The per-step curves, when the config asked for them.
    pub timeline: Option<Timeline>,
}

impl ReplayReport {
    /// Names of the numeric metrics, in [`ReplayReport::metric_values`] order (also the CSV
    /// columns after `policy`).
    pub const METRIC_NAMES: [&'static str; 18] = [
        "slo_violation_share",
        "unserved",
        "over_provisioning",
        "pod_minutes",
        "scale_ups",
        "scale_downs",
        "accuracy_u",
        "accuracy_o",
        "timeshare_u",
        "timeshare_o",
        "instability",
        "slo_violation_seconds",
        "mean_over_provisioned",
        "replicas_changed",
        "accuracy_u_replicas",
        "accuracy_o_replicas",
        "jitter",
        "correlation_factor",
    ];

    /// The numeric metrics in [`ReplayReport::METRIC_NAMES`] order.
    pub fn metric_values(&self) -> [f64; 18] {
        [
            self.slo_violation_share,
            self.unserved,
            self.over_provisioning,
            self.pod_minutes,
            self.scale_ups as f64,
            self.scale_downs as f64,
            self.accuracy_u,
            self.accuracy_o,
            self.timeshare_u,
            self.timeshare_o,
            self.instability,
            self.slo_violation_seconds,
            self.mean_over_provisioned,
            self.replicas_changed as f64,
            self.accuracy_u_replicas,
            self.accuracy_o_replicas,
            self.jitter,
            self.correlation_factor,
        ]
    }

    /// The CSV header: `policy,` followed by [`ReplayReport::METRIC_NAMES`].
    pub fn csv_header() -> String {
        let mut h = String::from("policy");
        for n in Self::METRIC_NAMES {
            h.push(',');
            h.push_str(n);
        }
        h
    }

    /// One CSV row matching [`ReplayReport::csv_header`] (the policy name quoted if needed).
    pub fn csv_row(&self) -> String {
        let mut row = if self.policy.contains([',', '"', '\n']) {
            format!("\"{}\"", self.policy.replace('"', "\"\""))
        } else {
            self.policy.clone()
        };
        for v in self.metric_values() {
            row.push(',');
            row.push_str(&v.to_string());
        }
        row
    }
}
