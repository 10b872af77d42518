//! Arbitrary series and small configs: fit and forecast return Ok or a typed error, never
//! panic. Few cases, since every case trains networks.

use crate::common;

use forecast_core::Series;
use forecast_neural::{NeuralConfig, ScalerKind};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn fit_and_forecast_never_panic(
        values in prop::collection::vec(prop_oneof![
            -1e6f64..1e6,
            Just(0.0),
            Just(1.0),
            -1e-3f64..1e-3,
        ], 1..60),
        window in 2usize..12,
        horizon in 1usize..5,
        hidden in 1usize..6,
        layers in prop::option::of(1usize..3),
        minmax in any::<bool>(),
        h in 1usize..15,
    ) {
        let s = Series::new(0, 60, values).unwrap();
        let cfg = NeuralConfig {
            window, horizon, hidden, layers,
            epochs: 1,
            batch_size: 8,
            stride: 1,
            scaler: if minmax { ScalerKind::MinMax } else { ScalerKind::Standard },
            quiet: true,
            ..NeuralConfig::default()
        };
        for mut m in common::all_models(&cfg) {
            if m.fit(&s).is_ok() {
                let _ = m.forecast(&s, h, &[]);
                let _ = m.forecast(&s.tail(1), h, &[]);
            }
        }
    }
}
