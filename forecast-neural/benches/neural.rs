//! Criterion benches of the neural models.
//!
//! - `forecast_h12/<model>/fast`: `forecast_into` through the fast f32 path (batch 1, H = 12,
//!   window 96, hidden 32), scaling and output included;
//! - `forecast_h12/<model>/fast_forward`: the bare network forward with caller-owned scratch;
//! - `forecast_h12/<model>/burn`: burn's own forward (flex backend, no autodiff) over the same
//!   weights, one scaled window in, 12 scaled values out;
//! - `train_2d_1min/<model>`: one fit with default settings on 2 days of 1-minute data
//!   (2880 points, the `medium` scenario of `forecast_core::generate`).
//!
//! The latency models are trained for one epoch only: weights do not change the cost.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use forecast_core::generate::{GenerateConfig, generate};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_neural::fast::FastForward;
use forecast_neural::{
    AutoencoderForecaster, BurnForward, CnnForecaster, GruForecaster, LstmForecaster, NeuralConfig,
};

fn latency_config() -> NeuralConfig {
    NeuralConfig {
        window: 96,
        horizon: 12,
        hidden: 32,
        epochs: 1,
        stride: 16,
        quiet: true,
        ..NeuralConfig::default()
    }
}

fn bench_one<F: FastForward>(
    c: &mut Criterion,
    name: &str,
    model: &dyn Forecaster,
    fast: &F,
    burn: &BurnForward,
    y: &Series,
) {
    let mut group = c.benchmark_group(format!("forecast_h12/{name}"));
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let context = y.tail(1440);
    let mut out = Forecast::default();
    group.bench_function("fast", |b| {
        b.iter(|| {
            model
                .forecast_into(black_box(&context), 12, &[], &mut out)
                .unwrap();
            black_box(out.point[11])
        })
    });
    let x: Vec<f32> = (0..96).map(|t| ((t as f32) * 0.3).sin()).collect();
    let mut scratch = vec![0.0f32; fast.scratch_len()];
    let mut pred = [0.0f32; 12];
    group.bench_function("fast_forward", |b| {
        b.iter(|| {
            fast.forward(black_box(&x), &mut scratch, &mut pred);
            black_box(pred[11])
        })
    });
    group.bench_function("burn", |b| {
        b.iter(|| black_box(burn.forward(black_box(&x)).unwrap()))
    });
    group.finish();
}

fn forecast_latency(c: &mut Criterion) {
    let y = generate(&GenerateConfig::default()).unwrap();
    let cfg = latency_config();
    let mut lstm = LstmForecaster::new(cfg.clone()).unwrap();
    lstm.fit(&y).unwrap();
    bench_one(
        c,
        "lstm",
        &lstm,
        &lstm.fitted().unwrap().net,
        &lstm.burn_forward().unwrap(),
        &y,
    );
    let mut gru = GruForecaster::new(cfg.clone()).unwrap();
    gru.fit(&y).unwrap();
    bench_one(
        c,
        "gru",
        &gru,
        &gru.fitted().unwrap().net,
        &gru.burn_forward().unwrap(),
        &y,
    );
    let mut cnn = CnnForecaster::new(cfg.clone()).unwrap();
    cnn.fit(&y).unwrap();
    bench_one(
        c,
        "cnn",
        &cnn,
        &cnn.fitted().unwrap().net,
        &cnn.burn_forward().unwrap(),
        &y,
    );
    let mut ae = AutoencoderForecaster::new(cfg).unwrap();
    ae.fit(&y).unwrap();
    bench_one(
        c,
        "autoencoder",
        &ae,
        &ae.fitted().unwrap().net,
        &ae.burn_forward().unwrap(),
        &y,
    );
}

fn training_time(c: &mut Criterion) {
    let y = generate(&GenerateConfig::default()).unwrap();
    assert_eq!(y.len(), 2880);
    let cfg = NeuralConfig {
        quiet: true,
        ..NeuralConfig::default()
    };
    let mut group = c.benchmark_group("train_2d_1min");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    let models: Vec<Box<dyn Forecaster>> = vec![
        Box::new(LstmForecaster::new(cfg.clone()).unwrap()),
        Box::new(GruForecaster::new(cfg.clone()).unwrap()),
        Box::new(CnnForecaster::new(cfg.clone()).unwrap()),
        Box::new(AutoencoderForecaster::new(cfg).unwrap()),
    ];
    for template in models {
        group.bench_function(template.name().to_string(), |b| {
            b.iter(|| {
                let mut m = template.clone();
                m.fit(black_box(&y)).unwrap();
                m
            })
        });
    }
    group.finish();
}

criterion_group!(benches, forecast_latency, training_time);
criterion_main!(benches);
