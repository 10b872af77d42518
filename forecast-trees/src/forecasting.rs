//! What the LightGBM and XGBoost forecasters share: options, the multi-step strategies,
//! fitting one model per step, and the allocation-free forecast loop.
//!
//! # Strategies
//! - [`Strategy::Recursive`] (default): one model predicts the next step; for step `h > 1`
//!   the features are rebuilt from the context followed by the forecasts of steps
//!   `1..h` (lags, windows and the transform's anchor all see the forecasts).
//! - [`Strategy::Direct`]: one model per step `h = 1..=max_horizon`, each trained on rows
//!   built from the history ending `h` steps before its target (calendar features of the
//!   target); forecasting uses only the context.
//!
//! # Scratch memory
//! [`Forecaster::forecast_into`](forecast_core::Forecaster::forecast_into) takes `&self` and
//! the models are shared across threads, so the recursive history buffer and the feature
//! row cannot live in the model. They live in a **thread-local** scratch (two `Vec<f64>`s)
//! that grows to the largest history + horizon seen on that thread and is then reused:
//! after the first call a forecast allocates nothing (the native engine; the library engine
//! goes through the libraries' own allocating predict calls). Re-entrant use (which our code
//! never does) falls back to a fresh local scratch instead of panicking.

use std::cell::RefCell;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use forecast_core::{Error, Forecast, Result, Series, check_context, validate_levels};
use serde::{Deserialize, Serialize};

use crate::features::{FeatureConfig, FeatureLayout};

/// Fewest training rows (per step model) a fit accepts.
pub const MIN_TRAIN_ROWS: usize = 10;

/// How multi-step forecasts are made (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// One one-step model applied repeatedly on its own forecasts.
    #[default]
    Recursive,
    /// One model per step up to `max_horizon`.
    Direct,
}

impl FromStr for Strategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "recursive" => Ok(Strategy::Recursive),
            "direct" => Ok(Strategy::Direct),
            other => Err(Error::invalid_param(
                "strategy",
                format!("`{other}` is not recursive or direct"),
            )),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Recursive => "recursive",
            Strategy::Direct => "direct",
        })
    }
}

/// Which code evaluates the trees when forecasting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// The flat-array evaluator of [`crate::native`] (no allocation, microseconds).
    #[default]
    Native,
    /// The library's own predict call (for comparison; allocates, slower).
    Library,
}

impl FromStr for Engine {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "native" => Ok(Engine::Native),
            "library" => Ok(Engine::Library),
            other => Err(Error::invalid_param(
                "engine",
                format!("`{other}` is not native or library"),
            )),
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Native => "native",
            Engine::Library => "library",
        })
    }
}

/// Options shared by both forecasters: features, strategy and engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeOptions {
    /// The feature builder's configuration.
    pub features: FeatureConfig,
    /// Recursive (default) or direct.
    pub strategy: Strategy,
    /// Number of step models of the direct strategy (ignored by the recursive one).
    /// Default 24.
    pub max_horizon: usize,
    /// Native (default) or library evaluation.
    pub engine: Engine,
}

impl Default for TreeOptions {
    fn default() -> Self {
        TreeOptions {
            features: FeatureConfig::default(),
            strategy: Strategy::Recursive,
            max_horizon: 24,
            engine: Engine::Native,
        }
    }
}

impl TreeOptions {
    /// Checks the feature options and `max_horizon` (1..=10000).
    pub fn validate(&self) -> Result<()> {
        self.features.validate()?;
        if !(1..=10_000).contains(&self.max_horizon) {
            return Err(Error::invalid_param(
                "max_horizon",
                format!("must be between 1 and 10000, got {}", self.max_horizon),
            ));
        }
        Ok(())
    }

    /// Number of models a fit trains: 1 (recursive) or `max_horizon` (direct).
    pub fn n_models(&self) -> usize {
        match self.strategy {
            Strategy::Recursive => 1,
            Strategy::Direct => self.max_horizon,
        }
    }

    /// The fewest training points: the feature history, the steps of the last direct model
    /// and [`MIN_TRAIN_ROWS`] rows.
    pub fn min_train_len(&self) -> usize {
        let probe = FeatureLayout {
            lags: self.features.lags,
            windows: self.features.windows.clone(),
            hour: false,
            dow: false,
            minute: false,
            transform: self.features.transform,
        };
        probe.history_len() + self.n_models() - 1 + MIN_TRAIN_ROWS
    }
}

/// One fitted step model: native and library prediction of a transformed target.
pub(crate) trait StepModel {
    /// Native evaluation (no allocation).
    fn predict_native(&self, row: &[f64]) -> f64;
    /// The library's predict.
    fn predict_library(&self, row: &[f64]) -> Result<f64>;
}

/// A native forest parsed from a library's own model text (LightGBM's text model,
/// XGBoost's JSON), with the library's predict on the same text beside it.
pub(crate) trait Forest: Sized {
    /// Name in `Debug` output.
    const NAME: &'static str;
    /// Parses the library's model text.
    fn parse(text: &str) -> Result<Self>;
    /// Native prediction of one row (no allocation).
    fn predict(&self, row: &[f64]) -> f64;
    /// Number of trees.
    fn num_trees(&self) -> usize;
    /// Number of input features.
    fn num_features(&self) -> usize;
    /// The library's predict of one row on the booster loaded from `text` (cached by `id`).
    fn library_predict(id: u64, text: &str, row: &[f64]) -> Result<f64>;
}

/// One fitted booster: the library's model text and the native forest parsed from it.
/// Serialises as the model text alone.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String", bound = "F: Forest + Clone")]
pub(crate) struct Booster<F> {
    /// The library's model text.
    pub text: Arc<str>,
    /// The native forest.
    pub forest: Arc<F>,
    /// Process-unique id for the library's booster cache.
    id: u64,
}

impl<F: Forest> TryFrom<String> for Booster<F> {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        let forest = F::parse(&text)?;
        Ok(Booster {
            text: text.into(),
            forest: Arc::new(forest),
            id: crate::library::fresh_id(),
        })
    }
}

impl<F> From<Booster<F>> for String {
    fn from(m: Booster<F>) -> String {
        m.text.to_string()
    }
}

impl<F: Forest> fmt::Debug for Booster<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(F::NAME)
            .field("trees", &self.forest.num_trees())
            .field("features", &self.forest.num_features())
            .finish()
    }
}

impl<F: Forest> StepModel for Booster<F> {
    fn predict_native(&self, row: &[f64]) -> f64 {
        self.forest.predict(row)
    }
    fn predict_library(&self, row: &[f64]) -> Result<f64> {
        F::library_predict(self.id, &self.text, row)
    }
}

/// The fitted state shared by both forecasters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Fitted<M> {
    pub layout: FeatureLayout,
    pub step: i64,
    pub strategy: Strategy,
    pub models: Vec<M>,
}

/// Builds each step's training matrix and trains it with `train_one(x, z, n_features)`.
pub(crate) fn fit_models<M>(
    name: &str,
    opts: &TreeOptions,
    train: &Series,
    mut train_one: impl FnMut(&[f64], &[f64], usize) -> Result<M>,
) -> Result<Fitted<M>> {
    opts.validate()?;
    let needed = opts.min_train_len();
    if train.len() < needed {
        return Err(Error::too_short(name, needed, train.len()));
    }
    let layout = opts.features.resolve(train.step())?;
    let nf = layout.n_features();
    let mut models = Vec::with_capacity(opts.n_models());
    for h in 1..=opts.n_models() {
        let (x, z) =
            layout.training_matrix(name, train.values(), train.start(), train.step(), h)?;
        models.push(train_one(&x, &z, nf)?);
    }
    Ok(Fitted {
        layout,
        step: train.step(),
        strategy: opts.strategy,
        models,
    })
}

/// Casts training targets to `f32` (the libraries' label type), rejecting overflow.
pub(crate) fn f32_labels(name: &str, z: &[f64]) -> Result<Vec<f32>> {
    z.iter()
        .enumerate()
        .map(|(i, &v)| {
            let l = v as f32;
            if l.is_finite() {
                Ok(l)
            } else {
                Err(Error::model(
                    name,
                    format!("training target {v} (row {i}) does not fit in f32"),
                ))
            }
        })
        .collect()
}

#[derive(Default)]
struct Scratch {
    hist: Vec<f64>,
    row: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The forecast loop shared by both forecasters (see the [module docs](self)).
pub(crate) fn forecast_into<M: StepModel>(
    name: &str,
    fitted: Option<&Fitted<M>>,
    engine: Engine,
    context: &Series,
    horizon: usize,
    levels: &[f64],
    out: &mut Forecast,
) -> Result<()> {
    let f = fitted.ok_or_else(|| Error::NotFitted {
        model: name.to_string(),
    })?;
    if !levels.is_empty() {
        validate_levels(levels)?;
        return Err(Error::invalid_param(
            "levels",
            format!(
                "{name} has no intervals of its own; wrap it in forecast_core::conformal::Conformal \
                 (the registry does this for --level)"
            ),
        ));
    }
    check_context(name, context, f.step)?;
    let need = f.layout.history_len();
    if context.len() < need {
        return Err(Error::ContextMismatch {
            model: name.to_string(),
            reason: format!(
                "the context holds {} points but the features need the last {need}",
                context.len()
            ),
        });
    }
    if f.strategy == Strategy::Direct && horizon > f.models.len() {
        return Err(Error::invalid_param(
            "max_horizon",
            format!(
                "the direct strategy was fitted for {} steps, {horizon} were asked for",
                f.models.len()
            ),
        ));
    }
    out.reset(context.next_timestamp(), f.step, horizon, &[])?;
    let recent = &context.values()[context.len() - need..];
    let predict = |m: &M, row: &[f64]| -> Result<f64> {
        match engine {
            Engine::Native => Ok(m.predict_native(row)),
            Engine::Library => m.predict_library(row),
        }
    };
    let mut run = |s: &mut Scratch| -> Result<()> {
        s.row.clear();
        s.row.resize(f.layout.n_features(), 0.0);
        s.hist.clear();
        s.hist.extend_from_slice(recent);
        for h in 0..horizon {
            let ts = out.timestamps[h];
            let (model, hist) = match f.strategy {
                Strategy::Recursive => (&f.models[0], s.hist.as_slice()),
                Strategy::Direct => (&f.models[h], recent),
            };
            let anchor = f.layout.fill_row(hist, ts, &mut s.row);
            let y = anchor.invert(predict(model, &s.row)?);
            if !y.is_finite() {
                return Err(Error::model(
                    name,
                    format!("the forecast at step {} is {y}", h + 1),
                ));
            }
            out.point[h] = y;
            if f.strategy == Strategy::Recursive {
                s.hist.push(y);
            }
        }
        Ok(())
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => run(&mut s),
        Err(_) => run(&mut Scratch::default()),
    })
}
