//! Running a backtest: fit segments in parallel, then score serially (deterministic).

use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::config::{BacktestConfig, OriginGrid};
use crate::error::{Error, Result};
use crate::forecast::Forecast;
use crate::forecaster::Forecaster;
use crate::metrics::{Metrics, MetricsAccumulator, Scales};
use crate::series::Series;

/// The scores of one horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorizonReport {
    /// The horizon `h` (steps ahead).
    pub horizon: usize,
    /// Metrics pooled over every origin and steps `1..=h`.
    pub pooled: Metrics,
    /// Metrics of step `k` (index `k − 1`) over every origin, for `k = 1..=h`.
    pub per_step: Vec<Metrics>,
}

/// Everything a backtest of one model on one series produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestResult {
    /// The model's [`name`](Forecaster::name).
    pub model: String,
    /// The origin grid.
    pub grid: OriginGrid,
    /// One report per requested horizon, in the order requested.
    pub horizons: Vec<HorizonReport>,
    /// Total wall time of all fits, in seconds.
    pub fit_seconds: f64,
    /// Mean wall time of one forecast call, in milliseconds.
    pub forecast_ms_per_call: f64,
    /// Number of fits (segments).
    pub n_fits: usize,
    /// The `Hmax`-step forecast made at each origin, in origin order.
    pub forecasts: Vec<(usize, Forecast)>,
    /// The MASE/RMSSE denominators (from `y[..T0]` with lag `season`).
    pub scales: Scales,
    /// The seasonal lag of the scales.
    pub season: usize,
    /// The interval levels scored (empty for a model without intervals).
    pub levels: Vec<f64>,
}

/// What one fit segment produced.
struct SegmentOut {
    fit_seconds: f64,
    forecast_seconds: f64,
    forecasts: Vec<(usize, Forecast)>,
}

/// Fits a clone of `template` at the first origin of `origins` and forecasts from every
/// origin of the segment.
fn run_segment(
    template: &dyn Forecaster,
    series: &Series,
    origins: &[usize],
    cfg: &BacktestConfig,
    hmax: usize,
    levels: &[f64],
) -> Result<SegmentOut> {
    let o_fit = origins[0];
    let fit_start = cfg.window.map_or(0, |w| o_fit.saturating_sub(w));
    let train = series.window(fit_start..o_fit);
    let mut model = template.clone_box();
    let t = Instant::now();
    model.fit(&train)?;
    let fit_seconds = t.elapsed().as_secs_f64();
    let mut forecast_seconds = 0.0;
    let mut forecasts = Vec::with_capacity(origins.len());
    for &o in origins {
        let context = series.window(fit_start..o);
        let mut out = Forecast::default();
        let t = Instant::now();
        model.forecast_into(&context, hmax, levels, &mut out)?;
        forecast_seconds += t.elapsed().as_secs_f64();
        forecasts.push((o, out));
    }
    Ok(SegmentOut {
        fit_seconds,
        forecast_seconds,
        forecasts,
    })
}

/// Checks that a model's forecast has the shape the backtest asked for.
fn check_shape(
    model: &str,
    origin: usize,
    f: &Forecast,
    hmax: usize,
    levels: &[f64],
) -> Result<()> {
    let bad = |what: String| Error::model(model, format!("forecast at origin {origin}: {what}"));
    if f.point.len() != hmax {
        return Err(bad(format!("{} steps instead of {hmax}", f.point.len())));
    }
    if f.intervals.len() != levels.len() {
        return Err(bad(format!(
            "{} intervals for {} levels",
            f.intervals.len(),
            levels.len()
        )));
    }
    for (iv, &l) in f.intervals.iter().zip(levels) {
        if iv.lower.len() != hmax || iv.upper.len() != hmax || (iv.level - l).abs() > 1e-9 {
            return Err(bad(format!("malformed {l}% interval")));
        }
    }
    Ok(())
}

/// Backtests `model` (an unfitted template) on `series` with the protocol of the
/// [module docs](super).
///
/// Segments run in parallel on rayon's pool; scoring is serial in origin order, so the result
/// (timings aside) is identical to a serial run.
///
/// Errors: those of [`BacktestConfig::grid`]; [`Error::TooShort`] naming `backtest` when the
/// part before the test region is shorter than the model's
/// [`min_train_len`](Forecaster::min_train_len) (or the fit window is) or not longer than
/// the season of the MASE scale; the first error of a fit or forecast, in origin order.
pub fn backtest(
    model: &dyn Forecaster,
    series: &Series,
    cfg: &BacktestConfig,
) -> Result<BacktestResult> {
    let n = series.len();
    let grid = cfg.grid(n)?;
    let (t0, hmax) = (grid.t0, grid.hmax);
    let first_train = cfg.window.map_or(t0, |w| w.min(t0));
    let need = model.min_train_len();
    if first_train < need {
        return Err(Error::too_short(
            format!(
                "backtest of {} (training part before the test region{})",
                model.name(),
                if cfg.window.is_some() {
                    ", fit window"
                } else {
                    ""
                }
            ),
            need,
            first_train,
        ));
    }
    if t0 <= cfg.season {
        return Err(Error::too_short(
            format!(
                "backtest MASE scale with season {} (part before the test region)",
                cfg.season
            ),
            cfg.season + 1,
            t0,
        ));
    }
    let levels: Vec<f64> = if model.supports_intervals() {
        cfg.levels.clone()
    } else {
        Vec::new()
    };

    let segments: Vec<&[usize]> = grid.origins.chunks(cfg.refit_every).collect();
    let outs: Vec<Result<SegmentOut>> = segments
        .par_iter()
        .map(|seg| run_segment(model, series, seg, cfg, hmax, &levels))
        .collect();

    let mut fit_seconds = 0.0;
    let mut forecast_seconds = 0.0;
    let mut forecasts = Vec::with_capacity(grid.origins.len());
    for out in outs {
        let out = out?;
        fit_seconds += out.fit_seconds;
        forecast_seconds += out.forecast_seconds;
        forecasts.extend(out.forecasts);
    }
    for (o, f) in &forecasts {
        check_shape(model.name(), *o, f, hmax, &levels)?;
    }

    let y = series.values();
    let scales = Scales::seasonal_naive(&y[..t0], cfg.season);
    let horizons = cfg
        .horizons
        .iter()
        .map(|&h| score_horizon(y, &forecasts, h, &levels, scales))
        .collect();
    let n_calls = forecasts.len().max(1);
    Ok(BacktestResult {
        model: model.name().to_string(),
        horizons,
        fit_seconds,
        forecast_ms_per_call: forecast_seconds * 1e3 / n_calls as f64,
        n_fits: segments.len(),
        forecasts,
        scales,
        season: cfg.season,
        levels,
        grid,
    })
}

/// Pools the first `h` steps of every origin's forecast, and scores each step on its own.
fn score_horizon(
    y: &[f64],
    forecasts: &[(usize, Forecast)],
    h: usize,
    levels: &[f64],
    scales: Scales,
) -> HorizonReport {
    let mut pooled = MetricsAccumulator::new(levels);
    let mut steps = vec![MetricsAccumulator::new(levels); h];
    for (o, f) in forecasts {
        for (k, step) in steps.iter_mut().enumerate() {
            let actual = y[o + k];
            pooled.push_point(actual, f.point[k]);
            step.push_point(actual, f.point[k]);
            for (j, iv) in f.intervals.iter().enumerate() {
                pooled.push_interval(j, actual, iv.lower[k], iv.upper[k]);
                step.push_interval(j, actual, iv.lower[k], iv.upper[k]);
            }
        }
    }
    HorizonReport {
        horizon: h,
        pooled: pooled.finish(scales),
        per_step: steps.iter().map(|s| s.finish(scales)).collect(),
    }
}

/// Backtests every model on every series, in parallel over the (series, model) pairs.
///
/// Results come back series-major, then in model order, whatever the scheduling;
/// `on_done(series, model)` is called (from a worker thread) as each pair finishes, e.g. to
/// advance a progress bar.
pub fn backtest_many(
    models: &[Box<dyn Forecaster>],
    series: &[(String, Series)],
    cfg: &BacktestConfig,
    on_done: &(dyn Fn(&str, &str) + Sync),
) -> Vec<(String, String, Result<BacktestResult>)> {
    let pairs: Vec<(usize, usize)> = (0..series.len())
        .flat_map(|s| (0..models.len()).map(move |m| (s, m)))
        .collect();
    pairs
        .par_iter()
        .map(|&(si, mi)| {
            let (name, s) = &series[si];
            let model = models[mi].as_ref();
            let r = backtest(model, s, cfg);
            on_done(name, model.name());
            (name.clone(), model.name().to_string(), r)
        })
        .collect()
}
