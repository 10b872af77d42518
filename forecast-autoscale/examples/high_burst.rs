//! Compares HPA with reactive, predictive and hybrid policies on bursty HIGH-load traces
//! (30-minute replay windows at 15 s, 60 s pod start-up), 10 seeds each, and prints
//! mean ± sd tables.
//!
//! Two trace families:
//! - `generate-high`: `forecast_core::generate` HIGH scenario (350–600 RPS, 3 bursts/day),
//!   6 h at 15 s from 08:00 UTC; the last 30 min are replayed, the rest is history.
//! - `bursty-high`: a burst-heavy HIGH-like trace made here with a seeded ChaCha8 RNG:
//!   `500 + 100·sin(2πk/40) + N(0, 20²)` RPS plus bursts (on average 4 per 30 min, +300..700
//!   RPS for 1–4 min, 2-step ramp); 2 h of history, then 30 min replayed.
//!
//! Run: `cargo run -p forecast-autoscale --example high_burst`

use forecast_autoscale::guard::{GuardConfig, GuardedHybrid};
use forecast_autoscale::hpa::{Behavior, HpaConfig, HpaPolicy};
use forecast_autoscale::hybrid::{HybridPolicy, HybridStrategy};
use forecast_autoscale::planner::{PlanMode, Planner, PlannerConfig};
use forecast_autoscale::predictive::PredictivePolicy;
use forecast_autoscale::reactive::{ReactiveConfig, ReactivePolicy, Thresholds};
use forecast_autoscale::statuscale::{StatuScaleConfig, StatuScalePolicy};
use forecast_autoscale::{ReplayConfig, ScalingPolicy, run_protocol};
use forecast_core::Forecaster;
use forecast_core::Series;
use forecast_core::baselines::{Drift, Naive, SeasonalNaive};
use forecast_core::generate::{GenerateConfig, Scenario, generate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CAP: f64 = 50.0;
const MIN: u32 = 1;
const MAX: u32 = 60;

fn bursty_high(seed: u64) -> Series {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = 600;
    let mut burst_left = 0usize;
    let mut burst_len = 0usize;
    let mut amp = 0.0;
    let v: Vec<f64> = (0..n)
        .map(|k| {
            let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            if burst_left == 0 && rng.random::<f64>() < 4.0 / 120.0 {
                burst_len = rng.random_range(4..=16);
                burst_left = burst_len;
                amp = rng.random_range(300.0..700.0);
            }
            let mut burst = 0.0;
            if burst_left > 0 {
                let age = burst_len - burst_left;
                burst = amp * ((age + 1) as f64 / 2.0).min(1.0);
                burst_left -= 1;
            }
            let base = 500.0 + 100.0 * (2.0 * std::f64::consts::PI * k as f64 / 40.0).sin();
            (base + 20.0 * z + burst).max(0.0)
        })
        .collect();
    Series::new(1_704_067_200, 15, v).unwrap()
}

fn generated_high(seed: u64) -> Series {
    generate(&GenerateConfig {
        scenario: Scenario::High,
        days: 0.25,
        step: 15,
        seed,
        start: 1_704_067_200 + 8 * 3600,
    })
    .unwrap()
}

fn policies() -> Vec<Box<dyn ScalingPolicy>> {
    let planner = || Planner::new(PlannerConfig::new(CAP, MIN, MAX).unwrap()).unwrap();
    let react = || ReactivePolicy::new(ReactiveConfig::new(CAP, MIN, MAX).unwrap()).unwrap();
    let models: Vec<Box<dyn Forecaster>> = vec![
        Box::new(SeasonalNaive::new(40).unwrap()),
        Box::new(Drift::new()),
        Box::new(Naive::new()),
    ];
    let hpa = HpaConfig::new(MIN, MAX).unwrap().with_cpu_target(70);
    let mut out: Vec<Box<dyn ScalingPolicy>> = vec![
        Box::new(HpaPolicy::new(hpa.clone()).unwrap()),
        Box::new(
            HpaPolicy::new(hpa.with_behavior(Some(Behavior::default())))
                .unwrap()
                .named("hpa-behavior"),
        ),
        Box::new(react()),
        Box::new(StatuScalePolicy::new(StatuScaleConfig::new(MIN, MAX).unwrap()).unwrap()),
    ];
    for m in &models {
        out.push(Box::new(
            PredictivePolicy::new(m.clone(), planner()).with_max_context(480),
        ));
    }
    for m in &models {
        for strategy in [
            HybridStrategy::MaxSafety,
            HybridStrategy::ReactiveOverride { d: 2 },
        ] {
            let pred = PredictivePolicy::new(m.clone(), planner()).with_max_context(480);
            out.push(Box::new(
                HybridPolicy::new(pred, react(), strategy).unwrap(),
            ));
        }
    }
    // Variants: scale-down held 300 s after the last action (like the HPA's stabilisation),
    // upper-interval planning, and a cheaper target.
    for (label, hold, mode, u_tgt, headroom) in [
        ("hold300", 300, PlanMode::Point, 0.7, 0.1),
        (
            "hold300-upper80",
            300,
            PlanMode::Upper { level: 80.0 },
            0.7,
            0.1,
        ),
        ("hold300-u80-h0", 300, PlanMode::Point, 0.8, 0.0),
        ("hold180-u75-h0", 180, PlanMode::Point, 0.75, 0.0),
    ] {
        for m in &models {
            let mut pc = PlannerConfig::new(CAP, MIN, MAX).unwrap();
            pc.mode = mode;
            pc.target_utilization = u_tgt;
            pc.headroom = headroom;
            let mut rc = ReactiveConfig::new(CAP, MIN, MAX).unwrap();
            rc.cooldown_down = hold;
            rc.thresholds = Thresholds::Linear {
                up: u_tgt.max(0.8),
                target: u_tgt,
                down: 0.5,
            };
            let pred =
                PredictivePolicy::new(m.clone(), Planner::new(pc).unwrap()).with_max_context(480);
            let react = ReactivePolicy::new(rc).unwrap();
            let h = HybridPolicy::new(pred, react, HybridStrategy::MaxSafety).unwrap();
            let name = format!("{}-{label}", h.name());
            out.push(Box::new(h.named(name)));
        }
    }
    // Guarded hybrids: band = conformal quantile of the model's own lead-time errors,
    // reactive floor, scale-down only when the forecast from now to t + L + P allows it.
    for (label, q, u, hold, cal, anchor) in [
        ("a", 0.95, 0.95, 60, 60, false),
        ("b", 0.95, 0.95, 60, 480, false),
        ("c", 0.95, 0.95, 60, 60, true),
        ("d", 0.95, 0.95, 60, 480, true),
        ("e", 0.9, 0.95, 60, 480, true),
        ("f", 0.9, 1.0, 60, 480, true),
        ("g", 0.8, 1.0, 60, 480, true),
        ("h", 0.95, 1.0, 0, 480, true),
        ("i", 0.9, 1.0, 0, 480, true),
    ] {
        for m in &models {
            let mut g = GuardConfig::new(CAP, MIN, MAX).unwrap();
            g.quantile = q;
            g.target_utilization = u;
            g.down_hold = hold;
            g.calibration_points = cal;
            g.error_window = cal.max(120);
            g.anchor_latest = anchor;
            let h = GuardedHybrid::new(m.clone(), g)
                .unwrap()
                .with_max_context(480);
            let name = format!("{}-{label}-q{q}-u{u}-h{hold}-c{cal}-{anchor}", h.name());
            out.push(Box::new(h.named(name)));
        }
    }
    out
}

fn table(title: &str, traces: &[Series], history: usize) {
    let mut cfg = ReplayConfig::new(CAP).unwrap();
    cfg.history_points = history;
    cfg.startup_delay = 60;
    cfg.sync_period = 15;
    let rep = run_protocol(traces, &policies(), &cfg).unwrap();
    println!(
        "\n### {title} ({} traces, capacity {CAP} RPS/pod, start-up 60 s)\n",
        traces.len()
    );
    println!(
        "| policy | SLO-violation s | share % | pod-minutes | unserved req | ups | downs | θ_U % | θ_O % |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for s in &rep.summaries {
        let m = |n: &str| s.metric(n).unwrap();
        let pm = |n: &str| format!("{:.1} ± {:.1}", m(n).mean, m(n).sd);
        println!(
            "| {} | {} | {:.1} | {} | {:.0} | {:.1} | {:.1} | {:.2} | {:.1} |",
            s.policy,
            pm("slo_violation_seconds"),
            100.0 * m("slo_violation_share").mean,
            pm("pod_minutes"),
            m("unserved").mean,
            m("scale_ups").mean,
            m("scale_downs").mean,
            m("accuracy_u").mean,
            m("accuracy_o").mean,
        );
    }
    let hpa = &rep.summaries[0];
    let (hv, hp) = (
        hpa.metric("slo_violation_seconds").unwrap().mean,
        hpa.metric("pod_minutes").unwrap().mean,
    );
    println!(
        "\nRelative to {} (violation {hv:.1} s, {hp:.1} pod-min):",
        hpa.policy
    );
    for s in rep
        .summaries
        .iter()
        .filter(|s| s.policy.starts_with("hybrid"))
    {
        let v = s.metric("slo_violation_seconds").unwrap().mean;
        let p = s.metric("pod_minutes").unwrap().mean;
        let ok = v <= 0.5 * hv && p <= hp;
        println!(
            "  {:<48} violation {:+6.1} %  pod-minutes {:+6.1} %{}",
            s.policy,
            100.0 * (v / hv - 1.0),
            100.0 * (p / hp - 1.0),
            if ok { "  <- meets the target" } else { "" }
        );
    }
}

fn main() {
    // `cargo run --example high_burst -- 101` uses seeds 101..=110 (tuning seeds).
    let first: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let seeds = first..=first + 9;
    let generated: Vec<Series> = seeds.clone().map(generated_high).collect();
    let n = generated[0].len();
    table("generate-high", &generated, n - 120);
    let bursty: Vec<Series> = seeds.map(bursty_high).collect();
    table("bursty-high", &bursty, 480);
}
