//! Prophet-style model: fit time and forecast latency (H = 12, batch 1, context of one day
//! running past the training data) on a 1-day 5-minute series and a 2-week hourly series.
//! Point forecasts and 80 % intervals (1000 and 100 simulated paths) are timed separately.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_stats::prophet::{ProphetStyle, ProphetStyleConfig};

fn series(n: usize, step: i64, period: f64) -> Series {
    let y = (0..n + period as usize)
        .map(|i| {
            let x = i as f64;
            50.0 + 0.01 * x
                + 10.0 * (std::f64::consts::TAU * x / period).sin()
                + 2.0 * ((x * 12.9898).sin() * 43_758.545).fract()
        })
        .collect();
    Series::new(1_704_067_200, step, y).unwrap()
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("5min_1day", series(288, 300, 288.0), 288usize),
        ("hourly_2weeks", series(336, 3600, 24.0), 336usize),
    ];
    for (name, full, n) in cases {
        let train = full.head(n);
        let per_day = (86_400 / full.step()) as usize;
        // Context: the last day, running past the training data by one period.
        let context = full.tail(per_day);
        let mut g = c.benchmark_group(format!("prophet/{name}"));
        g.sample_size(20);
        g.bench_function("fit", |b| {
            b.iter(|| {
                let mut m = ProphetStyle::default();
                m.fit(black_box(&train)).unwrap();
                m
            })
        });
        drop(g);
        let mut g = c.benchmark_group(format!("prophet/{name}"));
        for samples in [1000usize, 100] {
            let mut model = ProphetStyle::new(ProphetStyleConfig {
                uncertainty_samples: samples,
                ..Default::default()
            })
            .unwrap();
            model.fit(&train).unwrap();
            let mut out = Forecast::default();
            if samples == 1000 {
                g.bench_function("forecast_h12_point", |b| {
                    b.iter(|| {
                        model
                            .forecast_into(black_box(&context), 12, &[], &mut out)
                            .unwrap()
                    })
                });
            }
            g.bench_function(format!("forecast_h12_80pct_{samples}_paths"), |b| {
                b.iter(|| {
                    model
                        .forecast_into(black_box(&context), 12, &[80.0], &mut out)
                        .unwrap()
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
