//! Trace replay: typed errors on bad input, no future data reaching a forecaster, determinism,
//! and proptests (no panic, replicas within bounds) over every policy.

use std::sync::{Arc, Mutex};

use forecast_autoscale::guard::{GuardConfig, GuardedHybrid};
use forecast_autoscale::hpa::{Behavior, HpaConfig, HpaPolicy};
use forecast_autoscale::hybrid::{FallbackConfig, HybridPolicy, HybridStrategy};
use forecast_autoscale::keda::{KedaConfig, KedaPolicy};
use forecast_autoscale::planner::{Planner, PlannerConfig};
use forecast_autoscale::predictive::PredictivePolicy;
use forecast_autoscale::reactive::{ReactiveConfig, ReactivePolicy};
use forecast_autoscale::statuscale::{StatuScaleConfig, StatuScalePolicy};
use forecast_autoscale::{
    AutoscaleError, Observation, ReplayConfig, ReplicaBounds, ScalingPolicy, compare, run_protocol,
    simulate, trace_from_values,
};
use forecast_core::baselines::{Drift, Naive, SeasonalNaive};
use forecast_core::{Forecast, Forecaster, Series};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq)]
enum Event {
    Fit(Option<i64>),
    Decide(i64),
    Forecast {
        end: Option<i64>,
        values_match: bool,
    },
}

type Log = Arc<Mutex<Vec<Event>>>;

/// A forecaster that records the last timestamp of everything it is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Spy {
    #[serde(skip)]
    log: Log,
    #[serde(skip)]
    truth: Option<Series>,
    inner: Naive,
}

#[typetag::serde(name = "test-spy")]
impl Forecaster for Spy {
    fn name(&self) -> &str {
        "spy"
    }
    fn fit(&mut self, train: &Series) -> forecast_core::Result<()> {
        self.log.lock().unwrap().push(Event::Fit(train.end()));
        self.inner.fit(train)
    }
    fn is_fitted(&self) -> bool {
        self.inner.is_fitted()
    }
    fn min_train_len(&self) -> usize {
        2
    }
    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> forecast_core::Result<()> {
        let truth = self.truth.as_ref().unwrap();
        let values_match = context
            .iter()
            .all(|(ts, v)| truth.index_of(ts).is_some_and(|i| truth.values()[i] == v));
        self.log.lock().unwrap().push(Event::Forecast {
            end: context.end(),
            values_match,
        });
        self.inner.forecast_into(context, horizon, levels, out)
    }
}

/// Records each decision time before delegating.
#[derive(Debug, Clone)]
struct Recorder<P> {
    log: Log,
    inner: P,
}

impl<P: ScalingPolicy + Clone + 'static> ScalingPolicy for Recorder<P> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn bounds(&self) -> ReplicaBounds {
        self.inner.bounds()
    }
    fn prepare(&mut self, history: &Series) -> forecast_autoscale::Result<()> {
        self.inner.prepare(history)
    }
    fn decide(&mut self, obs: &Observation<'_>) -> forecast_autoscale::Result<u32> {
        self.log.lock().unwrap().push(Event::Decide(obs.now));
        self.inner.decide(obs)
    }
    fn clone_box(&self) -> Box<dyn ScalingPolicy> {
        Box::new(self.clone())
    }
}

fn burst_trace(n: usize, step: i64) -> Series {
    let v: Vec<f64> = (0..n)
        .map(|t| {
            let base = 200.0 + 100.0 * ((t as f64) * 0.2).sin();
            if (n / 2..n / 2 + 8).contains(&t) {
                base + 600.0
            } else {
                base
            }
        })
        .collect();
    Series::new(1_700_000_000, step, v).unwrap()
}

fn check_no_leak(log: &Log, t0: i64, lag: i64) {
    let events = log.lock().unwrap().clone();
    let mut last_decision: Option<i64> = None;
    let mut forecasts = 0;
    for e in &events {
        match e {
            Event::Fit(end) => {
                let end = end.unwrap();
                assert!(
                    end <= t0 - lag,
                    "fit saw {end} > replay start {t0} − lag {lag}"
                );
            }
            Event::Decide(now) => last_decision = Some(*now),
            Event::Forecast { end, values_match } => {
                // Before the first decision (calibration in `prepare`): history only.
                let now = last_decision.unwrap_or(t0);
                let end = end.expect("empty context");
                assert!(
                    end <= now - lag,
                    "context ends at {end}, decision at {now}, lag {lag}"
                );
                assert!(values_match);
                forecasts += 1;
            }
        }
    }
    assert!(forecasts > 10, "only {forecasts} forecasts");
}

#[test]
fn predictive_policies_see_no_future_data() {
    let trace = burst_trace(200, 15);
    for lag in [0, 15, 40] {
        let log: Log = Arc::default();
        let spy = Spy {
            log: log.clone(),
            truth: Some(trace.clone()),
            inner: Naive::new(),
        };
        let mut pc = PlannerConfig::new(100.0, 1, 30).unwrap();
        pc.decision_period = 15;
        let pred = PredictivePolicy::new(Box::new(spy), Planner::new(pc).unwrap());
        let mut policy = Recorder {
            log: log.clone(),
            inner: pred.clone(),
        };
        let mut cfg = ReplayConfig::new(100.0).unwrap();
        cfg.history_points = 40;
        cfg.metric_lag = lag;
        cfg.sync_period = 5; // finer than the trace step: decisions inside a step
        simulate(&trace, &mut policy, &cfg).unwrap();
        check_no_leak(&log, trace.timestamp(40), lag);

        // Same through a hybrid.
        let log2: Log = Arc::default();
        let spy = Spy {
            log: log2.clone(),
            truth: Some(trace.clone()),
            inner: Naive::new(),
        };
        let pc = PlannerConfig::new(100.0, 1, 30).unwrap();
        let pred = PredictivePolicy::new(Box::new(spy), Planner::new(pc).unwrap());
        let react = ReactivePolicy::new(ReactiveConfig::new(100.0, 1, 30).unwrap()).unwrap();
        let hybrid = HybridPolicy::new(pred, react, HybridStrategy::MaxSafety).unwrap();
        let mut policy = Recorder {
            log: log2.clone(),
            inner: hybrid,
        };
        simulate(&trace, &mut policy, &cfg).unwrap();
        check_no_leak(&log2, trace.timestamp(40), lag);

        // Same through the guarded hybrid, whose `prepare` also calibrates its band.
        let log3: Log = Arc::default();
        let spy = Spy {
            log: log3.clone(),
            truth: Some(trace.clone()),
            inner: Naive::new(),
        };
        let mut g = GuardConfig::new(100.0, 1, 30).unwrap();
        g.lead_time = 60 + lag;
        let guard = GuardedHybrid::new(Box::new(spy), g).unwrap();
        let mut policy = Recorder {
            log: log3.clone(),
            inner: guard,
        };
        simulate(&trace, &mut policy, &cfg).unwrap();
        check_no_leak(&log3, trace.timestamp(40), lag);
    }
}

#[test]
fn bad_input_gives_typed_errors() {
    assert!(matches!(
        ReplayConfig::new(0.0),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ReplayConfig::new(-3.0),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    assert!(matches!(
        HpaConfig::new(5, 2),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ReactiveConfig::new(10.0, 5, 2),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    assert!(matches!(
        trace_from_values(0, 15, vec![]),
        Err(AutoscaleError::EmptyTrace { .. })
    ));
    let e = trace_from_values(0, 15, vec![1.0, f64::NAN]).unwrap_err();
    assert!(matches!(
        e,
        AutoscaleError::InvalidDemand {
            row: 1,
            timestamp: 15,
            ..
        }
    ));
    let core: forecast_core::Error = e.into();
    assert!(matches!(
        core,
        forecast_core::Error::NonFinite { row: 1, .. }
    ));
    assert!(matches!(
        trace_from_values(0, 15, vec![1.0, f64::INFINITY]),
        Err(AutoscaleError::InvalidDemand { .. })
    ));
    assert!(matches!(
        trace_from_values(0, 15, vec![1.0, -2.0]),
        Err(AutoscaleError::InvalidDemand { row: 1, .. })
    ));

    let trace = burst_trace(20, 15);
    let mut hpa = HpaPolicy::new(HpaConfig::new(1, 5).unwrap()).unwrap();
    let mut cfg = ReplayConfig::new(100.0).unwrap();
    cfg.capacity = 0.0;
    assert!(matches!(
        simulate(&trace, &mut hpa, &cfg),
        Err(AutoscaleError::InvalidParameter { .. })
    ));
    let cfg = ReplayConfig::new(100.0).unwrap();
    let empty = trace.window(0..0);
    assert!(matches!(
        simulate(&empty, &mut hpa, &cfg),
        Err(AutoscaleError::EmptyTrace { .. })
    ));
    let mut cfg2 = cfg.clone();
    cfg2.history_points = 20;
    assert!(simulate(&trace, &mut hpa, &cfg2).is_err());
    // A predictive policy without enough history is a typed forecaster error.
    let pred = PredictivePolicy::new(
        Box::new(SeasonalNaive::new(24).unwrap()),
        Planner::new(PlannerConfig::new(100.0, 1, 5).unwrap()).unwrap(),
    );
    let err = compare(&trace, vec![Box::new(pred)], &cfg).unwrap_err();
    assert!(matches!(
        err,
        AutoscaleError::Forecast(forecast_core::Error::TooShort { .. })
    ));
    assert!(err.is_input_error());
}

#[test]
fn replay_is_deterministic_and_compare_matches_simulate() {
    let trace = burst_trace(240, 15);
    let mut cfg = ReplayConfig::new(100.0).unwrap();
    cfg.history_points = 48;
    cfg.record_timeline = true;
    let policies = all_policies(1, 20, 100.0);
    let a = compare(&trace, policies.clone(), &cfg).unwrap();
    let b = compare(&trace, policies.clone(), &cfg).unwrap();
    assert_eq!(a, b);
    for (p, r) in policies.into_iter().zip(&a) {
        let mut p = p;
        let single = simulate(&trace, p.as_mut(), &cfg).unwrap();
        assert_eq!(&single, r);
        let tl = r.timeline.as_ref().unwrap();
        assert_eq!(tl.timestamps.len(), 192);
        // Bookkeeping: supply never exceeds allocation; pod-minutes from allocation.
        assert!(tl.ready.iter().zip(&tl.allocated).all(|(s, a)| s <= a));
        let pm: f64 = tl.allocated.iter().map(|&a| a as f64 * 15.0 / 60.0).sum();
        assert!((pm - r.pod_minutes).abs() < 1e-9);
    }
}

#[test]
fn startup_delay_delays_supply() {
    // Step from 60 to 1000 RPS with capacity 100: required jumps from 1 to 10.
    let v: Vec<f64> = (0..40)
        .map(|t| if t < 10 { 60.0 } else { 1000.0 })
        .collect();
    let trace = Series::new(0, 15, v).unwrap();
    let mut cfg = ReplayConfig::new(100.0).unwrap();
    cfg.record_timeline = true;
    let mut r = ReactivePolicy::new(ReactiveConfig::new(100.0, 1, 20).unwrap()).unwrap();
    let rep = simulate(&trace, &mut r, &cfg).unwrap();
    let tl = rep.timeline.unwrap();
    let first_up = tl.allocated.iter().position(|&a| a > 1).unwrap();
    assert_eq!(first_up, 10);
    // 60 s start-up = 4 steps.
    assert_eq!(tl.ready[first_up + 3], 1);
    assert!(tl.ready[first_up + 4] > 1);
    cfg.startup_delay = 0;
    let mut r = ReactivePolicy::new(ReactiveConfig::new(100.0, 1, 20).unwrap()).unwrap();
    let rep0 = simulate(&trace, &mut r, &cfg).unwrap();
    assert!(rep0.slo_violation_seconds < rep.slo_violation_seconds);
    assert!(rep.slo_violation_share > 0.0 && rep.slo_violation_share < 1.0);
}

fn all_policies(min: u32, max: u32, cap: f64) -> Vec<Box<dyn ScalingPolicy>> {
    let planner = || Planner::new(PlannerConfig::new(cap, min, max).unwrap()).unwrap();
    let react = || ReactivePolicy::new(ReactiveConfig::new(cap, min, max).unwrap()).unwrap();
    let hpa_cfg = HpaConfig::new(min, max).unwrap().with_cpu_target(70);
    let mut keda_cfg = KedaConfig::new(cap * 0.7, max).unwrap();
    keda_cfg.activation_threshold = cap * 0.05;
    let hybrid_fb = HybridPolicy::new(
        PredictivePolicy::new(Box::new(Naive::new()), planner()),
        react(),
        HybridStrategy::ReactiveOverride { d: 2 },
    )
    .unwrap()
    .with_fallback(
        FallbackConfig {
            max_error: 0.2,
            min_matches: 3,
        },
        HpaPolicy::new(hpa_cfg.clone()).unwrap(),
    )
    .unwrap();
    vec![
        Box::new(HpaPolicy::new(hpa_cfg.clone()).unwrap()),
        Box::new(
            HpaPolicy::new(hpa_cfg.clone().with_behavior(Some(Behavior::default())))
                .unwrap()
                .named("hpa-behavior"),
        ),
        Box::new(KedaPolicy::new(keda_cfg).unwrap()),
        Box::new(react()),
        Box::new(PredictivePolicy::new(Box::new(Drift::new()), planner())),
        Box::new(
            HybridPolicy::new(
                PredictivePolicy::new(Box::new(Naive::new()), planner()),
                react(),
                HybridStrategy::MaxSafety,
            )
            .unwrap(),
        ),
        Box::new(
            HybridPolicy::new(
                PredictivePolicy::new(Box::new(Drift::new()), planner()),
                react(),
                HybridStrategy::WeightedBlend { w: 0.5 },
            )
            .unwrap(),
        ),
        Box::new(hybrid_fb),
        Box::new(StatuScalePolicy::new(StatuScaleConfig::new(min, max).unwrap()).unwrap()),
        Box::new(
            GuardedHybrid::new(
                Box::new(Drift::new()),
                GuardConfig::new(cap, min, max).unwrap(),
            )
            .unwrap()
            .with_max_context(60),
        ),
    ]
}

#[test]
fn protocol_summaries() {
    let traces: Vec<Series> = (0..3).map(|k| burst_trace(120 + 10 * k, 15)).collect();
    let mut cfg = ReplayConfig::new(100.0).unwrap();
    cfg.history_points = 20;
    let policies = all_policies(1, 15, 100.0);
    let rep = run_protocol(&traces, &policies, &cfg).unwrap();
    assert_eq!(rep.runs.len(), policies.len() * 3);
    assert_eq!(rep.summaries.len(), policies.len());
    for (s, p) in rep.summaries.iter().zip(&policies) {
        assert_eq!(s.policy, p.name());
        assert_eq!(s.runs, 3);
        let pm = s.metric("pod_minutes").unwrap();
        let runs: Vec<f64> = rep
            .runs
            .iter()
            .filter(|r| r.policy == s.policy)
            .map(|r| r.pod_minutes)
            .collect();
        let mean = runs.iter().sum::<f64>() / 3.0;
        assert!((pm.mean - mean).abs() < 1e-9);
    }
    assert!(run_protocol(&[], &policies, &cfg).is_err());
    assert!(rep.failed.is_empty());
}

#[test]
fn protocol_leaves_out_a_policy_that_fails_and_keeps_the_rest() {
    let traces: Vec<Series> = (0..2).map(|k| burst_trace(120 + 10 * k, 15)).collect();
    let mut cfg = ReplayConfig::new(100.0).unwrap();
    cfg.history_points = 20;
    let planner = || Planner::new(PlannerConfig::new(100.0, 1, 15).unwrap()).unwrap();
    // Season 24 cannot fit 20 points of history: a typed error on every trace.
    let failing = PredictivePolicy::new(Box::new(SeasonalNaive::new(24).unwrap()), planner());
    let fine = PredictivePolicy::new(Box::new(Naive::new()), planner());
    let policies: Vec<Box<dyn ScalingPolicy>> = vec![Box::new(failing.clone()), Box::new(fine)];
    let rep = run_protocol(&traces, &policies, &cfg).unwrap();
    assert_eq!(rep.runs.len(), 2);
    assert_eq!(rep.summaries.len(), 1);
    assert_eq!(rep.summaries[0].policy, policies[1].name());
    assert_eq!(rep.failed.len(), 1);
    assert_eq!(rep.failed[0].policy, policies[0].name());
    assert_eq!(rep.failed[0].trace, 0);
    assert!(
        rep.failed[0].error.contains("too short"),
        "{}",
        rep.failed[0].error
    );
    // When nothing completes, the first error is returned.
    let only_failing: Vec<Box<dyn ScalingPolicy>> = vec![Box::new(failing)];
    let err = run_protocol(&traces, &only_failing, &cfg).unwrap_err();
    assert!(matches!(
        err,
        AutoscaleError::Forecast(forecast_core::Error::TooShort { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_trace_never_panics_and_stays_in_bounds(
        values in proptest::collection::vec(0.0f64..5000.0, 30..150),
        cap in 1.0f64..400.0,
        min in 1u32..4,
        extra in 0u32..25,
        startup in 0i64..200,
        sync_idx in 0usize..4,
        step_idx in 0usize..3,
        lag in 0i64..60,
        init in proptest::option::of(0u32..40),
    ) {
        let max = min + extra;
        let step = [5, 15, 60][step_idx];
        let trace = Series::new(0, step, values).unwrap();
        let mut cfg = ReplayConfig::new(cap).unwrap();
        cfg.sync_period = [5, 10, 15, 30][sync_idx];
        cfg.startup_delay = startup;
        cfg.metric_lag = lag;
        // Enough history that the models see >= 6 points at the first decision.
        cfg.history_points = 6 + ((lag + step - 1) / step) as usize;
        cfg.initial_replicas = init;
        cfg.record_timeline = true;
        for mut p in all_policies(min, max, cap) {
            let b = p.bounds();
            let r = simulate(&trace, p.as_mut(), &cfg);
            prop_assert!(r.is_ok(), "{}: {:?}", p.name(), r.err());
            let r = r.unwrap();
            let tl = r.timeline.unwrap();
            prop_assert!(tl.allocated.iter().all(|&a| a >= b.min && a <= b.max), "{}", p.name());
            prop_assert!(r.slo_violation_share >= 0.0 && r.slo_violation_share <= 1.0);
            prop_assert!(r.pod_minutes.is_finite() && r.unserved >= 0.0);
        }
    }
}
