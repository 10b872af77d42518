//! The three forecasters: [`HoltWinters`], [`Ets`] and [`AutoEts`].

use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

use super::auto::{AutoEtsConfig, Candidate, select};
use super::fit::{Criterion, check_data, fit_spec};
use super::model::{FittedEts, SigmaConvention};
use super::spec::{ErrorType, EtsSpec, EtsState, Seasonal, SmoothingParams, Trend};

/// The `forecast_into` shared by the three forecasters: the fitted model's hot path, or
/// `NotFitted`.
fn forecast_fitted(
    fitted: Option<&FittedEts>,
    name: &str,
    context: &Series,
    horizon: usize,
    levels: &[f64],
    out: &mut Forecast,
) -> Result<()> {
    let f = fitted.ok_or_else(|| Error::NotFitted {
        model: name.to_string(),
    })?;
    f.forecast_into(name, context, horizon, levels, out)
}

/// The `fit` shared by the fixed-spec forecasters: checks the data, optimises `criterion`
/// and runs the optimum over `train`; `failure` explains an optimiser without a finite fit.
fn fit_fixed(
    spec: &EtsSpec,
    criterion: Criterion,
    convention: SigmaConvention,
    train: &Series,
    what: &str,
    failure: impl FnOnce() -> String,
) -> Result<FittedEts> {
    let y = train.values();
    check_data(spec, y, what)?;
    let out = fit_spec(spec, criterion, y, None).ok_or_else(|| Error::model(what, failure()))?;
    FittedEts::from_parts(*spec, out.params, out.init, train, convention)
}

// ---------------------------------------------------------------------------------------

/// Hyper-parameters of [`HoltWinters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoltWintersConfig {
    /// Trend: none, additive or additive damped (the damped flag lives in the trend).
    pub trend: Trend,
    /// Season: none, additive or multiplicative.
    pub seasonal: Seasonal,
    /// Season length `m` in steps (ignored without season, must be ≥ 2 with one).
    pub season_length: usize,
}

impl Default for HoltWintersConfig {
    /// Additive trend and additive daily season of hourly data (`m = 24`).
    fn default() -> Self {
        HoltWintersConfig {
            trend: Trend::Additive,
            seasonal: Seasonal::Additive,
            season_length: 24,
        }
    }
}

impl HoltWintersConfig {
    /// The model as an ETS spec with additive errors.
    pub fn spec(&self) -> Result<EtsSpec> {
        let m = if self.seasonal.is_some() {
            self.season_length
        } else {
            self.season_length.max(1)
        };
        EtsSpec::new(ErrorType::Additive, self.trend, self.seasonal, m)
    }
}

/// Holt-Winters parameters in statsmodels' `ExponentialSmoothing` convention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HwParams {
    /// `smoothing_level` α.
    pub alpha: f64,
    /// `smoothing_trend` β\* (Holt's form; ETS β = α·β\*).
    pub beta_star: f64,
    /// `smoothing_seasonal` γ.
    pub gamma: f64,
    /// `damping_trend` φ (1 when not damped).
    pub phi: f64,
    /// `initial_level`: the level before the first observation.
    pub initial_level: f64,
    /// `initial_trend` (0 without trend).
    pub initial_trend: f64,
    /// `initial_seasons[j]`: seasonal state for time `j − m` (empty without season).
    pub initial_seasons: Vec<f64>,
}

/// Classic Holt-Winters exponential smoothing, estimated like statsmodels
/// `ExponentialSmoothing(...).fit()`: least squares (SSE) over α, β\*, γ, φ and all initial
/// states, with statsmodels' bounds (`β* ≤ α`, `γ ≤ 1 − α`, `φ ∈ [0.8, 0.995]`).
///
/// Intervals use the class-1 ETS variance with `σ² = SSE/n` (as statsmodels' `ETSModel`
/// does for these parameters); multiplicative seasons use simulation.
///
/// ```
/// use forecast_core::{Forecaster, Series};
/// use forecast_stats::ets::{HoltWinters, HoltWintersConfig, Seasonal, Trend};
/// let y: Vec<f64> = (0..96).map(|t| 50.0 + 0.1 * t as f64 + [5.0, -2.0, -4.0, 1.0][t % 4]).collect();
/// let train = Series::new(0, 3600, y).unwrap();
/// let cfg = HoltWintersConfig { trend: Trend::Additive, seasonal: Seasonal::Additive, season_length: 4 };
/// let mut hw = HoltWinters::new(cfg).unwrap();
/// hw.fit(&train).unwrap();
/// let f = hw.forecast(&train, 4, &[80.0]).unwrap();
/// assert!((f.point[0] - (50.0 + 9.6 + 5.0)).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoltWinters {
    config: HoltWintersConfig,
    fitted: Option<FittedEts>,
}

impl HoltWinters {
    /// A validated, unfitted model.
    pub fn new(config: HoltWintersConfig) -> Result<Self> {
        config.spec()?;
        Ok(HoltWinters {
            config,
            fitted: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &HoltWintersConfig {
        &self.config
    }

    /// The fit, once fitted.
    pub fn fitted(&self) -> Option<&FittedEts> {
        self.fitted.as_ref()
    }

    /// Sets known parameters (statsmodels convention) and runs them over `train`, without
    /// optimisation (statsmodels `initialization_method='known'`, `optimized=False`).
    pub fn fit_with(&mut self, train: &Series, p: &HwParams) -> Result<()> {
        let spec = self.config.spec()?;
        let params = SmoothingParams {
            alpha: p.alpha,
            beta: p.alpha * p.beta_star,
            gamma: p.gamma,
            phi: if spec.trend.is_damped() { p.phi } else { 1.0 },
        };
        let season = if spec.seasonal.is_some() {
            p.initial_seasons.clone()
        } else {
            vec![0.0]
        };
        let init = EtsState {
            level: p.initial_level,
            trend: p.initial_trend,
            season,
            pos: 0,
        };
        self.fitted = Some(FittedEts::from_parts(
            spec,
            params,
            init,
            train,
            SigmaConvention::SseOverN,
        )?);
        Ok(())
    }

    /// The fitted parameters in statsmodels' convention.
    pub fn hw_params(&self) -> Option<HwParams> {
        let f = self.fitted.as_ref()?;
        let p = f.params;
        Some(HwParams {
            alpha: p.alpha,
            beta_star: if p.alpha > 0.0 { p.beta / p.alpha } else { 0.0 },
            gamma: p.gamma,
            phi: p.phi,
            initial_level: f.initial.level,
            initial_trend: f.initial.trend,
            initial_seasons: if f.spec.seasonal.is_some() {
                f.initial.season.clone()
            } else {
                Vec::new()
            },
        })
    }
}

#[typetag::serde(name = "holt-winters")]
impl Forecaster for HoltWinters {
    fn name(&self) -> &str {
        "holt-winters"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let spec = self.config.spec()?;
        self.fitted = Some(fit_fixed(
            &spec,
            Criterion::HwSse,
            SigmaConvention::SseOverN,
            train,
            "holt-winters",
            || "the SSE optimisation found no finite fit".to_string(),
        )?);
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.config.spec().map(|s| s.min_train_len()).unwrap_or(1)
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        forecast_fitted(
            self.fitted.as_ref(),
            self.name(),
            context,
            horizon,
            levels,
            out,
        )
    }
}

// ---------------------------------------------------------------------------------------

/// A fixed ETS(E,T,S) model estimated by maximum likelihood like R `forecast::ets(y, model)`
/// (usual ∩ admissible bounds, initial states estimated).
///
/// ```
/// use forecast_core::{Forecaster, Series};
/// use forecast_stats::ets::{Ets, EtsSpec};
/// let y: Vec<f64> = (0..60).map(|t| 10.0 + ((t * 7) % 5) as f64).collect();
/// let train = Series::new(0, 60, y).unwrap();
/// let mut m = Ets::new("ANN".parse::<EtsSpec>().unwrap()).unwrap();
/// m.fit(&train).unwrap();
/// let f = m.forecast(&train, 3, &[95.0]).unwrap();
/// assert_eq!(f.point.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ets {
    spec: EtsSpec,
    fitted: Option<FittedEts>,
}

impl Ets {
    /// An unfitted model (the spec is validated by [`EtsSpec::new`]).
    pub fn new(spec: EtsSpec) -> Result<Self> {
        let spec = EtsSpec::new(spec.error, spec.trend, spec.seasonal, spec.season_length)?;
        Ok(Ets { spec, fitted: None })
    }

    /// The model.
    pub fn spec(&self) -> &EtsSpec {
        &self.spec
    }

    /// The fit, once fitted.
    pub fn fitted(&self) -> Option<&FittedEts> {
        self.fitted.as_ref()
    }

    /// Sets known parameters and initial states (R order `x0 = (ℓ, [b], s1..sm)`, `s1` the
    /// most recent seasonal state, as statsforecast's `par`) and runs them over `train`.
    pub fn fit_with(&mut self, train: &Series, params: SmoothingParams, x0: &[f64]) -> Result<()> {
        let init = initial_from_r_order(&self.spec, x0)?;
        self.fitted = Some(FittedEts::from_parts(
            self.spec,
            params,
            init,
            train,
            SigmaConvention::Statsforecast,
        )?);
        Ok(())
    }
}

/// Converts R's initial state vector `(ℓ, [b], s1..sm)` into an [`EtsState`].
pub fn initial_from_r_order(spec: &EtsSpec, x0: &[f64]) -> Result<EtsState> {
    let has_b = spec.trend.is_some();
    let m = spec.m();
    let want = 1 + usize::from(has_b) + if spec.seasonal.is_some() { m } else { 0 };
    if x0.len() != want {
        return Err(Error::invalid_param(
            "x0",
            format!("{} initial states given, {spec} needs {want}", x0.len()),
        ));
    }
    let off = 1 + usize::from(has_b);
    let season = if spec.seasonal.is_some() {
        x0[off..].iter().rev().copied().collect()
    } else {
        vec![0.0]
    };
    Ok(EtsState {
        level: x0[0],
        trend: if has_b { x0[1] } else { 0.0 },
        season,
        pos: 0,
    })
}

#[typetag::serde(name = "ets")]
impl Forecaster for Ets {
    fn name(&self) -> &str {
        "ets"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let spec = self.spec;
        self.fitted = Some(fit_fixed(
            &spec,
            Criterion::EtsLik,
            SigmaConvention::Statsforecast,
            train,
            "ets",
            || format!("{spec}: no admissible parameters with a finite likelihood"),
        )?);
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        self.spec.min_train_len()
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        forecast_fitted(
            self.fitted.as_ref(),
            self.name(),
            context,
            horizon,
            levels,
            out,
        )
    }
}

// ---------------------------------------------------------------------------------------

/// Automatic ETS: fits the admissible candidates and keeps the smallest AICc
/// (see [`super::auto`]).
///
/// ```
/// use forecast_core::{Forecaster, Series};
/// use forecast_stats::ets::{AutoEts, AutoEtsConfig};
/// let y: Vec<f64> = (0..48).map(|t| 20.0 + [3.0, -1.0, -2.0, 0.0][t % 4] + 0.01 * ((t * 13) % 7) as f64).collect();
/// let train = Series::new(0, 60, y).unwrap();
/// let mut m = AutoEts::new(AutoEtsConfig { season_length: 4, ..Default::default() }).unwrap();
/// m.fit(&train).unwrap();
/// assert!(m.selected().unwrap().seasonal.is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoEts {
    config: AutoEtsConfig,
    fitted: Option<FittedEts>,
    candidates: Vec<Candidate>,
}

impl AutoEts {
    /// A validated, unfitted model.
    pub fn new(config: AutoEtsConfig) -> Result<Self> {
        config.validate()?;
        Ok(AutoEts {
            config,
            fitted: None,
            candidates: Vec::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AutoEtsConfig {
        &self.config
    }

    /// The selected model, once fitted.
    pub fn selected(&self) -> Option<EtsSpec> {
        self.fitted.as_ref().map(|f| f.spec)
    }

    /// The fit of the selected model.
    pub fn fitted(&self) -> Option<&FittedEts> {
        self.fitted.as_ref()
    }

    /// Every candidate tried with its AICc (`+∞` for failed fits), in R's order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }
}

#[typetag::serde(name = "auto-ets")]
impl Forecaster for AutoEts {
    fn name(&self) -> &str {
        "auto-ets"
    }

    fn fit(&mut self, train: &Series) -> Result<()> {
        let (spec, out, table) = select(&self.config, train.values())?;
        self.fitted = Some(FittedEts::from_parts(
            spec,
            out.params,
            out.init,
            train,
            SigmaConvention::Statsforecast,
        )?);
        self.candidates = table;
        Ok(())
    }

    fn is_fitted(&self) -> bool {
        self.fitted.is_some()
    }

    fn min_train_len(&self) -> usize {
        EtsSpec::new(ErrorType::Additive, Trend::None, Seasonal::None, 1)
            .map(|s| s.min_train_len())
            .unwrap_or(1)
    }

    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        forecast_fitted(
            self.fitted.as_ref(),
            self.name(),
            context,
            horizon,
            levels,
            out,
        )
    }
}
