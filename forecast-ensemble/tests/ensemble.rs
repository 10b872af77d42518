//! Behaviour of the weighted ensemble, dynamic selection and the hybrid on series whose best
//! member is known by construction.

use forecast_core::baselines::{Drift, Naive, SeasonalNaive};
use forecast_core::{Forecaster, Series, model_from_json, model_to_json};
use forecast_ensemble::{
    DynamicSelection, EnsembleConfig, Hybrid, HybridConfig, WeightedEnsemble, Weighting,
};
use proptest::prelude::*;

/// A pure period-8 pattern (seasonal naive is exact on it) of `n` points.
fn seasonal(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| [5.0, 9.0, 14.0, 11.0, 6.0, 2.0, 1.0, 3.0][t % 8])
        .collect()
}

fn members() -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(Naive::new()),
        Box::new(SeasonalNaive::new(8).unwrap()),
        Box::new(Drift::new()),
    ]
}

#[test]
fn exact_member_takes_all_static_weight() {
    let train = Series::new(0, 60, seasonal(96)).unwrap();
    let mut ens = WeightedEnsemble::new(members(), EnsembleConfig::default()).unwrap();
    ens.fit(&train).unwrap();
    // Seasonal naive has zero validation error, so the inverse rule gives it everything.
    assert_eq!(ens.weights(), &[0.0, 1.0, 0.0]);
    let f = ens.forecast(&train, 8, &[80.0]).unwrap();
    assert_eq!(f.point, seasonal(104)[96..].to_vec());
}

#[test]
fn weights_are_a_convex_combination_and_serial_equals_parallel() {
    let y: Vec<f64> = (0..120)
        .map(|t| 50.0 + 0.3 * t as f64 + 6.0 * ((t as f64) * 0.7).sin())
        .collect();
    let train = Series::new(0, 300, y).unwrap();
    for weighting in [
        Weighting::InverseMae,
        Weighting::InverseMse,
        Weighting::Softmax { temperature: 0.3 },
        Weighting::Stacking,
    ] {
        let cfg = EnsembleConfig {
            weighting,
            ..Default::default()
        };
        let mut par = WeightedEnsemble::new(members(), cfg.clone()).unwrap();
        let mut ser = WeightedEnsemble::new(
            members(),
            EnsembleConfig {
                parallel: false,
                ..cfg
            },
        )
        .unwrap();
        par.fit(&train).unwrap();
        ser.fit(&train).unwrap();
        let w = par.weights();
        assert!(
            (w.iter().sum::<f64>() - 1.0).abs() < 1e-12,
            "{weighting:?}: {w:?}"
        );
        assert!(w.iter().all(|x| *x >= 0.0));
        assert_eq!(par.weights(), ser.weights());
        let fp = par.forecast(&train, 12, &[80.0, 95.0]).unwrap();
        let fs = ser.forecast(&train, 12, &[80.0, 95.0]).unwrap();
        assert_eq!(fp, fs);
        // The point lies within the members' range at every step.
        for k in 0..12 {
            let pts: Vec<f64> = members()
                .into_iter()
                .map(|mut m| {
                    m.fit(&train).unwrap();
                    m.forecast(&train, 12, &[]).unwrap().point[k]
                })
                .collect();
            let lo = pts.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = pts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(fp.point[k] >= lo - 1e-9 && fp.point[k] <= hi + 1e-9);
        }
    }
}

#[test]
fn dynamic_selection_follows_a_regime_change_without_refit() {
    // Training: exactly seasonal, so static weights favour seasonal naive completely.
    let mut y = seasonal(96);
    // Afterwards the series turns into a slow ramp: naive/drift now beat seasonal naive.
    let last = *y.last().unwrap();
    y.extend((1..=24).map(|t| last + t as f64 * 0.1));
    let all = Series::new(0, 60, y).unwrap();
    let train = all.window(0..96);
    let cfg = EnsembleConfig {
        dynamic: Some(DynamicSelection {
            window: 6,
            top_k: Some(1),
        }),
        ..Default::default()
    };
    let mut ens = WeightedEnsemble::new(members(), cfg).unwrap();
    ens.fit(&train).unwrap();
    assert_eq!(ens.weights(), &[0.0, 1.0, 0.0]);
    let w = ens.weights_for(&all).unwrap();
    // On the ramp, seasonal naive is off by several units while naive is off by 0.1: the
    // single selected member is no longer the seasonal one.
    assert_eq!(w[1], 0.0, "{w:?}");
    assert!(w[0] == 1.0 || w[2] == 1.0, "{w:?}");
    let f = ens.forecast(&all, 1, &[]).unwrap();
    let next = all.last().unwrap() + 0.1;
    assert!((f.point[0] - next).abs() < 0.15, "{:?} vs {next}", f.point);
}

#[test]
fn save_load_gives_identical_forecasts() {
    let train = Series::new(0, 60, seasonal(96)).unwrap();
    let mut ens = WeightedEnsemble::new(
        members(),
        EnsembleConfig {
            dynamic: Some(DynamicSelection::default()),
            weighting: Weighting::Softmax { temperature: 1.0 },
            ..Default::default()
        },
    )
    .unwrap();
    ens.fit(&train).unwrap();
    let mut hyb = Hybrid::new(
        Box::new(SeasonalNaive::new(8).unwrap()),
        Box::new(Drift::new()),
        HybridConfig::default(),
    )
    .unwrap();
    hyb.fit(&train).unwrap();
    for m in [&ens as &dyn Forecaster, &hyb] {
        let back = model_from_json(&model_to_json(m).unwrap()).unwrap();
        assert_eq!(
            back.forecast(&train, 10, &[80.0]).unwrap(),
            m.forecast(&train, 10, &[80.0]).unwrap()
        );
    }
}

#[test]
fn hybrid_corrects_a_base_that_misses_a_trend() {
    // Seasonal pattern on a linear trend: seasonal naive lags the trend by one season,
    // leaving a constant residual of 8·slope that a naive residual model picks up.
    let slope = 0.5;
    let y: Vec<f64> = seasonal(160)
        .iter()
        .enumerate()
        .map(|(t, s)| s + slope * t as f64)
        .collect();
    let all = Series::new(0, 60, y).unwrap();
    let train = all.window(0..150);
    let mut base = SeasonalNaive::new(8).unwrap();
    base.fit(&train).unwrap();
    let mut hyb = Hybrid::new(
        Box::new(SeasonalNaive::new(8).unwrap()),
        Box::new(Naive::new()),
        HybridConfig::default(),
    )
    .unwrap();
    hyb.fit(&train).unwrap();
    assert_eq!(hyb.name(), "hybrid(seasonal-naive+naive)");
    let fh = hyb.forecast(&train, 8, &[]).unwrap();
    let fb = base.forecast(&train, 8, &[]).unwrap();
    let actual = &all.values()[150..158];
    for (k, &y) in actual.iter().enumerate() {
        assert!(
            (fh.point[k] - y).abs() < 1e-9,
            "step {k}: {} vs {y}",
            fh.point[k]
        );
        assert!((fb.point[k] - y).abs() > 3.9);
    }
    // A context past the training data updates the residuals online.
    let later = all.window(0..155);
    let f = hyb.forecast(&later, 5, &[]).unwrap();
    for k in 0..5 {
        assert!((f.point[k] - all.values()[155 + k]).abs() < 1e-9);
    }
}

#[test]
fn bad_configurations_are_typed_errors() {
    assert!(WeightedEnsemble::new(vec![], EnsembleConfig::default()).is_err());
    assert!(
        WeightedEnsemble::new(
            members(),
            EnsembleConfig {
                weighting: Weighting::Softmax { temperature: 0.0 },
                ..Default::default()
            }
        )
        .is_err()
    );
    assert!(
        Hybrid::new(
            Box::new(Naive::new()),
            Box::new(Naive::new()),
            HybridConfig {
                split: 1.5,
                ..Default::default()
            }
        )
        .is_err()
    );
    let mut ens = WeightedEnsemble::new(members(), EnsembleConfig::default()).unwrap();
    let short = Series::new(0, 60, vec![1.0, 2.0, 3.0]).unwrap();
    assert!(matches!(
        ens.fit(&short),
        Err(forecast_core::Error::TooShort { .. })
    ));
    assert!(matches!(
        ens.forecast(&short, 1, &[]),
        Err(forecast_core::Error::NotFitted { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_on_random_series(
        values in prop::collection::vec(-1e6f64..1e6, 1..80),
        h in 0usize..20,
        dynamic in any::<bool>(),
    ) {
        let s = Series::new(0, 60, values).unwrap();
        let cfg = EnsembleConfig {
            validation_horizon: 3,
            dynamic: dynamic.then(DynamicSelection::default),
            ..Default::default()
        };
        let mut ens = WeightedEnsemble::new(members(), cfg).unwrap();
        if ens.fit(&s).is_ok() {
            let _ = ens.forecast(&s, h, &[80.0]);
        }
        let mut hyb = Hybrid::new(Box::new(Naive::new()), Box::new(Drift::new()), HybridConfig::default()).unwrap();
        if hyb.fit(&s).is_ok() {
            let _ = hyb.forecast(&s, h, &[95.0]);
        }
    }
}

#[test]
fn intervals_combine_only_members_that_have_them() {
    use forecast_ensemble::LagRegression;
    let y: Vec<f64> = (0..200)
        .map(|t| 20.0 + 5.0 * ((t as f64) * 0.4).sin() + (t % 3) as f64)
        .collect();
    let train = Series::new(0, 60, y).unwrap();
    let members: Vec<Box<dyn Forecaster>> = vec![
        Box::new(Naive::new()),
        Box::new(LagRegression::new(5).unwrap()),
    ];
    let mut ens = WeightedEnsemble::new(members, EnsembleConfig::default()).unwrap();
    assert!(ens.supports_intervals());
    ens.fit(&train).unwrap();
    let f = ens.forecast(&train, 4, &[80.0]).unwrap();
    let mut naive = Naive::new();
    naive.fit(&train).unwrap();
    let nf = naive.forecast(&train, 4, &[80.0]).unwrap();
    let iv = f.interval(80.0).unwrap();
    let niv = nf.interval(80.0).unwrap();
    for k in 0..4 {
        // The ensemble's point plus the naive member's offsets (the only member with intervals).
        let lo = f.point[k] + (niv.lower[k] - nf.point[k]);
        let hi = f.point[k] + (niv.upper[k] - nf.point[k]);
        assert!((iv.lower[k] - lo).abs() < 1e-9 && (iv.upper[k] - hi).abs() < 1e-9);
    }
    // Without any interval-capable member the ensemble asks for Conformal.
    let only_ar: Vec<Box<dyn Forecaster>> = vec![Box::new(LagRegression::new(3).unwrap())];
    let mut e = WeightedEnsemble::new(only_ar, EnsembleConfig::default()).unwrap();
    assert!(!e.supports_intervals());
    e.fit(&train).unwrap();
    assert!(e.forecast(&train, 2, &[80.0]).is_err());
    assert!(e.forecast(&train, 2, &[]).is_ok());
}
