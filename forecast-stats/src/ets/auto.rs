//! AutoETS: model selection by AICc over the admissible candidates (R `ets(y, "ZZZ")`,
//! statsforecast `AutoETS`).
//!
//! Candidates are enumerated in R's order (error A, M; trend N, A; season N, A, M; damped
//! first) with R's restrictions: no additive error with a multiplicative season, no
//! multiplicative error or season unless every value is positive, no damping without a
//! trend. Seasonal candidates need `m ≥ 2` and two full seasons; unlike R (which stops at
//! `m = 24`), any `m` is allowed. The smallest AICc wins; ties go to the first; failed fits
//! are skipped. Each multiplicative-error fit starts from its additive-error counterpart.
//! The fits run in parallel (rayon) in two rounds, linear candidates then the others, which
//! gives exactly the sequential result.

use forecast_core::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fit::{Criterion, FitOutcome, check_data, fit_spec, linear_counterpart};
use super::spec::{ErrorType, EtsSpec, Seasonal, Trend};

/// Hyper-parameters of [`AutoEts`](super::AutoEts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoEtsConfig {
    /// Season length `m` in steps (1 = non-seasonal candidates only).
    pub season_length: usize,
    /// Allow multiplicative error and season (only used when the data are positive).
    pub allow_multiplicative: bool,
    /// Allow damped trends.
    pub allow_damped: bool,
    /// Allow trended models.
    pub allow_trend: bool,
    /// Allow seasonal models (when `m ≥ 2`).
    pub allow_seasonal: bool,
}

impl Default for AutoEtsConfig {
    fn default() -> Self {
        AutoEtsConfig {
            season_length: 1,
            allow_multiplicative: true,
            allow_damped: true,
            allow_trend: true,
            allow_seasonal: true,
        }
    }
}

impl AutoEtsConfig {
    /// Checks the configuration (`season_length ≥ 1`).
    pub fn validate(&self) -> Result<()> {
        if self.season_length == 0 {
            return Err(Error::invalid_param(
                "season",
                "season length must be at least 1 (1 = no season)",
            ));
        }
        Ok(())
    }

    /// The candidate models for data `y` (R order), before fitting.
    pub fn candidates(&self, y: &[f64]) -> Vec<EtsSpec> {
        let positive = y.iter().all(|v| *v > 0.0);
        let m = self.season_length;
        let seasonal_ok = self.allow_seasonal && m >= 2 && y.len() >= 2 * m;
        let mut out = Vec::new();
        let errors = [ErrorType::Additive, ErrorType::Multiplicative];
        let families: &[bool] = if self.allow_trend {
            &[false, true]
        } else {
            &[false]
        };
        let seasons = [Seasonal::None, Seasonal::Additive, Seasonal::Multiplicative];
        for e in errors {
            if e == ErrorType::Multiplicative && !(self.allow_multiplicative && positive) {
                continue;
            }
            for &trended in families {
                for s in seasons {
                    if s.is_some() && !seasonal_ok {
                        continue;
                    }
                    if s == Seasonal::Multiplicative
                        && (e == ErrorType::Additive || !self.allow_multiplicative || !positive)
                    {
                        continue;
                    }
                    // R tries damped = TRUE first.
                    let trends: &[Trend] = match (trended, self.allow_damped) {
                        (false, _) => &[Trend::None],
                        (true, true) => &[Trend::AdditiveDamped, Trend::Additive],
                        (true, false) => &[Trend::Additive],
                    };
                    for &t in trends {
                        let mm = if s.is_some() { m } else { 1 };
                        if let Ok(spec) = EtsSpec::new(e, t, s, mm)
                            && y.len() >= spec.min_train_len()
                        {
                            out.push(spec);
                        }
                    }
                }
            }
        }
        out
    }
}

/// One evaluated candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The model.
    pub spec: EtsSpec,
    /// Its AICc (`+∞` when the fit failed).
    pub aicc: f64,
}

/// Fits every candidate and returns the AICc-best fit with the table of candidates.
pub(crate) fn select(
    cfg: &AutoEtsConfig,
    y: &[f64],
) -> Result<(EtsSpec, FitOutcome, Vec<Candidate>)> {
    cfg.validate()?;
    let cands = cfg.candidates(y);
    let Some(simplest) = cands.first().copied() else {
        let spec = EtsSpec::new(ErrorType::Additive, Trend::None, Seasonal::None, 1)?;
        return Err(Error::too_short("auto-ets", spec.min_train_len(), y.len()));
    };
    check_data(&simplest, y, "auto-ets")?;
    let aicc_of = |spec: &EtsSpec, fit: &Option<FitOutcome>| -> f64 {
        match fit {
            Some(f) => {
                let k = spec.n_params() as f64;
                let n = y.len() as f64;
                let lik = f.stats.lik(spec.error);
                if n - k - 1.0 > 0.0 && lik.is_finite() {
                    lik + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0)
                } else {
                    f64::INFINITY
                }
            }
            None => f64::INFINITY,
        }
    };
    // Two parallel rounds with the same result as R's sequential loop: the linear candidates
    // (no warm start), then the others, each warm-started from its linear counterpart.
    let linear: Vec<(EtsSpec, Option<FitOutcome>)> = cands
        .par_iter()
        .filter(|s| s.is_linear())
        .map(|s| (*s, fit_spec(s, Criterion::EtsLik, y, None)))
        .collect();
    let others: Vec<(EtsSpec, Option<FitOutcome>)> = cands
        .par_iter()
        .filter(|s| !s.is_linear())
        .map(|s| {
            let warm_spec = linear_counterpart(s);
            let warm = linear
                .iter()
                .find(|(l, _)| *l == warm_spec)
                .and_then(|(_, f)| f.as_ref());
            (*s, fit_spec(s, Criterion::EtsLik, y, warm))
        })
        .collect();
    let mut table = Vec::with_capacity(cands.len());
    let mut best: Option<(f64, EtsSpec, FitOutcome)> = None;
    let (mut li, mut oi) = (linear.into_iter(), others.into_iter());
    for spec in &cands {
        let (s, fit) = if spec.is_linear() {
            li.next()
        } else {
            oi.next()
        }
        .expect("one fit per candidate");
        debug_assert_eq!(s, *spec);
        let aicc = aicc_of(&s, &fit);
        table.push(Candidate { spec: s, aicc });
        if let Some(f) = fit
            && aicc.is_finite()
            && best.as_ref().is_none_or(|b| aicc < b.0)
        {
            best = Some((aicc, s, f));
        }
    }
    match best {
        Some((_, spec, f)) => Ok((spec, f, table)),
        None => Err(Error::model(
            "auto-ets",
            "every candidate model failed to fit",
        )),
    }
}
