//! `forecast-zoo simulate`: replays a demand trace against autoscaling policies (HPA, KEDA,
//! reactive, StatuScale, predictive and hybrid policies built from the model registry) and
//! prints a comparison table; `--scenario` runs the protocol on generated traces instead
//! and reports mean ± sd over `--iterations` seeds.
//!
//! Predictive policies run exactly as they would live: each model is fitted on the history
//! before the replay window (`--history`), then forecasts at every decision from the data
//! visible at that time only (the replay hands it a view ending at `now − lag`).

mod output;
mod policies;

use std::path::PathBuf;
use std::time::Instant;

use forecast_autoscale::{ReplayConfig, ReplayReport, ScalingPolicy, compare, run_protocol};
use forecast_core::generate::{GenerateConfig, Scenario, generate};
use forecast_core::params::BuildContext;
use forecast_core::{Fill, Series};
use forecast_zoo::Registry;
use forecast_zoo::plot::{ReplayCurve, plot_replay};

use super::common::{CliError, CliResult, InputArgs, SeasonArg, input_err};
use policies::{PolicySettings, PolicySpec, build, check_params, check_settings, parse_specs};

/// Options of `simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Demand trace (CSV or Prometheus JSON) holding one series (or pick one with --series).
    #[arg(long, short, required_unless_present = "scenario")]
    input: Option<PathBuf>,
    /// Select the series by name or label matchers.
    #[arg(long)]
    series: Option<String>,
    /// Gap policy for the trace: error (default: reject gaps and NaN/inf demand), linear or
    /// previous.
    #[arg(long, default_value = "error")]
    fill: Fill,
    /// Load one replica serves at the SLO, in trace units (e.g. RPS per pod).
    #[arg(long, allow_negative_numbers = true)]
    capacity: f64,
    /// Comma-separated policies: hpa, hpa-behavior, keda, reactive, statuscale,
    /// predictive:<model>, predictive-upper:<model>, hybrid-max:<model>,
    /// hybrid-blend:<model>, hybrid-override:<model>, hybrid-fallback:<model>,
    /// hybrid-guard:<model>; `:all` expands to every registered model.
    #[arg(long, value_delimiter = ',', default_value = "hpa,reactive,statuscale")]
    policies: Vec<String>,
    /// Pod start-up delay (60s, 1m, or seconds).
    #[arg(long, default_value = "60s")]
    startup: String,
    /// Controller sync period = decision period (15s).
    #[arg(long, default_value = "15s")]
    sync: String,
    /// Metric lag: policies see points at most `now − lag` old.
    #[arg(long, default_value = "0s")]
    lag: String,
    /// Fewest replicas.
    #[arg(long, default_value_t = 1)]
    min: u32,
    /// Most replicas.
    #[arg(long, default_value_t = 20)]
    max: u32,
    /// Target utilisation in (0, 1]: the HPA CPU target, the reactive and planner target.
    #[arg(long, default_value_t = 0.7, allow_negative_numbers = true)]
    target: f64,
    /// Planner headroom as a fraction (0.1 = 10 %).
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    headroom: f64,
    /// History before the replay window, used only to fit models and warm up: a share
    /// (50%), a duration (2h) or a number of points. Default: 50% of --input, 5.5h with
    /// --scenario.
    #[arg(long)]
    history: Option<String>,
    /// Replay window with --scenario (30m); with --input, replays the last WINDOW of the
    /// trace (everything before it is history).
    #[arg(long)]
    window: Option<String>,
    /// Season length for seasonal models: steps, a duration (1d) or auto (detected on the
    /// history, else 1).
    #[arg(long, default_value = "auto")]
    season: SeasonArg,
    /// Model hyper-parameter key=value (repeatable), given to every model declaring it.
    #[arg(long = "param")]
    params: Vec<String>,
    /// Most points of context handed to a model at each decision.
    #[arg(long, default_value_t = 480)]
    context: usize,
    /// Run the protocol on generated traces: low, medium, high (comma-separated) or all.
    #[arg(long, value_delimiter = ',', conflicts_with = "input")]
    scenario: Vec<String>,
    /// Generated traces (seeds) per scenario.
    #[arg(long, default_value_t = 10)]
    iterations: usize,
    /// First seed (iteration k uses seed + k).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Step of the generated traces.
    #[arg(long, default_value = "15s")]
    step: String,
    /// Write the metrics here as CSV (per policy; per scenario and policy with --scenario).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Draw demand vs supplied capacity per policy (PNG, or SVG by extension); with
    /// --scenario, the first iteration of the first scenario.
    #[arg(long)]
    plot: Option<PathBuf>,
    /// Write the per-step curves (policy,timestamp,load,required,ready,allocated) as CSV.
    #[arg(long)]
    timeline: Option<PathBuf>,
}

/// Parses a duration: `90`, `90s`, `5m`, `5.5h`, `1d` (seconds, ≥ 0, rounded).
fn seconds(name: &str, s: &str) -> CliResult<i64> {
    let t = s.trim();
    let unit_at = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(unit_at);
    let mult = match unit {
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => 0.0,
    };
    match num.parse::<f64>() {
        Ok(n) if mult > 0.0 && n * mult < 1e12 => Ok((n * mult).round() as i64),
        _ => Err(input_err(format!(
            "invalid value for parameter `{name}`: `{s}` is not a duration (use e.g. 60s, 5m, 2h)"
        ))),
    }
}

/// `--history`: a share (`50%`), a duration with a unit, or a number of points.
fn history_points(arg: &str, len: usize, step: i64) -> CliResult<usize> {
    let t = arg.trim();
    let bad = || {
        input_err(format!(
            "invalid value for parameter `history`: `{arg}` is not a share (50%), a duration (2h) or a number of points"
        ))
    };
    if let Some(p) = t.strip_suffix('%') {
        let share: f64 = p.trim().parse().map_err(|_| bad())?;
        if !(share.is_finite() && (0.0..100.0).contains(&share)) {
            return Err(input_err(format!(
                "invalid value for parameter `history`: share must lie in [0, 100), got {arg}"
            )));
        }
        return Ok((share / 100.0 * len as f64).floor() as usize);
    }
    if let Ok(n) = t.parse::<usize>() {
        return Ok(n);
    }
    let secs = seconds("history", t).map_err(|_| bad())?;
    Ok((secs / step) as usize)
}

fn settings(a: &Args, startup: i64, sync: i64, lag: i64) -> PolicySettings {
    PolicySettings {
        capacity: a.capacity,
        min: a.min,
        max: a.max,
        target: a.target,
        headroom: a.headroom,
        lead_time: startup + lag,
        decision_period: sync,
        context: a.context,
        params: a.params.clone(),
    }
}

fn replay_config(a: &Args, startup: i64, sync: i64, lag: i64) -> CliResult<ReplayConfig> {
    let mut cfg = ReplayConfig::new(a.capacity).map_err(autoscale)?;
    cfg.startup_delay = startup;
    cfg.sync_period = sync;
    cfg.metric_lag = lag;
    cfg.record_timeline = a.plot.is_some() || a.timeline.is_some();
    cfg.validate().map_err(autoscale)?;
    Ok(cfg)
}

fn autoscale(e: forecast_autoscale::AutoscaleError) -> CliError {
    CliError::from(forecast_core::Error::from(e))
}

fn build_all(
    specs: &[PolicySpec],
    s: &PolicySettings,
    registry: &Registry,
    ctx: &BuildContext,
) -> CliResult<Vec<Box<dyn ScalingPolicy>>> {
    specs.iter().map(|sp| build(sp, s, registry, ctx)).collect()
}

/// Runs `simulate`.
pub fn run(a: Args, quiet: bool) -> CliResult {
    let startup = seconds("startup", &a.startup)?;
    let sync = seconds("sync", &a.sync)?;
    let lag = seconds("lag", &a.lag)?;
    if sync == 0 {
        return Err(input_err(
            "invalid value for parameter `sync`: must be at least 1 second",
        ));
    }
    let s = settings(&a, startup, sync, lag);
    check_settings(&s)?;
    let registry = Registry::builtin();
    let specs = parse_specs(&a.policies, &registry)?;
    check_params(&specs, &registry, &a.params)?;
    let cfg = replay_config(&a, startup, sync, lag)?;
    if a.scenario.is_empty() {
        run_trace(&a, &s, &specs, &registry, cfg, quiet)
    } else {
        run_scenarios(&a, &s, &specs, &registry, cfg, quiet)
    }
}

fn load_trace(a: &Args, quiet: bool) -> CliResult<(String, Series)> {
    let Some(input) = &a.input else {
        return Err(input_err("--input or --scenario is required"));
    };
    let args = InputArgs {
        input: input.clone(),
        series: a.series.clone(),
        fill: a.fill,
    };
    let mut all = args.load(quiet)?;
    if all.len() > 1 {
        let names: Vec<&str> = all.iter().take(5).map(|s| s.name.as_str()).collect();
        return Err(input_err(format!(
            "{} holds {} series ({}{}); pick one with --series",
            input.display(),
            all.len(),
            names.join(", "),
            if all.len() > 5 { ", ..." } else { "" }
        )));
    }
    let one = all.remove(0);
    forecast_autoscale::replay::validate_trace(&one.series).map_err(autoscale)?;
    Ok((one.name, one.series))
}

fn run_trace(
    a: &Args,
    s: &PolicySettings,
    specs: &[PolicySpec],
    registry: &Registry,
    mut cfg: ReplayConfig,
    quiet: bool,
) -> CliResult {
    let (name, trace) = load_trace(a, quiet)?;
    let step = trace.step();
    let history = match (&a.window, &a.history) {
        (Some(w), _) => {
            let w = seconds("window", w)?;
            trace.len().saturating_sub((w / step) as usize)
        }
        (None, Some(h)) => history_points(h, trace.len(), step)?,
        (None, None) => trace.len() / 2,
    };
    if history >= trace.len() {
        return Err(input_err(format!(
            "invalid value for parameter `history`: {history} history points leave nothing to replay in a trace of {} points",
            trace.len()
        )));
    }
    cfg.history_points = history;
    let season = a.season.resolve(&trace.head(history.max(1)))?;
    let ctx = BuildContext {
        season: Some(season),
        step,
    };
    let policies = build_all(specs, s, registry, &ctx)?;
    if !quiet {
        eprintln!(
            "simulate: {name}: {} points at {step} s, {history} history points, replaying {} points; {} policies",
            trace.len(),
            trace.len() - history,
            policies.len()
        );
    }
    let reports = compare(&trace, policies, &cfg).map_err(autoscale)?;
    print!("{}", output::table(&reports));
    finish_outputs(
        a,
        &reports,
        s.capacity,
        &format!("{name}: demand vs supplied capacity"),
    )?;
    if let Some(path) = &a.output {
        output::write_reports(path, &reports)?;
    }
    Ok(())
}

fn finish_outputs(a: &Args, reports: &[ReplayReport], capacity: f64, title: &str) -> CliResult {
    if let Some(path) = &a.timeline {
        output::write_timelines(path, reports)?;
    }
    if let Some(path) = &a.plot {
        let Some(first) = reports.first().and_then(|r| r.timeline.as_ref()) else {
            return Ok(());
        };
        let supplied: Vec<(String, Vec<f64>)> = reports
            .iter()
            .filter_map(|r| {
                r.timeline.as_ref().map(|tl| {
                    (
                        r.policy.clone(),
                        tl.ready.iter().map(|&n| n as f64 * capacity).collect(),
                    )
                })
            })
            .collect();
        let curves: Vec<ReplayCurve<'_>> = supplied
            .iter()
            .map(|(n, v)| ReplayCurve {
                name: n,
                supplied: v,
            })
            .collect();
        plot_replay(path, title, &first.timestamps, &first.load, &curves)?;
    }
    Ok(())
}

fn parse_scenarios(list: &[String]) -> CliResult<Vec<Scenario>> {
    let mut out = Vec::new();
    for s in list {
        if s.trim().eq_ignore_ascii_case("all") {
            out.extend(Scenario::ALL);
        } else {
            out.push(s.parse::<Scenario>()?);
        }
    }
    out.dedup();
    Ok(out)
}

fn run_scenarios(
    a: &Args,
    s: &PolicySettings,
    specs: &[PolicySpec],
    registry: &Registry,
    mut cfg: ReplayConfig,
    quiet: bool,
) -> CliResult {
    let scenarios = parse_scenarios(&a.scenario)?;
    if a.iterations == 0 {
        return Err(input_err(
            "invalid value for parameter `iterations`: must be at least 1",
        ));
    }
    let step = seconds("step", &a.step)?;
    if step == 0 {
        return Err(input_err(
            "invalid value for parameter `step`: must be at least 1 second",
        ));
    }
    let window = seconds("window", a.window.as_deref().unwrap_or("30m"))?;
    let history_secs = seconds("history", a.history.as_deref().unwrap_or("5.5h"))?;
    let history = (history_secs / step) as usize;
    let replay = (window / step) as usize;
    if replay == 0 {
        return Err(input_err(format!(
            "invalid value for parameter `window`: {window} s is shorter than one {step} s step"
        )));
    }
    cfg.history_points = history;
    let total = (history + replay) as f64 * step as f64;
    let started = Instant::now();
    let mut groups = Vec::new();
    let mut plotted = false;
    for &scenario in &scenarios {
        let traces: Vec<Series> = (0..a.iterations as u64)
            .map(|k| {
                generate(&GenerateConfig {
                    scenario,
                    days: total / 86_400.0,
                    step,
                    seed: a.seed + k,
                    // 08:00 UTC on a Monday: the replay window ends at 08:00 + history + window.
                    start: 1_704_067_200 + 8 * 3600,
                })
            })
            .collect::<Result<_, _>>()?;
        let season = a.season.resolve(&traces[0].head(history.max(1)))?;
        let ctx = BuildContext {
            season: Some(season),
            step,
        };
        let policies = build_all(specs, s, registry, &ctx)?;
        let t0 = Instant::now();
        let rep = run_protocol(&traces, &policies, &cfg).map_err(autoscale)?;
        println!(
            "scenario {scenario}: {} iterations (seeds {}..={}), {} history + {} replayed points at {step} s, {} runs in {:.1} s\n",
            a.iterations,
            a.seed,
            a.seed + a.iterations as u64 - 1,
            history,
            replay,
            rep.runs.len(),
            t0.elapsed().as_secs_f64()
        );
        print!("{}", output::summary_table(&rep.summaries));
        for f in &rep.failed {
            println!(
                "left out {}: failed on iteration {} (seed {}): {}",
                f.policy,
                f.trace + 1,
                a.seed + f.trace as u64,
                f.error
            );
        }
        println!();
        if !plotted {
            let first: Vec<ReplayReport> = rep.runs.iter().step_by(traces.len()).cloned().collect();
            let title = format!("{scenario}, seed {}: demand vs supplied capacity", a.seed);
            finish_outputs(a, &first, s.capacity, &title)?;
            plotted = true;
        }
        groups.push((scenario.to_string(), rep.summaries));
    }
    if !quiet {
        eprintln!(
            "protocol: {} scenarios × {} iterations × {} policies in {:.1} s",
            scenarios.len(),
            a.iterations,
            specs.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(path) = &a.output {
        output::write_summaries(path, &groups)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_history() {
        assert_eq!(seconds("x", "60s").unwrap(), 60);
        assert_eq!(seconds("x", "90").unwrap(), 90);
        assert_eq!(seconds("x", "2m").unwrap(), 120);
        assert_eq!(seconds("x", "1h").unwrap(), 3600);
        assert!(seconds("x", "1y").is_err());
        assert!(seconds("x", "-5s").is_err());
        assert_eq!(seconds("x", "5.5h").unwrap(), 19_800);
        assert_eq!(history_points("50%", 100, 15).unwrap(), 50);
        assert_eq!(history_points("40", 100, 15).unwrap(), 40);
        assert_eq!(history_points("5m", 100, 15).unwrap(), 20);
        assert!(history_points("150%", 100, 15).is_err());
        assert!(history_points("abc", 100, 15).is_err());
        assert_eq!(
            parse_scenarios(&["all".into()]).unwrap(),
            Scenario::ALL.to_vec()
        );
        assert!(parse_scenarios(&["huge".into()]).is_err());
    }
}
