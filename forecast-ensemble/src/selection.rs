//! Dynamic selection: re-scoring members on the latest observations at forecast time.
//!
//! For a context of length `L` and window `k`, every member forecasts one step from each of
//! the prefixes `context[..L−j]`, `j = 1..=k`, without refitting, and its absolute errors
//! against `context[L−j]` give a recent MAE (and MSE). The configured
//! [`Weighting`] turns those into weights (stacking falls back to inverse MAE: `k` points are
//! too few for a stable regression). With `top_k`, only the best members keep weight.
//! Cost per forecast: `k × members` one-step forecasts.

use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::weighting::{ValidationSet, Weighting};

/// Settings of dynamic selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicSelection {
    /// Number of latest observations on which members are re-scored (`k ≥ 1`).
    pub window: usize,
    /// Keep only the `top_k` members by recent error (`None` = keep all, re-weighted).
    pub top_k: Option<usize>,
}

impl Default for DynamicSelection {
    fn default() -> Self {
        DynamicSelection {
            window: 12,
            top_k: None,
        }
    }
}

impl DynamicSelection {
    /// Checks the values.
    pub fn validate(&self) -> Result<()> {
        if self.window == 0 {
            return Err(Error::invalid_param(
                "window",
                "dynamic window must be at least 1",
            ));
        }
        if self.top_k == Some(0) {
            return Err(Error::invalid_param("top_k", "top_k must be at least 1"));
        }
        Ok(())
    }

    /// Weights from the members' one-step errors on the last `window` points of `context`,
    /// or `None` when the context is too short or no member could be scored.
    pub fn recent_weights(
        &self,
        members: &[Box<dyn Forecaster>],
        context: &Series,
        weighting: &Weighting,
        parallel: bool,
    ) -> Option<Vec<f64>> {
        let len = context.len();
        let k = self.window.min(len.saturating_sub(1));
        if k == 0 {
            return None;
        }
        let y = context.values();
        let actuals: Vec<f64> = (1..=k).map(|j| y[len - j]).collect();
        let score = |m: &dyn Forecaster| -> Option<Vec<f64>> {
            let mut out = Forecast::default();
            let mut preds = Vec::with_capacity(k);
            for j in 1..=k {
                m.forecast_into(&context.window(0..len - j), 1, &[], &mut out)
                    .ok()?;
                preds.push(out.point[0]);
            }
            Some(preds)
        };
        let forecasts: Vec<Option<Vec<f64>>> = if parallel {
            members.par_iter().map(|m| score(m.as_ref())).collect()
        } else {
            members.iter().map(|m| score(m.as_ref())).collect()
        };
        let set = ValidationSet { actuals, forecasts };
        let rule = match weighting {
            Weighting::Stacking => Weighting::InverseMae,
            other => *other,
        };
        rule.weights(&set)
    }
}
