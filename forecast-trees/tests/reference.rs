//! Acceptance against the Python reference (lightgbm 4.7.0, xgboost 3.2.0): the feature
//! layout, the saved models' predictions (native evaluator and the bindings), and training
//! with the reference parameters.

mod common;

use common::{floats, max_rel, reference_features, references};
use forecast_core::Forecaster;
use forecast_trees::library::{lightgbm_predict_rows, xgboost_predict_rows};
use forecast_trees::native::{LightGbmForest, XgbForest};
use forecast_trees::{LightGbm, LightGbmConfig, TreeMethod, TreeOptions, XGBoost, XGBoostConfig};

const NF: usize = 26;

/// The reference rows as one row-major matrix: (train rows built by our builder, test rows
/// copied verbatim from the reference feature file).
fn matrices(r: &common::Reference) -> (Vec<f64>, Vec<f64>, usize) {
    let s = r.series();
    let layout = reference_features().resolve(3600).unwrap();
    let (x, _) = layout
        .training_matrix("ref", s.values(), s.start(), s.step(), 1)
        .unwrap();
    let n_train = r.expected()["lightgbm"]["n_train"].as_u64().unwrap() as usize;
    let test: Vec<f64> = r.rows()[3..].iter().flat_map(|row| row.1.clone()).collect();
    (x[..n_train * NF].to_vec(), test, n_train)
}

#[test]
fn builder_reproduces_the_reference_feature_rows_exactly() {
    for r in references() {
        let s = r.series();
        let layout = reference_features().resolve(3600).unwrap();
        let mut names: Vec<String> = (1..=24).map(|k| format!("lag_{k}")).collect();
        names.extend(["hour".to_string(), "dow".to_string()]);
        assert_eq!(layout.names(), names);
        let (x, z) = layout
            .training_matrix("ref", s.values(), s.start(), s.step(), 1)
            .unwrap();
        let n = z.len();
        assert_eq!(n, s.len() - 24);
        for (k, (ts, feats, y, split)) in r.rows().iter().enumerate() {
            let i = if k < 3 { k } else { n - 48 + (k - 3) };
            assert_eq!(&x[i * NF..(i + 1) * NF], &feats[..], "{} row {i}", r.id);
            assert_eq!(z[i], *y, "{} row {i}", r.id);
            assert_eq!(s.timestamp(24 + i), *ts);
            assert_eq!(split == "test", k >= 3);
        }
    }
}

#[test]
fn lightgbm_reference_models_predict_the_reference_values() {
    for r in references() {
        let e = r.expected();
        let (train, test, n_train) = matrices(&r);
        let forest = LightGbmForest::from_model_string(r.lightgbm_model).unwrap();
        assert_eq!((forest.num_trees(), forest.num_features()), (50, NF));
        let native_test: Vec<f64> = test.chunks(NF).map(|row| forest.predict(row)).collect();
        let native_train: Vec<f64> = train.chunks(NF).map(|row| forest.predict(row)).collect();
        let lib_test = lightgbm_predict_rows(r.lightgbm_model, &test, NF).unwrap();
        let lib_train = lightgbm_predict_rows(r.lightgbm_model, &train, NF).unwrap();
        let exp_test = floats(&e["lightgbm"]["predictions_test"]);
        let exp_train = floats(&e["lightgbm"]["predictions_train"]);
        assert_eq!(native_train.len(), n_train);
        let (d_test, d_train) = (
            max_rel(&native_test, &exp_test),
            max_rel(&native_train, &exp_train),
        );
        eprintln!(
            "{} lightgbm native vs reference: test {d_test:e}, train {d_train:e}",
            r.id
        );
        assert!(d_test <= 1e-9 && d_train <= 1e-9);
        // The bundled LightGBM 4.7.0 and the native evaluator agree bit for bit.
        assert_eq!(native_test, lib_test);
        assert_eq!(native_train, lib_train);
    }
}

#[test]
fn xgboost_reference_models_predict_the_reference_values() {
    for r in references() {
        let e = r.expected();
        let (train, test, _) = matrices(&r);
        for (key, model) in [
            ("xgboost", r.xgboost_model),
            ("xgboost_base_score_0.5", r.xgboost_05_model),
        ] {
            let forest = XgbForest::from_json(model).unwrap();
            assert_eq!((forest.num_trees(), forest.num_features()), (50, NF));
            if let Some(b) = e[key]["effective_base_score"].as_f64() {
                assert_eq!(forest.base_score(), b as f32);
            }
            let exp_test = floats(&e[key]["predictions_test"]);
            let exp_train = floats(&e[key]["predictions_train"]);
            let native_test: Vec<f64> = test.chunks(NF).map(|row| forest.predict(row)).collect();
            let native_train: Vec<f64> = train.chunks(NF).map(|row| forest.predict(row)).collect();
            // XGBoost 1.6.2 (bundled) loading the 3.2.0 JSON model.
            let lib_test = xgboost_predict_rows(model, &test, NF).unwrap();
            let lib_train = xgboost_predict_rows(model, &train, NF).unwrap();
            let d = [
                max_rel(&native_test, &exp_test),
                max_rel(&native_train, &exp_train),
                max_rel(&lib_test, &exp_test),
                max_rel(&lib_train, &exp_train),
            ];
            eprintln!(
                "{} {key}: native test/train, library test/train max rel diff {d:?}",
                r.id
            );
            // float32 precision: two ulps.
            assert!(d.iter().all(|&x| x <= 2.0 * f32::EPSILON as f64), "{d:?}");
        }
    }
}

#[test]
fn training_with_reference_params_is_within_one_percent() {
    for r in references() {
        let e = r.expected();
        let s = r.series();
        let n_train = e["lightgbm"]["n_train"].as_u64().unwrap() as usize;
        let train = s.head(24 + n_train);
        let options = TreeOptions {
            features: reference_features(),
            ..TreeOptions::default()
        };
        // One-step forecasts with true lags for the 48 test targets.
        let one_step = |m: &dyn Forecaster| -> Vec<f64> {
            (0..48)
                .map(|j| m.forecast(&s.head(24 + n_train + j), 1, &[]).unwrap().point[0])
                .collect()
        };

        let mut lgbm = LightGbm::new(LightGbmConfig {
            options: options.clone(),
            num_iterations: 50,
            learning_rate: 0.1,
            num_leaves: 15,
            min_data_in_leaf: 5,
            seed: 0,
            num_threads: 1,
            ..LightGbmConfig::default()
        })
        .unwrap();
        lgbm.fit(&train).unwrap();
        let d = max_rel(
            &one_step(&lgbm),
            &floats(&e["lightgbm"]["predictions_test"]),
        );
        eprintln!("{} lightgbm trained here vs reference: max rel {d:e}", r.id);
        assert!(d <= 0.01, "{d}");

        for (key, base_score) in [("xgboost", None), ("xgboost_base_score_0.5", Some(0.5))] {
            let mut xgb = XGBoost::new(XGBoostConfig {
                options: options.clone(),
                num_boost_round: 50,
                eta: 0.1,
                max_depth: 4,
                tree_method: TreeMethod::Exact,
                base_score,
                seed: 0,
                nthread: 1,
                ..XGBoostConfig::default()
            })
            .unwrap();
            xgb.fit(&train).unwrap();
            let d = max_rel(&one_step(&xgb), &floats(&e[key]["predictions_test"]));
            eprintln!(
                "{} {key} trained here (XGBoost 1.6.2) vs reference (3.2.0): max rel {d:e}",
                r.id
            );
            assert!(d <= 0.01, "{d}");
        }
    }
}
