//! Deterministic parity: with statsforecast's fitted coefficients, our exact filter and
//! forecast recursions reproduce its fitted values, log-likelihood, σ², forecasts and intervals.

mod arima_common;

use arima_common::*;
use forecast_core::Forecaster;
use forecast_stats::arima::{Arima, ArimaConfig, FittedArima, evaluate, filter_series};

fn config_of(spec: &forecast_stats::arima::ArimaSpec) -> ArimaConfig {
    ArimaConfig {
        order: [spec.p, spec.d, spec.q],
        seasonal_order: [spec.sp, spec.sd, spec.sq],
        season: spec.m,
        mean: spec.include_mean,
        drift: spec.include_drift,
        ..Default::default()
    }
}

/// Returns (late fitted, loglik, sigma2, forecast, interval) errors and whether the file
/// flags a root at the unit circle.
#[allow(clippy::needless_range_loop)]
fn check(lib: &str, id: &str, cfg: &str) -> (f64, f64, f64, f64, f64, f64, bool) {
    let r = reference(lib, id, cfg);
    let (spec, coefs) = spec_and_coefs(&r);
    let y = series(id);
    let fr = filter_series(y.values(), &spec, &coefs).unwrap();
    let fitted_ref = floats(&r["fitted"]);
    let nd = spec.n_diff();
    let mut worst_fit = 0.0f64;
    let mut worst_early = 0.0f64;
    for t in nd..y.len() {
        let e = rel(fr.fitted[t], fitted_ref[t]);
        if t < nd + 3 * spec.m.max(10) {
            worst_early = worst_early.max(e);
        } else {
            worst_fit = worst_fit.max(e);
        }
    }
    println!("early fitted error {worst_early:.2e}");
    let res = evaluate(y.values(), &spec, &coefs).unwrap();
    let ll_ref = r["goodness_of_fit"]["loglik"].as_f64().unwrap();
    let s2_ref = r["goodness_of_fit"]["sigma2"].as_f64().unwrap();
    let ll_err = rel(res.loglik, ll_ref);
    let s2_err = rel(res.sigma2, s2_ref);
    let fitted = FittedArima::new(res, &y).unwrap();
    let model = Arima::from_fit(config_of(&spec), fitted).unwrap();
    let f = model.forecast(&y, 24, &[80.0, 95.0]).unwrap();
    let mean_ref = floats(&r["forecast"]["mean"]);
    let mut worst_fc = 0.0f64;
    for h in 0..24 {
        worst_fc = worst_fc.max(rel(f.point[h], mean_ref[h]));
    }
    let mut worst_iv = 0.0f64;
    for (lvl, lo, hi) in [
        (80.0, "lower_80", "upper_80"),
        (95.0, "lower_95", "upper_95"),
    ] {
        let iv = f.interval(lvl).unwrap();
        let (lr, hr) = (floats(&r["forecast"][lo]), floats(&r["forecast"][hi]));
        for h in 0..24 {
            // relative to the half-width, which is what the variance determines
            let w = hr[h] - mean_ref[h];
            worst_iv = worst_iv.max((iv.upper[h] - hr[h]).abs() / w);
            worst_iv = worst_iv.max((iv.lower[h] - lr[h]).abs() / w);
        }
    }
    println!(
        "{lib} {id} {cfg}: fitted {worst_fit:.2e} loglik {ll_err:.2e} sigma2 {s2_err:.2e} forecast {worst_fc:.2e} intervals {worst_iv:.2e}"
    );
    (
        worst_early,
        worst_fit,
        ll_err,
        s2_err,
        worst_fc,
        worst_iv,
        r.get("parity_note").is_some(),
    )
}

/// Tolerances. Forecasts and the fitted values after the first three seasons: 1e-6 relative.
/// The first `d + mD + 3·max(m, 10)` fitted values: 1e-4 (R/statsforecast put the
/// differencing in the state with a κ = 1e6 diffuse prior; we use the exact likelihood of the
/// differenced series, spec 5.3; the κ effect decays geometrically). Log-likelihood: 1e-6, or
/// 2e-4 where the file's `parity_note` flags an MA root at the unit circle (the κ
/// approximation then does not vanish). σ²: 2e-4 (statsforecast's `Σe²/(ν−k)` also sums the
/// small non-zero residuals of the first `d + mD` diffuse points, which are exactly 0 for us).
/// Interval half-widths: 1e-3, or 5e-3 at an MA unit root (statsforecast uses the Kalman
/// forecast variance from the final, not yet converged P; we use ψ-weights).
fn within(e: (f64, f64, f64, f64, f64, f64, bool)) -> bool {
    let (early, late, ll, s2, fc, iv, unit_root) = e;
    early <= 1e-4
        && late <= 1e-6
        && ll <= if unit_root { 2e-4 } else { 1e-6 }
        && s2 <= 2e-4
        && fc <= 1e-6
        && iv <= if unit_root { 5e-3 } else { 1e-3 }
}

#[test]
fn filter_and_forecast_match_statsforecast_with_its_coefficients() {
    let mut fails = Vec::new();
    for (id, cfg) in FIXED {
        if !within(check("statsforecast_arima", id, cfg)) {
            fails.push(format!("{id} {cfg}"));
        }
    }
    for id in IDS {
        if !within(check("statsforecast_autoarima", id, "autoarima")) {
            fails.push(format!("{id} autoarima"));
        }
    }
    assert!(fails.is_empty(), "parity failures: {fails:?}");
}
