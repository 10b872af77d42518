//! Rolling-origin comparison of models on a folder of CSVs (or one file), with the default
//! protocol: test region = last 20 %, origins every Hmax steps, refit at every origin,
//! MASE scaled by the in-sample seasonal naive error (season detected per series).
//!
//! ```text
//! cargo run --release --example backtest_models -- DIR_OR_FILE [MODELS] [HORIZON]
//! cargo run --release --example backtest_models -- datasets naive,seasonal-naive,drift 12
//! ```
//!
//! MODELS is a comma-separated list (default: every registered model), HORIZON defaults to
//! 12. Prints MASE per series and model, and the mean per model.

use std::io::IsTerminal;
use std::path::Path;

use forecast_zoo::Registry;
use forecast_zoo::core::backtest::{BacktestConfig, backtest};
use forecast_zoo::core::params::{BuildContext, Params};
use forecast_zoo::core::season::detect_season_for;
use forecast_zoo::core::{Fill, io};
use indicatif::ProgressBar;
use rayon::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first() else {
        eprintln!("usage: backtest_models DIR_OR_FILE [MODELS] [HORIZON]");
        std::process::exit(2);
    };
    let registry = Registry::builtin();
    let models: Vec<String> = match args.get(1) {
        Some(list) => list.split(',').map(str::to_string).collect(),
        None => registry.names().iter().map(|s| s.to_string()).collect(),
    };
    let horizon: usize = args.get(2).map_or(Ok(12), |h| h.parse())?;
    let series = io::load_series(Path::new(input), None, Fill::Linear)?;

    let jobs: Vec<(usize, usize)> = (0..series.len())
        .flat_map(|s| (0..models.len()).map(move |m| (s, m)))
        .collect();
    let pb = if std::io::stderr().is_terminal() {
        ProgressBar::new(jobs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    let results: Vec<_> = jobs
        .par_iter()
        .map(|&(si, mi)| {
            let s = &series[si].series;
            let season = detect_season_for(s).unwrap_or(1);
            let cfg = BacktestConfig {
                horizons: vec![horizon],
                season,
                ..Default::default()
            };
            let ctx = BuildContext {
                season: Some(season),
                step: s.step(),
            };
            let name = &models[mi];
            let r = registry
                .build_with_levels(name, Params::new(name), &ctx, &cfg.levels, horizon)
                .and_then(|m| backtest(m.as_ref(), s, &cfg));
            pb.inc(1);
            (si, mi, r)
        })
        .collect();
    pb.finish_and_clear();

    let width = series
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    print!("{:width$}", "series");
    for m in &models {
        print!("  {m:>14}");
    }
    println!();
    let mut sums = vec![(0.0, 0usize); models.len()];
    for (si, s) in series.iter().enumerate() {
        print!("{:width$}", s.name);
        for (mi, sum) in sums.iter_mut().enumerate() {
            let r = results
                .iter()
                .find(|(a, b, _)| *a == si && *b == mi)
                .map(|x| &x.2);
            match r {
                Some(Ok(r)) => {
                    let mase = r.horizons[0].pooled.mase;
                    *sum = (sum.0 + mase, sum.1 + 1);
                    print!("  {mase:>14.3}");
                }
                _ => print!("  {:>14}", "failed"),
            }
        }
        println!();
    }
    print!("{:width$}", "mean MASE");
    for (total, n) in sums {
        print!("  {:>14.3}", total / n.max(1) as f64);
    }
    println!();
    for (si, mi, r) in &results {
        if let Err(e) = r {
            eprintln!("{} on {}: {e}", models[*mi], series[*si].name);
        }
    }
    Ok(())
}
