//! Estimation: OLS start for the regression terms, CSS, then exact ML by the Kalman filter
//! (R's `arima(method = "CSS-ML")` with `transform.pars = TRUE`), and the information criteria
//! of `forecast::Arima` / statsforecast.

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::css::css_sigma2;
use super::difference::{apply, diff_poly};
use super::kalman::{Likelihood, filter};
use super::optim::{BfgsOptions, bfgs};

use super::polynomial::{expand, inv_partrans, is_stationary, ma_invert, min_root_ma, partrans};
use super::spec::{ArimaCoefs, ArimaSpec};

/// Estimation method (R's `method` argument of `arima`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// CSS for starting values, then exact ML (the default).
    #[default]
    CssMl,
    /// Exact ML from zero starting values.
    Ml,
    /// Conditional sum of squares only.
    Css,
}

/// A fitted model's coefficients and goodness of fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitResult {
    /// Orders and regression terms.
    pub spec: ArimaSpec,
    /// Estimated coefficients.
    pub coef: ArimaCoefs,
    /// Innovation variance `Σe²/(ν − k)` with `k` estimated coefficients (`forecast::Arima`
    /// and statsforecast reset R's `ssq/ν` to this; used for the intervals). For a CSS-only
    /// fit it is the CSS variance `SSR/ν`.
    pub sigma2: f64,
    /// Gaussian log-likelihood of the differenced series (for CSS: R's CSS value).
    pub loglik: f64,
    /// `−2 logL + 2(k+1)`.
    pub aic: f64,
    /// `AIC + 2k'(k'+1)/(ν − k' − 1)` with `k' = k + 1`.
    pub aicc: f64,
    /// `AIC + k'(ln ν − 2)`.
    pub bic: f64,
    /// Observations used after differencing, `ν = n − d − mD`.
    pub nobs: usize,
    /// The method used.
    pub method: Method,
}

/// Output of [`filter_series`]: in-sample one-step results for given coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterResult {
    /// Standardised innovations `v_t/√F_t` (R's `residuals`); 0 for the first `d + mD` points.
    pub residuals: Vec<f64>,
    /// `y_t − residual_t` (R/statsforecast `fitted`).
    pub fitted: Vec<f64>,
    /// The likelihood sums.
    pub likelihood: Likelihood,
    /// Final filtered ARMA state of the differenced series.
    pub state: Vec<f64>,
    /// `x = y − Xβ` (the series with mean/drift removed).
    pub x: Vec<f64>,
}

/// Checks that `y` can be fitted with `spec`: long enough, not constant.
pub fn check_input(y: &[f64], spec: &ArimaSpec, what: &str) -> Result<()> {
    spec.validate()?;
    let n = y.len();
    let needed = (spec.n_diff() + spec.p_full() + spec.n_coef() + 2)
        .max(spec.n_diff() + spec.q_full() + 2)
        .max(3);
    if n < needed {
        return Err(Error::too_short(what, needed, n));
    }
    if spec.m > 1 && spec.sp + spec.sd + spec.sq > 0 && n <= 2 * spec.m {
        return Err(Error::too_short(
            format!(
                "{what} with season length {} (m must be at most n/2)",
                spec.m
            ),
            2 * spec.m + 1,
            n,
        ));
    }
    if y.iter().all(|v| *v == y[0]) {
        return Err(Error::Constant {
            what: what.to_string(),
            value: y[0],
        });
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            row: i,
            timestamp: 0,
            value: y[i],
        });
    }
    Ok(())
}

/// Regression columns at time index `t` (1-based): mean and/or drift.
fn xrow(spec: &ArimaSpec, t: usize) -> [f64; 2] {
    let mut r = [0.0; 2];
    let mut k = 0;
    if spec.has_mean() {
        r[k] = 1.0;
        k += 1;
    }
    if spec.has_drift() {
        r[k] = t as f64;
    }
    r
}

/// OLS of the (differenced) series on the (differenced) regressors: `(β, s.e.)`.
fn ols_start(y: &[f64], spec: &ArimaSpec, dpoly: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let k = spec.n_reg();
    if k == 0 {
        return (Vec::new(), Vec::new());
    }
    let n = y.len();
    let mut cols: Vec<Vec<f64>> = (0..k)
        .map(|j| (1..=n).map(|t| xrow(spec, t)[j]).collect())
        .collect();
    let mut dy = Vec::new();
    apply(y, dpoly, &mut dy);
    for c in cols.iter_mut() {
        let mut dc = Vec::new();
        apply(c, dpoly, &mut dc);
        *c = dc;
    }
    let nn = dy.len();
    // Normal equations (k <= 2).
    let mut xtx = [[0.0; 2]; 2];
    let mut xty = [0.0; 2];
    for t in 0..nn {
        for i in 0..k {
            xty[i] += cols[i][t] * dy[t];
            for j in 0..k {
                xtx[i][j] += cols[i][t] * cols[j][t];
            }
        }
    }
    let (beta, inv) = if k == 1 {
        let inv = [[1.0 / xtx[0][0], 0.0], [0.0, 0.0]];
        (vec![xty[0] * inv[0][0]], inv)
    } else {
        let det = xtx[0][0] * xtx[1][1] - xtx[0][1] * xtx[1][0];
        let inv = [
            [xtx[1][1] / det, -xtx[0][1] / det],
            [-xtx[1][0] / det, xtx[0][0] / det],
        ];
        (
            vec![
                inv[0][0] * xty[0] + inv[0][1] * xty[1],
                inv[1][0] * xty[0] + inv[1][1] * xty[1],
            ],
            inv,
        )
    };
    let mut rss = 0.0;
    for t in 0..nn {
        let fit: f64 = (0..k).map(|i| cols[i][t] * beta[i]).sum();
        rss += (dy[t] - fit).powi(2);
    }
    let s2 = rss / (nn.saturating_sub(k).max(1)) as f64;
    let se = (0..k).map(|i| (s2 * inv[i][i]).sqrt()).collect();
    (beta, se)
}

/// Computes `x = y − Xβ` and `w = diff(x)` for the packed coefficients `coef`.
fn residual_series(
    y: &[f64],
    spec: &ArimaSpec,
    coef: &[f64],
    dpoly: &[f64],
    x: &mut Vec<f64>,
    w: &mut Vec<f64>,
) {
    let beta = &coef[spec.n_arma()..];
    x.clear();
    x.extend(y.iter().enumerate().map(|(i, &v)| {
        let r = xrow(spec, i + 1);
        v - beta.iter().zip(r.iter()).map(|(b, c)| b * c).sum::<f64>()
    }));
    apply(x, dpoly, w);
}

/// Applies R's PACF transform to the AR blocks of a packed vector (in place).
fn transform_ar(spec: &ArimaSpec, v: &mut [f64]) {
    if spec.p > 0 {
        let raw: Vec<f64> = v[..spec.p].to_vec();
        partrans(&raw, &mut v[..spec.p]);
    }
    if spec.sp > 0 {
        let o = spec.p + spec.q;
        let raw: Vec<f64> = v[o..o + spec.sp].to_vec();
        partrans(&raw, &mut v[o..o + spec.sp]);
    }
}

/// The MA blocks of a packed vector: `(offset, length, root bound)` of `θ(B)` and `Θ(B^m)`
/// when every root of `θ(B)Θ(B^m)` must have modulus above `r` (the seasonal block's roots in
/// `B^m` then lie above `r^m`).
fn ma_blocks(spec: &ArimaSpec, r: f64) -> [(usize, usize, f64); 2] {
    [
        (spec.p, spec.q, r),
        (spec.p + spec.q + spec.sp, spec.sq, r.powi(spec.m as i32)),
    ]
}

/// Maps unconstrained values to MA blocks whose roots lie above the bounds of
/// [`ma_blocks`]: the PACF transform gives an invertible `1 + Σψ_j z^j`, and
/// `θ_j = ψ_j / r^j` moves its roots from outside 1 to outside `r` (in place).
fn transform_ma(spec: &ArimaSpec, r: f64, v: &mut [f64]) {
    for (o, q, bound) in ma_blocks(spec, r) {
        if q == 0 {
            continue;
        }
        let raw: Vec<f64> = v[o..o + q].to_vec();
        partrans(&raw, &mut v[o..o + q]);
        let mut scale = 1.0;
        for x in &mut v[o..o + q] {
            scale /= bound;
            *x = -*x * scale;
        }
    }
}

/// Inverse of [`transform_ma`]; a block with a root at or below its bound is first shrunk
/// (`θ_j ← θ_j c^j`) to put its smallest root just above the bound.
fn untransform_ma(spec: &ArimaSpec, r: f64, v: &mut [f64]) {
    for (o, q, bound) in ma_blocks(spec, r) {
        if q == 0 {
            continue;
        }
        let target = bound * (1.0 + 1e-3);
        let rho = min_root_ma(&v[o..o + q]);
        if rho < target {
            let c = if rho.is_finite() && rho > 0.0 {
                rho / target
            } else {
                0.0
            };
            let mut cj = 1.0;
            for x in &mut v[o..o + q] {
                cj *= c;
                *x *= cj;
            }
        }
        let mut scale = 1.0;
        let psi: Vec<f64> = v[o..o + q]
            .iter()
            .map(|x| {
                scale *= bound;
                -x * scale
            })
            .collect();
        let u = inv_partrans(&psi).unwrap_or_else(|| vec![0.0; q]);
        v[o..o + q].copy_from_slice(&u);
    }
}

/// Runs the exact filter for given packed coefficients over the whole series.
pub fn filter_packed(y: &[f64], spec: &ArimaSpec, coef: &[f64]) -> Option<FilterResult> {
    let dpoly = diff_poly(spec.d, spec.sd, spec.m);
    let (phi, theta) = expand(spec, coef);
    let (mut x, mut w) = (Vec::new(), Vec::new());
    residual_series(y, spec, coef, &dpoly, &mut x, &mut w);
    let mut res = Vec::new();
    let mut state = Vec::new();
    let lik = filter(&w, &phi, &theta, Some(&mut res), Some(&mut state))?;
    let nd = dpoly.len();
    let mut residuals = vec![0.0; nd];
    residuals.extend_from_slice(&res);
    let fitted = y.iter().zip(&residuals).map(|(a, b)| a - b).collect();
    Some(FilterResult {
        residuals,
        fitted,
        likelihood: lik,
        state,
        x,
    })
}

/// In-sample filtering with given coefficients (R's `arima(..., fixed = coef)` output):
/// residuals, fitted values, likelihood. Errors when the coefficients do not match `spec`
/// or the AR part is not stationary.
pub fn filter_series(y: &[f64], spec: &ArimaSpec, coef: &ArimaCoefs) -> Result<FilterResult> {
    check_input(y, spec, "arima")?;
    let v = coef.to_vec(spec)?;
    filter_packed(y, spec, &v).ok_or_else(|| {
        Error::model(
            "arima",
            "the Kalman filter failed: the AR part is not stationary",
        )
    })
}

/// `ssq/(ν − k)`, falling back to `ssq/ν` when `ν <= k`.
fn adjusted_sigma2(lik: &Likelihood, ncoef: usize) -> f64 {
    if lik.nu > ncoef {
        lik.ssq / (lik.nu - ncoef) as f64
    } else {
        lik.sigma2()
    }
}

/// Information criteria as `forecast`/statsforecast define them.
fn criteria(loglik: f64, ncoef: usize, nobs: usize) -> (f64, f64, f64) {
    let k = (ncoef + 1) as f64;
    let nstar = nobs as f64;
    let aic = -2.0 * loglik + 2.0 * k;
    let aicc = if nstar - k - 1.0 > 0.0 {
        aic + 2.0 * k * (k + 1.0) / (nstar - k - 1.0)
    } else {
        f64::INFINITY
    };
    let bic = aic + k * (nstar.ln() - 2.0);
    (aic, aicc, bic)
}

/// Optimiser settings of the CSS and ML stages.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// BFGS settings of the CSS stage.
    pub css: BfgsOptions,
    /// BFGS settings of the ML stage.
    pub ml: BfgsOptions,
    /// `Some(r)`: maximise the likelihood only over MA parts whose roots all have modulus
    /// above `r` (`θ(B)` roots > r, `Θ(B^m)` roots in `B^m` > r^m, by a scaled PACF
    /// transform), so that the optimum passes the Hyndman–Khandakar check "every root of the
    /// expanded polynomial outside `r`". `None` (R's `arima`): unconstrained, MA roots
    /// reflected after the fit.
    pub ma_min_root: Option<f64>,
}

impl Default for FitOptions {
    /// R's `optim` defaults (`maxit = 100`, `reltol ≈ 1.49e-8`, `ndeps = 1e-3`) for both
    /// stages: like R and statsforecast, the ML stage then settles in the optimum nearest to
    /// the CSS start instead of wandering to an MA unit-root pile-up.
    fn default() -> Self {
        FitOptions {
            css: BfgsOptions::default(),
            ml: BfgsOptions::default(),
            ma_min_root: None,
        }
    }
}

/// Fits `spec` to `y` by `method` with the default [`FitOptions`]. Errors: invalid spec, too
/// short, constant, a CSS start with a non-stationary AR part (as R), or an optimiser failure.
pub fn fit(y: &[f64], spec: &ArimaSpec, method: Method) -> Result<FitResult> {
    fit_with(y, spec, method, &FitOptions::default())
}

/// [`fit`] with explicit optimiser settings.
pub fn fit_with(
    y: &[f64],
    spec: &ArimaSpec,
    method: Method,
    options: &FitOptions,
) -> Result<FitResult> {
    check_input(y, spec, "arima")?;
    let dpoly = diff_poly(spec.d, spec.sd, spec.m);
    let narma = spec.n_arma();
    let (beta0, ses) = ols_start(y, spec, &dpoly);
    let mut scale = vec![1.0; narma];
    scale.extend(ses.iter().map(|s| {
        if s.is_finite() && *s > 0.0 {
            10.0 * s
        } else {
            1.0
        }
    }));
    let mut init = vec![0.0; narma];
    init.extend_from_slice(&beta0);
    let n_used = y.len() - dpoly.len();

    let (mut x, mut w, mut res) = (Vec::new(), Vec::new(), Vec::new());
    let mut par = vec![0.0; init.len()];
    let mut css_obj = |u: &[f64]| -> f64 {
        for i in 0..u.len() {
            par[i] = u[i] * scale[i];
        }
        let (phi, theta) = expand(spec, &par);
        residual_series(y, spec, &par, &dpoly, &mut x, &mut w);
        let (s2, nu) = css_sigma2(&w, &phi, &theta, &mut res);
        if nu == 0 || !(s2.is_finite() && s2 > 0.0) {
            f64::INFINITY
        } else {
            0.5 * s2.ln()
        }
    };
    let to_u = |v: &[f64], scale: &[f64]| -> Vec<f64> {
        v.iter().zip(scale).map(|(a, s)| a / s).collect()
    };
    let opts = options.css;

    if method == Method::Css || method == Method::CssMl {
        let r = bfgs(&mut css_obj, &to_u(&init, &scale), opts);
        for i in 0..init.len() {
            init[i] = r.x[i] * scale[i];
        }
        if method == Method::Css {
            let val = r.value;
            if !val.is_finite() {
                return Err(Error::model("arima", "CSS optimisation failed"));
            }
            let (phi, theta) = expand(spec, &init);
            residual_series(y, spec, &init, &dpoly, &mut x, &mut w);
            let (s2, nu) = css_sigma2(&w, &phi, &theta, &mut res);
            let loglik = -0.5 * nu as f64 * ((2.0 * std::f64::consts::PI * s2).ln() + 1.0);
            let (aic, aicc, bic) = criteria(loglik, spec.n_coef(), n_used);
            return Ok(FitResult {
                spec: *spec,
                coef: ArimaCoefs::from_vec(spec, &init),
                sigma2: s2,
                loglik,
                aic,
                aicc,
                bic,
                nobs: n_used,
                method,
            });
        }
        let ar_ok = is_stationary(&init[..spec.p])
            && is_stationary(&init[spec.p + spec.q..spec.p + spec.q + spec.sp]);
        if !ar_ok {
            return Err(Error::model(
                "arima",
                format!(
                    "non-stationary AR part from CSS for {} (R stops here too); \
                     try more differencing or a drift",
                    spec.label()
                ),
            ));
        }
    }
    // ML with the AR blocks re-parameterised through the PACF.
    let mut start = init.clone();
    if spec.p > 0 {
        match inv_partrans(&init[..spec.p]) {
            Some(v) => start[..spec.p].copy_from_slice(&v),
            None => return Err(Error::model("arima", "non-stationary AR start")),
        }
    }
    if spec.sp > 0 {
        let o = spec.p + spec.q;
        match inv_partrans(&init[o..o + spec.sp]) {
            Some(v) => start[o..o + spec.sp].copy_from_slice(&v),
            None => return Err(Error::model("arima", "non-stationary seasonal AR start")),
        }
    }
    if spec.q > 0 {
        let v = ma_invert(&start[spec.p..spec.p + spec.q]);
        start[spec.p..spec.p + spec.q].copy_from_slice(&v);
    }
    if spec.sq > 0 {
        let o = spec.p + spec.q + spec.sp;
        let v = ma_invert(&start[o..o + spec.sq]);
        start[o..o + spec.sq].copy_from_slice(&v);
    }
    let ma_bound = options.ma_min_root;
    if let Some(r) = ma_bound {
        untransform_ma(spec, r, &mut start);
    }
    let mut par = vec![0.0; init.len()];
    let mut ml_obj = |u: &[f64]| -> f64 {
        for i in 0..u.len() {
            par[i] = u[i] * scale[i];
        }
        transform_ar(spec, &mut par);
        if let Some(r) = ma_bound {
            transform_ma(spec, r, &mut par);
        }
        let (phi, theta) = expand(spec, &par);
        residual_series(y, spec, &par, &dpoly, &mut x, &mut w);
        match filter(&w, &phi, &theta, None, None) {
            Some(l) => {
                let v = l.objective();
                if v.is_finite() { v } else { f64::INFINITY }
            }
            None => f64::INFINITY,
        }
    };
    let opts_ml = options.ml;
    let u0 = to_u(&start, &scale);
    if !ml_obj(&u0).is_finite() {
        return Err(Error::model(
            "arima",
            format!(
                "the likelihood of {} is not finite at the start",
                spec.label()
            ),
        ));
    }
    let r = bfgs(&mut ml_obj, &u0, opts_ml);
    let mut coef: Vec<f64> = r.x.iter().zip(&scale).map(|(a, s)| a * s).collect();
    transform_ar(spec, &mut coef);
    if let Some(r) = ma_bound {
        transform_ma(spec, r, &mut coef);
    }
    if spec.q > 0 && ma_bound.is_none() {
        let v = ma_invert(&coef[spec.p..spec.p + spec.q]);
        coef[spec.p..spec.p + spec.q].copy_from_slice(&v);
    }
    if spec.sq > 0 && ma_bound.is_none() {
        let o = spec.p + spec.q + spec.sp;
        let v = ma_invert(&coef[o..o + spec.sq]);
        coef[o..o + spec.sq].copy_from_slice(&v);
    }
    let fr = filter_packed(y, spec, &coef)
        .ok_or_else(|| Error::model("arima", "the Kalman filter failed at the optimum"))?;
    let lik = fr.likelihood;
    let loglik = lik.loglik();
    let (aic, aicc, bic) = criteria(loglik, spec.n_coef(), n_used);
    Ok(FitResult {
        spec: *spec,
        coef: ArimaCoefs::from_vec(spec, &coef),
        sigma2: adjusted_sigma2(&lik, spec.n_coef()),
        loglik,
        aic,
        aicc,
        bic,
        nobs: n_used,
        method,
    })
}

/// Goodness of fit for given coefficients (no optimisation): exact likelihood and criteria.
pub fn evaluate(y: &[f64], spec: &ArimaSpec, coef: &ArimaCoefs) -> Result<FitResult> {
    let fr = filter_series(y, spec, coef)?;
    let lik = fr.likelihood;
    let loglik = lik.loglik();
    let nobs = y.len() - spec.n_diff();
    let (aic, aicc, bic) = criteria(loglik, spec.n_coef(), nobs);
    Ok(FitResult {
        spec: *spec,
        coef: coef.clone(),
        sigma2: adjusted_sigma2(&lik, spec.n_coef()),
        loglik,
        aic,
        aicc,
        bic,
        nobs,
        method: Method::Ml,
    })
}
