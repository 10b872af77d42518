//! Registry entries ([`ModelSpec`]) for the statistical models, with their documented
//! hyper-parameters, for the `forecast-zoo` facade and its `--param key=value` options.
//!
//! ```
//! use forecast_core::params::{BuildContext, Params};
//! let specs = forecast_stats::registry::model_specs();
//! let hw = specs.iter().find(|s| s.name == "holt-winters").unwrap();
//! let mut p = Params::parse("holt-winters", ["trend=add-damped"]).unwrap();
//! let model = (hw.build)(&mut p, &BuildContext { season: Some(24), step: 3600 }).unwrap();
//! assert_eq!(model.name(), "holt-winters");
//! ```

use forecast_core::params::{BuildContext, ModelSpec, ParamSpec, Params};
use forecast_core::{Error, Result};

use crate::arima::{Arima, ArimaConfig, AutoArima, AutoArimaConfig};
use crate::ets::{AutoEts, AutoEtsConfig, HoltWinters, HoltWintersConfig, Seasonal, Trend};
use crate::prophet::{ProphetStyle, ProphetStyleConfig};

const SEASON: ParamSpec = ParamSpec {
    name: "season",
    default: "auto",
    help: "season length in steps (auto: --season, else detected from the series, else 1)",
};
const HW_TREND: ParamSpec = ParamSpec {
    name: "trend",
    default: "add",
    help: "none | add | add-damped",
};
const HW_SEASONAL: ParamSpec = ParamSpec {
    name: "seasonal",
    default: "auto",
    help: "none | add | mul (auto: add when the season is > 1, else none)",
};
const ORDER: ParamSpec = ParamSpec {
    name: "order",
    default: "2,1,1",
    help: "non-seasonal order p,d,q",
};
const SEASONAL_ORDER: ParamSpec = ParamSpec {
    name: "seasonal-order",
    default: "0,0,0",
    help: "seasonal order P,D,Q (needs season > 1)",
};
const MEAN: ParamSpec = ParamSpec {
    name: "mean",
    default: "true",
    help: "estimate a mean when d + D = 0",
};
const DRIFT: ParamSpec = ParamSpec {
    name: "drift",
    default: "false",
    help: "estimate a drift when d + D = 1",
};

const CHANGEPOINTS: ParamSpec = ParamSpec {
    name: "changepoints",
    default: "25",
    help: "number of potential trend changepoints",
};
const CHANGEPOINT_PRIOR: ParamSpec = ParamSpec {
    name: "changepoint-prior-scale",
    default: "0.05",
    help: "scale of the Laplace prior on trend changes (larger = more flexible trend)",
};
const SEASONALITY_MODE: ParamSpec = ParamSpec {
    name: "seasonality-mode",
    default: "additive",
    help: "additive | multiplicative",
};
const DAILY: ParamSpec = ParamSpec {
    name: "daily",
    default: "auto",
    help: "daily seasonality: auto | true | false",
};
const WEEKLY: ParamSpec = ParamSpec {
    name: "weekly",
    default: "auto",
    help: "weekly seasonality: auto | true | false",
};

fn prophet_style(p: &mut Params) -> Result<ProphetStyle> {
    ProphetStyle::new(ProphetStyleConfig {
        n_changepoints: p.get(&CHANGEPOINTS)?,
        changepoint_prior_scale: p.get(&CHANGEPOINT_PRIOR)?,
        seasonality_mode: p.get(&SEASONALITY_MODE)?,
        daily: p.get(&DAILY)?,
        weekly: p.get(&WEEKLY)?,
        ..Default::default()
    })
}

/// The `season` parameter: an explicit number, or `auto` for the build context's season (the
/// CLI's `--season` or the detected one), else 1.
fn season(p: &mut Params, ctx: &BuildContext) -> Result<usize> {
    match p.get_raw(SEASON.name).map(str::to_string) {
        Some(v) if v != "auto" => v.parse::<usize>().map_err(|e| {
            Error::invalid_param(SEASON.name, format!("`{v}` is not a season length ({e})"))
        }),
        _ => Ok(ctx.season.unwrap_or(1)),
    }
}

fn order(p: &mut Params, spec: &ParamSpec) -> Result<[usize; 3]> {
    let raw: String = p.get(spec)?;
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    let bad = || {
        Error::invalid_param(
            spec.name,
            format!("`{raw}` is not three comma-separated integers like 2,1,1"),
        )
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let mut out = [0usize; 3];
    for (o, s) in out.iter_mut().zip(parts) {
        *o = s.parse().map_err(|_| bad())?;
    }
    Ok(out)
}

fn holt_winters(p: &mut Params, ctx: &BuildContext) -> Result<HoltWinters> {
    let m = season(p, ctx)?;
    let trend = match p.get::<String>(&HW_TREND)?.as_str() {
        "none" => Trend::None,
        "add" => Trend::Additive,
        "add-damped" => Trend::AdditiveDamped,
        other => {
            return Err(Error::invalid_param(
                "trend",
                format!("`{other}` is not none, add or add-damped"),
            ));
        }
    };
    let seasonal = match p.get::<String>(&HW_SEASONAL)?.as_str() {
        "auto" if m > 1 => Seasonal::Additive,
        "auto" | "none" => Seasonal::None,
        "add" => Seasonal::Additive,
        "mul" => Seasonal::Multiplicative,
        other => {
            return Err(Error::invalid_param(
                "seasonal",
                format!("`{other}` is not none, add, mul or auto"),
            ));
        }
    };
    HoltWinters::new(HoltWintersConfig {
        trend,
        seasonal,
        season_length: m.max(1),
    })
}

fn arima(p: &mut Params, ctx: &BuildContext) -> Result<Arima> {
    let cfg = ArimaConfig {
        order: order(p, &ORDER)?,
        seasonal_order: order(p, &SEASONAL_ORDER)?,
        season: season(p, ctx)?,
        mean: p.get(&MEAN)?,
        drift: p.get(&DRIFT)?,
        ..Default::default()
    };
    Arima::new(cfg)
}

/// The registry entries of this crate: `holt-winters`, `auto-ets`, `arima`, `auto-arima`,
/// `prophet-style`.
pub fn model_specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            name: "holt-winters",
            description: "Holt-Winters exponential smoothing (statsmodels parameterisation, SSE fit)",
            params: &[HW_TREND, HW_SEASONAL, SEASON],
            build: |p, ctx| Ok(Box::new(holt_winters(p, ctx)?)),
        },
        ModelSpec {
            name: "auto-ets",
            description: "ETS state-space model selected by AICc (R forecast::ets / statsforecast AutoETS)",
            params: &[SEASON],
            build: |p, ctx| {
                Ok(Box::new(AutoEts::new(AutoEtsConfig {
                    season_length: season(p, ctx)?,
                    ..Default::default()
                })?))
            },
        },
        ModelSpec {
            name: "arima",
            description: "(S)ARIMA with mean/drift, CSS then exact ML by Kalman filter",
            params: &[ORDER, SEASONAL_ORDER, SEASON, MEAN, DRIFT],
            build: |p, ctx| Ok(Box::new(arima(p, ctx)?)),
        },
        ModelSpec {
            name: "auto-arima",
            description: "ARIMA order by the Hyndman-Khandakar stepwise search (AICc)",
            params: &[SEASON],
            build: |p, ctx| {
                Ok(Box::new(AutoArima::new(AutoArimaConfig {
                    season_length: season(p, ctx)?,
                    ..Default::default()
                })?))
            },
        },
        ModelSpec {
            name: "prophet-style",
            description: "Prophet-style piecewise-linear trend + Fourier seasonality, MAP by L-BFGS",
            params: &[
                CHANGEPOINTS,
                CHANGEPOINT_PRIOR,
                SEASONALITY_MODE,
                DAILY,
                WEEKLY,
            ],
            build: |p, _| Ok(Box::new(prophet_style(p)?)),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(name: &str, pairs: &[&str]) -> Result<Box<dyn forecast_core::Forecaster>> {
        let spec = model_specs().into_iter().find(|s| s.name == name).unwrap();
        let mut p = Params::parse(name, pairs.iter().copied())?;
        let ctx = BuildContext {
            season: Some(24),
            step: 3600,
        };
        let m = (spec.build)(&mut p, &ctx)?;
        p.finish(spec.params)?;
        Ok(m)
    }

    #[test]
    fn builds_every_model_with_defaults_and_rejects_bad_values() {
        for s in model_specs() {
            assert_eq!(build(s.name, &[]).unwrap().name(), s.name);
        }
        assert!(build("arima", &["order=1,1"]).is_err());
        assert!(
            build(
                "arima",
                &["order=1,0,1", "seasonal-order=0,1,1", "season=1"]
            )
            .is_err()
        );
        assert!(build("holt-winters", &["trend=cubic"]).is_err());
        assert!(
            build(
                "prophet-style",
                &["seasonality-mode=multiplicative", "daily=true"]
            )
            .is_ok()
        );
        assert!(build("prophet-style", &["weekly=sometimes"]).is_err());
        assert!(matches!(
            build("auto-ets", &["seasn=4"]),
            Err(Error::UnknownParameter { .. })
        ));
        assert!(
            build(
                "arima",
                &["order=1,0,1", "seasonal-order=1,0,0", "drift=true"]
            )
            .is_ok()
        );
    }
}
