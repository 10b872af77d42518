//! auto-ARIMA: the Hyndman–Khandakar stepwise search of `forecast::auto.arima` /
//! statsforecast `AutoARIMA` (unit-root tests for `d` and `D`, AICc, the standard moves and
//! limits, CSS approximation for long or seasonal series with an exact refit at the end).
//!
//! **Near-unit-root MA fits.** R's `myarima` discards (IC = ∞) a fit with any root of the
//! expanded AR or MA polynomial of modulus below 1.01. On over-differenced data (a
//! deterministic season under `1 − B^m`, a trend under `1 − B`) the ML optimum of many
//! candidates sits *on* the MA unit circle, and whether R or statsforecast keeps such a model
//! then depends on where their BFGS happens to stop: statsforecast's stops at an interior point
//! such as Θ = −0.778 (just inside the bound, 1.01^−24 = 0.788) and keeps it, our optimiser
//! reaches Θ = −1 and R's rule would discard it. With `constrain_ma` (default) such a
//! candidate is refitted by ML over the admissible region (every MA root above 1.01, through a
//! scaled PACF transform, see [`FitOptions::ma_min_root`]); its IC is then at most that
//! of any admissible point the reference could have stopped at. statsforecast 2.1.1 also
//! skips the root check of a polynomial whose only non-zero coefficient is the first (an
//! off-by-one in `myarima`; R checks it), so it keeps e.g. an MA(1) with θ = −1.000002; we
//! apply R's check everywhere unless [`AutoArimaConfig::statsforecast_root_check`] asks for
//! statsforecast's (parity studies only).

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::difference::{apply, diff_poly};
use super::fit::{FitOptions, FitResult, Method, check_input, fit, fit_with};

/// Hyndman–Khandakar's admissibility bound: every AR and MA root of the expanded polynomials
/// must have modulus at least this.
pub const MIN_ROOT: f64 = 1.01;
use super::polynomial::{min_root_ar, min_root_ma};
use super::spec::{ArimaCoefs, ArimaSpec};
use super::unit_root::{ndiffs, nsdiffs};

/// Hyper-parameters of auto-ARIMA (R's defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoArimaConfig {
    /// Season length `m` (1 = non-seasonal).
    pub season_length: usize,
    /// Largest `p` (default 5).
    pub max_p: usize,
    /// Largest `q` (default 5).
    pub max_q: usize,
    /// Largest `P` (default 2).
    pub max_sp: usize,
    /// Largest `Q` (default 2).
    pub max_sq: usize,
    /// Largest `d` (default 2).
    pub max_d: usize,
    /// Largest `D` (default 1).
    pub max_sd: usize,
    /// Largest `p+q+P+Q` in the non-stepwise search (default 5).
    pub max_order: usize,
    /// Stepwise search (default) or the full grid.
    pub stepwise: bool,
    /// Most models to fit in the stepwise search (default 94).
    pub nmodels: usize,
    /// Allow a drift when `d + D = 1`.
    pub allow_drift: bool,
    /// Allow a mean when `d + D = 0`.
    pub allow_mean: bool,
    /// Use CSS during the search: `Some(false)` (statsforecast's default, exact ML for every
    /// candidate), `Some(true)`, or `None` = R's rule (`n > 150` or `m > 12`).
    pub approximation: Option<bool>,
    /// When a candidate's ML optimum has an MA root of modulus below 1.01 (R would discard
    /// it), refit it by ML constrained to MA roots above 1.01 and keep that admissible fit
    /// (default `true`; `false` = R's rule: discard). See the module docs.
    #[serde(default = "default_true")]
    pub constrain_ma: bool,
    /// Reproduce statsforecast 2.1.1's root check instead of R's: a polynomial whose only
    /// non-zero coefficient is the first (e.g. an MA(1) with no seasonal MA) is not checked
    /// (an off-by-one in its `myarima`). Default `false` (R's rule). Only for parity studies:
    /// it admits models on the unit circle such as θ = −1.000002.
    #[serde(default)]
    pub statsforecast_root_check: bool,
}

fn default_true() -> bool {
    true
}

impl Default for AutoArimaConfig {
    fn default() -> Self {
        AutoArimaConfig {
            season_length: 1,
            max_p: 5,
            max_q: 5,
            max_sp: 2,
            max_sq: 2,
            max_d: 2,
            max_sd: 1,
            max_order: 5,
            stepwise: true,
            nmodels: 94,
            allow_drift: true,
            allow_mean: true,
            approximation: Some(false),
            constrain_ma: true,
            statsforecast_root_check: false,
        }
    }
}

impl AutoArimaConfig {
    /// Checks the limits.
    pub fn validate(&self) -> Result<()> {
        if self.season_length == 0 || self.season_length > super::spec::MAX_SEASON {
            return Err(Error::invalid_param(
                "season",
                format!(
                    "season length must be in 1..=2016, got {}",
                    self.season_length
                ),
            ));
        }
        if self.max_p > 10 || self.max_q > 10 || self.max_sp > 4 || self.max_sq > 4 {
            return Err(Error::invalid_param(
                "max orders",
                "max p, q must be <= 10 and max P, Q <= 4",
            ));
        }
        if self.max_d > 2 || self.max_sd > 1 {
            return Err(Error::invalid_param("max d", "max d <= 2 and max D <= 1"));
        }
        if self.nmodels == 0 {
            return Err(Error::invalid_param("nmodels", "must be at least 1"));
        }
        Ok(())
    }
}

/// Outcome of [`auto_arima`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoArimaResult {
    /// The selected model, fitted by exact ML.
    pub best: FitResult,
    /// Every model tried in the search with its information criterion (AICc, possibly the
    /// CSS approximation).
    pub tried: Vec<(ArimaSpec, f64)>,
}

struct Search<'a> {
    y: &'a [f64],
    m: usize,
    d: usize,
    sd: usize,
    approx: bool,
    constrain_ma: bool,
    statsforecast_root_check: bool,
    offset: f64,
    tried: Vec<(ArimaSpec, f64)>,
    best: Option<(ArimaSpec, f64, Option<FitResult>)>,
}

impl Search<'_> {
    fn spec(&self, p: usize, q: usize, sp: usize, sq: usize, constant: bool) -> ArimaSpec {
        let dd = self.d + self.sd;
        ArimaSpec {
            p,
            d: self.d,
            q,
            sp,
            sd: self.sd,
            sq,
            m: self.m,
            include_mean: constant && dd == 0,
            include_drift: constant && dd == 1,
        }
    }

    /// R's `myarima`: fit, then reject (IC = ∞) on failure or roots within 1.01 — except
    /// that an exact-ML fit whose only fault is an MA root within 1.01 is refitted inside
    /// the admissible region when `constrain_ma` is set.
    fn fit_one(&self, spec: &ArimaSpec, approx: bool) -> (f64, Option<FitResult>) {
        let method = if approx { Method::Css } else { Method::CssMl };
        let Ok(res) = fit(self.y, spec, method) else {
            return (f64::INFINITY, None);
        };
        let (ic, res) = self.judge(spec, approx, res);
        if ic.is_finite() || approx || !self.constrain_ma || spec.q + spec.sq == 0 {
            return (ic, res);
        }
        let Some(first) = res else {
            return (ic, None);
        };
        let (root_ar, root_ma) = self.min_roots(spec, &first.coef);
        if root_ar < MIN_ROOT || root_ma >= MIN_ROOT {
            return (ic, Some(first));
        }
        let options = FitOptions {
            ma_min_root: Some(MIN_ROOT * (1.0 + 1e-6)),
            ..FitOptions::default()
        };
        match fit_with(self.y, spec, method, &options) {
            Ok(res) => self.judge(spec, approx, res),
            Err(_) => (ic, Some(first)),
        }
    }

    /// The information criterion of a fit, `∞` when R's `myarima` would discard it.
    fn judge(&self, spec: &ArimaSpec, approx: bool, res: FitResult) -> (f64, Option<FitResult>) {
        let npar = (spec.n_coef() + 1) as f64;
        let nstar = res.nobs as f64;
        let ic = if approx {
            let aic = self.offset + nstar * res.sigma2.ln() + 2.0 * npar;
            aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0)
        } else {
            res.aicc
        };
        let (root_ar, root_ma) = self.min_roots(spec, &res.coef);
        if !ic.is_finite() || root_ar < MIN_ROOT || root_ma < MIN_ROOT || nstar - npar - 1.0 <= 0.0
        {
            return (f64::INFINITY, Some(res));
        }
        (ic, Some(res))
    }

    /// The smallest root moduli of the expanded AR and MA polynomials (`m`-th roots of the
    /// seasonal factors' roots). With `statsforecast_root_check`, a side whose only non-zero
    /// coefficient is the first non-seasonal one counts as 2 (statsforecast's initial value,
    /// i.e. unchecked).
    fn min_roots(&self, spec: &ArimaSpec, c: &ArimaCoefs) -> (f64, f64) {
        let m = spec.m as f64;
        let unchecked = |plain: &[f64], seasonal: &[f64]| {
            self.statsforecast_root_check
                && seasonal.iter().all(|x| x.abs() <= 1e-8)
                && plain.iter().skip(1).all(|x| x.abs() <= 1e-8)
        };
        let root_ar = if unchecked(&c.ar, &c.sar) {
            2.0
        } else {
            min_root_ar(&c.ar).min(min_root_ar(&c.sar).powf(1.0 / m))
        };
        let root_ma = if unchecked(&c.ma, &c.sma) {
            2.0
        } else {
            min_root_ma(&c.ma).min(min_root_ma(&c.sma).powf(1.0 / m))
        };
        (root_ar, root_ma)
    }

    fn known(&self, spec: &ArimaSpec) -> bool {
        self.tried.iter().any(|(s, _)| s == spec)
    }

    /// Fits a new model and records it; returns true when it improves on the best.
    fn try_model(&mut self, spec: ArimaSpec) -> bool {
        let (ic, res) = self.fit_one(&spec, self.approx);
        self.tried.push((spec, ic));
        let better = match &self.best {
            None => true,
            Some((_, b, _)) => ic < *b,
        };
        if better {
            self.best = Some((spec, ic, res));
        }
        better
    }
}

/// Runs auto-ARIMA on `y` (see the module docs). Errors: constant or too-short series, or no
/// model could be fitted.
pub fn auto_arima(y: &[f64], cfg: &AutoArimaConfig) -> Result<AutoArimaResult> {
    cfg.validate()?;
    let n = y.len();
    if n < 3 {
        return Err(Error::too_short("auto-arima", 3, n));
    }
    if y.iter().all(|v| *v == y[0]) {
        return Err(Error::Constant {
            what: "auto-arima".into(),
            value: y[0],
        });
    }
    let mut m = cfg.season_length;
    let (mut max_p, mut max_q) = (cfg.max_p.min(n / 3), cfg.max_q.min(n / 3));
    let (mut max_sp, mut max_sq) = (cfg.max_sp.min(n / (3 * m)), cfg.max_sq.min(n / (3 * m)));
    let seasonal_ok = m > 1 && n > 2 * m;
    if !seasonal_ok {
        max_sp = 0;
        max_sq = 0;
    }
    let sd = if seasonal_ok && cfg.max_sd > 0 {
        nsdiffs(y, m)
    } else {
        0
    };
    if !seasonal_ok || (max_sp == 0 && max_sq == 0 && sd == 0) {
        m = 1;
    }
    if m > 1 {
        if max_sp > 0 {
            max_p = max_p.min(m - 1);
        }
        if max_sq > 0 {
            max_q = max_q.min(m - 1);
        }
    }
    let mut dx = Vec::new();
    apply(y, &diff_poly(0, sd, m), &mut dx);
    let d = ndiffs(&dx, cfg.max_d);
    let dd = d + sd;
    let allow_constant = (cfg.allow_drift && dd == 1) || (cfg.allow_mean && dd == 0);
    let nstar = n - d - m * sd;
    let approx = cfg.approximation.unwrap_or(n > 150 || m > 12);

    let mut s = Search {
        y,
        m,
        d,
        sd,
        approx,
        constrain_ma: cfg.constrain_ma,
        statsforecast_root_check: cfg.statsforecast_root_check,
        offset: 0.0,
        tried: Vec::new(),
        best: None,
    };
    if approx {
        let base = s.spec(0, 0, 0, 0, false);
        s.offset = match fit(y, &base, Method::CssMl) {
            Ok(r) => -2.0 * r.loglik - nstar as f64 * r.sigma2.ln(),
            Err(_) => 0.0,
        };
    }
    let mut constant = allow_constant;
    if cfg.stepwise {
        stepwise(
            &mut s,
            cfg,
            max_p,
            max_q,
            max_sp,
            max_sq,
            &mut constant,
            allow_constant,
        );
    } else {
        for p in 0..=max_p {
            for q in 0..=max_q {
                for sp in 0..=max_sp {
                    for sq in 0..=max_sq {
                        if p + q + sp + sq > cfg.max_order {
                            continue;
                        }
                        for c in [true, false] {
                            if c && !allow_constant {
                                continue;
                            }
                            let spec = s.spec(p, q, sp, sq, c);
                            s.try_model(spec);
                        }
                    }
                }
            }
        }
    }
    // Exact refit (in IC order) when the search used the CSS approximation.
    let mut order: Vec<(ArimaSpec, f64)> = s.tried.clone();
    order.retain(|(_, ic)| ic.is_finite());
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    if !approx {
        if let Some((_, ic, Some(res))) = s.best.take()
            && ic.is_finite()
        {
            return Ok(AutoArimaResult {
                best: res,
                tried: s.tried,
            });
        }
    } else {
        for (spec, _) in &order {
            let (ic, res) = s.fit_one(spec, false);
            if ic.is_finite()
                && let Some(res) = res
            {
                return Ok(AutoArimaResult {
                    best: res,
                    tried: s.tried,
                });
            }
        }
    }
    // Fall back to the simplest model, as R does when nothing else fits.
    let spec = s.spec(0, 0, 0, 0, allow_constant);
    check_input(y, &spec, "auto-arima")?;
    let res = fit(y, &spec, Method::CssMl)?;
    Ok(AutoArimaResult {
        best: res,
        tried: s.tried,
    })
}

#[allow(clippy::too_many_arguments)]
fn stepwise(
    s: &mut Search<'_>,
    cfg: &AutoArimaConfig,
    max_p: usize,
    max_q: usize,
    max_sp: usize,
    max_sq: usize,
    constant: &mut bool,
    allow_constant: bool,
) {
    let seasonal = s.m > 1;
    let mut p = cfg.max_p.min(2).min(max_p);
    let mut q = 2usize.min(max_q);
    let mut sp = if seasonal { 1usize.min(max_sp) } else { 0 };
    let mut sq = if seasonal { 1usize.min(max_sq) } else { 0 };
    if s.y.len() < 10 {
        p = p.min(1);
        q = q.min(1);
        sp = 0;
        sq = 0;
    }
    let c = *constant;
    s.try_model(s.spec(p, q, sp, sq, c));
    if s.try_model(s.spec(0, 0, 0, 0, c)) {
        (p, q, sp, sq) = (0, 0, 0, 0);
    }
    if max_p > 0 || max_sp > 0 {
        let (np, nsp) = (usize::from(max_p > 0), usize::from(seasonal && max_sp > 0));
        let spec = s.spec(np, 0, nsp, 0, c);
        if !s.known(&spec) && s.try_model(spec) {
            (p, q, sp, sq) = (np, 0, nsp, 0);
        }
    }
    if max_q > 0 || max_sq > 0 {
        let (nq, nsq) = (usize::from(max_q > 0), usize::from(seasonal && max_sq > 0));
        let spec = s.spec(0, nq, 0, nsq, c);
        if !s.known(&spec) && s.try_model(spec) {
            (p, q, sp, sq) = (0, nq, 0, nsq);
        }
    }
    if c {
        let spec = s.spec(0, 0, 0, 0, false);
        if !s.known(&spec) && s.try_model(spec) {
            (p, q, sp, sq) = (0, 0, 0, 0);
            *constant = false;
        }
    }
    let mut startk = 0usize;
    while startk < s.tried.len() && s.tried.len() < cfg.nmodels {
        startk = s.tried.len();
        let (ip, iq, isp, isq) = (p as i64, q as i64, sp as i64, sq as i64);
        let moves: [(i64, i64, i64, i64); 16] = [
            (0, 0, -1, 0),
            (0, 0, 0, -1),
            (0, 0, 1, 0),
            (0, 0, 0, 1),
            (0, 0, -1, -1),
            (0, 0, -1, 1),
            (0, 0, 1, -1),
            (0, 0, 1, 1),
            (-1, 0, 0, 0),
            (0, -1, 0, 0),
            (1, 0, 0, 0),
            (0, 1, 0, 0),
            (-1, -1, 0, 0),
            (-1, 1, 0, 0),
            (1, -1, 0, 0),
            (1, 1, 0, 0),
        ];
        let mut improved = false;
        for (dp, dq, dsp, dsq) in moves {
            let (np, nq, nsp, nsq) = (ip + dp, iq + dq, isp + dsp, isq + dsq);
            if np < 0 || nq < 0 || nsp < 0 || nsq < 0 {
                continue;
            }
            let (np, nq, nsp, nsq) = (np as usize, nq as usize, nsp as usize, nsq as usize);
            if np > max_p || nq > max_q || nsp > max_sp || nsq > max_sq {
                continue;
            }
            if !seasonal && (nsp > 0 || nsq > 0) {
                continue;
            }
            let spec = s.spec(np, nq, nsp, nsq, *constant);
            if s.known(&spec) || s.tried.len() >= cfg.nmodels {
                continue;
            }
            if s.try_model(spec) {
                (p, q, sp, sq) = (np, nq, nsp, nsq);
                improved = true;
                break;
            }
        }
        if improved {
            continue;
        }
        if allow_constant && s.tried.len() < cfg.nmodels {
            let spec = s.spec(p, q, sp, sq, !*constant);
            if !s.known(&spec) && s.try_model(spec) {
                *constant = !*constant;
            }
        }
    }
}
