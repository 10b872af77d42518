//! A fitted ARIMA model ready to forecast: coefficients, fit statistics and forecast state.

use forecast_core::{Error, Forecast, Result, Series, forecast::normal_z};
use serde::{Deserialize, Serialize};

use super::fit::{FitResult, filter_series};
use super::forecast::ForecastState;
use super::polynomial::expand;

/// A fitted (or fixed-coefficient) ARIMA model bound to its training series' time grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedArima {
    /// Coefficients and goodness of fit.
    pub fit: FitResult,
    /// Number of training observations (the drift index of the last one).
    pub n_train: usize,
    /// Step of the training series (seconds).
    pub step: i64,
    /// Timestamp of the last training observation.
    pub train_end: i64,
    /// Forecast state at the end of the training data.
    pub state: ForecastState,
}

impl FittedArima {
    /// Binds fit results to the training series: runs the exact filter with the fitted
    /// coefficients and converts its final state for forecasting.
    pub fn new(fit: FitResult, train: &Series) -> Result<Self> {
        let y = train.values();
        let fr = filter_series(y, &fit.spec, &fit.coef)?;
        let spec = fit.spec;
        let v = fit.coef.to_vec(&spec)?;
        let (phi, theta) = expand(&spec, &v);
        let state =
            ForecastState::from_filter(&phi, &theta, spec.d, spec.sd, spec.m, &fr.state, &fr.x);
        Ok(FittedArima {
            fit,
            n_train: y.len(),
            step: train.step(),
            train_end: train.end().unwrap_or(train.start()),
            state,
        })
    }

    /// Forecasts `horizon` steps after `context` (which must reach the training end; points
    /// after it update the state without refitting). `model` names the caller in errors.
    pub fn forecast_into(
        &self,
        model: &str,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        forecast_core::check_context(model, context, self.step)?;
        let end = context.end().unwrap_or(context.start());
        if end < self.train_end {
            return Err(Error::ContextMismatch {
                model: model.to_string(),
                reason: format!(
                    "the context ends at {end}, before the end of the training data ({}); \
                     refit on older data instead",
                    self.train_end
                ),
            });
        }
        if (context.start() - self.train_end).rem_euclid(self.step) != 0 {
            return Err(Error::ContextMismatch {
                model: model.to_string(),
                reason: "the context timestamps are not on the training grid".into(),
            });
        }
        if context.start() > self.train_end + self.step {
            return Err(Error::ContextMismatch {
                model: model.to_string(),
                reason: format!(
                    "the context starts at {} but the training data ends at {}: \
                     the observations in between are missing",
                    context.start(),
                    self.train_end
                ),
            });
        }
        let new = context.after(self.train_end);
        let first = self.n_train;
        let coef = &self.fit.coef;
        out.reset(context.next_timestamp(), self.step, horizon, levels)?;
        let nx = new.len();
        self.forecast_points(new.values(), first, &mut out.point);
        let t0 = (first + nx) as f64;
        for (h, p) in out.point.iter_mut().enumerate() {
            *p += coef.regression(t0 + (h + 1) as f64);
        }
        if levels.is_empty() {
            return Ok(());
        }
        // Interval 0's buffers hold ψ and the standard deviations while the others are set.
        let (first_iv, rest) = out.intervals.split_at_mut(1);
        let iv0 = &mut first_iv[0];
        self.state.variance_factors(&mut iv0.upper, &mut iv0.lower);
        let s2 = self.fit.sigma2;
        for v in iv0.lower.iter_mut() {
            *v = (*v * s2).sqrt();
        }
        for iv in rest.iter_mut() {
            let z = normal_z(iv.level);
            for h in 0..horizon {
                let sd = iv0.lower[h];
                iv.lower[h] = out.point[h] - z * sd;
                iv.upper[h] = out.point[h] + z * sd;
            }
        }
        let z0 = normal_z(iv0.level);
        for h in 0..horizon {
            let sd = iv0.lower[h];
            iv0.upper[h] = out.point[h] + z0 * sd;
            iv0.lower[h] = out.point[h] - z0 * sd;
        }
        if !iv0.lower.iter().all(|v| v.is_finite()) {
            return Err(Error::model(model, "non-finite forecast variance"));
        }
        Ok(())
    }

    /// Point forecasts of `x = y − Xβ` after the new observations `y_new` (time index of the
    /// first one = `first + 1`).
    fn forecast_points(&self, y_new: &[f64], first: usize, out: &mut [f64]) {
        let coef = &self.fit.coef;
        self.state
            .forecast(y_new, |i| coef.regression((first + i + 1) as f64), out);
    }
}
