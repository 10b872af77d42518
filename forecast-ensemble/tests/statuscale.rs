//! StatuScale forecaster: the detector against hand-computed resistance lines (least squares as
//! numpy.polyfit, population std, λ = 30, c = 7), burst flips and holds on synthetic series,
//! the forecaster's choice between predictor and burst estimate, save/load.

use forecast_core::{Forecaster, Series, model_from_json, model_to_json};
use forecast_ensemble::statuscale::{
    DetectorConfig, LagRegression, LoadStatus, StatuScale, StatuScaleConfig, StatusDetector,
    statuses,
};

const U: [f64; 12] = [
    100.0, 101.0, 99.0, 100.0, 102.0, 100.0, 101.0, 103.0, 98.0, 100.0, 104.0, 99.0,
];

/// (window start, window end, R at the next tick) computed independently in Python
/// (closed-form least squares and statistics.pstdev) with ticks every 20 s.
const LINES: [(usize, usize, f64); 7] = [
    (1, 6, 108.00472228168881),
    (1, 7, 108.28579913664369),
    (1, 8, 109.65615895513702),
    (1, 9, 107.94776119402985),
    (5, 10, 106.98550030306589), // N = 10: the reference's `N % 10 == 0` window reset
    (5, 11, 109.7940594059406),
    (5, 12, 108.30392003175596),
];

fn detector_on_u() -> StatusDetector {
    let mut d = StatusDetector::new(DetectorConfig::default()).unwrap();
    for (i, &u) in U.iter().enumerate() {
        let s = d.observe(20 * i as i64, u);
        let expect = if i < 5 {
            LoadStatus::Warmup
        } else {
            LoadStatus::Stable
        };
        assert_eq!(s, expect, "tick {i}");
        if let Some(&(_, end, r)) = LINES.iter().find(|l| l.1 == i + 1) {
            let got = d.resistance_at(20 * end as i64).unwrap();
            assert!((got - r).abs() < 1e-9, "N = {}: R {got} vs {r}", i + 1);
        }
    }
    d
}

#[test]
fn resistance_lines_match_hand_computed_vectors() {
    detector_on_u();
}

#[test]
fn at_or_above_the_line_is_a_burst() {
    let r = LINES[6].2;
    let mut below = detector_on_u();
    assert_eq!(below.observe(240, r - 1e-6), LoadStatus::Stable);
    let mut at = detector_on_u();
    assert_eq!(at.observe(240, r + 1e-9), LoadStatus::Burst);
    assert!(at.resistance().is_none());
}

/// A calm series (period-4 wiggle of ±1 around 100) with one burst sample at `at`.
fn calm_with_burst(n: usize, at: usize, step: i64) -> Series {
    let y: Vec<f64> = (0..n)
        .map(|t| {
            if t == at {
                300.0
            } else {
                100.0 + [0.0, 1.0, 0.0, -1.0][t % 4]
            }
        })
        .collect();
    Series::new(1_700_000_000, step, y).unwrap()
}

#[test]
fn burst_flips_within_one_step_and_back_after_the_hold() {
    // 20 s ticks: the 40 s hold is 2 ticks; STABLE again at the tick 40 s after the burst.
    let s = calm_with_burst(80, 50, 20);
    let st = statuses(&DetectorConfig::default(), &s);
    assert!(st[6..50].iter().all(|&x| x == LoadStatus::Stable), "{st:?}");
    assert_eq!(st[50], LoadStatus::Burst);
    assert_eq!(st[51], LoadStatus::Burst);
    assert_eq!(st[52], LoadStatus::Stable);
    assert!(st[52..].iter().all(|&x| x == LoadStatus::Stable));
    // 60 s and 300 s steps: 40 s is less than one step, so the hold is the burst tick alone.
    for step in [60, 300] {
        let s = calm_with_burst(80, 50, step);
        let st = statuses(&DetectorConfig::default(), &s);
        assert_eq!(st[50], LoadStatus::Burst, "step {step}");
        assert_eq!(st[51], LoadStatus::Stable, "step {step}");
    }
    // A 100 s hold at 20 s ticks: 5 ticks.
    let cfg = DetectorConfig {
        safe_time: 100,
        ..Default::default()
    };
    let st = statuses(&cfg, &calm_with_burst(80, 50, 20));
    assert!(st[50..55].iter().all(|&x| x == LoadStatus::Burst));
    assert_eq!(st[55], LoadStatus::Stable);
}

#[test]
fn forecaster_uses_the_burst_estimate_in_a_burst_and_the_predictor_otherwise() {
    let s = calm_with_burst(120, 100, 20);
    let mut m = StatuScale::new(
        Box::new(LagRegression::new(5).unwrap()),
        StatuScaleConfig::default(),
    )
    .unwrap();
    m.fit(&s.window(0..100)).unwrap();
    // Calm context: the AR(5) predictor (exact on a period-4 pattern).
    let calm = s.window(0..100);
    assert_eq!(m.status_for(&calm).unwrap(), LoadStatus::Stable);
    let f = m.forecast(&calm, 4, &[]).unwrap();
    for (k, p) in f.point.iter().enumerate() {
        let truth = 100.0 + [0.0, 1.0, 0.0, -1.0][(100 + k) % 4];
        assert!((p - truth).abs() < 1e-6, "step {k}: {p} vs {truth}");
    }
    // Context ending on the burst: mean of the last three samples, flat.
    let burst = s.window(0..101);
    assert_eq!(m.status_for(&burst).unwrap(), LoadStatus::Burst);
    let f = m.forecast(&burst, 3, &[]).unwrap();
    let y = burst.values();
    let mean3 = (y[98] + y[99] + y[100]) / 3.0;
    assert_eq!(f.point, vec![mean3; 3]);
    // Held one more tick, then back to the predictor.
    assert_eq!(m.status_for(&s.window(0..102)).unwrap(), LoadStatus::Burst);
    assert_eq!(m.status_for(&s.window(0..103)).unwrap(), LoadStatus::Stable);
    // Save/load keeps the predictor and the settings.
    let back = model_from_json(&model_to_json(&m).unwrap()).unwrap();
    assert_eq!(
        back.forecast(&burst, 3, &[]).unwrap(),
        m.forecast(&burst, 3, &[]).unwrap()
    );
    assert_eq!(
        back.forecast(&calm, 3, &[]).unwrap(),
        m.forecast(&calm, 3, &[]).unwrap()
    );
}

#[test]
fn bad_settings_and_inputs_are_typed_errors() {
    let bad = StatuScaleConfig {
        detector: DetectorConfig {
            lambda: -1.0,
            ..Default::default()
        },
        ..Default::default()
    };
    let e = StatuScale::new(Box::new(LagRegression::new(5).unwrap()), bad).unwrap_err();
    assert!(e.to_string().contains("lambda"), "{e}");
    let m = StatuScale::new(
        Box::new(LagRegression::new(5).unwrap()),
        StatuScaleConfig::default(),
    )
    .unwrap();
    let s = calm_with_burst(40, 30, 20);
    assert!(matches!(
        m.forecast(&s, 1, &[]),
        Err(forecast_core::Error::NotFitted { .. })
    ));
    let mut m = m;
    assert!(matches!(
        m.fit(&s.window(0..5)),
        Err(forecast_core::Error::TooShort { .. })
    ));
    m.fit(&s).unwrap();
    assert!(m.forecast(&s, 0, &[]).is_err());
    assert!(m.forecast(&s, 2, &[80.0]).is_err());
    let other_step = Series::new(0, 60, vec![1.0; 20]).unwrap();
    assert!(matches!(
        m.forecast(&other_step, 1, &[]),
        Err(forecast_core::Error::ContextMismatch { .. })
    ));
}
