//! Season detection on synthetic data with a known cycle, and on data without one.

use forecast_core::Series;
use forecast_core::season::{detect_season, detect_season_for};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// `level + amp·sin(2πt/period) + AR(1) noise (phi, sd)`, ChaCha8 with `seed`.
fn cycle(n: usize, period: f64, amp: f64, phi: f64, sd: f64, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let noise = Normal::new(0.0, sd).unwrap();
    let mut e = 0.0;
    (0..n)
        .map(|t| {
            e = phi * e + noise.sample(&mut rng);
            100.0 + 0.01 * t as f64 + amp * (std::f64::consts::TAU * t as f64 / period).sin() + e
        })
        .collect()
}

#[test]
fn hourly_daily_cycle_is_24() {
    for seed in 0..5 {
        let y = cycle(24 * 21, 24.0, 10.0, 0.5, 3.0, seed);
        assert_eq!(detect_season(&y, 100), Some(24), "seed {seed}");
        let s = Series::new(1_700_000_000, 3600, y).unwrap();
        assert_eq!(detect_season_for(&s), Some(24), "seed {seed}");
    }
}

#[test]
fn five_minute_daily_cycle_is_288() {
    for seed in 0..5 {
        // 14 days of 5-minute points, a daily cycle with a second harmonic, noisy.
        let mut y = cycle(288 * 14, 288.0, 20.0, 0.8, 4.0, seed);
        for (t, v) in y.iter_mut().enumerate() {
            *v += 5.0 * (std::f64::consts::TAU * t as f64 / 144.0).cos();
        }
        let s = Series::new(1_700_000_000, 300, y).unwrap();
        assert_eq!(detect_season_for(&s), Some(288), "seed {seed}");
    }
}

#[test]
fn weekly_and_daily_prefers_the_day() {
    // hourly, 8 weeks: daily cycle plus a weaker weekly one -> 24 (the week is a multiple).
    let mut y = cycle(24 * 56, 24.0, 10.0, 0.3, 2.0, 11);
    for (t, v) in y.iter_mut().enumerate() {
        *v += 4.0 * (std::f64::consts::TAU * t as f64 / 168.0).sin();
    }
    assert_eq!(detect_season(&y, 400), Some(24));
}

#[test]
fn no_season_in_noise_walks_and_trends() {
    for seed in 0..10 {
        let mut rng = ChaCha8Rng::seed_from_u64(100 + seed);
        let noise = Normal::new(0.0, 1.0).unwrap();
        let white: Vec<f64> = (0..1000).map(|_| noise.sample(&mut rng)).collect();
        assert_eq!(detect_season(&white, 400), None, "white noise, seed {seed}");
        let s = Series::new(0, 300, white.clone()).unwrap();
        assert_eq!(
            detect_season_for(&s),
            None,
            "white noise series, seed {seed}"
        );
        let ar: Vec<f64> = cycle(1000, 1e9, 0.0, 0.7, 1.0, 200 + seed);
        assert_eq!(detect_season(&ar, 400), None, "AR(1), seed {seed}");
    }
    let trend: Vec<f64> = (0..500).map(|t| 3.0 * t as f64).collect();
    assert_eq!(detect_season(&trend, 200), None);
    assert_eq!(detect_season(&[1.0; 100], 40), None);
    assert_eq!(detect_season(&[1.0, 2.0, 1.0], 40), None);
    assert_eq!(
        detect_season(&[1.0, f64::NAN, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0], 4),
        None
    );
}
