//! Bad input gets typed errors, never a panic; saved models forecast identically.

mod prophet_support;

use forecast_core::{Error, Forecaster, Series, model_from_json, model_to_json};
use forecast_stats::prophet::{CustomSeasonality, ProphetStyle, ProphetStyleConfig};
use proptest::prelude::*;

fn hourly(y: Vec<f64>) -> Series {
    Series::new(1_704_067_200, 3600, y).unwrap()
}

fn wave(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 50.0 + 0.1 * i as f64 + 5.0 * (i as f64 * 0.2618).sin() + (i % 7) as f64 * 0.3)
        .collect()
}

#[test]
fn bad_input_gets_typed_errors() {
    let mut m = ProphetStyle::default();
    assert!(matches!(
        m.fit(&hourly(vec![5.0; 48])),
        Err(Error::Constant { .. })
    ));
    assert!(matches!(
        m.fit(&hourly(vec![1.0])),
        Err(Error::TooShort {
            needed: 2,
            got: 1,
            ..
        })
    ));
    let err = m.fit_timestamps(&[0, 60, 120], &[1.0, f64::NAN, 2.0], 60);
    assert!(matches!(
        err,
        Err(Error::NonFinite {
            row: 1,
            timestamp: 60,
            ..
        })
    ));
    let err = m.fit_timestamps(&[0, 120, 60], &[1.0, 2.0, 3.0], 60);
    assert!(matches!(err, Err(Error::Unsorted { row: 2, .. })));
    let err = m.fit_timestamps(&[0, 60, 60], &[1.0, 2.0, 3.0], 60);
    assert!(matches!(err, Err(Error::DuplicateTimestamp { row: 2, .. })));
    assert!(!m.is_fitted());
    assert!(matches!(
        m.forecast(&hourly(wave(10)), 3, &[]),
        Err(Error::NotFitted { .. })
    ));

    for cfg in [
        ProphetStyleConfig {
            changepoint_prior_scale: 0.0,
            ..Default::default()
        },
        ProphetStyleConfig {
            changepoint_range: 1.5,
            ..Default::default()
        },
        ProphetStyleConfig {
            seasonality_prior_scale: f64::NAN,
            ..Default::default()
        },
        ProphetStyleConfig {
            interval_width: 1.0,
            ..Default::default()
        },
        ProphetStyleConfig {
            custom: vec![CustomSeasonality {
                name: "hourly".into(),
                period_seconds: -3600.0,
                fourier_order: 2,
                prior_scale: None,
                mode: None,
            }],
            ..Default::default()
        },
    ] {
        assert!(matches!(
            ProphetStyle::new(cfg),
            Err(Error::InvalidParameter { .. })
        ));
    }

    let train = hourly(wave(24 * 5));
    m.fit(&train).unwrap();
    assert!(matches!(
        m.forecast(&train, 0, &[]),
        Err(Error::ZeroHorizon)
    ));
    assert!(matches!(
        m.forecast(&train, 3, &[100.0]),
        Err(Error::InvalidLevel { .. })
    ));
    let other_step = Series::new(0, 60, wave(30)).unwrap();
    assert!(matches!(
        m.forecast(&other_step, 3, &[]),
        Err(Error::ContextMismatch { .. })
    ));
    let mut no_iv = ProphetStyle::new(ProphetStyleConfig {
        uncertainty_samples: 0,
        ..Default::default()
    })
    .unwrap();
    no_iv.fit(&train).unwrap();
    assert!(!no_iv.supports_intervals());
    assert!(matches!(
        no_iv.forecast(&train, 3, &[80.0]),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(no_iv.forecast(&train, 3, &[]).unwrap().point.len(), 3);
}

#[test]
fn save_and_load_give_identical_forecasts() {
    let cfg = ProphetStyleConfig {
        seasonality_mode: "multiplicative".parse().unwrap(),
        custom: vec![CustomSeasonality {
            name: "half-day".into(),
            period_seconds: 43_200.0,
            fourier_order: 2,
            prior_scale: Some(5.0),
            mode: None,
        }],
        ..Default::default()
    };
    let mut model: Box<dyn Forecaster> = Box::new(ProphetStyle::new(cfg).unwrap());
    let train = hourly(wave(24 * 15));
    model.fit(&train).unwrap();
    assert_eq!(model.name(), "prophet-style");
    let json = model_to_json(model.as_ref()).unwrap();
    let loaded = model_from_json(&json).unwrap();
    let ctx = hourly(wave(24 * 16));
    let a = model.forecast(&ctx, 12, &[80.0, 95.0]).unwrap();
    let b = loaded.forecast(&ctx, 12, &[80.0, 95.0]).unwrap();
    assert_eq!(a, b);
    let c = model.clone().forecast(&ctx, 12, &[80.0]).unwrap();
    assert_eq!(c.point, a.point);
    a.validate().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_finite_series_never_panic(
        y in prop::collection::vec(-1e6f64..1e6, 0..120),
        step in prop::sample::select(vec![60i64, 300, 3600, 86_400]),
        mode in prop::bool::ANY,
    ) {
        let cfg = ProphetStyleConfig {
            seasonality_mode: if mode { "multiplicative".parse().unwrap() } else { Default::default() },
            uncertainty_samples: 50,
            max_iterations: 500,
            ..Default::default()
        };
        let mut model = ProphetStyle::new(cfg).unwrap();
        if y.is_empty() {
            return Ok(());
        }
        let train = Series::new(1_600_000_000, step, y).unwrap();
        if model.fit(&train).is_ok() {
            let f = model.forecast(&train, 6, &[80.0]).unwrap();
            prop_assert!(f.point.iter().all(|v| v.is_finite()));
            f.validate().unwrap();
        }
    }
}
