//! Side-by-side cross-check against augurs 0.10.3, the other Rust option (built only with
//! `--features augurs`, which `make bench` enables: augurs' Prophet runs Stan compiled to
//! WebAssembly in wasmtime, a long compile).
//!
//! Same series as the other benches (a 1-day 5-minute series and a 2-week hourly series):
//! - **AutoETS, non-seasonal**: our [`AutoEts`] with `season_length = 1` against
//!   `augurs_ets::AutoETS::non_seasonal()` (both search the non-seasonal ETS family by AICc).
//!   Fit time, and forecast latency for H = 12 with 80 % intervals. augurs forecasts only
//!   from the end of its training data, so ours is timed with the training series as context.
//! - **Prophet**: our [`ProphetStyle`] (MAP by L-BFGS in Rust) against `augurs_prophet`'s
//!   `Prophet` with the `WasmstanOptimizer` (Prophet's own Stan model and L-BFGS). Fit time,
//!   and H = 12 prediction with 80 % intervals from 1000 simulated paths (both defaults).
//!
//! Before timing, each case prints the two forecasts' largest difference relative to the
//! series' mean level (and the models AutoETS selected), so a run doubles as a cross-check.

use std::hint::black_box;

use augurs::prophet::wasmstan::WasmstanOptimizer;
use augurs::prophet::{PredictionData, Prophet, TrainingData};
use augurs::{Fit, Predict};
use criterion::{Criterion, criterion_group, criterion_main};
use forecast_core::{Forecast, Forecaster, Series};
use forecast_stats::ets::{AutoEts, AutoEtsConfig};
use forecast_stats::prophet::{ProphetStyle, ProphetStyleConfig};

fn series(n: usize, step: i64, period: f64) -> Series {
    let y = (0..n)
        .map(|i| {
            let x = i as f64;
            50.0 + 0.01 * x
                + 10.0 * (std::f64::consts::TAU * x / period).sin()
                + 2.0 * ((x * 12.9898).sin() * 43_758.545).fract()
        })
        .collect();
    Series::new(1_704_067_200, step, y).unwrap()
}

fn max_rel_diff(a: &[f64], b: &[f64], scale: f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / scale)
        .fold(0.0, f64::max)
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("5min_1day", series(288, 300, 288.0)),
        ("hourly_2weeks", series(336, 3600, 24.0)),
    ];
    for (name, train) in cases {
        let y = train.values();
        let scale = y.iter().sum::<f64>() / y.len() as f64;
        let mut g = c.benchmark_group(format!("augurs/{name}"));
        g.sample_size(10);

        // --- AutoETS, non-seasonal -------------------------------------------------------
        let ours_cfg = AutoEtsConfig {
            season_length: 1,
            ..Default::default()
        };
        let mut ours = AutoEts::new(ours_cfg).unwrap();
        ours.fit(&train).unwrap();
        let theirs = augurs::ets::AutoETS::non_seasonal();
        let theirs_fit = theirs.fit(y).unwrap();
        let f_ours = ours.forecast(&train, 12, &[80.0]).unwrap();
        let f_theirs = theirs_fit.predict(12, 0.8).unwrap();
        println!(
            "{name}: AutoETS ours {} vs augurs {:?}; point forecasts differ by {:.3e} of the mean level",
            ours.selected().unwrap(),
            theirs_fit.model().model_type(),
            max_rel_diff(&f_ours.point, &f_theirs.point, scale)
        );
        g.bench_function("ets_fit_ours", |b| {
            b.iter(|| {
                let mut m = AutoEts::new(ours_cfg).unwrap();
                m.fit(black_box(&train)).unwrap();
                m
            })
        });
        g.bench_function("ets_fit_augurs", |b| {
            b.iter(|| theirs.fit(black_box(y)).unwrap())
        });
        let mut out = Forecast::default();
        g.bench_function("ets_forecast_h12_80pct_ours", |b| {
            b.iter(|| {
                ours.forecast_into(black_box(&train), 12, &[80.0], &mut out)
                    .unwrap()
            })
        });
        g.bench_function("ets_forecast_h12_80pct_augurs", |b| {
            b.iter(|| theirs_fit.predict(black_box(12), 0.8).unwrap())
        });

        // --- Prophet -------------------------------------------------------------------
        let ds: Vec<i64> = train.timestamps().collect();
        let future: Vec<i64> = (1..=12)
            .map(|h| train.next_timestamp() + (h - 1) * train.step())
            .collect();
        let fit_augurs = || {
            let data = TrainingData::new(ds.clone(), y.to_vec()).unwrap();
            let mut p = Prophet::new(Default::default(), WasmstanOptimizer::new());
            p.fit(data, Default::default()).unwrap();
            p
        };
        let theirs = fit_augurs();
        let mut ours = ProphetStyle::new(ProphetStyleConfig::default()).unwrap();
        ours.fit(&train).unwrap();
        let f_ours = ours.forecast(&train, 12, &[80.0]).unwrap();
        let p_theirs = theirs.predict(PredictionData::new(future.clone())).unwrap();
        println!(
            "{name}: Prophet point forecasts differ by {:.3e} of the mean level",
            max_rel_diff(&f_ours.point, &p_theirs.yhat.point, scale)
        );
        g.bench_function("prophet_fit_ours", |b| {
            b.iter(|| {
                let mut m = ProphetStyle::default();
                m.fit(black_box(&train)).unwrap();
                m
            })
        });
        g.bench_function("prophet_fit_augurs_wasmstan", |b| b.iter(fit_augurs));
        g.bench_function("prophet_forecast_h12_80pct_ours", |b| {
            b.iter(|| {
                ours.forecast_into(black_box(&train), 12, &[80.0], &mut out)
                    .unwrap()
            })
        });
        g.bench_function("prophet_forecast_h12_80pct_augurs", |b| {
            b.iter(|| {
                theirs
                    .predict(PredictionData::new(black_box(future.clone())))
                    .unwrap()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
