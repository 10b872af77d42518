//! The [`Forecaster`] trait: the one contract every model in the zoo implements.
//!
//! It is object-safe (`Box<dyn Forecaster>` is how the registry, the ensemble and the CLI hold
//! models), `Send + Sync` (backtests fan out over rayon), cloneable through
//! [`Forecaster::clone_box`], and serialisable through `typetag`: a fitted
//! `Box<dyn Forecaster>` saves to JSON and loads back as the right concrete type, provided the
//! crate defining that type is linked into the program.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::Forecast;
use crate::series::Series;

/// A forecasting model.
///
/// Life cycle: construct with hyper-parameters (validated before fitting), [`fit`] on a
/// training [`Series`], then [`forecast`] as often as needed. `forecast` takes a *context*:
/// recent history ending "now". The context may run past the end of the training data;
/// stateful models (ETS, ARIMA, neural nets) update their state from the new observations
/// without refitting. This is the online autoscaling path and the latency hot path, so
/// implementations should not allocate in [`forecast_into`] beyond growing the output buffer.
///
/// Implementors add `#[typetag::serde]` on their `impl Forecaster for ...` block and derive
/// `Serialize`, `Deserialize` and `Clone` on the model type.
///
/// ```
/// use forecast_core::{Forecaster, Series, baselines::Naive};
/// let train = Series::new(0, 60, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// let mut model: Box<dyn Forecaster> = Box::new(Naive::default());
/// model.fit(&train).unwrap();
/// let f = model.forecast(&train, 2, &[80.0]).unwrap();
/// assert_eq!(f.point, vec![4.0, 4.0]);
/// assert_eq!(f.timestamps, vec![240, 300]);
/// ```
///
/// [`fit`]: Forecaster::fit
/// [`forecast`]: Forecaster::forecast
/// [`forecast_into`]: Forecaster::forecast_into
#[typetag::serde(tag = "model")]
pub trait Forecaster: Send + Sync + std::fmt::Debug + ForecasterClone {
    /// The model's registry name (e.g. `naive`, `seasonal-naive`, `ets`).
    fn name(&self) -> &str;

    /// Fits the model on `train`. Refitting replaces any previous fit.
    fn fit(&mut self, train: &Series) -> Result<()>;

    /// True once [`Forecaster::fit`] has succeeded.
    fn is_fitted(&self) -> bool;

    /// Forecasts `horizon` steps after the end of `context` into `out`, with one interval per
    /// entry of `levels` (percent, e.g. `[80.0, 95.0]`), reusing `out`'s buffers.
    ///
    /// Errors: [`Error::NotFitted`], [`Error::ZeroHorizon`], [`Error::InvalidLevel`],
    /// [`Error::ContextMismatch`] when the context has another step or does not reach back
    /// to what the model needs.
    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()>;

    /// Forecasts `horizon` steps after the end of `context` (see [`Forecaster::forecast_into`]).
    fn forecast(&self, context: &Series, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        let mut out = Forecast::default();
        self.forecast_into(context, horizon, levels, &mut out)?;
        Ok(out)
    }

    /// The fewest training points [`Forecaster::fit`] accepts.
    fn min_train_len(&self) -> usize {
        1
    }

    /// True when the model produces its own prediction intervals. Models that return `false`
    /// reject non-empty `levels`; wrap them in [`Conformal`](crate::conformal::Conformal).
    fn supports_intervals(&self) -> bool {
        true
    }
}

/// Object-safe cloning for [`Forecaster`]; implemented for every `Forecaster + Clone`.
pub trait ForecasterClone {
    /// Clones the model (fitted state included) into a new box.
    fn clone_box(&self) -> Box<dyn Forecaster>;
}

impl<T: Forecaster + Clone + 'static> ForecasterClone for T {
    fn clone_box(&self) -> Box<dyn Forecaster> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Forecaster> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Format tag written into every saved model file.
pub const MODEL_FILE_FORMAT: &str = "forecast-zoo-model/1";

#[derive(Serialize, Deserialize)]
struct ModelFile<M> {
    format: String,
    model: M,
}

/// Serialises a (fitted) model to a JSON string, tagged with its concrete type.
pub fn model_to_json(model: &dyn Forecaster) -> Result<String> {
    Ok(serde_json::to_string(&ModelFile {
        format: MODEL_FILE_FORMAT.to_string(),
        model,
    })?)
}

/// Restores a model saved by [`model_to_json`].
pub fn model_from_json(json: &str) -> Result<Box<dyn Forecaster>> {
    let file: ModelFile<Box<dyn Forecaster>> = serde_json::from_str(json)?;
    if file.format != MODEL_FILE_FORMAT {
        return Err(Error::Serde(format!(
            "unsupported model file format `{}` (expected `{MODEL_FILE_FORMAT}`)",
            file.format
        )));
    }
    Ok(file.model)
}

/// Saves a model to `path` (JSON, see [`model_to_json`]).
pub fn save_model(model: &dyn Forecaster, path: impl AsRef<Path>) -> Result<()> {
    let json = model_to_json(model)?;
    std::fs::write(path.as_ref(), json).map_err(|e| Error::io(path.as_ref(), &e))
}

/// Loads a model saved by [`save_model`].
pub fn load_model(path: impl AsRef<Path>) -> Result<Box<dyn Forecaster>> {
    let json = std::fs::read_to_string(path.as_ref()).map_err(|e| Error::io(path.as_ref(), &e))?;
    model_from_json(&json)
}

/// Checks that `context` can be used by a model fitted on a series with step `step`:
/// same step, non-empty. Returns [`Error::ContextMismatch`] naming `model` otherwise.
pub fn check_context(model: &str, context: &Series, step: i64) -> Result<()> {
    if context.is_empty() {
        return Err(Error::ContextMismatch {
            model: model.to_string(),
            reason: "the context is empty".into(),
        });
    }
    if context.step() != step {
        return Err(Error::ContextMismatch {
            model: model.to_string(),
            reason: format!(
                "context step is {} s but the model was fitted at {} s",
                context.step(),
                step
            ),
        });
    }
    Ok(())
}
