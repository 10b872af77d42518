//! # forecast-autoscale
//!
//! From forecasts to replicas, and a faithful offline test bench for autoscalers:
//!
//! - [`planner`]: forecast → replicas (capacity, target utilisation, headroom, lead time,
//!   decision period, point or upper-interval mode, ramp limits).
//! - [`hpa`]: the Kubernetes HPA (autoscaling/v2) reproduced from the controller source;
//!   [`keda`]: KEDA's activation phase and generated HPA.
//! - [`reactive`], [`predictive`], [`hybrid`]: EMA + hysteresis scaler, forecaster-driven
//!   policy, and their combinations with an HPA fallback.
//! - [`guard`]: [`guard::GuardedHybrid`], a forecaster with a band from its own lead-time
//!   errors, a reactive floor and a forecast-guarded scale-down.
//! - [`statuscale`]: the StatuScale policy (vertical quota per status with the NN-PID,
//!   horizontal score rule).
//! - [`replay`]: the trace-replay simulator, [`compare()`] and [`run_protocol()`] (rayon);
//!   [`metrics`]: SLO violation, SPEC RG elasticity metrics, correlation factor.
//!
//! Every policy implements [`ScalingPolicy`].
//!
//! ```
//! use forecast_autoscale::{ReplayConfig, ScalingPolicy, compare};
//! use forecast_autoscale::hpa::{HpaConfig, HpaPolicy};
//! use forecast_autoscale::reactive::{ReactiveConfig, ReactivePolicy};
//! use forecast_core::Series;
//! let load: Vec<f64> = (0..240).map(|t| if t < 120 { 100.0 } else { 600.0 }).collect();
//! let trace = Series::new(0, 15, load).unwrap();
//! let policies: Vec<Box<dyn ScalingPolicy>> = vec![
//!     Box::new(HpaPolicy::new(HpaConfig::new(1, 20).unwrap().with_cpu_target(70)).unwrap()),
//!     Box::new(ReactivePolicy::new(ReactiveConfig::new(100.0, 1, 20).unwrap()).unwrap()),
//! ];
//! let reports = compare(&trace, policies, &ReplayConfig::new(100.0).unwrap()).unwrap();
//! assert_eq!(reports[0].policy, "hpa");
//! assert!(reports.iter().all(|r| r.slo_violation_seconds > 0.0)); // 60 s start-up
//! ```

pub mod error;
pub mod guard;
pub mod hpa;
pub mod hybrid;
pub mod keda;
pub mod metrics;
pub mod planner;
pub mod policy;
pub mod predictive;
pub mod reactive;
pub mod replay;
pub mod statuscale;

pub use error::{AutoscaleError, Result};
pub use policy::{Cooldown, Observation, ReplicaBounds, ScalingPolicy};
pub use replay::{
    PolicySummary, ProtocolReport, ReplayConfig, ReplayReport, Timeline, compare, run_protocol,
    simulate, summarize, trace_from_values,
};
