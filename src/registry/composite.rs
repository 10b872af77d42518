//! Registry entries of the composite models of `forecast-ensemble`: `ensemble` (weighted
//! ensemble of registry models, optionally with dynamic selection), `statuscale` (load-status
//! detector plus one-step predictor) and `hybrid` (base model plus residual model). Their
//! components are themselves built by name from [`Registry::builtin`].

use forecast_core::Forecaster;
use forecast_core::error::{Error, Result};
use forecast_core::params::{BuildContext, ModelSpec, ParamSpec, Params};
use forecast_ensemble::statuscale::{DetectorConfig, LagRegression, StatuScale, StatuScaleConfig};
use forecast_ensemble::{
    DynamicSelection, EnsembleConfig, Hybrid, HybridConfig, WeightedEnsemble, Weighting,
};

use super::Registry;

/// Registry names of the composite models.
pub const COMPOSITES: [&str; 3] = ["ensemble", "statuscale", "hybrid"];

/// The ensemble's default members (those registered in this build): the set measured on
/// the 10-series `../shared/datasets` backtest (horizons 1 and 12, 100 origins, refit every
/// 20): dynamic softmax ensemble 0.525 / 0.595 mean MASE. Adding `xgboost` gave 0.534 /
/// 0.604, and the neural models cost seconds per fit (the ensemble fits each member twice
/// per refit) while scoring worse than naive there; the stepwise searches (auto-arima,
/// auto-ets), holt-winters and prophet-style are slow on the long series. Name any of them
/// in `members=` to include them.
pub const DEFAULT_MEMBERS: [&str; 7] = [
    "naive",
    "seasonal-naive",
    "drift",
    "moving-average",
    "arima",
    "statuscale",
    "lightgbm",
];

/// The keyword for the built-in AR(5) least-squares predictor ([`LagRegression`]).
pub const AR5: &str = "ar5";

/// The model StatuScale's reference uses as its one-step predictor (with `lags=5`), used
/// by `predictor=auto` as soon as it is registered (forecast-trees).
pub const LIGHTGBM: &str = "lightgbm";

const MEMBERS: ParamSpec = ParamSpec {
    name: "members",
    default: "auto",
    help: "comma-separated registry models; auto = naive, seasonal-naive, drift, moving-average, arima, statuscale and lightgbm (those registered)",
};
const MEMBER_PARAMS: ParamSpec = ParamSpec {
    name: "member-params",
    default: "",
    help: "members' parameters as model:key=value pairs separated by `;`, e.g. moving-average:window=24;holt-winters:trend=add",
};
const WEIGHTING: ParamSpec = ParamSpec {
    name: "weighting",
    default: "softmax",
    help: "inverse-mae | inverse-mse | softmax | stacking (weights from validation errors, and from the recent errors with dynamic-window)",
};
const TEMPERATURE: ParamSpec = ParamSpec {
    name: "temperature",
    default: "0.7",
    help: "softmax temperature (weighting=softmax only; smaller favours the best member)",
};
const DYNAMIC_WINDOW: ParamSpec = ParamSpec {
    name: "dynamic-window",
    default: "6",
    help: "re-weight members by their one-step errors on the last k points of the context (0 = static weights)",
};
const TOP_K: ParamSpec = ParamSpec {
    name: "top-k",
    default: "0",
    help: "keep only the k best members by recent error (0 = all; needs dynamic-window > 0)",
};
const VALIDATION_POINTS: ParamSpec = ParamSpec {
    name: "validation-points",
    default: "auto",
    help: "training points held out to score members (auto = max(2·validation-horizon, n/5))",
};
const VALIDATION_HORIZON: ParamSpec = ParamSpec {
    name: "validation-horizon",
    default: "12",
    help: "horizon at which members are scored on the held-out points",
};
const PARALLEL: ParamSpec = ParamSpec {
    name: "parallel",
    default: "true",
    help: "fit, score and forecast members in parallel (same result either way)",
};

/// Parameters of `ensemble`.
pub const ENSEMBLE_PARAMS: &[ParamSpec] = &[
    MEMBERS,
    MEMBER_PARAMS,
    WEIGHTING,
    TEMPERATURE,
    DYNAMIC_WINDOW,
    TOP_K,
    VALIDATION_POINTS,
    VALIDATION_HORIZON,
    PARALLEL,
];

const PREDICTOR: ParamSpec = ParamSpec {
    name: "predictor",
    default: "auto",
    help: "one-step predictor in STABLE status: a registry model or ar5; auto = lightgbm with lags=5 when registered, else ar5 (AR(5) least squares)",
};
const LAMBDA: ParamSpec = ParamSpec {
    name: "lambda",
    default: "30",
    help: "weight λ of the window's coefficient of variation in the resistance band",
};
const BAND_C: ParamSpec = ParamSpec {
    name: "c",
    default: "7",
    help: "constant c of the resistance band, in reference units (millicores)",
};
const SCALE: ParamSpec = ParamSpec {
    name: "scale",
    default: "auto",
    help: "series units per reference unit for the band; auto = |training mean| / 150 (the reference's mid-range usage of 150 m)",
};
const SAFE_TIME: ParamSpec = ParamSpec {
    name: "safe-time",
    default: "40",
    help: "minimum burst hold in seconds (converted to steps through the timestamps)",
};
const REPLAY: ParamSpec = ParamSpec {
    name: "replay",
    default: "120",
    help: "latest samples the detector replays before each forecast",
};

/// Parameters of `statuscale`.
pub const STATUSCALE_PARAMS: &[ParamSpec] = &[PREDICTOR, LAMBDA, BAND_C, SCALE, SAFE_TIME, REPLAY];

const BASE: ParamSpec = ParamSpec {
    name: "base",
    default: "auto",
    help: "registry model for trend and seasonality; auto = prophet-style when linked, else seasonal-naive",
};
const RESIDUAL: ParamSpec = ParamSpec {
    name: "residual",
    default: "ar5",
    help: "registry model (or ar5) fitted on the base's out-of-sample residuals",
};
const SPLIT: ParamSpec = ParamSpec {
    name: "split",
    default: "0.5",
    help: "share of the training series the base copy is fitted on to produce residuals",
};
const RESIDUAL_WINDOW: ParamSpec = ParamSpec {
    name: "residual-window",
    default: "48",
    help: "latest residuals recomputed from a forecast context",
};

/// Parameters of `hybrid`.
pub const HYBRID_PARAMS: &[ParamSpec] = &[BASE, RESIDUAL, SPLIT, RESIDUAL_WINDOW];

/// The three composite specs.
pub fn composite_specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            name: "ensemble",
            description: "weighted ensemble of registry models (validation-error weights, dynamic re-weighting on the latest points)",
            params: ENSEMBLE_PARAMS,
            build: |p, ctx| build_ensemble(&Registry::builtin(), p, ctx),
        },
        ModelSpec {
            name: "statuscale",
            description: "StatuScale: resistance-line load-status detector; one-step predictor when stable, burst estimate in a burst",
            params: STATUSCALE_PARAMS,
            build: |p, ctx| build_statuscale(&Registry::builtin(), p, ctx),
        },
        ModelSpec {
            name: "hybrid",
            description: "base model for trend/seasonality plus a model of its residuals (Prophet+LSTM style)",
            params: HYBRID_PARAMS,
            build: |p, ctx| build_hybrid(&Registry::builtin(), p, ctx),
        },
    ]
}

/// The ensemble's default members in `registry`: [`DEFAULT_MEMBERS`] that are registered.
pub fn default_members(registry: &Registry) -> Vec<&'static str> {
    DEFAULT_MEMBERS
        .into_iter()
        .filter(|n| registry.names().contains(n))
        .collect()
}

/// Splits a `member-params` value (`model:key=value;model:key=value`) into per-model pairs.
pub fn parse_member_params(text: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match item.split_once(':') {
            Some((m, kv)) if !m.trim().is_empty() && kv.contains('=') => {
                out.push((m.trim().to_string(), kv.trim().to_string()));
            }
            _ => {
                return Err(Error::invalid_param(
                    MEMBER_PARAMS.name,
                    format!("`{item}` is not of the form model:key=value"),
                ));
            }
        }
    }
    Ok(out)
}

/// Builds a component by name: [`AR5`] or a registry model with default parameters plus
/// `extra` pairs.
pub fn build_component(
    registry: &Registry,
    name: &str,
    extra: &[&str],
    ctx: &BuildContext,
) -> Result<Box<dyn Forecaster>> {
    if name == AR5 || name == "lag-regression" {
        if let Some(pair) = extra.first() {
            return Err(Error::invalid_param(
                *pair,
                format!("{AR5} takes no parameters"),
            ));
        }
        return Ok(Box::new(LagRegression::new(5)?));
    }
    registry.build(name, Params::parse(name, extra)?, ctx)
}

fn weighting(p: &mut Params) -> Result<Weighting> {
    let rule: String = p.get(&WEIGHTING)?;
    let temperature: f64 = p.get(&TEMPERATURE)?;
    Ok(match rule.as_str() {
        "inverse-mae" => Weighting::InverseMae,
        "inverse-mse" => Weighting::InverseMse,
        "softmax" => Weighting::Softmax { temperature },
        "stacking" => Weighting::Stacking,
        other => {
            return Err(Error::invalid_param(
                WEIGHTING.name,
                format!("`{other}` is not one of inverse-mae, inverse-mse, softmax, stacking"),
            ));
        }
    })
}

/// Builds `ensemble` from its parameters, its members from `registry`.
pub fn build_ensemble(
    registry: &Registry,
    p: &mut Params,
    ctx: &BuildContext,
) -> Result<Box<dyn Forecaster>> {
    let members_text: String = p.get(&MEMBERS)?;
    let names: Vec<String> = if members_text.trim() == "auto" {
        default_members(registry)
            .into_iter()
            .map(String::from)
            .collect()
    } else {
        members_text
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    if names.is_empty() {
        return Err(Error::invalid_param(MEMBERS.name, "no member models given"));
    }
    let member_params = parse_member_params(&p.get::<String>(&MEMBER_PARAMS)?)?;
    for (m, _) in &member_params {
        if !names.contains(m) {
            return Err(Error::invalid_param(
                MEMBER_PARAMS.name,
                format!("`{m}` is not a member (members: {})", names.join(", ")),
            ));
        }
    }
    let mut members = Vec::with_capacity(names.len());
    for name in &names {
        if name == "ensemble" {
            return Err(Error::invalid_param(
                MEMBERS.name,
                "an ensemble cannot be its own member",
            ));
        }
        let extra: Vec<&str> = member_params
            .iter()
            .filter(|(m, _)| m == name)
            .map(|(_, kv)| kv.as_str())
            .collect();
        members.push(build_component(registry, name, &extra, ctx)?);
    }
    let window: usize = p.get(&DYNAMIC_WINDOW)?;
    let top_k: usize = p.get(&TOP_K)?;
    if top_k > 0 && window == 0 {
        return Err(Error::invalid_param(
            TOP_K.name,
            "top-k needs dynamic selection (dynamic-window > 0)",
        ));
    }
    let validation_points = match p.get::<String>(&VALIDATION_POINTS)?.trim() {
        "auto" => None,
        v => Some(v.parse::<usize>().map_err(|e| {
            Error::invalid_param(
                VALIDATION_POINTS.name,
                format!("`{v}` is not auto or a number of points ({e})"),
            )
        })?),
    };
    let config = EnsembleConfig {
        weighting: weighting(p)?,
        validation_points,
        validation_horizon: p.get(&VALIDATION_HORIZON)?,
        dynamic: (window > 0).then_some(DynamicSelection {
            window,
            top_k: (top_k > 0).then_some(top_k),
        }),
        parallel: p.get(&PARALLEL)?,
    };
    config.validate().map_err(rename_param)?;
    Ok(Box::new(WeightedEnsemble::new(members, config)?))
}

/// Maps the library's field names in an error to the registry's parameter names.
fn rename_param(e: Error) -> Error {
    match e {
        Error::InvalidParameter { name, reason } => {
            let name = match name.as_str() {
                "validation_horizon" => VALIDATION_HORIZON.name.to_string(),
                "window" => DYNAMIC_WINDOW.name.to_string(),
                "top_k" => TOP_K.name.to_string(),
                "safe_time" => SAFE_TIME.name.to_string(),
                _ => name,
            };
            Error::InvalidParameter { name, reason }
        }
        other => other,
    }
}

/// Builds `statuscale`: the predictor from `registry` (LightGBM on 5 lags when registered,
/// else [`LagRegression`] with 5 lags).
pub fn build_statuscale(
    registry: &Registry,
    p: &mut Params,
    ctx: &BuildContext,
) -> Result<Box<dyn Forecaster>> {
    let predictor_name: String = p.get(&PREDICTOR)?;
    let predictor = match predictor_name.trim() {
        // LightGBM is wired here: forecast-trees registers `lightgbm` with a `lags` parameter.
        "auto" if registry.get(LIGHTGBM).is_ok() => {
            build_component(registry, LIGHTGBM, &["lags=5"], ctx)?
        }
        "auto" => build_component(registry, AR5, &[], ctx)?,
        LIGHTGBM => build_component(registry, LIGHTGBM, &["lags=5"], ctx)?,
        name => build_component(registry, name, &[], ctx)?,
    };
    let scale_text: String = p.get(&SCALE)?;
    let reference_level = match scale_text.trim() {
        "auto" => Some(150.0),
        _ => None,
    };
    let scale = match reference_level {
        Some(_) => 1.0,
        None => scale_text.trim().parse::<f64>().map_err(|e| {
            Error::invalid_param(
                SCALE.name,
                format!("`{scale_text}` is not auto or a number ({e})"),
            )
        })?,
    };
    let config = StatuScaleConfig {
        detector: DetectorConfig {
            lambda: p.get(&LAMBDA)?,
            c: p.get(&BAND_C)?,
            scale,
            safe_time: p.get(&SAFE_TIME)?,
            ..DetectorConfig::default()
        },
        replay: p.get(&REPLAY)?,
        reference_level,
        ..StatuScaleConfig::default()
    };
    Ok(Box::new(
        StatuScale::new(predictor, config).map_err(rename_param)?,
    ))
}

/// Builds `hybrid` from `registry`.
pub fn build_hybrid(
    registry: &Registry,
    p: &mut Params,
    ctx: &BuildContext,
) -> Result<Box<dyn Forecaster>> {
    let base: String = p.get(&BASE)?;
    let base = match base.trim() {
        "auto" if registry.get("prophet-style").is_ok() => "prophet-style".to_string(),
        "auto" => "seasonal-naive".to_string(),
        b => b.to_string(),
    };
    let residual: String = p.get(&RESIDUAL)?;
    let config = HybridConfig {
        split: p.get(&SPLIT)?,
        residual_window: p.get(&RESIDUAL_WINDOW)?,
    };
    config.validate().map_err(|e| match e {
        Error::InvalidParameter { name, reason } if name == "residual_window" => {
            Error::InvalidParameter {
                name: RESIDUAL_WINDOW.name.into(),
                reason,
            }
        }
        other => other,
    })?;
    Ok(Box::new(Hybrid::new(
        build_component(registry, &base, &[], ctx)?,
        build_component(registry, residual.trim(), &[], ctx)?,
        config,
    )?))
}
