//! auto-ARIMA against statsforecast's AutoARIMA on the three reference series: the same model,
//! or (with the same differencing, so that AICc values are comparable) one with lower AICc.
//!
//! Documented exception (asserted, not skipped): the reference model is *inadmissible* for us
//! under the Hyndman–Khandakar rule (spec 5.4.6: reject a fit with an AR/MA root of modulus
//! < 1.01) because our ML finds a strictly better optimum of that very model on the MA unit
//! circle. On a_synthetic_hourly every seasonal-MA fit goes to Θ = −1 (the seasonality is
//! deterministic, so (1−B^24) over-differences), with a log-likelihood above the one
//! statsforecast reports (its BFGS stops early at an interior point). On c_cpu_5min the
//! reference ARIMA(3,1,1) has ma1 = −1.000002 itself; statsforecast accepts it only because
//! its root check skips polynomials whose single non-zero coefficient is the first one
//! (`if last_nonzero > 0` on a zero-based index). In that case the test asserts (a) our refit of
//! the reference model has a root < 1.01 and a log-likelihood at least the reference's − 1e-4
//! relative (2e-4 at a unit root, see arima_parity), and (b) our selection has a finite AICc with the same differencing.

mod arima_common;

use arima_common::*;
use forecast_core::Forecaster;
use forecast_stats::arima::{AutoArima, AutoArimaConfig, Method, fit, polynomial};

fn run(id: &str, m: usize) {
    let r = reference("statsforecast_autoarima", id, "autoarima");
    let (ref_spec, _) = spec_and_coefs(&r);
    let ref_aicc = r["goodness_of_fit"]["aicc"].as_f64().unwrap();
    let y = series(id);
    let mut model = AutoArima::new(AutoArimaConfig {
        season_length: m,
        ..Default::default()
    })
    .unwrap();
    let t0 = std::time::Instant::now();
    model.fit(&y).unwrap();
    let fit = &model.fitted().unwrap().fit;
    let s = fit.spec;
    println!(
        "{id}: ours {} AICc {:.3} ({:.1?}); reference {} AICc {ref_aicc:.3}",
        s.label(),
        fit.aicc,
        t0.elapsed(),
        ref_spec.label()
    );
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
    if same {
        println!("{id}: SAME model as the reference");
        // Same model: our ML optimum is at least as good.
        assert!(fit.aicc <= ref_aicc + 1e-4 * ref_aicc.abs(), "{id}");
    } else {
        assert_eq!(
            (s.d, s.sd),
            (ref_spec.d, ref_spec.sd),
            "{id}: differencing differs"
        );
        assert!(fit.aicc.is_finite());
        if fit.aicc < ref_aicc {
            println!("{id}: DIFFERENT model with LOWER AICc than the reference");
        } else {
            let refit = fit_spec(&y, &ref_spec);
            let c = &refit.coef;
            let m = ref_spec.m as f64;
            let root = polynomial::min_root_ma(&c.ma)
                .min(polynomial::min_root_ma(&c.sma).powf(1.0 / m))
                .min(polynomial::min_root_ar(&c.ar))
                .min(polynomial::min_root_ar(&c.sar).powf(1.0 / m));
            let ref_ll = r["goodness_of_fit"]["loglik"].as_f64().unwrap();
            println!(
                "{id}: DIFFERENT model; the reference model refit by us has min root {root:.5} and loglik {:.3} (reference {ref_ll:.3}): inadmissible (root < 1.01)",
                refit.loglik
            );
            assert!(
                root < 1.01,
                "{id}: reference model admissible for us but not selected"
            );
            // 2e-4: at an MA unit root R's κ-diffuse likelihood and our exact one differ by ~1e-4
            assert!(refit.loglik >= ref_ll - 2e-4 * ref_ll.abs(), "{id}");
        }
    }
    let f = model.forecast(&y, 24, &[80.0, 95.0]).unwrap();
    f.validate().unwrap();
}

fn fit_spec(
    y: &forecast_core::Series,
    spec: &forecast_stats::arima::ArimaSpec,
) -> forecast_stats::arima::FitResult {
    fit(y.values(), spec, Method::CssMl).unwrap()
}

#[test]
fn auto_arima_synthetic_hourly() {
    run("a_synthetic_hourly", 24);
}

#[test]
fn auto_arima_twitter_hourly() {
    run("b_twitter_hourly", 24);
}

#[test]
fn auto_arima_cpu_5min() {
    run("c_cpu_5min", 1);
}
