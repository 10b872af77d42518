//! HPA worked examples of spec §2.7, KEDA examples of §2.8, and the controller rules they
//! rest on (Kubernetes `replica_calculator.go` / `horizontal.go`).

use forecast_autoscale::ReplicaBounds;
use forecast_autoscale::hpa::{
    Behavior, HpaController, HpaSpec, MetricError, Pod, PodGroup, RateKind, RatePolicy,
    ReadinessConfig, SelectPolicy, Tolerance, ValueTarget, classify, plain_metric_replicas,
    resource_utilization_replicas, value_metric_replicas,
};
use forecast_autoscale::keda::{Activation, KedaConfig, keda_hpa_replicas};

const NOW: i64 = 1_700_000_000;

fn util(current: u32, pods: &[Pod], target: u32) -> Result<u32, MetricError> {
    resource_utilization_replicas(
        current,
        pods,
        true,
        target,
        Tolerance::default(),
        NOW,
        &ReadinessConfig::default(),
    )
}

fn pods(usages: &[f64]) -> Vec<Pod> {
    usages
        .iter()
        .map(|&u| Pod::running(500.0, u, NOW))
        .collect()
}

#[test]
fn example_1_utilization_105_percent_target_50() {
    // util = int(100·2100/2000) = 105 -> ratio 2.1 -> ceil(2.1·4) = 9.
    assert_eq!(util(4, &pods(&[450.0, 500.0, 600.0, 550.0]), 50), Ok(9));
}

#[test]
fn example_2_truncated_utilization_within_tolerance() {
    // 2090 m: util = int(104.5) = 104 -> ratio 1.04 <= 1.1 -> keep 4.
    assert_eq!(util(4, &pods(&[450.0, 500.0, 590.0, 550.0]), 100), Ok(4));
    // Without truncation 104.5 would still be in tolerance; at 2220 m (111 %) it is not.
    assert_eq!(util(4, &pods(&[555.0, 555.0, 555.0, 555.0]), 100), Ok(5));
}

#[test]
fn example_3_missing_pod_counts_zero_on_scale_up() {
    let mut p = pods(&[450.0, 500.0, 600.0, 550.0]);
    p.push(Pod::without_metrics(500.0, NOW));
    // ratio 2.1 (scale-up) -> missing pod 0 m -> util int(100·2100/2500) = 84 -> 1.68 -> 9.
    assert_eq!(util(5, &p, 50), Ok(9));
}

#[test]
fn example_4_behavior_rate_limits() {
    let b = ReplicaBounds::new(1, 100).unwrap();
    let mut hpa = HpaController::new(HpaSpec::with_default_behavior(b)).unwrap();
    // Pods -> 14, Percent -> ceil(10·2) = 20, Max -> 20.
    assert_eq!(hpa.reconcile(NOW, 10, &[Ok(30)]), 20);
    // With a +5 event 10 s ago: start = 5 -> Pods 9, Percent 10 -> limit 10 -> stays 10.
    let mut hpa = HpaController::new(HpaSpec::with_default_behavior(b)).unwrap();
    hpa.seed_scale_event(5, 10, NOW - 10);
    assert_eq!(hpa.reconcile(NOW, 10, &[Ok(30)]), 10);
    // 16 s later the event is out of the 15 s period: 20 again.
    assert_eq!(hpa.reconcile(NOW + 6, 10, &[Ok(30)]), 20);
}

#[test]
fn example_5_scale_down_stabilization() {
    let b = ReplicaBounds::new(1, 100).unwrap();
    for spec in [HpaSpec::legacy(b), HpaSpec::with_default_behavior(b)] {
        let mut hpa = HpaController::new(spec).unwrap();
        hpa.seed_recommendation(10, NOW - 250);
        hpa.seed_recommendation(8, NOW - 120);
        hpa.seed_recommendation(6, NOW - 30);
        assert_eq!(hpa.reconcile(NOW, 10, &[Ok(4)]), 10);
        // Once the 10 and 8 leave the window, the max is 6.
        assert_eq!(hpa.reconcile(NOW + 200, 10, &[Ok(4)]), 6);
    }
}

#[test]
fn example_6_legacy_scale_up_limit() {
    let mut hpa = HpaController::new(HpaSpec::legacy(ReplicaBounds::new(1, 50).unwrap())).unwrap();
    assert_eq!(hpa.reconcile(NOW, 3, &[Ok(20)]), 6);
    let mut hpa = HpaController::new(HpaSpec::legacy(ReplicaBounds::new(1, 5).unwrap())).unwrap();
    assert_eq!(hpa.reconcile(NOW, 3, &[Ok(20)]), 5);
    let mut hpa = HpaController::new(HpaSpec::legacy(ReplicaBounds::new(1, 50).unwrap())).unwrap();
    assert_eq!(hpa.reconcile(NOW, 1, &[Ok(20)]), 4);
}

#[test]
fn unready_pods_count_zero_on_scale_up() {
    let mut p = pods(&[500.0, 500.0, 500.0]);
    p.push(Pod::pending(500.0, NOW));
    p.push(Pod::pending(500.0, NOW));
    // ratio 2.0 with unready pods -> util int(100·1500/2500) = 60 -> 1.2 -> ceil(6.0) = 6.
    assert_eq!(util(5, &p, 50), Ok(6));
    // On a scale-down unready pods are simply left out: ratio 0.4 over the 3 ready pods.
    let mut p = pods(&[100.0, 100.0, 100.0]);
    p.push(Pod::pending(500.0, NOW));
    assert_eq!(util(4, &p, 50), Ok(2)); // ceil(0.4·3) = 2
}

#[test]
fn missing_pods_count_their_request_on_scale_down() {
    let mut p = pods(&[100.0, 100.0, 100.0, 100.0]);
    p.push(Pod::without_metrics(500.0, NOW));
    // ratio 0.4 -> missing counts 500 m -> util int(100·900/2500) = 36 -> 0.72 -> ceil(3.6) = 4.
    assert_eq!(util(5, &p, 50), Ok(4));
}

#[test]
fn direction_flip_keeps_current() {
    // Ratio 1.2 > 1 from 1 ready pod, but 3 unready pods dilute it to 0.3 < 1: keep.
    let mut p = pods(&[300.0]);
    for _ in 0..3 {
        p.push(Pod::pending(500.0, NOW));
    }
    assert_eq!(util(4, &p, 50), Ok(4));
}

#[test]
fn no_metrics_and_missing_requests_are_errors() {
    let p = vec![Pod::pending(500.0, NOW)];
    assert_eq!(util(1, &p, 50), Err(MetricError::NoMetrics));
    let mut p = pods(&[100.0]);
    p[0].request = None;
    assert_eq!(util(1, &p, 50), Err(MetricError::MissingRequest { pod: 0 }));
}

#[test]
fn cpu_readiness_rules() {
    let cfg = ReadinessConfig::default();
    // Young pod (inside 5 min), ready, but its sample predates readiness + window: unready.
    let mut p = Pod::running(500.0, 100.0, NOW);
    p.start_time = Some(NOW - 60);
    p.last_ready_transition = NOW - 20;
    p.sample.as_mut().unwrap().window = 30;
    assert_eq!(classify(&p, true, NOW, &cfg), PodGroup::Unready);
    // ... the same pod on a non-CPU metric is ready.
    assert_eq!(classify(&p, false, NOW, &cfg), PodGroup::Ready);
    // Old pod, Ready=False, never ready (start + 30 s > transition): unready.
    let mut p = Pod::running(500.0, 100.0, NOW);
    p.ready = Some(false);
    p.last_ready_transition = p.start_time.unwrap() + 10;
    assert_eq!(classify(&p, true, NOW, &cfg), PodGroup::Unready);
    // Old pod, Ready=False after having been ready: its sample is used.
    p.last_ready_transition = p.start_time.unwrap() + 600;
    assert_eq!(classify(&p, true, NOW, &cfg), PodGroup::Ready);
    // Deleting pods are ignored, missing Ready condition -> unready.
    let mut p = Pod::running(500.0, 100.0, NOW);
    p.deleting = true;
    assert_eq!(classify(&p, true, NOW, &cfg), PodGroup::Ignored);
    let mut p = Pod::running(500.0, 100.0, NOW);
    p.ready = None;
    assert_eq!(classify(&p, true, NOW, &cfg), PodGroup::Unready);
}

#[test]
fn pods_metric_average_value() {
    let p: Vec<Pod> = [10.0, 20.0, 30.0]
        .iter()
        .map(|&v| Pod::running(1.0, v, NOW))
        .collect();
    let n = plain_metric_replicas(
        3,
        &p,
        false,
        10.0,
        Tolerance::default(),
        NOW,
        &ReadinessConfig::default(),
    );
    assert_eq!(n, Ok(6)); // usage 20 / target 10 = 2 -> ceil(2·3)
    // A missing pod on scale-down counts the target.
    let mut p: Vec<Pod> = [2.0, 2.0]
        .iter()
        .map(|&v| Pod::running(1.0, v, NOW))
        .collect();
    p.push(Pod::without_metrics(1.0, NOW));
    let n = plain_metric_replicas(
        3,
        &p,
        false,
        10.0,
        Tolerance::default(),
        NOW,
        &ReadinessConfig::default(),
    );
    // ratio 0.2 -> (2+2+10)/3 = 4.666 -> 0.4666 -> ceil(1.4) = 2.
    assert_eq!(n, Ok(2));
}

#[test]
fn value_metrics() {
    let tol = Tolerance::default();
    assert_eq!(
        value_metric_replicas(4, 4, 4, 300.0, ValueTarget::Value(100.0), tol),
        Ok(12)
    );
    assert_eq!(
        value_metric_replicas(4, 4, 4, 105.0, ValueTarget::Value(100.0), tol),
        Ok(4)
    );
    assert_eq!(
        value_metric_replicas(0, 0, 0, 250.0, ValueTarget::Value(100.0), tol),
        Ok(3)
    );
    assert_eq!(
        value_metric_replicas(5, 5, 5, 52.0, ValueTarget::AverageValue(10.0), tol),
        Ok(5)
    );
}

#[test]
fn several_metrics_take_the_max_and_guard_broken_ones() {
    let b = ReplicaBounds::new(1, 50).unwrap();
    let mut hpa = HpaController::new(HpaSpec::legacy(b)).unwrap();
    assert_eq!(hpa.reconcile(NOW, 5, &[Ok(3), Ok(7)]), 7);
    let mut hpa = HpaController::new(HpaSpec::legacy(b)).unwrap();
    // A broken metric blocks a scale-down ...
    assert_eq!(
        hpa.reconcile(NOW, 5, &[Err(MetricError::NoMetrics), Ok(3)]),
        5
    );
    // ... but not a scale-up.
    assert_eq!(
        hpa.reconcile(NOW, 5, &[Err(MetricError::NoMetrics), Ok(8)]),
        8
    );
    // All broken: no scaling.
    assert_eq!(hpa.reconcile(NOW, 5, &[Err(MetricError::NoMetrics)]), 5);
    // Out-of-bounds current is corrected first.
    assert_eq!(hpa.reconcile(NOW, 60, &[Ok(60)]), 50);
}

#[test]
fn select_policy_min_and_disabled() {
    let b = ReplicaBounds::new(1, 100).unwrap();
    let mut behavior = Behavior::default();
    behavior.scale_up.select_policy = SelectPolicy::Min;
    let spec = HpaSpec {
        behavior: Some(behavior.clone()),
        ..HpaSpec::legacy(b)
    };
    assert_eq!(
        HpaController::new(spec)
            .unwrap()
            .reconcile(NOW, 10, &[Ok(30)]),
        14
    );
    behavior.scale_up.select_policy = SelectPolicy::Disabled;
    let spec = HpaSpec {
        behavior: Some(behavior.clone()),
        ..HpaSpec::legacy(b)
    };
    assert_eq!(
        HpaController::new(spec)
            .unwrap()
            .reconcile(NOW, 10, &[Ok(30)]),
        10
    );
    // Scale-down: window 0, Pods 2 per 60 s -> 8, and a second step within 60 s stays.
    behavior.scale_down.stabilization_window_seconds = 0;
    behavior.scale_down.policies = vec![RatePolicy {
        kind: RateKind::Pods,
        value: 2,
        period_seconds: 60,
    }];
    let spec = HpaSpec {
        behavior: Some(behavior),
        ..HpaSpec::legacy(b)
    };
    let mut hpa = HpaController::new(spec).unwrap();
    assert_eq!(hpa.reconcile(NOW, 10, &[Ok(1)]), 8);
    assert_eq!(hpa.reconcile(NOW + 15, 8, &[Ok(1)]), 8);
    assert_eq!(hpa.reconcile(NOW + 61, 8, &[Ok(1)]), 6);
}

#[test]
fn default_scale_down_percent_truncates() {
    let b = ReplicaBounds::new(2, 100).unwrap();
    let mut behavior = Behavior::default();
    behavior.scale_down.stabilization_window_seconds = 0;
    behavior.scale_down.policies[0].value = 30; // int(10·0.7) = 7
    let spec = HpaSpec {
        behavior: Some(behavior),
        ..HpaSpec::legacy(b)
    };
    let mut hpa = HpaController::new(spec).unwrap();
    assert_eq!(hpa.reconcile(NOW, 10, &[Ok(1)]), 7);
}

#[test]
fn keda_hpa_formula() {
    assert_eq!(keda_hpa_replicas(125.0, 10.0, 5), 13);
    // |52/(10·5) − 1| = 0.04 <= 0.1: no change.
    assert_eq!(keda_hpa_replicas(52.0, 10.0, 5), 5);
}

#[test]
fn keda_activation_overrides_the_hpa() {
    let mut cfg = KedaConfig::new(10.0, 100).unwrap();
    cfg.activation_threshold = 50.0;
    let mut act = Activation::new(cfg.clone());
    // Created at NOW with 4 replicas; M = 40 <= 50: inactive, never active, initial cooldown
    // 0 -> scaled to 0 once NOW + 0 < now, even though the HPA would want ceil(40/10) = 4.
    assert_eq!(act.check(NOW, 40.0, 4), None);
    assert_eq!(act.check(NOW + 30, 40.0, 4), Some(0));
    // Active from zero: to 1 (minReplicaCount 0).
    assert_eq!(act.check(NOW + 60, 60.0, 0), Some(1));
    // Active with replicas: leave it to the HPA.
    assert_eq!(act.check(NOW + 90, 60.0, 6), None);
    // Inactive again: cooldown 300 s from the last active time (NOW + 90).
    assert_eq!(act.check(NOW + 300, 10.0, 6), None);
    assert_eq!(act.check(NOW + 391, 10.0, 6), Some(0));
    // With minReplicaCount 2: inactive below min -> min; active from 0 -> min.
    cfg.min_replica_count = 2;
    let mut act = Activation::new(cfg.clone());
    assert_eq!(act.check(NOW, 10.0, 1), Some(2));
    assert_eq!(act.check(NOW + 30, 60.0, 0), Some(2));
    // Idle replicas: inactive above idle -> idle after cooldown; active below min -> min.
    cfg.idle_replica_count = Some(0);
    let mut act = Activation::new(cfg);
    assert_eq!(act.check(NOW, 10.0, 3), None);
    assert_eq!(act.check(NOW + 1, 10.0, 3), Some(0));
    assert_eq!(act.check(NOW + 2, 80.0, 0), Some(2));
}

#[test]
fn invalid_specs_are_rejected() {
    assert!(ReplicaBounds::new(5, 2).is_err());
    let mut b = Behavior::default();
    b.scale_up.policies[0].period_seconds = 0;
    let spec = HpaSpec {
        behavior: Some(b),
        ..HpaSpec::legacy(ReplicaBounds::new(1, 3).unwrap())
    };
    assert!(HpaController::new(spec).is_err());
    assert!(KedaConfig::new(0.0, 10).is_err());
}
