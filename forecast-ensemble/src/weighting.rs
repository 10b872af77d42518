//! How member weights are derived from validation errors.
//!
//! Given member `i`'s validation errors, the weights `w_i` (non-negative, summing to one) are:
//!
//! | rule | weight before normalisation |
//! |---|---|
//! | [`Weighting::InverseMae`] | `1 / MAE_i` |
//! | [`Weighting::InverseMse`] | `1 / MSE_i` |
//! | [`Weighting::Softmax`] | `exp(−(MAE_i / MAE_best − 1) / τ)` |
//! | [`Weighting::Stacking`] | non-negative least squares of the actuals on the member forecasts |
//!
//! A member whose error is zero takes all the weight under the inverse rules (it is perfect on
//! validation). Members that failed get weight zero.

use serde::{Deserialize, Serialize};

use crate::nnls::nnls;

/// The rule that turns validation errors into weights.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum Weighting {
    /// Inverse mean absolute error (the default).
    #[default]
    InverseMae,
    /// Inverse mean squared error.
    InverseMse,
    /// Softmax of the negative relative MAE with temperature `temperature` (> 0); small
    /// temperatures concentrate the weight on the best member.
    Softmax {
        /// Temperature τ.
        temperature: f64,
    },
    /// Non-negative stacking weights fitted on the validation forecasts (normalised to sum 1).
    Stacking,
}

/// Validation forecasts of every member against the same actuals.
///
/// `forecasts[i]` is `None` for a member that failed; otherwise it is aligned with `actuals`.
#[derive(Debug, Clone, Default)]
pub struct ValidationSet {
    /// The observed values the members were scored on.
    pub actuals: Vec<f64>,
    /// Per member, its forecasts of `actuals` (or `None` when it failed).
    pub forecasts: Vec<Option<Vec<f64>>>,
}

impl ValidationSet {
    /// Mean absolute error of member `i` (`None` when it failed or there is nothing to score).
    pub fn mae(&self, i: usize) -> Option<f64> {
        let f = self.forecasts[i].as_ref()?;
        (!f.is_empty()).then(|| {
            f.iter()
                .zip(&self.actuals)
                .map(|(f, y)| (f - y).abs())
                .sum::<f64>()
                / f.len() as f64
        })
    }

    /// Mean squared error of member `i`.
    pub fn mse(&self, i: usize) -> Option<f64> {
        let f = self.forecasts[i].as_ref()?;
        (!f.is_empty()).then(|| {
            f.iter()
                .zip(&self.actuals)
                .map(|(f, y)| (f - y) * (f - y))
                .sum::<f64>()
                / f.len() as f64
        })
    }
}

impl Weighting {
    /// Weights for the members of `v` (length = number of members, sum 1), or `None` when every
    /// member failed.
    pub fn weights(&self, v: &ValidationSet) -> Option<Vec<f64>> {
        let m = v.forecasts.len();
        let raw: Vec<f64> = match *self {
            Weighting::InverseMae => inverse((0..m).map(|i| v.mae(i)).collect()),
            Weighting::InverseMse => inverse((0..m).map(|i| v.mse(i)).collect()),
            Weighting::Softmax { temperature } => {
                let errs: Vec<Option<f64>> = (0..m).map(|i| v.mae(i)).collect();
                let best = errs.iter().flatten().copied().fold(f64::INFINITY, f64::min);
                if !best.is_finite() {
                    return None;
                }
                let best = best.max(f64::MIN_POSITIVE);
                errs.iter()
                    .map(|e| e.map_or(0.0, |e| (-(e / best - 1.0) / temperature).exp()))
                    .collect()
            }
            Weighting::Stacking => {
                let ok: Vec<usize> = (0..m).filter(|&i| v.forecasts[i].is_some()).collect();
                if ok.is_empty() {
                    return None;
                }
                let cols: Vec<&[f64]> = ok
                    .iter()
                    .map(|&i| v.forecasts[i].as_deref().unwrap_or(&[]))
                    .collect();
                let beta = nnls(&cols, &v.actuals);
                let mut w = vec![0.0; m];
                for (k, &i) in ok.iter().enumerate() {
                    w[i] = beta[k];
                }
                if w.iter().sum::<f64>() <= 0.0 {
                    // Degenerate fit: fall back to inverse MAE.
                    return Weighting::InverseMae.weights(v);
                }
                w
            }
        };
        normalise(raw)
    }
}

fn inverse(errors: Vec<Option<f64>>) -> Vec<f64> {
    let perfect: Vec<bool> = errors.iter().map(|e| *e == Some(0.0)).collect();
    if perfect.iter().any(|p| *p) {
        return perfect.iter().map(|p| if *p { 1.0 } else { 0.0 }).collect();
    }
    errors
        .iter()
        .map(|e| match e {
            Some(e) if e.is_finite() => 1.0 / e,
            _ => 0.0,
        })
        .collect()
}

fn normalise(mut w: Vec<f64>) -> Option<Vec<f64>> {
    let s: f64 = w.iter().sum();
    if !(s.is_finite() && s > 0.0) {
        return None;
    }
    w.iter_mut().for_each(|x| *x /= s);
    Some(w)
}

/// Keeps only the `k` largest weights (ties broken by member order) and renormalises.
pub fn keep_top_k(weights: &mut [f64], k: usize) {
    if k == 0 || k >= weights.len() {
        return;
    }
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    for &i in &order[k..] {
        weights[i] = 0.0;
    }
    let s: f64 = weights.iter().sum();
    if s > 0.0 {
        weights.iter_mut().for_each(|x| *x /= s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> ValidationSet {
        ValidationSet {
            actuals: vec![1.0, 2.0, 3.0, 4.0],
            forecasts: vec![
                Some(vec![1.5, 2.5, 3.5, 4.5]), // MAE 0.5, MSE 0.25
                Some(vec![2.0, 3.0, 4.0, 5.0]), // MAE 1.0, MSE 1.0
                None,
            ],
        }
    }

    #[test]
    fn inverse_rules_by_hand() {
        let w = Weighting::InverseMae.weights(&set()).unwrap();
        assert!((w[0] - 2.0 / 3.0).abs() < 1e-12 && (w[1] - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(w[2], 0.0);
        let w = Weighting::InverseMse.weights(&set()).unwrap();
        assert!((w[0] - 0.8).abs() < 1e-12 && (w[1] - 0.2).abs() < 1e-12);
    }

    #[test]
    fn softmax_by_hand() {
        let w = Weighting::Softmax { temperature: 0.5 }
            .weights(&set())
            .unwrap();
        // relative MAE 1 and 2 -> exp(0) and exp(-2)
        let e = (-2.0f64).exp();
        assert!((w[0] - 1.0 / (1.0 + e)).abs() < 1e-12);
        assert!((w[1] - e / (1.0 + e)).abs() < 1e-12);
    }

    #[test]
    fn stacking_recovers_an_exact_combination() {
        let a = vec![1.0, 2.0, 0.0, 4.0, 3.0];
        let b = vec![2.0, 0.0, 1.0, 1.0, 5.0];
        let y: Vec<f64> = a.iter().zip(&b).map(|(a, b)| 0.25 * a + 0.75 * b).collect();
        let v = ValidationSet {
            actuals: y,
            forecasts: vec![Some(a), Some(b)],
        };
        let w = Weighting::Stacking.weights(&v).unwrap();
        assert!(
            (w[0] - 0.25).abs() < 1e-9 && (w[1] - 0.75).abs() < 1e-9,
            "{w:?}"
        );
    }

    #[test]
    fn all_failed_gives_none_and_top_k() {
        let v = ValidationSet {
            actuals: vec![1.0],
            forecasts: vec![None, None],
        };
        assert!(Weighting::InverseMae.weights(&v).is_none());
        let mut w = vec![0.1, 0.5, 0.4];
        keep_top_k(&mut w, 2);
        assert!((w[1] - 5.0 / 9.0).abs() < 1e-12 && w[0] == 0.0);
    }
}
