//! Hyper-parameters of [`ProphetStyle`](super::ProphetStyle), validated before any fitting.

use std::str::FromStr;

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// How seasonal terms combine with the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeasonalityMode {
    /// `yhat = trend + seasonality` (Prophet's default).
    #[default]
    Additive,
    /// `yhat = trend · (1 + seasonality)`.
    Multiplicative,
}

impl FromStr for SeasonalityMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "additive" | "add" => Ok(Self::Additive),
            "multiplicative" | "mul" => Ok(Self::Multiplicative),
            other => Err(Error::invalid_param(
                "seasonality-mode",
                format!("`{other}` is not one of additive, multiplicative"),
            )),
        }
    }
}

/// Whether a built-in seasonality (daily, weekly, yearly) is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Toggle {
    /// Prophet's rule: yearly on if the training span is ≥ 730 days; weekly if ≥ 14 days and
    /// the step < 7 days; daily if ≥ 2 days and the step < 1 day.
    #[default]
    Auto,
    /// Always on, with the default Fourier order.
    On,
    /// Always off.
    Off,
}

impl FromStr for Toggle {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "true" | "on" | "yes" => Ok(Self::On),
            "false" | "off" | "no" => Ok(Self::Off),
            other => Err(Error::invalid_param(
                "seasonality toggle",
                format!("`{other}` is not one of auto, true, false"),
            )),
        }
    }
}

/// A user-defined seasonality (Prophet's `add_seasonality`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomSeasonality {
    /// Name, unique among the model's seasonalities.
    pub name: String,
    /// Period in seconds (e.g. `3600.0` for an hourly cycle).
    pub period_seconds: f64,
    /// Number of Fourier harmonics (≥ 1); the seasonality gets `2·fourier_order` columns.
    pub fourier_order: usize,
    /// Prior scale of its coefficients; `None` uses `seasonality_prior_scale`.
    pub prior_scale: Option<f64>,
    /// Mode; `None` uses `seasonality_mode`.
    pub mode: Option<SeasonalityMode>,
}

/// Validated hyper-parameters of the Prophet-style model, with Prophet's defaults.
///
/// ```
/// use forecast_stats::prophet::ProphetStyleConfig;
/// let cfg = ProphetStyleConfig { n_changepoints: 10, ..Default::default() };
/// assert!(cfg.validate().is_ok());
/// let bad = ProphetStyleConfig { changepoint_prior_scale: -1.0, ..Default::default() };
/// assert!(bad.validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProphetStyleConfig {
    /// Number of potential changepoints (25).
    pub n_changepoints: usize,
    /// Share of the history in which changepoints are placed, in (0, 1] (0.8).
    pub changepoint_range: f64,
    /// Scale τ of the Laplace prior on trend changes (0.05).
    pub changepoint_prior_scale: f64,
    /// Scale of the normal prior on Fourier coefficients (10).
    pub seasonality_prior_scale: f64,
    /// Additive or multiplicative seasonality (additive).
    pub seasonality_mode: SeasonalityMode,
    /// Daily seasonality, order 4 (auto).
    pub daily: Toggle,
    /// Weekly seasonality, order 3 (auto).
    pub weekly: Toggle,
    /// Yearly seasonality, order 10 (auto).
    pub yearly: Toggle,
    /// Extra seasonalities.
    pub custom: Vec<CustomSeasonality>,
    /// Width of the default interval of [`FittedProphet::predict`](super::FittedProphet::predict),
    /// in (0, 1) (0.8). `Forecaster::forecast` uses the levels it is given instead.
    pub interval_width: f64,
    /// Number of simulated paths for intervals (1000); 0 disables intervals.
    pub uncertainty_samples: usize,
    /// Seed of the interval simulation (every forecast call restarts from it).
    pub seed: u64,
    /// Iteration limit of the L-BFGS optimiser (10000, as Python Prophet passes to Stan).
    pub max_iterations: u64,
}

impl Default for ProphetStyleConfig {
    fn default() -> Self {
        Self {
            n_changepoints: 25,
            changepoint_range: 0.8,
            changepoint_prior_scale: 0.05,
            seasonality_prior_scale: 10.0,
            seasonality_mode: SeasonalityMode::Additive,
            daily: Toggle::Auto,
            weekly: Toggle::Auto,
            yearly: Toggle::Auto,
            custom: Vec::new(),
            interval_width: 0.8,
            uncertainty_samples: 1000,
            seed: 0,
            max_iterations: 10_000,
        }
    }
}

fn positive(name: &str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_param(
            name,
            format!("must be a finite number > 0, got {v}"),
        ))
    }
}

impl ProphetStyleConfig {
    /// Checks every field; returns [`Error::InvalidParameter`] naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        if !(self.changepoint_range.is_finite()
            && self.changepoint_range > 0.0
            && self.changepoint_range <= 1.0)
        {
            return Err(Error::invalid_param(
                "changepoint_range",
                format!("must be in (0, 1], got {}", self.changepoint_range),
            ));
        }
        positive("changepoint_prior_scale", self.changepoint_prior_scale)?;
        positive("seasonality_prior_scale", self.seasonality_prior_scale)?;
        if !(self.interval_width.is_finite()
            && self.interval_width > 0.0
            && self.interval_width < 1.0)
        {
            return Err(Error::invalid_param(
                "interval_width",
                format!("must be in (0, 1), got {}", self.interval_width),
            ));
        }
        if self.max_iterations == 0 {
            return Err(Error::invalid_param("max_iterations", "must be at least 1"));
        }
        for (i, c) in self.custom.iter().enumerate() {
            let what = format!("custom[{i}] ({})", c.name);
            if c.name.trim().is_empty() {
                return Err(Error::invalid_param(what, "name must not be empty"));
            }
            if ["daily", "weekly", "yearly"].contains(&c.name.as_str()) {
                return Err(Error::invalid_param(
                    what,
                    "name clashes with a built-in seasonality; switch the built-in off and use another name",
                ));
            }
            if self.custom[..i].iter().any(|o| o.name == c.name) {
                return Err(Error::invalid_param(what, "duplicate name"));
            }
            positive(&format!("{what}.period_seconds"), c.period_seconds)?;
            if c.fourier_order == 0 {
                return Err(Error::invalid_param(
                    format!("{what}.fourier_order"),
                    "must be at least 1",
                ));
            }
            if let Some(p) = c.prior_scale {
                positive(&format!("{what}.prior_scale"), p)?;
            }
        }
        Ok(())
    }
}
