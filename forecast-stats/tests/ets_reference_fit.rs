//! Our optimisers against the reference optima: Holt-Winters SSE (statsmodels) and ETS
//! likelihood (statsforecast) no worse than the reference by more than 1e-4 relative, and
//! forecasts within 1% of the reference's (relative to the series' mean level).

mod ets_support;

use ets_support::*;
use forecast_core::Forecaster;
use forecast_stats::ets::{Ets, HoltWinters};

#[test]
fn holt_winters_fit_reaches_statsmodels_sse() {
    for (id, cfg) in hw_files() {
        let d = json(&format!("{id}__{cfg}.json"));
        let train = series(&id);
        let mut hw = HoltWinters::new(hw_config(&cfg, season(&id))).unwrap();
        hw.fit(&train).unwrap();
        let fit = hw.fitted().unwrap();
        let sse_ref = d["goodness_of_fit"]["sse"].as_f64().unwrap();
        eprintln!(
            "{id}/{cfg}: sse ours {} ref {} (rel {:+.3e}); params {:?}",
            fit.sse,
            sse_ref,
            (fit.sse - sse_ref) / sse_ref,
            fit.params
        );
        assert!(
            fit.sse <= sse_ref * (1.0 + 1e-4),
            "{id}/{cfg}: sse {} vs {sse_ref}",
            fit.sse
        );
        let f = hw.forecast(&train, 24, &[]).unwrap();
        let scale = scale_of(train.values());
        // Documented better fits: statsmodels' L-BFGS-B (from its brute-force start) stops on
        // the [0, 1] boundary, where its forecasts belong to a worse point of the same SSE;
        // there the test asserts that our SSE is lower by more than 1e-4 relative and only
        // reports the forecast gap. Everywhere else the forecasts must agree to 1%.
        // - b_twitter_hourly/add_add: both at β* = γ = 0 (α 0.4151 vs 0.4173); ours has other
        //   initial level/trend/seasons and an SSE 3.5e-4 lower; forecasts differ by up to 3.6%
        //   of the mean level.
        // - c_cpu_5min/add_none: both at α ≈ 1, β* = 0, so the initial trend is a drift fixed
        //   for ever; statsmodels keeps b = 0.026/step, ours is the SSE-better drift (SSE
        //   2.6e-3 lower); forecasts differ by ~6%.
        const BETTER_FIT: [(&str, &str); 2] =
            [("b_twitter_hourly", "add_add"), ("c_cpu_5min", "add_none")];
        let better = BETTER_FIT.contains(&(id.as_str(), cfg.as_str()));
        let want = f64s(&d["forecast"]["mean"]);
        if better {
            assert!(
                fit.sse < sse_ref * (1.0 - 1e-4),
                "{id}/{cfg}: listed as a better fit, but sse {} vs {sse_ref}",
                fit.sse
            );
            let worst = f
                .point
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs() / b.abs().max(scale))
                .fold(0.0, f64::max);
            eprintln!(
                "{id}/{cfg}: better optimum than statsmodels; forecast differs by {worst:.3e}"
            );
        } else {
            assert_close(
                &format!("{id}/{cfg} forecast"),
                &f.point,
                &want,
                0.01,
                scale,
            );
        }
    }
}

#[test]
fn ets_fit_reaches_statsforecast_likelihood() {
    for id in SERIES {
        let (spec, _, _, d) = autoets_reference(id);
        let train = series(id);
        let mut ets = Ets::new(spec).unwrap();
        ets.fit(&train).unwrap();
        let fit = ets.fitted().unwrap();
        let ll_ref = d["goodness_of_fit"]["loglik"].as_f64().unwrap();
        eprintln!(
            "{id} {spec}: loglik ours {} ref {} (rel {:+.3e}); params {:?}",
            fit.loglik(),
            ll_ref,
            (fit.loglik() - ll_ref) / ll_ref.abs(),
            fit.params
        );
        // −loglik no worse than the reference's by more than 1e-4 relative.
        assert!(
            -fit.loglik() <= -ll_ref + 1e-4 * ll_ref.abs(),
            "{id}: {} vs {ll_ref}",
            fit.loglik()
        );
        let f = ets.forecast(&train, 24, &[]).unwrap();
        let scale = scale_of(train.values());
        // a/MAA: our likelihood is better by 4e-3 relative; forecasts still agree to 1%.
        let tol = 0.01;
        assert_close(
            &format!("{id} forecast"),
            &f.point,
            &f64s(&d["forecast"]["mean"]),
            tol,
            scale,
        );
    }
}
