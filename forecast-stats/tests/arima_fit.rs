//! Our optimiser against statsforecast's: the exact log-likelihood must be no worse than the
//! reference's by more than 1e-4 relative, and forecasts within 1 % of the reference's.
//!
//! "The reference's likelihood" is our exact likelihood evaluated at statsforecast's
//! coefficients (same objective; it equals the library's own value to < 1e-10 except when an
//! MA root sits at the unit circle, where R's approximate diffuse prior differs by ~1e-4).
//! Where our optimiser finds a *clearly better* optimum (log-likelihood higher by more than
//! one unit; statsforecast's BFGS stopped with "precision loss" at a local optimum), the
//! forecasts legitimately differ: the test then asserts the better likelihood instead of the
//! 1 % forecast match and prints both.

mod arima_common;

use arima_common::*;
use forecast_core::{Error, Forecaster};
use forecast_stats::arima::{Arima, ArimaConfig, evaluate};

#[test]
fn css_ml_reaches_reference_likelihood_and_forecasts() {
    let mut fails = Vec::new();
    for (id, cfg) in FIXED {
        let r = reference("statsforecast_arima", id, cfg);
        let (spec, ref_coefs) = spec_and_coefs(&r);
        let y = series(id);
        let mut model = Arima::new(ArimaConfig {
            order: [spec.p, spec.d, spec.q],
            seasonal_order: [spec.sp, spec.sd, spec.sq],
            season: spec.m,
            mean: spec.include_mean,
            drift: spec.include_drift,
            ..Default::default()
        })
        .unwrap();
        model.fit(&y).unwrap();
        let fit = &model.fitted().unwrap().fit;
        let ll_lib = r["goodness_of_fit"]["loglik"].as_f64().unwrap();
        let ll_ref = evaluate(y.values(), &spec, &ref_coefs).unwrap().loglik;
        let nll_gap = (-fit.loglik - -ll_ref) / ll_ref.abs();
        let better = fit.loglik > ll_ref + 1.0;
        let f = model.forecast(&y, 24, &[80.0, 95.0]).unwrap();
        let mean_ref = floats(&r["forecast"]["mean"]);
        let scale = mean_ref.iter().map(|v| v.abs()).fold(0.0, f64::max);
        let fc_err = (0..24)
            .map(|h| (f.point[h] - mean_ref[h]).abs() / mean_ref[h].abs().max(0.1 * scale))
            .fold(0.0, f64::max);
        println!(
            "{id} {cfg}: loglik {:.4} vs {ll_ref:.4} at the reference coefficients (library {ll_lib:.4}; nll gap {nll_gap:.2e}{}), forecast err {fc_err:.2e}, coef {:?}",
            fit.loglik,
            if better { ", BETTER optimum" } else { "" },
            fit.coef
        );
        if nll_gap > 1e-4 || (fc_err > 0.01 && !better) {
            fails.push(format!("{id} {cfg}"));
        }
    }
    assert!(fails.is_empty(), "{fails:?}");
}

/// statsforecast fails on SARIMA(1,0,1)(0,1,1)[24] without drift for the trending synthetic
/// series (the CSS AR estimate is ≥ 1); R stops with "non-stationary AR part from CSS". We
/// answer with a typed model error too.
#[test]
fn failed_reference_gives_typed_error() {
    let r = reference(
        "statsforecast_arima",
        "a_synthetic_hourly",
        "sarima_1_0_1_0_1_1_24",
    );
    assert_eq!(r["status"], "failed");
    let y = series("a_synthetic_hourly");
    let mut model = Arima::new(ArimaConfig {
        order: [1, 0, 1],
        seasonal_order: [0, 1, 1],
        season: 24,
        mean: false,
        drift: false,
        ..Default::default()
    })
    .unwrap();
    let err = model.fit(&y).unwrap_err();
    println!("{err}");
    assert!(matches!(err, Error::Model { .. }), "{err:?}");
}
