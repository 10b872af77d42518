//! Arbitrary series never make the forecasters panic: non-finite input is refused by
//! `Series`, too-short series get `Error::TooShort`, anything else fits and forecasts or
//! returns a typed error.

use forecast_core::{Error, Forecaster, Series};
use forecast_trees::features::{Calendar, FeatureConfig, Transform};
use forecast_trees::{LightGbm, LightGbmConfig, TreeOptions, XGBoost, XGBoostConfig};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1e3..1e3f64,
        1 => Just(0.0),
        1 => prop::num::f64::ANY,
        1 => prop_oneof![Just(1e300), Just(-1e300), Just(1e-300), Just(f64::MAX)],
    ]
}

fn options(transform: Transform, lags: usize) -> TreeOptions {
    TreeOptions {
        features: FeatureConfig {
            lags,
            windows: vec![3],
            calendar: Calendar::Auto,
            transform,
        },
        ..TreeOptions::default()
    }
}

fn models(transform: Transform, lags: usize) -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(
            LightGbm::new(LightGbmConfig {
                options: options(transform, lags),
                num_iterations: 3,
                min_data_in_leaf: 2,
                ..LightGbmConfig::default()
            })
            .unwrap(),
        ),
        Box::new(
            XGBoost::new(XGBoostConfig {
                options: options(transform, lags),
                num_boost_round: 3,
                max_depth: 3,
                ..XGBoostConfig::default()
            })
            .unwrap(),
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_series_never_panic(
        values in prop::collection::vec(value(), 0..60),
        lags in 1usize..6,
        transform in prop_oneof![Just(Transform::None), Just(Transform::Difference), Just(Transform::Ratio)],
    ) {
        let series = match Series::new(1_700_000_000, 60, values.clone()) {
            Ok(s) => s,
            Err(e) => {
                prop_assert!(values.is_empty() || values.iter().any(|v| !v.is_finite()));
                let typed = matches!(e, Error::Empty { .. } | Error::NonFinite { .. });
                prop_assert!(typed, "{}", e);
                return Ok(());
            }
        };
        for mut m in models(transform, lags) {
            let need = m.min_train_len();
            match m.fit(&series) {
                Err(Error::TooShort { needed, got, .. }) => {
                    prop_assert!(series.len() < need);
                    prop_assert_eq!((needed, got), (need, series.len()));
                }
                Err(e) => {
                    prop_assert!(series.len() >= need);
                    prop_assert!(matches!(e, Error::Model { .. }), "{}", e);
                }
                Ok(()) => {
                    prop_assert!(series.len() >= need);
                    match m.forecast(&series, 5, &[]) {
                        Ok(f) => prop_assert!(f.point.iter().all(|v| v.is_finite())),
                        Err(e) => prop_assert!(matches!(e, Error::Model { .. }), "{}", e),
                    }
                }
            }
        }
    }
}
