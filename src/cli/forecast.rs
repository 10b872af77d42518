//! `forecast-zoo forecast`: fit a model on each selected series (or load a saved one) and
//! forecast the steps after its end.

use std::path::PathBuf;

use forecast_core::io::{write_forecasts_csv, write_forecasts_json};
use forecast_core::params::{BuildContext, Params};
use forecast_core::{Error, Forecast, Forecaster, load_model, save_model};
use forecast_zoo::Registry;
use forecast_zoo::plot::plot_forecast;

use super::common::{
    CliResult, InputArgs, SeasonArg, check_levels, create, finish, input_err, is_json, load_zoo,
    with_overrides,
};

/// Options of `forecast`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Model name (see `forecast-zoo models`); not needed with --load-model. With --config:
    /// one of the config's models (default: its ensemble, or its only model).
    #[arg(long, short)]
    model: Option<String>,
    /// Zoo configuration (YAML, see examples/zoo.yaml) giving the model's parameters.
    #[arg(long, conflicts_with = "load_model")]
    config: Option<PathBuf>,
    /// Steps to forecast.
    #[arg(long)]
    horizon: usize,
    /// Interval level in percent (repeatable), e.g. --level 80 --level 95.
    #[arg(long = "level")]
    levels: Vec<f64>,
    /// Season length: steps, a duration (1d, 24h) or auto (detect, else 1).
    #[arg(long, default_value = "auto")]
    season: SeasonArg,
    /// Model hyper-parameter key=value (repeatable).
    #[arg(long = "param")]
    params: Vec<String>,
    /// Write the forecasts here (.csv with columns series,timestamp,point,lower_L,upper_L…,
    /// or .json); stdout CSV when absent.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Save the fitted model as JSON (one selected series only).
    #[arg(long)]
    save_model: Option<PathBuf>,
    /// Forecast with a model saved by --save-model instead of fitting one.
    #[arg(long, conflicts_with_all = ["model", "params", "save_model"])]
    load_model: Option<PathBuf>,
    /// Plot history and forecast (.png or .svg; one selected series only).
    #[arg(long)]
    plot: Option<PathBuf>,
}

/// Runs `forecast`.
pub fn run(a: Args, quiet: bool) -> CliResult {
    if a.horizon == 0 {
        return Err(Error::ZeroHorizon.into());
    }
    check_levels(&a.levels)?;
    let registry = Registry::builtin();
    let zoo = load_zoo(a.config.as_deref())?;
    let model_name = match (&zoo, &a.model) {
        (Some(z), None) => {
            let names = z.model_names();
            if z.ensemble.is_some() {
                Some(forecast_zoo::zoo::ENSEMBLE.to_string())
            } else if names.len() == 1 {
                names.into_iter().next()
            } else {
                return Err(input_err(format!(
                    "the config holds several models ({}); pick one with --model",
                    names.join(", ")
                )));
            }
        }
        (Some(z), Some(m)) if !z.model_names().contains(m) => {
            return Err(input_err(format!(
                "model `{m}` is not in the config (it has: {})",
                z.model_names().join(", ")
            )));
        }
        (_, m) => m.clone(),
    };
    let base_params = |name: &str| -> CliResult<Params> {
        let base = zoo
            .as_ref()
            .map_or_else(|| Params::new(name), |z| z.params(name));
        Params::parse(name, &a.params)?;
        Ok(with_overrides(base, &a.params))
    };
    let loaded = match (&a.load_model, &model_name) {
        (Some(path), _) => Some(load_model(path)?),
        (None, Some(name)) => {
            // Validate the name and parameters before reading the input.
            registry.get(name)?;
            base_params(name)?;
            None
        }
        (None, None) => return Err(input_err("give --model NAME (or --load-model FILE)")),
    };
    let series = a.input.load(quiet)?;
    if series.len() > 1 && (a.save_model.is_some() || a.plot.is_some()) {
        return Err(input_err(format!(
            "{} series selected; --save-model and --plot need one (use --series)",
            series.len()
        )));
    }
    let mut forecasts: Vec<(String, Forecast)> = Vec::new();
    for s in &series {
        let model: Box<dyn Forecaster> = match &loaded {
            Some(m) => m.clone(),
            None => {
                let name = model_name.as_deref().unwrap_or_default();
                let ctx = BuildContext {
                    season: Some(a.season.resolve(&s.series)?),
                    step: s.series.step(),
                };
                let params = base_params(name)?;
                let mut m = registry.build_with_levels(name, params, &ctx, &a.levels, a.horizon)?;
                m.fit(&s.series)?;
                if let Some(path) = &a.save_model {
                    save_model(m.as_ref(), path)?;
                }
                m
            }
        };
        let f = model.forecast(&s.series, a.horizon, &a.levels)?;
        if let Some(path) = &a.plot {
            let history = s.series.tail(a.horizon.max(1) * 8);
            plot_forecast(
                path,
                &format!("{} — {}", s.name, model.name()),
                &history,
                &f,
            )?;
        }
        forecasts.push((s.name.clone(), f));
    }
    let items: Vec<(&str, &Forecast)> = forecasts.iter().map(|(n, f)| (n.as_str(), f)).collect();
    match &a.output {
        Some(path) => {
            let mut w = create(path)?;
            if is_json(path) {
                write_forecasts_json(&mut w, &items)?;
            } else {
                write_forecasts_csv(&mut w, &items)?;
            }
            finish(w, path)
        }
        None => Ok(write_forecasts_csv(std::io::stdout().lock(), &items)?),
    }
}
