//! Criterion bench: fit time and forecast latency (H = 12, batch 1, from a fitted model with a
//! new one-day context) of AutoETS and Holt-Winters on a 1-day 5-minute series (m = 12, an
//! hourly cycle: one day holds fewer than two daily seasons) and a 2-week hourly series
//! (m = 24).

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_stats::ets::{
    AutoEts, AutoEtsConfig, HoltWinters, HoltWintersConfig, Seasonal, Trend,
};
use std::hint::black_box;

fn synth(n: usize, m: usize, step: i64) -> Series {
    let y: Vec<f64> = (0..n)
        .map(|t| {
            100.0
                + 0.02 * t as f64
                + 10.0 * (2.0 * std::f64::consts::PI * (t % m) as f64 / m as f64).sin()
                + (((t * 7919) % 101) as f64 / 101.0 - 0.5) * 4.0
        })
        .collect();
    Series::new(1_700_000_000, step, y).unwrap()
}

fn bench_case(c: &mut Criterion, label: &str, n_train: usize, per_day: usize, m: usize, step: i64) {
    let full = synth(n_train + per_day, m, step);
    let train = full.head(n_train);
    let context = full.tail(per_day);
    let models: Vec<(&str, Box<dyn Forecaster>)> = vec![
        (
            "auto-ets",
            Box::new(
                AutoEts::new(AutoEtsConfig {
                    season_length: m,
                    ..Default::default()
                })
                .unwrap(),
            ),
        ),
        (
            "holt-winters",
            Box::new(
                HoltWinters::new(HoltWintersConfig {
                    trend: Trend::Additive,
                    seasonal: Seasonal::Additive,
                    season_length: m,
                })
                .unwrap(),
            ),
        ),
    ];
    for (name, model) in models {
        let mut g = c.benchmark_group(format!("ets/{label}/{name}"));
        g.sample_size(10);
        g.bench_function("fit", |b| {
            b.iter(|| {
                let mut m = model.clone();
                m.fit(black_box(&train)).unwrap();
                m
            })
        });
        g.finish();
        let mut fitted = model.clone();
        fitted.fit(&train).unwrap();
        let mut out = Forecast::default();
        let mut g = c.benchmark_group(format!("ets/{label}/{name}"));
        g.bench_function("forecast_h12", |b| {
            b.iter(|| {
                fitted
                    .forecast_into(black_box(&context), 12, &[80.0, 95.0], &mut out)
                    .unwrap();
                black_box(out.point[11])
            })
        });
        g.finish();
    }
}

fn benches(c: &mut Criterion) {
    // 1 day of 5-minute data (288 points) + 1 more day as the new context.
    bench_case(c, "5min_1day", 288, 288, 12, 300);
    // 2 weeks of hourly data (336 points) + 1 new day (24 points).
    bench_case(c, "hourly_2weeks", 336, 24, 24, 3600);
}

criterion_group!(ets, benches);
criterion_main!(ets);
