//! StatuScale's horizontal decision rule (spec §1.6.2, rebuilt from the commented reference
//! code): a 3-sample score window, thresholds on the window sum and the latest score, one
//! replica at a time, a 120 s cooldown, and a reset of the window after each action.

use serde::{Deserialize, Serialize};

use super::score::ScoreParams;
use crate::error::{AutoscaleError, Result};

/// Thresholds and cooldown of the horizontal rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HorizontalParams {
    /// The score function.
    pub score: ScoreParams,
    /// Scale out when the 3-score sum exceeds this (38) ...
    pub out_sum: f64,
    /// ... and the latest score exceeds this (8).
    pub out_last: f64,
    /// Scale in when the 3-score sum is below this (−16) ...
    pub in_sum: f64,
    /// ... and the latest score is below this (−5).
    pub in_last: f64,
    /// Seconds between horizontal actions (120 = 6 ticks of 20 s).
    pub cooldown: i64,
}

impl Default for HorizontalParams {
    fn default() -> Self {
        HorizontalParams {
            score: ScoreParams::default(),
            out_sum: 38.0,
            out_last: 8.0,
            in_sum: -16.0,
            in_last: -5.0,
            cooldown: 120,
        }
    }
}

impl HorizontalParams {
    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        self.score.validate()?;
        let finite = [self.out_sum, self.out_last, self.in_sum, self.in_last]
            .iter()
            .all(|v| v.is_finite());
        if !finite || self.in_sum >= self.out_sum || self.in_last >= self.out_last {
            return Err(AutoscaleError::invalid_param(
                "horizontal thresholds",
                format!("need finite in_sum < out_sum and in_last < out_last, got {self:?}"),
            ));
        }
        if self.cooldown < 0 {
            return Err(AutoscaleError::invalid_param(
                "cooldown",
                format!("must be >= 0 seconds, got {}", self.cooldown),
            ));
        }
        Ok(())
    }
}

/// State of the horizontal controller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorizontalController {
    params: HorizontalParams,
    /// `(s_{t−2}, s_{t−1})`.
    window: (f64, f64),
    last_action: Option<(i64, i32)>,
}

impl HorizontalController {
    /// A controller with validated parameters.
    pub fn new(params: HorizontalParams) -> Result<Self> {
        params.validate()?;
        Ok(HorizontalController {
            params,
            window: (0.0, 0.0),
            last_action: None,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &HorizontalParams {
        &self.params
    }

    /// Forgets the window and the last action.
    pub fn reset(&mut self) {
        self.window = (0.0, 0.0);
        self.last_action = None;
    }

    /// The last horizontal action `(time, ±1)`, if any.
    pub fn last_action(&self) -> Option<(i64, i32)> {
        self.last_action
    }

    /// One tick with the representative sample `u` (millicores) at `now` with `replicas`
    /// replicas, allowed to move within `[min, max]`: returns the action (−1, 0 or +1).
    pub fn step(&mut self, u: f64, now: i64, replicas: u32, min: u32, max: u32) -> i32 {
        let p = &self.params;
        let s = p.score.score(u);
        let sum = self.window.0 + self.window.1 + s;
        let cooled = self.last_action.is_none_or(|(t, _)| now > t + p.cooldown);
        let action = if cooled && sum > p.out_sum && s > p.out_last && replicas < max {
            1
        } else if cooled && sum < p.in_sum && s < p.in_last && replicas > 1 && replicas > min {
            -1
        } else {
            0
        };
        if action != 0 {
            self.last_action = Some((now, action));
            self.window = (0.0, 0.0);
        } else {
            self.window = (self.window.1, s);
        }
        action
    }
}
