//! [`PredictivePolicy`]: a forecaster driven online, exactly as it would run live (spec §6.2,
//! issue item 7): fitted once on the history before the replay window, then at each decision
//! `forecast_into(context)` on a zero-copy view of the data visible at that time (never
//! anything later), and the [`Planner`] turns the forecast into replicas.
//!
//! It also keeps the recent one-step forecast error (WAPE of the first forecast step
//! against the value observed later), which the hybrid fallback reads.

use std::collections::VecDeque;

use forecast_core::{Forecast, Forecaster, Series};

use crate::error::{AutoscaleError, Result};
use crate::planner::Planner;
use crate::policy::{Observation, ReplicaBounds, ScalingPolicy};

/// Tracks recent forecast errors: predictions of future points are matched with the values
/// observed later; the error is the WAPE `Σ|y − ŷ| / Σ|y|` over the last `window` matches.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorTracker {
    window: usize,
    pending: VecDeque<(i64, f64)>,
    matched: VecDeque<(f64, f64)>,
}

impl ErrorTracker {
    /// A tracker over the last `window` (≥ 1) matched predictions.
    pub fn new(window: usize) -> Self {
        let window = window.max(1);
        ErrorTracker {
            window,
            pending: VecDeque::with_capacity(16),
            matched: VecDeque::with_capacity(window + 1),
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.pending.clear();
        self.matched.clear();
    }

    /// Records a prediction `value` for timestamp `ts`.
    pub fn predict(&mut self, ts: i64, value: f64) {
        if self.pending.back().is_some_and(|&(t, _)| t == ts) {
            self.pending.pop_back();
        }
        self.pending.push_back((ts, value));
    }

    /// Matches pending predictions with the observations in `metric`.
    pub fn observe(&mut self, metric: &Series) {
        let Some(end) = metric.end() else { return };
        while let Some(&(ts, pred)) = self.pending.front() {
            if ts > end {
                break;
            }
            self.pending.pop_front();
            if let Some(i) = metric.index_of(ts) {
                let y = metric.values()[i];
                self.matched.push_back(((y - pred).abs(), y.abs()));
                if self.matched.len() > self.window {
                    self.matched.pop_front();
                }
            }
        }
    }

    /// Number of matched predictions in the window.
    pub fn len(&self) -> usize {
        self.matched.len()
    }

    /// True when nothing has been matched yet.
    pub fn is_empty(&self) -> bool {
        self.matched.is_empty()
    }

    /// The WAPE over the window (`None` before any match; `∞` when every actual was 0 but
    /// some error was not).
    pub fn wape(&self) -> Option<f64> {
        if self.matched.is_empty() {
            return None;
        }
        let (e, y) = self
            .matched
            .iter()
            .fold((0.0, 0.0), |(e, y), (ae, ay)| (e + ae, y + ay));
        Some(if y > 0.0 {
            e / y
        } else if e > 0.0 {
            f64::INFINITY
        } else {
            0.0
        })
    }
}

/// A forecaster plus a planner, as a [`ScalingPolicy`].
#[derive(Debug, Clone)]
pub struct PredictivePolicy {
    name: String,
    model: Box<dyn Forecaster>,
    planner: Planner,
    max_context: Option<usize>,
    out: Forecast,
    tracker: ErrorTracker,
    last_plan: Option<(i64, u32)>,
}

impl PredictivePolicy {
    /// A policy named `predictive:<model name>`.
    pub fn new(model: Box<dyn Forecaster>, planner: Planner) -> Self {
        PredictivePolicy {
            name: format!("predictive:{}", model.name()),
            model,
            planner,
            max_context: None,
            out: Forecast::default(),
            tracker: ErrorTracker::new(20),
            last_plan: None,
        }
    }

    /// Limits the context handed to the model to the last `n` points (a view; `n ≥ 1`).
    pub fn with_max_context(mut self, n: usize) -> Self {
        self.max_context = Some(n.max(1));
        self
    }

    /// Sets the error-tracking window (number of matched predictions, default 20).
    pub fn with_error_window(mut self, window: usize) -> Self {
        self.tracker = ErrorTracker::new(window);
        self
    }

    /// Renames the policy.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The planner.
    pub fn planner(&self) -> &Planner {
        &self.planner
    }

    /// The model.
    pub fn model(&self) -> &dyn Forecaster {
        self.model.as_ref()
    }

    /// The recent one-step WAPE (see [`ErrorTracker`]).
    pub fn recent_error(&self) -> Option<f64> {
        self.tracker.wape()
    }

    /// Number of matched predictions behind [`PredictivePolicy::recent_error`].
    pub fn error_matches(&self) -> usize {
        self.tracker.len()
    }

    /// The last forecast made.
    pub fn last_forecast(&self) -> &Forecast {
        &self.out
    }

    /// Forecasts from the visible data and plans: the predictive desired count (ramp limits
    /// relative to `obs.replicas`). A plan holds for the planner's decision period `P`
    /// (calls within `P` of the last forecast return it unchanged). With no visible data
    /// yet, keeps the current count.
    pub fn plan(&mut self, obs: &Observation<'_>) -> Result<u32> {
        let bounds = self.planner.config().bounds;
        let current = bounds.clamp(obs.replicas);
        self.tracker.observe(obs.metric);
        if obs.metric.is_empty() {
            return Ok(current);
        }
        let period = self.planner.config().decision_period;
        if let Some((t, n)) = self.last_plan
            && obs.now >= t
            && obs.now < t + period
        {
            return Ok(n);
        }
        let context = match self.max_context {
            Some(n) => obs.metric.tail(n),
            None => obs.metric.clone(),
        };
        let horizon = self
            .planner
            .horizon(obs.now, context.next_timestamp(), context.step());
        self.model
            .forecast_into(&context, horizon, self.planner.levels(), &mut self.out)?;
        if let (Some(&ts), Some(&p)) = (self.out.timestamps.first(), self.out.point.first()) {
            self.tracker.predict(ts, p);
        }
        let n = self.planner.plan(&self.out, obs.now, current)?;
        self.last_plan = Some((obs.now, n));
        Ok(n)
    }
}

impl ScalingPolicy for PredictivePolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn bounds(&self) -> ReplicaBounds {
        self.planner.config().bounds
    }

    fn prepare(&mut self, history: &Series) -> Result<()> {
        self.tracker.clear();
        self.last_plan = None;
        let needed = self.model.min_train_len();
        if history.len() < needed {
            return Err(AutoscaleError::Forecast(forecast_core::Error::too_short(
                format!("fitting {} before the replay window", self.model.name()),
                needed,
                history.len(),
            )));
        }
        self.model.fit(history)?;
        Ok(())
    }

    fn decide(&mut self, obs: &Observation<'_>) -> Result<u32> {
        self.plan(obs)
    }

    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}
