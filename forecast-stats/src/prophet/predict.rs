//! A fitted Prophet-style model: its parameters and the evaluation of trend and seasonal
//! components at any timestamp (Prophet's `predict` without intervals).

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::config::SeasonalityMode;
use super::features::{Seasonality, n_columns};
use super::scaling::Scaling;
use super::trend::{final_segment, piecewise_linear};

/// MAP parameters on the scaled problem, under Prophet's names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProphetParams {
    /// Base growth rate.
    pub k: f64,
    /// Offset.
    pub m: f64,
    /// Rate changes at the changepoints.
    pub delta: Vec<f64>,
    /// Fourier coefficients, seasonality by seasonality (`sin, cos` per harmonic).
    pub beta: Vec<f64>,
    /// Observation noise σ (scaled units).
    pub sigma_obs: f64,
}

/// Prophet's prediction columns for a set of timestamps (all in the data's units, except
/// `multiplicative_terms` and multiplicative seasonal columns, which are relative).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Components {
    /// `g(t)·y_scale + floor`.
    pub trend: Vec<f64>,
    /// Sum of the additive seasonal columns.
    pub additive_terms: Vec<f64>,
    /// Sum of the multiplicative seasonal columns.
    pub multiplicative_terms: Vec<f64>,
    /// One column per seasonality, by name.
    pub seasonal: Vec<(String, Vec<f64>)>,
    /// `trend·(1 + multiplicative_terms) + additive_terms`.
    pub yhat: Vec<f64>,
}

/// A fitted model: scaling, changepoints, seasonalities and parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedProphet {
    scaling: Scaling,
    changepoints_t: Vec<f64>,
    seasonalities: Vec<Seasonality>,
    params: ProphetParams,
    /// Objective value at the optimum (NaN when built from given parameters).
    objective: f64,
    k_end: f64,
    m_end: f64,
    /// `mean|δ| + 1e-8`: the Laplace scale of simulated future trend changes.
    change_scale: f64,
}

impl FittedProphet {
    /// Assembles a model from its parts (e.g. parameters fitted by Prophet itself).
    ///
    /// Errors: [`Error::InvalidParameter`] when `delta` or `beta` have the wrong length, the
    /// scaling is degenerate or a value is not finite.
    pub fn from_parts(
        scaling: Scaling,
        changepoints_t: Vec<f64>,
        seasonalities: Vec<Seasonality>,
        params: ProphetParams,
    ) -> Result<Self> {
        Self::with_objective(scaling, changepoints_t, seasonalities, params, f64::NAN)
    }

    pub(crate) fn with_objective(
        scaling: Scaling,
        changepoints_t: Vec<f64>,
        seasonalities: Vec<Seasonality>,
        params: ProphetParams,
        objective: f64,
    ) -> Result<Self> {
        if params.delta.len() != changepoints_t.len() {
            return Err(Error::invalid_param(
                "delta",
                format!(
                    "{} rate changes for {} changepoints",
                    params.delta.len(),
                    changepoints_t.len()
                ),
            ));
        }
        let kc = n_columns(&seasonalities);
        if params.beta.len() != kc {
            return Err(Error::invalid_param(
                "beta",
                format!(
                    "{} coefficients for {kc} Fourier columns",
                    params.beta.len()
                ),
            ));
        }
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !(ok(scaling.t_scale) && ok(scaling.y_scale)) {
            return Err(Error::invalid_param(
                "scaling",
                "t_scale and y_scale must be finite and > 0",
            ));
        }
        let all = [params.k, params.m, params.sigma_obs]
            .into_iter()
            .chain(params.delta.iter().copied())
            .chain(params.beta.iter().copied())
            .chain(changepoints_t.iter().copied());
        if all.into_iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid_param(
                "params",
                "every parameter must be finite",
            ));
        }
        let (k_end, m_end) = final_segment(params.k, params.m, &params.delta, &changepoints_t);
        let change_scale = if params.delta.is_empty() {
            1e-8
        } else {
            params.delta.iter().map(|d| d.abs()).sum::<f64>() / params.delta.len() as f64 + 1e-8
        };
        Ok(Self {
            scaling,
            changepoints_t,
            seasonalities,
            params,
            objective,
            k_end,
            m_end,
            change_scale,
        })
    }

    /// The scaling fixed at fit time.
    pub fn scaling(&self) -> &Scaling {
        &self.scaling
    }

    /// Changepoint times on the scaled axis.
    pub fn changepoints_t(&self) -> &[f64] {
        &self.changepoints_t
    }

    /// The seasonalities in column order.
    pub fn seasonalities(&self) -> &[Seasonality] {
        &self.seasonalities
    }

    /// The MAP parameters.
    pub fn params(&self) -> &ProphetParams {
        &self.params
    }

    /// Objective value (negative log posterior as cmdstan reports it) at the fitted optimum.
    pub fn objective(&self) -> f64 {
        self.objective
    }

    pub(crate) fn change_scale(&self) -> f64 {
        self.change_scale
    }

    /// Scaled trend `g(t)`.
    #[inline]
    pub(crate) fn trend_scaled(&self, t: f64) -> f64 {
        match self.changepoints_t.last() {
            Some(&last) if t >= last => self.k_end * t + self.m_end,
            None => self.k_end * t + self.m_end,
            _ => piecewise_linear(
                t,
                self.params.k,
                self.params.m,
                &self.params.delta,
                &self.changepoints_t,
            ),
        }
    }

    /// `(t, trend, multiplicative_terms, additive_terms)` at `ts`, without allocating.
    #[inline]
    pub(crate) fn parts(&self, ts: i64) -> (f64, f64, f64, f64) {
        let t = self.scaling.t(ts);
        let trend = self.trend_scaled(t) * self.scaling.y_scale + self.scaling.floor;
        let x = ts as f64 / 86_400.0 * std::f64::consts::PI * 2.0;
        let (mut add, mut mult) = (0.0, 0.0);
        let mut c = 0;
        for s in &self.seasonalities {
            let mut acc = 0.0;
            for i in 1..=s.order {
                let (sin, cos) = (x * i as f64 / s.period_days).sin_cos();
                acc += sin * self.params.beta[c] + cos * self.params.beta[c + 1];
                c += 2;
            }
            match s.mode {
                SeasonalityMode::Additive => add += acc,
                SeasonalityMode::Multiplicative => mult += acc,
            }
        }
        (t, trend, mult, add * self.scaling.y_scale)
    }

    /// Point forecast `yhat` at one timestamp.
    #[inline]
    pub fn yhat(&self, ts: i64) -> f64 {
        let (_, trend, mult, add) = self.parts(ts);
        trend * (1.0 + mult) + add
    }

    /// All of Prophet's point columns at `timestamps`.
    pub fn components(&self, timestamps: &[i64]) -> Components {
        let n = timestamps.len();
        let mut out = Components {
            seasonal: self
                .seasonalities
                .iter()
                .map(|s| (s.name.clone(), vec![0.0; n]))
                .collect(),
            ..Default::default()
        };
        let mut row = vec![0.0; n_columns(&self.seasonalities)];
        for (i, &ts) in timestamps.iter().enumerate() {
            let (_, trend, mult, add) = self.parts(ts);
            super::features::fourier_row(&self.seasonalities, ts, &mut row);
            let mut c = 0;
            for (s, (_, col)) in self.seasonalities.iter().zip(out.seasonal.iter_mut()) {
                let mut acc = 0.0;
                for _ in 0..2 * s.order {
                    acc += row[c] * self.params.beta[c];
                    c += 1;
                }
                col[i] = match s.mode {
                    SeasonalityMode::Additive => acc * self.scaling.y_scale,
                    SeasonalityMode::Multiplicative => acc,
                };
            }
            out.trend.push(trend);
            out.additive_terms.push(add);
            out.multiplicative_terms.push(mult);
            out.yhat.push(trend * (1.0 + mult) + add);
        }
        out
    }
}
