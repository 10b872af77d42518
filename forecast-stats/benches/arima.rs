//! ARIMA benches: fit time and forecast latency (H = 12, one series, a new context of one
//! day after the training data) on a 1-day 5-minute series (288 points, ARIMA(2,1,1) and
//! auto-ARIMA with m = 1) and a 2-week hourly series (336 points, SARIMA(1,0,1)(0,1,1)[24]
//! with drift and auto-ARIMA with m = 24). Synthetic, fixed-seed data.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_stats::arima::{Arima, ArimaConfig, AutoArima, AutoArimaConfig};

/// Deterministic pseudo-noise (xorshift) so the bench needs no RNG setup.
fn noise(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect()
}

fn series(n: usize, step: i64, period: f64, seed: u64) -> Series {
    let e = noise(n, seed);
    let mut ar = 0.0;
    let y: Vec<f64> = (0..n)
        .map(|t| {
            ar = 0.6 * ar + 4.0 * e[t];
            50.0 + 0.01 * t as f64
                + 10.0 * (2.0 * std::f64::consts::PI * t as f64 / period).sin()
                + ar
        })
        .collect();
    Series::new(1_700_000_000, step, y).unwrap()
}

fn bench_case(
    c: &mut Criterion,
    name: &str,
    full: &Series,
    train_len: usize,
    model: Box<dyn Forecaster>,
) {
    let train = full.head(train_len);
    let ctx = full.tail(full.len() - train_len);
    let mut fitted = model.clone();
    fitted.fit(&train).unwrap();
    c.bench_function(&format!("arima/{name}/fit"), |b| {
        b.iter(|| {
            let mut m = model.clone();
            m.fit(black_box(&train)).unwrap();
            m
        })
    });
    let mut out = Forecast::default();
    c.bench_function(&format!("arima/{name}/forecast_h12_ctx1day"), |b| {
        b.iter(|| {
            fitted
                .forecast_into(black_box(&ctx), 12, &[80.0, 95.0], &mut out)
                .unwrap();
            black_box(out.point[11])
        })
    });
}

fn benches(c: &mut Criterion) {
    // 1-day 5-minute series for fitting; the context adds one more day.
    let five = series(576, 300, 288.0, 7);
    let hourly = series(336 + 24, 3600, 24.0, 11);
    let arima = |order, seasonal, season, drift| -> Box<dyn Forecaster> {
        Box::new(
            Arima::new(ArimaConfig {
                order,
                seasonal_order: seasonal,
                season,
                mean: true,
                drift,
                ..Default::default()
            })
            .unwrap(),
        )
    };
    bench_case(
        c,
        "5min_1day/arima_2_1_1",
        &five,
        288,
        arima([2, 1, 1], [0, 0, 0], 1, false),
    );
    bench_case(
        c,
        "5min_1day/auto_m1",
        &five,
        288,
        Box::new(AutoArima::new(AutoArimaConfig::default()).unwrap()),
    );
    bench_case(
        c,
        "hourly_2weeks/sarima_101_011_24_drift",
        &hourly,
        336,
        arima([1, 0, 1], [0, 1, 1], 24, true),
    );
    bench_case(
        c,
        "hourly_2weeks/auto_m24",
        &hourly,
        336,
        Box::new(
            AutoArima::new(AutoArimaConfig {
                season_length: 24,
                ..Default::default()
            })
            .unwrap(),
        ),
    );
}

criterion_group! {
    name = arima;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(arima);
