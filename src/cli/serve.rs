//! `forecast-zoo serve`: forecasts and recommended replicas for one target (flags) or many
//! (`--config serve.yaml`), served on `/metrics` for KEDA or the HPA.

use std::path::PathBuf;
use std::time::Duration;

use forecast_zoo::Registry;
use forecast_zoo::autoscale::planner::{PlanMode, PlannerConfig};
use forecast_zoo::live::config::{ServeConfig, load_config};
use forecast_zoo::live::duration::parse_duration;
use forecast_zoo::live::model_error::ErrorBound;
use forecast_zoo::live::serve::start;
use forecast_zoo::live::target::{SeasonSpec, TargetConfig};

use super::common::{CliResult, SeasonArg, input_err};
use super::fetch::PromArgs;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Targets from a YAML file (see deploy/serve-config.yaml); the target flags below are
    /// then not allowed.
    #[arg(long, conflicts_with_all = ["query", "model", "capacity"])]
    config: Option<PathBuf>,
    #[command(flatten)]
    prom: PromArgs,
    /// Listen address for /metrics, /healthz, /readyz (overrides the file's `listen`).
    #[arg(long)]
    listen: Option<String>,
    /// Target name (the `target` label).
    #[arg(long, default_value = "default")]
    name: String,
    /// PromQL query returning one series (the load), e.g. sum(rate(http_requests_total[1m])).
    #[arg(long)]
    query: Option<String>,
    /// Model name (see `forecast-zoo models`).
    #[arg(long)]
    model: Option<String>,
    /// Model hyper-parameter key=value (repeatable).
    #[arg(long = "param")]
    params: Vec<String>,
    /// Season: auto, a number of steps, or a duration (1d).
    #[arg(long, default_value = "auto")]
    season: SeasonArg,
    /// Load one replica serves at the SLO.
    #[arg(long)]
    capacity: Option<f64>,
    /// Target utilisation in (0, 1].
    #[arg(long, default_value_t = 0.7)]
    target_utilization: f64,
    /// Extra headroom as a fraction.
    #[arg(long, default_value_t = 0.1)]
    headroom: f64,
    /// Provisioning lead time (pod start-up plus control latency), e.g. 60s.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    lead_time: i64,
    /// Fewest replicas.
    #[arg(long, default_value_t = 1)]
    min: u32,
    /// Most replicas.
    #[arg(long, default_value_t = 10)]
    max: u32,
    /// Plan for the upper bound of this interval level (percent) instead of the point forecast.
    #[arg(long)]
    upper_level: Option<f64>,
    /// Published forecast horizon: a duration (10m) or a number of steps.
    #[arg(long, default_value = "12")]
    horizon: String,
    /// Seconds between forecasts.
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    interval: i64,
    /// Query resolution (default: the interval).
    #[arg(long, value_parser = parse_duration)]
    step: Option<i64>,
    /// History kept and backfilled: a duration (1d) or a number of points.
    #[arg(long, default_value = "1000")]
    history: String,
    /// Seconds between background refits.
    #[arg(long, default_value = "1h", value_parser = parse_duration)]
    refit_every: i64,
    /// Fall back when the newest point is older than this (default: 5 steps, at least 3
    /// intervals).
    #[arg(long, value_parser = parse_duration)]
    stale_after: Option<i64>,
    /// Longest wait between retries after failures.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    max_backoff: i64,
    /// Fall back when the recent error passes a bound: metric=max with metric mae, rmse or
    /// mape (percent), e.g. mape=40.
    #[arg(long)]
    max_error: Option<ErrorBound>,
}

fn steps(what: &str, v: &str, step: i64) -> CliResult<usize> {
    if let Ok(n) = v.trim().parse::<usize>() {
        return Ok(n);
    }
    let secs = parse_duration(v).map_err(|e| input_err(format!("--{what}: {e}")))?;
    if secs % step != 0 {
        return Err(input_err(format!(
            "--{what} {v} is not a whole number of {step} s steps"
        )));
    }
    Ok((secs / step) as usize)
}

fn from_flags(a: &Args) -> CliResult<ServeConfig> {
    let query = a
        .query
        .clone()
        .ok_or_else(|| input_err("give --config FILE, or --query, --model and --capacity"))?;
    let model = a
        .model
        .clone()
        .ok_or_else(|| input_err("--model is required"))?;
    let capacity = a
        .capacity
        .ok_or_else(|| input_err("--capacity is required"))?;
    let mut planner =
        PlannerConfig::new(capacity, a.min, a.max).map_err(|e| input_err(e.to_string()))?;
    planner.target_utilization = a.target_utilization;
    planner.headroom = a.headroom;
    planner.lead_time = a.lead_time;
    if let Some(level) = a.upper_level {
        planner.mode = PlanMode::Upper { level };
    }
    let mut t = TargetConfig::new(a.name.clone(), query, model, planner);
    t.params = a.params.clone();
    t.season = match a.season {
        SeasonArg::Auto => SeasonSpec::Auto,
        SeasonArg::Steps(n) => SeasonSpec::Steps(n),
        SeasonArg::Seconds(s) => SeasonSpec::Seconds(s),
    };
    t.step = a.step.unwrap_or(a.interval);
    t.interval = Duration::from_secs(a.interval as u64);
    t.history = steps("history", &a.history, t.step)?;
    t.horizon = steps("horizon", &a.horizon, t.step)?;
    t.refit_every = a.refit_every;
    t.stale_after = a.stale_after.unwrap_or((5 * t.step).max(3 * a.interval));
    t.max_backoff = a.max_backoff;
    t.max_error = a.max_error;
    Ok(ServeConfig {
        listen: String::new(),
        client: a.prom.client_config()?,
        targets: vec![t],
    })
}

/// Runs `serve` until the process is stopped.
pub fn run(a: Args, quiet: bool) -> CliResult {
    let registry = Registry::builtin();
    let mut cfg = match &a.config {
        Some(path) => {
            let mut c = load_config(path, &registry)?;
            if a.prom.prometheus.is_some() {
                c.client = a.prom.client_config()?;
            }
            c
        }
        None => {
            let c = from_flags(&a)?;
            for t in &c.targets {
                t.validate(&registry)?;
            }
            c
        }
    };
    cfg.listen = a
        .listen
        .clone()
        .filter(|l| !l.is_empty())
        .or_else(|| Some(cfg.listen.clone()).filter(|l| !l.is_empty()))
        .unwrap_or_else(|| forecast_zoo::live::config::DEFAULT_LISTEN.to_string());
    let names: Vec<String> = cfg.targets.iter().map(|t| t.name.clone()).collect();
    let running = start(cfg, registry)?;
    if !quiet {
        eprintln!(
            "serving {} target(s) ({}) on http://{}/metrics",
            names.len(),
            names.join(", "),
            running.addr()
        );
    }
    running.wait();
    Ok(())
}
