//! Typed errors: too short, non-finite, zero variance, bad config, unfitted, bad context.

use crate::common;

use forecast_core::{Error, Forecaster, Series};
use forecast_neural::{LstmForecaster, NeuralConfig};

#[test]
fn too_short_series_is_too_short_for_every_model() {
    let cfg = common::tiny(20, 5);
    let s = common::seasonal(24, 0.3, 1); // < 20 + 5
    for mut m in common::all_models(&cfg) {
        match m.fit(&s) {
            Err(Error::TooShort { needed, got, what }) => {
                assert_eq!((needed, got), (25, 24));
                assert!(
                    what.contains(m.name()) && what.contains("window 20"),
                    "{what}"
                );
            }
            other => panic!("{}: {other:?}", m.name()),
        }
        assert!(!m.is_fitted());
        assert_eq!(m.min_train_len(), 25);
    }
    // exactly window + horizon points is enough (one window, no validation split)
    let mut m = LstmForecaster::new(common::tiny(20, 5)).unwrap();
    m.fit(&common::seasonal(25, 0.3, 1)).unwrap();
    assert_eq!(m.fitted().unwrap().report.n_val, 0);
}

#[test]
fn nan_input_is_a_typed_error() {
    let mut y: Vec<f64> = common::seasonal(100, 0.3, 2).values().to_vec();
    y[37] = f64::NAN;
    match Series::new(0, 60, y) {
        Err(Error::NonFinite { row, .. }) => assert_eq!(row, 37),
        other => panic!("{other:?}"),
    }
}

#[test]
fn zero_variance_is_constant_error() {
    let s = Series::new(0, 60, vec![4.2; 200]).unwrap();
    for mut m in common::all_models(&common::tiny(20, 5)) {
        assert!(
            matches!(m.fit(&s), Err(Error::Constant { value, .. }) if value == 4.2),
            "{}",
            m.name()
        );
    }
}

#[test]
fn bad_config_is_rejected_at_construction() {
    let e = LstmForecaster::new(NeuralConfig {
        window: 0,
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { ref name, .. } if name == "window"),
        "{e}"
    );
    let e = LstmForecaster::new(NeuralConfig {
        learning_rate: f64::NAN,
        ..Default::default()
    });
    assert!(e.is_err());
}

#[test]
fn forecast_errors_are_typed() {
    let s = common::seasonal(200, 0.3, 3);
    for mut m in common::all_models(&common::tiny(20, 5)) {
        assert!(matches!(
            m.forecast(&s, 3, &[]),
            Err(Error::NotFitted { .. })
        ));
        m.fit(&s).unwrap();
        assert!(matches!(m.forecast(&s, 0, &[]), Err(Error::ZeroHorizon)));
        assert!(
            matches!(m.forecast(&s, 3, &[80.0]), Err(Error::InvalidParameter { ref name, .. }) if name == "levels")
        );
        assert!(matches!(
            m.forecast(&s.tail(19), 3, &[]),
            Err(Error::ContextMismatch { .. })
        ));
        let other_step = Series::new(0, 30, s.values().to_vec()).unwrap();
        assert!(matches!(
            m.forecast(&other_step, 3, &[]),
            Err(Error::ContextMismatch { .. })
        ));
        let wild = Series::new(0, 60, vec![1e300; 30]).unwrap();
        assert!(
            matches!(m.forecast(&wild, 3, &[]), Err(Error::Model { .. })),
            "{}",
            m.name()
        );
    }
}
