//! The [`ScalingPolicy`] trait: what every autoscaler (HPA, KEDA, reactive, predictive,
//! hybrid, StatuScale) implements so the replay simulator can drive it.
//!
//! A policy is asked for a desired replica count at each decision time, given an
//! [`Observation`]: the metric history it may see (a zero-copy view ending at
//! `now − metric_lag`), the current allocated and ready replica counts and the per-replica
//! capacity.

use forecast_core::Series;
use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result};

/// Inclusive replica bounds `[min, max]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaBounds {
    /// Fewest replicas (may be 0 only for policies that scale to zero, e.g. KEDA).
    pub min: u32,
    /// Most replicas (at least 1 and at least `min`).
    pub max: u32,
}

impl ReplicaBounds {
    /// Checked bounds: `max >= 1` and `min <= max`.
    pub fn new(min: u32, max: u32) -> Result<Self> {
        if max == 0 {
            return Err(AutoscaleError::invalid_param(
                "max_replicas",
                "must be at least 1, got 0",
            ));
        }
        if min > max {
            return Err(AutoscaleError::invalid_param(
                "min_replicas",
                format!("min_replicas ({min}) is greater than max_replicas ({max})"),
            ));
        }
        Ok(ReplicaBounds { min, max })
    }

    /// Clamps `n` into the bounds.
    pub fn clamp(&self, n: u32) -> u32 {
        n.clamp(self.min, self.max)
    }

    /// Clamps a real-valued replica proposal (rounded up first; NaN maps to `min`).
    pub fn clamp_ceil(&self, x: f64) -> u32 {
        if x.is_nan() {
            return self.min;
        }
        let c = x.ceil();
        if c <= self.min as f64 {
            self.min
        } else if c >= self.max as f64 {
            self.max
        } else {
            c as u32
        }
    }

    /// True when `n` lies within the bounds.
    pub fn contains(&self, n: u32) -> bool {
        n >= self.min && n <= self.max
    }
}

/// What a policy sees at a decision time.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// Decision time (UTC seconds).
    pub now: i64,
    /// The observed load metric (e.g. RPS), every point with timestamp `<= now − metric_lag`:
    /// a view of the trace, never containing future data. May be empty early on.
    pub metric: &'a Series,
    /// Replicas currently allocated (the Deployment's `spec.replicas`), including starting pods.
    pub replicas: u32,
    /// Replicas ready now.
    pub ready: u32,
    /// Pods that were ready when the latest visible metric sample was taken (the pods the
    /// load was spread over; at most `ready`). Pods ready now but not then have no sample yet.
    pub metric_pods: u32,
    /// Load one ready replica serves at the SLO (same unit as the metric).
    pub capacity: f64,
}

impl Observation<'_> {
    /// The latest visible load sample, if any.
    pub fn latest(&self) -> Option<f64> {
        self.metric.last()
    }
}

/// An autoscaling policy: given an [`Observation`], returns the desired replica count.
///
/// Object-safe and `Send + Sync`, so runs fan out over rayon with `Box<dyn ScalingPolicy>`.
/// Implementations must return a count within [`ScalingPolicy::bounds`].
pub trait ScalingPolicy: Send + Sync + std::fmt::Debug {
    /// A short name for reports (e.g. `hpa`, `predictive:seasonal-naive`).
    fn name(&self) -> &str;

    /// The replica bounds this policy keeps to.
    fn bounds(&self) -> ReplicaBounds;

    /// Prepares the policy for a new run: clears the controller state and, for predictive
    /// policies, fits the model on `history` (the data before the replay window; may be empty).
    fn prepare(&mut self, history: &Series) -> Result<()>;

    /// The desired replica count at `obs.now`.
    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32>;

    /// Clones the policy (configuration and state) into a new box.
    fn clone_box(&self) -> Box<dyn ScalingPolicy>;
}

impl Clone for Box<dyn ScalingPolicy> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// A cooldown gate shared by the reactive and hybrid policies: an action is allowed when at
/// least `up`/`down` seconds passed since the last action.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cooldown {
    /// Minimum seconds since the last action before a scale-up.
    pub up: i64,
    /// Minimum seconds since the last action before a scale-down.
    pub down: i64,
    last_action: Option<i64>,
}

impl Cooldown {
    /// A gate with separate up/down cooldowns (seconds, `>= 0`).
    pub fn new(up: i64, down: i64) -> Result<Self> {
        for (name, v) in [("cooldown_up", up), ("cooldown_down", down)] {
            if v < 0 {
                return Err(AutoscaleError::invalid_param(
                    name,
                    format!("must be >= 0 seconds, got {v}"),
                ));
            }
        }
        Ok(Cooldown {
            up,
            down,
            last_action: None,
        })
    }

    /// Forgets the last action.
    pub fn reset(&mut self) {
        self.last_action = None;
    }

    /// Applies the gate: returns `desired` if the move is allowed at `now` (and records it as
    /// an action when it changes `current`), else `current`.
    pub fn gate(&mut self, now: i64, current: u32, desired: u32) -> u32 {
        if desired == current {
            return current;
        }
        let wait = if desired > current {
            self.up
        } else {
            self.down
        };
        let allowed = self.last_action.is_none_or(|t| now >= t + wait);
        if allowed {
            self.last_action = Some(now);
            desired
        } else {
            current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_validate_and_clamp() {
        assert!(ReplicaBounds::new(3, 2).is_err());
        assert!(ReplicaBounds::new(0, 0).is_err());
        let b = ReplicaBounds::new(1, 5).unwrap();
        assert_eq!(b.clamp(9), 5);
        assert_eq!(b.clamp_ceil(2.1), 3);
        assert_eq!(b.clamp_ceil(-4.0), 1);
        assert_eq!(b.clamp_ceil(f64::INFINITY), 5);
        assert_eq!(b.clamp_ceil(f64::NAN), 1);
    }

    #[test]
    fn cooldown_blocks_then_allows() {
        let mut c = Cooldown::new(60, 60).unwrap();
        assert_eq!(c.gate(0, 2, 4), 4);
        assert_eq!(c.gate(30, 4, 5), 4);
        assert_eq!(c.gate(60, 4, 5), 5);
        assert_eq!(c.gate(61, 5, 5), 5);
    }
}
