//! Shared helpers for the ARIMA tests: reference fixtures (copied from the shared reference
//! set into tests/fixtures/arima) and conversions.
#![allow(dead_code)]

use forecast_core::Series;
use forecast_stats::arima::{ArimaCoefs, ArimaSpec};
use serde_json::Value;

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/arima");

pub fn series(id: &str) -> Series {
    let text = std::fs::read_to_string(format!("{DIR}/{id}.csv")).unwrap();
    let values: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let step = if id.contains("5min") { 300 } else { 3600 };
    Series::new(1_700_000_000, step, values).unwrap()
}

pub fn reference(lib: &str, id: &str, cfg: &str) -> Value {
    let text = std::fs::read_to_string(format!("{DIR}/{lib}__{id}__{cfg}.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// Spec and coefficients of a statsforecast reference file.
pub fn spec_and_coefs(r: &Value) -> (ArimaSpec, ArimaCoefs) {
    let arma = floats(&r["selected"]["arma"]);
    let a: Vec<usize> = arma.iter().map(|x| *x as usize).collect();
    let coef = r["params"]["coef"].as_object().unwrap();
    let get = |prefix: &str, k: usize| -> Vec<f64> {
        (1..=k)
            .map(|i| coef[&format!("{prefix}{i}")].as_f64().unwrap())
            .collect()
    };
    let spec = ArimaSpec {
        p: a[0],
        q: a[1],
        sp: a[2],
        sq: a[3],
        m: a[4],
        d: a[5],
        sd: a[6],
        include_mean: coef.contains_key("intercept"),
        include_drift: coef.contains_key("drift"),
    };
    let coefs = ArimaCoefs {
        ar: get("ar", spec.p),
        ma: get("ma", spec.q),
        sar: get("sar", spec.sp),
        sma: get("sma", spec.sq),
        mean: coef.get("intercept").and_then(|v| v.as_f64()),
        drift: coef.get("drift").and_then(|v| v.as_f64()),
    };
    (spec, coefs)
}

/// (library folder, series, config) of every successful statsforecast fixed-order fit.
pub const FIXED: [(&str, &str); 7] = [
    ("a_synthetic_hourly", "arima_2_1_1"),
    ("a_synthetic_hourly", "sarima_1_0_1_0_1_1_24_drift"),
    ("b_twitter_hourly", "arima_2_1_1"),
    ("b_twitter_hourly", "sarima_1_0_1_0_1_1_24"),
    ("b_twitter_hourly", "sarima_1_0_1_0_1_1_24_drift"),
    ("c_cpu_5min", "arima_1_0_1_mean"),
    ("c_cpu_5min", "arima_2_1_1"),
];

pub const IDS: [&str; 3] = ["a_synthetic_hourly", "b_twitter_hourly", "c_cpu_5min"];

pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}
