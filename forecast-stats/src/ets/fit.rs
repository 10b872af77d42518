//! Parameter estimation: R `ets` likelihood (ETS) or statsmodels' SSE (Holt-Winters).
//!
//! The smoothing parameters are optimised in the unit box and mapped onto the bounds
//! (`α = lo + p_α(hi − lo)`, `β = lo + p_β(min(α, hi) − lo)`, `γ = lo + p_γ(min(hi, 1 − α) − lo)`,
//! `φ` linear in its range), so every point of the box satisfies the usual bounds; the ETS
//! admissible region is checked on top (outside scores `+∞`).
//!
//! - **Linear models** (additive error, no multiplicative season): the initial states are
//!   concentrated out exactly by least squares ([`super::concentrate`]) for every `m`, and a
//!   coarse grid then Nelder–Mead search the ≤ 4 smoothing parameters.
//! - **Non-linear models** (multiplicative error or season): Nelder–Mead with restarts over
//!   smoothing parameters and initial states jointly, started from the better of the additive
//!   counterpart's optimum and R's heuristic states. For `m > 24` the seasonal initial states
//!   stay at the starting values (from the additive fit) and only α, β, γ, φ, ℓ0, b0 move.

use forecast_core::{Error, Result};

use super::admissible::{LOWER, PHI_RANGE, UPPER, admissible};
use super::concentrate::Concentrator;
use super::ets_filter::{PassStats, pass};
use super::init::initial_state;
use super::nelder_mead::{NmOptions, minimize};
use super::spec::{
    ErrorType, EtsSpec, EtsState, MAX_FREE_SEASON_NONLINEAR, Seasonal, SmoothingParams, Trend,
};

/// What is minimised, with which bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Criterion {
    /// R `ets`: `n ln Σe² (+ 2Σ ln|ŷ|)`, usual ∩ admissible bounds.
    EtsLik,
    /// statsmodels `ExponentialSmoothing`: SSE, `α ∈ [ε, 1−ε]`, `β* ∈ [0, α]`,
    /// `γ ∈ [0, 1 − α]`, `φ ∈ [0.8, 0.995]`.
    HwSse,
}

/// A fitted parameter set with its initial state and in-sample statistics.
#[derive(Debug, Clone)]
pub(crate) struct FitOutcome {
    pub params: SmoothingParams,
    pub init: EtsState,
    pub stats: PassStats,
}

const HW_EPS: f64 = 1.490_116_119_384_765_6e-8;

/// Maps the unit-box vector `p` (α, [β], [γ], [φ]) to smoothing parameters.
pub(crate) fn map_params(spec: &EtsSpec, crit: Criterion, p: &[f64]) -> SmoothingParams {
    let mut it = p.iter().copied();
    let mut out = SmoothingParams {
        alpha: 0.0,
        beta: 0.0,
        gamma: 0.0,
        phi: 1.0,
    };
    match crit {
        Criterion::EtsLik => {
            out.alpha = LOWER + it.next().unwrap_or(0.5) * (UPPER - LOWER);
            if spec.trend.is_some() {
                out.beta = LOWER + it.next().unwrap_or(0.1) * (out.alpha.min(UPPER) - LOWER);
            }
            if spec.seasonal.is_some() {
                out.gamma = LOWER + it.next().unwrap_or(0.1) * (UPPER.min(1.0 - out.alpha) - LOWER);
            }
            if spec.trend.is_damped() {
                out.phi = PHI_RANGE.0 + it.next().unwrap_or(0.9) * (PHI_RANGE.1 - PHI_RANGE.0);
            }
        }
        Criterion::HwSse => {
            out.alpha = HW_EPS + it.next().unwrap_or(0.5) * (1.0 - 2.0 * HW_EPS);
            if spec.trend.is_some() {
                let beta_star = it.next().unwrap_or(0.1) * out.alpha;
                out.beta = out.alpha * beta_star;
            }
            if spec.seasonal.is_some() {
                out.gamma = it.next().unwrap_or(0.1) * (1.0 - out.alpha);
            }
            if spec.trend.is_damped() {
                out.phi = 0.8 + it.next().unwrap_or(0.9) * (0.995 - 0.8);
            }
        }
    }
    out
}

/// Inverse of [`map_params`] (clamped to the box).
fn unmap_params(spec: &EtsSpec, crit: Criterion, s: &SmoothingParams) -> Vec<f64> {
    let c = |v: f64| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    let r = |num: f64, den: f64| if den > 0.0 { c(num / den) } else { 0.0 };
    let mut p = Vec::with_capacity(4);
    match crit {
        Criterion::EtsLik => {
            p.push(r(s.alpha - LOWER, UPPER - LOWER));
            if spec.trend.is_some() {
                p.push(r(s.beta - LOWER, s.alpha.min(UPPER) - LOWER));
            }
            if spec.seasonal.is_some() {
                p.push(r(s.gamma - LOWER, UPPER.min(1.0 - s.alpha) - LOWER));
            }
            if spec.trend.is_damped() {
                p.push(r(s.phi - PHI_RANGE.0, PHI_RANGE.1 - PHI_RANGE.0));
            }
        }
        Criterion::HwSse => {
            p.push(r(s.alpha - HW_EPS, 1.0 - 2.0 * HW_EPS));
            if spec.trend.is_some() {
                let bs = if s.alpha > 0.0 { s.beta / s.alpha } else { 0.0 };
                p.push(r(bs, s.alpha));
            }
            if spec.seasonal.is_some() {
                p.push(r(s.gamma, 1.0 - s.alpha));
            }
            if spec.trend.is_damped() {
                p.push(r(s.phi - 0.8, 0.995 - 0.8));
            }
        }
    }
    p
}

/// Checks that `y` suits `spec`: long enough, not constant, positive for multiplicative
/// components. `what` names the model in the messages.
pub(crate) fn check_data(spec: &EtsSpec, y: &[f64], what: &str) -> Result<()> {
    let need = spec.min_train_len();
    if y.len() < need {
        let why = if spec.seasonal.is_some() && y.len() < 2 * spec.season_length {
            format!("{what} (two full seasons of {} steps)", spec.season_length)
        } else {
            what.to_string()
        };
        return Err(Error::too_short(why, need, y.len()));
    }
    if y.iter().all(|v| *v == y[0]) {
        return Err(Error::Constant {
            what: what.to_string(),
            value: y[0],
        });
    }
    if spec.needs_positive()
        && let Some(i) = y.iter().position(|v| *v <= 0.0)
    {
        let name = if spec.seasonal == Seasonal::Multiplicative {
            "seasonal"
        } else {
            "error"
        };
        return Err(Error::invalid_param(
            name,
            format!(
                "{} needs strictly positive data, but observation {i} is {}",
                spec, y[i]
            ),
        ));
    }
    Ok(())
}

fn nm_options() -> NmOptions {
    NmOptions::default()
}

/// Fits a linear model (initial states by least squares).
pub(crate) fn fit_linear(spec: &EtsSpec, crit: Criterion, y: &[f64]) -> Option<FitOutcome> {
    debug_assert!(spec.is_linear());
    let mut conc = Concentrator::default();
    let k = spec.n_smoothing();
    let mut eval = |p: &[f64]| -> f64 {
        let params = map_params(spec, crit, p);
        if crit == Criterion::EtsLik && !admissible(spec, &params) {
            return f64::INFINITY;
        }
        match conc.solve(spec, &params, y) {
            Some((_, st)) => match crit {
                Criterion::EtsLik => st.lik(spec.error),
                Criterion::HwSse => st.sse,
            },
            None => f64::INFINITY,
        }
    };
    // Coarse grid for the start (statsmodels' brute-force step, smaller).
    let grid = [0.05, 0.3, 0.7, 0.95];
    let mut best = (f64::INFINITY, vec![0.5; k]);
    let total = grid.len().pow(k as u32);
    let mut p = vec![0.0; k];
    for idx in 0..total {
        let mut r = idx;
        for v in p.iter_mut() {
            *v = grid[r % grid.len()];
            r /= grid.len();
        }
        let f = eval(&p);
        if f < best.0 {
            best = (f, p.clone());
        }
    }
    if !best.0.is_finite() {
        return None;
    }
    let res = minimize(
        &mut eval,
        &best.1,
        &vec![0.1; k],
        &vec![0.0; k],
        &vec![1.0; k],
        nm_options(),
    );
    if !res.f.is_finite() {
        return None;
    }
    let params = map_params(spec, crit, &res.x);
    let (init, stats) = conc.solve(spec, &params, y)?;
    Some(polish(
        spec,
        crit,
        y,
        FitOutcome {
            params,
            init,
            stats,
        },
    ))
}

/// The linear counterpart of a model: additive error and additive season.
pub(crate) fn linear_counterpart(spec: &EtsSpec) -> EtsSpec {
    EtsSpec {
        error: ErrorType::Additive,
        seasonal: if spec.seasonal.is_some() {
            Seasonal::Additive
        } else {
            Seasonal::None
        },
        ..*spec
    }
}

/// Converts a linear fit into a starting state for `spec` (additive → multiplicative season).
fn convert_start(spec: &EtsSpec, lin: &FitOutcome, y: &[f64]) -> EtsState {
    let mut st = lin.init.clone();
    if spec.seasonal == Seasonal::Multiplicative {
        let m = spec.m();
        let lvl = (y[..m].iter().sum::<f64>() / m as f64).abs().max(1e-8);
        for s in &mut st.season {
            *s = (1.0 + *s / lvl).max(1e-2);
        }
        let mean = st.season.iter().sum::<f64>() / m as f64;
        for s in &mut st.season {
            *s /= mean;
        }
    }
    st
}

/// Fits any model; `warm` is the fit of the linear counterpart when already known.
pub(crate) fn fit_spec(
    spec: &EtsSpec,
    crit: Criterion,
    y: &[f64],
    warm: Option<&FitOutcome>,
) -> Option<FitOutcome> {
    if spec.is_linear() {
        return fit_linear(spec, crit, y);
    }
    let lin_spec = linear_counterpart(spec);
    let owned;
    let lin = match warm {
        Some(w) => w,
        None => {
            owned = fit_linear(&lin_spec, crit, y)?;
            &owned
        }
    };
    fit_nonlinear(spec, crit, y, lin)
}

/// How the joint parameter vector `θ = (p-params, ℓ0, [b0], [s_1..s_{m−1}])` maps to a state.
#[derive(Debug, Clone, Copy)]
struct Layout {
    k: usize,
    has_b: bool,
    free_season: bool,
    m: usize,
    mult_season: bool,
}

impl Layout {
    fn new(spec: &EtsSpec, free_season: bool) -> Self {
        Layout {
            k: spec.n_smoothing(),
            has_b: spec.trend.is_some(),
            free_season: free_season && spec.seasonal.is_some(),
            m: spec.m(),
            mult_season: spec.seasonal == Seasonal::Multiplicative,
        }
    }

    /// Writes the state of `x` into `st`; seasonal states not in `x` come from `base`.
    fn unpack(&self, x: &[f64], base: &[f64], st: &mut EtsState) {
        let k = self.k;
        st.level = x[k];
        st.trend = if self.has_b { x[k + 1] } else { 0.0 };
        st.pos = 0;
        st.season.clear();
        st.season.extend_from_slice(base);
        if self.free_season {
            let off = k + 1 + usize::from(self.has_b);
            let mut sum = 0.0;
            for j in 1..self.m {
                st.season[j] = x[off + j - 1];
                sum += st.season[j];
            }
            st.season[0] = if self.mult_season {
                self.m as f64 - sum
            } else {
                -sum
            };
        }
    }

    fn pack(&self, p: &[f64], st: &EtsState) -> Vec<f64> {
        let mut x = p.to_vec();
        x.push(st.level);
        if self.has_b {
            x.push(st.trend);
        }
        if self.free_season {
            x.extend_from_slice(&st.season[1..]);
        }
        x
    }
}

/// Scratch of the joint objective.
struct Joint<'a> {
    spec: &'a EtsSpec,
    crit: Criterion,
    y: &'a [f64],
    lay: Layout,
    base: Vec<f64>,
    work: EtsState,
    end: EtsState,
    yhat: Vec<f64>,
}

impl<'a> Joint<'a> {
    fn new(spec: &'a EtsSpec, crit: Criterion, y: &'a [f64], lay: Layout, base: Vec<f64>) -> Self {
        let st = EtsState {
            level: 0.0,
            trend: 0.0,
            season: base.clone(),
            pos: 0,
        };
        Joint {
            spec,
            crit,
            y,
            lay,
            base,
            work: st.clone(),
            end: st,
            yhat: vec![0.0; y.len()],
        }
    }

    /// Loads `x`; false when inadmissible.
    fn load(&mut self, x: &[f64]) -> Option<SmoothingParams> {
        let params = map_params(self.spec, self.crit, &x[..self.lay.k]);
        if self.crit == Criterion::EtsLik && !admissible(self.spec, &params) {
            return None;
        }
        self.lay.unpack(x, &self.base, &mut self.work);
        if self.lay.mult_season && self.work.season.iter().any(|s| *s <= 0.0) {
            return None;
        }
        Some(params)
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        let Some(params) = self.load(x) else {
            return f64::INFINITY;
        };
        let st = pass(self.spec, &params, &self.work, self.y, &mut self.end, None);
        let v = match self.crit {
            Criterion::EtsLik => st.lik(self.spec.error),
            Criterion::HwSse => st.sse,
        };
        if v.is_finite() { v } else { f64::INFINITY }
    }

    /// Residuals whose sum of squares is monotone in the criterion.
    fn residuals(&mut self, x: &[f64], r: &mut [f64]) -> bool {
        let Some(params) = self.load(x) else {
            return false;
        };
        pass(
            self.spec,
            &params,
            &self.work,
            self.y,
            &mut self.end,
            Some(&mut self.yhat),
        );
        let mult = self.crit == Criterion::EtsLik && self.spec.error == ErrorType::Multiplicative;
        if mult {
            let mut sl = 0.0;
            for (ri, (&yi, &yh)) in r.iter_mut().zip(self.y.iter().zip(&self.yhat)) {
                if yh.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return false;
                }
                let d = if yh.abs() < 1e-10 { yh + 1e-10 } else { yh };
                *ri = (yi - yh) / d;
                sl += yh.abs().ln();
            }
            let g = (sl / self.y.len() as f64).exp();
            r.iter_mut().for_each(|v| *v *= g);
        } else {
            for (ri, (&yi, &yh)) in r.iter_mut().zip(self.y.iter().zip(&self.yhat)) {
                *ri = yi - yh;
            }
        }
        r.iter().all(|v| v.is_finite())
    }

    fn outcome(&mut self, x: &[f64]) -> Option<FitOutcome> {
        let params = self.load(x)?;
        let init = self.work.clone();
        let stats = pass(self.spec, &params, &init, self.y, &mut self.end, None);
        Some(FitOutcome {
            params,
            init,
            stats,
        })
    }
}

/// Largest joint dimension polished by Levenberg–Marquardt.
const MAX_LM_DIM: usize = 40;

fn box_for(lay: &Layout, dim: usize) -> (Vec<f64>, Vec<f64>) {
    let mut lo = vec![0.0; lay.k];
    let mut hi = vec![1.0; lay.k];
    lo.resize(dim, f64::NEG_INFINITY);
    hi.resize(dim, f64::INFINITY);
    (lo, hi)
}

/// Polishes a fit by Levenberg–Marquardt over all parameters jointly (small models only);
/// returns the better of the input and the polished fit.
pub(crate) fn polish(spec: &EtsSpec, crit: Criterion, y: &[f64], fit: FitOutcome) -> FitOutcome {
    let free_season = spec.m() <= MAX_FREE_SEASON_NONLINEAR;
    let lay = Layout::new(spec, free_season);
    let x0 = lay.pack(&unmap_params(spec, crit, &fit.params), &fit.init);
    if x0.len() > MAX_LM_DIM {
        return fit;
    }
    let mut joint = Joint::new(spec, crit, y, lay, fit.init.season.clone());
    let (lo, hi) = box_for(&lay, x0.len());
    let (x, _) =
        super::levenberg::minimize_lsq(|x, r| joint.residuals(x, r), y.len(), &x0, &lo, &hi, 200);
    let before = criterion_of(spec, crit, &fit);
    match joint.outcome(&x) {
        Some(o) if criterion_of(spec, crit, &o) < before => o,
        _ => fit,
    }
}

fn criterion_of(spec: &EtsSpec, crit: Criterion, f: &FitOutcome) -> f64 {
    let v = match crit {
        Criterion::EtsLik => f.stats.lik(spec.error),
        Criterion::HwSse => f.stats.sse,
    };
    if v.is_finite() { v } else { f64::INFINITY }
}

fn fit_nonlinear(
    spec: &EtsSpec,
    crit: Criterion,
    y: &[f64],
    lin: &FitOutcome,
) -> Option<FitOutcome> {
    let m = spec.m();
    let lay = Layout::new(spec, m <= MAX_FREE_SEASON_NONLINEAR);
    let k = lay.k;
    let sd = {
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / y.len() as f64).sqrt()
    };
    let mut p_lin = lin.params;
    if spec.trend == Trend::AdditiveDamped && p_lin.phi == 1.0 {
        p_lin.phi = 0.95;
    }
    let p0 = unmap_params(spec, crit, &p_lin);
    // Candidate starts: the additive fit's states, and R's heuristic.
    let starts = [convert_start(spec, lin, y), initial_state(spec, y)];
    let mut best: Option<(f64, Vec<f64>, Vec<f64>)> = None;
    for st in &starts {
        let x = lay.pack(&p0, st);
        let mut j = Joint::new(spec, crit, y, lay, st.season.clone());
        let v = j.value(&x);
        if v.is_finite() && best.as_ref().is_none_or(|b| v < b.0) {
            best = Some((v, x, st.season.clone()));
        }
    }
    let (_, x0, base) = best?;
    // Levenberg–Marquardt first (fast into the basin), then Nelder–Mead, then LM again.
    let mut joint = Joint::new(spec, crit, y, lay, base.clone());
    let start = joint.outcome(&x0)?;
    let start = polish(spec, crit, y, start);
    let x0 = lay.pack(&unmap_params(spec, crit, &start.params), &start.init);
    let dim = x0.len();
    let mut step = vec![0.1; k];
    step.push((0.02 * x0[k].abs()).max(0.05 * sd).max(1e-6));
    if lay.has_b {
        step.push((0.1 * x0[k + 1].abs()).max(1e-3 * sd).max(1e-8));
    }
    while step.len() < dim {
        step.push(if lay.mult_season {
            0.02
        } else {
            (0.05 * sd).max(1e-6)
        });
    }
    let (lo, hi) = box_for(&lay, dim);
    let res = minimize(
        |x: &[f64]| joint.value(x),
        &x0,
        &step,
        &lo,
        &hi,
        nm_options(),
    );
    let out = match joint.outcome(&res.x) {
        Some(o) if res.f.is_finite() => polish(spec, crit, y, o),
        _ => return Some(start),
    };
    if criterion_of(spec, crit, &out) <= criterion_of(spec, crit, &start) {
        Some(out)
    } else {
        Some(start)
    }
}
