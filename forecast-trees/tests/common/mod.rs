//! Shared helpers for the forecast-trees tests: the copied reference fixtures.
#![allow(dead_code)]

use forecast_core::Series;
use serde_json::Value;

/// One reference series with its fixtures (all embedded at compile time).
pub struct Reference {
    pub id: &'static str,
    pub series_csv: &'static str,
    pub rows_csv: &'static str,
    pub expected: &'static str,
    pub lightgbm_model: &'static str,
    pub xgboost_model: &'static str,
    pub xgboost_05_model: &'static str,
}

macro_rules! reference {
    ($id:literal) => {
        Reference {
            id: $id,
            series_csv: include_str!(concat!("../fixtures/trees/", $id, "__series.csv")),
            rows_csv: include_str!(concat!("../fixtures/trees/", $id, "__features_rows.csv")),
            expected: include_str!(concat!("../fixtures/trees/", $id, "__expected.json")),
            lightgbm_model: include_str!(concat!(
                "../fixtures/trees/",
                $id,
                "__lightgbm_model.txt"
            )),
            xgboost_model: include_str!(concat!("../fixtures/trees/", $id, "__xgboost_model.json")),
            xgboost_05_model: include_str!(concat!(
                "../fixtures/trees/",
                $id,
                "__xgboost_base_score_0.5_model.json"
            )),
        }
    };
}

pub fn references() -> [Reference; 2] {
    [
        reference!("a_synthetic_hourly"),
        reference!("b_twitter_hourly"),
    ]
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SSZ` to UTC seconds.
pub fn parse_ts(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    days_from_civil(n(0, 4), n(5, 7), n(8, 10)) * 86_400
        + n(11, 13) * 3600
        + n(14, 16) * 60
        + n(17, 19)
}

impl Reference {
    /// The series (hourly).
    pub fn series(&self) -> Series {
        let mut ts = Vec::new();
        let mut v = Vec::new();
        for line in self.series_csv.lines().skip(1) {
            let (t, x) = line.split_once(',').unwrap();
            ts.push(parse_ts(t));
            v.push(x.parse::<f64>().unwrap());
        }
        Series::from_pairs(&ts, &v, None).unwrap()
    }

    /// The copied feature rows: (timestamp, 26 features, y, split).
    pub fn rows(&self) -> Vec<(i64, Vec<f64>, f64, String)> {
        self.rows_csv
            .lines()
            .skip(1)
            .map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                let feats = f[1..27].iter().map(|x| x.parse().unwrap()).collect();
                (
                    parse_ts(f[0]),
                    feats,
                    f[27].parse().unwrap(),
                    f[28].to_string(),
                )
            })
            .collect()
    }

    pub fn expected(&self) -> Value {
        serde_json::from_str(self.expected).unwrap()
    }
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Largest relative difference.
pub fn max_rel(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / y.abs().max(1e-300))
        .fold(0.0, f64::max)
}

/// The reference feature layout: 24 lags, hour, dow.
pub fn reference_features() -> forecast_trees::features::FeatureConfig {
    use forecast_trees::features::{Calendar, FeatureConfig, Transform};
    FeatureConfig {
        lags: 24,
        windows: vec![],
        calendar: Calendar::Fields {
            hour: true,
            dow: true,
            minute: false,
        },
        transform: Transform::None,
    }
}
