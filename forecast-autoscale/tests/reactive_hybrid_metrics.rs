//! Spec §6 vectors: reactive EMA sequence and hysteresis property, hybrid invariants,
//! SPEC RG metrics on the given d/s sequences, and the planner of §6.2.

use approx::assert_abs_diff_eq;
use forecast_autoscale::hybrid::HybridStrategy;
use forecast_autoscale::metrics::spec_metrics;
use forecast_autoscale::planner::{PlanMode, Planner, PlannerConfig};
use forecast_autoscale::reactive::{ReactiveConfig, ReactiveScaler, Thresholds};
use forecast_autoscale::{AutoscaleError, ReplicaBounds};
use forecast_core::Forecast;
use proptest::prelude::*;

#[test]
fn ema_sequence() {
    let mut r = ReactiveScaler::new(ReactiveConfig::new(100.0, 1, 10).unwrap()).unwrap();
    let s: Vec<f64> = [100.0, 200.0, 200.0]
        .iter()
        .map(|&x| r.observe(x))
        .collect();
    assert_abs_diff_eq!(s[0], 100.0, epsilon = 1e-12);
    assert_abs_diff_eq!(s[1], 170.0, epsilon = 1e-12);
    assert_abs_diff_eq!(s[2], 191.0, epsilon = 1e-12);
}

#[test]
fn reactive_thresholds_and_targets() {
    let mut r = ReactiveScaler::new(ReactiveConfig::new(100.0, 1, 10).unwrap()).unwrap();
    r.observe(150.0);
    // up(2) = 160, down(2) = 50: inside the band -> stay at 2.
    assert_eq!(r.desired(2), 2);
    // up(1) = 80 < 150 -> n* = ceil(150/70) = 3.
    assert_eq!(r.desired(1), 3);
    // down(5) = 200 > 150 -> min(n*, 4) = 3.
    assert_eq!(r.desired(5), 3);
    // Just above up(n) by a little: at least n + 1.
    let mut r = ReactiveScaler::new(ReactiveConfig::new(100.0, 1, 10).unwrap()).unwrap();
    r.observe(161.0);
    assert_eq!(r.desired(2), 3);
}

#[test]
fn custom_table_is_checked_for_oscillation() {
    let mut cfg = ReactiveConfig::new(100.0, 1, 3).unwrap();
    cfg.thresholds = Thresholds::Table(vec![(80.0, 0.0), (160.0, 50.0), (240.0, 120.0)]);
    let mut r = ReactiveScaler::new(cfg.clone()).unwrap();
    r.observe(170.0);
    assert_eq!(r.desired(1), 3);
    // down_3 = 170 >= up_2 = 160 can oscillate.
    cfg.thresholds = Thresholds::Table(vec![(80.0, 0.0), (160.0, 50.0), (240.0, 170.0)]);
    assert!(matches!(
        ReactiveScaler::new(cfg.clone()),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    // Too short a table.
    cfg.thresholds = Thresholds::Table(vec![(80.0, 0.0)]);
    assert!(ReactiveScaler::new(cfg).is_err());
}

proptest! {
    /// §6.1: after moving to n*, neither threshold is crossed at the same s, unless n* was
    /// clamped.
    #[test]
    fn hysteresis_property(
        s in 0.0f64..5000.0,
        cap in 1.0f64..500.0,
        down in 0.05f64..0.6,
        gap1 in 0.01f64..0.3,
        gap2 in 0.0f64..0.3,
    ) {
        let target = (down + gap1).min(0.99);
        let up = (target + gap2).min(1.0);
        prop_assume!(down < target && target <= up);
        let mut cfg = ReactiveConfig::new(cap, 1, 1000).unwrap();
        cfg.thresholds = Thresholds::Linear { up, target, down };
        let mut r = ReactiveScaler::new(cfg).unwrap();
        r.observe(s);
        let n_star = r.target(s);
        let clamped = n_star == 1 || n_star == 1000;
        if !clamped {
            prop_assert!(r.down(n_star) < s && s <= r.up(n_star),
                "n*={} down={} s={} up={}", n_star, r.down(n_star), s, r.up(n_star));
            prop_assert_eq!(r.desired(n_star), n_star);
        }
    }

    /// §6.3 invariants.
    #[test]
    fn hybrid_invariants(p in 0u32..50, q in 0u32..50, w in 0.0f64..=1.0, d in 0u32..5) {
        let m = HybridStrategy::MaxSafety.combine(p, q);
        prop_assert!(m >= p && m >= q);
        let b = HybridStrategy::WeightedBlend { w }.combine(p, q);
        prop_assert!(b >= p.min(q) && b <= p.max(q));
        let o = HybridStrategy::ReactiveOverride { d }.combine(p, q);
        prop_assert!(o == p || o == q);
        prop_assert_eq!(o == q && p != q, p.abs_diff(q) > d);
    }
}

#[test]
fn spec_metrics_reference_vector() {
    let d = [1.0, 2.0, 2.0, 3.0, 3.0, 2.0];
    let s = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
    let m = spec_metrics(&d, &s, 1.0).unwrap();
    assert_abs_diff_eq!(
        m.accuracy_u,
        100.0 / 6.0 * (0.5 + 1.0 / 3.0),
        epsilon = 1e-12
    );
    assert_abs_diff_eq!(m.accuracy_u, 13.889, epsilon = 5e-4);
    assert_abs_diff_eq!(m.accuracy_o, 8.333, epsilon = 5e-4);
    assert_abs_diff_eq!(m.timeshare_u, 33.333, epsilon = 5e-4);
    assert_abs_diff_eq!(m.timeshare_o, 16.667, epsilon = 5e-4);
    assert_abs_diff_eq!(m.instability, 100.0, epsilon = 1e-12);
    assert_abs_diff_eq!(m.accuracy_u_replicas, 2.0 / 6.0, epsilon = 1e-12);
    assert_abs_diff_eq!(m.accuracy_o_replicas, 1.0 / 6.0, epsilon = 1e-12);
    // Jitter: E_s = 2, E_d = 3 over 6 s = 0.1 min -> −10 per minute.
    assert_abs_diff_eq!(m.jitter, -10.0, epsilon = 1e-9);
    // Perfect tracking: no under/over, instability 0.
    let m = spec_metrics(&d, &d, 15.0).unwrap();
    assert_eq!((m.accuracy_u, m.accuracy_o, m.instability), (0.0, 0.0, 0.0));
    assert!(spec_metrics(&[], &[], 1.0).is_err());
    assert!(spec_metrics(&[1.0], &[1.0, 2.0], 1.0).is_err());
}

fn forecast(first: i64, step: i64, point: &[f64], upper: Option<&[f64]>) -> Forecast {
    let levels: &[f64] = if upper.is_some() { &[80.0] } else { &[] };
    let mut f = Forecast::default();
    f.reset(first, step, point.len(), levels).unwrap();
    f.point.copy_from_slice(point);
    if let Some(u) = upper {
        f.intervals[0].upper.copy_from_slice(u);
        f.intervals[0].lower.copy_from_slice(point);
    }
    f
}

#[test]
fn planner_covers_lead_time_window() {
    let mut cfg = PlannerConfig::new(100.0, 1, 20).unwrap();
    cfg.headroom = 0.0;
    cfg.lead_time = 60;
    cfg.decision_period = 60;
    let p = Planner::new(cfg.clone()).unwrap();
    // 15 s steps from t = 15: covering [60, 120] -> steps at 60 (ts 45 covers 45..60 -> no),
    // 60, 75, 90, 105, 120.
    let point: Vec<f64> = (1..=10).map(|k| 50.0 * k as f64).collect(); // ts 15..150
    let f = forecast(15, 15, &point, None);
    // ts = 15k: k=4 (60) .. k=8 (120) -> max = 400 -> ceil(400/70) = 6.
    assert_eq!(p.target_load(&f, 0).unwrap(), 400.0);
    assert_eq!(p.plan(&f, 0, 1).unwrap(), 6);
    assert_eq!(p.horizon(0, 15, 15), 8);
    // Upper mode and headroom.
    cfg.mode = PlanMode::Upper { level: 80.0 };
    cfg.headroom = 0.1;
    let p = Planner::new(cfg.clone()).unwrap();
    let upper: Vec<f64> = point.iter().map(|v| v + 100.0).collect();
    let f = forecast(15, 15, &point, Some(&upper));
    assert_eq!(p.plan(&f, 0, 1).unwrap(), 8); // ceil(500·1.1/70) = ceil(7.86)
    // Missing interval -> typed error.
    let f = forecast(15, 15, &point, None);
    assert!(matches!(
        p.plan(&f, 0, 1),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    // Ramp limits.
    cfg.mode = PlanMode::Point;
    cfg.max_step_up = Some(2);
    cfg.max_step_down = Some(1);
    let p = Planner::new(cfg.clone()).unwrap();
    assert_eq!(p.ramp(3, 10), 5);
    assert_eq!(p.ramp(10, 2), 9);
    // Bounds and negative forecasts.
    let f = forecast(15, 15, &[-50.0; 10], None);
    assert_eq!(p.plan(&f, 0, 1).unwrap(), 1);
    cfg.bounds = ReplicaBounds { min: 4, max: 2 };
    assert!(Planner::new(cfg).is_err());
}

#[test]
fn planner_rejects_bad_parameters() {
    assert!(PlannerConfig::new(0.0, 1, 2).is_err());
    assert!(PlannerConfig::new(f64::NAN, 1, 2).is_err());
    assert!(PlannerConfig::new(10.0, 3, 2).is_err());
    let mut cfg = PlannerConfig::new(10.0, 1, 2).unwrap();
    cfg.target_utilization = 1.5;
    assert!(Planner::new(cfg).is_err());
}
