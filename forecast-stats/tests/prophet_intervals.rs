//! Prediction intervals by simulation: coverage on seeded synthetic data, agreement with
//! Prophet's Monte-Carlo bounds on the reference series, determinism.

mod prophet_support;

use forecast_core::{Forecaster, Series};
use forecast_stats::prophet::{ProphetStyle, ProphetStyleConfig};
use prophet_support::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// Mean width of the 80 % band over the steps.
fn mean_width(lo: &[f64], hi: &[f64]) -> f64 {
    lo.iter().zip(hi).map(|(l, h)| h - l).sum::<f64>() / lo.len() as f64
}

#[test]
fn coverage_on_synthetic_data_is_nominal() {
    // The recipe of the reference's synthetic series: trend + daily sine + N(0, 2) noise.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let noise = Normal::new(0.0, 2.0).unwrap();
    let mean =
        |t: usize| 100.0 + 0.05 * t as f64 + 10.0 * (std::f64::consts::TAU * t as f64 / 24.0).sin();
    let n = 504;
    let y: Vec<f64> = (0..n).map(|t| mean(t) + noise.sample(&mut rng)).collect();
    let train = Series::new(1_704_067_200, 3600, y).unwrap();
    let mut model = ProphetStyle::new(ProphetStyleConfig::default()).unwrap();
    model.fit(&train).unwrap();
    let f = model.forecast(&train, 24, &[80.0, 95.0]).unwrap();
    // Many independent futures of the same process, scored against the one forecast.
    let (mut in80, mut in95, mut total) = (0usize, 0usize, 0usize);
    for _ in 0..400 {
        for h in 0..24 {
            let y = mean(n + h) + noise.sample(&mut rng);
            let (i80, i95) = (&f.intervals[0], &f.intervals[1]);
            in80 += usize::from(i80.lower[h] <= y && y <= i80.upper[h]);
            in95 += usize::from(i95.lower[h] <= y && y <= i95.upper[h]);
            total += 1;
        }
    }
    let (c80, c95) = (in80 as f64 / total as f64, in95 as f64 / total as f64);
    eprintln!("synthetic coverage: 80 % band {c80:.3}, 95 % band {c95:.3}");
    assert!((0.75..=0.85).contains(&c80), "80 % coverage {c80}");
    assert!((0.92..=0.98).contains(&c95), "95 % coverage {c95}");
}

#[test]
fn bands_agree_with_prophet_monte_carlo() {
    for id in SERIES {
        let r = load_json(&format!("{id}__prophet_intervals.json"));
        let ts = stamps(&r["forecast"]["timestamps"]);
        let want = mean_width(
            &floats(&r["forecast"]["lower_80"]),
            &floats(&r["forecast"]["upper_80"]),
        );
        let (tts, ys) = load_series(id);
        let step = tts[1] - tts[0];
        // With Prophet's own parameters: only the sampler differs.
        let theirs =
            ProphetStyle::from_fitted(reference_config(), reference_model(id), step).unwrap();
        let (_, lo, hi) = theirs.predict(&ts).unwrap();
        let w_params = mean_width(&lo, &hi);
        // With our own fit.
        let mut ours = ProphetStyle::new(ProphetStyleConfig::default()).unwrap();
        ours.fit(&Series::new(tts[0], step, ys).unwrap()).unwrap();
        let (_, lo, hi) = ours.predict(&ts).unwrap();
        let w_fit = mean_width(&lo, &hi);
        let (e1, e2) = (rel(w_params, want, 0.0), rel(w_fit, want, 0.0));
        eprintln!(
            "{id}: 80 % width Prophet {want:.4}, ours at Prophet's params {w_params:.4} ({:.2} %), our fit {w_fit:.4} ({:.2} %)",
            100.0 * e1,
            100.0 * e2
        );
        assert!(e1 < 0.04, "{id}: width at reference params off by {e1}");
        assert!(e2 < 0.05, "{id}: width of our fit off by {e2}");
    }
}

#[test]
fn intervals_are_seeded_and_nested() {
    let (ts, ys) = load_series("a_synthetic_hourly");
    let train = Series::new(ts[0], 3600, ys).unwrap();
    let model = ProphetStyle::from_fitted(
        reference_config(),
        reference_model("a_synthetic_hourly"),
        3600,
    )
    .unwrap();
    let a = model.forecast(&train, 12, &[80.0, 95.0]).unwrap();
    let b = model.forecast(&train, 12, &[80.0, 95.0]).unwrap();
    assert_eq!(a, b);
    a.validate().unwrap();
    for h in 0..12 {
        let (i80, i95) = (&a.intervals[0], &a.intervals[1]);
        assert!(i95.lower[h] < i80.lower[h] && i80.upper[h] < i95.upper[h]);
        assert!(i80.lower[h] < a.point[h] && a.point[h] < i80.upper[h]);
    }
    let other = ProphetStyle::from_fitted(
        ProphetStyleConfig {
            seed: 1,
            ..reference_config()
        },
        reference_model("a_synthetic_hourly"),
        3600,
    )
    .unwrap();
    let c = other.forecast(&train, 12, &[80.0]).unwrap();
    assert_eq!(c.point, a.point);
    assert_ne!(c.intervals[0].lower, a.intervals[0].lower);
}
