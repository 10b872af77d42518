//! StatuScale's load-status detector (spec `algorithms.md` §1.3): a least-squares
//! "resistance line" over the stable window, raised by `λ·CV + c`, a warm-up, and a burst
//! hold of `safe_time` seconds.
//!
//! The detector runs tick by tick over a series (one sample per tick, timestamps in
//! seconds). At tick `N` (samples seen so far, counting from 1) with sample `u_t` at time `t`:
//!
//! ```text
//! warm       := N > warmup_samples                      (6 samples by default)
//! calm_again := last mode ∈ {warm-up, burst} and t ≥ safe_until
//! below_R    := last mode = stable and u_t < k·t + b'   (b' = b + scale·(λ·CV + c))
//! STABLE if warm and (calm_again or below_R); WARMUP if not warm; BURST otherwise
//! ```
//!
//! - In STABLE the window start is reset to `N − 5` when the previous status was WARMUP or
//!   BURST, or when `N` is a multiple of `reset_every` (10, the reference's quirk); otherwise
//!   the window grows from the start of the stable episode. The line `u ≈ k·τ + b` is fitted by
//!   least squares on the window (τ in seconds from the first replayed sample, so the fit is well
//!   conditioned), `CV = std/|mean|` (population std), and `b' = b + scale·(λ·CV + c)`.
//! - Entering BURST sets `safe_until = t + safe_time` unless a hold is still running
//!   (`safe_until > t`). STABLE comes back at the first tick with `t ≥ safe_until`, so with
//!   20 s ticks a burst is held for 2 ticks (40 s) and with 60 s or 300 s steps for 1 tick.
//!   **Deviation:** the reference compares `safe_until < t`; with jitter-free timestamps whose
//!   step divides `safe_time` that never releases (the hold is renewed at `t = safe_until`),
//!   while the reference's real, jittered timestamps release after 2 ticks. `≥` keeps the
//!   documented 40 s hold on regular series.
//! - `λ = 30`, `c = 7` (millicores in the reference) and `scale = 1` reproduce the spec.
//!   `scale` converts the reference's millicore band to the series' own units.
//!
//! ```
//! use forecast_ensemble::statuscale::{DetectorConfig, LoadStatus, StatusDetector};
//! let mut d = StatusDetector::new(DetectorConfig::default()).unwrap();
//! let mut last = LoadStatus::Warmup;
//! for (i, u) in [100.0, 101.0, 99.0, 100.0, 102.0, 100.0, 101.0, 300.0].iter().enumerate() {
//!     last = d.observe(i as i64 * 20, *u);
//! }
//! assert_eq!(last, LoadStatus::Burst);
//! ```

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// The load status at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadStatus {
    /// Fewer than `warmup_samples + 1` samples: the reference's threshold mode.
    Warmup,
    /// Below the resistance line (or the burst hold has elapsed): the one-step predictor.
    Stable,
    /// At or above the resistance line, held for `safe_time` seconds.
    Burst,
}

impl std::fmt::Display for LoadStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LoadStatus::Warmup => "warmup",
            LoadStatus::Stable => "stable",
            LoadStatus::Burst => "burst",
        })
    }
}

/// Constants of the detector (defaults of spec §1.8).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DetectorConfig {
    /// λ, the weight of the window's coefficient of variation in the band (30).
    pub lambda: f64,
    /// c, the constant part of the band in reference units (7 millicores).
    pub c: f64,
    /// Multiplies the band `λ·CV + c` to convert reference units to the series' units (1).
    pub scale: f64,
    /// Warm-up: WARMUP while the sample count is at most this (5, i.e. warm at 6 samples).
    pub warmup_samples: usize,
    /// Minimum BURST hold in seconds (40); converted to ticks through the timestamps.
    pub safe_time: i64,
    /// The stable window restarts on the last 5 samples whenever `N % reset_every == 0` (10).
    pub reset_every: usize,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            lambda: 30.0,
            c: 7.0,
            scale: 1.0,
            warmup_samples: 5,
            safe_time: 40,
            reset_every: 10,
        }
    }
}

impl DetectorConfig {
    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("lambda", self.lambda),
            ("c", self.c),
            ("scale", self.scale),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid_param(
                    name,
                    format!("must be finite and non-negative, got {v}"),
                ));
            }
        }
        if self.warmup_samples < 4 {
            return Err(Error::invalid_param(
                "warmup_samples",
                format!(
                    "must be at least 4 (the stable window needs 5 samples), got {}",
                    self.warmup_samples
                ),
            ));
        }
        if self.safe_time < 0 {
            return Err(Error::invalid_param(
                "safe_time",
                format!("must be non-negative seconds, got {}", self.safe_time),
            ));
        }
        if self.reset_every == 0 {
            return Err(Error::invalid_param("reset_every", "must be at least 1"));
        }
        Ok(())
    }
}

/// The resistance line drawn at a STABLE tick, for the next tick: `R(τ) = k·τ + b'`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResistanceLine {
    /// Slope k (series units per second).
    pub k: f64,
    /// Intercept b' = b + scale·(λ·CV + c), at τ = 0 (the detector's epoch).
    pub b: f64,
    /// Coefficient of variation of the window.
    pub cv: f64,
}

impl ResistanceLine {
    /// The line's value at `tau` seconds after the epoch.
    pub fn at(&self, tau: f64) -> f64 {
        self.k * tau + self.b
    }
}

/// The detector's state between ticks (no samples: those are read through an accessor, so a
/// replay over a [`Series`](forecast_core::Series) window does not allocate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Core {
    epoch: Option<i64>,
    n: usize,
    last: Option<LoadStatus>,
    safe_until: i64,
    start: usize,
    line: Option<ResistanceLine>,
}

impl Core {
    const NEW: Core = Core {
        epoch: None,
        n: 0,
        last: None,
        safe_until: i64::MIN,
        start: 0,
        line: None,
    };

    /// One tick: sample `u` at time `t`; `sample(i)` gives `(time, value)` of sample `i` of
    /// this run (`i < n`, the new one included).
    fn tick(
        &mut self,
        cfg: &DetectorConfig,
        t: i64,
        u: f64,
        sample: &dyn Fn(usize) -> (i64, f64),
    ) -> LoadStatus {
        let epoch = *self.epoch.get_or_insert(t);
        self.n += 1;
        let n = self.n;
        let tau = (t - epoch) as f64;
        let warm = n > cfg.warmup_samples;
        let calm_again = matches!(self.last, Some(LoadStatus::Warmup | LoadStatus::Burst))
            && t >= self.safe_until;
        let below_r =
            self.last == Some(LoadStatus::Stable) && self.line.is_some_and(|l| u < l.at(tau));
        let status = if warm && (calm_again || below_r) {
            if self.last != Some(LoadStatus::Stable) || n.is_multiple_of(cfg.reset_every) {
                self.start = n - 5;
            }
            self.line = Some(fit_line(self.start..n, epoch, sample, cfg));
            self.safe_until = t;
            LoadStatus::Stable
        } else if !warm {
            self.safe_until = t;
            self.line = None;
            LoadStatus::Warmup
        } else {
            if self.safe_until <= t {
                self.safe_until = t.saturating_add(cfg.safe_time);
            }
            self.line = None;
            LoadStatus::Burst
        };
        self.last = Some(status);
        status
    }
}

/// The detector as an online state machine: feed it one sample per tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusDetector {
    config: DetectorConfig,
    core: Core,
    times: Vec<i64>,
    values: Vec<f64>,
}

impl StatusDetector {
    /// A detector with validated constants and no samples.
    pub fn new(config: DetectorConfig) -> Result<Self> {
        config.validate()?;
        Ok(StatusDetector {
            config,
            core: Core::NEW,
            times: Vec::new(),
            values: Vec::new(),
        })
    }

    /// The constants.
    pub fn config(&self) -> &DetectorConfig {
        &self.config
    }

    /// Forgets every sample (keeps the constants).
    pub fn reset(&mut self) {
        self.core = Core::NEW;
        self.times.clear();
        self.values.clear();
    }

    /// The status of the last tick (`None` before the first sample).
    pub fn status(&self) -> Option<LoadStatus> {
        self.core.last
    }

    /// The resistance line drawn at the last STABLE tick (`None` otherwise).
    pub fn resistance(&self) -> Option<ResistanceLine> {
        self.core.line
    }

    /// The resistance line's value at time `t` (seconds), if a line is drawn.
    pub fn resistance_at(&self, t: i64) -> Option<f64> {
        let epoch = self.core.epoch?;
        self.core.line.map(|l| l.at((t - epoch) as f64))
    }

    /// Observes sample `u` taken at time `t` (seconds, increasing) and returns the status.
    pub fn observe(&mut self, t: i64, u: f64) -> LoadStatus {
        self.times.push(t);
        self.values.push(u);
        let (times, values) = (&self.times, &self.values);
        self.core
            .tick(&self.config, t, u, &|i| (times[i], values[i]))
    }
}

/// Replays the detector over `series[from..]` (a fresh detector whose first sample is
/// `series[from]`) and returns the status at the last sample together with the resistance
/// line drawn there, if any. Allocation-free; `None` when `from` is past the end.
pub fn replay(
    config: &DetectorConfig,
    series: &forecast_core::Series,
    from: usize,
) -> Option<(LoadStatus, Option<ResistanceLine>)> {
    let y = series.values();
    let mut core = Core::NEW;
    let sample = |i: usize| (series.timestamp(from + i), y[from + i]);
    for (i, &u) in y.iter().enumerate().skip(from) {
        core.tick(config, series.timestamp(i), u, &sample);
    }
    core.last.map(|s| (s, core.line))
}

/// The status at every sample of `series`, replaying one detector from its first sample.
pub fn statuses(config: &DetectorConfig, series: &forecast_core::Series) -> Vec<LoadStatus> {
    let y = series.values();
    let mut core = Core::NEW;
    let sample = |i: usize| (series.timestamp(i), y[i]);
    (0..y.len())
        .map(|i| core.tick(config, series.timestamp(i), y[i], &sample))
        .collect()
}

/// Least-squares line through the samples `range` (times relative to `epoch`) plus the band:
/// `b' = b + scale·(λ·CV + c)`, with `CV = std/|mean|` (population std; 0 when the mean is 0).
fn fit_line(
    range: std::ops::Range<usize>,
    epoch: i64,
    sample: &dyn Fn(usize) -> (i64, f64),
    cfg: &DetectorConfig,
) -> ResistanceLine {
    let n = range.len() as f64;
    let at = |i: usize| {
        let (t, u) = sample(i);
        ((t - epoch) as f64, u)
    };
    let (mut mx, mut my) = (0.0, 0.0);
    for i in range.clone() {
        let (x, y) = at(i);
        mx += x;
        my += y;
    }
    mx /= n;
    my /= n;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for i in range {
        let (x, y) = at(i);
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
        syy += (y - my) * (y - my);
    }
    let k = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let b = my - k * mx;
    let cv = if my != 0.0 {
        (syy / n).sqrt() / my.abs()
    } else {
        0.0
    };
    ResistanceLine {
        k,
        b: b + cfg.scale * (cfg.lambda * cv + cfg.c),
        cv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_matches_polyfit_by_hand() {
        // u = 2τ + 1 on τ = 0, 20, …, 80: k = 2, b = 1, mean 81, population std √3200.
        let xs = [0i64, 20, 40, 60, 80];
        let sample = |i: usize| (xs[i], 2.0 * xs[i] as f64 + 1.0);
        let l = fit_line(0..5, 0, &sample, &DetectorConfig::default());
        let cv = 3200f64.sqrt() / 81.0;
        assert!((l.k - 2.0).abs() < 1e-12);
        assert!((l.cv - cv).abs() < 1e-12);
        assert!((l.b - (1.0 + 30.0 * cv + 7.0)).abs() < 1e-9);
    }
}
