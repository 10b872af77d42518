//! Prophet's yhat from its own MAP parameters (acceptance: 1e-6 relative; asserted: 1e-8): evaluating our model at the reference's
//! parameters reproduces Prophet's history and future `trend`, seasonal columns,
//! `additive_terms` and `yhat` (fixtures copied from the shared reference, Prophet 1.5.0).

mod prophet_support;

use forecast_core::{Forecaster, Series};
use forecast_stats::prophet::ProphetStyle;
use prophet_support::*;

/// Largest relative difference between two columns; values smaller than `floor` in magnitude
/// are compared relative to `floor`.
fn worst(ours: &[f64], theirs: &[f64], floor: f64) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(theirs)
        .map(|(&a, &b)| rel(a, b, floor))
        .fold(0.0, f64::max)
}

#[test]
fn components_from_reference_params_match_prophet() {
    for id in SERIES {
        let r = load_json(&format!("{id}__prophet.json"));
        let model = reference_model(id);
        let y_scale = model.scaling().y_scale;
        // Seasonal columns pass through zero: compare them relative to 1e-6·y_scale there.
        let floor = 1e-6 * y_scale;
        for (part, key) in [("history", "history"), ("forecast", "forecast")] {
            let block = &r[key];
            let ts = stamps(&block["timestamps"]);
            let c = model.components(&ts);
            let yhat_key = if part == "history" { "yhat" } else { "mean" };
            let checks = [
                ("trend", worst(&c.trend, &floats(&block["trend"]), floor)),
                (
                    "additive_terms",
                    worst(&c.additive_terms, &floats(&block["additive_terms"]), floor),
                ),
                ("yhat", worst(&c.yhat, &floats(&block[yhat_key]), floor)),
            ];
            for (name, err) in checks {
                eprintln!("{id} {part} {name}: worst relative error {err:e}");
                assert!(
                    err < 1e-8,
                    "{id} {part} {name}: worst relative error {err:e}"
                );
            }
            for (name, col) in &c.seasonal {
                let err = worst(col, &floats(&block[name.as_str()]), floor);
                assert!(
                    err < 1e-8,
                    "{id} {part} {name}: worst relative error {err:e}"
                );
            }
            assert!(c.multiplicative_terms.iter().all(|&v| v == 0.0));
        }
    }
}

#[test]
fn forecaster_from_reference_params_matches_prophet_future() {
    for id in SERIES {
        let r = load_json(&format!("{id}__prophet.json"));
        let (ts, ys) = load_series(id);
        let step = ts[1] - ts[0];
        let train = Series::new(ts[0], step, ys).unwrap();
        let model =
            ProphetStyle::from_fitted(reference_config(), reference_model(id), step).unwrap();
        let f = model.forecast(&train, 24, &[]).unwrap();
        assert_eq!(f.timestamps, stamps(&r["forecast"]["timestamps"]));
        let want = floats(&r["forecast"]["mean"]);
        let err = worst(
            &f.point,
            &want,
            1e-6 * model.fitted().unwrap().scaling().y_scale,
        );
        assert!(err < 1e-6, "{id}: worst relative error {err:e}");
        // A context that runs past the training data: the curve is evaluated at the new
        // timestamps, so the overlap with the first forecast is identical.
        let ctx = Series::new(ts[0], step, {
            let mut v = train.values().to_vec();
            v.extend_from_slice(&f.point[..6]);
            v
        })
        .unwrap();
        let g = model.forecast(&ctx, 12, &[]).unwrap();
        assert_eq!(g.point[..], f.point[6..18]);
    }
}
