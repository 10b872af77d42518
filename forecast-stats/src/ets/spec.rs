//! Model types: the ETS(E,T,S) taxonomy, smoothing parameters and the state vector.
//!
//! ```
//! use forecast_stats::ets::{EtsSpec, ErrorType, Trend, Seasonal};
//! let spec: EtsSpec = "MAdA".parse::<EtsSpec>().unwrap().with_season_length(24).unwrap();
//! assert_eq!(spec.error, ErrorType::Multiplicative);
//! assert_eq!(spec.trend, Trend::AdditiveDamped);
//! assert_eq!(spec.seasonal, Seasonal::Additive);
//! assert_eq!(spec.to_string(), "ETS(M,Ad,A)[24]");
//! ```

use std::fmt;
use std::str::FromStr;

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// Error type E of ETS(E,T,S): how the innovation enters the observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorType {
    /// `y = ŷ + e` (E = A).
    Additive,
    /// `y = ŷ (1 + e)` (E = M); needs strictly positive data.
    Multiplicative,
}

/// Trend component T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trend {
    /// No trend (T = N).
    #[serde(rename = "none")]
    None,
    /// Additive (linear) trend (T = A).
    #[serde(rename = "add")]
    Additive,
    /// Additive damped trend (T = Ad), damping `φ` estimated.
    #[serde(rename = "add-damped")]
    AdditiveDamped,
}

/// Seasonal component S.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Seasonal {
    /// No seasonality (S = N).
    #[serde(rename = "none")]
    None,
    /// Additive seasonality (S = A).
    #[serde(rename = "add")]
    Additive,
    /// Multiplicative seasonality (S = M); needs strictly positive data.
    #[serde(rename = "mul")]
    Multiplicative,
}

impl Trend {
    /// True unless `None`.
    pub fn is_some(self) -> bool {
        self != Trend::None
    }
    /// True for the damped trend.
    pub fn is_damped(self) -> bool {
        self == Trend::AdditiveDamped
    }
}

impl Seasonal {
    /// True unless `None`.
    pub fn is_some(self) -> bool {
        self != Seasonal::None
    }
}

/// Largest season length whose initial seasonal states are optimised by the derivative-free
/// optimiser for the non-linear (multiplicative) models; above it they stay at the values of
/// the additive fit (R `ets` refuses `m > 24` altogether). Linear models estimate all initial
/// states exactly by least squares for any `m`.
pub const MAX_FREE_SEASON_NONLINEAR: usize = 24;

/// A model of the ETS(E,T,S) family with its season length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EtsSpec {
    /// Error type.
    pub error: ErrorType,
    /// Trend type.
    pub trend: Trend,
    /// Seasonal type.
    pub seasonal: Seasonal,
    /// Season length `m` in steps (1 for non-seasonal models).
    pub season_length: usize,
}

impl EtsSpec {
    /// A checked spec: seasonal models need `m >= 2`; `m = 0` is rejected.
    pub fn new(
        error: ErrorType,
        trend: Trend,
        seasonal: Seasonal,
        season_length: usize,
    ) -> Result<Self> {
        if season_length == 0 {
            return Err(Error::invalid_param(
                "season",
                "season length must be at least 1 (1 = no season)",
            ));
        }
        if seasonal.is_some() && season_length < 2 {
            return Err(Error::invalid_param(
                "season",
                format!(
                    "a seasonal model needs a season length of at least 2, got {season_length}"
                ),
            ));
        }
        Ok(EtsSpec {
            error,
            trend,
            seasonal,
            season_length,
        })
    }

    /// The same components with another season length (checked).
    pub fn with_season_length(self, m: usize) -> Result<Self> {
        EtsSpec::new(self.error, self.trend, self.seasonal, m)
    }

    /// Effective season length: `m` for seasonal models, 1 otherwise.
    pub fn m(&self) -> usize {
        if self.seasonal.is_some() {
            self.season_length
        } else {
            1
        }
    }

    /// True when the model is linear in its initial states (additive error, no
    /// multiplicative season): then the initial states are estimated by least squares.
    pub fn is_linear(&self) -> bool {
        self.error == ErrorType::Additive && self.seasonal != Seasonal::Multiplicative
    }

    /// True when any component is multiplicative (the data must be positive).
    pub fn needs_positive(&self) -> bool {
        self.error == ErrorType::Multiplicative || self.seasonal == Seasonal::Multiplicative
    }

    /// Number of free smoothing parameters (α, β, γ, φ that the model has).
    pub fn n_smoothing(&self) -> usize {
        1 + usize::from(self.trend.is_some())
            + usize::from(self.seasonal.is_some())
            + usize::from(self.trend.is_damped())
    }

    /// Number of free initial states: level, trend, and `m − 1` seasonal states.
    pub fn n_initial(&self) -> usize {
        1 + usize::from(self.trend.is_some())
            + if self.seasonal.is_some() {
                self.season_length - 1
            } else {
                0
            }
    }

    /// Number of parameters as R `ets` / statsforecast count them for the AICc: smoothing
    /// parameters + free initial states + 1 for σ².
    pub fn n_params(&self) -> usize {
        self.n_smoothing() + self.n_initial() + 1
    }

    /// The fewest observations a fit accepts: two full seasons for seasonal models, and at
    /// least `n_params + 4` points (R `ets` falls back to simpler methods below that).
    pub fn min_train_len(&self) -> usize {
        let base = self.n_params() + 4;
        if self.seasonal.is_some() {
            base.max(2 * self.season_length)
        } else {
            base
        }
    }

    /// Short R-style code such as `MAdA`.
    pub fn code(&self) -> String {
        let e = match self.error {
            ErrorType::Additive => "A",
            ErrorType::Multiplicative => "M",
        };
        let t = match self.trend {
            Trend::None => "N",
            Trend::Additive => "A",
            Trend::AdditiveDamped => "Ad",
        };
        let s = match self.seasonal {
            Seasonal::None => "N",
            Seasonal::Additive => "A",
            Seasonal::Multiplicative => "M",
        };
        format!("{e}{t}{s}")
    }
}

impl fmt::Display for EtsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.code();
        let (e, rest) = c.split_at(1);
        let (t, s) = rest.split_at(rest.len() - 1);
        write!(f, "ETS({e},{t},{s})")?;
        if self.seasonal.is_some() {
            write!(f, "[{}]", self.season_length)?;
        }
        Ok(())
    }
}

impl FromStr for EtsSpec {
    type Err = Error;

    /// Parses an R-style code (`ANN`, `AAdA`, `MAM`, ...) with season length 1 for
    /// non-seasonal codes and a placeholder of 2 for seasonal ones (set the real one with
    /// [`EtsSpec::with_season_length`]).
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::invalid_param(
                "model",
                format!("`{s}` is not an ETS code like ANN, AAdA or MAM"),
            )
        };
        let b = s.as_bytes();
        if !(b.len() == 3 || b.len() == 4) {
            return Err(bad());
        }
        let error = match b[0] {
            b'A' => ErrorType::Additive,
            b'M' => ErrorType::Multiplicative,
            _ => return Err(bad()),
        };
        let (trend, rest) = match (b[1], b.len()) {
            (b'N', 3) => (Trend::None, b[2]),
            (b'A', 3) => (Trend::Additive, b[2]),
            (b'A', 4) if b[2] == b'd' => (Trend::AdditiveDamped, b[3]),
            _ => return Err(bad()),
        };
        let seasonal = match rest {
            b'N' => Seasonal::None,
            b'A' => Seasonal::Additive,
            b'M' => Seasonal::Multiplicative,
            _ => return Err(bad()),
        };
        let m = if seasonal.is_some() { 2 } else { 1 };
        EtsSpec::new(error, trend, seasonal, m)
    }
}

/// Smoothing parameters in the innovations (error-correction) form of R `forecast::ets`:
/// `beta` is the ETS β (= α·β\* of Holt's form). Parameters a model does not have are 0
/// (β, γ) or 1 (φ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SmoothingParams {
    /// Level smoothing α.
    pub alpha: f64,
    /// Trend smoothing β (ETS form, `β ≤ α`).
    pub beta: f64,
    /// Seasonal smoothing γ.
    pub gamma: f64,
    /// Damping φ (1 when not damped).
    pub phi: f64,
}

/// The state of an ETS recursion: level, trend and a ring of `m` seasonal states.
///
/// `season[(pos + j) % m]` is the seasonal state that the `j`-th next observation uses
/// (`j = 0` is the oldest, `s_{t+1−m}`). A freshly initialised state has `pos = 0`, so
/// `season` is then chronological: `season[j]` is the state for time `j − m`, exactly
/// statsmodels' `initial_seasons`. Non-seasonal models keep one unused slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EtsState {
    /// Level `ℓ`.
    pub level: f64,
    /// Trend `b` (0 without trend).
    pub trend: f64,
    /// Seasonal ring (length `m`, or 1 without season).
    pub season: Vec<f64>,
    /// Ring position of the oldest seasonal state.
    pub pos: usize,
}

impl EtsState {
    /// The seasonal states in chronological order (oldest first), as a new vector.
    pub fn season_chronological(&self) -> Vec<f64> {
        let m = self.season.len();
        (0..m).map(|j| self.season[(self.pos + j) % m]).collect()
    }
}
