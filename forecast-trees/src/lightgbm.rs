//! [`LightGbm`]: a LightGBM forecaster (library `lightgbm3`, LightGBM 4.7.0 bundled).
//!
//! Hyper-parameters keep LightGBM's own names and defaults (except `num_threads = 1` and
//! `deterministic = true`, for reproducible fits); `verbosity = -1` silences the library.
//! The fitted model is LightGBM's own text model, embedded in our serde model file; loading
//! parses it again into the native evaluator, so forecasts are identical after a round trip.
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_trees::{LightGbm, LightGbmConfig, features::FeatureConfig};
//! let y: Vec<f64> = (0..200).map(|t| 10.0 + (t % 12) as f64).collect();
//! let train = Series::new(0, 300, y).unwrap();
//! let mut cfg = LightGbmConfig::default();
//! cfg.options.features = FeatureConfig::lags_only(12);
//! cfg.num_iterations = 20;
//! cfg.min_data_in_leaf = 5;
//! let mut model = LightGbm::new(cfg).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 3, &[]).unwrap();
//! assert!((f.point[0] - 18.0).abs() < 1.0); // the pattern continues with 8, 9, 10 + 10
//! ```

use std::fmt;
use std::str::FromStr;

use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::forecasting::{self, Booster, Engine, Fitted, Forest, TreeOptions};
use crate::library;
use crate::native::LightGbmForest;

/// LightGBM's regression objectives offered here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LightGbmObjective {
    /// `regression` (L2 loss): the conditional mean.
    #[default]
    Regression,
    /// `regression_l1` (L1 loss): the conditional median.
    RegressionL1,
    /// `huber` with `alpha` as the Huber delta.
    Huber,
    /// `quantile` with `alpha` as the quantile level (e.g. 0.9 for a P90 forecast).
    Quantile,
}

impl LightGbmObjective {
    /// LightGBM's name for the objective.
    pub fn as_str(self) -> &'static str {
        match self {
            LightGbmObjective::Regression => "regression",
            LightGbmObjective::RegressionL1 => "regression_l1",
            LightGbmObjective::Huber => "huber",
            LightGbmObjective::Quantile => "quantile",
        }
    }
}

impl FromStr for LightGbmObjective {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "regression" | "regression_l2" | "l2" | "mse" => Ok(LightGbmObjective::Regression),
            "regression_l1" | "l1" | "mae" => Ok(LightGbmObjective::RegressionL1),
            "huber" => Ok(LightGbmObjective::Huber),
            "quantile" => Ok(LightGbmObjective::Quantile),
            other => Err(Error::invalid_param(
                "objective",
                format!("`{other}` is not regression, regression_l1, huber or quantile"),
            )),
        }
    }
}

impl fmt::Display for LightGbmObjective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Hyper-parameters of [`LightGbm`], named as in LightGBM's documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LightGbmConfig {
    /// Features, strategy and engine.
    pub options: TreeOptions,
    /// Objective. Default `regression`.
    pub objective: LightGbmObjective,
    /// Quantile level for `quantile`, delta for `huber` (LightGBM's `alpha`). Default 0.9.
    pub alpha: f64,
    /// Boosting rounds. Default 100.
    pub num_iterations: usize,
    /// Shrinkage. Default 0.1.
    pub learning_rate: f64,
    /// Maximum leaves per tree. Default 31.
    pub num_leaves: usize,
    /// Maximum depth, `-1` for none. Default -1.
    pub max_depth: i32,
    /// Minimum rows per leaf. Default 20.
    pub min_data_in_leaf: usize,
    /// Minimum hessian sum per leaf. Default 1e-3.
    pub min_sum_hessian_in_leaf: f64,
    /// Share of features per tree. Default 1.
    pub feature_fraction: f64,
    /// Share of rows per bagging round. Default 1 (bagging off).
    pub bagging_fraction: f64,
    /// Bagging every `k` rounds, 0 for off. Default 0.
    pub bagging_freq: usize,
    /// L1 regularisation. Default 0.
    pub lambda_l1: f64,
    /// L2 regularisation. Default 0.
    pub lambda_l2: f64,
    /// Random seed. Default 0.
    pub seed: u64,
    /// Training threads. Default 1 (reproducible and best for small data).
    pub num_threads: usize,
}

impl Default for LightGbmConfig {
    fn default() -> Self {
        LightGbmConfig {
            options: TreeOptions::default(),
            objective: LightGbmObjective::Regression,
            alpha: 0.9,
            num_iterations: 100,
            learning_rate: 0.1,
            num_leaves: 31,
            max_depth: -1,
            min_data_in_leaf: 20,
            min_sum_hessian_in_leaf: 1e-3,
            feature_fraction: 1.0,
            bagging_fraction: 1.0,
            bagging_freq: 0,
            lambda_l1: 0.0,
            lambda_l2: 0.0,
            seed: 0,
            num_threads: 1,
        }
    }
}

fn check(ok: bool, name: &str, reason: String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_param(name, reason))
    }
}

impl LightGbmConfig {
    /// Checks every option ([`Error::InvalidParameter`] naming it).
    pub fn validate(&self) -> Result<()> {
        self.options.validate()?;
        check(
            (1..=100_000).contains(&self.num_iterations),
            "num_iterations",
            format!("must be between 1 and 100000, got {}", self.num_iterations),
        )?;
        check(
            self.learning_rate.is_finite() && self.learning_rate > 0.0,
            "learning_rate",
            format!("must be positive, got {}", self.learning_rate),
        )?;
        check(
            (2..=131_072).contains(&self.num_leaves),
            "num_leaves",
            format!("must be between 2 and 131072, got {}", self.num_leaves),
        )?;
        check(
            self.max_depth == -1 || self.max_depth >= 1,
            "max_depth",
            format!(
                "must be -1 (no limit) or at least 1, got {}",
                self.max_depth
            ),
        )?;
        check(
            self.min_sum_hessian_in_leaf.is_finite() && self.min_sum_hessian_in_leaf >= 0.0,
            "min_sum_hessian_in_leaf",
            format!("must be >= 0, got {}", self.min_sum_hessian_in_leaf),
        )?;
        for (name, v) in [
            ("feature_fraction", self.feature_fraction),
            ("bagging_fraction", self.bagging_fraction),
        ] {
            check(
                v.is_finite() && v > 0.0 && v <= 1.0,
                name,
                format!("must be in (0, 1], got {v}"),
            )?;
        }
        for (name, v) in [("lambda_l1", self.lambda_l1), ("lambda_l2", self.lambda_l2)] {
            check(
                v.is_finite() && v >= 0.0,
                name,
                format!("must be >= 0, got {v}"),
            )?;
        }
        match self.objective {
            LightGbmObjective::Quantile => check(
                self.alpha > 0.0 && self.alpha < 1.0,
                "alpha",
                format!("the quantile level must be in (0, 1), got {}", self.alpha),
            )?,
            LightGbmObjective::Huber => check(
                self.alpha.is_finite() && self.alpha > 0.0,
                "alpha",
                format!("the Huber delta must be positive, got {}", self.alpha),
            )?,
            _ => {}
        }
        check(
            (1..=1024).contains(&self.num_threads),
            "num_threads",
            format!("must be between 1 and 1024, got {}", self.num_threads),
        )
    }

    /// The training parameters passed to LightGBM (its own names).
    pub fn lightgbm_params(&self) -> serde_json::Value {
        let mut p = json!({
            "objective": self.objective.as_str(),
            "num_iterations": self.num_iterations,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "max_depth": self.max_depth,
            "min_data_in_leaf": self.min_data_in_leaf,
            "min_sum_hessian_in_leaf": self.min_sum_hessian_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": self.bagging_freq,
            "lambda_l1": self.lambda_l1,
            "lambda_l2": self.lambda_l2,
            "seed": self.seed,
            "num_threads": self.num_threads,
            "deterministic": true,
            "verbosity": -1,
        });
        if matches!(
            self.objective,
            LightGbmObjective::Quantile | LightGbmObjective::Huber
        ) {
            p["alpha"] = json!(self.alpha);
        }
        p
    }
}

/// One fitted LightGBM booster: its text model and the native forest parsed from it.
pub(crate) type LgbmModel = Booster<LightGbmForest>;

impl Forest for LightGbmForest {
    const NAME: &'static str = "LgbmModel";
    fn parse(text: &str) -> Result<Self> {
        LightGbmForest::from_model_string(text)
    }
    fn predict(&self, row: &[f64]) -> f64 {
        LightGbmForest::predict(self, row)
    }
    fn num_trees(&self) -> usize {
        LightGbmForest::num_trees(self)
    }
    fn num_features(&self) -> usize {
        LightGbmForest::num_features(self)
    }
    fn library_predict(id: u64, text: &str, row: &[f64]) -> Result<f64> {
        library::lightgbm_predict_cached(id, text, row)
    }
}

/// LightGBM forecaster (registry name `lightgbm`); see the [module docs](self).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LightGbm {
    config: LightGbmConfig,
    fitted: Option<Fitted<LgbmModel>>,
}

impl LightGbm {
    /// An unfitted model; the configuration is validated first.
    pub fn new(config: LightGbmConfig) -> Result<Self> {
        config.validate()?;
        Ok(LightGbm {
            config,
            fitted: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &LightGbmConfig {
        &self.config
    }

    /// Switches between native and library evaluation (no refit needed).
    pub fn set_engine(&mut self, engine: Engine) {
        self.config.options.engine = engine;
    }

    /// LightGBM's text model of each step model (one for the recursive strategy), once
    /// fitted.
    pub fn model_strings(&self) -> Vec<&str> {
        self.fitted
            .iter()
            .flat_map(|f| f.models.iter().map(|m| &*m.text))
            .collect()
    }

    /// The native forest of step model `i` (0 for the recursive strategy), once fitted.
    pub fn forest(&self, i: usize) -> Option<&LightGbmForest> {
        self.fitted
            .as_ref()
            .and_then(|f| f.models.get(i))
            .map(|m| &*m.forest)
    }

    /// The feature layout of the fit, once fitted.
    pub fn layout(&self) -> Option<&crate::features::FeatureLayout> {
        self.fitted.as_ref().map(|f| &f.layout)
    }
}

#[typetag::serde(name = "lightgbm")]
impl Forecaster for LightGbm {
    fn name(&self) -> &str {
        "lightgbm"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        self.config.validate()?;
        let params = self.config.lightgbm_params();
        let name = self.name().to_string();
        let fitted = forecasting::fit_models(&name, &self.config.options, train, |x, z, nf| {
            let labels = forecasting::f32_labels(&name, z)?;
            let text = library::train_lightgbm(x, &labels, nf, &params)?;
            LgbmModel::try_from(text)
        })?;
        self.fitted = Some(fitted);
        Ok(())
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
        forecasting::forecast_into(
            self.name(),
            self.fitted.as_ref(),
            self.config.options.engine,
            context,
            horizon,
            levels,
            out,
        )
    }

    fn min_train_len(&self) -> usize {
        self.config.options.min_train_len()
    }

    fn supports_intervals(&self) -> bool {
        false
    }
}
