//! Parity with the peers' statsforecast backtests: Naive and SeasonalNaive(288) on two NAB
//! series, horizons [1, 12] on one origin grid, max_origins 100, season 288, fit window 2000
//! (as in the peers' run). The peers printed 6 significant digits; we round ours the same way
//! and require equality (`n_origins`, `origin_stride` and `test_start` exactly).

use forecast_core::backtest::{BacktestConfig, BacktestResult, backtest};
use forecast_core::baselines::{Naive, SeasonalNaive};
use forecast_core::{Forecaster, Series};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/backtest");

/// Reads a `timestamp,value` CSV with RFC3339 timestamps (tiny local parser; the crate's
/// own readers are tested elsewhere).
fn read_series(file: &str) -> Series {
    let text = std::fs::read_to_string(format!("{DIR}/{file}")).unwrap();
    let (mut ts, mut vs) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let (t, v) = line.split_once(',').unwrap();
        ts.push(chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp());
        vs.push(v.trim().parse::<f64>().unwrap());
    }
    Series::from_pairs(&ts, &vs, None).unwrap()
}

fn sig6(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap()
}

struct PeerRow {
    series: String,
    model: String,
    horizon: usize,
    test_start: usize,
    n_origins: usize,
    stride: usize,
    mae: f64,
    rmse: f64,
    mase: f64,
    smape: f64,
}

fn peer_rows() -> Vec<PeerRow> {
    let text = std::fs::read_to_string(format!("{DIR}/peers_naive_snaive.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            PeerRow {
                series: c[col("series")].to_string(),
                model: c[col("model")].to_string(),
                horizon: c[col("horizon")].parse().unwrap(),
                test_start: c[col("test_start")].parse().unwrap(),
                n_origins: c[col("n_origins")].parse().unwrap(),
                stride: c[col("origin_stride")].parse().unwrap(),
                mae: c[col("mae")].parse().unwrap(),
                rmse: c[col("rmse")].parse().unwrap(),
                mase: c[col("mase")].parse().unwrap(),
                smape: c[col("smape")].parse().unwrap(),
            }
        })
        .collect()
}

fn check_series(file: &str, n: usize) {
    let s = read_series(file);
    assert_eq!(s.len(), n);
    assert_eq!(s.step(), 300);
    let cfg = BacktestConfig {
        horizons: vec![1, 12],
        max_origins: Some(100),
        season: 288,
        window: Some(2000),
        ..Default::default()
    };
    let models: [(&str, Box<dyn Forecaster>); 2] = [
        ("Naive", Box::new(Naive::new())),
        ("SeasonalNaive", Box::new(SeasonalNaive::new(288).unwrap())),
    ];
    let peers = peer_rows();
    let mut checked = 0;
    for (peer_name, model) in &models {
        let r: BacktestResult = backtest(model.as_ref(), &s, &cfg).unwrap();
        for (k, &h) in [1usize, 12].iter().enumerate() {
            let p = peers
                .iter()
                .find(|p| p.series == file && p.model == *peer_name && p.horizon == h)
                .unwrap();
            let m = &r.horizons[k].pooled;
            let what = format!("{file} {peer_name} h={h}");
            assert_eq!(r.grid.t0, p.test_start, "{what} test_start");
            assert_eq!(r.grid.origins.len(), p.n_origins, "{what} n_origins");
            assert_eq!(r.grid.stride, p.stride, "{what} stride");
            assert_eq!(m.n, p.n_origins * h, "{what} n");
            for (name, ours, theirs) in [
                ("mae", m.mae, p.mae),
                ("rmse", m.rmse, p.rmse),
                ("mase", m.mase, p.mase),
                ("smape", m.smape, p.smape),
            ] {
                assert_eq!(
                    sig6(ours),
                    sig6(theirs),
                    "{what} {name}: ours {ours}, peers {theirs}"
                );
            }
            checked += 1;
        }
        // The window does not change these models' point forecasts: expanding gives the same.
        let expanding = BacktestConfig {
            window: None,
            ..cfg.clone()
        };
        let e = backtest(model.as_ref(), &s, &expanding).unwrap();
        assert_eq!(e.horizons[1].pooled.mae, r.horizons[1].pooled.mae);
    }
    assert_eq!(checked, 4);
}

#[test]
fn nab_ec2_cpu_utilization_matches_peers() {
    check_series("nab_ec2_cpu_utilization_77c1ca.csv", 4032);
}

#[test]
fn nab_ec2_request_latency_matches_peers() {
    check_series("nab_ec2_request_latency_system_failure.csv", 4033);
}
