//! One JSON file per fitted model (config + scaler + weights): loads without retraining and
//! forecasts identically; a corrupted file is a typed error.

use crate::common;

use forecast_core::{Error, load_model, model_from_json, model_to_json, save_model};

#[test]
fn saved_models_forecast_identically_after_loading() {
    let s = common::seasonal(260, 0.3, 5);
    let dir = std::env::temp_dir().join(format!("forecast-neural-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for mut m in common::all_models(&common::tiny(24, 6)) {
        m.fit(&s).unwrap();
        let before = m.forecast(&s, 20, &[]).unwrap();
        let path = dir.join(format!("{}.json", m.name()));
        save_model(m.as_ref(), &path).unwrap();
        let loaded = load_model(&path).unwrap();
        assert_eq!(loaded.name(), m.name());
        assert!(loaded.is_fitted());
        assert_eq!(
            loaded.forecast(&s, 20, &[]).unwrap(),
            before,
            "{}",
            m.name()
        );
        // unfitted models round-trip too
        let fresh = common::all_models(&common::tiny(24, 6));
        let json = model_to_json(fresh[0].as_ref()).unwrap();
        assert!(!model_from_json(&json).unwrap().is_fitted());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn inconsistent_files_are_rejected() {
    let s = common::seasonal(200, 0.3, 6);
    let mut m = forecast_neural::CnnForecaster::new(common::tiny(16, 4)).unwrap();
    forecast_core::Forecaster::fit(&mut m, &s).unwrap();
    let json = model_to_json(&m).unwrap();
    // claim another window in the config: weights no longer match
    let bad = json.replacen("\"window\":16", "\"window\":17", 1);
    assert_ne!(bad, json);
    assert!(matches!(model_from_json(&bad), Err(Error::Serde(_))));
    // truncate a weight vector
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut v2 = v.clone();
    v2["model"]["fitted"]["net"]["head"]["b"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert!(model_from_json(&v2.to_string()).is_err());
    let mut v3 = v;
    v3["model"]["config"]["dropout"] = serde_json::json!(2.0);
    assert!(model_from_json(&v3.to_string()).is_err());
}
