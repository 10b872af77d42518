//! [`XGBoost`]: an XGBoost forecaster (binding `xgboost-rs` 0.3, XGBoost 1.6.2 bundled and
//! linked statically).
//!
//! Hyper-parameters keep XGBoost's own names and defaults, except:
//! - `base_score` defaults to `auto`, the mean of the training targets, which is what
//!   XGBoost ≥ 2.0 estimates for `reg:squarederror` (XGBoost 1.6 would use 0.5, which a
//!   level of 100 needs many more rounds to overcome); a number fixes it;
//! - `tree_method` defaults to `hist` (XGBoost ≥ 2.0's default), `nthread` to 1 and
//!   `seed` to 0, for reproducible fits;
//! - training runs exactly `num_boost_round` rounds of `XGBoosterUpdateOneIter` (the
//!   binding's `Booster::train` would run a fixed 16).
//!
//! Training data goes to XGBoost as a dense `f32` matrix with NaN as *missing* (the binding's
//! `DMatrix::from_dense` would treat every `0.0` as missing, so it is not used). The fitted
//! model is XGBoost's JSON model, embedded in our serde model file.
//!
//! ```
//! use forecast_core::{Forecaster, Series};
//! use forecast_trees::{XGBoost, XGBoostConfig, features::FeatureConfig};
//! let y: Vec<f64> = (0..200).map(|t| 10.0 + (t % 12) as f64).collect();
//! let train = Series::new(0, 300, y).unwrap();
//! let mut cfg = XGBoostConfig::default();
//! cfg.options.features = FeatureConfig::lags_only(12);
//! cfg.num_boost_round = 30;
//! let mut model = XGBoost::new(cfg).unwrap();
//! model.fit(&train).unwrap();
//! let f = model.forecast(&train, 3, &[]).unwrap();
//! assert!((f.point[0] - 18.0).abs() < 1.0);
//! ```

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

use crate::forecasting::{self, Booster, Engine, Fitted, Forest, TreeOptions};
use crate::library;
use crate::native::XgbForest;

/// XGBoost's regression objectives available in XGBoost 1.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum XGBoostObjective {
    /// `reg:squarederror`: the conditional mean.
    #[default]
    #[serde(rename = "reg:squarederror")]
    SquaredError,
    /// `reg:pseudohubererror` with slope `huber_slope`.
    #[serde(rename = "reg:pseudohubererror")]
    PseudoHuberError,
}

impl XGBoostObjective {
    /// XGBoost's name for the objective.
    pub fn as_str(self) -> &'static str {
        match self {
            XGBoostObjective::SquaredError => "reg:squarederror",
            XGBoostObjective::PseudoHuberError => "reg:pseudohubererror",
        }
    }
}

impl FromStr for XGBoostObjective {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reg:squarederror" | "squarederror" => Ok(XGBoostObjective::SquaredError),
            "reg:pseudohubererror" | "pseudohubererror" => Ok(XGBoostObjective::PseudoHuberError),
            other => Err(Error::invalid_param(
                "objective",
                format!("`{other}` is not reg:squarederror or reg:pseudohubererror"),
            )),
        }
    }
}

impl fmt::Display for XGBoostObjective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// XGBoost's tree construction algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TreeMethod {
    /// Exact greedy split search.
    Exact,
    /// Quantile sketch per iteration.
    Approx,
    /// Histogram of `max_bin` bins (default).
    #[default]
    Hist,
}

impl FromStr for TreeMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exact" => Ok(TreeMethod::Exact),
            "approx" => Ok(TreeMethod::Approx),
            "hist" => Ok(TreeMethod::Hist),
            other => Err(Error::invalid_param(
                "tree_method",
                format!("`{other}` is not exact, approx or hist"),
            )),
        }
    }
}

impl fmt::Display for TreeMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TreeMethod::Exact => "exact",
            TreeMethod::Approx => "approx",
            TreeMethod::Hist => "hist",
        })
    }
}

/// Hyper-parameters of [`XGBoost`], named as in XGBoost's documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XGBoostConfig {
    /// Features, strategy and engine.
    pub options: TreeOptions,
    /// Objective. Default `reg:squarederror`.
    pub objective: XGBoostObjective,
    /// Boosting rounds. Default 100.
    pub num_boost_round: usize,
    /// Shrinkage (`eta`, alias `learning_rate`). Default 0.3.
    pub eta: f64,
    /// Maximum depth. Default 6.
    pub max_depth: usize,
    /// Minimum hessian sum per child. Default 1.
    pub min_child_weight: f64,
    /// Minimum loss reduction to split. Default 0.
    pub gamma: f64,
    /// Row subsampling per round. Default 1.
    pub subsample: f64,
    /// Column subsampling per tree. Default 1.
    pub colsample_bytree: f64,
    /// L2 regularisation. Default 1.
    pub lambda: f64,
    /// L1 regularisation. Default 0.
    pub alpha: f64,
    /// Tree construction algorithm. Default `hist`.
    pub tree_method: TreeMethod,
    /// Histogram bins for `hist`/`approx`. Default 256.
    pub max_bin: usize,
    /// Global bias; `None` (`auto`) = mean of the training targets. Default `auto`.
    pub base_score: Option<f64>,
    /// Slope of `reg:pseudohubererror`. Default 1.
    pub huber_slope: f64,
    /// Random seed. Default 0.
    pub seed: u64,
    /// Training threads. Default 1.
    pub nthread: usize,
}

impl Default for XGBoostConfig {
    fn default() -> Self {
        XGBoostConfig {
            options: TreeOptions::default(),
            objective: XGBoostObjective::SquaredError,
            num_boost_round: 100,
            eta: 0.3,
            max_depth: 6,
            min_child_weight: 1.0,
            gamma: 0.0,
            subsample: 1.0,
            colsample_bytree: 1.0,
            lambda: 1.0,
            alpha: 0.0,
            tree_method: TreeMethod::Hist,
            max_bin: 256,
            base_score: None,
            huber_slope: 1.0,
            seed: 0,
            nthread: 1,
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

impl XGBoostConfig {
    /// Checks every option ([`Error::InvalidParameter`] naming it).
    pub fn validate(&self) -> Result<()> {
        self.options.validate()?;
        check(
            (1..=100_000).contains(&self.num_boost_round),
            "num_boost_round",
            format!("must be between 1 and 100000, got {}", self.num_boost_round),
        )?;
        check(
            self.eta.is_finite() && self.eta > 0.0 && self.eta <= 1.0,
            "eta",
            format!("must be in (0, 1], got {}", self.eta),
        )?;
        check(
            (1..=64).contains(&self.max_depth),
            "max_depth",
            format!("must be between 1 and 64, got {}", self.max_depth),
        )?;
        for (name, v) in [
            ("min_child_weight", self.min_child_weight),
            ("gamma", self.gamma),
            ("lambda", self.lambda),
            ("alpha", self.alpha),
        ] {
            check(
                v.is_finite() && v >= 0.0,
                name,
                format!("must be >= 0, got {v}"),
            )?;
        }
        for (name, v) in [
            ("subsample", self.subsample),
            ("colsample_bytree", self.colsample_bytree),
        ] {
            check(
                v.is_finite() && v > 0.0 && v <= 1.0,
                name,
                format!("must be in (0, 1], got {v}"),
            )?;
        }
        check(
            (2..=65_536).contains(&self.max_bin),
            "max_bin",
            format!("must be between 2 and 65536, got {}", self.max_bin),
        )?;
        if let Some(b) = self.base_score {
            check(
                b.is_finite() && (b as f32).is_finite(),
                "base_score",
                format!("must be a finite number or auto, got {b}"),
            )?;
        }
        check(
            self.huber_slope.is_finite() && self.huber_slope > 0.0,
            "huber_slope",
            format!("must be positive, got {}", self.huber_slope),
        )?;
        check(
            (1..=1024).contains(&self.nthread),
            "nthread",
            format!("must be between 1 and 1024, got {}", self.nthread),
        )
    }

    /// The training parameters passed to XGBoost (its own names), with `base_score` for
    /// targets `z` resolved.
    pub fn xgboost_params(&self, z: &[f64]) -> HashMap<String, String> {
        let base = self
            .base_score
            .unwrap_or_else(|| z.iter().sum::<f64>() / z.len().max(1) as f64);
        let mut p: HashMap<String, String> = [
            ("objective", self.objective.as_str().to_string()),
            ("eta", self.eta.to_string()),
            ("max_depth", self.max_depth.to_string()),
            ("min_child_weight", self.min_child_weight.to_string()),
            ("gamma", self.gamma.to_string()),
            ("subsample", self.subsample.to_string()),
            ("colsample_bytree", self.colsample_bytree.to_string()),
            ("lambda", self.lambda.to_string()),
            ("alpha", self.alpha.to_string()),
            ("tree_method", self.tree_method.to_string()),
            ("max_bin", self.max_bin.to_string()),
            ("base_score", base.to_string()),
            ("seed", self.seed.to_string()),
            ("nthread", self.nthread.to_string()),
            ("verbosity", "0".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if self.objective == XGBoostObjective::PseudoHuberError {
            p.insert("huber_slope".into(), self.huber_slope.to_string());
        }
        p
    }
}

/// One fitted XGBoost booster: its JSON model and the native forest parsed from it.
pub(crate) type XgbModel = Booster<XgbForest>;

impl Forest for XgbForest {
    const NAME: &'static str = "XgbModel";
    fn parse(text: &str) -> Result<Self> {
        XgbForest::from_json(text)
    }
    fn predict(&self, row: &[f64]) -> f64 {
        XgbForest::predict(self, row)
    }
    fn num_trees(&self) -> usize {
        XgbForest::num_trees(self)
    }
    fn num_features(&self) -> usize {
        XgbForest::num_features(self)
    }
    fn library_predict(id: u64, text: &str, row: &[f64]) -> Result<f64> {
        library::xgboost_predict_cached(id, text, row)
    }
}

/// XGBoost forecaster (registry name `xgboost`); see the [module docs](self).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct XGBoost {
    config: XGBoostConfig,
    fitted: Option<Fitted<XgbModel>>,
}

impl XGBoost {
    /// An unfitted model; the configuration is validated first.
    pub fn new(config: XGBoostConfig) -> Result<Self> {
        config.validate()?;
        Ok(XGBoost {
            config,
            fitted: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &XGBoostConfig {
        &self.config
    }

    /// Switches between native and library evaluation (no refit needed).
    pub fn set_engine(&mut self, engine: Engine) {
        self.config.options.engine = engine;
    }

    /// XGBoost's JSON model of each step model (one for the recursive strategy), once
    /// fitted.
    pub fn model_jsons(&self) -> Vec<&str> {
        self.fitted
            .iter()
            .flat_map(|f| f.models.iter().map(|m| &*m.text))
            .collect()
    }

    /// The native forest of step model `i` (0 for the recursive strategy), once fitted.
    pub fn forest(&self, i: usize) -> Option<&XgbForest> {
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

#[typetag::serde(name = "xgboost")]
impl Forecaster for XGBoost {
    fn name(&self) -> &str {
        "xgboost"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        self.config.validate()?;
        let name = self.name().to_string();
        let cfg = &self.config;
        let fitted = forecasting::fit_models(&name, &cfg.options, train, |x, z, nf| {
            let labels = forecasting::f32_labels(&name, z)?;
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            if let Some(i) = x32.iter().position(|v| !v.is_finite()) {
                return Err(Error::model(
                    &name,
                    format!(
                        "feature value {} (row {}, column {}) does not fit in f32",
                        x[i],
                        i / nf,
                        i % nf
                    ),
                ));
            }
            let json = library::train_xgboost(
                &x32,
                &labels,
                nf,
                cfg.xgboost_params(z),
                cfg.num_boost_round,
            )?;
            XgbModel::try_from(json)
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
