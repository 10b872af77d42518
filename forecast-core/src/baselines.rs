//! Baseline forecasters: [`Naive`], [`SeasonalNaive`], [`Drift`] and [`MovingAverage`].
//!
//! They are the yardsticks every other model must beat (MASE is their error ratio), and they
//! follow the definitions of R `forecast` / statsforecast, including their Gaussian prediction
//! intervals (Hyndman & Athanasopoulos, *FPP3* §5.5):
//!
//! | model | point `ŷ(T+h)` | σ_h |
//! |---|---|---|
//! | Naive | `y(T)` | `σ·√h` |
//! | SeasonalNaive(m) | `y(T+h−m(k+1))`, `k=⌊(h−1)/m⌋` | `σ·√(k+1)` |
//! | Drift | `y(T) + h·(y(T)−y(1))/(T−1)` | `σ·√(h(1+h/(T−1)))` |
//! | MovingAverage(w) | mean of the last `w` values | `σ·√(1+1/w)` |
//!
//! σ is the root mean square of the in-sample one-step residuals of the method on the
//! training data (divided by the residual count minus the number of estimated parameters).
//! All four read the latest values from the forecast *context*, so they follow new data
//! without refitting; σ stays the training estimate.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::Forecast;
use crate::forecaster::{Forecaster, check_context};
use crate::series::Series;

/// Fitted state shared by the baselines: the training step and residual scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Fitted {
    step: i64,
    sigma: f64,
}

fn rms(residuals: impl Iterator<Item = f64>, params: usize) -> f64 {
    let (mut ss, mut n) = (0.0, 0usize);
    for r in residuals {
        ss += r * r;
        n += 1;
    }
    let dof = n.saturating_sub(params).max(1);
    (ss / dof as f64).sqrt()
}

fn not_fitted(name: &str) -> Error {
    Error::NotFitted {
        model: name.to_string(),
    }
}

fn check_train(name: &str, train: &Series, needed: usize) -> Result<()> {
    if train.len() < needed {
        return Err(Error::too_short(name, needed, train.len()));
    }
    Ok(())
}

/// Random walk: every future value equals the last observed one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Naive {
    fitted: Option<Fitted>,
}

impl Naive {
    /// An unfitted naive model.
    pub fn new() -> Self {
        Self::default()
    }
}

#[typetag::serde(name = "naive")]
impl Forecaster for Naive {
    fn name(&self) -> &str {
        "naive"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        check_train(self.name(), train, 2)?;
        let y = train.values();
        let sigma = rms(y.windows(2).map(|w| w[1] - w[0]), 0);
        self.fitted = Some(Fitted {
            step: train.step(),
            sigma,
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        2
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.ok_or_else(|| not_fitted(self.name()))?;
        check_context(self.name(), context, f.step)?;
        out.reset(context.next_timestamp(), f.step, horizon, levels)?;
        let last = context.values()[context.len() - 1];
        out.point.fill(last);
        out.set_normal_intervals(|h| f.sigma * ((h + 1) as f64).sqrt())
    }
}

/// Seasonal naive: every future value equals the value one season earlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalNaive {
    season_length: usize,
    fitted: Option<Fitted>,
}

impl SeasonalNaive {
    /// A seasonal naive model with season length `m` (in steps; `m >= 1`).
    pub fn new(season_length: usize) -> Result<Self> {
        if season_length == 0 {
            return Err(Error::invalid_param(
                "season_length",
                "season length must be at least 1",
            ));
        }
        Ok(SeasonalNaive {
            season_length,
            fitted: None,
        })
    }

    /// The season length `m`.
    pub fn season_length(&self) -> usize {
        self.season_length
    }
}

#[typetag::serde(name = "seasonal-naive")]
impl Forecaster for SeasonalNaive {
    fn name(&self) -> &str {
        "seasonal-naive"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let m = self.season_length;
        check_train(self.name(), train, m + 1)?;
        let y = train.values();
        let sigma = rms((m..y.len()).map(|t| y[t] - y[t - m]), 0);
        self.fitted = Some(Fitted {
            step: train.step(),
            sigma,
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.season_length + 1
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.ok_or_else(|| not_fitted(self.name()))?;
        check_context(self.name(), context, f.step)?;
        let m = self.season_length;
        if context.len() < m {
            return Err(Error::ContextMismatch {
                model: self.name().into(),
                reason: format!(
                    "the context holds {} points but one season is {m}",
                    context.len()
                ),
            });
        }
        out.reset(context.next_timestamp(), f.step, horizon, levels)?;
        let last_season = &context.values()[context.len() - m..];
        for (h, p) in out.point.iter_mut().enumerate() {
            *p = last_season[h % m];
        }
        out.set_normal_intervals(|h| f.sigma * ((h / m + 1) as f64).sqrt())
    }
}

/// Random walk with drift: the line from the first training point to the last observation,
/// extended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    fitted: Option<DriftFitted>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct DriftFitted {
    base: Fitted,
    first_ts: i64,
    first_value: f64,
}

impl Drift {
    /// An unfitted drift model.
    pub fn new() -> Self {
        Self::default()
    }
}

#[typetag::serde(name = "drift")]
impl Forecaster for Drift {
    fn name(&self) -> &str {
        "drift"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        check_train(self.name(), train, 3)?;
        let y = train.values();
        let n = y.len();
        let slope = (y[n - 1] - y[0]) / (n - 1) as f64;
        let sigma = rms(y.windows(2).map(|w| w[1] - w[0] - slope), 1);
        self.fitted = Some(DriftFitted {
            base: Fitted {
                step: train.step(),
                sigma,
            },
            first_ts: train.start(),
            first_value: y[0],
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        3
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.ok_or_else(|| not_fitted(self.name()))?;
        check_context(self.name(), context, f.base.step)?;
        let last_ts = context.end().unwrap_or(context.start());
        let span = (last_ts - f.first_ts) / f.base.step;
        if span < 1 {
            return Err(Error::ContextMismatch {
                model: self.name().into(),
                reason: "the context ends before the second training point".into(),
            });
        }
        let last = context.values()[context.len() - 1];
        let slope = (last - f.first_value) / span as f64;
        out.reset(context.next_timestamp(), f.base.step, horizon, levels)?;
        for (h, p) in out.point.iter_mut().enumerate() {
            *p = last + slope * (h + 1) as f64;
        }
        let t = span as f64;
        out.set_normal_intervals(|h| {
            let h = (h + 1) as f64;
            f.base.sigma * (h * (1.0 + h / t)).sqrt()
        })
    }
}

/// Moving average: every future value equals the mean of the last `window` values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovingAverage {
    window: usize,
    fitted: Option<Fitted>,
}

impl MovingAverage {
    /// A moving average over the last `window` values (`window >= 1`).
    pub fn new(window: usize) -> Result<Self> {
        if window == 0 {
            return Err(Error::invalid_param("window", "window must be at least 1"));
        }
        Ok(MovingAverage {
            window,
            fitted: None,
        })
    }

    /// The averaging window.
    pub fn window(&self) -> usize {
        self.window
    }
}

#[typetag::serde(name = "moving-average")]
impl Forecaster for MovingAverage {
    fn name(&self) -> &str {
        "moving-average"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let w = self.window;
        check_train(self.name(), train, w + 1)?;
        let y = train.values();
        // In-sample one-step residuals of the rolling mean, with a running sum.
        let mut sum: f64 = y[..w].iter().sum();
        let mut residuals = Vec::with_capacity(y.len() - w);
        for t in w..y.len() {
            residuals.push(y[t] - sum / w as f64);
            sum += y[t] - y[t - w];
        }
        let sigma = rms(residuals.into_iter(), 0);
        self.fitted = Some(Fitted {
            step: train.step(),
            sigma,
        });
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.window + 1
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.ok_or_else(|| not_fitted(self.name()))?;
        check_context(self.name(), context, f.step)?;
        let w = self.window;
        if context.len() < w {
            return Err(Error::ContextMismatch {
                model: self.name().into(),
                reason: format!(
                    "the context holds {} points but the window is {w}",
                    context.len()
                ),
            });
        }
        let mean = context.values()[context.len() - w..].iter().sum::<f64>() / w as f64;
        out.reset(context.next_timestamp(), f.step, horizon, levels)?;
        out.point.fill(mean);
        let scale = f.sigma * (1.0 + 1.0 / w as f64).sqrt();
        out.set_normal_intervals(|_| scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecaster::{model_from_json, model_to_json};

    fn series(v: &[f64]) -> Series {
        Series::new(0, 60, v.to_vec()).unwrap()
    }

    #[test]
    fn naive_by_hand() {
        let s = series(&[1.0, 3.0, 2.0, 4.0]);
        let mut m = Naive::new();
        m.fit(&s).unwrap();
        // residuals 2, -1, 2 -> sigma = sqrt(9/3) = sqrt(3)
        let f = m.forecast(&s, 2, &[95.0]).unwrap();
        assert_eq!(f.point, vec![4.0, 4.0]);
        let z = 1.959963984540054;
        let i = f.interval(95.0).unwrap();
        assert!((i.upper[1] - (4.0 + z * 3f64.sqrt() * 2f64.sqrt())).abs() < 1e-12);
        assert_eq!(f.timestamps, vec![240, 300]);
    }

    #[test]
    fn seasonal_naive_by_hand() {
        let s = series(&[1.0, 2.0, 3.0, 1.5, 2.5, 3.5]);
        let mut m = SeasonalNaive::new(3).unwrap();
        m.fit(&s).unwrap();
        let f = m.forecast(&s, 4, &[]).unwrap();
        assert_eq!(f.point, vec![1.5, 2.5, 3.5, 1.5]);
        // context shorter than a season
        assert!(matches!(
            m.forecast(&s.tail(2), 1, &[]),
            Err(Error::ContextMismatch { .. })
        ));
        assert!(SeasonalNaive::new(0).is_err());
    }

    #[test]
    fn drift_follows_context_without_refit() {
        let s = series(&[0.0, 1.0, 2.0, 3.0]);
        let mut m = Drift::new();
        m.fit(&s).unwrap();
        assert_eq!(m.forecast(&s, 2, &[]).unwrap().point, vec![4.0, 5.0]);
        let longer = series(&[0.0, 1.0, 2.0, 3.0, 8.0]);
        // slope now (8-0)/4 = 2
        assert_eq!(
            m.forecast(&longer.tail(2), 1, &[]).unwrap().point,
            vec![10.0]
        );
    }

    #[test]
    fn moving_average_by_hand() {
        let s = series(&[1.0, 2.0, 3.0, 4.0]);
        let mut m = MovingAverage::new(2).unwrap();
        m.fit(&s).unwrap();
        assert_eq!(m.forecast(&s, 1, &[]).unwrap().point, vec![3.5]);
    }

    #[test]
    fn unfitted_and_bad_horizon_errors() {
        let s = series(&[1.0, 2.0]);
        let m = Naive::new();
        assert!(matches!(
            m.forecast(&s, 1, &[]),
            Err(Error::NotFitted { .. })
        ));
        let mut m = Naive::new();
        m.fit(&s).unwrap();
        assert_eq!(m.forecast(&s, 0, &[]), Err(Error::ZeroHorizon));
        let other_step = Series::new(0, 30, vec![1.0, 2.0]).unwrap();
        assert!(matches!(
            m.forecast(&other_step, 1, &[]),
            Err(Error::ContextMismatch { .. })
        ));
    }

    #[test]
    fn save_load_through_dyn_gives_identical_forecasts() {
        let s = series(&[5.0, 1.0, 4.0, 2.0, 6.0, 3.0, 7.0]);
        let models: Vec<Box<dyn Forecaster>> = vec![
            Box::new(Naive::new()),
            Box::new(SeasonalNaive::new(2).unwrap()),
            Box::new(Drift::new()),
            Box::new(MovingAverage::new(3).unwrap()),
        ];
        for mut m in models {
            m.fit(&s).unwrap();
            let json = model_to_json(m.as_ref()).unwrap();
            let back = model_from_json(&json).unwrap();
            assert_eq!(back.name(), m.name());
            assert_eq!(
                back.forecast(&s, 5, &[80.0, 95.0]).unwrap(),
                m.forecast(&s, 5, &[80.0, 95.0]).unwrap()
            );
        }
    }
}
