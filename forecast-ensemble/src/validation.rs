//! Rolling validation of member models on the tail of the training series.
//!
//! The last `v` training points are held out. Each member is fitted once on the points before
//! them, then forecasts `h` steps from every origin `n − v, n − v + h, …` (with `o + h ≤ n`)
//! from the growing context `y[..o]`, without refitting — the same online path the ensemble
//! uses in production. The pooled forecasts and actuals form a [`ValidationSet`].

use forecast_core::{Forecast, Forecaster, Result, Series};
use rayon::prelude::*;

use crate::weighting::ValidationSet;

/// Origins of the validation grid for a series of `n` points, `v` held out, horizon `h`.
pub fn validation_origins(n: usize, v: usize, h: usize) -> Vec<usize> {
    let first = n.saturating_sub(v);
    (first..=n.saturating_sub(h)).step_by(h.max(1)).collect()
}

/// Fits every member on `train[..n−v]` and scores it on the held-out tail.
///
/// Members are fitted and scored in parallel when `parallel` is true; the result is the same
/// either way. A member that fails to fit or forecast gets `None`.
pub fn validate_members(
    members: &[Box<dyn Forecaster>],
    train: &Series,
    v: usize,
    h: usize,
    parallel: bool,
) -> Result<ValidationSet> {
    let n = train.len();
    let origins = validation_origins(n, v, h);
    let y = train.values();
    let actuals: Vec<f64> = origins
        .iter()
        .flat_map(|&o| y[o..o + h].iter().copied())
        .collect();
    let score = |m: &dyn Forecaster| -> Option<Vec<f64>> {
        let mut model = m.clone_box();
        model.fit(&train.window(0..n - v)).ok()?;
        let mut out = Forecast::default();
        let mut preds = Vec::with_capacity(actuals.len());
        for &o in &origins {
            model
                .forecast_into(&train.window(0..o), h, &[], &mut out)
                .ok()?;
            preds.extend_from_slice(&out.point);
        }
        preds.iter().all(|p| p.is_finite()).then_some(preds)
    };
    let forecasts = if parallel {
        members.par_iter().map(|m| score(m.as_ref())).collect()
    } else {
        members.iter().map(|m| score(m.as_ref())).collect()
    };
    Ok(ValidationSet { actuals, forecasts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_grid() {
        assert_eq!(validation_origins(20, 6, 2), vec![14, 16, 18]);
        assert_eq!(validation_origins(20, 6, 4), vec![14]);
    }
}
