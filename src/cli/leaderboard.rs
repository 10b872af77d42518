//! Running (series × model) backtest jobs in parallel, and the leaderboard printed from them.

use std::fmt::Write as _;

use forecast_core::Error;
use forecast_core::backtest::{BacktestConfig, BacktestResult, backtest};
use forecast_core::io::NamedSeries;
use forecast_core::params::{BuildContext, Params};
use forecast_zoo::Registry;
use indicatif::ProgressBar;
use rayon::prelude::*;

/// One finished job.
pub struct JobOutcome {
    /// Series name.
    pub series: String,
    /// Model name (as requested).
    pub model: String,
    /// Index of the series in the input list.
    pub series_index: usize,
    /// The backtest, or why it failed.
    pub result: Result<BacktestResult, Error>,
}

/// Backtests every model on every series in parallel (rayon), building each model for its
/// series' season (`seasons[i]`, also the MASE lag). `params(model)` gives each model's
/// hyper-parameters. Results come back series-major, in model order.
pub fn run_jobs(
    registry: &Registry,
    models: &[String],
    params: &(dyn Fn(&str) -> Params + Sync),
    series: &[NamedSeries],
    seasons: &[usize],
    base: &BacktestConfig,
    pb: &ProgressBar,
) -> Vec<JobOutcome> {
    let jobs: Vec<(usize, usize)> = (0..series.len())
        .flat_map(|s| (0..models.len()).map(move |m| (s, m)))
        .collect();
    let out = jobs
        .par_iter()
        .map(|&(si, mi)| {
            let s = &series[si];
            let name = &models[mi];
            let cfg = BacktestConfig {
                season: seasons[si],
                ..base.clone()
            };
            let ctx = BuildContext {
                season: Some(seasons[si]),
                step: s.series.step(),
            };
            let result = registry
                .build_with_levels(name, params(name), &ctx, &cfg.levels, cfg.hmax())
                .and_then(|m| backtest(m.as_ref(), &s.series, &cfg));
            pb.inc(1);
            JobOutcome {
                series: s.name.clone(),
                model: name.clone(),
                series_index: si,
                result,
            }
        })
        .collect();
    pb.finish_and_clear();
    out
}

/// One model's aggregate over series at one horizon.
struct Entry {
    model: String,
    mase: Vec<f64>,
    smape: Vec<f64>,
    coverage: Vec<Vec<f64>>,
    fit_s: Vec<f64>,
    ms_call: Vec<f64>,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v: Vec<f64> = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

fn fmt(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        "-".into()
    }
}

/// The leaderboard text: per horizon, one row per model ranked by mean MASE over series
/// (models whose MASE is undefined last).
pub fn render(
    outcomes: &[JobOutcome],
    models: &[String],
    horizons: &[usize],
    levels: &[f64],
) -> String {
    let mut text = String::new();
    for &h in horizons {
        let mut entries: Vec<Entry> = models
            .iter()
            .map(|m| Entry {
                model: m.clone(),
                mase: vec![],
                smape: vec![],
                coverage: vec![vec![]; levels.len()],
                fit_s: vec![],
                ms_call: vec![],
            })
            .collect();
        let mut n_series = std::collections::BTreeSet::new();
        for o in outcomes {
            let (Ok(r), Some(e)) = (&o.result, entries.iter_mut().find(|e| e.model == o.model))
            else {
                continue;
            };
            let Some(rep) = r.horizons.iter().find(|x| x.horizon == h) else {
                continue;
            };
            n_series.insert(o.series_index);
            e.mase.push(rep.pooled.mase);
            e.smape.push(rep.pooled.smape);
            for (k, &level) in levels.iter().enumerate() {
                if let Some(iv) = rep
                    .pooled
                    .intervals
                    .iter()
                    .find(|i| (i.level - level).abs() < 1e-9)
                {
                    e.coverage[k].push(iv.coverage);
                }
            }
            e.fit_s.push(r.fit_seconds);
            e.ms_call.push(r.forecast_ms_per_call);
        }
        entries.retain(|e| !e.mase.is_empty());
        let key = |e: &Entry| {
            let m = mean(&e.mase);
            if m.is_nan() { f64::INFINITY } else { m }
        };
        entries.sort_by(|a, b| key(a).total_cmp(&key(b)));
        let _ = writeln!(
            text,
            "horizon {h} ({} series, metrics pooled over steps 1..{h})",
            n_series.len()
        );
        let width = entries
            .iter()
            .map(|e| e.model.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut header = format!(
            "{:>4}  {:width$}  {:>9}  {:>11}  {:>10}",
            "rank", "model", "mean MASE", "median MASE", "mean sMAPE"
        );
        for l in levels {
            header += &format!("  {:>7}", format!("cov{l}"));
        }
        header += &format!("  {:>8}  {:>8}", "fit s", "ms/call");
        let _ = writeln!(text, "{header}");
        for (rank, e) in entries.iter().enumerate() {
            let mut line = format!(
                "{:>4}  {:width$}  {:>9}  {:>11}  {:>10}",
                rank + 1,
                e.model,
                fmt(mean(&e.mase), 3),
                fmt(median(&e.mase), 3),
                fmt(mean(&e.smape), 2)
            );
            for c in &e.coverage {
                line += &format!("  {:>7}", fmt(mean(c), 3));
            }
            line += &format!(
                "  {:>8}  {:>8}",
                fmt(mean(&e.fit_s), 3),
                fmt(mean(&e.ms_call), 4)
            );
            let _ = writeln!(text, "{line}");
        }
        text.push('\n');
    }
    text
}

/// The best model (lowest mean MASE) at horizon `h`, if any model succeeded.
pub fn best_model(outcomes: &[JobOutcome], h: usize) -> Option<String> {
    let mut by_model: Vec<(String, Vec<f64>)> = Vec::new();
    for o in outcomes {
        let Ok(r) = &o.result else { continue };
        let Some(rep) = r.horizons.iter().find(|x| x.horizon == h) else {
            continue;
        };
        match by_model.iter_mut().find(|(m, _)| *m == o.model) {
            Some((_, v)) => v.push(rep.pooled.mase),
            None => by_model.push((o.model.clone(), vec![rep.pooled.mase])),
        }
    }
    by_model
        .into_iter()
        .map(|(m, v)| (m, mean(&v)))
        .filter(|(_, x)| !x.is_nan())
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(m, _)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_median_and_format() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(mean(&[1.0, 2.0]), 1.5);
        assert_eq!(fmt(f64::NAN, 2), "-");
        assert_eq!(fmt(1.23456, 2), "1.23");
    }
}
