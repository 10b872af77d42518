//! `forecast-zoo backtest`: rolling-origin backtest of models on one or many series.

use std::path::{Path, PathBuf};

use forecast_core::Error;
use forecast_core::backtest::{BacktestConfig, rows, write_csv, write_json};
use forecast_core::params::Params;
use forecast_zoo::Registry;

use super::common::{
    CliError, CliResult, InputArgs, SeasonArg, check_levels, create, finish, input_err, is_json,
    load_zoo, progress, select_models, with_overrides,
};
use super::leaderboard::{JobOutcome, render, run_jobs};

/// Options of `backtest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Comma-separated model names (see `forecast-zoo models`); `all` = every registered
    /// model, the ensemble included. With --config: a subset of the config's models.
    #[arg(long, value_delimiter = ',', required_unless_present = "config")]
    models: Vec<String>,
    /// Zoo configuration (YAML, see examples/zoo.yaml): the models, their parameters and the
    /// ensemble settings.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Forecast horizon in steps (used when --horizons is absent).
    #[arg(long)]
    horizon: Option<usize>,
    /// Comma-separated horizons to score, e.g. 1,12 (all share one origin grid).
    #[arg(long, value_delimiter = ',')]
    horizons: Vec<usize>,
    /// Season length: steps, a duration (1d, 24h) or auto (detect per series, else 1).
    /// Used by seasonal models and as the MASE/RMSSE lag.
    #[arg(long, default_value = "auto")]
    season: SeasonArg,
    /// Test region size in points (default floor(0.2·n)).
    #[arg(long)]
    test_size: Option<usize>,
    /// Distance between origins (default max(Hmax, ceil(L / max-origins)), or Hmax).
    #[arg(long)]
    stride: Option<usize>,
    /// Cap on the number of origins.
    #[arg(long)]
    max_origins: Option<usize>,
    /// Refit every K origins; in between, forecast from the updated context.
    #[arg(long, default_value_t = 1)]
    refit_every: usize,
    /// Sliding window: fit on the last W points only (default: expanding).
    #[arg(long)]
    window: Option<usize>,
    /// Interval level in percent (repeatable); default 80 and 95.
    #[arg(long = "level")]
    levels: Vec<f64>,
    /// Write per-series results here (.csv, or .json).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Model hyper-parameter key=value (repeatable); given to every selected model that has
    /// a parameter of that name.
    #[arg(long = "param")]
    params: Vec<String>,
}

/// The horizons from `--horizons` or `--horizon`; 0 is an error.
pub fn horizons(horizon: Option<usize>, list: &[usize]) -> CliResult<Vec<usize>> {
    let hs: Vec<usize> = if list.is_empty() {
        horizon.into_iter().collect()
    } else {
        list.to_vec()
    };
    if hs.is_empty() {
        return Err(input_err("give --horizon H or --horizons 1,12"));
    }
    if hs.contains(&0) {
        return Err(Error::ZeroHorizon.into());
    }
    Ok(hs)
}

/// Splits `--param` pairs between `models`: each pair goes to the models whose spec declares
/// its key; a key no selected model declares is [`Error::UnknownParameter`].
pub fn params_for(
    registry: &Registry,
    models: &[String],
    pairs: &[String],
) -> CliResult<Vec<(String, Params)>> {
    // Checks the key=value form of every pair first.
    Params::parse("models", pairs)?;
    let mut out = Vec::new();
    for m in models {
        let spec = registry.get(m)?;
        let mine = pairs.iter().filter(|p| {
            let key = p.split_once('=').map_or("", |(k, _)| k.trim());
            spec.params.iter().any(|s| s.name == key)
        });
        out.push((m.clone(), Params::parse(m, mine)?));
    }
    for pair in pairs {
        let key = pair.split_once('=').map_or("", |(k, _)| k.trim());
        let declared = out.iter().any(|(_, p)| p.contains(key));
        if !declared {
            let mut known: Vec<&str> = Vec::new();
            for m in models {
                for s in registry.get(m)?.params {
                    if !known.contains(&s.name) {
                        known.push(s.name);
                    }
                }
            }
            return Err(Error::UnknownParameter {
                model: models.join(", "),
                name: key.to_string(),
                known: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            }
            .into());
        }
    }
    Ok(out)
}

/// Writes the per-series rows of the successful outcomes to `path` (CSV or JSON).
pub fn write_results(path: &Path, outcomes: &[JobOutcome]) -> CliResult {
    let all: Vec<_> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok().map(|r| rows(&o.series, r)))
        .flatten()
        .collect();
    let mut w = create(path)?;
    if is_json(path) {
        write_json(&mut w, &all)?;
    } else {
        write_csv(&mut w, &all)?;
    }
    finish(w, path)
}

/// Reports failed jobs: when every job failed, the first failure is the command's error;
/// otherwise one warning line per failure on stderr.
pub fn check_outcomes(outcomes: &[JobOutcome]) -> CliResult {
    let failed: Vec<&JobOutcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    if failed.len() == outcomes.len()
        && let Some(Err(e)) = failed.first().map(|o| &o.result)
    {
        let err = CliError::from(e.clone());
        let msg = format!(
            "{} on series `{}`: {}",
            failed[0].model,
            failed[0].series,
            err.message()
        );
        return Err(match err {
            CliError::Input(_) => CliError::Input(msg),
            CliError::Internal(_) => CliError::Internal(msg),
        });
    }
    for o in failed {
        if let Err(e) = &o.result {
            eprintln!("warning: {} on series `{}` failed: {e}", o.model, o.series);
        }
    }
    Ok(())
}

/// Runs `backtest`.
pub fn run(a: Args, quiet: bool) -> CliResult {
    let registry = Registry::builtin();
    let zoo = load_zoo(a.config.as_deref())?;
    let models = select_models(&registry, zoo.as_ref(), &a.models)?;
    let horizons = horizons(a.horizon, &a.horizons)?;
    let levels = if a.levels.is_empty() {
        vec![80.0, 95.0]
    } else {
        a.levels.clone()
    };
    check_levels(&levels)?;
    let mut model_params = params_for(&registry, &models, &a.params)?;
    if let Some(zoo) = &zoo {
        for (m, p) in model_params.iter_mut() {
            let spec = registry.get(m)?;
            let mine = a.params.iter().filter(|pair| {
                let key = pair.split_once('=').map_or("", |(k, _)| k.trim());
                spec.params.iter().any(|s| s.name == key)
            });
            *p = with_overrides(zoo.params(m), mine);
        }
    }
    let cfg = BacktestConfig {
        horizons: horizons.clone(),
        test_size: a.test_size,
        stride: a.stride,
        max_origins: a.max_origins,
        refit_every: a.refit_every,
        window: a.window,
        season: 1,
        levels: levels.clone(),
    };
    cfg.validate()?;
    let series = a.input.load(quiet)?;
    let seasons = series
        .iter()
        .map(|s| a.season.resolve(&s.series))
        .collect::<CliResult<Vec<usize>>>()?;
    let pb = progress(series.len() * models.len(), quiet);
    let params = |m: &str| {
        model_params
            .iter()
            .find(|(n, _)| n == m)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| Params::new(m))
    };
    let outcomes = run_jobs(&registry, &models, &params, &series, &seasons, &cfg, &pb);
    check_outcomes(&outcomes)?;
    print!("{}", render(&outcomes, &models, &horizons, &levels));
    if let Some(path) = &a.output {
        write_results(path, &outcomes)?;
    }
    Ok(())
}
