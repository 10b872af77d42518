//! Criterion benches of the trace replay:
//! - one 30-minute replay at 15 s sync (120 steps, 60 s start-up) with HPA and with a
//!   predictive seasonal-naive policy, and with the guarded hybrid (its `prepare` fits and
//!   calibrates on the history, so that is included);
//! - the protocol: HPA + reactive + one predictive and one hybrid-max policy per baseline
//!   model (naive, seasonal-naive, drift, moving-average) × 3 scenarios (low, medium, high)
//!   × 10 iterations of 30 simulated minutes on `forecast_core::generate` traces.

use criterion::{Criterion, criterion_group, criterion_main};
use forecast_autoscale::guard::{GuardConfig, GuardedHybrid};
use forecast_autoscale::hpa::{HpaConfig, HpaPolicy};
use forecast_autoscale::hybrid::{HybridPolicy, HybridStrategy};
use forecast_autoscale::planner::{Planner, PlannerConfig};
use forecast_autoscale::predictive::PredictivePolicy;
use forecast_autoscale::reactive::{ReactiveConfig, ReactivePolicy};
use forecast_autoscale::{ReplayConfig, ScalingPolicy, run_protocol, simulate};
use forecast_core::Forecaster;
use forecast_core::Series;
use forecast_core::baselines::{Drift, MovingAverage, Naive, SeasonalNaive};
use forecast_core::generate::{GenerateConfig, Scenario, generate};
use std::hint::black_box;

const CAP: f64 = 50.0;

fn trace(scenario: Scenario, seed: u64) -> Series {
    generate(&GenerateConfig {
        scenario,
        days: 0.25,
        step: 15,
        seed,
        start: 1_704_067_200 + 8 * 3600,
    })
    .unwrap()
}

fn config(history: usize) -> ReplayConfig {
    let mut cfg = ReplayConfig::new(CAP).unwrap();
    cfg.history_points = history;
    cfg
}

fn policies() -> Vec<Box<dyn ScalingPolicy>> {
    let planner = || Planner::new(PlannerConfig::new(CAP, 1, 60).unwrap()).unwrap();
    let react = || ReactivePolicy::new(ReactiveConfig::new(CAP, 1, 60).unwrap()).unwrap();
    let models: Vec<Box<dyn Forecaster>> = vec![
        Box::new(Naive::new()),
        Box::new(SeasonalNaive::new(40).unwrap()),
        Box::new(Drift::new()),
        Box::new(MovingAverage::new(8).unwrap()),
    ];
    let mut out: Vec<Box<dyn ScalingPolicy>> = vec![
        Box::new(HpaPolicy::new(HpaConfig::new(1, 60).unwrap().with_cpu_target(70)).unwrap()),
        Box::new(react()),
    ];
    for m in &models {
        out.push(Box::new(
            PredictivePolicy::new(m.clone(), planner()).with_max_context(480),
        ));
        let pred = PredictivePolicy::new(m.clone(), planner()).with_max_context(480);
        out.push(Box::new(
            HybridPolicy::new(pred, react(), HybridStrategy::MaxSafety).unwrap(),
        ));
    }
    out
}

fn single_replay(c: &mut Criterion) {
    let t = trace(Scenario::High, 1);
    let cfg = config(t.len() - 120);
    let mut hpa = HpaPolicy::new(HpaConfig::new(1, 60).unwrap().with_cpu_target(70)).unwrap();
    c.bench_function("replay_30min_15s_hpa", |b| {
        b.iter(|| simulate(black_box(&t), &mut hpa, &cfg).unwrap())
    });
    let mut pred = PredictivePolicy::new(
        Box::new(SeasonalNaive::new(40).unwrap()),
        Planner::new(PlannerConfig::new(CAP, 1, 60).unwrap()).unwrap(),
    )
    .with_max_context(480);
    c.bench_function("replay_30min_15s_predictive_seasonal_naive", |b| {
        b.iter(|| simulate(black_box(&t), &mut pred, &cfg).unwrap())
    });
    let mut guard = GuardedHybrid::new(
        Box::new(SeasonalNaive::new(40).unwrap()),
        GuardConfig::new(CAP, 1, 60).unwrap(),
    )
    .unwrap()
    .with_max_context(480);
    c.bench_function("replay_30min_15s_hybrid_guard_seasonal_naive", |b| {
        b.iter(|| simulate(black_box(&t), &mut guard, &cfg).unwrap())
    });
}

fn protocol(c: &mut Criterion) {
    let traces: Vec<Vec<Series>> = Scenario::ALL
        .iter()
        .map(|&s| (1..=10).map(|seed| trace(s, seed)).collect())
        .collect();
    let cfg = config(traces[0][0].len() - 120);
    let pols = policies();
    let mut g = c.benchmark_group("protocol");
    g.sample_size(10);
    g.bench_function("10_policies_x_3_scenarios_x_10_iterations", |b| {
        b.iter(|| {
            for ts in &traces {
                black_box(run_protocol(ts, &pols, &cfg).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, single_replay, protocol);
criterion_main!(benches);
