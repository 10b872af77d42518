//! Shared helpers of the Prophet-style tests: fixture loading (copied from the shared
//! reference folder into `tests/fixtures/prophet`) and RFC3339 parsing.
#![allow(dead_code)]

use forecast_stats::prophet::{
    FittedProphet, ProphetParams, ProphetStyleConfig, Scaling, Seasonality, SeasonalityMode,
};
use serde_json::Value;

/// The three reference series.
pub const SERIES: [&str; 3] = ["a_synthetic_hourly", "b_twitter_hourly", "c_cpu_5min"];

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/prophet/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// `YYYY-MM-DDTHH:MM:SSZ` to UTC seconds.
pub fn parse_ts(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (hh, mm, ss) = (n(11, 13), n(14, 16), n(17, 19));
    // days from civil (Howard Hinnant)
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

/// `(timestamps, values)` of a series CSV (`<id>.csv` or `<id>_future.csv`).
pub fn load_series(file: &str) -> (Vec<i64>, Vec<f64>) {
    let text = fixture(&format!("{file}.csv"));
    let mut ts = Vec::new();
    let mut ys = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (a, b) = line.split_once(',').unwrap();
        ts.push(parse_ts(a.trim()));
        ys.push(b.trim().parse().unwrap());
    }
    (ts, ys)
}

/// A reference JSON file.
pub fn load_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Numbers of a JSON array.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Timestamps of a JSON array of RFC3339 strings.
pub fn stamps(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| parse_ts(x.as_str().unwrap()))
        .collect()
}

/// Prophet's fitted model (scaling, changepoints, seasonalities, MAP params) as ours.
pub fn reference_model(id: &str) -> FittedProphet {
    let r = load_json(&format!("{id}__prophet.json"));
    let sc = &r["scaling"];
    let scaling = Scaling {
        floor: sc["floor"].as_f64().unwrap(),
        y_scale: sc["y_scale"].as_f64().unwrap(),
        start: parse_ts(sc["start"].as_str().unwrap()),
        t_scale: sc["t_scale_seconds"].as_f64().unwrap(),
    };
    let names: Vec<String> = r["params"]["beta_feature_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    // Seasonalities in the order of the beta columns.
    let mut seas: Vec<Seasonality> = Vec::new();
    for name in &names {
        let base = name.split("_delim_").next().unwrap();
        if seas.last().map(|s| s.name.as_str()) != Some(base) {
            let s = &r["seasonalities"][base];
            seas.push(Seasonality {
                name: base.to_string(),
                period_days: s["period"].as_f64().unwrap(),
                order: s["fourier_order"].as_u64().unwrap() as usize,
                prior_scale: s["prior_scale"].as_f64().unwrap(),
                mode: if s["mode"] == "additive" {
                    SeasonalityMode::Additive
                } else {
                    SeasonalityMode::Multiplicative
                },
            });
        }
    }
    let p = &r["params"];
    let params = ProphetParams {
        k: p["k"].as_f64().unwrap(),
        m: p["m"].as_f64().unwrap(),
        delta: floats(&p["delta"]),
        beta: floats(&p["beta"]),
        sigma_obs: p["sigma_obs"].as_f64().unwrap(),
    };
    FittedProphet::from_parts(scaling, floats(&sc["changepoints_t"]), seas, params).unwrap()
}

/// The configuration of the reference runs (Prophet defaults; yearly off, daily on).
pub fn reference_config() -> ProphetStyleConfig {
    use forecast_stats::prophet::Toggle;
    ProphetStyleConfig {
        daily: Toggle::On,
        yearly: Toggle::Off,
        ..Default::default()
    }
}

/// `|a − b| / |b|`, with `b`'s magnitude floored at `floor`.
pub fn rel(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / b.abs().max(floor)
}
