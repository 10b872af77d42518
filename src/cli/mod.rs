//! Command-line parsing (clap derive) and dispatch; one module per subcommand.

mod backtest;
mod common;
mod demo;
mod fetch;
mod forecast;
mod generate;
mod leaderboard;
mod models;
#[cfg(feature = "autoscale")]
mod serve;
#[cfg(feature = "autoscale")]
mod simulate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Forecasting models behind one trait, honest backtests and predictive autoscaling.
#[derive(Debug, Parser)]
#[command(name = "forecast-zoo", version, about, propagate_version = true)]
pub struct Cli {
    /// No progress bars and no fill reports on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a synthetic request-rate trace (LOW/MEDIUM/HIGH load scenario) as CSV.
    Generate(generate::Args),
    /// Fit a model on a series and forecast its next steps.
    Forecast(forecast::Args),
    /// Rolling-origin backtest of models on one or many series; prints a leaderboard.
    Backtest(backtest::Args),
    /// List the registered models with their parameters and defaults.
    Models(models::Args),
    /// Backtest every model on a bundled dataset, print the leaderboard and plot the best.
    Demo(demo::Args),
    /// Fetch history from Prometheus (query_range, chunked) as CSV or JSON.
    Fetch(fetch::Args),
    /// Serve forecasts and recommended replicas from live Prometheus data on /metrics.
    #[cfg(feature = "autoscale")]
    Serve(serve::Args),
    /// Replay a demand trace (or generated scenarios) against autoscaling policies and compare.
    #[cfg(feature = "autoscale")]
    Simulate(simulate::Args),
}

/// Parses the command line, runs it and maps errors to exit codes (2 input, 1 internal).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    #[cfg(feature = "neural")]
    forecast_zoo::neural::set_quiet(quiet);
    let result = match cli.command {
        Command::Generate(a) => generate::run(a, quiet),
        Command::Forecast(a) => forecast::run(a, quiet),
        Command::Backtest(a) => backtest::run(a, quiet),
        Command::Models(a) => models::run(a),
        Command::Demo(a) => demo::run(a, quiet),
        Command::Fetch(a) => fetch::run(a, quiet),
        #[cfg(feature = "autoscale")]
        Command::Serve(a) => serve::run(a, quiet),
        #[cfg(feature = "autoscale")]
        Command::Simulate(a) => simulate::run(a, quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message().replace('\n', " "));
            ExitCode::from(e.code())
        }
    }
}
