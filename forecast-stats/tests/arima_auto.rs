//! auto-ARIMA against statsforecast's AutoARIMA on the three reference series. Each series
//! must land in one of the accepted cases, and the test prints which:
//!
//! - **same**: the reference's model with an AICc no higher than the reference's (1e-4 rel.);
//! - **lower**: another model (same differencing) with a strictly lower AICc;
//! - **same, reference inadmissible**: the reference's model, but the reference's own
//!   coefficients break the Hyndman–Khandakar rule (a root of modulus < 1.01) that R's
//!   `auto.arima` applies; statsforecast 2.1.1 keeps such a fit only because its root check
//!   skips a polynomial whose single non-zero coefficient is the first one
//!   (`if last_nonzero > 0` on a zero-based index, where R's `which()` is one-based). Our fit of that model is
//!   the likelihood maximum over the admissible region (all roots > 1.01), so its AICc is
//!   allowed above the reference's; the gap is printed.
//!
//! - **other, reference inadmissible**: another model (same differencing) whose AICc may be
//!   above the reference's, allowed only when the reference's own fit breaks the 1.01 rule
//!   (so R's `auto.arima` could not have returned it). The gap is printed.
//!
//! Measured: a_synthetic_hourly → ARIMA(0,0,1)(2,1,1)[24] with drift, AICc 2016.93 < 2020.20
//! (lower); b_twitter_hourly → the same ARIMA(1,0,0) with mean; c_cpu_5min → ARIMA(3,1,1)
//! without drift, AICc 8491.99 vs the reference's 8490.49 for ARIMA(3,1,1) with drift and
//! θ₁ = −1.000002 (min root 0.99999, inadmissible under R's rule).
//!
//! With `statsforecast_root_check` (statsforecast's off-by-one reproduced) the search picks
//! the reference's ARIMA(3,1,1) with drift on c_cpu_5min, AICc 8491.37 vs 8490.50 (last test).
//!
//! Every selected model must itself pass the 1.01 root rule. Candidates whose ML optimum lies
//! on the MA unit circle (on a_synthetic_hourly every seasonal-MA fit drifts to Θ = −1, the
//! deterministic season being over-differenced by 1 − B²⁴) are refitted inside the admissible
//! region instead of discarded, which is what lets the search reach statsforecast's model:
//! its BFGS stops at Θ = −0.778, just inside the bound (1.01^−24 = 0.788).

mod arima_common;

use arima_common::*;
use forecast_core::Forecaster;
use forecast_stats::arima::{
    ArimaCoefs, ArimaSpec, AutoArima, AutoArimaConfig, Method, fit, polynomial,
};

/// Smallest root modulus of the expanded AR and MA polynomials (R's `myarima` check).
fn min_root(spec: &ArimaSpec, c: &ArimaCoefs) -> f64 {
    let m = spec.m as f64;
    polynomial::min_root_ma(&c.ma)
        .min(polynomial::min_root_ma(&c.sma).powf(1.0 / m))
        .min(polynomial::min_root_ar(&c.ar))
        .min(polynomial::min_root_ar(&c.sar).powf(1.0 / m))
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Same,
    Lower,
    SameReferenceInadmissible,
    OtherReferenceInadmissible,
}

fn run(id: &str, m: usize) -> Outcome {
    let r = reference("statsforecast_autoarima", id, "autoarima");
    let (ref_spec, ref_coefs) = spec_and_coefs(&r);
    let ref_aicc = r["goodness_of_fit"]["aicc"].as_f64().unwrap();
    let ref_root = min_root(&ref_spec, &ref_coefs);
    let y = series(id);
    let mut model = AutoArima::new(AutoArimaConfig {
        season_length: m,
        ..Default::default()
    })
    .unwrap();
    model.fit(&y).unwrap();
    let fit = &model.fitted().unwrap().fit;
    let s = fit.spec;
    let root = min_root(&s, &fit.coef);
    println!(
        "{id}: ours {} AICc {:.3} (min root {root:.4}); reference {} AICc {ref_aicc:.3} (min root {ref_root:.5})",
        s.label(),
        fit.aicc,
        ref_spec.label()
    );
    assert!(
        root >= 1.01,
        "{id}: selected model has a root {root} < 1.01"
    );
    assert!(fit.aicc.is_finite());
    let same = (s.p, s.d, s.q, s.sp, s.sd, s.sq)
        == (
            ref_spec.p,
            ref_spec.d,
            ref_spec.q,
            ref_spec.sp,
            ref_spec.sd,
            ref_spec.sq,
        )
        && s.has_drift() == ref_spec.has_drift()
        && s.has_mean() == ref_spec.has_mean();
    // The unconstrained ML refit of the reference model, for the record.
    if let Ok(free) = fit_free(&y, &ref_spec) {
        println!(
            "{id}: reference model by unconstrained ML: loglik {:.3} min root {:.5} (reference loglik {:.3})",
            free.loglik,
            min_root(&ref_spec, &free.coef),
            r["goodness_of_fit"]["loglik"].as_f64().unwrap()
        );
    }
    let outcome = if same && fit.aicc <= ref_aicc + 1e-4 * ref_aicc.abs() {
        Outcome::Same
    } else if !same && fit.aicc < ref_aicc {
        assert_eq!(
            (s.d, s.sd),
            (ref_spec.d, ref_spec.sd),
            "{id}: differencing differs"
        );
        Outcome::Lower
    } else if same && ref_root < 1.01 {
        Outcome::SameReferenceInadmissible
    } else if ref_root < 1.01 {
        assert_eq!(
            (s.d, s.sd),
            (ref_spec.d, ref_spec.sd),
            "{id}: differencing differs"
        );
        Outcome::OtherReferenceInadmissible
    } else {
        panic!(
            "{id}: {} (AICc {}) is neither the reference's model nor better than {} (AICc {ref_aicc})",
            s.label(),
            fit.aicc,
            ref_spec.label()
        );
    };
    println!(
        "{id}: {outcome:?} (AICc ours − reference = {:+.3})",
        fit.aicc - ref_aicc
    );
    let f = model.forecast(&y, 24, &[80.0, 95.0]).unwrap();
    f.validate().unwrap();
    outcome
}

fn fit_free(
    y: &forecast_core::Series,
    spec: &ArimaSpec,
) -> forecast_core::Result<forecast_stats::arima::FitResult> {
    fit(y.values(), spec, Method::CssMl)
}

#[test]
fn auto_arima_synthetic_hourly() {
    assert_eq!(run("a_synthetic_hourly", 24), Outcome::Lower);
}

#[test]
fn auto_arima_twitter_hourly() {
    assert_eq!(run("b_twitter_hourly", 24), Outcome::Same);
}

#[test]
fn auto_arima_cpu_5min() {
    assert_eq!(run("c_cpu_5min", 1), Outcome::OtherReferenceInadmissible);
}

/// With statsforecast's own root check (which skips a polynomial whose only non-zero
/// coefficient is the first), the search reaches the reference's model on c_cpu_5min: the
/// gap above is the root rule, not the search.
#[test]
fn auto_arima_cpu_5min_with_statsforecast_root_check_picks_the_reference_model() {
    let id = "c_cpu_5min";
    let r = reference("statsforecast_autoarima", id, "autoarima");
    let (ref_spec, _) = spec_and_coefs(&r);
    let ref_aicc = r["goodness_of_fit"]["aicc"].as_f64().unwrap();
    let mut model = AutoArima::new(AutoArimaConfig {
        season_length: 1,
        statsforecast_root_check: true,
        ..Default::default()
    })
    .unwrap();
    model.fit(&series(id)).unwrap();
    let fit = &model.fitted().unwrap().fit;
    let s = fit.spec;
    println!(
        "{id} (statsforecast root check): ours {} AICc {:.3}; reference {} AICc {ref_aicc:.3}",
        s.label(),
        fit.aicc,
        ref_spec.label()
    );
    assert_eq!(
        (s.p, s.d, s.q, s.sp, s.sd, s.sq, s.has_drift(), s.has_mean()),
        (
            ref_spec.p,
            ref_spec.d,
            ref_spec.q,
            ref_spec.sp,
            ref_spec.sd,
            ref_spec.sq,
            ref_spec.has_drift(),
            ref_spec.has_mean()
        )
    );
    // Measured: 8491.374 vs 8490.495 (1.0e-4 relative). The model sits on the MA unit
    // circle (θ₁ ≈ −1), where the exact likelihood is flat and our optimum ends 0.44 below
    // the reference's log-likelihood; the tolerance is the model choice's, not the fit's.
    assert!(
        (fit.aicc - ref_aicc).abs() <= 2e-4 * ref_aicc.abs(),
        "AICc {} vs reference {ref_aicc}",
        fit.aicc
    );
}
