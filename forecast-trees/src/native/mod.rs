//! Native tree evaluation: boosted forests parsed from the libraries' own model formats into
//! flat arrays and walked in Rust, with no allocation per prediction.
//!
//! - [`LightGbmForest`] parses LightGBM's text model (`LGBM_BoosterSaveModelToString`,
//!   `model.txt`) and predicts in `f64` exactly as LightGBM does (identical results).
//! - [`XgbForest`] parses XGBoost's JSON model (1.x and 2.x/3.x layouts) and predicts in
//!   `f32` exactly as XGBoost's CPU predictor accumulates.
//!
//! Both store every node of every tree in one array of small structs (feature index,
//! threshold, children, missing-value direction), leaves in a second array, and one root
//! reference per tree. A child reference `c >= 0` is a node index, `c < 0` the leaf `!c`.
//!
//! ```
//! use forecast_trees::native::LightGbmForest;
//! let model = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n\
//! max_feature_idx=0\nobjective=regression\n\nTree=0\nnum_leaves=2\nnum_cat=0\n\
//! split_feature=0\nthreshold=1.5\ndecision_type=2\nleft_child=-1\nright_child=-2\n\
//! leaf_value=10 20\nis_linear=0\nshrinkage=1\n\nend of trees\n";
//! let forest = LightGbmForest::from_model_string(model).unwrap();
//! assert_eq!(forest.predict(&[1.0]), 10.0);
//! assert_eq!(forest.predict(&[2.0]), 20.0);
//! assert_eq!(forest.predict(&[f64::NAN]), 10.0); // NaN is 0.0 for missing type `None`
//! ```

mod lightgbm;
mod xgboost;

pub use lightgbm::LightGbmForest;
pub use xgboost::XgbForest;

/// Trees walked together by [`sum_leaves`].
const LANES: usize = 8;

/// Adds to `sum` the leaf every tree (one root per tree) sends the row to, in tree order;
/// `step(node)` is the child the row goes to from internal node `node`.
///
/// Trees are walked eight at a time, so that the out-of-order core overlaps their
/// independent root-to-leaf chains; the leaves are still added in tree order, so the sum is
/// the libraries' own (LightGBM in `f64`, XGBoost in `f32`).
#[inline(always)]
fn sum_leaves<T: Copy + std::ops::AddAssign>(
    roots: &[i32],
    leaves: &[T],
    sum: &mut T,
    step: impl Fn(i32) -> i32,
) {
    let mut groups = roots.chunks_exact(LANES);
    for group in &mut groups {
        let mut r: [i32; LANES] = std::array::from_fn(|k| group[k]);
        loop {
            let mut active = false;
            for x in &mut r {
                if *x >= 0 {
                    *x = step(*x);
                    active = true;
                }
            }
            if !active {
                break;
            }
        }
        for x in r {
            *sum += leaves[!x as usize];
        }
    }
    for &root in groups.remainder() {
        let mut r = root;
        while r >= 0 {
            r = step(r);
        }
        *sum += leaves[!r as usize];
    }
}
