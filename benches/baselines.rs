//! Criterion benches of the baselines: forecast latency (batch 1, H = 12, 80 % and 95 %
//! intervals, from a model fitted on 2 days of 1-minute data, with a 1-day context) and
//! backtest throughput (default protocol, horizons 1 and 12, on 2 days at 1-minute steps).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use forecast_zoo::Registry;
use forecast_zoo::core::backtest::{BacktestConfig, backtest};
use forecast_zoo::core::generate::{GenerateConfig, generate};
use forecast_zoo::core::params::{BuildContext, Params};
use forecast_zoo::core::{Forecast, Forecaster};

/// One day of 1-minute points: the season of the seasonal models.
const DAY: usize = 1440;

fn model(name: &str) -> Box<dyn Forecaster> {
    let ctx = BuildContext {
        season: Some(DAY),
        step: 60,
    };
    Registry::builtin()
        .build(name, Params::new(name), &ctx)
        .unwrap()
}

fn forecast_latency(c: &mut Criterion) {
    let y = generate(&GenerateConfig::default()).unwrap(); // medium, 2 days, 60 s
    let context = y.tail(DAY);
    let mut group = c.benchmark_group("forecast_h12");
    for name in Registry::builtin().names() {
        let mut m = model(name);
        m.fit(&y).unwrap();
        let mut out = Forecast::default();
        group.bench_function(name, |b| {
            b.iter(|| {
                m.forecast_into(black_box(&context), 12, &[80.0, 95.0], &mut out)
                    .unwrap();
                black_box(out.point[11])
            })
        });
    }
    group.finish();
}

fn backtest_throughput(c: &mut Criterion) {
    let y = generate(&GenerateConfig::default()).unwrap();
    let cfg = BacktestConfig {
        horizons: vec![1, 12],
        season: DAY,
        ..Default::default()
    };
    let origins = cfg.grid(y.len()).unwrap().origins.len();
    let mut group = c.benchmark_group("backtest_2d_1min");
    group.throughput(Throughput::Elements(origins as u64));
    group.sample_size(20);
    for name in ["naive", "seasonal-naive"] {
        let m = model(name);
        group.bench_function(name, |b| {
            b.iter(|| backtest(m.as_ref(), black_box(&y), &cfg).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, forecast_latency, backtest_throughput);
criterion_main!(benches);
