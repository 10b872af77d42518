//! Trace replay (spec §6.4): replays a demand trace against a [`ScalingPolicy`] with pod
//! start-up delay, metric lag and the controller's sync period, keeps supply/demand books
//! and computes the comparison metrics. Pure and deterministic; [`compare()`] and
//! [`run_protocol()`] fan runs out over rayon.
//!
//! Time model. The trace value at timestamp `τ` is the load during `[τ, τ + step)`. The
//! simulation advances in ticks of `gcd(step, sync_period)` seconds from the first point
//! after the `history_points` leading points, which only serve as history: the policy is
//! prepared (a predictive model fitted) on those of them visible at `t0 − metric_lag`. At every tick starting pods whose start-up delay (rounded up to whole ticks) has
//! elapsed become ready; at every sync time the policy sees every trace point with
//! timestamp `<= now − metric_lag` and returns the desired count, which becomes the
//! allocated count at once (new pods ready `startup_delay` later, removals immediate, newest
//! starting pods first). Each tick then records the load `λ_t`, the required replicas
//! `d_t = ceil(λ_t/(ρ_SLO·C))`, the ready replicas `s_t` and the allocated `a_t`.
//!
//! ```
//! use forecast_autoscale::{ReplayConfig, simulate};
//! use forecast_autoscale::hpa::{HpaConfig, HpaPolicy};
//! use forecast_core::Series;
//! let trace = Series::new(0, 15, vec![100.0; 40]).unwrap();
//! let mut hpa = HpaPolicy::new(HpaConfig::new(1, 10).unwrap()).unwrap();
//! let report = simulate(&trace, &mut hpa, &ReplayConfig::new(100.0).unwrap()).unwrap();
//! assert_eq!(report.slo_violation_seconds, 0.0);
//! assert_eq!(report.steps, 40);
//! ```

pub mod compare;
pub mod pods;
pub mod report;

pub use compare::{
    MetricSummary, PolicyFailure, PolicySummary, ProtocolReport, compare, run_protocol, summarize,
};
pub use pods::PodPool;
pub use report::{ReplayReport, Timeline};

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive, check_range};
use crate::metrics::{correlation_factor, spec_metrics};
use crate::policy::{Observation, ScalingPolicy};

/// Replay settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayConfig {
    /// Load one ready replica serves (`C`, > 0, trace units).
    pub capacity: f64,
    /// SLO utilisation `ρ_SLO` in (0, 1]: a replica meets the SLO up to `ρ_SLO·C` (1.0).
    pub slo_utilization: f64,
    /// Pod start-up delay in seconds (60), rounded up to whole ticks.
    pub startup_delay: i64,
    /// Controller sync period in seconds (15): the policy is consulted this often.
    pub sync_period: i64,
    /// Metric lag in seconds (0): the policy sees points with timestamp `<= now − lag`.
    pub metric_lag: i64,
    /// Replicas at the start of the replay window, all ready (`None`: the required count of
    /// the first step), clamped into each policy's bounds.
    pub initial_replicas: Option<u32>,
    /// Leading trace points used only as history (fitting, EMA warm-up), not scored (0).
    pub history_points: usize,
    /// Keep the per-step curves in the report (false).
    pub record_timeline: bool,
    /// Compute the correlation factor (DTW, O(N²) time; true).
    pub correlation_factor: bool,
}

impl ReplayConfig {
    /// Defaults with the given capacity.
    pub fn new(capacity: f64) -> Result<Self> {
        check_positive("capacity", capacity)?;
        Ok(ReplayConfig {
            capacity,
            slo_utilization: 1.0,
            startup_delay: 60,
            sync_period: 15,
            metric_lag: 0,
            initial_replicas: None,
            history_points: 0,
            record_timeline: false,
            correlation_factor: true,
        })
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        check_positive("capacity", self.capacity)?;
        check_range("slo_utilization", self.slo_utilization, 1e-6, 1.0)?;
        for (name, v, min) in [
            ("startup_delay", self.startup_delay, 0),
            ("sync_period", self.sync_period, 1),
            ("metric_lag", self.metric_lag, 0),
        ] {
            if v < min {
                return Err(AutoscaleError::invalid_param(
                    name,
                    format!("must be >= {min} seconds, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// Checks a demand trace: non-empty, every value finite and `>= 0`.
pub fn validate_trace(trace: &Series) -> Result<()> {
    if trace.is_empty() {
        return Err(AutoscaleError::EmptyTrace {
            what: "demand trace".into(),
        });
    }
    for (row, (ts, v)) in trace.iter().enumerate() {
        if !v.is_finite() || v < 0.0 {
            return Err(AutoscaleError::InvalidDemand {
                row,
                timestamp: ts,
                value: v,
                reason: "demand must be a finite number >= 0".into(),
            });
        }
    }
    Ok(())
}

/// Builds a demand trace from raw values, with typed errors for an empty trace and for
/// NaN, infinite or negative demand (naming the row and timestamp).
pub fn trace_from_values(start: i64, step: i64, values: Vec<f64>) -> Result<Series> {
    if values.is_empty() {
        return Err(AutoscaleError::EmptyTrace {
            what: "demand trace".into(),
        });
    }
    if let Some(row) = values.iter().position(|v| !v.is_finite() || *v < 0.0) {
        return Err(AutoscaleError::InvalidDemand {
            row,
            timestamp: start + row as i64 * step,
            value: values[row],
            reason: "demand must be a finite number >= 0".into(),
        });
    }
    let s = Series::new(start, step, values)?;
    Ok(s)
}

/// Number of leading trace points with timestamp `<= until`.
fn visible_count(trace: &Series, until: i64) -> usize {
    if until < trace.start() {
        0
    } else {
        (((until - trace.start()) / trace.step() + 1) as usize).min(trace.len())
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn required(load: f64, cfg: &ReplayConfig) -> u32 {
    let r = load / (cfg.slo_utilization * cfg.capacity);
    // Guard against 3.0000000000000004 from the division of an exact multiple.
    let rounded = r.round();
    let r = if (r - rounded).abs() < 1e-9 * rounded.max(1.0) {
        rounded
    } else {
        r.ceil()
    };
    if r >= u32::MAX as f64 {
        u32::MAX
    } else {
        r.max(0.0) as u32
    }
}

/// Replays `trace` against `policy` (after `policy.prepare` on the history points).
pub fn simulate(
    trace: &Series,
    policy: &mut dyn ScalingPolicy,
    cfg: &ReplayConfig,
) -> Result<ReplayReport> {
    cfg.validate()?;
    validate_trace(trace)?;
    if cfg.history_points >= trace.len() {
        return Err(AutoscaleError::invalid_param(
            "history_points",
            format!(
                "{} history points leave nothing to replay in a trace of {} points",
                cfg.history_points,
                trace.len()
            ),
        ));
    }
    let bounds = policy.bounds();
    let step = trace.step();
    // The history a live system has at the first decision: points before the replay window
    // that are visible at t0 − lag.
    let t0 = trace.timestamp(cfg.history_points);
    policy
        .prepare(&trace.head(visible_count(trace, t0 - cfg.metric_lag).min(cfg.history_points)))?;

    let tick = gcd(step, cfg.sync_period);
    let t_end = trace.next_timestamp();
    let n = ((t_end - t0) / tick) as usize;
    let startup = (cfg.startup_delay + tick - 1) / tick * tick;
    let values = trace.values();
    let load_at = |t: i64| values[((t - trace.start()) / step) as usize];

    let initial = bounds.clamp(
        cfg.initial_replicas
            .unwrap_or_else(|| required(load_at(t0), cfg)),
    );
    let mut pool = PodPool::new(initial);
    let mut tl = Timeline {
        timestamps: Vec::with_capacity(n),
        load: Vec::with_capacity(n),
        required: Vec::with_capacity(n),
        ready: Vec::with_capacity(n),
        allocated: Vec::with_capacity(n),
    };
    let mut prev_alloc = initial;
    let (mut ups, mut downs, mut changed) = (0usize, 0usize, 0u64);
    for k in 0..n {
        let t = t0 + k as i64 * tick;
        pool.activate(t);
        if (t - t0) % cfg.sync_period == 0 {
            let visible = visible_count(trace, t - cfg.metric_lag);
            let metric = trace.window(0..visible);
            let metric_pods = if visible == 0 {
                0
            } else {
                let tau = trace.timestamp(visible - 1);
                let at = if tau < t0 {
                    initial
                } else {
                    let j = ((tau - t0) / tick) as usize;
                    if j < k { tl.ready[j] } else { pool.ready() }
                };
                at.min(pool.ready())
            };
            let obs = Observation {
                now: t,
                metric: &metric,
                replicas: pool.allocated(),
                ready: pool.ready(),
                metric_pods,
                capacity: cfg.capacity,
            };
            let desired = policy.decide(&obs)?;
            if !bounds.contains(desired) {
                return Err(AutoscaleError::Policy {
                    policy: policy.name().to_string(),
                    message: format!(
                        "returned {desired} replicas at {t}, outside [{}, {}]",
                        bounds.min, bounds.max
                    ),
                });
            }
            pool.scale_to(desired, t + startup);
            pool.activate(t);
        }
        let a = pool.allocated();
        if a > prev_alloc {
            ups += 1;
        } else if a < prev_alloc {
            downs += 1;
        }
        changed += a.abs_diff(prev_alloc) as u64;
        prev_alloc = a;
        let load = load_at(t);
        tl.timestamps.push(t);
        tl.load.push(load);
        tl.required.push(required(load, cfg));
        tl.ready.push(pool.ready());
        tl.allocated.push(a);
    }
    report(policy.name(), tl, tick, ups, downs, changed, cfg)
}

fn report(
    name: &str,
    tl: Timeline,
    tick: i64,
    scale_ups: usize,
    scale_downs: usize,
    replicas_changed: u64,
    cfg: &ReplayConfig,
) -> Result<ReplayReport> {
    let dt = tick as f64;
    let n = tl.timestamps.len();
    let duration = n as f64 * dt;
    let d: Vec<f64> = tl.required.iter().map(|&x| x as f64).collect();
    let s: Vec<f64> = tl.ready.iter().map(|&x| x as f64).collect();
    let spec = spec_metrics(&d, &s, dt)?;
    let mut unserved = 0.0;
    let mut over = 0.0;
    let mut violation = 0.0;
    let mut pod_seconds = 0.0;
    for i in 0..n {
        unserved += dt * (tl.load[i] - s[i] * cfg.capacity).max(0.0);
        over += dt * (s[i] - d[i]).max(0.0);
        if d[i] > s[i] {
            violation += dt;
        }
        pod_seconds += dt * tl.allocated[i] as f64;
    }
    let cf = if cfg.correlation_factor {
        correlation_factor(&s, &d)
    } else {
        f64::NAN
    };
    Ok(ReplayReport {
        policy: name.to_string(),
        steps: n,
        step_seconds: tick,
        duration_seconds: duration,
        slo_violation_seconds: violation,
        slo_violation_share: violation / duration,
        unserved,
        over_provisioning: over,
        mean_over_provisioned: over / duration,
        pod_minutes: pod_seconds / 60.0,
        scale_ups,
        scale_downs,
        replicas_changed,
        accuracy_u: spec.accuracy_u,
        accuracy_o: spec.accuracy_o,
        accuracy_u_replicas: spec.accuracy_u_replicas,
        accuracy_o_replicas: spec.accuracy_o_replicas,
        timeshare_u: spec.timeshare_u,
        timeshare_o: spec.timeshare_o,
        instability: spec.instability,
        jitter: spec.jitter,
        correlation_factor: cf,
        timeline: cfg.record_timeline.then_some(tl),
    })
}
