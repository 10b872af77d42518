//! StatuScale test vectors of spec §1.9 (NN-PID, score, CF) and the rules of §1.5/§1.6.

use approx::assert_abs_diff_eq;
use forecast_autoscale::metrics::{affine_normalize, correlation_factor, dtw_abs};
use forecast_autoscale::statuscale::{
    HorizontalController, HorizontalParams, NnPid, PidMode, ScoreParams, VerticalController,
    VerticalInput, VerticalMode, VerticalParams,
};

/// §1.9: fresh state, one call `pid_output([u,u,u])` -> (quota, r), printed to 6 decimals.
#[test]
fn nn_pid_fresh_vectors() {
    let cases = [
        (30.0, 90.324264, 0.332137),
        (60.0, 154.386080, 0.388636),
        (120.0, 229.185291, 0.523594),
        (180.0, 272.205277, 0.661266),
        (240.0, 300.000000, 0.8),
        (270.0, 310.582309, 0.869335),
        (300.0, 319.677092, 0.938447),
    ];
    for (u, quota, r) in cases {
        let mut pid = NnPid::new(PidMode::BugCompatible);
        let (q, rr) = pid.output([u, u, u]);
        assert_abs_diff_eq!(q, quota, epsilon = 5e-6);
        assert_abs_diff_eq!(rr, r, epsilon = 5e-7);
    }
}

/// §1.9: chained calls on one persistent state.
#[test]
fn nn_pid_chained_vectors() {
    let mut pid = NnPid::new(PidMode::BugCompatible);
    let hist = [
        [100.0, 110.0, 120.0],
        [150.0, 160.0, 170.0],
        [200.0, 210.0, 250.0],
        [60.0, 62.0, 58.0],
        [240.0, 250.0, 280.0],
    ];
    let expected = [210.086517, 252.492868, 268.823078, 152.623613, 292.078183];
    for (h, e) in hist.iter().zip(expected) {
        let (q, _) = pid.output(*h);
        assert_abs_diff_eq!(q, e, epsilon = 5e-6);
    }
}

#[test]
fn nn_pid_clean_mode_differs_but_stays_finite() {
    let mut clean = NnPid::new(PidMode::Clean);
    let mut bug = NnPid::new(PidMode::BugCompatible);
    let (qc, rc) = clean.output([100.0, 110.0, 120.0]);
    let (qb, _) = bug.output([100.0, 110.0, 120.0]);
    assert!(qc.is_finite() && rc > 0.0);
    assert!(
        (qc - qb).abs() > 1e-9,
        "clean mode should change the updates"
    );
}

/// §1.9 score vectors (defaults a = 1.7, κ = 12, c = 10, switch at 150 m).
#[test]
fn score_vectors() {
    let s = ScoreParams::default();
    let cases = [
        (0.0, -58.262224),
        (50.0, -20.159939),
        (100.0, -6.975757),
        (149.0, -2.465537),
        (150.0, 2.413757),
        (200.0, 6.975757),
        (228.0, 12.638460),
        (300.0, 58.262224),
    ];
    for (u, v) in cases {
        assert_abs_diff_eq!(s.score(u), v, epsilon = 5e-7);
    }
    // Bug-compatible switch at 15 m: 100 m is on the positive side.
    let bug = ScoreParams {
        bug_compatible_switch: true,
        ..s
    };
    assert!(bug.score(100.0) > 0.0);
    assert!(bug.score(14.0) < 0.0);
}

/// §1.9 CF vector.
#[test]
fn correlation_factor_vector() {
    let y = [10.0, 12.0, 15.0, 20.0, 18.0, 14.0, 11.0, 10.0];
    let x = [200.0, 210.0, 230.0, 260.0, 300.0, 280.0, 240.0, 210.0];
    let xt = affine_normalize(&x, &y);
    let expected = [
        9.4773, 10.5131, 12.5847, 15.6921, 19.8354, 17.7638, 13.6205, 10.5131,
    ];
    for (a, b) in xt.iter().zip(expected) {
        assert_abs_diff_eq!(*a, b, epsilon = 5e-5);
    }
    assert_abs_diff_eq!(dtw_abs(&xt, &y), 4.092996, epsilon = 5e-6);
    assert_abs_diff_eq!(correlation_factor(&x, &y), 1.954558, epsilon = 5e-6);
}

/// §1.6.2: sustained scale-out needs three scores summing over 38 with the latest > 8;
/// the window resets after an action and the 120 s cooldown holds the next one.
#[test]
fn horizontal_rule_thresholds_and_cooldown() {
    let mut h = HorizontalController::new(HorizontalParams::default()).unwrap();
    // u = 228 m scores 12.638 each: sum 37.9 < 38 -> no action on the third tick.
    assert_eq!(h.step(228.0, 0, 2, 1, 10), 0);
    assert_eq!(h.step(228.0, 20, 2, 1, 10), 0);
    assert_eq!(h.step(228.0, 40, 2, 1, 10), 0);
    // u = 230 m scores 13.2 each -> sum 39.6 > 38.
    let mut h = HorizontalController::new(HorizontalParams::default()).unwrap();
    assert_eq!(h.step(230.0, 0, 2, 1, 10), 0);
    assert_eq!(h.step(230.0, 20, 2, 1, 10), 0);
    assert_eq!(h.step(230.0, 40, 2, 1, 10), 1);
    // Window reset: the next two ticks cannot act; after that the cooldown (120 s) holds.
    assert_eq!(h.step(300.0, 60, 3, 1, 10), 0);
    assert_eq!(h.step(300.0, 80, 3, 1, 10), 0);
    assert_eq!(h.step(300.0, 100, 3, 1, 10), 0);
    assert_eq!(h.step(300.0, 160, 3, 1, 10), 0); // 160 = 40 + 120, not strictly after
    assert_eq!(h.step(300.0, 180, 3, 1, 10), 1);
    // Scale-in needs sum < -16 and latest < -5, and never below 1 replica.
    let mut h = HorizontalController::new(HorizontalParams::default()).unwrap();
    assert_eq!(h.step(50.0, 0, 1, 1, 10), 0);
    assert_eq!(h.step(50.0, 20, 1, 1, 10), 0);
    // With 3 replicas one very low score (−20.16 < −16 and < −5) already scales in.
    let mut h2 = HorizontalController::new(HorizontalParams::default()).unwrap();
    assert_eq!(h2.step(50.0, 0, 3, 1, 10), -1);
    // A moderately low score (u = 100 m: −6.98) needs three ticks: sum −20.9 < −16.
    let mut h3 = HorizontalController::new(HorizontalParams::default()).unwrap();
    assert_eq!(h3.step(100.0, 0, 3, 1, 10), 0);
    assert_eq!(h3.step(100.0, 20, 3, 1, 10), 0);
    assert_eq!(h3.step(100.0, 40, 3, 1, 10), -1);
    // Never below min.
    let mut h4 = HorizontalController::new(HorizontalParams::default()).unwrap();
    assert_eq!(h4.step(0.0, 0, 3, 3, 10), 0);
}

/// §1.3/§1.5/§1.6.3: warm-up threshold mode, predict mode, burst hold, coupling.
#[test]
fn vertical_modes_follow_the_transitions() {
    let mut v = VerticalController::new(VerticalParams::default()).unwrap();
    let input = |now: i64, n: usize, u: f64, above: bool| VerticalInput {
        now,
        samples: n,
        recent: [u, u, u],
        above_resistance: above,
        prediction: Some(u * 1.1),
        last_horizontal: None,
    };
    for i in 1..=5 {
        let d = v.step(&input(i * 20, i as usize, 80.0, false));
        assert_eq!(d.mode, VerticalMode::Threshold);
        assert_abs_diff_eq!(d.quota, 100.0, epsilon = 1e-12);
    }
    // Warm at 6 samples; previous threshold with safe_until = last tick < now -> STABLE.
    let d = v.step(&input(120, 6, 80.0, false));
    assert_eq!(d.mode, VerticalMode::Predict);
    assert_abs_diff_eq!(d.quota, 88.0 / 0.8, epsilon = 1e-12);
    // Above the resistance line -> BURST (PID), held for 40 s.
    let d = v.step(&input(140, 7, 200.0, true));
    assert_eq!(d.mode, VerticalMode::Pid);
    let d = v.step(&input(160, 8, 100.0, false));
    assert_eq!(d.mode, VerticalMode::Pid); // safe_until = 180 >= 160
    let d = v.step(&input(180, 9, 100.0, false));
    assert_eq!(d.mode, VerticalMode::Pid); // 180 is not < 180
    // At 180 the hold had expired (safe_until <= now) so it was renewed to 220.
    let d = v.step(&input(240, 10, 100.0, false));
    assert_eq!(d.mode, VerticalMode::Predict);
    // Coupling after a scale-out: q = 0.9·max(q_last, 1.15·u).
    let q_last = d.quota;
    let mut inp = input(250, 11, 200.0, false);
    inp.last_horizontal = Some((245, 1));
    let d = v.step(&inp);
    assert_eq!(d.mode, VerticalMode::HorizontalVerticalDown);
    let q = 0.9 * q_last.max(1.15 * 200.0);
    assert_abs_diff_eq!(d.quota, q, epsilon = 1e-12);
    // int() truncates before clamping: 0.9·(1.15·200) = 206.99999999999997 -> 206 m.
    assert_eq!(d.limit, 206.0);
    // The next tick after the coupling window is forced into PID.
    let mut inp = input(300, 12, 100.0, false);
    inp.last_horizontal = Some((245, 1));
    assert_eq!(v.step(&inp).mode, VerticalMode::Pid);
}
