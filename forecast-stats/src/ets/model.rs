//! [`FittedEts`]: the fitted state shared by [`HoltWinters`](super::HoltWinters),
//! [`Ets`](super::Ets) and [`AutoEts`](super::AutoEts), and the forecast hot path.

use forecast_core::{Error, Forecast, Result, Series, check_context};
use serde::{Deserialize, Serialize};

use super::ets_filter::{Kernel, pass};
use super::intervals;
use super::spec::{EtsSpec, EtsState, SmoothingParams};

/// Largest season length whose state is copied to the stack in the forecast path (larger
/// seasons copy into a heap buffer).
const STACK_SEASON: usize = 1024;

/// How σ² (the one-step innovation variance used by the intervals) is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigmaConvention {
    /// `SSE / n` (statsmodels Holt-Winters / ETSModel).
    SseOverN,
    /// `Σe² / (n − k − 1)` with `k` = number of parameters including σ (statsforecast
    /// `AutoETS`); `e` are additive or relative errors.
    Statsforecast,
}

/// A fitted ETS / Holt-Winters model: specification, parameters, initial and final state,
/// training span and goodness of fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedEts {
    /// The model.
    pub spec: EtsSpec,
    /// Smoothing parameters (ETS form).
    pub params: SmoothingParams,
    /// State before the first training observation (`season` chronological).
    pub initial: EtsState,
    /// State after the last training observation.
    pub last: EtsState,
    /// Series step in seconds.
    pub step: i64,
    /// Timestamp of the first training observation.
    pub train_start: i64,
    /// Timestamp of the last training observation.
    pub train_end: i64,
    /// Number of training observations.
    pub n_obs: usize,
    /// In-sample sum of squared one-step errors `Σ(y − ŷ)²`.
    pub sse: f64,
    /// R `ets`' `−2 loglik` (no constants): `n ln Σe² (+ 2 Σ ln|ŷ|)`.
    pub lik: f64,
    /// Innovation variance used by the intervals.
    pub sigma2: f64,
    /// Parameter count for information criteria (R convention, includes σ).
    pub n_params: usize,
}

impl FittedEts {
    /// Runs the model with the given parameters and initial state over `train` and records
    /// the end state and fit statistics (no optimisation).
    pub fn from_parts(
        spec: EtsSpec,
        params: SmoothingParams,
        initial: EtsState,
        train: &Series,
        sigma: SigmaConvention,
    ) -> Result<Self> {
        let want = spec.m();
        if initial.season.len() != want.max(1) {
            return Err(Error::invalid_param(
                "initial_seasons",
                format!(
                    "{} seasonal states given, the model needs {}",
                    initial.season.len(),
                    want
                ),
            ));
        }
        let y = train.values();
        let mut last = initial.clone();
        let st = pass(&spec, &params, &initial, y, &mut last, None);
        let n = y.len();
        let n_params = spec.n_params();
        let sigma2 = match sigma {
            SigmaConvention::SseOverN => st.sse / n as f64,
            SigmaConvention::Statsforecast => {
                st.sum_e2 / (n.saturating_sub(n_params + 1).max(1)) as f64
            }
        };
        Ok(FittedEts {
            spec,
            params,
            initial,
            last,
            step: train.step(),
            train_start: train.start(),
            train_end: train.end().unwrap_or(train.start()),
            n_obs: n,
            sse: st.sse,
            lik: st.lik(spec.error),
            sigma2,
            n_params,
        })
    }

    /// Log-likelihood in R `ets`' convention (`−lik/2`, constants dropped).
    pub fn loglik(&self) -> f64 {
        -0.5 * self.lik
    }

    /// AIC (R `ets`): `lik + 2k`.
    pub fn aic(&self) -> f64 {
        self.lik + 2.0 * self.n_params as f64
    }

    /// AICc: `AIC + 2k(k+1)/(n−k−1)`.
    pub fn aicc(&self) -> f64 {
        let k = self.n_params as f64;
        let n = self.n_obs as f64;
        if n - k - 1.0 <= 0.0 {
            return f64::INFINITY;
        }
        self.aic() + 2.0 * k * (k + 1.0) / (n - k - 1.0)
    }

    /// BIC: `lik + k ln n`.
    pub fn bic(&self) -> f64 {
        self.lik + self.n_params as f64 * (self.n_obs as f64).ln()
    }

    /// One-step in-sample fitted values on `train` (recomputed from the initial state).
    pub fn fitted_values(&self, train: &Series) -> Vec<f64> {
        let y = train.values();
        let mut fitted = vec![0.0; y.len()];
        let mut end = self.initial.clone();
        pass(
            &self.spec,
            &self.params,
            &self.initial,
            y,
            &mut end,
            Some(&mut fitted),
        );
        fitted
    }

    /// The forecast hot path: filters the context's observations newer than the training
    /// data from the final state (no refit), then forecasts `horizon` steps with intervals.
    pub(crate) fn forecast_into(
        &self,
        model: &str,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        check_context(model, context, self.step)?;
        let mismatch = |reason: String| Error::ContextMismatch {
            model: model.to_string(),
            reason,
        };
        if (context.start() - self.train_start).rem_euclid(self.step) != 0 {
            return Err(mismatch(format!(
                "context timestamps (start {}) are not on the training grid (start {}, step {} s)",
                context.start(),
                self.train_start,
                self.step
            )));
        }
        let ctx_end = context.end().unwrap_or(context.start());
        if ctx_end < self.train_end {
            return Err(mismatch(format!(
                "the context ends at {ctx_end}, before the end of the training data ({}); \
                 refit to forecast from an earlier origin",
                self.train_end
            )));
        }
        let new = context.after(self.train_end);
        if !new.is_empty() && new.start() != self.train_end + self.step {
            return Err(mismatch(format!(
                "gap: the context starts at {}, but the model's state ends at {}; the context \
                 must reach back to the end of the training data",
                new.start(),
                self.train_end
            )));
        }
        let k = Kernel::new(&self.spec, &self.params);
        let m = self.last.season.len();
        let mut stack = [0.0f64; STACK_SEASON];
        let mut heap = Vec::new();
        let season: &mut [f64] = if m <= STACK_SEASON {
            &mut stack[..m]
        } else {
            heap.extend_from_slice(&self.last.season);
            &mut heap[..]
        };
        if m <= STACK_SEASON {
            season.copy_from_slice(&self.last.season);
        }
        let (mut l, mut b, mut pos) = (self.last.level, self.last.trend, self.last.pos);
        k.run(&mut l, &mut b, season, &mut pos, new.values(), |_, _| {});
        out.reset(context.next_timestamp(), self.step, horizon, levels)?;
        k.forecast(l, b, season, pos, &mut out.point);
        intervals::fill(
            &self.spec,
            &self.params,
            self.sigma2,
            (l, b, season, pos),
            out,
        )
    }
}
