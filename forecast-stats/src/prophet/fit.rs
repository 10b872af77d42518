//! MAP fitting: input checks, Prophet's preprocessing, and L-BFGS (argmin) on the
//! [`Posterior`] with analytic gradients.

use std::cell::{Cell, RefCell};

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use forecast_core::{Error, Result};

use super::config::ProphetStyleConfig;
use super::features::{changepoints, resolve_seasonalities};
use super::objective::Posterior;
use super::predict::{FittedProphet, ProphetParams};
use super::scaling::Scaling;

const MODEL: &str = "prophet-style";

/// Evaluations without improvement after which a run is stopped.
const STALL: u32 = 200;

/// The argmin problem; remembers the best point evaluated so that a line-search failure
/// (possible at the kinks of `|δ|`) still returns the best iterate.
struct Problem<'a> {
    post: &'a Posterior,
    best: RefCell<(f64, Vec<f64>)>,
    evals: Cell<u64>,
    max_evals: u64,
    since_best: Cell<u32>,
}

impl Problem<'_> {
    /// Counts an evaluation; fails once the budget is spent or after [`STALL`] evaluations
    /// without a new best point (argmin's More–Thuente search has no iteration limit of its
    /// own and can cycle at a kink of `|δ|`).
    fn count(&self) -> std::result::Result<(), ArgminError> {
        self.evals.set(self.evals.get() + 1);
        self.since_best.set(self.since_best.get() + 1);
        if self.evals.get() > self.max_evals || self.since_best.get() > STALL {
            return Err(ArgminError::msg("evaluation budget exhausted"));
        }
        Ok(())
    }

    fn record(&self, p: &[f64], f: f64) {
        let mut best = self.best.borrow_mut();
        if f.is_finite() && f < best.0 {
            self.since_best.set(0);
            best.0 = f;
            best.1.clear();
            best.1.extend_from_slice(p);
        }
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, ArgminError> {
        self.count()?;
        let f = self.post.eval(p, None);
        self.record(p, f);
        Ok(f)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Self::Param) -> std::result::Result<Vec<f64>, ArgminError> {
        self.count()?;
        let mut g = vec![0.0; p.len()];
        let f = self.post.eval(p, Some(&mut g));
        self.record(p, f);
        Ok(g)
    }
}

/// Checks training input: at least two points, finite values, strictly increasing
/// timestamps, not constant.
pub fn check_input(ts: &[i64], y: &[f64]) -> Result<()> {
    if ts.len() != y.len() {
        return Err(Error::invalid_param(
            "values",
            format!("{} timestamps but {} values", ts.len(), y.len()),
        ));
    }
    if y.len() < 2 {
        return Err(Error::too_short(MODEL, 2, y.len()));
    }
    for (row, (&t, &v)) in ts.iter().zip(y).enumerate() {
        if !v.is_finite() {
            return Err(Error::NonFinite {
                row,
                timestamp: t,
                value: v,
            });
        }
        if row > 0 {
            let prev = ts[row - 1];
            if t == prev {
                return Err(Error::DuplicateTimestamp { row, timestamp: t });
            }
            if t < prev {
                return Err(Error::Unsorted {
                    row,
                    timestamp: t,
                    previous: prev,
                });
            }
        }
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(Error::Constant {
            what: MODEL.into(),
            value: y[0],
        });
    }
    Ok(())
}

/// Everything Prophet derives from the data before optimising.
pub struct Design {
    /// Scaling of values and time.
    pub scaling: Scaling,
    /// The posterior to minimise.
    pub posterior: Posterior,
    /// Seasonalities in column order.
    pub seasonalities: Vec<super::features::Seasonality>,
    /// Changepoints (scaled time).
    pub changepoints_t: Vec<f64>,
}

/// Prophet's preprocessing of checked input (see [`check_input`]).
pub fn design(cfg: &ProphetStyleConfig, ts: &[i64], y: &[f64]) -> Design {
    let scaling = Scaling::absmax(ts, y);
    let t: Vec<f64> = ts.iter().map(|&v| scaling.t(v)).collect();
    let ys: Vec<f64> = y
        .iter()
        .map(|&v| (v - scaling.floor) / scaling.y_scale)
        .collect();
    let dt_min = ts.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(1);
    let seasonalities = resolve_seasonalities(cfg, ts[0], ts[ts.len() - 1], dt_min);
    let changepoints_t = changepoints(&t, cfg.n_changepoints, cfg.changepoint_range);
    let posterior = Posterior::new(
        ts,
        t,
        ys,
        changepoints_t.clone(),
        &seasonalities,
        cfg.changepoint_prior_scale,
    );
    Design {
        scaling,
        posterior,
        seasonalities,
        changepoints_t,
    }
}

/// Prophet's initial point (`k`, `m` through the first and last points, `δ = β = 0`) with `σ`
/// at its conditional optimum.
pub fn initial_point(post: &Posterior) -> Vec<f64> {
    let (t, y) = (post.t(), post.y());
    let n = t.len();
    let k = (y[n - 1] - y[0]) / (t[n - 1] - t[0]);
    let m = y[0] - k * t[0];
    let mut theta = vec![0.0; post.n_params()];
    theta[0] = k;
    theta[1] = m;
    // σ at its conditional optimum given the other parameters (4σ⁴ + nσ² − SS = 0) instead
    // of Prophet's σ = 1: the first L-BFGS step is then not dominated by ∂f/∂u ≈ n, which
    // would overflow exp(u). The optimum does not depend on the starting σ.
    let ss: f64 = t
        .iter()
        .zip(y)
        .map(|(&ti, &yi)| (yi - k * ti - m).powi(2))
        .sum();
    let nf = n as f64;
    let s2 = (-nf + (nf * nf + 16.0 * ss).sqrt()) / 8.0;
    let last = theta.len() - 1;
    theta[last] = 0.5 * s2.max(1e-12).ln();
    theta
}

fn lbfgs_run(post: &Posterior, start: Vec<f64>, iters: u64) -> (f64, Vec<f64>, u64) {
    let f0 = post.eval(&start, None);
    let problem = Problem {
        post,
        best: RefCell::new((f0, start.clone())),
        evals: Cell::new(0),
        max_evals: iters.saturating_mul(20),
        since_best: Cell::new(0),
    };
    let used = {
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(1e-8)
            .and_then(|s| s.with_tolerance_cost(1e-13));
        match solver {
            Ok(solver) => {
                let res = Executor::new(&problem, solver)
                    .configure(|s| s.param(start).max_iters(iters))
                    .run();
                res.map(|r| r.state().iter).unwrap_or(iters)
            }
            Err(_) => iters,
        }
    };
    let (f, p) = problem.best.into_inner();
    (f, p, used.max(1))
}

impl CostFunction for &Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, ArgminError> {
        (*self).cost(p)
    }
}

impl Gradient for &Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Self::Param) -> std::result::Result<Vec<f64>, ArgminError> {
        (*self).gradient(p)
    }
}

/// Minimises the posterior from `start`: an L-BFGS run, then up to five restarts from the best
/// point (fresh curvature history, which helps at the kinks of `|δ|`) while a restart still
/// lowers the objective by more than 1e-9 relative; `max_iterations` bounds the total.
pub fn minimise(post: &Posterior, start: Vec<f64>, max_iterations: u64) -> (f64, Vec<f64>) {
    let mut left = max_iterations;
    let (mut f, mut p, used) = lbfgs_run(post, start, left);
    left = left.saturating_sub(used);
    for _ in 0..5 {
        if left == 0 {
            break;
        }
        let (f2, p2, used) = lbfgs_run(post, p.clone(), left);
        left = left.saturating_sub(used);
        let gain = f - f2;
        if f2 < f {
            f = f2;
            p = p2;
        }
        if gain <= 1e-9 * f.abs().max(1.0) {
            break;
        }
    }
    (f, p)
}

/// Fits the model on `(ts, y)` by MAP. Errors: the input checks of [`check_input`], and
/// [`Error::Model`] if the optimiser ends at a non-finite point.
pub fn fit_map(cfg: &ProphetStyleConfig, ts: &[i64], y: &[f64]) -> Result<FittedProphet> {
    cfg.validate()?;
    check_input(ts, y)?;
    let d = design(cfg, ts, y);
    let start = initial_point(&d.posterior);
    let (f, theta) = minimise(&d.posterior, start, cfg.max_iterations);
    if !f.is_finite() || theta.iter().any(|v| !v.is_finite()) {
        return Err(Error::model(
            MODEL,
            "the optimiser ended at a non-finite point",
        ));
    }
    let n_s = d.changepoints_t.len();
    let kc = d.posterior.n_params() - 3 - n_s;
    let params = ProphetParams {
        k: theta[0],
        m: theta[1],
        delta: theta[2..2 + n_s].to_vec(),
        beta: theta[2 + n_s..2 + n_s + kc].to_vec(),
        sigma_obs: theta[2 + n_s + kc].exp(),
    };
    FittedProphet::with_objective(d.scaling, d.changepoints_t, d.seasonalities, params, f)
}
