//! `behavior` of an autoscaling/v2 HPA: scaling policies (Pods/Percent per period), the
//! policy selection (Max/Min/Disabled), and the scale-event bookkeeping they read
//! (spec §2.5b and §2.6; Kubernetes `horizontal.go`).

use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result};

/// The kind of a rate-limiting policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RateKind {
    /// An absolute number of pods per period.
    Pods,
    /// A percentage of the replicas at the start of the period.
    Percent,
}

/// One `HPAScalingPolicy`: at most `value` pods (or percent) per `period_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatePolicy {
    /// Pods or Percent.
    pub kind: RateKind,
    /// The amount (> 0).
    pub value: u32,
    /// The period in seconds (1..=1800).
    pub period_seconds: i64,
}

/// How the limits of several policies combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectPolicy {
    /// The policy allowing the largest change.
    Max,
    /// The policy allowing the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// `HPAScalingRules` for one direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalingRules {
    /// Stabilisation window in seconds.
    pub stabilization_window_seconds: i64,
    /// Policy selection.
    pub select_policy: SelectPolicy,
    /// The rate policies.
    pub policies: Vec<RatePolicy>,
}

impl ScalingRules {
    /// The scale-up defaults: window 0 s, {Pods 4 / 15 s, Percent 100 / 15 s}, Max.
    pub fn default_up() -> Self {
        ScalingRules {
            stabilization_window_seconds: 0,
            select_policy: SelectPolicy::Max,
            policies: vec![
                RatePolicy {
                    kind: RateKind::Pods,
                    value: 4,
                    period_seconds: 15,
                },
                RatePolicy {
                    kind: RateKind::Percent,
                    value: 100,
                    period_seconds: 15,
                },
            ],
        }
    }

    /// The scale-down defaults: window 300 s, {Percent 100 / 15 s}, Max.
    pub fn default_down() -> Self {
        ScalingRules {
            stabilization_window_seconds: 300,
            select_policy: SelectPolicy::Max,
            policies: vec![RatePolicy {
                kind: RateKind::Percent,
                value: 100,
                period_seconds: 15,
            }],
        }
    }

    fn validate(&self, dir: &str) -> Result<()> {
        if !(0..=3600).contains(&self.stabilization_window_seconds) {
            return Err(AutoscaleError::invalid_param(
                format!("behavior.{dir}.stabilizationWindowSeconds"),
                format!(
                    "must lie in [0, 3600], got {}",
                    self.stabilization_window_seconds
                ),
            ));
        }
        for p in &self.policies {
            if p.value == 0 || !(1..=1800).contains(&p.period_seconds) {
                return Err(AutoscaleError::invalid_param(
                    format!("behavior.{dir}.policies"),
                    format!("value must be > 0 and periodSeconds in [1, 1800], got {p:?}"),
                ));
            }
        }
        if self.policies.is_empty() && self.select_policy != SelectPolicy::Disabled {
            return Err(AutoscaleError::invalid_param(
                format!("behavior.{dir}.policies"),
                "at least one policy is required unless selectPolicy is Disabled",
            ));
        }
        Ok(())
    }

    fn longest_period(&self) -> i64 {
        self.policies
            .iter()
            .map(|p| p.period_seconds)
            .max()
            .unwrap_or(0)
    }
}

/// `HorizontalPodAutoscalerBehavior` with both directions filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Behavior {
    /// Scale-up rules.
    pub scale_up: ScalingRules,
    /// Scale-down rules.
    pub scale_down: ScalingRules,
}

impl Default for Behavior {
    fn default() -> Self {
        Behavior {
            scale_up: ScalingRules::default_up(),
            scale_down: ScalingRules::default_down(),
        }
    }
}

impl Behavior {
    /// Checks windows and policies.
    pub fn validate(&self) -> Result<()> {
        self.scale_up.validate("scaleUp")?;
        self.scale_down.validate("scaleDown")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct ScaleEvent {
    change: i64,
    time: i64,
    outdated: bool,
}

/// Recent scale events (replica changes with their times), per direction (§2.6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScaleEvents {
    up: Vec<ScaleEvent>,
    down: Vec<ScaleEvent>,
}

fn change_in_period(events: &[ScaleEvent], period: i64, now: i64) -> i64 {
    let cutoff = now - period;
    events
        .iter()
        .filter(|e| e.time > cutoff)
        .map(|e| e.change)
        .sum()
}

fn store(events: &mut Vec<ScaleEvent>, longest: i64, change: i64, now: i64) {
    let cutoff = now - longest;
    for e in events.iter_mut() {
        if e.time < cutoff {
            e.outdated = true;
        }
    }
    let fresh = ScaleEvent {
        change,
        time: now,
        outdated: false,
    };
    match events.iter_mut().find(|e| e.outdated) {
        Some(slot) => *slot = fresh,
        None => events.push(fresh),
    }
}

impl ScaleEvents {
    /// Forgets every event.
    pub fn clear(&mut self) {
        self.up.clear();
        self.down.clear();
    }

    /// Records a rescale from `prev` to `new` at `now` (`storeScaleEvent`).
    pub fn record(&mut self, behavior: &Behavior, prev: u32, new: u32, now: i64) {
        if new > prev {
            let longest = behavior.scale_up.longest_period();
            store(&mut self.up, longest, (new - prev) as i64, now);
        } else if new < prev {
            let longest = behavior.scale_down.longest_period();
            store(&mut self.down, longest, (prev - new) as i64, now);
        }
    }

    /// Replicas added within `(now − period, now]`.
    pub fn added(&self, period: i64, now: i64) -> i64 {
        change_in_period(&self.up, period, now)
    }

    /// Replicas removed within `(now − period, now]`.
    pub fn removed(&self, period: i64, now: i64) -> i64 {
        change_in_period(&self.down, period, now)
    }

    /// `calculateScaleUpLimitWithScalingRules`: the most replicas the scale-up policies allow.
    pub fn scale_up_limit(&self, current: u32, rules: &ScalingRules, now: i64) -> i64 {
        let current = current as i64;
        let pick: fn(i64, i64) -> i64 = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => i64::min,
            SelectPolicy::Max => i64::max,
        };
        let mut result: Option<i64> = None;
        for p in &rules.policies {
            let start =
                current - self.added(p.period_seconds, now) + self.removed(p.period_seconds, now);
            let proposed = match p.kind {
                RateKind::Pods => start + p.value as i64,
                RateKind::Percent => (start as f64 * (1.0 + p.value as f64 / 100.0)).ceil() as i64,
            };
            result = Some(result.map_or(proposed, |r| pick(r, proposed)));
        }
        result.unwrap_or(current)
    }

    /// `calculateScaleDownLimitWithBehaviors`: the fewest replicas the scale-down policies allow.
    pub fn scale_down_limit(&self, current: u32, rules: &ScalingRules, now: i64) -> i64 {
        let current = current as i64;
        let pick: fn(i64, i64) -> i64 = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => i64::max,
            SelectPolicy::Max => i64::min,
        };
        let mut result: Option<i64> = None;
        for p in &rules.policies {
            let start =
                current - self.added(p.period_seconds, now) + self.removed(p.period_seconds, now);
            let proposed = match p.kind {
                RateKind::Pods => start - p.value as i64,
                RateKind::Percent => (start as f64 * (1.0 - p.value as f64 / 100.0)) as i64,
            };
            result = Some(result.map_or(proposed, |r| pick(r, proposed)));
        }
        result.unwrap_or(current)
    }
}

/// `convertDesiredReplicasWithBehaviorRate`: applies the rate limits and `[min, max]` to a
/// stabilised recommendation.
pub fn apply_rate_limits(
    events: &ScaleEvents,
    behavior: &Behavior,
    current: u32,
    recommendation: u32,
    min: u32,
    max: u32,
    now: i64,
) -> u32 {
    if recommendation > current {
        let limit = events
            .scale_up_limit(current, &behavior.scale_up, now)
            .max(current as i64);
        let allowed = (max as i64).min(limit);
        if recommendation as i64 > allowed {
            return allowed as u32;
        }
    } else if recommendation < current {
        let limit = events
            .scale_down_limit(current, &behavior.scale_down, now)
            .min(current as i64);
        let allowed = (min as i64).max(limit);
        if (recommendation as i64) < allowed {
            return allowed as u32;
        }
    }
    recommendation
}
