//! [`ProphetStyle`]: the [`Forecaster`] implementation.

use std::cell::RefCell;

use forecast_core::{Error, Forecast, Forecaster, Result, Series, check_context};
use serde::{Deserialize, Serialize};

use super::config::ProphetStyleConfig;
use super::fit::fit_map;
use super::predict::FittedProphet;
use super::uncertainty::{Scratch, quantile, quantile_pair, simulate};

const NAME: &str = "prophet-style";

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A Prophet-style model: piecewise-linear trend with changepoints, Fourier seasonalities,
/// MAP fit by L-BFGS, intervals by simulation. See the [module docs](crate::prophet) for how
/// it differs from Prophet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProphetStyle {
    config: ProphetStyleConfig,
    fitted: Option<FittedProphet>,
    step: i64,
}

impl ProphetStyle {
    /// An unfitted model; fails with [`Error::InvalidParameter`] if `config` is invalid.
    pub fn new(config: ProphetStyleConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self {
            config,
            fitted: None,
            step: 0,
        })
    }

    /// A fitted model from given parts (e.g. Prophet's own parameters); `step` is the series
    /// step in seconds that forecast contexts must have.
    pub fn from_fitted(
        config: ProphetStyleConfig,
        fitted: FittedProphet,
        step: i64,
    ) -> Result<Self> {
        config.validate()?;
        if step <= 0 {
            return Err(Error::invalid_param(
                "step",
                format!("must be > 0, got {step}"),
            ));
        }
        Ok(Self {
            config,
            fitted: Some(fitted),
            step,
        })
    }

    /// The hyper-parameters.
    pub fn config(&self) -> &ProphetStyleConfig {
        &self.config
    }

    /// The fitted model, once [`Forecaster::fit`] has succeeded.
    pub fn fitted(&self) -> Option<&FittedProphet> {
        self.fitted.as_ref()
    }

    /// Fits on observations at arbitrary strictly increasing timestamps (gappy data is fine
    /// for this model); forecasts then step by `step` seconds.
    pub fn fit_timestamps(&mut self, timestamps: &[i64], values: &[f64], step: i64) -> Result<()> {
        if step <= 0 {
            return Err(Error::invalid_param(
                "step",
                format!("must be > 0, got {step}"),
            ));
        }
        self.fitted = Some(fit_map(&self.config, timestamps, values)?);
        self.step = step;
        Ok(())
    }

    /// Point forecasts and `interval_width` bounds (from `uncertainty_samples` paths) at
    /// arbitrary timestamps: `(yhat, lower, upper)`, like Prophet's `predict`. The bounds are
    /// empty when `uncertainty_samples` is 0.
    pub fn predict(&self, timestamps: &[i64]) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
        let fitted = self
            .fitted
            .as_ref()
            .ok_or_else(|| Error::NotFitted { model: NAME.into() })?;
        let mut sc = Scratch::default();
        let mut yhat = Vec::with_capacity(timestamps.len());
        for &ts in timestamps {
            let (t, trend, mult, add) = fitted.parts(ts);
            sc.t.push(t);
            sc.trend.push(trend);
            sc.mult.push(mult);
            sc.add.push(add);
            yhat.push(trend * (1.0 + mult) + add);
        }
        let n = self.config.uncertainty_samples;
        if n == 0 || timestamps.is_empty() {
            return Ok((yhat, Vec::new(), Vec::new()));
        }
        simulate(fitted, n, self.config.seed, &mut sc);
        let w = self.config.interval_width;
        let (mut lo, mut hi) = (Vec::new(), Vec::new());
        for row in sc.paths.chunks_exact_mut(n) {
            lo.push(quantile(row, (1.0 - w) / 2.0));
            hi.push(quantile(row, (1.0 + w) / 2.0));
        }
        Ok((yhat, lo, hi))
    }
}

#[typetag::serde(name = "prophet-style")]
impl Forecaster for ProphetStyle {
    fn name(&self) -> &str {
        NAME
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let ts: Vec<i64> = train.timestamps().collect();
        self.fit_timestamps(&ts, train.values(), train.step())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let fitted = self
            .fitted
            .as_ref()
            .ok_or_else(|| Error::NotFitted { model: NAME.into() })?;
        check_context(NAME, context, self.step)?;
        out.reset(context.next_timestamp(), self.step, horizon, levels)?;
        let n = self.config.uncertainty_samples;
        if levels.is_empty() {
            for (p, &ts) in out.point.iter_mut().zip(&out.timestamps) {
                *p = fitted.yhat(ts);
            }
            return Ok(());
        }
        if n < 2 {
            return Err(Error::invalid_param(
                "uncertainty_samples",
                format!("intervals need at least 2 simulated paths, the model has {n}"),
            ));
        }
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            sc.clear();
            for (p, &ts) in out.point.iter_mut().zip(&out.timestamps) {
                let (t, trend, mult, add) = fitted.parts(ts);
                sc.t.push(t);
                sc.trend.push(trend);
                sc.mult.push(mult);
                sc.add.push(add);
                *p = trend * (1.0 + mult) + add;
            }
            simulate(fitted, n, self.config.seed, &mut sc);
            for iv in &mut out.intervals {
                let a = (1.0 - iv.level / 100.0) / 2.0;
                for (h, row) in sc.paths.chunks_exact_mut(n).enumerate() {
                    (iv.lower[h], iv.upper[h]) = quantile_pair(row, a);
                }
            }
        });
        Ok(())
    }

    fn min_train_len(&self) -> usize {
        2
    }

    fn supports_intervals(&self) -> bool {
        self.config.uncertainty_samples >= 2
    }
}
