//! XGBoost's JSON model parsed into flat arrays, and its `f32` prediction.
//!
//! Prediction follows XGBoost's CPU predictor for `gbtree` models: the input row is read as
//! `f32` with NaN meaning *missing*; at each node a missing value takes the node's default
//! direction, any other value goes left when `value < split_condition`; the output starts
//! at `base_score` and adds every tree's leaf value in tree order, all in `f32`.
//!
//! Both JSON layouts are read: XGBoost 1.x (`"base_score": "5E-1"`, `default_left` as
//! booleans) and 2.x/3.x (`"base_score": "[1.11829605E2]"`, `default_left` as 0/1).
//! Supported objectives have an identity output transform (`reg:squarederror`,
//! `reg:pseudohubererror`, `reg:absoluteerror`, `reg:quantileerror` with one quantile);
//! categorical splits, `dart` and multi-output models are rejected.

use forecast_core::{Error, Result};
use serde_json::Value;

/// One internal node, 16 bytes: `children[0]` is the left child, `children[1]` the right;
/// a negative child `c` is the leaf `!c`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    threshold: f32,
    /// The split feature in the low 31 bits, [`DEFAULT_LEFT`] in the top bit.
    feature: u32,
    children: [i32; 2],
}

/// Top bit of [`Node::feature`]: missing values go left.
const DEFAULT_LEFT: u32 = 1 << 31;

/// An XGBoost regression forest in flat arrays (see the [module docs](super)).
#[derive(Debug, Clone, PartialEq)]
pub struct XgbForest {
    nodes: Vec<Node>,
    leaves: Vec<f32>,
    roots: Vec<i32>,
    n_features: usize,
    base_score: f32,
    objective: String,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::model("xgboost model", msg.into())
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Result<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur
            .get(key)
            .ok_or_else(|| bad(format!("missing `{}`", path.join("."))))?;
    }
    Ok(cur)
}

/// A number written as a JSON number or a string (`"5E-1"`, `"[1.11829605E2]"`).
fn number_f32(v: &Value, what: &str) -> Result<f32> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .map(|x| x as f32)
            .ok_or_else(|| bad(format!("{what} is not a number"))),
        Value::String(s) => {
            let t = s
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim();
            if t.contains(',') {
                return Err(bad(format!(
                    "{what} `{s}` has several values (multi-output models are not supported)"
                )));
            }
            t.parse::<f32>()
                .map_err(|_| bad(format!("{what} `{s}` is not a number")))
        }
        _ => Err(bad(format!("{what} is not a number"))),
    }
}

fn array<'a>(tree: &'a Value, key: &str, ti: usize) -> Result<&'a Vec<Value>> {
    tree.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| bad(format!("tree {ti}: missing array `{key}`")))
}

fn ints(tree: &Value, key: &str, ti: usize) -> Result<Vec<i64>> {
    array(tree, key, ti)?
        .iter()
        .map(|v| match v {
            Value::Bool(b) => Some(i64::from(*b)),
            _ => v.as_i64(),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad(format!("tree {ti}: `{key}` holds a non-integer")))
}

fn floats(tree: &Value, key: &str, ti: usize) -> Result<Vec<f32>> {
    array(tree, key, ti)?
        .iter()
        .map(|v| v.as_f64().map(|x| x as f32))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad(format!("tree {ti}: `{key}` holds a non-number")))
}

impl XgbForest {
    /// Parses an XGBoost JSON model (`save_model("model.json")`, `save_raw("json")`).
    ///
    /// Errors: [`Error::Model`] for malformed JSON or unsupported models (see the module
    /// docs).
    pub fn from_json(text: &str) -> Result<Self> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not a JSON model: {e}")))?;
        let learner = get(&doc, &["learner"])?;
        let mp = get(learner, &["learner_model_param"])?;
        let base_score = number_f32(get(mp, &["base_score"])?, "base_score")?;
        let n_features = number_f32(get(mp, &["num_feature"])?, "num_feature")? as usize;
        for key in ["num_class", "num_target"] {
            if let Some(v) = mp.get(key) {
                let n = number_f32(v, key)?;
                if n > 1.0 {
                    return Err(bad(format!(
                        "{key}={n}: multi-output models are not supported"
                    )));
                }
            }
        }
        let objective = get(learner, &["objective", "name"])?
            .as_str()
            .unwrap_or_default()
            .to_string();
        match objective.as_str() {
            "reg:squarederror" | "reg:linear" | "reg:pseudohubererror" | "reg:absoluteerror" => {}
            "reg:quantileerror" => {
                let alphas = learner
                    .pointer("/objective/quantile_loss_param/quantile_alpha")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if alphas.contains(',') {
                    return Err(bad("multi-quantile models are not supported"));
                }
            }
            other => {
                return Err(bad(format!(
                    "objective `{other}` is not a supported regression objective"
                )));
            }
        }
        let booster = get(learner, &["gradient_booster"])?;
        let name = get(booster, &["name"])?.as_str().unwrap_or_default();
        if name != "gbtree" {
            return Err(bad(format!(
                "booster `{name}` is not supported (use gbtree)"
            )));
        }
        let trees = get(booster, &["model", "trees"])?
            .as_array()
            .ok_or_else(|| bad("`trees` is not an array"))?;
        if trees.is_empty() {
            return Err(bad("the model has no trees"));
        }
        let mut forest = XgbForest {
            nodes: Vec::new(),
            leaves: Vec::new(),
            roots: Vec::with_capacity(trees.len()),
            n_features,
            base_score,
            objective,
        };
        for (ti, tree) in trees.iter().enumerate() {
            let root = forest.add_tree(ti, tree)?;
            forest.roots.push(root);
        }
        Ok(forest)
    }

    fn add_tree(&mut self, ti: usize, tree: &Value) -> Result<i32> {
        let left = ints(tree, "left_children", ti)?;
        let right = ints(tree, "right_children", ti)?;
        let feat = ints(tree, "split_indices", ti)?;
        let cond = floats(tree, "split_conditions", ti)?;
        let default_left = ints(tree, "default_left", ti)?;
        let n = left.len();
        if n == 0
            || [right.len(), feat.len(), cond.len(), default_left.len()]
                .iter()
                .any(|&l| l != n)
        {
            return Err(bad(format!("tree {ti}: node arrays differ in length")));
        }
        if let Ok(types) = ints(tree, "split_type", ti)
            && types
                .iter()
                .enumerate()
                .any(|(i, &t)| t != 0 && left[i] != -1)
        {
            return Err(bad(format!(
                "tree {ti} has categorical splits (not supported)"
            )));
        }
        // Preorder copy of the nodes reachable from the root (deleted nodes are skipped);
        // the visit budget rejects cyclic input.
        let mut root = 0i32;
        let mut stack: Vec<(usize, Option<(usize, bool)>)> = vec![(0, None)];
        let mut visits = 0usize;
        while let Some((i, patch)) = stack.pop() {
            visits += 1;
            if visits > n {
                return Err(bad(format!(
                    "tree {ti} is not a tree (shared or cyclic children)"
                )));
            }
            let r = if left[i] == -1 {
                self.leaves.push(cond[i]);
                !((self.leaves.len() - 1) as i32)
            } else {
                let child = |c: i64| {
                    usize::try_from(c).ok().filter(|&c| c < n).ok_or_else(|| {
                        bad(format!("tree {ti}: child {c} of node {i} out of range"))
                    })
                };
                let (l, r) = (child(left[i])?, child(right[i])?);
                let feature = usize::try_from(feat[i])
                    .ok()
                    .filter(|&f| f < self.n_features && f < DEFAULT_LEFT as usize)
                    .ok_or_else(|| {
                        bad(format!("tree {ti}: split feature {} out of range", feat[i]))
                    })?;
                let idx = self.nodes.len();
                let flag = if default_left[i] != 0 {
                    DEFAULT_LEFT
                } else {
                    0
                };
                self.nodes.push(Node {
                    threshold: cond[i],
                    feature: feature as u32 | flag,
                    children: [0, 0],
                });
                stack.push((r, Some((idx, false))));
                stack.push((l, Some((idx, true))));
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

    /// Number of input features.
    pub fn num_features(&self) -> usize {
        self.n_features
    }

    /// Number of trees.
    pub fn num_trees(&self) -> usize {
        self.roots.len()
    }

    /// The global bias `base_score` every prediction starts from.
    pub fn base_score(&self) -> f32 {
        self.base_score
    }

    /// The objective name (e.g. `reg:squarederror`).
    pub fn objective(&self) -> &str {
        &self.objective
    }

    /// Predicts one row (values cast to `f32`, NaN = missing), allocating nothing.
    ///
    /// Trees are walked eight at a time and their leaves summed in tree order, as XGBoost
    /// does, so the `f32` result is the same (see the module's `sum_leaves`).
    ///
    /// # Panics
    /// When `row` is shorter than [`XgbForest::num_features`].
    pub fn predict(&self, row: &[f64]) -> f64 {
        let row = &row[..self.n_features];
        let mut sum = self.base_score;
        super::sum_leaves(&self.roots, &self.leaves, &mut sum, |r| self.step(r, row));
        f64::from(sum)
    }

    /// The child of internal node `r` that `row` goes to.
    #[inline(always)]
    fn step(&self, r: i32, row: &[f64]) -> i32 {
        let n = &self.nodes[r as usize];
        let v = row[(n.feature & !DEFAULT_LEFT) as usize];
        let left = if v.is_nan() {
            n.feature & DEFAULT_LEFT != 0
        } else {
            (v as f32) < n.threshold
        };
        if left { n.children[0] } else { n.children[1] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(default_left: &str, base: &str) -> String {
        format!(
            r#"{{"learner":{{"learner_model_param":{{"base_score":"{base}","num_class":"0","num_feature":"2"}},
            "objective":{{"name":"reg:squarederror"}},
            "gradient_booster":{{"name":"gbtree","model":{{"trees":[
              {{"left_children":[1,-1,3,-1,-1],"right_children":[2,-1,4,-1,-1],
                "split_indices":[0,0,1,0,0],"split_conditions":[1.5,10,0.0,20,30],
                "default_left":{default_left}}},
              {{"left_children":[-1],"right_children":[-1],"split_indices":[0],
                "split_conditions":[0.25],"default_left":[0]}}]}}}}}}}}"#
        )
    }

    #[test]
    fn splits_and_missing_by_hand() {
        let f = XgbForest::from_json(&model("[1,0,0,0,0]", "5E-1")).unwrap();
        assert_eq!(f.num_trees(), 2);
        assert_eq!(f.base_score(), 0.5);
        assert_eq!(f.predict(&[1.0, 0.0]), 10.75);
        assert_eq!(f.predict(&[1.5, -1.0]), 20.75); // 1.5 < 1.5 is false: right
        assert_eq!(f.predict(&[1.5, 0.0]), 30.75); // 0 < 0 is false: right
        assert_eq!(f.predict(&[f64::NAN, 0.0]), 10.75); // default left
        assert_eq!(f.predict(&[2.0, f64::NAN]), 30.75); // default right
        let g = XgbForest::from_json(&model("[false,false,true,false,false]", "[1E0]")).unwrap();
        assert_eq!(g.base_score(), 1.0);
        assert_eq!(g.predict(&[f64::NAN, 5.0]), 31.25);
        assert_eq!(g.predict(&[f64::NAN, f64::NAN]), 21.25);
        assert_eq!(g.predict(&[2.0, f64::NAN]), 21.25);
    }

    #[test]
    fn malformed_models_are_errors() {
        assert!(XgbForest::from_json("{}").is_err());
        let cyclic = model("[0,0,0,0,0]", "0.5").replace("[1,-1,3,-1,-1]", "[1,-1,0,-1,-1]");
        assert!(XgbForest::from_json(&cyclic).is_err());
        let range = model("[0,0,0,0,0]", "0.5").replace("[0,0,1,0,0]", "[0,0,5,0,0]");
        assert!(XgbForest::from_json(&range).is_err());
        let obj = model("[0,0,0,0,0]", "0.5").replace("reg:squarederror", "binary:logistic");
        assert!(XgbForest::from_json(&obj).is_err());
    }
}
