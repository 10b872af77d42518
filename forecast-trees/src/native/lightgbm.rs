//! LightGBM's text model format parsed into flat arrays, and its exact `f64` prediction.
//!
//! Prediction follows LightGBM 4.x (`c_api.cpp`, `tree.h`, `gbdt_prediction.cpp`):
//! 1. a dense input row enters the predictor as sparse pairs that keep only values with
//!    `|v| > kZeroThreshold` (`1e-35f`) or NaN, so tiny values read as `0.0`;
//! 2. at a numerical split with missing type `None` a NaN reads as `0.0`; with type `Zero`
//!    a zero (or NaN) goes the default direction; with type `NaN` a NaN goes the default
//!    direction; otherwise `value <= threshold` goes left;
//! 3. the raw score is `0.0 + tree_0 + tree_1 + ...` in `f64`, in tree order (the initial
//!    score is folded into the first tree's leaves by LightGBM), divided by the number of
//!    iterations for `average_output` (random forest) models;
//! 4. the objective's output transform: identity for `regression`, `regression_l1`,
//!    `huber`, `fair`, `quantile`, `mape`; `sign(x)·x²` for `regression sqrt`; `exp` for
//!    `poisson`, `gamma`, `tweedie`.
//!
//! Categorical splits and linear trees are rejected with a clear error.

use forecast_core::{Error, Result};

/// LightGBM's `kZeroThreshold` (`1e-35f`, as a double).
const K_ZERO: f64 = 1e-35_f32 as f64;

const MISSING_NONE: u8 = 0;
const MISSING_ZERO: u8 = 1;
const MISSING_NAN: u8 = 2;

/// One internal node: where a zero or a NaN goes is precomputed from the decision type.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    threshold: f64,
    feature: u32,
    /// Left child, right child; a negative child `c` is the leaf `!c`.
    children: [i32; 2],
    /// Direction of a NaN value.
    nan_left: bool,
    /// Direction of a value with `|v| <= kZeroThreshold`.
    zero_left: bool,
}

/// Output transform of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Identity,
    SignedSquare,
    Exp,
}

/// A LightGBM regression forest in flat arrays (see the [module docs](super)).
#[derive(Debug, Clone, PartialEq)]
pub struct LightGbmForest {
    nodes: Vec<Node>,
    leaves: Vec<f64>,
    roots: Vec<i32>,
    n_features: usize,
    average_output: bool,
    output: Output,
    objective: String,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::model("lightgbm model", msg.into())
}

fn parse_list<T: std::str::FromStr>(key: &str, tree: usize, text: &str) -> Result<Vec<T>> {
    text.split_whitespace()
        .map(|t| {
            t.parse::<T>()
                .map_err(|_| bad(format!("tree {tree}: `{t}` in `{key}` is not a number")))
        })
        .collect()
}

/// The fields of one `Tree=` block that prediction needs.
#[derive(Default)]
struct RawTree {
    num_leaves: usize,
    num_cat: usize,
    split_feature: Vec<i64>,
    threshold: Vec<f64>,
    decision_type: Vec<i64>,
    left_child: Vec<i32>,
    right_child: Vec<i32>,
    leaf_value: Vec<f64>,
    is_linear: bool,
}

impl LightGbmForest {
    /// Parses a LightGBM text model (what `save_model`/`model_to_string` write).
    ///
    /// Errors: [`Error::Model`] for a malformed file, a multi-class model, categorical
    /// splits, linear trees or an objective without a known output transform.
    pub fn from_model_string(text: &str) -> Result<Self> {
        let mut n_features = None;
        let mut objective = String::from("regression");
        let mut average_output = false;
        let mut trees: Vec<RawTree> = Vec::new();
        let mut current: Option<RawTree> = None;
        for line in text.lines().map(str::trim) {
            if line == "end of trees" {
                break;
            }
            if let Some(rest) = line.strip_prefix("Tree=") {
                if let Some(t) = current.take() {
                    trees.push(t);
                }
                rest.parse::<usize>()
                    .map_err(|_| bad(format!("`{line}` is not a tree header")))?;
                current = Some(RawTree::default());
                continue;
            }
            if line == "average_output" {
                average_output = true;
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let ti = trees.len();
            match current.as_mut() {
                None => match key {
                    "num_class" | "num_tree_per_iteration" if value.trim() != "1" => {
                        return Err(bad(format!(
                            "{key}={value}: only single-output regression models are supported"
                        )));
                    }
                    "max_feature_idx" => {
                        let m: usize = value
                            .trim()
                            .parse()
                            .map_err(|_| bad(format!("max_feature_idx `{value}`")))?;
                        n_features = Some(m + 1);
                    }
                    "objective" => objective = value.trim().to_string(),
                    _ => {}
                },
                Some(t) => match key {
                    "num_leaves" => {
                        t.num_leaves = value
                            .trim()
                            .parse()
                            .map_err(|_| bad(format!("tree {ti}: num_leaves `{value}`")))?
                    }
                    "num_cat" => {
                        t.num_cat = value
                            .trim()
                            .parse()
                            .map_err(|_| bad(format!("tree {ti}: num_cat `{value}`")))?
                    }
                    "split_feature" => t.split_feature = parse_list(key, ti, value)?,
                    "threshold" => t.threshold = parse_list(key, ti, value)?,
                    "decision_type" => t.decision_type = parse_list(key, ti, value)?,
                    "left_child" => t.left_child = parse_list(key, ti, value)?,
                    "right_child" => t.right_child = parse_list(key, ti, value)?,
                    "leaf_value" => t.leaf_value = parse_list(key, ti, value)?,
                    "is_linear" => t.is_linear = value.trim() != "0",
                    _ => {}
                },
            }
        }
        if let Some(t) = current.take() {
            trees.push(t);
        }
        let n_features = n_features.ok_or_else(|| bad("no `max_feature_idx` line"))?;
        if trees.is_empty() {
            return Err(bad("the model has no trees"));
        }
        let output = output_transform(&objective)?;
        let mut forest = LightGbmForest {
            nodes: Vec::new(),
            leaves: Vec::new(),
            roots: Vec::with_capacity(trees.len()),
            n_features,
            average_output,
            output,
            objective,
        };
        for (i, t) in trees.iter().enumerate() {
            let root = forest.add_tree(i, t)?;
            forest.roots.push(root);
        }
        Ok(forest)
    }

    fn add_tree(&mut self, ti: usize, t: &RawTree) -> Result<i32> {
        if t.is_linear {
            return Err(bad(format!(
                "tree {ti} is a linear tree (linear_tree=true is not supported)"
            )));
        }
        if t.num_cat > 0 {
            return Err(bad(format!(
                "tree {ti} has categorical splits (not supported)"
            )));
        }
        let nl = t.num_leaves;
        if nl == 0 || t.leaf_value.len() != nl {
            return Err(bad(format!(
                "tree {ti}: num_leaves={nl} but {} leaf values",
                t.leaf_value.len()
            )));
        }
        if nl == 1 {
            self.leaves.push(t.leaf_value[0]);
            return Ok(!((self.leaves.len() - 1) as i32));
        }
        let ni = nl - 1;
        for (name, len) in [
            ("split_feature", t.split_feature.len()),
            ("threshold", t.threshold.len()),
            ("decision_type", t.decision_type.len()),
            ("left_child", t.left_child.len()),
            ("right_child", t.right_child.len()),
        ] {
            if len != ni {
                return Err(bad(format!(
                    "tree {ti}: {name} has {len} entries, expected {ni}"
                )));
            }
        }
        // Preorder copy with an explicit stack: new indices grow from parent to child, so
        // every walk terminates; a malformed (cyclic) tree exceeds the node budget.
        let mut root = 0i32;
        let mut stack: Vec<(i32, Option<(usize, bool)>)> = vec![(0, None)];
        let (mut n_nodes, mut n_leaves) = (0usize, 0usize);
        while let Some((orig, patch)) = stack.pop() {
            let r = if orig < 0 {
                let leaf = !orig as usize;
                if leaf >= nl {
                    return Err(bad(format!("tree {ti}: leaf {leaf} out of range")));
                }
                n_leaves += 1;
                if n_leaves > nl {
                    return Err(bad(format!(
                        "tree {ti} is not a tree (shared or cyclic children)"
                    )));
                }
                self.leaves.push(t.leaf_value[leaf]);
                !((self.leaves.len() - 1) as i32)
            } else {
                let i = orig as usize;
                if i >= ni {
                    return Err(bad(format!("tree {ti}: node {i} out of range")));
                }
                n_nodes += 1;
                if n_nodes > ni {
                    return Err(bad(format!(
                        "tree {ti} is not a tree (shared or cyclic children)"
                    )));
                }
                let feature = usize::try_from(t.split_feature[i])
                    .ok()
                    .filter(|&f| f < self.n_features)
                    .ok_or_else(|| {
                        bad(format!(
                            "tree {ti}: split feature {} out of range (max_feature_idx {})",
                            t.split_feature[i],
                            self.n_features - 1
                        ))
                    })?;
                let dt = t.decision_type[i];
                if dt & 1 != 0 {
                    return Err(bad(format!("tree {ti}: categorical split at node {i}")));
                }
                let default_left = dt & 2 != 0;
                let missing = ((dt >> 2) & 3) as u8;
                let threshold = t.threshold[i];
                let zero_goes_left = 0.0 <= threshold;
                let (nan_left, zero_left) = match missing {
                    MISSING_NONE => (zero_goes_left, zero_goes_left),
                    MISSING_ZERO => (default_left, default_left),
                    MISSING_NAN => (default_left, zero_goes_left),
                    other => {
                        return Err(bad(format!(
                            "tree {ti}: unknown missing type {other} at node {i}"
                        )));
                    }
                };
                let idx = self.nodes.len();
                self.nodes.push(Node {
                    threshold,
                    feature: feature as u32,
                    children: [0, 0],
                    nan_left,
                    zero_left,
                });
                stack.push((t.right_child[i], Some((idx, false))));
                stack.push((t.left_child[i], Some((idx, true))));
                idx as i32
            };
            match patch {
                None => root = r,
                Some((p, true)) => self.nodes[p].children[0] = r,
                Some((p, false)) => self.nodes[p].children[1] = r,
            }
        }
        Ok(root)
    }

    /// Number of input features (`max_feature_idx + 1`).
    pub fn num_features(&self) -> usize {
        self.n_features
    }

    /// Number of trees.
    pub fn num_trees(&self) -> usize {
        self.roots.len()
    }

    /// The objective line of the model (e.g. `regression`, `quantile alpha:0.9`).
    pub fn objective(&self) -> &str {
        &self.objective
    }

    /// Predicts one row (LightGBM's `predict` with default options), allocating nothing.
    ///
    /// # Panics
    /// When `row` is shorter than [`LightGbmForest::num_features`].
    pub fn predict(&self, row: &[f64]) -> f64 {
        let row = &row[..self.n_features];
        let mut sum = 0.0;
        // Eight trees at a time, leaves summed in tree order (see `sum_leaves`).
        super::sum_leaves(&self.roots, &self.leaves, &mut sum, |r| self.step(r, row));
        if self.average_output {
            sum /= self.roots.len() as f64;
        }
        match self.output {
            Output::Identity => sum,
            Output::SignedSquare => sum.signum() * sum * sum,
            Output::Exp => sum.exp(),
        }
    }

    /// The child of internal node `r` that `row` goes to.
    #[inline(always)]
    fn step(&self, r: i32, row: &[f64]) -> i32 {
        let n = &self.nodes[r as usize];
        let v = row[n.feature as usize];
        let left = if v.abs() > K_ZERO {
            v <= n.threshold
        } else if v.is_nan() {
            n.nan_left
        } else {
            n.zero_left
        };
        if left { n.children[0] } else { n.children[1] }
    }
}

fn output_transform(objective: &str) -> Result<Output> {
    let mut tokens = objective.split_whitespace();
    let name = tokens.next().unwrap_or("regression");
    let sqrt = tokens.any(|t| t == "sqrt");
    match name {
        "regression" | "regression_l2" | "l2" | "mean_squared_error" | "mse" if sqrt => {
            Ok(Output::SignedSquare)
        }
        "regression" | "regression_l2" | "l2" | "mean_squared_error" | "mse" | "regression_l1"
        | "l1" | "huber" | "fair" | "quantile" | "mape" => Ok(Output::Identity),
        "poisson" | "gamma" | "tweedie" => Ok(Output::Exp),
        other => Err(bad(format!(
            "objective `{other}` is not a supported regression objective"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(decision_type: u8, threshold: f64) -> String {
        format!(
            "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=1\n\
             objective=regression\n\nTree=0\nnum_leaves=3\nnum_cat=0\nsplit_feature=1 0\n\
             threshold={threshold} 5\ndecision_type={decision_type} 0\nleft_child=1 -1\n\
             right_child=-3 -2\nleaf_value=1 2 3\nis_linear=0\nshrinkage=1\n\n\
             Tree=1\nnum_leaves=1\nnum_cat=0\nsplit_feature=\nthreshold=\ndecision_type=\n\
             left_child=\nright_child=\nleaf_value=0.5\nis_linear=0\nshrinkage=1\n\nend of trees\n"
        )
    }

    #[test]
    fn missing_types_by_hand() {
        // Node 0 splits feature 1 at `thr`; left goes to node 1 (feature 0 <= 5: leaf 0 (1)
        // else leaf 1 (2)), right to leaf 2 (3). Tree 1 adds 0.5.
        let none = LightGbmForest::from_model_string(&model(0, -1.0)).unwrap();
        assert_eq!(none.num_trees(), 2);
        assert_eq!(none.predict(&[0.0, -2.0]), 1.5);
        assert_eq!(none.predict(&[9.0, -2.0]), 2.5);
        assert_eq!(none.predict(&[0.0, 0.0]), 3.5); // 0 > -1
        assert_eq!(none.predict(&[0.0, f64::NAN]), 3.5); // NaN reads as 0
        assert_eq!(none.predict(&[0.0, -1e-36]), 3.5); // tiny reads as 0
        assert_eq!(none.predict(&[f64::NAN, -5.0]), 1.5); // NaN as 0 <= 5

        // Missing type NaN (8), default right (no bit 2): NaN goes right, 0 compared.
        let nan_right = LightGbmForest::from_model_string(&model(8, 1.0)).unwrap();
        assert_eq!(nan_right.predict(&[0.0, f64::NAN]), 3.5);
        assert_eq!(nan_right.predict(&[0.0, 0.0]), 1.5);
        // Missing type NaN, default left (8 | 2).
        let nan_left = LightGbmForest::from_model_string(&model(10, -1.0)).unwrap();
        assert_eq!(nan_left.predict(&[0.0, f64::NAN]), 1.5);
        assert_eq!(nan_left.predict(&[0.0, 0.0]), 3.5);
        // Missing type Zero (4), default left: zero and NaN go left even though 0 > -1.
        let zero = LightGbmForest::from_model_string(&model(6, -1.0)).unwrap();
        assert_eq!(zero.predict(&[0.0, 0.0]), 1.5);
        assert_eq!(zero.predict(&[0.0, f64::NAN]), 1.5);
        assert_eq!(zero.predict(&[0.0, 1.0]), 3.5);
    }

    #[test]
    fn malformed_models_are_errors() {
        assert!(LightGbmForest::from_model_string("").is_err());
        let cyclic = model(0, 1.0).replace("left_child=1 -1", "left_child=1 0");
        assert!(LightGbmForest::from_model_string(&cyclic).is_err());
        let cat = model(1, 1.0);
        assert!(LightGbmForest::from_model_string(&cat).is_err());
        let feat = model(0, 1.0).replace("split_feature=1 0", "split_feature=7 0");
        assert!(LightGbmForest::from_model_string(&feat).is_err());
        let obj = model(0, 1.0).replace("objective=regression", "objective=binary sigmoid:1");
        assert!(LightGbmForest::from_model_string(&obj).is_err());
    }
}
