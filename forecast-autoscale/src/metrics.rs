//! Elasticity metrics of a replay (spec §6.4 and §1.7), as pure functions of the per-step
//! demand `d_t` and supply `s_t` (in replicas) with step `Δ` seconds, `T = N·Δ`:
//!
//! | metric | formula |
//! |---|---|
//! | `accuracy_u` (θ_U, %) | `(100/T)·Σ Δ·(d_t − s_t)⁺ / max(d_t, 1)` |
//! | `accuracy_o` (θ_O, %) | `(100/T)·Σ Δ·(s_t − d_t)⁺ / max(d_t, 1)` |
//! | `accuracy_u_replicas` (BUNGEE) | `(1/T)·Σ Δ·(d_t − s_t)⁺` |
//! | `accuracy_o_replicas` (BUNGEE) | `(1/T)·Σ Δ·(s_t − d_t)⁺` |
//! | `timeshare_u` (τ_U, %) | `(100/T)·Σ Δ·1[d_t > s_t]` |
//! | `timeshare_o` (τ_O, %) | `(100/T)·Σ Δ·1[s_t > d_t]` |
//! | `instability` (υ, %) | `(100/(N−1))·Σ_{t≥1} min(|sgn(Δs_t) − sgn(Δd_t)|, 1)` |
//! | `jitter` (per minute) | `(Σ|Δs_t| − Σ|Δd_t|)/(T/60)` |
//! | CF | `|y| / DTW(x̃, y)`, `x̃` = `x` affinely normalised to `y`'s mean and std (§1.7) |
//!
//! The demand-normalised θ uses `max(d_t, 1)` in the denominator so that steps with no
//! demand count their over-provisioning in whole replicas; the reports carry both the
//! normalised (%) and the unnormalised (replicas) variants.
//!
//! ```
//! use forecast_autoscale::metrics::spec_metrics;
//! let d = [1.0, 2.0, 2.0, 3.0, 3.0, 2.0];
//! let s = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
//! let m = spec_metrics(&d, &s, 1.0).unwrap();
//! assert!((m.accuracy_u - 13.888889).abs() < 1e-5);
//! assert!((m.instability - 100.0).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{AutoscaleError, Result, check_positive};

/// The SPEC RG elasticity metrics of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpecMetrics {
    /// θ_U in percent (demand-normalised under-provisioning accuracy).
    pub accuracy_u: f64,
    /// θ_O in percent (demand-normalised over-provisioning accuracy).
    pub accuracy_o: f64,
    /// BUNGEE's unnormalised under-provisioning accuracy, in replicas.
    pub accuracy_u_replicas: f64,
    /// BUNGEE's unnormalised over-provisioning accuracy, in replicas.
    pub accuracy_o_replicas: f64,
    /// τ_U: share of time under-provisioned, percent.
    pub timeshare_u: f64,
    /// τ_O: share of time over-provisioned, percent.
    pub timeshare_o: f64,
    /// υ: share of steps where supply and demand do not move the same way, percent.
    pub instability: f64,
    /// BUNGEE jitter: (supply changes − demand changes) per minute.
    pub jitter: f64,
}

fn check_pair(d: &[f64], s: &[f64]) -> Result<()> {
    if d.is_empty() {
        return Err(AutoscaleError::EmptyTrace {
            what: "demand".into(),
        });
    }
    if d.len() != s.len() {
        return Err(AutoscaleError::invalid_param(
            "supply",
            format!("{} demand steps but {} supply steps", d.len(), s.len()),
        ));
    }
    for (name, xs) in [("demand", d), ("supply", s)] {
        if let Some(i) = xs.iter().position(|v| !v.is_finite()) {
            return Err(AutoscaleError::InvalidDemand {
                row: i,
                timestamp: i as i64,
                value: xs[i],
                reason: format!("{name} must be finite"),
            });
        }
    }
    Ok(())
}

fn sgn(x: f64) -> i32 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// The SPEC RG metrics of demand `d` and supply `s` (replicas per step) with step `dt` s.
pub fn spec_metrics(d: &[f64], s: &[f64], dt: f64) -> Result<SpecMetrics> {
    check_pair(d, s)?;
    check_positive("dt", dt)?;
    let n = d.len();
    let t = n as f64 * dt;
    let (mut au, mut ao, mut uu, mut uo, mut tu, mut to) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (&dd, &ss) in d.iter().zip(s) {
        let under = (dd - ss).max(0.0);
        let over = (ss - dd).max(0.0);
        let denom = dd.max(1.0);
        au += dt * under / denom;
        ao += dt * over / denom;
        uu += dt * under;
        uo += dt * over;
        if dd > ss {
            tu += dt;
        }
        if ss > dd {
            to += dt;
        }
    }
    let mut mismatched = 0usize;
    let (mut es, mut ed) = (0.0, 0.0);
    for i in 1..n {
        let (ds, dd) = (s[i] - s[i - 1], d[i] - d[i - 1]);
        if sgn(ds) != sgn(dd) {
            mismatched += 1;
        }
        es += ds.abs();
        ed += dd.abs();
    }
    let instability = if n > 1 {
        100.0 * mismatched as f64 / (n - 1) as f64
    } else {
        0.0
    };
    Ok(SpecMetrics {
        accuracy_u: 100.0 * au / t,
        accuracy_o: 100.0 * ao / t,
        accuracy_u_replicas: uu / t,
        accuracy_o_replicas: uo / t,
        timeshare_u: 100.0 * tu / t,
        timeshare_o: 100.0 * to / t,
        instability,
        jitter: (es - ed) / (t / 60.0),
    })
}

fn mean_std(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// `x̃_i = (x_i − μ_x)·σ_y/σ_x + μ_y` (population std). A constant `x` maps to `μ_y`.
pub fn affine_normalize(x: &[f64], y: &[f64]) -> Vec<f64> {
    if x.is_empty() || y.is_empty() {
        return x.to_vec();
    }
    let (mx, sx) = mean_std(x);
    let (my, sy) = mean_std(y);
    x.iter()
        .map(|v| {
            if sx > 0.0 {
                (v - mx) * sy / sx + my
            } else {
                my
            }
        })
        .collect()
}

/// Unnormalised DTW distance with absolute-difference cost and steps (1,1), (1,0), (0,1).
pub fn dtw_abs(x: &[f64], y: &[f64]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return if x.len() == y.len() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let m = y.len();
    let mut prev = vec![f64::INFINITY; m + 1];
    let mut cur = vec![f64::INFINITY; m + 1];
    prev[0] = 0.0;
    for &xi in x {
        cur[0] = f64::INFINITY;
        for j in 1..=m {
            let best = prev[j - 1].min(prev[j]).min(cur[j - 1]);
            cur[j] = (xi - y[j - 1]).abs() + best;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// 3-point centred smoothing (interior: mean of 3; endpoints: mean of 2).
pub fn smooth3(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    if n < 2 {
        return x.to_vec();
    }
    (0..n)
        .map(|i| {
            if i == 0 {
                (x[0] + x[1]) / 2.0
            } else if i == n - 1 {
                (x[n - 2] + x[n - 1]) / 2.0
            } else {
                (x[i - 1] + x[i] + x[i + 1]) / 3.0
            }
        })
        .collect()
}

/// StatuScale's correlation factor `CF = |y| / DTW(x̃, y)` between an allocation curve `x`
/// and a load curve `y` (§1.7); `∞` for a perfect shape match.
pub fn correlation_factor(x: &[f64], y: &[f64]) -> f64 {
    let xt = affine_normalize(x, y);
    let d = dtw_abs(&xt, y);
    if d == 0.0 {
        f64::INFINITY
    } else {
        y.len() as f64 / d
    }
}

/// `mean_i (x_i − y_i)⁺` (allocation above load, after mapping to the same unit).
pub fn mean_over_provision(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n == 0 {
        return 0.0;
    }
    x.iter().zip(y).map(|(a, b)| (a - b).max(0.0)).sum::<f64>() / n as f64
}

/// `mean_i (y_i − x_i)⁺` (load above allocation).
pub fn mean_under_provision(x: &[f64], y: &[f64]) -> f64 {
    mean_over_provision(y, x)
}
