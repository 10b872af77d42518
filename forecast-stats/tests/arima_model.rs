//! Forecaster behaviour: save/load, state update from a newer context, typed errors,
//! interval formulas, and a no-panic proptest.

mod arima_common;

use arima_common::*;
use forecast_core::{Error, Forecaster, Series, model_from_json, model_to_json};
use forecast_stats::arima::{
    Arima, ArimaConfig, AutoArima, AutoArimaConfig, FittedArima, evaluate,
};
use proptest::prelude::*;

fn cfg(order: [usize; 3], seasonal: [usize; 3], m: usize, mean: bool, drift: bool) -> ArimaConfig {
    ArimaConfig {
        order,
        seasonal_order: seasonal,
        season: m,
        mean,
        drift,
        ..Default::default()
    }
}

#[test]
fn save_load_gives_identical_forecasts() {
    let y = series("b_twitter_hourly");
    let mut a = Arima::new(cfg([1, 0, 1], [0, 1, 1], 24, false, true)).unwrap();
    a.fit(&y).unwrap();
    let f1 = a.forecast(&y, 24, &[80.0, 95.0]).unwrap();
    let back = model_from_json(&model_to_json(&a).unwrap()).unwrap();
    assert_eq!(back.name(), "arima");
    assert_eq!(back.forecast(&y, 24, &[80.0, 95.0]).unwrap(), f1);

    let c = series("c_cpu_5min");
    let mut auto = AutoArima::default();
    auto.fit(&c).unwrap();
    let g1 = auto.forecast(&c, 12, &[90.0]).unwrap();
    let back = model_from_json(&model_to_json(&auto).unwrap()).unwrap();
    assert_eq!(back.name(), "auto-arima");
    assert_eq!(back.forecast(&c, 12, &[90.0]).unwrap(), g1);
}

/// Filtering the new context forward (no refit) gives the same forecasts as binding the same
/// coefficients to the longer series with the exact filter, once the filter has converged.
#[test]
fn context_update_matches_exact_filter() {
    for (id, cfg_id) in [
        ("c_cpu_5min", "arima_1_0_1_mean"),
        ("b_twitter_hourly", "sarima_1_0_1_0_1_1_24_drift"),
        ("a_synthetic_hourly", "arima_2_1_1"),
    ] {
        let r = reference("statsforecast_arima", id, cfg_id);
        let (spec, coefs) = spec_and_coefs(&r);
        let full = series(id);
        let n = full.len();
        let train = full.head(n - 48);
        let conf = cfg(
            [spec.p, spec.d, spec.q],
            [spec.sp, spec.sd, spec.sq],
            spec.m,
            spec.include_mean,
            spec.include_drift,
        );
        let fit_train = evaluate(train.values(), &spec, &coefs).unwrap();
        let short = Arima::from_fit(conf, FittedArima::new(fit_train, &train).unwrap()).unwrap();
        let fit_full = evaluate(full.values(), &spec, &coefs).unwrap();
        let long = Arima::from_fit(conf, FittedArima::new(fit_full, &full).unwrap()).unwrap();
        // context = the last day of the full series (overlaps the training data)
        let ctx = full.tail(72);
        let a = short.forecast(&ctx, 12, &[]).unwrap();
        let b = long.forecast(&full, 12, &[]).unwrap();
        assert_eq!(a.timestamps, b.timestamps);
        let err = (0..12)
            .map(|h| rel(a.point[h], b.point[h]))
            .fold(0.0, f64::max);
        println!("{id} {cfg_id}: context update vs exact filter max rel diff {err:.2e}");
        assert!(err < 1e-3, "{id}: {err}");
    }
}

#[test]
fn context_errors() {
    let y = series("c_cpu_5min");
    let train = y.head(900);
    let mut a = Arima::new(cfg([1, 0, 1], [0, 0, 0], 1, true, false)).unwrap();
    assert!(matches!(
        a.forecast(&train, 3, &[]),
        Err(Error::NotFitted { .. })
    ));
    a.fit(&train).unwrap();
    // gap between the training end and the context
    let gap = y.window(950..1000);
    assert!(matches!(
        a.forecast(&gap, 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    // context ending before the training end
    let old = y.window(0..800);
    assert!(matches!(
        a.forecast(&old, 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    // other step
    let other = Series::new(0, 60, y.values().to_vec()).unwrap();
    assert!(matches!(
        a.forecast(&other, 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    assert!(matches!(
        a.forecast(&train, 0, &[]),
        Err(Error::ZeroHorizon)
    ));
    assert!(matches!(
        a.forecast(&train, 2, &[120.0]),
        Err(Error::InvalidLevel { .. })
    ));
    // touching context (starts right after the training end) works
    let touching = y.window(900..1000);
    a.forecast(&touching, 3, &[80.0])
        .unwrap()
        .validate()
        .unwrap();
}

#[test]
fn bad_input_errors() {
    let constant = Series::new(0, 3600, vec![5.0; 100]).unwrap();
    let mut a = Arima::new(cfg([1, 0, 0], [0, 0, 0], 1, true, false)).unwrap();
    assert!(matches!(a.fit(&constant), Err(Error::Constant { .. })));
    let mut auto = AutoArima::default();
    assert!(matches!(auto.fit(&constant), Err(Error::Constant { .. })));
    let short = Series::new(0, 3600, vec![1.0, 2.0, 4.0]).unwrap();
    assert!(matches!(a.fit(&short), Err(Error::TooShort { .. })));
    // m larger than n/2
    let y: Vec<f64> = (0..40).map(|t| (t as f64).sin() + t as f64 * 0.1).collect();
    let s = Series::new(0, 3600, y).unwrap();
    let mut seas = Arima::new(cfg([0, 0, 1], [0, 1, 1], 24, false, false)).unwrap();
    assert!(matches!(seas.fit(&s), Err(Error::TooShort { .. })));
    // invalid configurations fail before fitting
    assert!(matches!(
        Arima::new(cfg([0, 2, 1], [0, 0, 0], 1, false, true)),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Arima::new(cfg([0, 0, 1], [1, 0, 0], 1, false, false)),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Arima::new(cfg([0, 3, 0], [0, 0, 0], 1, false, false)),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        AutoArima::new(AutoArimaConfig {
            season_length: 0,
            ..Default::default()
        }),
        Err(Error::InvalidParameter { .. })
    ));
}

/// Random walk: Var_h = h σ²; AR(1): σ²(1−φ^{2h})/(1−φ²).
#[test]
fn interval_variances_follow_closed_forms() {
    let y = series("c_cpu_5min");
    let mut rw = Arima::new(cfg([0, 1, 0], [0, 0, 0], 1, false, false)).unwrap();
    rw.fit(&y).unwrap();
    let s2 = rw.fitted().unwrap().fit.sigma2;
    let f = rw.forecast(&y, 10, &[95.0]).unwrap();
    let iv = f.interval(95.0).unwrap();
    for h in 0..10 {
        let sd = (iv.upper[h] - f.point[h]) / 1.959963984540054;
        assert!(rel(sd * sd, (h + 1) as f64 * s2) < 1e-9);
        assert_eq!(f.point[h], *y.values().last().unwrap());
    }
    let mut ar = Arima::new(cfg([1, 0, 0], [0, 0, 0], 1, true, false)).unwrap();
    ar.fit(&y).unwrap();
    let fa = ar.fitted().unwrap();
    let (phi, s2) = (fa.fit.coef.ar[0], fa.fit.sigma2);
    let f = ar.forecast(&y, 10, &[80.0]).unwrap();
    let iv = f.interval(80.0).unwrap();
    for h in 0..10 {
        let sd = (iv.upper[h] - f.point[h]) / 1.2815515655446004;
        let want = s2 * (1.0 - phi.powi(2 * (h as i32 + 1))) / (1.0 - phi * phi);
        assert!(rel(sd * sd, want) < 1e-9);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn random_series_never_panic(
        values in prop::collection::vec(-1e3f64..1e3, 1..80),
        p in 0usize..3, d in 0usize..3, q in 0usize..3,
        sp in 0usize..2, sd in 0usize..2, sq in 0usize..2,
        m in 1usize..8, mean in any::<bool>(), drift in any::<bool>(),
    ) {
        let s = Series::new(0, 60, values).unwrap();
        let (sp, sd, sq) = if m == 1 { (0, 0, 0) } else { (sp, sd, sq) };
        if let Ok(mut a) = Arima::new(cfg([p, d, q], [sp, sd, sq], m, mean, drift))
            && a.fit(&s).is_ok()
        {
            prop_assert!(a.forecast(&s, 5, &[80.0]).is_ok());
        }
        let mut auto = AutoArima::new(AutoArimaConfig { season_length: m, ..Default::default() }).unwrap();
        if auto.fit(&s).is_ok() {
            let f = auto.forecast(&s, 3, &[95.0]);
            prop_assert!(f.is_ok());
        }
    }
}

/// Season length 288 (5-minute data, daily cycle): the Chandrasekhar filter keeps O(r) state
/// (r = 289 here), so fitting SARIMA(1,0,0)(0,1,1)[288] on three days is quick and the
/// forecast repeats the daily shape.
#[test]
fn season_288_fits_and_forecasts() {
    let n = 3 * 288;
    let y: Vec<f64> = (0..n)
        .map(|t| {
            let s = (2.0 * std::f64::consts::PI * t as f64 / 288.0).sin();
            20.0 + 5.0 * s + ((t * 7919 % 97) as f64 / 97.0 - 0.5)
        })
        .collect();
    let s = Series::new(0, 300, y).unwrap();
    let mut a = Arima::new(cfg([1, 0, 0], [0, 1, 1], 288, false, false)).unwrap();
    a.fit(&s).unwrap();
    assert_eq!(a.fitted().unwrap().state.dim(), 289);
    let f = a.forecast(&s, 288, &[95.0]).unwrap();
    f.validate().unwrap();
    // the forecast follows the daily sine within the noise level
    for h in (0..288).step_by(24) {
        let t = n + h;
        let want = 20.0 + 5.0 * (2.0 * std::f64::consts::PI * t as f64 / 288.0).sin();
        assert!(
            (f.point[h] - want).abs() < 1.0,
            "h={h}: {} vs {want}",
            f.point[h]
        );
    }
}
