//! [`Hybrid`]: a base model for trend and seasonality plus a second model of its residuals
//! (the Prophet+LSTM hybrid of the autoscaling literature, made generic: ProphetStyle+GRU,
//! ETS+LightGBM, SeasonalNaive+anything).
//!
//! Fitting, for a training series of `n` points and split point `s = ⌊split·n⌋`:
//! 1. a copy of the base is fitted on `y[..s]` and forecasts one step from every prefix
//!    `y[..t]`, `t = s..n`, without refitting — the same online path used at forecast time —
//!    giving out-of-sample residuals `r_t = y_t − ŷ_t`;
//! 2. the residual model is fitted on the series `r` (same step, starting at `s`);
//! 3. the base is refitted on all of `y`.
//!
//! Forecasting from a context: the base forecasts `h` steps; the one-step residuals of the base
//! on the context's observations newer than the training data (at most `residual_window` of
//! them, each a one-step forecast from the context prefix) extend the stored training
//! residuals; the residual model forecasts `h` steps from that residual context, and its
//! point forecast is added to the base's point and interval bounds (the intervals are the
//! base's, shifted; wrap the hybrid in `Conformal` for calibrated ones).

use forecast_core::{Error, Forecast, Forecaster, Result, Series, check_context};
use serde::{Deserialize, Serialize};

/// Settings of a [`Hybrid`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HybridConfig {
    /// Share of the training series the base copy is fitted on to produce out-of-sample
    /// residuals (0 < split < 1).
    pub split: f64,
    /// The most recent residuals recomputed from a forecast context (≥ 1).
    pub residual_window: usize,
}

impl Default for HybridConfig {
    fn default() -> Self {
        HybridConfig {
            split: 0.5,
            residual_window: 48,
        }
    }
}

impl HybridConfig {
    /// Checks the values.
    pub fn validate(&self) -> Result<()> {
        if !(self.split > 0.0 && self.split < 1.0) {
            return Err(Error::invalid_param(
                "split",
                format!("must be strictly between 0 and 1, got {}", self.split),
            ));
        }
        if self.residual_window == 0 {
            return Err(Error::invalid_param(
                "residual_window",
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct HybridState {
    residuals: Series,
    train_end: i64,
    step: i64,
}

/// Base model plus a model of its residuals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hybrid {
    base: Box<dyn Forecaster>,
    residual: Box<dyn Forecaster>,
    config: HybridConfig,
    name: String,
    state: Option<HybridState>,
}

impl Hybrid {
    /// An unfitted hybrid of `base` and `residual`.
    pub fn new(
        base: Box<dyn Forecaster>,
        residual: Box<dyn Forecaster>,
        config: HybridConfig,
    ) -> Result<Self> {
        config.validate()?;
        let name = format!("hybrid({}+{})", base.name(), residual.name());
        Ok(Hybrid {
            base,
            residual,
            config,
            name,
            state: None,
        })
    }
}

fn one_step(model: &dyn Forecaster, context: &Series, out: &mut Forecast) -> Result<f64> {
    model.forecast_into(context, 1, &[], out)?;
    Ok(out.point[0])
}

#[typetag::serde(name = "hybrid")]
impl Forecaster for Hybrid {
    fn name(&self) -> &str {
        &self.name
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let n = train.len();
        let needed = self.min_train_len();
        if n < needed {
            return Err(Error::too_short(self.name.clone(), needed, n));
        }
        let s = ((self.config.split * n as f64) as usize)
            .max(self.base.min_train_len())
            .min(n - self.residual.min_train_len());
        let mut half = self.base.clone_box();
        half.fit(&train.window(0..s))?;
        let y = train.values();
        let mut out = Forecast::default();
        let mut r = Vec::with_capacity(n - s);
        for (t, &yt) in y.iter().enumerate().skip(s) {
            r.push(yt - one_step(half.as_ref(), &train.window(0..t), &mut out)?);
        }
        let residuals = Series::new(train.timestamp(s), train.step(), r)?;
        self.residual.fit(&residuals)?;
        self.base.fit(train)?;
        self.state = Some(HybridState {
            residuals,
            train_end: train.end().unwrap_or(train.start()),
            step: train.step(),
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.base.min_train_len() + self.residual.min_train_len()
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let st = self.state.as_ref().ok_or_else(|| Error::NotFitted {
            model: self.name.clone(),
        })?;
        check_context(&self.name, context, st.step)?;
        // Residuals of the base on the newest observations (online, no refit).
        let new = context.after(st.train_end);
        let w = self.config.residual_window;
        let first_new = context.len() - new.len();
        let from = first_new.max(context.len().saturating_sub(w));
        let mut scratch = Forecast::default();
        let mut fresh = Vec::with_capacity(context.len() - from);
        for i in from..context.len() {
            let pred = one_step(self.base.as_ref(), &context.window(0..i), &mut scratch)?;
            fresh.push(context.values()[i] - pred);
        }
        let contiguous = new.is_empty() || new.start() == st.train_end + st.step;
        let residual_context = if fresh.is_empty() {
            st.residuals.tail(w)
        } else if from > first_new || !contiguous {
            Series::new(context.timestamp(from), st.step, fresh)?
        } else {
            // Stored training residuals continue straight into the fresh ones.
            let old = st.residuals.tail(w - fresh.len());
            let mut v = Vec::with_capacity(old.len() + fresh.len());
            v.extend_from_slice(old.values());
            v.extend_from_slice(&fresh);
            Series::new(old.start(), st.step, v)?
        };
        self.residual
            .forecast_into(&residual_context, horizon, &[], &mut scratch)?;
        self.base.forecast_into(context, horizon, levels, out)?;
        for k in 0..horizon {
            let c = scratch.point[k];
            out.point[k] += c;
            for iv in &mut out.intervals {
                iv.lower[k] += c;
                iv.upper[k] += c;
            }
        }
        Ok(())
    }
}
