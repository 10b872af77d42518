//! The model registry: every model the CLI and the demo know, with its documented
//! hyper-parameters, built by name into a `Box<dyn Forecaster>`.
//!
//! Adding a model is one [`ModelSpec`] (usually exported by the model's crate as a
//! `model_specs()` function) and one line in [`Registry::builtin`].
//!
//! ```
//! use forecast_zoo::registry::Registry;
//! use forecast_zoo::core::params::{BuildContext, Params};
//! let reg = Registry::builtin();
//! let ctx = BuildContext { season: Some(24), step: 3600 };
//! let params = Params::parse("seasonal-naive", Vec::<String>::new()).unwrap();
//! let model = reg.build("seasonal-naive", params, &ctx).unwrap();
//! assert_eq!(model.name(), "seasonal-naive");
//! assert!(reg.build("no-such-model", Params::new("x"), &ctx).is_err());
//! ```

use forecast_core::Forecaster;
use forecast_core::baselines::{Drift, MovingAverage, Naive, SeasonalNaive};
use forecast_core::conformal::{Conformal, ConformalConfig};
use forecast_core::error::{Error, Result};
use forecast_core::params::{BuildContext, ModelSpec, ParamSpec, Params};

#[cfg(feature = "ensemble")]
pub mod composite;

const SEASON: ParamSpec = ParamSpec {
    name: "season",
    default: "auto",
    help: "season length in steps (auto: --season, else detected from the series, else 1)",
};

const WINDOW: ParamSpec = ParamSpec {
    name: "window",
    default: "12",
    help: "number of latest values averaged",
};

/// The season length a model should use: the `season` parameter when given, else the
/// context's season, else 1.
pub fn season_param(p: &mut Params, ctx: &BuildContext) -> Result<usize> {
    match p.get_raw(SEASON.name).map(str::to_string) {
        Some(v) if v != "auto" => v.parse::<usize>().map_err(|e| {
            Error::invalid_param(SEASON.name, format!("`{v}` is not a season length ({e})"))
        }),
        _ => Ok(ctx.season.unwrap_or(1)),
    }
}

/// The four baselines of `forecast-core`.
pub fn baseline_specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            name: "naive",
            description: "last value repeated (random walk)",
            params: &[],
            build: |_, _| Ok(Box::new(Naive::new())),
        },
        ModelSpec {
            name: "seasonal-naive",
            description: "value one season earlier",
            params: &[SEASON],
            build: |p, ctx| Ok(Box::new(SeasonalNaive::new(season_param(p, ctx)?)?)),
        },
        ModelSpec {
            name: "drift",
            description: "random walk with drift (line from first to last value)",
            params: &[],
            build: |_, _| Ok(Box::new(Drift::new())),
        },
        ModelSpec {
            name: "moving-average",
            description: "mean of the last `window` values",
            params: &[WINDOW],
            build: |p, _| Ok(Box::new(MovingAverage::new(p.get(&WINDOW)?)?)),
        },
    ]
}

/// A list of registered models.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    specs: Vec<ModelSpec>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every model linked into this build: the baselines, then the models of the enabled
    /// feature crates.
    pub fn builtin() -> Self {
        let mut r = Registry::new();
        for s in baseline_specs() {
            r.register(s);
        }
        #[cfg(feature = "stats")]
        for s in forecast_stats::registry::model_specs() {
            r.register(s);
        }
        #[cfg(feature = "trees")]
        for s in forecast_trees::registry::model_specs() {
            r.register(s);
        }
        #[cfg(feature = "neural")]
        for s in forecast_neural::registry::model_specs() {
            r.register(s);
        }
        // `statuscale` uses `lightgbm` (lags=5) as its predictor when it is registered.
        #[cfg(feature = "ensemble")]
        for s in composite::composite_specs() {
            r.register(s);
        }
        r
    }

    /// The names `--models all` stands for: every registered model (the composites
    /// `ensemble`, `statuscale` and `hybrid` included).
    pub fn all_names(&self) -> Vec<String> {
        self.names().into_iter().map(String::from).collect()
    }

    /// Expands a `--models` list: `all` becomes [`Registry::all_names`]; other names are kept
    /// (duplicates dropped, order kept).
    pub fn expand_models(&self, requested: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in requested {
            let names = if m.trim() == "all" {
                self.all_names()
            } else {
                vec![m.trim().to_string()]
            };
            for n in names {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Adds a model (replacing one with the same name).
    pub fn register(&mut self, spec: ModelSpec) {
        self.specs.retain(|s| s.name != spec.name);
        self.specs.push(spec);
    }

    /// The registered models, in registration order.
    pub fn specs(&self) -> &[ModelSpec] {
        &self.specs
    }

    /// The registered names, in registration order.
    pub fn names(&self) -> Vec<&'static str> {
        self.specs.iter().map(|s| s.name).collect()
    }

    /// The spec of `name`; [`Error::UnknownModel`] listing the known names otherwise.
    pub fn get(&self, name: &str) -> Result<&ModelSpec> {
        self.specs
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::UnknownModel {
                name: name.to_string(),
                known: self.names().join(", "),
            })
    }

    /// Builds the unfitted model `name` from `params` (checked with [`Params::finish`]:
    /// an unknown key is [`Error::UnknownParameter`]).
    pub fn build(
        &self,
        name: &str,
        mut params: Params,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Forecaster>> {
        let spec = self.get(name)?;
        let model = (spec.build)(&mut params, ctx)?;
        params.finish(spec.params)?;
        Ok(model)
    }

    /// Like [`Registry::build`], and when `levels` is non-empty and the model has no
    /// intervals of its own, wraps it in [`Conformal`] calibrated up to `max_horizon` steps.
    pub fn build_with_levels(
        &self,
        name: &str,
        params: Params,
        ctx: &BuildContext,
        levels: &[f64],
        max_horizon: usize,
    ) -> Result<Box<dyn Forecaster>> {
        let model = self.build(name, params, ctx)?;
        if levels.is_empty() || model.supports_intervals() {
            return Ok(model);
        }
        let cfg = ConformalConfig {
            max_horizon: max_horizon.max(1),
            ..ConformalConfig::default()
        };
        Ok(Box::new(Conformal::new(model, cfg)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forecast_core::Series;

    #[test]
    fn builds_baselines_with_params_and_rejects_unknowns() {
        let reg = Registry::builtin();
        let mut expected = vec!["naive", "seasonal-naive", "drift", "moving-average"];
        if cfg!(feature = "stats") {
            expected.extend([
                "holt-winters",
                "auto-ets",
                "arima",
                "auto-arima",
                "prophet-style",
            ]);
        }
        if cfg!(feature = "trees") {
            expected.extend(["lightgbm", "xgboost"]);
        }
        if cfg!(feature = "neural") {
            expected.extend(["lstm", "gru", "cnn", "autoencoder"]);
        }
        if cfg!(feature = "ensemble") {
            expected.extend(["ensemble", "statuscale", "hybrid"]);
        }
        assert_eq!(reg.names(), expected);
        assert_eq!(reg.expand_models(&["all".into()]), reg.all_names());
        assert_eq!(
            reg.expand_models(&["naive".into(), "all".into()]).len(),
            expected.len()
        );
        let ctx = BuildContext {
            season: Some(3),
            step: 60,
        };
        let y = Series::new(0, 60, (0..12).map(|t| (t % 3) as f64).collect()).unwrap();
        let mut m = reg
            .build("seasonal-naive", Params::new("seasonal-naive"), &ctx)
            .unwrap();
        m.fit(&y).unwrap();
        assert_eq!(m.forecast(&y, 4, &[]).unwrap().point, vec![0., 1., 2., 0.]);
        let p = Params::parse("seasonal-naive", ["season=2"]).unwrap();
        let mut m = reg.build("seasonal-naive", p, &ctx).unwrap();
        m.fit(&y).unwrap();
        assert_eq!(m.forecast(&y, 2, &[]).unwrap().point, vec![1., 2.]);
        let p = Params::parse("moving-average", ["window=4"]).unwrap();
        let mut m = reg.build("moving-average", p, &ctx).unwrap();
        m.fit(&y).unwrap();
        assert_eq!(m.forecast(&y, 1, &[]).unwrap().point, vec![1.25]);

        let e = reg
            .build("arima9", Params::new("arima9"), &ctx)
            .unwrap_err();
        assert!(matches!(e, Error::UnknownModel { .. }));
        assert!(e.to_string().contains("naive, seasonal-naive"));
        let p = Params::parse("naive", ["window=3"]).unwrap();
        assert!(matches!(
            reg.build("naive", p, &ctx),
            Err(Error::UnknownParameter { .. })
        ));
        let p = Params::parse("moving-average", ["window=x"]).unwrap();
        assert!(matches!(
            reg.build("moving-average", p, &ctx),
            Err(Error::InvalidParameter { .. })
        ));
        let p = Params::parse("moving-average", ["window=0"]).unwrap();
        assert!(reg.build("moving-average", p, &ctx).is_err());
    }

    #[test]
    fn baselines_have_native_intervals_so_are_not_wrapped() {
        let reg = Registry::builtin();
        let ctx = BuildContext::default();
        let m = reg
            .build_with_levels("naive", Params::new("naive"), &ctx, &[80.0], 12)
            .unwrap();
        let json = forecast_core::model_to_json(m.as_ref()).unwrap();
        assert!(
            json.contains("\"naive\"") && !json.contains("onformal"),
            "{json}"
        );
    }
}
