//! Prophet's `absmax` scaling of values and `[0, 1]` scaling of time.

use serde::{Deserialize, Serialize};

/// Scaling fixed at fit time: `y_s = (y − floor)/y_scale`, `t = (ts − start)/t_scale`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    /// Value floor (0 for `absmax`).
    pub floor: f64,
    /// `max |y|` (1 if that is 0).
    pub y_scale: f64,
    /// First training timestamp (UTC seconds).
    pub start: i64,
    /// Training span in seconds (last − first timestamp).
    pub t_scale: f64,
}

impl Scaling {
    /// `absmax` scaling of sorted timestamps `ts` and values `y` (at least two points).
    pub fn absmax(ts: &[i64], y: &[f64]) -> Self {
        let y_scale = y.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let start = ts[0];
        Self {
            floor: 0.0,
            y_scale: if y_scale == 0.0 { 1.0 } else { y_scale },
            start,
            t_scale: (ts[ts.len() - 1] - start) as f64,
        }
    }

    /// Scaled time of a timestamp (0 at the first, 1 at the last training point).
    #[inline]
    pub fn t(&self, ts: i64) -> f64 {
        (ts - self.start) as f64 / self.t_scale
    }
}
