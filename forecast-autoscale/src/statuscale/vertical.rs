//! StatuScale's vertical controller (spec §1.3 transitions, §1.5 quota per status, §1.6.3
//! coupling): threshold mode during warm-up, predict mode while STABLE, NN-PID mode in a
//! BURST (held for `safe_time`), and the "resource reduction" after a horizontal action.
//!
//! The load-status *detector* (the resistance line) and the one-step predictor are inputs
//! ([`VerticalInput::above_resistance`], [`VerticalInput::prediction`]); they live with the
//! StatuScale forecaster.

use serde::{Deserialize, Serialize};

use super::pid::{NnPid, PidMode};
use crate::error::{Result, check_positive};

/// The vertical mode chosen at a tick (the reference's `mode` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerticalMode {
    /// WARMUP: `q = u_t/0.8`.
    Threshold,
    /// STABLE: `q = ŷ/0.8` from the one-step predictor.
    Predict,
    /// BURST: `q = mean(u_{t−2..t})/r` from the NN-PID.
    Pid,
    /// After a scale-out: `q = 0.9·max(q_last, 1.15·u_t)`.
    HorizontalVerticalDown,
    /// After a scale-in: `q = 1.1·q_last`.
    HorizontalVerticalUp,
}

/// Settings of the vertical controller (defaults of §1.8).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerticalParams {
    /// Target utilisation ρ* (0.8).
    pub target_utilization: f64,
    /// Warm-up: threshold mode while the sample count is at most this (5, i.e. warm at 6).
    pub warmup_samples: usize,
    /// Minimum BURST hold in seconds (40).
    pub safe_time: i64,
    /// Coupling window after a horizontal action in seconds (40).
    pub coupling_time: i64,
    /// NN-PID quirk handling.
    pub pid_mode: PidMode,
    /// Lower quota clamp in millicores (10).
    pub quota_min: f64,
    /// Upper quota clamp in millicores (300).
    pub quota_max: f64,
}

impl Default for VerticalParams {
    fn default() -> Self {
        VerticalParams {
            target_utilization: 0.8,
            warmup_samples: 5,
            safe_time: 40,
            coupling_time: 40,
            pid_mode: PidMode::BugCompatible,
            quota_min: 10.0,
            quota_max: 300.0,
        }
    }
}

impl VerticalParams {
    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        crate::error::check_range("target_utilization", self.target_utilization, 1e-6, 1.0)?;
        check_positive("quota_min", self.quota_min)?;
        check_positive("quota_max", self.quota_max)?;
        if self.quota_min > self.quota_max || self.safe_time < 0 || self.coupling_time < 0 {
            return Err(crate::error::AutoscaleError::invalid_param(
                "vertical",
                format!("need quota_min <= quota_max and non-negative times, got {self:?}"),
            ));
        }
        Ok(())
    }
}

/// What the vertical controller reads at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerticalInput {
    /// Tick time (UTC seconds).
    pub now: i64,
    /// Number of samples of the representative series so far (`N`).
    pub samples: usize,
    /// `[u_{t−2}, u_{t−1}, u_t]` in millicores (repeat the first sample when shorter).
    pub recent: [f64; 3],
    /// The detector's verdict: `u_t` is at or above the resistance line drawn from the
    /// previous tick's fit (only read when the previous mode was predict).
    pub above_resistance: bool,
    /// The one-step predictor's forecast of the next sample (`None`: use the last value).
    pub prediction: Option<f64>,
    /// The last horizontal action `(time, ±1)`, if any.
    pub last_horizontal: Option<(i64, i32)>,
}

/// The controller's output at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerticalDecision {
    /// The mode used.
    pub mode: VerticalMode,
    /// The raw quota `q` in millicores.
    pub quota: f64,
    /// The CPU limit written: `clamp(int(q), quota_min, quota_max)` millicores.
    pub limit: f64,
}

/// State of the vertical controller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerticalController {
    params: VerticalParams,
    last_mode: Option<VerticalMode>,
    q_last: f64,
    safe_until: i64,
    pid: NnPid,
}

impl VerticalController {
    /// A controller with validated parameters.
    pub fn new(params: VerticalParams) -> Result<Self> {
        params.validate()?;
        Ok(VerticalController {
            params,
            last_mode: None,
            q_last: 0.0,
            safe_until: i64::MIN,
            pid: NnPid::new(params.pid_mode),
        })
    }

    /// Forgets modes and the PID state.
    pub fn reset(&mut self) {
        *self = VerticalController {
            params: self.params,
            last_mode: None,
            q_last: 0.0,
            safe_until: i64::MIN,
            pid: NnPid::new(self.params.pid_mode),
        };
    }

    /// The last mode, if any tick ran.
    pub fn last_mode(&self) -> Option<VerticalMode> {
        self.last_mode
    }

    /// One tick.
    pub fn step(&mut self, input: &VerticalInput) -> VerticalDecision {
        let p = self.params;
        let now = input.now;
        let u_t = input.recent[2];
        let (mode, q) = match input.last_horizontal {
            Some((t_h, a_h)) if a_h != 0 && now < t_h + p.coupling_time => {
                if a_h > 0 {
                    (
                        VerticalMode::HorizontalVerticalDown,
                        0.9 * self.q_last.max(1.15 * u_t),
                    )
                } else {
                    (VerticalMode::HorizontalVerticalUp, 1.1 * self.q_last)
                }
            }
            _ => {
                let warm = input.samples > p.warmup_samples;
                let after_h = matches!(
                    self.last_mode,
                    Some(VerticalMode::HorizontalVerticalDown | VerticalMode::HorizontalVerticalUp)
                );
                let calm_again = matches!(
                    self.last_mode,
                    Some(VerticalMode::Threshold | VerticalMode::Pid)
                ) && self.safe_until < now;
                let below_r =
                    self.last_mode == Some(VerticalMode::Predict) && !input.above_resistance;
                if warm && !after_h && (calm_again || below_r) {
                    self.safe_until = now;
                    let y = input.prediction.unwrap_or(u_t);
                    (VerticalMode::Predict, y / p.target_utilization)
                } else if !warm {
                    self.safe_until = now;
                    (VerticalMode::Threshold, u_t / p.target_utilization)
                } else {
                    if self.safe_until <= now {
                        self.safe_until = now + p.safe_time;
                    }
                    (VerticalMode::Pid, self.pid.output(input.recent).0)
                }
            }
        };
        self.last_mode = Some(mode);
        self.q_last = q;
        let limit = if q.is_finite() {
            q.trunc().clamp(p.quota_min, p.quota_max)
        } else {
            p.quota_max
        };
        VerticalDecision {
            mode,
            quota: q,
            limit,
        }
    }
}
