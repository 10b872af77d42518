//! The native evaluator against the libraries' own predict, on thousands of random rows
//! (with NaN, zeros, values below LightGBM's zero threshold, infinities for LightGBM) and on
//! the real reference rows with NaN injected. LightGBM: identical `f64`; XGBoost: identical
//! `f32` (the tolerance allowed is one f32 rounding).

mod common;

use std::collections::HashMap;

use forecast_trees::library::{
    lightgbm_predict_rows, train_lightgbm, train_xgboost, xgboost_predict_rows,
};
use forecast_trees::native::{LightGbmForest, XgbForest};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const NF: usize = 6;

/// Training data with NaN (feature 2), many zeros (features 1 and 3), tiny values (3).
fn training_data(rng: &mut ChaCha8Rng, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut x = Vec::with_capacity(n * NF);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let x0 = rng.random_range(-1.0..1.0);
        let x1 = f64::from(rng.random_range(0..5u8));
        let x2 = if rng.random_bool(0.2) {
            f64::NAN
        } else {
            rng.random_range(0.0..10.0)
        };
        let x3 = match rng.random_range(0..4u8) {
            0 => 0.0,
            1 => 1e-36,
            2 => -1e-36,
            _ => rng.random_range(-2.0..2.0),
        };
        let x4: f64 = rng.random_range(-3.0..3.0);
        let x5 = rng.random_range(0.0..1e6);
        let target = 3.0 * x0
            + if x1 == 0.0 { 5.0 } else { x1 }
            + if x2.is_nan() { -4.0 } else { x2.sqrt() }
            + if x3 == 0.0 { 2.0 } else { x3 }
            + x4.sin()
            + x5 * 1e-6
            + rng.random_range(-0.1..0.1);
        x.extend([x0, x1, x2, x3, x4, x5]);
        y.push(target);
    }
    (x, y)
}

/// Rows to predict: like the training data, with NaN, exact zeros, tiny values and (when
/// `inf`) infinities sprinkled over every feature.
fn probe_rows(rng: &mut ChaCha8Rng, n: usize, inf: bool) -> Vec<f64> {
    let (mut x, _) = training_data(rng, n);
    for v in &mut x {
        let u: f64 = rng.random();
        *v = if u < 0.08 {
            f64::NAN
        } else if u < 0.12 {
            0.0
        } else if u < 0.14 {
            if rng.random_bool(0.5) { 5e-36 } else { -5e-36 }
        } else if inf && u < 0.15 {
            if rng.random_bool(0.5) {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }
        } else {
            *v
        };
    }
    x
}

#[test]
fn lightgbm_native_equals_library_bit_for_bit() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (x, y) = training_data(&mut rng, 1500);
    let labels: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let rows = probe_rows(&mut rng, 4000, true);
    let mut missing_types = std::collections::BTreeSet::new();
    for extra in [
        serde_json::json!({}),
        serde_json::json!({"zero_as_missing": true}),
        serde_json::json!({"objective": "quantile", "alpha": 0.8}),
        serde_json::json!({"objective": "huber", "alpha": 1.0, "num_leaves": 63}),
    ] {
        let mut params = serde_json::json!({
            "objective": "regression", "num_iterations": 40, "num_leaves": 15,
            "min_data_in_leaf": 5, "seed": 0, "num_threads": 1, "deterministic": true,
            "verbosity": -1,
        });
        for (k, v) in extra.as_object().unwrap() {
            params[k] = v.clone();
        }
        let text = train_lightgbm(&x, &labels, NF, &params).unwrap();
        for line in text.lines().filter(|l| l.starts_with("decision_type=")) {
            for t in line["decision_type=".len()..].split_whitespace() {
                missing_types.insert((t.parse::<u32>().unwrap() >> 2) & 3);
            }
        }
        let forest = LightGbmForest::from_model_string(&text).unwrap();
        let native: Vec<f64> = rows.chunks(NF).map(|r| forest.predict(r)).collect();
        let lib = lightgbm_predict_rows(&text, &rows, NF).unwrap();
        let differ = native
            .iter()
            .zip(&lib)
            .filter(|(a, b)| a.to_bits() != b.to_bits())
            .count();
        assert_eq!(differ, 0, "{extra}: {differ} of {} rows differ", lib.len());
    }
    // The models exercised the missing-value types None (0) and NaN (2) (and Zero (1) when
    // LightGBM chooses it for zero_as_missing).
    eprintln!("lightgbm missing types seen: {missing_types:?}");
    assert!(
        missing_types.contains(&0) && missing_types.contains(&2),
        "{missing_types:?}"
    );
}

#[test]
fn xgboost_native_equals_library_in_f32() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let (x, y) = training_data(&mut rng, 1500);
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let labels: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let rows = probe_rows(&mut rng, 4000, false);
    for (method, depth) in [("exact", "4"), ("hist", "6"), ("approx", "5")] {
        let params: HashMap<String, String> = [
            ("objective", "reg:squarederror"),
            ("eta", "0.2"),
            ("max_depth", depth),
            ("tree_method", method),
            ("base_score", "3.5"),
            ("seed", "0"),
            ("nthread", "1"),
            ("verbosity", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let json = train_xgboost(&x32, &labels, NF, params, 40).unwrap();
        let forest = XgbForest::from_json(&json).unwrap();
        assert_eq!(forest.num_trees(), 40);
        let native: Vec<f64> = rows.chunks(NF).map(|r| forest.predict(r)).collect();
        let lib = xgboost_predict_rows(&json, &rows, NF).unwrap();
        let worst = native
            .iter()
            .zip(&lib)
            .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
            .fold(0.0, f64::max);
        let exact = native.iter().zip(&lib).filter(|(a, b)| a == b).count();
        eprintln!(
            "xgboost {method}: {exact} of {} identical, worst rel diff {worst:e}",
            lib.len()
        );
        assert!(worst <= f32::EPSILON as f64, "{method}: {worst}");
    }
}

#[test]
fn reference_models_on_real_rows_with_nan() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for r in common::references() {
        let mut rows: Vec<f64> = Vec::new();
        // Every copied real row 40 times, each with a fresh random set of NaN features.
        for (_, feats, _, _) in r.rows() {
            for _ in 0..40 {
                rows.extend(
                    feats
                        .iter()
                        .map(|&v| if rng.random_bool(0.15) { f64::NAN } else { v }),
                );
            }
        }
        let n = rows.len() / 26;
        assert!(n >= 2000);
        let lgbm = LightGbmForest::from_model_string(r.lightgbm_model).unwrap();
        let native: Vec<f64> = rows.chunks(26).map(|x| lgbm.predict(x)).collect();
        assert_eq!(
            native,
            lightgbm_predict_rows(r.lightgbm_model, &rows, 26).unwrap()
        );
        for model in [r.xgboost_model, r.xgboost_05_model] {
            let xgb = XgbForest::from_json(model).unwrap();
            let native: Vec<f64> = rows.chunks(26).map(|x| xgb.predict(x)).collect();
            let lib = xgboost_predict_rows(model, &rows, 26).unwrap();
            let worst = common::max_rel(&native, &lib);
            assert!(worst <= f32::EPSILON as f64, "{}: {worst}", r.id);
        }
    }
}
