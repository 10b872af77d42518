//! The forecasters through the `Forecaster` contract: save/load, engines, strategies,
//! transforms, errors, conformal intervals, the registry.

use forecast_core::conformal::{Conformal, ConformalConfig};
use forecast_core::params::{BuildContext, Params};
use forecast_core::{Error, Forecast, Forecaster, Series, model_from_json, model_to_json};
use forecast_trees::features::{Calendar, FeatureConfig, Transform};
use forecast_trees::{
    Engine, LightGbm, LightGbmConfig, Strategy, TreeOptions, XGBoost, XGBoostConfig,
};

/// 5-minute data: daily cycle + a deterministic wiggle (no RNG needed).
fn series(n: usize, trend: f64) -> Series {
    let y = (0..n)
        .map(|t| {
            let t = t as f64;
            100.0
                + trend * t
                + 20.0 * (std::f64::consts::TAU * t / 288.0).sin()
                + 3.0 * (t * 0.7).sin()
        })
        .collect();
    Series::new(1_704_067_200, 300, y).unwrap()
}

fn options(strategy: Strategy, transform: Transform) -> TreeOptions {
    TreeOptions {
        features: FeatureConfig {
            lags: 12,
            windows: vec![6],
            calendar: Calendar::Auto,
            transform,
        },
        strategy,
        max_horizon: 6,
        engine: Engine::Native,
    }
}

fn lightgbm(strategy: Strategy, transform: Transform) -> LightGbm {
    LightGbm::new(LightGbmConfig {
        options: options(strategy, transform),
        num_iterations: 30,
        min_data_in_leaf: 5,
        ..LightGbmConfig::default()
    })
    .unwrap()
}

fn xgboost(strategy: Strategy, transform: Transform) -> XGBoost {
    XGBoost::new(XGBoostConfig {
        options: options(strategy, transform),
        num_boost_round: 30,
        max_depth: 4,
        ..XGBoostConfig::default()
    })
    .unwrap()
}

fn fitted_models(strategy: Strategy) -> Vec<Box<dyn Forecaster>> {
    let s = series(600, 0.0);
    let mut l = lightgbm(strategy, Transform::None);
    l.fit(&s).unwrap();
    let mut x = xgboost(strategy, Transform::None);
    x.fit(&s).unwrap();
    vec![Box::new(l), Box::new(x)]
}

#[test]
fn save_and_load_give_identical_forecasts() {
    let s = series(600, 0.0);
    for strategy in [Strategy::Recursive, Strategy::Direct] {
        for m in fitted_models(strategy) {
            let json = model_to_json(m.as_ref()).unwrap();
            let marker = if m.name() == "lightgbm" {
                "version=v4"
            } else {
                "\\\"learner\\\""
            };
            assert!(
                json.contains(marker),
                "{} model file embeds the library model",
                m.name()
            );
            let back = model_from_json(&json).unwrap();
            assert_eq!(back.name(), m.name());
            let (a, b) = (
                m.forecast(&s, 6, &[]).unwrap(),
                back.forecast(&s, 6, &[]).unwrap(),
            );
            assert_eq!(a, b, "{} {strategy}", m.name());
            // Saving the loaded model gives the same file.
            assert_eq!(model_to_json(back.as_ref()).unwrap(), json);
        }
    }
}

#[test]
fn native_and_library_engines_agree() {
    let s = series(600, 0.05);
    for strategy in [Strategy::Recursive, Strategy::Direct] {
        let mut l = lightgbm(strategy, Transform::Difference);
        l.fit(&s).unwrap();
        let native = l.forecast(&s, 6, &[]).unwrap();
        l.set_engine(Engine::Library);
        assert_eq!(
            l.forecast(&s, 6, &[]).unwrap(),
            native,
            "lightgbm {strategy}"
        );

        let mut x = xgboost(strategy, Transform::Ratio);
        x.fit(&s).unwrap();
        let native = x.forecast(&s, 6, &[]).unwrap();
        x.set_engine(Engine::Library);
        let lib = x.forecast(&s, 6, &[]).unwrap();
        for (a, b) in native.point.iter().zip(&lib.point) {
            assert!(
                (a - b).abs() <= 4.0 * f32::EPSILON as f64 * b.abs(),
                "xgboost {strategy}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn library_engine_works_from_many_threads() {
    let s = series(600, 0.0);
    let mut models = fitted_models(Strategy::Recursive);
    let expected: Vec<Forecast> = models
        .iter()
        .map(|m| m.forecast(&s, 12, &[]).unwrap())
        .collect();
    let mut l = lightgbm(Strategy::Recursive, Transform::None);
    l.fit(&s).unwrap();
    l.set_engine(Engine::Library);
    models[0] = Box::new(l);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                for _ in 0..5 {
                    assert_eq!(models[0].forecast(&s, 12, &[]).unwrap(), expected[0]);
                }
            });
        }
    });
}

#[test]
fn direct_strategy_has_one_model_per_step() {
    let s = series(600, 0.0);
    let mut l = lightgbm(Strategy::Direct, Transform::None);
    l.fit(&s).unwrap();
    assert_eq!(l.model_strings().len(), 6);
    let f = l.forecast(&s, 6, &[]).unwrap();
    // Step h uses model h on the row built from the context with the target's timestamp.
    let layout = l.layout().unwrap().clone();
    let mut row = vec![0.0; layout.n_features()];
    for h in 0..6 {
        let anchor = layout.fill_row(s.values(), s.timestamp(s.len() + h), &mut row);
        assert_eq!(
            f.point[h],
            anchor.invert(l.forest(h).unwrap().predict(&row))
        );
    }
    let e = l.forecast(&s, 7, &[]).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { ref name, .. } if name == "max_horizon"),
        "{e}"
    );
}

#[test]
fn recursive_forecast_feeds_its_own_forecasts_back() {
    let s = series(600, 0.0);
    let mut x = xgboost(Strategy::Recursive, Transform::None);
    x.fit(&s).unwrap();
    let f = x.forecast(&s, 3, &[]).unwrap();
    let mut ext = s.values().to_vec();
    ext.extend_from_slice(&f.point[..2]);
    let s2 = Series::new(s.start(), s.step(), ext).unwrap();
    let f2 = x.forecast(&s2, 1, &[]).unwrap();
    assert_eq!(f2.point[0], f.point[2]);
    assert_eq!(f.timestamps, s.future_timestamps(3).collect::<Vec<_>>());
}

#[test]
fn difference_transform_follows_a_trend_that_plain_trees_cannot() {
    let s = series(700, 0.5);
    let (train, test) = (s.head(600), &s.values()[600..612]);
    let mae = |m: &dyn Forecaster| {
        let f = m.forecast(&train, 12, &[]).unwrap();
        f.point
            .iter()
            .zip(test)
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / 12.0
    };
    let mut none = lightgbm(Strategy::Recursive, Transform::None);
    none.fit(&train).unwrap();
    let mut diff = lightgbm(Strategy::Recursive, Transform::Difference);
    diff.fit(&train).unwrap();
    let mut ratio = lightgbm(Strategy::Recursive, Transform::Ratio);
    ratio.fit(&train).unwrap();
    let (e_none, e_diff, e_ratio) = (mae(&none), mae(&diff), mae(&ratio));
    eprintln!("mae none {e_none}, difference {e_diff}, ratio {e_ratio}");
    assert!(
        e_diff < 0.5 * e_none,
        "difference {e_diff} vs none {e_none}"
    );
    assert!(e_ratio < e_none, "ratio {e_ratio} vs none {e_none}");
}

#[test]
fn minimal_five_lag_configuration() {
    let s = series(100, 0.0);
    let mut m = LightGbm::new(LightGbmConfig {
        options: TreeOptions {
            features: FeatureConfig::lags_only(5),
            ..TreeOptions::default()
        },
        num_iterations: 20,
        min_data_in_leaf: 3,
        ..LightGbmConfig::default()
    })
    .unwrap();
    assert_eq!(m.min_train_len(), 15);
    m.fit(&s).unwrap();
    assert_eq!(m.forest(0).unwrap().num_features(), 5);
    let f = m.forecast(&s.tail(5), 4, &[]).unwrap();
    assert_eq!(f.point.len(), 4);
    assert!(f.point.iter().all(|v| v.is_finite()));
}

#[test]
fn typed_errors() {
    let s = series(600, 0.0);
    let mut m = lightgbm(Strategy::Recursive, Transform::Difference);
    let need = m.min_train_len();
    assert_eq!(need, 12 + 1 + 10);
    assert_eq!(
        m.forecast(&s, 3, &[]).unwrap_err(),
        Error::NotFitted {
            model: "lightgbm".into()
        }
    );
    assert_eq!(
        m.fit(&s.head(need - 1)).unwrap_err(),
        Error::TooShort {
            what: "lightgbm".into(),
            needed: need,
            got: need - 1
        }
    );
    m.fit(&s.head(need)).unwrap();
    m.fit(&s).unwrap();
    assert!(matches!(
        m.forecast(&s.tail(12), 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    m.forecast(&s.tail(13), 3, &[]).unwrap();
    let other_step = Series::new(0, 60, s.values().to_vec()).unwrap();
    assert!(matches!(
        m.forecast(&other_step, 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    assert_eq!(m.forecast(&s, 0, &[]).unwrap_err(), Error::ZeroHorizon);
    assert!(
        matches!(m.forecast(&s, 3, &[80.0]), Err(Error::InvalidParameter { ref name, .. }) if name == "levels")
    );
    assert!(matches!(
        m.forecast(&s, 3, &[180.0]),
        Err(Error::InvalidLevel { .. })
    ));
    assert!(!m.supports_intervals());

    let bad = LightGbm::new(LightGbmConfig {
        num_leaves: 1,
        ..LightGbmConfig::default()
    });
    assert!(matches!(bad, Err(Error::InvalidParameter { ref name, .. }) if name == "num_leaves"));
    let bad = LightGbm::new(LightGbmConfig {
        objective: forecast_trees::LightGbmObjective::Quantile,
        alpha: 1.5,
        ..LightGbmConfig::default()
    });
    assert!(matches!(bad, Err(Error::InvalidParameter { ref name, .. }) if name == "alpha"));
    let bad = XGBoost::new(XGBoostConfig {
        eta: 0.0,
        ..XGBoostConfig::default()
    });
    assert!(matches!(bad, Err(Error::InvalidParameter { ref name, .. }) if name == "eta"));
    let mut cfg = XGBoostConfig::default();
    cfg.options.features.windows = vec![1];
    assert!(
        matches!(XGBoost::new(cfg), Err(Error::InvalidParameter { ref name, .. }) if name == "windows")
    );
}

#[test]
fn forecast_into_reuses_the_output_buffers() {
    let s = series(600, 0.0);
    for m in fitted_models(Strategy::Recursive) {
        let mut out = Forecast::default();
        m.forecast_into(&s, 12, &[], &mut out).unwrap();
        let (p, t) = (out.point.as_ptr(), out.timestamps.as_ptr());
        let first = out.clone();
        for k in 0..20 {
            m.forecast_into(&s.head(s.len() - k % 3), 12, &[], &mut out)
                .unwrap();
        }
        m.forecast_into(&s, 12, &[], &mut out).unwrap();
        assert_eq!((out.point.as_ptr(), out.timestamps.as_ptr()), (p, t));
        assert_eq!(out, first);
    }
}

#[test]
fn conformal_wrapper_gives_intervals() {
    let s = series(600, 0.0);
    for m in [
        Box::new(lightgbm(Strategy::Recursive, Transform::None)) as Box<dyn Forecaster>,
        Box::new(xgboost(Strategy::Recursive, Transform::None)),
    ] {
        let cfg = ConformalConfig {
            calibration_windows: 30,
            max_horizon: 6,
            stride: 2,
        };
        let mut c = Conformal::new(m, cfg).unwrap();
        c.fit(&s).unwrap();
        let f = c.forecast(&s, 6, &[80.0, 95.0]).unwrap();
        f.validate().unwrap();
        let (i80, i95) = (f.interval(80.0).unwrap(), f.interval(95.0).unwrap());
        for h in 0..6 {
            assert!(i95.lower[h] <= i80.lower[h] && i80.lower[h] <= f.point[h]);
            assert!(f.point[h] <= i80.upper[h] && i80.upper[h] <= i95.upper[h]);
        }
        // The wrapped model saves and loads too.
        let back = model_from_json(&model_to_json(&c).unwrap()).unwrap();
        assert_eq!(back.forecast(&s, 6, &[80.0, 95.0]).unwrap(), f);
    }
}

#[test]
fn registry_builds_both_models_with_library_parameter_names() {
    let specs = forecast_trees::registry::model_specs();
    assert_eq!(
        specs.iter().map(|s| s.name).collect::<Vec<_>>(),
        ["lightgbm", "xgboost"]
    );
    let s = series(400, 0.0);
    let ctx = BuildContext {
        season: Some(288),
        step: 300,
    };
    for (spec, pairs) in specs.iter().zip([
        vec![
            "lags=6",
            "windows=3,12",
            "num_iterations=10",
            "learning_rate=0.2",
            "num_leaves=7",
            "min_data_in_leaf=5",
            "objective=quantile",
            "alpha=0.9",
            "strategy=direct",
            "max_horizon=3",
            "transform=difference",
            "engine=library",
        ],
        vec![
            "lags=6",
            "windows=none",
            "calendar=hour,dow",
            "num_boost_round=10",
            "eta=0.2",
            "max_depth=3",
            "tree_method=exact",
            "base_score=0.5",
            "strategy=recursive",
        ],
    ]) {
        let mut p = Params::parse(spec.name, pairs).unwrap();
        let mut m = (spec.build)(&mut p, &ctx).unwrap();
        p.finish(spec.params).unwrap();
        m.fit(&s).unwrap();
        assert_eq!(m.forecast(&s, 3, &[]).unwrap().point.len(), 3);
        // Defaults alone build too; a typo and a bad value are named.
        let mut p = Params::new(spec.name);
        (spec.build)(&mut p, &ctx).unwrap();
        p.finish(spec.params).unwrap();
        let mut p = Params::parse(spec.name, ["lagz=3"]).unwrap();
        (spec.build)(&mut p, &ctx).unwrap();
        assert!(matches!(
            p.finish(spec.params),
            Err(Error::UnknownParameter { .. })
        ));
        let mut p = Params::parse(spec.name, ["transform=log"]).unwrap();
        let e = (spec.build)(&mut p, &ctx).unwrap_err();
        assert!(e.to_string().contains("transform"), "{e}");
    }
}
