//! Robustness and contract tests: never panic on arbitrary finite input, typed errors for
//! bad input, save/load round trips, and the online context path.

use forecast_core::{Error, Forecaster, Series, model_from_json, model_to_json};
use forecast_stats::ets::{
    AutoEts, AutoEtsConfig, Ets, EtsSpec, HoltWinters, HoltWintersConfig, Seasonal, Trend,
};
use proptest::prelude::*;

fn seasonal_series(n: usize, m: usize, start: i64) -> Series {
    let y: Vec<f64> = (0..n)
        .map(|t| {
            50.0 + 0.05 * t as f64
                + 8.0 * (2.0 * std::f64::consts::PI * (t % m) as f64 / m as f64).sin()
                + (((t * 7919) % 101) as f64 / 101.0 - 0.5) * 2.0
        })
        .collect();
    Series::new(start, 3600, y).unwrap()
}

fn models(m: usize) -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(
            HoltWinters::new(HoltWintersConfig {
                trend: Trend::AdditiveDamped,
                seasonal: Seasonal::Multiplicative,
                season_length: m,
            })
            .unwrap(),
        ),
        Box::new(
            Ets::new(
                "MAdA"
                    .parse::<EtsSpec>()
                    .unwrap()
                    .with_season_length(m)
                    .unwrap(),
            )
            .unwrap(),
        ),
        Box::new(
            AutoEts::new(AutoEtsConfig {
                season_length: m,
                ..Default::default()
            })
            .unwrap(),
        ),
    ]
}

#[test]
fn bad_input_gives_typed_errors() {
    let constant = Series::new(0, 60, vec![3.0; 100]).unwrap();
    for mut model in models(4) {
        assert!(
            matches!(model.fit(&constant), Err(Error::Constant { .. })),
            "{}",
            model.name()
        );
        let short = seasonal_series(5, 4, 0);
        assert!(
            matches!(model.fit(&short), Err(Error::TooShort { .. })),
            "{}",
            model.name()
        );
        assert!(model.forecast(&short, 3, &[]).is_err());
    }
    // m larger than n/2.
    let mut hw = HoltWinters::new(HoltWintersConfig {
        trend: Trend::None,
        seasonal: Seasonal::Additive,
        season_length: 60,
    })
    .unwrap();
    let s = seasonal_series(100, 4, 0);
    assert!(matches!(
        hw.fit(&s),
        Err(Error::TooShort { needed: 120, .. })
    ));
    // Non-positive data for multiplicative components names the parameter.
    let mut neg = s.values().to_vec();
    neg[10] = -1.0;
    let neg = Series::new(0, 3600, neg).unwrap();
    let mut mam = Ets::new(
        "MAM"
            .parse::<EtsSpec>()
            .unwrap()
            .with_season_length(4)
            .unwrap(),
    )
    .unwrap();
    match mam.fit(&neg) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "seasonal"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        HoltWinters::new(HoltWintersConfig {
            trend: Trend::None,
            seasonal: Seasonal::Additive,
            season_length: 1
        }),
        Err(Error::InvalidParameter { .. })
    ));
    // AutoETS on negative data only tries additive models.
    let mut auto = AutoEts::new(AutoEtsConfig {
        season_length: 4,
        ..Default::default()
    })
    .unwrap();
    auto.fit(&neg).unwrap();
    assert!(auto.candidates().iter().all(|c| !c.spec.needs_positive()));
}

#[test]
fn save_load_round_trip_and_context_filtering() {
    let full = seasonal_series(24 * 12, 24, 1_700_000_000);
    let train = full.head(24 * 10);
    for mut model in models(24) {
        model.fit(&train).unwrap();
        let json = model_to_json(model.as_ref()).unwrap();
        let back = model_from_json(&json).unwrap();
        assert_eq!(back.name(), model.name());
        let a = model.forecast(&full, 12, &[80.0, 95.0]).unwrap();
        let b = back.forecast(&full, 12, &[80.0, 95.0]).unwrap();
        assert_eq!(a, b, "{}", model.name());
        a.validate().unwrap();
        assert_eq!(a.timestamps[0], full.next_timestamp());
        // A context that covers only the new observations gives the same forecast.
        let c = model.forecast(&full.tail(48), 12, &[80.0, 95.0]).unwrap();
        assert_eq!(a, c);
        // The training series itself: forecast from the fitted end state.
        let d = model.forecast(&train, 12, &[]).unwrap();
        assert_eq!(d.timestamps[0], train.next_timestamp());
        // Gap between training end and context start.
        let gap = full.tail(10);
        assert!(matches!(
            model.forecast(&gap, 12, &[]),
            Err(Error::ContextMismatch { .. })
        ));
        // Context ending before the training data.
        assert!(matches!(
            model.forecast(&train.head(50), 12, &[]),
            Err(Error::ContextMismatch { .. })
        ));
        // Wrong step.
        let other = Series::new(1_700_000_000, 60, vec![1.0; 10]).unwrap();
        assert!(matches!(
            model.forecast(&other, 12, &[]),
            Err(Error::ContextMismatch { .. })
        ));
    }
}

#[test]
fn season_288_works() {
    // Two days of 5-minute data with a daily cycle, plus one more day as context.
    let m = 288;
    let y: Vec<f64> = (0..3 * m)
        .map(|t| {
            20.0 + 5.0 * (2.0 * std::f64::consts::PI * (t % m) as f64 / m as f64).sin()
                + ((t * 31) % 7) as f64 * 0.1
        })
        .collect();
    let full = Series::new(0, 300, y).unwrap();
    let train = full.head(2 * m);
    let mut hw = HoltWinters::new(HoltWintersConfig {
        trend: Trend::None,
        seasonal: Seasonal::Additive,
        season_length: m,
    })
    .unwrap();
    hw.fit(&train).unwrap();
    let f = hw.forecast(&full, 12, &[95.0]).unwrap();
    for (h, p) in f.point.iter().enumerate() {
        let t = 3 * m + h;
        let truth =
            20.0 + 5.0 * (2.0 * std::f64::consts::PI * (t % m) as f64 / m as f64).sin() + 0.3;
        assert!((p - truth).abs() < 1.0, "h={h}: {p} vs {truth}");
    }
    let mut ets = Ets::new(
        "MNM"
            .parse::<EtsSpec>()
            .unwrap()
            .with_season_length(m)
            .unwrap(),
    )
    .unwrap();
    ets.fit(&train).unwrap();
    ets.forecast(&full, 12, &[80.0])
        .unwrap()
        .validate()
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn never_panics(values in proptest::collection::vec(-1e6f64..1e6, 1..60), m in 1usize..6, cst in any::<bool>()) {
        let values = if cst { vec![values[0]; values.len()] } else { values };
        let s = Series::new(0, 60, values).unwrap();
        let mut all: Vec<Box<dyn Forecaster>> = models(m.max(2));
        all.push(Box::new(HoltWinters::new(HoltWintersConfig { trend: Trend::Additive, seasonal: Seasonal::None, season_length: 1 }).unwrap()));
        all.push(Box::new(Ets::new("ANN".parse::<EtsSpec>().unwrap()).unwrap()));
        all.push(Box::new(AutoEts::new(AutoEtsConfig { season_length: m, ..Default::default() }).unwrap()));
        for mut model in all {
            if model.fit(&s).is_ok() {
                let _ = model.forecast(&s, 5, &[80.0, 95.0]);
            }
        }
    }
}
