//! [`WeightedEnsemble`]: a weighted combination of any `Box<dyn Forecaster>` members, with
//! optional dynamic selection at forecast time.

use forecast_core::{Error, Forecast, Forecaster, Result, Series, check_context, validate_levels};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::selection::DynamicSelection;
use crate::validation::validate_members;
use crate::weighting::{Weighting, keep_top_k};

/// Hyper-parameters of a [`WeightedEnsemble`] (validated by [`EnsembleConfig::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnsembleConfig {
    /// Rule turning validation errors into weights.
    pub weighting: Weighting,
    /// Training points held out to score members; `None` = `max(2·h, ⌊0.2·n⌋)`.
    pub validation_points: Option<usize>,
    /// Forecast horizon used when scoring members on the held-out points.
    pub validation_horizon: usize,
    /// Re-scoring of members on the latest observations at forecast time (`None` = static).
    pub dynamic: Option<DynamicSelection>,
    /// Fit, score and forecast members in parallel with rayon (same result either way).
    pub parallel: bool,
}

impl Default for EnsembleConfig {
    fn default() -> Self {
        EnsembleConfig {
            weighting: Weighting::InverseMae,
            validation_points: None,
            validation_horizon: 12,
            dynamic: None,
            parallel: true,
        }
    }
}

impl EnsembleConfig {
    /// Checks the values before anything is fitted.
    pub fn validate(&self) -> Result<()> {
        if self.validation_horizon == 0 {
            return Err(Error::invalid_param(
                "validation_horizon",
                "must be at least 1",
            ));
        }
        if let Weighting::Softmax { temperature } = self.weighting
            && !(temperature.is_finite() && temperature > 0.0)
        {
            return Err(Error::invalid_param(
                "temperature",
                format!("softmax temperature must be positive, got {temperature}"),
            ));
        }
        if let Some(d) = &self.dynamic {
            d.validate()?;
        }
        Ok(())
    }
}

/// A weighted ensemble of forecasters.
///
/// `fit` scores every member on held-out training points (see
/// [`validate_members`](crate::validation::validate_members)), derives static weights with
/// the configured [`Weighting`], then refits every member on the whole training series (in
/// parallel). `forecast` combines the members' points and interval bounds with the weights
/// — or, with [`DynamicSelection`], with weights recomputed from the members' errors on the
/// last observations of the context.
///
/// Intervals are the ensemble's point plus the weighted average of the members' offsets
/// `bound − point` at each level, over the members that have intervals of their own (when
/// every member has them, this is the weighted average of the bounds, a quantile average).
/// Wrap the ensemble in [`forecast_core::conformal::Conformal`] for calibrated intervals
/// instead.
///
/// ```
/// use forecast_core::{Forecaster, Series, baselines::{Naive, Drift}};
/// use forecast_ensemble::{EnsembleConfig, WeightedEnsemble};
/// let y: Vec<f64> = (0..60).map(|t| t as f64 * 0.5 + (t % 3) as f64).collect();
/// let train = Series::new(0, 60, y).unwrap();
/// let mut ens = WeightedEnsemble::new(
///     vec![Box::new(Naive::new()), Box::new(Drift::new())],
///     EnsembleConfig { validation_horizon: 3, ..Default::default() },
/// ).unwrap();
/// ens.fit(&train).unwrap();
/// assert!((ens.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// let f = ens.forecast(&train, 3, &[80.0]).unwrap();
/// assert_eq!(f.point.len(), 3);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeightedEnsemble {
    members: Vec<Box<dyn Forecaster>>,
    config: EnsembleConfig,
    weights: Vec<f64>,
    step: Option<i64>,
}

impl WeightedEnsemble {
    /// An unfitted ensemble over `members` (at least one).
    pub fn new(members: Vec<Box<dyn Forecaster>>, config: EnsembleConfig) -> Result<Self> {
        config.validate()?;
        if members.is_empty() {
            return Err(Error::invalid_param(
                "members",
                "an ensemble needs at least one member",
            ));
        }
        Ok(WeightedEnsemble {
            members,
            config,
            weights: Vec::new(),
            step: None,
        })
    }

    /// The settings.
    pub fn config(&self) -> &EnsembleConfig {
        &self.config
    }

    /// Switches rayon parallelism for later fits and forecasts (the results are the same).
    pub fn set_parallel(&mut self, parallel: bool) {
        self.config.parallel = parallel;
    }

    /// Replaces the dynamic selection used by later forecasts (`None` = the static weights);
    /// the fitted static weights are kept.
    pub fn set_dynamic(&mut self, dynamic: Option<DynamicSelection>) -> Result<()> {
        if let Some(d) = &dynamic {
            d.validate()?;
        }
        self.config.dynamic = dynamic;
        Ok(())
    }

    /// The members, in the order given.
    pub fn members(&self) -> &[Box<dyn Forecaster>] {
        &self.members
    }

    /// The static weights from validation (empty before `fit`), aligned with
    /// [`WeightedEnsemble::members`].
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The weights that a forecast from `context` would use: the static weights, or with
    /// dynamic selection the weights from the members' errors on the context's last points.
    pub fn weights_for(&self, context: &Series) -> Result<Vec<f64>> {
        let step = self.step.ok_or_else(|| Error::NotFitted {
            model: self.name().into(),
        })?;
        check_context(self.name(), context, step)?;
        let mut w = match &self.config.dynamic {
            Some(d) => d
                .recent_weights(
                    &self.members,
                    context,
                    &self.config.weighting,
                    self.config.parallel,
                )
                .unwrap_or_else(|| self.weights.clone()),
            None => self.weights.clone(),
        };
        if let Some(k) = self.config.dynamic.as_ref().and_then(|d| d.top_k) {
            keep_top_k(&mut w, k);
        }
        Ok(w)
    }

    fn validation_points(&self, n: usize) -> usize {
        let h = self.config.validation_horizon;
        self.config
            .validation_points
            .unwrap_or_else(|| (2 * h).max(n / 5))
    }
}

#[typetag::serde(name = "weighted-ensemble")]
impl Forecaster for WeightedEnsemble {
    fn name(&self) -> &str {
        "ensemble"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let n = train.len();
        let v = self.validation_points(n);
        let h = self.config.validation_horizon.min(v.max(1));
        let needed = self.min_train_len();
        if n < needed {
            return Err(Error::too_short(self.name(), needed, n));
        }
        let scored = validate_members(&self.members, train, v, h, self.config.parallel)?;
        let weights = self.config.weighting.weights(&scored).ok_or_else(|| {
            Error::model(self.name(), "every member failed on the validation points")
        })?;
        let fit_one = |m: &mut Box<dyn Forecaster>| m.fit(train);
        let results: Vec<Result<()>> = if self.config.parallel {
            self.members.par_iter_mut().map(fit_one).collect()
        } else {
            self.members.iter_mut().map(fit_one).collect()
        };
        let mut weights = weights;
        for (w, r) in weights.iter_mut().zip(&results) {
            if r.is_err() {
                *w = 0.0;
            }
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(results
                .into_iter()
                .find_map(|r| r.err())
                .unwrap_or_else(|| Error::model(self.name(), "no member could be fitted")));
        }
        weights.iter_mut().for_each(|w| *w /= total);
        self.weights = weights;
        self.step = Some(train.step());
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.step.is_some()
    }

    fn min_train_len(&self) -> usize {
        let member_min = self
            .members
            .iter()
            .map(|m| m.min_train_len())
            .max()
            .unwrap_or(1);
        // Enough for the held-out points on top of what the hungriest member needs.
        member_min + 2 * self.config.validation_horizon
    }

    /// True when at least one member has intervals of its own (their offsets are combined
    /// around the ensemble's point); otherwise wrap the ensemble in `Conformal` (the registry
    /// does).
    fn supports_intervals(&self) -> bool {
        self.members.iter().any(|m| m.supports_intervals())
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        if horizon == 0 {
            return Err(Error::ZeroHorizon);
        }
        validate_levels(levels)?;
        if !levels.is_empty() && !self.supports_intervals() {
            return Err(Error::invalid_param(
                "levels",
                "no member has intervals of its own; wrap the ensemble in Conformal",
            ));
        }
        let weights = self.weights_for(context)?;
        let want_iv = !levels.is_empty();
        // Interval offsets come from the members with intervals, weighted like the point; if
        // none of them has weight now (top-k), equally.
        let iv_weight_sum: f64 = self
            .members
            .iter()
            .zip(&weights)
            .filter(|(m, _)| m.supports_intervals())
            .map(|(_, w)| w)
            .sum();
        let iv_weight = |m: &dyn Forecaster, w: f64| -> f64 {
            match (want_iv && m.supports_intervals(), iv_weight_sum > 0.0) {
                (false, _) => 0.0,
                (true, true) => w,
                (true, false) => 1.0,
            }
        };
        let run = |m: &dyn Forecaster, w: f64| -> Option<Result<Forecast>> {
            let iv = iv_weight(m, w) > 0.0;
            (w > 0.0 || iv).then(|| m.forecast(context, horizon, if iv { levels } else { &[] }))
        };
        let forecasts: Vec<Option<Result<Forecast>>> = if self.config.parallel {
            self.members
                .par_iter()
                .zip(weights.par_iter())
                .map(|(m, w)| run(m.as_ref(), *w))
                .collect()
        } else {
            self.members
                .iter()
                .zip(weights.iter())
                .map(|(m, w)| run(m.as_ref(), *w))
                .collect()
        };
        out.reset(context.next_timestamp(), context.step(), horizon, levels)?;
        let (mut total, mut iv_total) = (0.0, 0.0);
        let mut first_err = None;
        for ((f, &w), m) in forecasts.iter().zip(&weights).zip(&self.members) {
            match f {
                Some(Ok(f)) => {
                    total += w;
                    for (p, v) in out.point.iter_mut().zip(&f.point) {
                        *p += w * v;
                    }
                    let wi = iv_weight(m.as_ref(), w);
                    if wi > 0.0 && f.intervals.len() == levels.len() {
                        iv_total += wi;
                        for (iv, fv) in out.intervals.iter_mut().zip(&f.intervals) {
                            for k in 0..horizon {
                                iv.lower[k] += wi * (fv.lower[k] - f.point[k]);
                                iv.upper[k] += wi * (fv.upper[k] - f.point[k]);
                            }
                        }
                    }
                }
                Some(Err(e)) => {
                    first_err.get_or_insert_with(|| e.clone());
                }
                None => {}
            }
        }
        if total <= 0.0 || (want_iv && iv_total <= 0.0) {
            return Err(first_err
                .unwrap_or_else(|| Error::model(self.name(), "no member produced a forecast")));
        }
        // Renormalise over the members that succeeded; bounds = point + mean offset.
        let scale = 1.0 / total;
        out.point.iter_mut().for_each(|p| *p *= scale);
        for iv in &mut out.intervals {
            for k in 0..horizon {
                iv.lower[k] = out.point[k] + iv.lower[k] / iv_total;
                iv.upper[k] = out.point[k] + iv.upper[k] / iv_total;
            }
        }
        Ok(())
    }
}
