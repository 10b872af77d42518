//! One served target: its settings ([`TargetConfig`]), what it publishes
//! ([`TargetStatus`]) and its state machine ([`Target`]).
//!
//! Every [`Target::tick`]: pull the points newer than the history's end from Prometheus
//! (the whole history at the first tick, then fit), forecast from the updated context with
//! the fitted model (no refit here; refits run in a background thread every
//! `refit_every`), run the planner, and publish. When Prometheus is unreachable or answers
//! an error, the data is stale, there is no usable model, the forecast or plan fails, or
//! the recent error passes the bound, the recommendation falls back to the HPA-equivalent
//! replica count of the newest observation (an external metric with target `AverageValue`
//! = `target_utilization × capacity`, the HPA's tolerance included), and the
//! `fallback` flag says so.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use forecast_autoscale::hpa::{Tolerance, ValueTarget, value_metric_replicas};
use forecast_autoscale::planner::{Planner, PlannerConfig};
use forecast_core::io::LabeledSeries;
use forecast_core::params::{BuildContext, Params};
use forecast_core::season::detect_season_for;
use forecast_core::{Fill, Forecast, Forecaster, RawSeries, Series};

use super::client::RangeSource;
use super::error::{LiveError, Result};
use super::history::History;
use super::model_error::{ErrorBound, ErrorMetric, RollingErrors};
use super::process::unix_now;
use crate::registry::Registry;

/// The season length given to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeasonSpec {
    /// Detected from the backfilled history (1 when none is found).
    #[default]
    Auto,
    /// A number of steps.
    Steps(usize),
    /// A duration in seconds (a whole number of steps).
    Seconds(i64),
}

/// The settings of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetConfig {
    /// The `target` label value.
    pub name: String,
    /// The PromQL query; it must return one series (aggregate with `sum(...)`).
    pub query: String,
    /// Registry model name (see `forecast-zoo models`).
    pub model: String,
    /// Model hyper-parameters as `key=value`.
    pub params: Vec<String>,
    /// Season length for the model.
    pub season: SeasonSpec,
    /// Query resolution in seconds (the series step).
    pub step: i64,
    /// Seconds between forecasts.
    pub interval: Duration,
    /// Points of history kept (and backfilled at start).
    pub history: usize,
    /// Forecast steps published as `forecast_zoo_predicted` (the planner may need more).
    pub horizon: usize,
    /// Seconds between background refits.
    pub refit_every: i64,
    /// Data older than this many seconds is stale.
    pub stale_after: i64,
    /// Longest wait between retries after failures, seconds.
    pub max_backoff: i64,
    /// Forecast/observation pairs in the error window.
    pub error_window: usize,
    /// Fall back when the recent error passes this bound.
    pub max_error: Option<ErrorBound>,
    /// Planner settings (capacity, utilisation, headroom, lead time, bounds, mode).
    pub planner: PlannerConfig,
}

impl TargetConfig {
    /// Defaults for a target: step and interval 15 s, 1,000 points of history, 12 steps
    /// published, refit every hour, stale after 5 steps (at least 3 intervals), backoff up
    /// to 60 s, an error window of 100 pairs, no error bound, the planner's defaults.
    pub fn new(
        name: impl Into<String>,
        query: impl Into<String>,
        model: impl Into<String>,
        planner: PlannerConfig,
    ) -> Self {
        TargetConfig {
            name: name.into(),
            query: query.into(),
            model: model.into(),
            params: Vec::new(),
            season: SeasonSpec::Auto,
            step: 15,
            interval: Duration::from_secs(15),
            history: 1000,
            horizon: 12,
            refit_every: 3600,
            stale_after: 75,
            max_backoff: 60,
            error_window: 100,
            max_error: None,
            planner,
        }
    }

    /// Checks every value, and that the model and its parameters build.
    pub fn validate(&self, registry: &Registry) -> Result<()> {
        let bad = |k: &str, r: String| Err(LiveError::invalid(format!("{}: {k}", self.name), r));
        if self.name.is_empty() {
            return Err(LiveError::invalid("name", "a target needs a name"));
        }
        if self.query.trim().is_empty() {
            return bad("query", "empty query".into());
        }
        if self.step <= 0 {
            return bad("step", format!("must be > 0 s, got {}", self.step));
        }
        if self.interval.is_zero() {
            return bad("interval", "must be > 0".into());
        }
        if self.history < 2 {
            return bad(
                "history",
                format!("need at least 2 points, got {}", self.history),
            );
        }
        if self.horizon == 0 {
            return bad("horizon", "must be at least one step".into());
        }
        if self.refit_every <= 0 || self.stale_after <= 0 || self.max_backoff <= 0 {
            return bad(
                "refit_every/stale_after/max_backoff",
                "durations must be > 0".into(),
            );
        }
        if let SeasonSpec::Seconds(s) = self.season
            && (s <= 0 || s % self.step != 0)
        {
            return bad(
                "season",
                format!("{s} s is not a whole number of {} s steps", self.step),
            );
        }
        if let Some(b) = &self.max_error {
            b.validate().or_else(|e| bad("max_error", e))?;
        }
        Planner::new(self.planner.clone())
            .map_err(|e| LiveError::invalid(format!("{}: planner", self.name), e.to_string()))?;
        // The season is known only after the backfill when `auto`: accept parameters that
        // build with a non-seasonal or a seasonal context.
        let seasons: Vec<usize> = match self.season {
            SeasonSpec::Auto => vec![1, 2],
            SeasonSpec::Steps(n) => vec![n],
            SeasonSpec::Seconds(s) => vec![(s / self.step) as usize],
        };
        let mut last = None;
        for season in seasons {
            let params = Params::parse(&self.model, &self.params)
                .map_err(|e| LiveError::invalid(format!("{}: params", self.name), e.to_string()))?;
            let ctx = BuildContext {
                season: Some(season),
                step: self.step,
            };
            match registry.build(&self.model, params, &ctx) {
                Ok(_) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(LiveError::invalid(
            format!("{}: model", self.name),
            last.map_or_else(String::new, |e| e.to_string()),
        ))
    }
}

/// Why a target's recommendation falls back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackReason {
    /// Prometheus unreachable or answering an error.
    Prometheus,
    /// The query returned no series at start.
    Empty,
    /// No point newer than `stale_after`.
    Stale,
    /// No fitted model yet (fit failed or too little history).
    NoModel,
    /// The forecast or the plan failed.
    Model,
    /// The recent error passes the bound.
    ErrorBound,
}

impl FallbackReason {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            FallbackReason::Prometheus => "prometheus",
            FallbackReason::Empty => "empty",
            FallbackReason::Stale => "stale",
            FallbackReason::NoModel => "no_model",
            FallbackReason::Model => "model",
            FallbackReason::ErrorBound => "error_bound",
        }
    }
}

/// What a target publishes (read by the HTTP server).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetStatus {
    /// The target name.
    pub name: String,
    /// `(horizon_seconds, predicted value)` of the latest forecast; empty without one.
    pub predicted: Vec<(i64, f64)>,
    /// The recommended replica count (`None` before the first tick).
    pub recommended: Option<u32>,
    /// Recent model error per metric (only metrics with a value).
    pub model_error: Vec<(ErrorMetric, f64)>,
    /// Unix time of the last tick that forecast and planned without fallback.
    pub last_success: Option<f64>,
    /// Why the recommendation is a fallback, `None` when it comes from the forecast.
    pub fallback: Option<FallbackReason>,
    /// The newest observation `(timestamp, value)`.
    pub last_observation: Option<(i64, f64)>,
    /// Unix time at the end of the last tick.
    pub heartbeat: f64,
    /// Ticks done.
    pub ticks: u64,
    /// Failures by kind (`unreachable`, `api`, `empty`, `model`, `fit`, `panic`…).
    pub errors: Vec<(&'static str, u64)>,
    /// Fits completed (the initial one included).
    pub fits: u64,
    /// Points held in the history.
    pub history_len: usize,
    /// Seconds the last forecast call took.
    pub forecast_seconds: f64,
}

impl TargetStatus {
    fn count_error(&mut self, kind: &'static str) {
        match self.errors.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.errors.push((kind, 1)),
        }
    }
}

type FitResult = std::result::Result<Box<dyn Forecaster>, String>;

/// The live state of one target. Run it with [`Target::run`] in its own thread, or drive
/// it with [`Target::tick`].
pub struct Target {
    cfg: TargetConfig,
    source: Arc<dyn RangeSource>,
    registry: Registry,
    planner: Planner,
    history: History,
    season: Option<usize>,
    model: Option<Box<dyn Forecaster>>,
    refit: Option<Receiver<FitResult>>,
    last_fit_attempt: Option<i64>,
    forecast: Forecast,
    previous: Forecast,
    errors: RollingErrors,
    replicas: u32,
    failures: u32,
    reason: Option<FallbackReason>,
    status: Arc<Mutex<TargetStatus>>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("name", &self.cfg.name)
            .field("history", &self.history.len())
            .field("fitted", &self.model.is_some())
            .field("replicas", &self.replicas)
            .finish()
    }
}

fn log(target: &str, msg: &str) {
    eprintln!(
        "{} target={target} {msg}",
        forecast_core::time::format_rfc3339(unix_now() as i64)
    );
}

impl Target {
    /// A target reading from `source`. Errors: those of [`TargetConfig::validate`].
    pub fn new(
        cfg: TargetConfig,
        source: Arc<dyn RangeSource>,
        registry: Registry,
    ) -> Result<Self> {
        cfg.validate(&registry)?;
        let planner = Planner::new(cfg.planner.clone())
            .map_err(|e| LiveError::invalid("planner", e.to_string()))?;
        let status = TargetStatus {
            name: cfg.name.clone(),
            ..TargetStatus::default()
        };
        Ok(Target {
            history: History::new(cfg.history, cfg.step),
            errors: RollingErrors::new(cfg.error_window),
            replicas: cfg.planner.bounds.min,
            season: None,
            model: None,
            refit: None,
            last_fit_attempt: None,
            forecast: Forecast::default(),
            previous: Forecast::default(),
            failures: 0,
            reason: None,
            status: Arc::new(Mutex::new(status)),
            planner,
            registry,
            source,
            cfg,
        })
    }

    /// The settings.
    pub fn config(&self) -> &TargetConfig {
        &self.cfg
    }

    /// The published status, shared with the HTTP server.
    pub fn status(&self) -> Arc<Mutex<TargetStatus>> {
        Arc::clone(&self.status)
    }

    /// Consecutive failed pulls (drives the retry backoff).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait before the next tick: the interval, or after `k` consecutive failures
    /// `interval·2^(k−1)` capped at `max_backoff` (never below the interval).
    pub fn next_wait(&self) -> Duration {
        if self.failures == 0 {
            return self.cfg.interval;
        }
        let exp = (self.failures - 1).min(20);
        let backoff = self.cfg.interval.saturating_mul(1 << exp);
        backoff
            .min(Duration::from_secs(self.cfg.max_backoff as u64))
            .max(self.cfg.interval)
    }

    /// One cycle at Unix time `now` (seconds); returns the recommendation published.
    pub fn tick(&mut self, now: f64) -> u32 {
        let now_s = now.floor() as i64;
        let mut st = TargetStatus {
            name: self.cfg.name.clone(),
            ..self.status.lock().map(|s| s.clone()).unwrap_or_default()
        };
        self.poll_refit(&mut st);
        let mut reason = None;
        match self.pull(now_s, &mut st) {
            Ok(_) => self.failures = 0,
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                st.count_error(e.kind());
                reason = Some(match e {
                    LiveError::Empty { .. } => FallbackReason::Empty,
                    _ => FallbackReason::Prometheus,
                });
                if self.failures.is_power_of_two() {
                    log(
                        &self.cfg.name,
                        &format!("pull failed ({} in a row): {e}", self.failures),
                    );
                }
            }
        }
        if reason.is_none()
            && let Some((last, _)) = self.history.last()
            && now_s - last > self.cfg.stale_after
        {
            reason = Some(FallbackReason::Stale);
        }
        self.maybe_refit(now_s);
        st.predicted.clear();
        let mut planned = None;
        if reason.is_none() {
            if self.model.is_none() {
                reason = Some(FallbackReason::NoModel);
            } else {
                match self.forecast_and_plan(now_s, &mut st) {
                    Ok(n) => planned = Some(n),
                    Err(e) => {
                        st.count_error("model");
                        log(&self.cfg.name, &format!("forecast failed: {e}"));
                        reason = Some(FallbackReason::Model);
                    }
                }
            }
        }
        if reason.is_none()
            && let Some(b) = &self.cfg.max_error
            && self.errors.exceeds(b)
        {
            reason = Some(FallbackReason::ErrorBound);
        }
        let n = match (reason, planned) {
            (None, Some(n)) => {
                st.last_success = Some(now);
                n
            }
            _ => self.fallback_replicas(),
        };
        if reason != self.reason {
            match reason {
                Some(r) => log(
                    &self.cfg.name,
                    &format!(
                        "fallback on ({}): {n} replicas (HPA-equivalent)",
                        r.as_str()
                    ),
                ),
                None => log(
                    &self.cfg.name,
                    &format!("fallback off: {n} replicas (forecast)"),
                ),
            }
            self.reason = reason;
        }
        self.replicas = n;
        st.recommended = Some(n);
        st.fallback = reason;
        st.model_error = ErrorMetric::ALL
            .iter()
            .filter_map(|&m| self.errors.value(m).map(|v| (m, v)))
            .collect();
        st.last_observation = self.history.last();
        st.history_len = self.history.len();
        st.ticks += 1;
        st.heartbeat = unix_now();
        if let Ok(mut s) = self.status.lock() {
            *s = st;
        }
        n
    }

    /// Pulls new points (the whole history when empty); returns how many were appended.
    fn pull(&mut self, now: i64, st: &mut TargetStatus) -> Result<usize> {
        let step = self.cfg.step;
        let end = now - now.rem_euclid(step);
        let oldest = end - (self.cfg.history as i64 - 1) * step;
        let last = self.history.last();
        let start = match last {
            Some((t, _)) if t + step > end => return Ok(0),
            Some((t, _)) => (t + step).max(oldest),
            None => oldest,
        };
        let series = match self.source.query_range(&self.cfg.query, start, end, step) {
            Ok(s) => s,
            // Nothing new: the stale check decides.
            Err(LiveError::Empty { .. }) if last.is_some() => return Ok(0),
            Err(e) => return Err(e),
        };
        let raw = one_series(&self.cfg.query, series)?;
        let mut joined = RawSeries::default();
        if let Some((t, v)) = last
            && start == t + step
        {
            joined.timestamps.push(t);
            joined.values.push(v);
        } else if last.is_some() {
            // A gap longer than the history: start over from what was pulled.
            self.history.clear();
            self.errors.clear();
        }
        for (&t, &v) in raw.timestamps.iter().zip(&raw.values) {
            if t >= start && t <= end {
                joined.timestamps.push(t);
                joined.values.push(v);
            }
        }
        let (regular, _) = joined.regularize(Some(step), Fill::Linear)?;
        let fresh = match self.history.last() {
            Some((t, _)) => regular.after(t),
            None => regular,
        };
        for (t, y) in fresh.iter() {
            if let Some(k) = self.previous.timestamps.iter().position(|&ft| ft == t) {
                self.errors.push(y, self.previous.point[k]);
            }
        }
        let n = self.history.extend(&fresh)?;
        if self.model.is_none() && self.last_fit_attempt.is_none() {
            self.fit_now(now, st);
        }
        Ok(n)
    }

    fn context(&self) -> BuildContext {
        BuildContext {
            season: self.season,
            step: self.cfg.step,
        }
    }

    fn params(&self) -> std::result::Result<Params, String> {
        Params::parse(&self.cfg.model, &self.cfg.params).map_err(|e| e.to_string())
    }

    /// The first fit, in this thread, right after the backfill.
    fn fit_now(&mut self, now: i64, st: &mut TargetStatus) {
        self.last_fit_attempt = Some(now);
        let Ok(y) = self.history.series() else {
            return;
        };
        self.season = Some(match self.cfg.season {
            SeasonSpec::Auto => detect_season_for(&y).unwrap_or(1),
            SeasonSpec::Steps(n) => n,
            SeasonSpec::Seconds(s) => (s / self.cfg.step) as usize,
        });
        let levels = self.planner.levels().to_vec();
        match fit_model(
            &self.registry,
            &self.cfg.model,
            self.params(),
            self.context(),
            &levels,
            self.cfg.horizon,
            &y,
        ) {
            Ok(m) => {
                st.fits += 1;
                log(
                    &self.cfg.name,
                    &format!(
                        "fitted {} on {} points (season {})",
                        self.cfg.model,
                        y.len(),
                        self.season.unwrap_or(1)
                    ),
                );
                self.model = Some(m);
            }
            Err(e) => {
                st.count_error("fit");
                log(&self.cfg.name, &format!("fit failed: {e}"));
            }
        }
    }

    /// Starts a background refit when one is due (every `refit_every`, or every
    /// `max(interval, 10 s)` while there is no model) and none is running.
    fn maybe_refit(&mut self, now: i64) {
        if self.refit.is_some() || self.history.is_empty() {
            return;
        }
        let retry = self.cfg.interval.as_secs().max(10) as i64;
        let due = match self.last_fit_attempt {
            None => false,
            Some(t) if self.model.is_none() => now - t >= retry,
            Some(t) => now - t >= self.cfg.refit_every,
        };
        if !due {
            return;
        }
        let Ok(y) = self.history.series() else {
            return;
        };
        self.last_fit_attempt = Some(now);
        let (tx, rx) = std::sync::mpsc::channel();
        let registry = self.registry.clone();
        let (model, params, ctx) = (self.cfg.model.clone(), self.params(), self.context());
        let levels = self.planner.levels().to_vec();
        let horizon = self.cfg.horizon;
        let spawned = std::thread::Builder::new()
            .name(format!("refit-{}", self.cfg.name))
            .spawn(move || {
                let _ = tx.send(fit_model(
                    &registry, &model, params, ctx, &levels, horizon, &y,
                ));
            });
        if spawned.is_ok() {
            self.refit = Some(rx);
        }
    }

    /// Swaps in a finished background refit.
    fn poll_refit(&mut self, st: &mut TargetStatus) {
        let Some(rx) = &self.refit else {
            return;
        };
        match rx.try_recv() {
            Err(TryRecvError::Empty) => {}
            Ok(Ok(m)) => {
                self.model = Some(m);
                self.refit = None;
                st.fits += 1;
            }
            Ok(Err(e)) => {
                self.refit = None;
                st.count_error("fit");
                log(&self.cfg.name, &format!("background refit failed: {e}"));
            }
            Err(TryRecvError::Disconnected) => {
                self.refit = None;
                st.count_error("fit");
                log(&self.cfg.name, "background refit thread died");
            }
        }
    }

    fn forecast_and_plan(&mut self, now: i64, st: &mut TargetStatus) -> Result<u32> {
        let model = self
            .model
            .as_ref()
            .ok_or_else(|| LiveError::invalid("model", "not fitted"))?;
        let y = self.history.series()?;
        let need = self.planner.horizon(now, y.next_timestamp(), self.cfg.step);
        let h = self.cfg.horizon.max(need);
        let t0 = Instant::now();
        model.forecast_into(&y, h, self.planner.levels(), &mut self.forecast)?;
        st.forecast_seconds = t0.elapsed().as_secs_f64();
        if let Some(k) = self.forecast.point.iter().position(|v| !v.is_finite()) {
            return Err(LiveError::Answer(forecast_core::Error::model(
                &self.cfg.model,
                format!("forecast step {} is {}", k + 1, self.forecast.point[k]),
            )));
        }
        let n = self
            .planner
            .plan(&self.forecast, now, self.replicas)
            .map_err(|e| LiveError::invalid("planner", e.to_string()))?;
        let last = y.end().unwrap_or(now);
        st.predicted.extend(
            self.forecast
                .timestamps
                .iter()
                .zip(&self.forecast.point)
                .take(self.cfg.horizon)
                .map(|(&t, &v)| (t - last, v)),
        );
        std::mem::swap(&mut self.forecast, &mut self.previous);
        Ok(n)
    }

    /// The HPA-equivalent count for the newest observation: an external metric with
    /// target `AverageValue = u_tgt·C` (with the HPA's 10 % tolerance), clamped to the
    /// bounds; the current count when nothing was ever observed.
    pub fn fallback_replicas(&self) -> u32 {
        let c = self.planner.config();
        let current = self.replicas;
        let Some((_, x)) = self.history.last() else {
            return c.bounds.clamp(current);
        };
        let target = ValueTarget::AverageValue(c.target_utilization * c.capacity);
        let n = value_metric_replicas(
            current,
            current,
            current,
            x.max(0.0),
            target,
            Tolerance::default(),
        )
        .unwrap_or(current);
        c.bounds.clamp(n)
    }

    /// Ticks every interval (backing off after failures) until `stop` is set. A panic
    /// inside a tick is caught, counted and followed by a fresh backfill: the server never
    /// loses a target.
    pub fn run(mut self, stop: Arc<AtomicBool>) {
        let mut next = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.tick(unix_now());
            }));
            if r.is_err() {
                log(
                    &self.cfg.name,
                    "a tick panicked; starting over with a fresh backfill",
                );
                self.history.clear();
                self.errors.clear();
                self.model = None;
                self.refit = None;
                self.last_fit_attempt = None;
                self.failures = self.failures.saturating_add(1);
                if let Ok(mut s) = self.status.lock() {
                    s.count_error("panic");
                    s.fallback = Some(FallbackReason::Model);
                    s.heartbeat = unix_now();
                }
            }
            next += self.next_wait();
            let now = Instant::now();
            if next < now {
                next = now;
            }
            while !stop.load(Ordering::Relaxed) {
                let left = next.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                std::thread::sleep(left.min(Duration::from_millis(100)));
            }
        }
    }
}

/// Builds `name` through the registry and fits it on `y`.
fn fit_model(
    registry: &Registry,
    name: &str,
    params: std::result::Result<Params, String>,
    ctx: BuildContext,
    levels: &[f64],
    horizon: usize,
    y: &Series,
) -> FitResult {
    let mut m = registry
        .build_with_levels(name, params?, &ctx, levels, horizon)
        .map_err(|e| e.to_string())?;
    m.fit(y).map_err(|e| e.to_string())?;
    Ok(m)
}

/// The single series of an answer; an error naming the count otherwise.
fn one_series(query: &str, mut series: Vec<LabeledSeries>) -> Result<RawSeries> {
    match series.len() {
        1 => Ok(series.pop().map(|s| s.raw).unwrap_or_default()),
        n => Err(LiveError::invalid(
            "query",
            format!(
                "`{query}` returned {n} series; a target needs one (aggregate it, e.g. sum(...))"
            ),
        )),
    }
}
