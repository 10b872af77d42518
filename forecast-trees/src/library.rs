//! The libraries' own training and prediction paths (LightGBM through `lightgbm3`, XGBoost
//! through `xgboost-rs`).
//!
//! Training builds a booster, runs it and returns the model in the library's own format
//! (LightGBM's text model, XGBoost's JSON model); the forecasters keep only that text.
//!
//! Prediction through a library ([`Engine::Library`](crate::Engine::Library), the
//! comparison path) needs a live booster. LightGBM's booster handle is neither `Send` nor
//! `Sync`, and the forecasters must be both, so live boosters live in a small **per-thread
//! cache** keyed by a model id (a process-unique number assigned when a model is fitted or
//! loaded): each thread loads its own booster from the model text on first use and keeps up
//! to [`CACHE_SIZE`] of them. No `unsafe` is needed, and no booster is shared across
//! threads.
//!
//! ```
//! let text = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n\
//! max_feature_idx=0\nobjective=regression\nfeature_names=x\nfeature_infos=[0:3]\n\n\
//! Tree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=0\nsplit_gain=1\nthreshold=1.5\n\
//! decision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=10 20\nleaf_weight=1 1\n\
//! leaf_count=1 1\ninternal_value=0\ninternal_weight=0\ninternal_count=2\nis_linear=0\n\
//! shrinkage=1\n\n\nend of trees\n\nfeature_importances:\nx=1\n\nparameters:\nend of parameters\n\n\
//! pandas_categorical:null\n";
//! let p = forecast_trees::library::lightgbm_predict_rows(text, &[1.0, 2.0], 1).unwrap();
//! assert_eq!(p, vec![10.0, 20.0]);
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use forecast_core::{Error, Result};

/// How many live boosters each thread keeps per library.
pub const CACHE_SIZE: usize = 8;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A process-unique model id for the booster caches.
pub(crate) fn fresh_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    static LGBM: RefCell<Vec<(u64, lightgbm3::Booster)>> = const { RefCell::new(Vec::new()) };
    static XGB: RefCell<Vec<(u64, xgboost_rs::Booster)>> = const { RefCell::new(Vec::new()) };
}

fn lgbm_err(e: impl std::fmt::Display) -> Error {
    Error::model("lightgbm", e.to_string())
}

fn xgb_err(e: impl std::fmt::Display) -> Error {
    Error::model("xgboost", e.to_string())
}

/// Runs `f` on this thread's booster for `key`, loading it with `load` when absent.
fn with_cached<B, R>(
    cache: &'static std::thread::LocalKey<RefCell<Vec<(u64, B)>>>,
    key: u64,
    load: impl FnOnce() -> Result<B>,
    f: impl FnOnce(&B) -> Result<R>,
) -> Result<R> {
    cache.with(|cell| {
        // `f` never re-enters the cache, but be defensive rather than panic.
        let Ok(mut c) = cell.try_borrow_mut() else {
            return f(&load()?);
        };
        let idx = match c.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let booster = load()?;
                if c.len() >= CACHE_SIZE {
                    c.remove(0);
                }
                c.push((key, booster));
                c.len() - 1
            }
        };
        f(&c[idx].1)
    })
}

/// Trains LightGBM on a row-major `f64` matrix (`n_features` columns; NaN allowed, as
/// missing) with `f32` labels (LightGBM's label type) and returns the text model. `params`
/// use LightGBM's own names (e.g. `{"objective": "regression", "num_iterations": 50}`).
///
/// Errors: [`Error::Model`] with LightGBM's message.
pub fn train_lightgbm(
    x: &[f64],
    y: &[f32],
    n_features: usize,
    params: &serde_json::Value,
) -> Result<String> {
    let ds = lightgbm3::Dataset::from_slice(x, y, n_features as i32, true).map_err(lgbm_err)?;
    let booster = lightgbm3::Booster::train(ds, params).map_err(lgbm_err)?;
    booster.save_string().map_err(lgbm_err)
}

/// One prediction through this thread's cached LightGBM booster for model `key`.
pub(crate) fn lightgbm_predict_cached(key: u64, model: &str, row: &[f64]) -> Result<f64> {
    with_cached(
        &LGBM,
        key,
        || lightgbm3::Booster::from_string(model).map_err(lgbm_err),
        |b| {
            let p = b
                .predict_with_params(row, row.len() as i32, true, "num_threads=1")
                .map_err(lgbm_err)?;
            p.first()
                .copied()
                .ok_or_else(|| lgbm_err("predict returned no value"))
        },
    )
}

/// Loads a LightGBM text model into the library and predicts the row-major `rows`
/// (`n_features` columns) with LightGBM's own `predict` (one thread).
///
/// Errors: [`Error::Model`] with LightGBM's message.
pub fn lightgbm_predict_rows(model: &str, rows: &[f64], n_features: usize) -> Result<Vec<f64>> {
    let b = lightgbm3::Booster::from_string(model).map_err(lgbm_err)?;
    b.predict_with_params(rows, n_features as i32, true, "num_threads=1")
        .map_err(lgbm_err)
}

/// A dense row-major `f32` matrix for XGBoost with NaN as the missing value (the
/// `xgboost-rs` `from_dense` constructor would treat `0.0` as missing).
fn xgb_matrix(x: &[f32], n_features: usize) -> Result<xgboost_rs::DMatrix> {
    if n_features == 0 || x.is_empty() || !x.len().is_multiple_of(n_features) {
        return Err(xgb_err(format!(
            "matrix of {} values does not split into rows of {n_features}",
            x.len()
        )));
    }
    let rows = x.len() / n_features;
    xgboost_rs::DMatrix::from_col_major_f32(x, n_features * 4, 4, rows, n_features, 1, f32::NAN)
        .map_err(xgb_err)
}

/// Trains XGBoost for `rounds` boosting rounds (one `update` per round) on a row-major
/// `f32` matrix (`n_features` columns; NaN = missing, infinities rejected by XGBoost) and
/// returns the JSON model. `params` use XGBoost's own names (e.g. `eta`, `max_depth`).
///
/// Errors: [`Error::Model`] with XGBoost's message.
pub fn train_xgboost(
    x: &[f32],
    y: &[f32],
    n_features: usize,
    params: HashMap<String, String>,
    rounds: usize,
) -> Result<String> {
    let mut dtrain = xgb_matrix(x, n_features)?;
    dtrain.set_labels(y).map_err(xgb_err)?;
    let mut booster =
        xgboost_rs::Booster::new_with_json_config(&[&dtrain], params).map_err(xgb_err)?;
    for i in 0..rounds {
        booster.update(&dtrain, i as i32).map_err(xgb_err)?;
    }
    booster.save_to_buffer("json".into()).map_err(xgb_err)
}

/// XGBoost ≥ 2 writes `base_score` as a vector (`"[1.11829605E2]"`), which XGBoost 1.6
/// cannot read; this rewrites it as a scalar (`"1.11829605E2"`). Other text is unchanged.
pub fn xgboost_json_compat(json: &str) -> String {
    let key = "\"base_score\":\"[";
    match json.find(key) {
        Some(i) => {
            let start = i + key.len();
            match json[start..].find("]\"") {
                Some(len) => format!(
                    "{}\"base_score\":\"{}\"{}",
                    &json[..i],
                    &json[start..start + len],
                    &json[start + len + 2..]
                ),
                None => json.to_string(),
            }
        }
        None => json.to_string(),
    }
}

fn xgb_load(model: &str) -> Result<xgboost_rs::Booster> {
    xgboost_rs::Booster::load_buffer(xgboost_json_compat(model).as_bytes()).map_err(xgb_err)
}

fn xgb_predict(b: &xgboost_rs::Booster, rows: &[f64], n_features: usize) -> Result<Vec<f64>> {
    let x: Vec<f32> = rows.iter().map(|&v| v as f32).collect();
    let m = xgb_matrix(&x, n_features)?;
    let p = b.predict(&m).map_err(xgb_err)?;
    Ok(p.into_iter().map(f64::from).collect())
}

/// One prediction through this thread's cached XGBoost booster for model `key`.
pub(crate) fn xgboost_predict_cached(key: u64, model: &str, row: &[f64]) -> Result<f64> {
    with_cached(
        &XGB,
        key,
        || xgb_load(model),
        |b| {
            xgb_predict(b, row, row.len())?
                .first()
                .copied()
                .ok_or_else(|| xgb_err("predict returned no value"))
        },
    )
}

/// Loads an XGBoost JSON model into the library (after [`xgboost_json_compat`]) and
/// predicts the row-major `rows` (`n_features` columns, cast to `f32`, NaN = missing).
///
/// Errors: [`Error::Model`] with XGBoost's message.
pub fn xgboost_predict_rows(model: &str, rows: &[f64], n_features: usize) -> Result<Vec<f64>> {
    xgb_predict(&xgb_load(model)?, rows, n_features)
}
