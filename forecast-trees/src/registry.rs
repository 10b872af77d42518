//! Registry entries ([`ModelSpec`]) for `lightgbm` and `xgboost`, with their documented
//! hyper-parameters under the libraries' own names, for the `forecast-zoo` facade and its
//! `--param key=value` options.
//!
//! Neither model has intervals of its own (`supports_intervals() == false`); the facade's
//! `build_with_levels` wraps them in [`Conformal`](forecast_core::conformal::Conformal)
//! when levels are requested.
//!
//! ```
//! use forecast_core::params::{BuildContext, Params};
//! let specs = forecast_trees::registry::model_specs();
//! let lgbm = specs.iter().find(|s| s.name == "lightgbm").unwrap();
//! let mut p = Params::parse("lightgbm", ["lags=5", "calendar=none", "objective=quantile", "alpha=0.9"]).unwrap();
//! let model = (lgbm.build)(&mut p, &BuildContext::default()).unwrap();
//! p.finish(lgbm.params).unwrap();
//! assert_eq!(model.name(), "lightgbm");
//! ```

use forecast_core::params::{BuildContext, ModelSpec, ParamSpec, Params};
use forecast_core::{Error, Forecaster, Result};

use crate::features::FeatureConfig;
use crate::forecasting::TreeOptions;
use crate::lightgbm::{LightGbm, LightGbmConfig};
use crate::xgboost::{XGBoost, XGBoostConfig};

const LAGS: ParamSpec = ParamSpec {
    name: "lags",
    default: "24",
    help: "number of lag features lag_1..lag_L",
};
const WINDOWS: ParamSpec = ParamSpec {
    name: "windows",
    default: "none",
    help: "rolling mean/std/min/max windows, comma-separated (e.g. 6,24), or none",
};
const CALENDAR: ParamSpec = ParamSpec {
    name: "calendar",
    default: "auto",
    help: "calendar features: auto (minute under 1 h steps, hour under 1 day, dow under 1 week), none, or a list of hour,dow,minute",
};
const TRANSFORM: ParamSpec = ParamSpec {
    name: "transform",
    default: "none",
    help: "target transform: none | difference | ratio (to the recent mean absolute level)",
};
const STRATEGY: ParamSpec = ParamSpec {
    name: "strategy",
    default: "recursive",
    help: "multi-step strategy: recursive (one model) | direct (one model per step)",
};
const MAX_HORIZON: ParamSpec = ParamSpec {
    name: "max_horizon",
    default: "24",
    help: "steps of the direct strategy (one model each)",
};
const ENGINE: ParamSpec = ParamSpec {
    name: "engine",
    default: "native",
    help: "tree evaluation when forecasting: native (flat arrays in Rust) | library",
};

const LGBM_OBJECTIVE: ParamSpec = ParamSpec {
    name: "objective",
    default: "regression",
    help: "regression | regression_l1 | huber | quantile",
};
const LGBM_ALPHA: ParamSpec = ParamSpec {
    name: "alpha",
    default: "0.9",
    help: "quantile level (objective=quantile) or Huber delta (objective=huber)",
};
const NUM_ITERATIONS: ParamSpec = ParamSpec {
    name: "num_iterations",
    default: "100",
    help: "boosting rounds",
};
const LEARNING_RATE: ParamSpec = ParamSpec {
    name: "learning_rate",
    default: "0.1",
    help: "shrinkage",
};
const NUM_LEAVES: ParamSpec = ParamSpec {
    name: "num_leaves",
    default: "31",
    help: "maximum leaves per tree",
};
const LGBM_MAX_DEPTH: ParamSpec = ParamSpec {
    name: "max_depth",
    default: "-1",
    help: "maximum tree depth (-1: no limit)",
};
const MIN_DATA_IN_LEAF: ParamSpec = ParamSpec {
    name: "min_data_in_leaf",
    default: "20",
    help: "minimum rows per leaf",
};
const MIN_SUM_HESSIAN: ParamSpec = ParamSpec {
    name: "min_sum_hessian_in_leaf",
    default: "0.001",
    help: "minimum hessian sum per leaf",
};
const FEATURE_FRACTION: ParamSpec = ParamSpec {
    name: "feature_fraction",
    default: "1",
    help: "share of features per tree",
};
const BAGGING_FRACTION: ParamSpec = ParamSpec {
    name: "bagging_fraction",
    default: "1",
    help: "share of rows per bagging round",
};
const BAGGING_FREQ: ParamSpec = ParamSpec {
    name: "bagging_freq",
    default: "0",
    help: "bag every k rounds (0: off)",
};
const LAMBDA_L1: ParamSpec = ParamSpec {
    name: "lambda_l1",
    default: "0",
    help: "L1 regularisation",
};
const LAMBDA_L2: ParamSpec = ParamSpec {
    name: "lambda_l2",
    default: "0",
    help: "L2 regularisation",
};
const SEED: ParamSpec = ParamSpec {
    name: "seed",
    default: "0",
    help: "random seed",
};
const NUM_THREADS: ParamSpec = ParamSpec {
    name: "num_threads",
    default: "1",
    help: "training threads",
};

const XGB_OBJECTIVE: ParamSpec = ParamSpec {
    name: "objective",
    default: "reg:squarederror",
    help: "reg:squarederror | reg:pseudohubererror",
};
const NUM_BOOST_ROUND: ParamSpec = ParamSpec {
    name: "num_boost_round",
    default: "100",
    help: "boosting rounds",
};
const ETA: ParamSpec = ParamSpec {
    name: "eta",
    default: "0.3",
    help: "shrinkage (learning_rate)",
};
const XGB_MAX_DEPTH: ParamSpec = ParamSpec {
    name: "max_depth",
    default: "6",
    help: "maximum tree depth",
};
const MIN_CHILD_WEIGHT: ParamSpec = ParamSpec {
    name: "min_child_weight",
    default: "1",
    help: "minimum hessian sum per child",
};
const GAMMA: ParamSpec = ParamSpec {
    name: "gamma",
    default: "0",
    help: "minimum loss reduction to split",
};
const SUBSAMPLE: ParamSpec = ParamSpec {
    name: "subsample",
    default: "1",
    help: "row subsampling per round",
};
const COLSAMPLE: ParamSpec = ParamSpec {
    name: "colsample_bytree",
    default: "1",
    help: "column subsampling per tree",
};
const LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    default: "1",
    help: "L2 regularisation",
};
const XGB_ALPHA: ParamSpec = ParamSpec {
    name: "alpha",
    default: "0",
    help: "L1 regularisation",
};
const TREE_METHOD: ParamSpec = ParamSpec {
    name: "tree_method",
    default: "hist",
    help: "exact | approx | hist",
};
const MAX_BIN: ParamSpec = ParamSpec {
    name: "max_bin",
    default: "256",
    help: "histogram bins (hist, approx)",
};
const BASE_SCORE: ParamSpec = ParamSpec {
    name: "base_score",
    default: "auto",
    help: "global bias; auto = mean of the training targets (XGBoost >= 2.0 behaviour)",
};
const HUBER_SLOPE: ParamSpec = ParamSpec {
    name: "huber_slope",
    default: "1",
    help: "slope of reg:pseudohubererror",
};
const NTHREAD: ParamSpec = ParamSpec {
    name: "nthread",
    default: "1",
    help: "training threads",
};

const LGBM_PARAMS: &[ParamSpec] = &[
    LAGS,
    WINDOWS,
    CALENDAR,
    TRANSFORM,
    STRATEGY,
    MAX_HORIZON,
    ENGINE,
    LGBM_OBJECTIVE,
    LGBM_ALPHA,
    NUM_ITERATIONS,
    LEARNING_RATE,
    NUM_LEAVES,
    LGBM_MAX_DEPTH,
    MIN_DATA_IN_LEAF,
    MIN_SUM_HESSIAN,
    FEATURE_FRACTION,
    BAGGING_FRACTION,
    BAGGING_FREQ,
    LAMBDA_L1,
    LAMBDA_L2,
    SEED,
    NUM_THREADS,
];

const XGB_PARAMS: &[ParamSpec] = &[
    LAGS,
    WINDOWS,
    CALENDAR,
    TRANSFORM,
    STRATEGY,
    MAX_HORIZON,
    ENGINE,
    XGB_OBJECTIVE,
    NUM_BOOST_ROUND,
    ETA,
    XGB_MAX_DEPTH,
    MIN_CHILD_WEIGHT,
    GAMMA,
    SUBSAMPLE,
    COLSAMPLE,
    LAMBDA,
    XGB_ALPHA,
    TREE_METHOD,
    MAX_BIN,
    BASE_SCORE,
    HUBER_SLOPE,
    SEED,
    NTHREAD,
];

/// `none`/empty or a comma-separated list of window lengths.
fn windows(p: &mut Params) -> Result<Vec<usize>> {
    let raw: String = p.get(&WINDOWS)?;
    let t = raw.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    t.split(',')
        .map(|w| {
            w.trim().parse::<usize>().map_err(|_| {
                Error::invalid_param(
                    "windows",
                    format!(
                        "`{raw}` is not none or a comma-separated list of window lengths like 6,24"
                    ),
                )
            })
        })
        .collect()
}

fn options(p: &mut Params) -> Result<TreeOptions> {
    Ok(TreeOptions {
        features: FeatureConfig {
            lags: p.get(&LAGS)?,
            windows: windows(p)?,
            calendar: p.get(&CALENDAR)?,
            transform: p.get(&TRANSFORM)?,
        },
        strategy: p.get(&STRATEGY)?,
        max_horizon: p.get(&MAX_HORIZON)?,
        engine: p.get(&ENGINE)?,
    })
}

fn build_lightgbm(p: &mut Params, _ctx: &BuildContext) -> Result<Box<dyn Forecaster>> {
    let cfg = LightGbmConfig {
        options: options(p)?,
        objective: p.get(&LGBM_OBJECTIVE)?,
        alpha: p.get(&LGBM_ALPHA)?,
        num_iterations: p.get(&NUM_ITERATIONS)?,
        learning_rate: p.get(&LEARNING_RATE)?,
        num_leaves: p.get(&NUM_LEAVES)?,
        max_depth: p.get(&LGBM_MAX_DEPTH)?,
        min_data_in_leaf: p.get(&MIN_DATA_IN_LEAF)?,
        min_sum_hessian_in_leaf: p.get(&MIN_SUM_HESSIAN)?,
        feature_fraction: p.get(&FEATURE_FRACTION)?,
        bagging_fraction: p.get(&BAGGING_FRACTION)?,
        bagging_freq: p.get(&BAGGING_FREQ)?,
        lambda_l1: p.get(&LAMBDA_L1)?,
        lambda_l2: p.get(&LAMBDA_L2)?,
        seed: p.get(&SEED)?,
        num_threads: p.get(&NUM_THREADS)?,
    };
    Ok(Box::new(LightGbm::new(cfg)?))
}

fn build_xgboost(p: &mut Params, _ctx: &BuildContext) -> Result<Box<dyn Forecaster>> {
    let base_raw: String = p.get(&BASE_SCORE)?;
    let base_score = match base_raw.trim() {
        "auto" => None,
        v => Some(v.parse::<f64>().map_err(|_| {
            Error::invalid_param("base_score", format!("`{v}` is not auto or a number"))
        })?),
    };
    let cfg = XGBoostConfig {
        options: options(p)?,
        objective: p.get(&XGB_OBJECTIVE)?,
        num_boost_round: p.get(&NUM_BOOST_ROUND)?,
        eta: p.get(&ETA)?,
        max_depth: p.get(&XGB_MAX_DEPTH)?,
        min_child_weight: p.get(&MIN_CHILD_WEIGHT)?,
        gamma: p.get(&GAMMA)?,
        subsample: p.get(&SUBSAMPLE)?,
        colsample_bytree: p.get(&COLSAMPLE)?,
        lambda: p.get(&LAMBDA)?,
        alpha: p.get(&XGB_ALPHA)?,
        tree_method: p.get(&TREE_METHOD)?,
        max_bin: p.get(&MAX_BIN)?,
        base_score,
        huber_slope: p.get(&HUBER_SLOPE)?,
        seed: p.get(&SEED)?,
        nthread: p.get(&NTHREAD)?,
    };
    Ok(Box::new(XGBoost::new(cfg)?))
}

/// The registrable tree models: `lightgbm` and `xgboost`.
pub fn model_specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            name: "lightgbm",
            description: "LightGBM gradient-boosted trees on lag/rolling/calendar features (recursive or direct)",
            params: LGBM_PARAMS,
            build: build_lightgbm,
        },
        ModelSpec {
            name: "xgboost",
            description: "XGBoost gradient-boosted trees on lag/rolling/calendar features (recursive or direct)",
            params: XGB_PARAMS,
            build: build_xgboost,
        },
    ]
}
