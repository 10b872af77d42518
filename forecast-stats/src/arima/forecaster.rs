//! [`Forecaster`] implementations: [`Arima`] (fixed orders) and [`AutoArima`].

use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

use super::auto::{AutoArimaConfig, auto_arima};
use super::fit::{Method, fit};
use super::model::FittedArima;
use super::spec::ArimaSpec;

/// Hyper-parameters of [`Arima`]. Defaults: ARIMA(0,0,0) with mean, no season, CSS-ML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArimaConfig {
    /// Non-seasonal order `(p, d, q)`.
    pub order: [usize; 3],
    /// Seasonal order `(P, D, Q)`.
    pub seasonal_order: [usize; 3],
    /// Season length `m` (1 = none).
    pub season: usize,
    /// Include a mean when `d + D = 0` (ignored otherwise, as in R).
    pub mean: bool,
    /// Include a drift (needs `d + D <= 1`).
    pub drift: bool,
    /// Estimation method.
    pub method: Method,
}

impl Default for ArimaConfig {
    fn default() -> Self {
        ArimaConfig {
            order: [0, 0, 0],
            seasonal_order: [0, 0, 0],
            season: 1,
            mean: true,
            drift: false,
            method: Method::CssMl,
        }
    }
}

impl ArimaConfig {
    /// The model specification these settings describe.
    pub fn spec(&self) -> ArimaSpec {
        ArimaSpec {
            p: self.order[0],
            d: self.order[1],
            q: self.order[2],
            sp: self.seasonal_order[0],
            sd: self.seasonal_order[1],
            sq: self.seasonal_order[2],
            m: self.season,
            include_mean: self.mean,
            include_drift: self.drift,
        }
    }
}

/// ARIMA/SARIMA `(p,d,q)(P,D,Q)[m]` with mean/drift, fitted by CSS then exact ML.
///
/// ```
/// use forecast_core::{Forecaster, Series};
/// use forecast_stats::arima::{Arima, ArimaConfig};
/// let y: Vec<f64> = (0..200).map(|t| (t as f64 * 0.3).sin() * 5.0 + (t % 7) as f64).collect();
/// let train = Series::new(0, 3600, y).unwrap();
/// let mut model = Arima::new(ArimaConfig { order: [1, 0, 1], ..Default::default() }).unwrap();
/// model.fit(&train).unwrap();
/// let f = model.forecast(&train, 12, &[80.0, 95.0]).unwrap();
/// assert_eq!(f.point.len(), 12);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Arima {
    config: ArimaConfig,
    fitted: Option<FittedArima>,
}

impl Arima {
    /// Validates the configuration (orders, season, drift) before any fitting.
    pub fn new(config: ArimaConfig) -> Result<Self> {
        config.spec().validate()?;
        Ok(Arima {
            config,
            fitted: None,
        })
    }

    /// A model with fixed, given results (e.g. reference coefficients) bound to `train`.
    pub fn from_fit(config: ArimaConfig, fitted: FittedArima) -> Result<Self> {
        config.spec().validate()?;
        Ok(Arima {
            config,
            fitted: Some(fitted),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ArimaConfig {
        &self.config
    }

    /// The fitted model, if any.
    pub fn fitted(&self) -> Option<&FittedArima> {
        self.fitted.as_ref()
    }
}

fn not_fitted(name: &str) -> Error {
    Error::NotFitted {
        model: name.to_string(),
    }
}

#[typetag::serde(name = "arima")]
impl Forecaster for Arima {
    fn name(&self) -> &str {
        "arima"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let spec = self.config.spec();
        let res = fit(train.values(), &spec, self.config.method)?;
        self.fitted = Some(FittedArima::new(res, train)?);
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self.fitted.as_ref().ok_or_else(|| not_fitted("arima"))?;
        f.forecast_into("arima", context, horizon, levels, out)
    }

    fn min_train_len(&self) -> usize {
        let s = self.config.spec();
        (s.n_diff() + s.p_full() + s.n_coef() + 2).max(s.n_diff() + s.q_full() + 2)
    }
}

/// Automatic ARIMA (Hyndman–Khandakar stepwise search, as `forecast::auto.arima` /
/// statsforecast `AutoARIMA`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AutoArima {
    config: AutoArimaConfig,
    fitted: Option<FittedArima>,
}

impl AutoArima {
    /// Validates the configuration.
    pub fn new(config: AutoArimaConfig) -> Result<Self> {
        config.validate()?;
        Ok(AutoArima {
            config,
            fitted: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AutoArimaConfig {
        &self.config
    }

    /// The selected and fitted model, if fitted.
    pub fn fitted(&self) -> Option<&FittedArima> {
        self.fitted.as_ref()
    }
}

#[typetag::serde(name = "auto-arima")]
impl Forecaster for AutoArima {
    fn name(&self) -> &str {
        "auto-arima"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let res = auto_arima(train.values(), &self.config)?;
        self.fitted = Some(FittedArima::new(res.best, train)?);
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let f = self
            .fitted
            .as_ref()
            .ok_or_else(|| not_fitted("auto-arima"))?;
        f.forecast_into("auto-arima", context, horizon, levels, out)
    }

    fn min_train_len(&self) -> usize {
        3
    }
}
