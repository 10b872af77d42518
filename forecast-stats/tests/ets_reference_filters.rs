//! Deterministic recursions given the reference parameters reproduce the reference fitted
//! values, forecasts, fit statistics and (additive) intervals: statsmodels Holt-Winters and
//! statsforecast AutoETS (fixtures copied from ../shared/reference).
//!
//! Tolerance: 1e-8 relative to `max(|value|, mean |series|)` (the issue asks for 1e-6; the
//! references' own self-check reached 1e-9).

mod ets_support;

use ets_support::*;
use forecast_core::Forecaster;
use forecast_stats::ets::{Ets, HoltWinters, HwParams};

const TOL: f64 = 1e-8;

#[test]
fn holt_winters_filters_match_statsmodels() {
    let files = hw_files();
    assert_eq!(files.len(), 7, "{files:?}");
    for (id, cfg) in files {
        let d = json(&format!("{id}__{cfg}.json"));
        let train = series(&id);
        let scale = scale_of(train.values());
        let p = &d["params"];
        let params = HwParams {
            alpha: p["smoothing_level"].as_f64().unwrap(),
            beta_star: p["smoothing_trend"].as_f64().unwrap_or(0.0),
            gamma: p["smoothing_seasonal"].as_f64().unwrap_or(0.0),
            phi: p["damping_trend"].as_f64().unwrap_or(1.0),
            initial_level: p["initial_level"].as_f64().unwrap(),
            initial_trend: p["initial_trend"].as_f64().unwrap_or(0.0),
            initial_seasons: p["initial_seasons"]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_f64().unwrap()).collect())
                .unwrap_or_default(),
        };
        let mut hw = HoltWinters::new(hw_config(&cfg, season(&id))).unwrap();
        hw.fit_with(&train, &params).unwrap();
        let tag = format!("{id}/{cfg}");
        let fit = hw.fitted().unwrap();
        assert_close(
            &format!("{tag} fitted"),
            &fit.fitted_values(&train),
            &f64s(&d["fitted"]),
            TOL,
            scale,
        );
        let sse = d["goodness_of_fit"]["sse"].as_f64().unwrap();
        assert!(
            (fit.sse - sse).abs() <= TOL * sse,
            "{tag}: sse {} vs {sse}",
            fit.sse
        );
        let fc = &d["forecast"];
        let with_iv = fc.get("lower_80").is_some_and(|v| !v.is_null());
        let levels: &[f64] = if with_iv { &[80.0, 95.0] } else { &[] };
        let f = hw.forecast(&train, 24, levels).unwrap();
        assert_close(
            &format!("{tag} mean"),
            &f.point,
            &f64s(&fc["mean"]),
            TOL,
            scale,
        );
        if with_iv {
            for (k, lv) in [(0, "80"), (1, "95")] {
                let iv = &f.intervals[k];
                assert_close(
                    &format!("{tag} lower_{lv}"),
                    &iv.lower,
                    &f64s(&fc[format!("lower_{lv}")]),
                    TOL,
                    scale,
                );
                assert_close(
                    &format!("{tag} upper_{lv}"),
                    &iv.upper,
                    &f64s(&fc[format!("upper_{lv}")]),
                    TOL,
                    scale,
                );
            }
        }
    }
}

#[test]
fn ets_filters_match_statsforecast() {
    for id in SERIES {
        let (spec, p, x0, d) = autoets_reference(id);
        let train = series(id);
        let scale = scale_of(train.values());
        let mut ets = Ets::new(spec).unwrap();
        ets.fit_with(&train, p, &x0).unwrap();
        let fit = ets.fitted().unwrap();
        assert_close(
            &format!("{id} fitted"),
            &fit.fitted_values(&train),
            &f64s(&d["fitted"]),
            TOL,
            scale,
        );
        let g = &d["goodness_of_fit"];
        for (name, got) in [
            ("loglik", fit.loglik()),
            ("aicc", fit.aicc()),
            ("sigma2", fit.sigma2),
        ] {
            let want = g[name].as_f64().unwrap();
            assert!(
                (got - want).abs() <= TOL * want.abs(),
                "{id} {name}: {got} vs {want}"
            );
        }
        let f = ets.forecast(&train, 24, &[80.0, 95.0]).unwrap();
        let fc = &d["forecast"];
        assert_close(
            &format!("{id} mean"),
            &f.point,
            &f64s(&fc["mean"]),
            TOL,
            scale,
        );
        // Additive errors: statsforecast's own class-1 intervals. Multiplicative (MAA):
        // R forecast's class-2 formula (statsforecast 2.1.1 uses another c_j, see README).
        let src = if spec.error == forecast_stats::ets::ErrorType::Additive {
            fc
        } else {
            &d["cross_check_r_forecast_formula"]
        };
        for (k, lv) in [(0, "80"), (1, "95")] {
            let iv = &f.intervals[k];
            assert_close(
                &format!("{id} lower_{lv}"),
                &iv.lower,
                &f64s(&src[format!("lower_{lv}")]),
                TOL,
                scale,
            );
            assert_close(
                &format!("{id} upper_{lv}"),
                &iv.upper,
                &f64s(&src[format!("upper_{lv}")]),
                TOL,
                scale,
            );
        }
    }
}
