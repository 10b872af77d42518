//! Shared helpers of the ETS tests: fixture loading (copies of ../shared/reference files
//! under tests/fixtures/ets) and tolerance checks.
#![allow(dead_code)]

use forecast_core::Series;
use forecast_stats::ets::{EtsSpec, HoltWintersConfig, Seasonal, SmoothingParams, Trend};
use serde_json::Value;

pub const SERIES: [&str; 3] = ["a_synthetic_hourly", "b_twitter_hourly", "c_cpu_5min"];

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/ets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// The training series (timestamps: epoch seconds of the reference's first timestamp are
/// not needed; the step matters).
pub fn series(id: &str) -> Series {
    let text = fixture(&format!("{id}.csv"));
    let values: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let step = if id.starts_with("c_") { 300 } else { 3600 };
    Series::new(1_700_000_000 - 1_700_000_000 % 3600, step, values).unwrap()
}

pub fn season(id: &str) -> usize {
    if id.starts_with("c_") { 1 } else { 24 }
}

pub fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

pub fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Holt-Winters configuration from a statsmodels reference `config_id`.
pub fn hw_config(config_id: &str, m: usize) -> HoltWintersConfig {
    let (trend, seasonal) = match config_id {
        "add_add" => (Trend::Additive, Seasonal::Additive),
        "add_add_damped" => (Trend::AdditiveDamped, Seasonal::Additive),
        "add_mul" => (Trend::Additive, Seasonal::Multiplicative),
        "add_none" => (Trend::Additive, Seasonal::None),
        "add_none_damped" => (Trend::AdditiveDamped, Seasonal::None),
        other => panic!("unknown config {other}"),
    };
    HoltWintersConfig {
        trend,
        seasonal,
        season_length: m,
    }
}

/// Every statsmodels HW reference file (series id, config id) with status ok.
pub fn hw_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in SERIES {
        for cfg in [
            "add_add",
            "add_add_damped",
            "add_mul",
            "add_none",
            "add_none_damped",
        ] {
            let name = format!("{id}__{cfg}.json");
            let path = format!("{}/tests/fixtures/ets/{name}", env!("CARGO_MANIFEST_DIR"));
            if std::path::Path::new(&path).exists() && json(&name)["status"] == "ok" {
                out.push((id.to_string(), cfg.to_string()));
            }
        }
    }
    out
}

/// The spec and parameters of a statsforecast AutoETS reference.
pub fn autoets_reference(id: &str) -> (EtsSpec, SmoothingParams, Vec<f64>, Value) {
    let d = json(&format!("{id}__autoets.json"));
    let code = d["selected"]["model_string"].as_str().unwrap();
    let spec: EtsSpec = code.parse().unwrap();
    let spec = spec
        .with_season_length(if spec.seasonal.is_some() {
            season(id)
        } else {
            1
        })
        .unwrap();
    let par = d["params"]["par"].as_array().unwrap();
    let p = SmoothingParams {
        alpha: par[0].as_f64().unwrap(),
        beta: par[1].as_f64().unwrap_or(0.0),
        gamma: par[2].as_f64().unwrap_or(0.0),
        phi: par[3].as_f64().unwrap_or(1.0),
    };
    let x0: Vec<f64> = par[4..].iter().map(|v| v.as_f64().unwrap()).collect();
    (spec, p, x0, d)
}

/// Asserts `|a − b| ≤ rel·max(|b|, scale)` elementwise.
pub fn assert_close(what: &str, got: &[f64], want: &[f64], rel: f64, scale: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst = 0.0f64;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tol = rel * w.abs().max(scale);
        let d = (g - w).abs();
        worst = worst.max(d / w.abs().max(scale));
        assert!(
            d <= tol,
            "{what}[{i}]: got {g}, want {w} (diff {d:e}, tol {tol:e})"
        );
    }
    eprintln!("{what}: worst relative diff {worst:.3e}");
}

/// Mean absolute value, used as the scale floor of relative comparisons.
pub fn scale_of(v: &[f64]) -> f64 {
    v.iter().map(|x| x.abs()).sum::<f64>() / v.len() as f64
}
