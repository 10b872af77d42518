//! Split-conformal intervals reach their nominal coverage out of sample.
//!
//! Data: y_t = 100 + 10·sin(2πt/24) + e_t, e_t = 0.6·e_{t−1} + N(0, 2²), ChaCha8 seed 7,
//! hourly, 6000 points. The wrapper is backtested with the standard protocol on the last 60 %
//! (test_size 3600), horizon 12, origins every 13 steps (coprime with the season, so the origins
//! visit every phase of the cycle; 277 origins, 3324 scored points),
//! refit at every origin on a sliding window of 600 points; calibration: 50 windows, stride 1.
//!
//! The split-conformal quantile k = ceil(51·L/100) gives an expected coverage of k/51:
//! 41/51 = 80.4 % at 80 and 49/51 = 96.1 % at 95 for exchangeable errors. Forecast errors of
//! neighbouring calibration windows are correlated, so single fits scatter; pooled over the
//! 277 out-of-sample origins we require |coverage − nominal| <= 3 points at 80 % and <= 2.5
//! points at 95 %. Achieved (printed with --nocapture): see the assertions' messages.

use forecast_core::backtest::{BacktestConfig, backtest};
use forecast_core::baselines::{Naive, SeasonalNaive};
use forecast_core::conformal::{Conformal, ConformalConfig};
use forecast_core::{Error, Forecaster, Series, model_from_json, model_to_json};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

fn synthetic(n: usize, seed: u64) -> Series {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let noise = Normal::new(0.0, 2.0).unwrap();
    let mut e = 0.0;
    let y = (0..n)
        .map(|t| {
            e = 0.6 * e + noise.sample(&mut rng);
            100.0 + 10.0 * (std::f64::consts::TAU * t as f64 / 24.0).sin() + e
        })
        .collect();
    Series::new(1_700_000_000, 3600, y).unwrap()
}

fn coverage_of(inner: Box<dyn Forecaster>) -> (f64, f64, f64) {
    let s = synthetic(6000, 7);
    let cc = ConformalConfig {
        calibration_windows: 50,
        max_horizon: 12,
        stride: 1,
    };
    let model = Conformal::new(inner, cc).unwrap();
    let cfg = BacktestConfig {
        horizons: vec![12],
        test_size: Some(3600),
        stride: Some(13),
        window: Some(600),
        season: 24,
        ..Default::default()
    };
    let r = backtest(&model, &s, &cfg).unwrap();
    assert_eq!(r.grid.origins.len(), 277);
    let m = &r.horizons[0].pooled;
    assert_eq!(m.n, 3324);
    let c80 = m.interval(80.0).unwrap().coverage;
    let c95 = m.interval(95.0).unwrap().coverage;
    // The worst single step must not be far off either.
    let worst = r.horizons[0]
        .per_step
        .iter()
        .map(|s| (s.interval(80.0).unwrap().coverage - 0.8).abs())
        .fold(0.0, f64::max);
    (c80, c95, worst)
}

#[test]
fn conformal_seasonal_naive_covers_nominal() {
    let (c80, c95, worst) = coverage_of(Box::new(SeasonalNaive::new(24).unwrap()));
    println!(
        "conformal(seasonal-naive): coverage 80 = {c80:.4}, 95 = {c95:.4}, worst step |c80 - 0.8| = {worst:.4}"
    );
    assert!((c80 - 0.80).abs() <= 0.03, "80 %: {c80}");
    assert!((c95 - 0.95).abs() <= 0.025, "95 %: {c95}");
    assert!(worst <= 0.06, "worst step at 80 %: {worst}");
}

#[test]
fn conformal_naive_covers_nominal() {
    let (c80, c95, worst) = coverage_of(Box::new(Naive::new()));
    println!(
        "conformal(naive): coverage 80 = {c80:.4}, 95 = {c95:.4}, worst step |c80 - 0.8| = {worst:.4}"
    );
    assert!((c80 - 0.80).abs() <= 0.03, "80 %: {c80}");
    assert!((c95 - 0.95).abs() <= 0.025, "95 %: {c95}");
    assert!(worst <= 0.06, "worst step at 80 %: {worst}");
}

#[test]
fn quantiles_by_hand_and_errors() {
    // Naive on 0, 1, 2, …: forecast errors are exactly h at step h, so every half-width is h.
    let s = Series::new(0, 60, (0..40).map(|t| t as f64).collect()).unwrap();
    let cc = ConformalConfig {
        calibration_windows: 10,
        max_horizon: 3,
        stride: 2,
    };
    let mut m = Conformal::new(Box::new(Naive::new()), cc).unwrap();
    // needs naive's 2 + 3 + 9·2 = 23 points
    assert_eq!(m.min_train_len(), 23);
    assert!(matches!(m.fit(&s.head(22)), Err(Error::TooShort { .. })));
    assert!(matches!(
        m.forecast(&s, 1, &[80.0]),
        Err(Error::NotFitted { .. })
    ));
    m.fit(&s).unwrap();
    assert!(m.is_fitted());
    assert_eq!(m.half_width(2, 80.0), Some(2.0));
    let f = m.forecast(&s, 3, &[80.0, 95.0]).unwrap();
    assert_eq!(f.point, vec![39.0; 3]);
    let i95 = f.interval(95.0).unwrap();
    assert_eq!(i95.lower, vec![38.0, 37.0, 36.0]);
    assert_eq!(i95.upper, vec![40.0, 41.0, 42.0]);
    // beyond max_horizon
    match m.forecast(&s, 4, &[80.0]) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "max_horizon"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        m.forecast(&s, 2, &[0.0]),
        Err(Error::InvalidLevel { .. })
    ));
    assert!(Conformal::new(Box::new(Naive::new()), ConformalConfig { stride: 0, ..cc }).is_err());
    // name and serde round trip through Box<dyn Forecaster>
    assert_eq!(m.name(), "naive");
    assert!(m.supports_intervals());
    let back = model_from_json(&model_to_json(&m).unwrap()).unwrap();
    assert_eq!(
        back.forecast(&s, 3, &[80.0]).unwrap(),
        m.forecast(&s, 3, &[80.0]).unwrap()
    );
}

#[test]
fn forecast_into_reuses_interval_buffers() {
    let s = synthetic(400, 3);
    let mut m = Conformal::new(
        Box::new(SeasonalNaive::new(24).unwrap()),
        ConformalConfig::default(),
    )
    .unwrap();
    m.fit(&s).unwrap();
    let mut out = forecast_core::Forecast::default();
    m.forecast_into(&s, 24, &[80.0, 95.0], &mut out).unwrap();
    let ptr = out.intervals[1].upper.as_ptr();
    m.forecast_into(&s.head(390), 12, &[80.0, 95.0], &mut out)
        .unwrap();
    assert_eq!(out.intervals[1].upper.as_ptr(), ptr);
    assert_eq!(out.intervals[1].upper.len(), 12);
    out.validate().unwrap();
}
