//! Criterion benches of the tree forecasters on 2 days of 1-minute data (2880 points, the
//! `medium` synthetic trace of `forecast_core::generate`), default features (24 lags,
//! minute/hour/day-of-week), 50 boosting rounds, one thread:
//!
//! - `fit_2d_1min/{lightgbm,xgboost}`: feature building + training (recursive strategy);
//! - `forecast_h12/{lightgbm,xgboost}_{native,library}`: a recursive 12-step forecast,
//!   batch 1, from a 1-day context, with the native evaluator and with the library's own
//!   predict (one call per step);
//! - `predict_row/{lightgbm,xgboost}_native`: one feature row through the native evaluator.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_core::generate::{GenerateConfig, generate};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_trees::{Engine, LightGbm, LightGbmConfig, XGBoost, XGBoostConfig};

fn data() -> Series {
    generate(&GenerateConfig::default()).unwrap()
}

fn lightgbm() -> LightGbm {
    LightGbm::new(LightGbmConfig {
        num_iterations: 50,
        ..LightGbmConfig::default()
    })
    .unwrap()
}

fn xgboost() -> XGBoost {
    XGBoost::new(XGBoostConfig {
        num_boost_round: 50,
        ..XGBoostConfig::default()
    })
    .unwrap()
}

fn fit(c: &mut Criterion) {
    let y = data();
    let mut group = c.benchmark_group("fit_2d_1min");
    group.sample_size(10);
    group.bench_function("lightgbm", |b| {
        b.iter(|| {
            let mut m = lightgbm();
            m.fit(black_box(&y)).unwrap();
            m
        })
    });
    group.bench_function("xgboost", |b| {
        b.iter(|| {
            let mut m = xgboost();
            m.fit(black_box(&y)).unwrap();
            m
        })
    });
    group.finish();
}

fn forecast(c: &mut Criterion) {
    let y = data();
    let context = y.tail(1440);
    let mut l = lightgbm();
    l.fit(&y).unwrap();
    let mut x = xgboost();
    x.fit(&y).unwrap();
    let mut group = c.benchmark_group("forecast_h12");
    for engine in [Engine::Native, Engine::Library] {
        let mut models: Vec<Box<dyn Forecaster>> = Vec::new();
        l.set_engine(engine);
        x.set_engine(engine);
        models.push(Box::new(l.clone()));
        models.push(Box::new(x.clone()));
        for m in models {
            let mut out = Forecast::default();
            group.bench_function(format!("{}_{engine}", m.name()), |b| {
                b.iter(|| {
                    m.forecast_into(black_box(&context), 12, &[], &mut out)
                        .unwrap();
                    black_box(out.point[11])
                })
            });
        }
    }
    group.finish();

    let layout = l.layout().unwrap().clone();
    let mut row = vec![0.0; layout.n_features()];
    layout.fill_row(context.values(), context.next_timestamp(), &mut row);
    let (lf, xf) = (l.forest(0).unwrap(), x.forest(0).unwrap());
    let mut group = c.benchmark_group("predict_row");
    group.bench_function("lightgbm_native", |b| {
        b.iter(|| lf.predict(black_box(&row)))
    });
    group.bench_function("xgboost_native", |b| b.iter(|| xf.predict(black_box(&row))));
    group.finish();
}

criterion_group!(benches, fit, forecast);
criterion_main!(benches);
