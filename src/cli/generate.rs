//! `forecast-zoo generate`: a synthetic request-rate trace as `timestamp,value` CSV.

use std::path::PathBuf;

use forecast_core::generate::{GenerateConfig, Scenario, generate};
use forecast_core::io::{parse_timestamp, write_series_csv};

use super::common::{CliResult, create, finish, input_err};

/// Options of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Load band: low (50-150 RPS), medium (150-350) or high (350-600).
    #[arg(long)]
    scenario: Scenario,
    /// Length in days.
    #[arg(long, default_value_t = 2.0)]
    days: f64,
    /// Step in seconds.
    #[arg(long, default_value_t = 60)]
    step: i64,
    /// Random seed (same seed, same trace).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// First timestamp (RFC3339 or epoch seconds).
    #[arg(long, default_value = "2024-01-01T00:00:00Z")]
    start: String,
    /// Output CSV (stdout when absent).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `generate`.
pub fn run(a: Args, _quiet: bool) -> CliResult {
    let start = parse_timestamp(&a.start)
        .map_err(|e| input_err(format!("invalid --start `{}`: {e}", a.start)))?;
    let cfg = GenerateConfig {
        scenario: a.scenario,
        days: a.days,
        step: a.step,
        seed: a.seed,
        start,
    };
    let series = generate(&cfg)?;
    match &a.output {
        Some(path) => {
            let mut w = create(path)?;
            write_series_csv(&mut w, &series)?;
            finish(w, path)
        }
        None => {
            write_series_csv(std::io::stdout().lock(), &series)?;
            Ok(())
        }
    }
}
