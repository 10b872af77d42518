//! `forecast-zoo demo`: backtest every registered model on a bundled dataset, print the
//! leaderboard, write the results CSV and a plot of the best model's last forecast.

use std::path::PathBuf;

use forecast_core::Fill;
use forecast_core::backtest::BacktestConfig;
use forecast_core::io::{NamedSeries, read_bytes};
use forecast_core::params::Params;
use forecast_zoo::Registry;
use forecast_zoo::plot::plot_forecast;

use super::backtest::{check_outcomes, write_results};
use super::common::{CliResult, SeasonArg, input_err, progress};
use super::leaderboard::{best_model, render, run_jobs};

/// The bundled dataset: `generate --scenario medium --days 7 --step 300 --seed 42`.
const DATASET: &str = include_str!("../../datasets/medium_7d_5min.csv");
const DATASET_NAME: &str = "medium_7d_5min.csv";

/// Options of `demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for demo.png and demo_backtest.csv.
    #[arg(long, default_value = "out")]
    output_dir: PathBuf,
    /// Use this file instead of the bundled dataset (its first series).
    #[arg(long)]
    input: Option<PathBuf>,
    /// Forecast horizons in steps (the bundled dataset has 5-minute steps).
    #[arg(long, value_delimiter = ',', default_value = "1,12")]
    horizons: Vec<usize>,
    /// Only these registered models (comma-separated; default: every registered model).
    #[arg(long, value_delimiter = ',')]
    models: Vec<String>,
}

fn dataset(input: &Option<PathBuf>) -> CliResult<NamedSeries> {
    let first = match input {
        Some(path) => forecast_core::io::read_path(path)?.1.into_iter().next(),
        None => read_bytes(DATASET.as_bytes(), DATASET_NAME)?
            .1
            .into_iter()
            .next(),
    };
    let s = first.ok_or_else(|| input_err("the demo dataset holds no series"))?;
    Ok(s.regularize(Fill::Linear)?)
}

/// Runs `demo`.
pub fn run(a: Args, quiet: bool) -> CliResult {
    let horizons = super::backtest::horizons(None, &a.horizons)?;
    let series = vec![dataset(&a.input)?];
    let season = SeasonArg::Auto.resolve(&series[0].series)?;
    let registry = Registry::builtin();
    let known: Vec<String> = registry.names().iter().map(|s| s.to_string()).collect();
    if let Some(bad) = a.models.iter().find(|m| !known.contains(m)) {
        return Err(input_err(format!(
            "unknown model `{bad}` for --models; registered: {}",
            known.join(", ")
        )));
    }
    let models = if a.models.is_empty() { known } else { a.models };
    let levels = vec![80.0, 95.0];
    // Each model is fitted once, at the first origin, and then forecasts every later origin
    // from the growing context without refitting: the online path a live scaler uses, and
    // fast enough to show every model in seconds.
    let cfg = BacktestConfig {
        horizons: horizons.clone(),
        levels: levels.clone(),
        refit_every: usize::MAX,
        ..BacktestConfig::default()
    };
    cfg.validate()?;
    println!(
        "demo: {} ({} points, step {} s, season {season}), {} models, horizons {:?}, fitted once then forecasting online\n",
        series[0].name,
        series[0].series.len(),
        series[0].series.step(),
        models.len(),
        horizons
    );
    let pb = progress(models.len(), quiet);
    let outcomes = run_jobs(
        &registry,
        &models,
        &|m: &str| Params::new(m),
        &series,
        &[season],
        &cfg,
        &pb,
    );
    check_outcomes(&outcomes)?;
    print!("{}", render(&outcomes, &models, &horizons, &levels));

    std::fs::create_dir_all(&a.output_dir)
        .map_err(|e| forecast_core::Error::io(&a.output_dir, &e))?;
    let csv = a.output_dir.join("demo_backtest.csv");
    write_results(&csv, &outcomes)?;
    let hmax = cfg.hmax();
    if let Some(best) = best_model(&outcomes, hmax) {
        let r = outcomes
            .iter()
            .find(|o| o.model == best)
            .and_then(|o| o.result.as_ref().ok());
        if let Some((origin, f)) = r.and_then(|r| r.forecasts.last()) {
            let y = &series[0].series;
            let from = origin.saturating_sub(12 * hmax.max(12));
            let to = (origin + hmax).min(y.len());
            let png = a.output_dir.join("demo.png");
            let title = format!("{best}: last backtest origin, {hmax}-step forecast vs actuals");
            plot_forecast(&png, &title, &y.window(from..to), f)?;
            println!("best model at horizon {hmax}: {best}");
            println!("wrote {} and {}", png.display(), csv.display());
        }
    }
    Ok(())
}
