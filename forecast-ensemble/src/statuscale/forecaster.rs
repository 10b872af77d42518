//! [`StatuScale`]: the StatuScale forecaster — the load-status detector decides, at the end of
//! the context, whether the one-step predictor (STABLE) or the burst estimate (BURST) forecasts.
//!
//! - **STABLE**: the injected one-step predictor (the reference uses LightGBM on 5 lags; any
//!   `Box<dyn Forecaster>` works, e.g. [`LagRegression`](super::LagRegression) with 5 lags)
//!   forecasts the horizon; a one-step model applies itself recursively.
//! - **BURST**: the burst estimate of spec §1.5.3, the mean of the last three samples (the demand
//!   that the reference's NN-PID quota `mean(u_{t−2..t})/r` is scaled from; the headroom `r` is
//!   a scaling decision and lives in `forecast-autoscale`), flat over the horizon.
//! - **WARMUP** (contexts shorter than `warmup_samples + 1`): the last value (threshold mode).
//!
//! The detector replays the last `replay` samples of the context from a fresh state (its
//! window restarts every 10 samples and a burst hold lasts `safe_time` seconds, so older
//! samples no longer matter); [`StatuScale::status_for`] returns the status the forecast used.
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_ensemble::statuscale::{LagRegression, LoadStatus, StatuScale, StatuScaleConfig};
//! let y: Vec<f64> = (0..120).map(|t| 100.0 + (t % 5) as f64).collect();
//! let train = Series::new(0, 20, y).unwrap();
//! let mut m = StatuScale::new(Box::new(LagRegression::new(5).unwrap()), StatuScaleConfig::default())
//!     .unwrap();
//! m.fit(&train).unwrap();
//! assert_eq!(m.status_for(&train).unwrap(), LoadStatus::Stable);
//! let f = m.forecast(&train, 3, &[]).unwrap();
//! assert_eq!(f.point.len(), 3);
//! ```

use forecast_core::{Error, Forecast, Forecaster, Result, Series, check_context};
use serde::{Deserialize, Serialize};

use super::detector::{DetectorConfig, LoadStatus, ResistanceLine, replay, statuses};

/// Settings of a [`StatuScale`] forecaster.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatuScaleConfig {
    /// The detector's constants.
    pub detector: DetectorConfig,
    /// Samples of the context the detector replays before forecasting (≥ warm-up + 1).
    pub replay: usize,
    /// Samples averaged by the burst estimate (3 in the reference).
    pub burst_window: usize,
    /// When set, `fit` sets the detector's `scale` to `|mean of the training data| /
    /// reference_level`, mapping the series onto the reference's units (150 m, the middle of
    /// its 0–300 m range, is the usual choice); `None` keeps `detector.scale`.
    pub reference_level: Option<f64>,
}

impl Default for StatuScaleConfig {
    fn default() -> Self {
        StatuScaleConfig {
            detector: DetectorConfig::default(),
            replay: 120,
            burst_window: 3,
            reference_level: None,
        }
    }
}

impl StatuScaleConfig {
    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        self.detector.validate()?;
        if self.replay <= self.detector.warmup_samples {
            return Err(Error::invalid_param(
                "replay",
                format!(
                    "must exceed the warm-up of {} samples, got {}",
                    self.detector.warmup_samples, self.replay
                ),
            ));
        }
        if self.burst_window == 0 {
            return Err(Error::invalid_param("burst_window", "must be at least 1"));
        }
        if let Some(r) = self.reference_level
            && !(r.is_finite() && r > 0.0)
        {
            return Err(Error::invalid_param(
                "reference_level",
                format!("must be positive, got {r}"),
            ));
        }
        Ok(())
    }
}

/// StatuScale: load-status detector plus one-step predictor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatuScale {
    predictor: Box<dyn Forecaster>,
    config: StatuScaleConfig,
    /// The detector constants in use (`scale` resolved by `fit` with `reference_level`).
    detector: DetectorConfig,
    step: Option<i64>,
}

impl StatuScale {
    /// An unfitted StatuScale forecaster predicting STABLE load with `predictor`.
    pub fn new(predictor: Box<dyn Forecaster>, config: StatuScaleConfig) -> Result<Self> {
        config.validate()?;
        Ok(StatuScale {
            predictor,
            detector: config.detector,
            config,
            step: None,
        })
    }

    /// The settings.
    pub fn config(&self) -> &StatuScaleConfig {
        &self.config
    }

    /// The detector constants in use (after `fit`, `scale` reflects `reference_level`).
    pub fn detector(&self) -> &DetectorConfig {
        &self.detector
    }

    /// The one-step predictor used in STABLE status.
    pub fn predictor(&self) -> &dyn Forecaster {
        self.predictor.as_ref()
    }

    /// The detected status at the end of `context`: the one a forecast from `context` uses.
    pub fn status_for(&self, context: &Series) -> Result<LoadStatus> {
        Ok(self.inspect(context)?.0)
    }

    /// The status at the end of `context` and the resistance line drawn there (STABLE only).
    pub fn inspect(&self, context: &Series) -> Result<(LoadStatus, Option<ResistanceLine>)> {
        let step = self.step.ok_or_else(|| Error::NotFitted {
            model: self.name().into(),
        })?;
        check_context(self.name(), context, step)?;
        let from = context.len().saturating_sub(self.config.replay);
        replay(&self.detector, context, from).ok_or_else(|| Error::ContextMismatch {
            model: self.name().into(),
            reason: "the context is empty".into(),
        })
    }

    /// The status at every sample of `series` (one detector replayed from its first sample),
    /// e.g. to plot where bursts were detected.
    pub fn status_history(&self, series: &Series) -> Vec<LoadStatus> {
        statuses(&self.detector, series)
    }
}

#[typetag::serde(name = "statuscale")]
impl Forecaster for StatuScale {
    fn name(&self) -> &str {
        "statuscale"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let needed = self.min_train_len();
        if train.len() < needed {
            return Err(Error::too_short(self.name(), needed, train.len()));
        }
        self.predictor.fit(train)?;
        self.detector = self.config.detector;
        if let Some(level) = self.config.reference_level {
            let y = train.values();
            let mean = y.iter().sum::<f64>() / y.len() as f64;
            self.detector.scale = mean.abs() / level;
        }
        self.step = Some(train.step());
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.step.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.predictor
            .min_train_len()
            .max(self.config.detector.warmup_samples + 1)
    }

    fn supports_intervals(&self) -> bool {
        false
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        if horizon == 0 {
            return Err(Error::ZeroHorizon);
        }
        if !levels.is_empty() {
            return Err(Error::invalid_param(
                "levels",
                "statuscale has no intervals of its own; wrap it in Conformal",
            ));
        }
        let (status, _) = self.inspect(context)?;
        let y = context.values();
        let flat = match status {
            LoadStatus::Stable => {
                return self.predictor.forecast_into(context, horizon, &[], out);
            }
            LoadStatus::Burst => {
                let w = self.config.burst_window.min(y.len());
                y[y.len() - w..].iter().sum::<f64>() / w as f64
            }
            LoadStatus::Warmup => y[y.len() - 1],
        };
        out.reset(context.next_timestamp(), context.step(), horizon, &[])?;
        out.point.iter_mut().for_each(|p| *p = flat);
        Ok(())
    }
}
