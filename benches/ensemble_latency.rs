//! Ensemble forecast latency, members fitted once on the bundled
//! `datasets/medium_7d_5min.csv` (season 288; auto-ets and auto-arima with season 1 to keep
//! the set-up short), H = 12, no intervals:
//!
//! - `ensemble_forecast_h12_11_members`: the zoo's model families (LSTM, GRU, CNN,
//!   autoencoder, Holt-Winters, ARIMA, Prophet-style, XGBoost, LightGBM, StatuScale) and
//!   seasonal-naive; static weights or dynamic selection with the registry's default window
//!   (6), members forecast sequentially or in parallel (rayon);
//! - `ensemble_forecast_h12_<n>_members`: every registered model (the composites
//!   `statuscale` and `hybrid` included, `ensemble` itself excluded), dynamic window 12.

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_zoo::Registry;
use forecast_zoo::core::io::read_bytes;
use forecast_zoo::core::params::{BuildContext, Params};
use forecast_zoo::core::{Fill, Forecast, Forecaster};
use forecast_zoo::ensemble::{DynamicSelection, EnsembleConfig, WeightedEnsemble};

const DATA: &str = include_str!("../datasets/medium_7d_5min.csv");

fn bench(c: &mut Criterion) {
    let first = read_bytes(DATA.as_bytes(), "medium_7d_5min.csv")
        .unwrap()
        .1
        .into_iter()
        .next()
        .unwrap();
    let y = first.regularize(Fill::Linear).unwrap().series;
    let reg = Registry::builtin();
    let ctx = BuildContext {
        season: Some(288),
        step: y.step(),
    };
    let every: Vec<&str> = reg
        .names()
        .into_iter()
        .filter(|n| *n != "ensemble")
        .collect();
    let families = [
        "lstm",
        "gru",
        "cnn",
        "autoencoder",
        "holt-winters",
        "arima",
        "prophet-style",
        "xgboost",
        "lightgbm",
        "statuscale",
        "seasonal-naive",
    ];
    for (names, window) in [(&families[..], 6), (&every[..], 12)] {
        let members: Vec<Box<dyn Forecaster>> = names
            .iter()
            .map(|&n| {
                let pairs: &[&str] = if n == "auto-ets" || n == "auto-arima" {
                    &["season=1"]
                } else {
                    &[]
                };
                reg.build(n, Params::parse(n, pairs).unwrap(), &ctx)
                    .unwrap()
            })
            .collect();
        let cfg = EnsembleConfig {
            validation_points: Some(288),
            ..EnsembleConfig::default()
        };
        let mut ens = WeightedEnsemble::new(members, cfg).unwrap();
        ens.fit(&y).unwrap();
        let mut group = c.benchmark_group(format!("ensemble_forecast_h12_{}_members", names.len()));
        let mut out = Forecast::default();
        let dynamic = DynamicSelection {
            window,
            ..DynamicSelection::default()
        };
        for dynamic in [None, Some(dynamic)] {
            for parallel in [false, true] {
                let mut e = ens.clone();
                e.set_parallel(parallel);
                e.set_dynamic(dynamic.clone()).unwrap();
                let label = format!(
                    "{}_{}",
                    match &dynamic {
                        Some(d) => format!("dynamic{}", d.window),
                        None => "static".to_string(),
                    },
                    if parallel { "parallel" } else { "sequential" }
                );
                group.bench_function(label, |b| {
                    b.iter(|| e.forecast_into(&y, 12, &[], &mut out).unwrap())
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
