//! Forecasts longer than the trained horizon (recursive), context handling, and the
//! autoencoder's anomaly scores.

use crate::common;

use forecast_core::{Forecast, Forecaster, Series};
use forecast_neural::{AutoencoderForecaster, GruForecaster, NeuralConfig};

#[test]
fn longer_horizons_are_recursive_and_shorter_ones_a_prefix() {
    let s = common::seasonal(300, 0.3, 8);
    let mut m = GruForecaster::new(common::tiny(24, 6)).unwrap();
    m.fit(&s).unwrap();
    let f6 = m.forecast(&s, 6, &[]).unwrap();
    let f20 = m.forecast(&s, 20, &[]).unwrap();
    let f4 = m.forecast(&s, 4, &[]).unwrap();
    assert_eq!(&f20.point[..6], &f6.point[..]);
    assert_eq!(&f6.point[..4], &f4.point[..]);
    assert_eq!(f20.timestamps[0], s.next_timestamp());
    assert_eq!(f20.timestamps[19], s.next_timestamp() + 19 * 60);
    // steps 7..12 are the model applied to a window ending with its own 6 predictions
    let mut ext = s.values()[s.len() - 18..].to_vec();
    ext.extend_from_slice(&f6.point);
    let ctx = Series::new(0, 60, ext).unwrap();
    let second = m.forecast(&ctx, 6, &[]).unwrap();
    for (a, b) in second.point.iter().zip(&f20.point[6..12]) {
        assert!((a - b).abs() < 1e-6 * a.abs().max(1.0), "{a} vs {b}");
    }
    // only the last `window` points of the context matter; forecast_into reuses buffers
    let mut out = Forecast::default();
    m.forecast_into(&s.tail(24), 20, &[], &mut out).unwrap();
    assert_eq!(out.point, f20.point);
    let cap = out.point.capacity();
    m.forecast_into(&s, 20, &[], &mut out).unwrap();
    assert_eq!(out.point.capacity(), cap);
}

#[test]
fn autoencoder_flags_an_injected_spike() {
    let clean = common::seasonal(500, 0.2, 9);
    let cfg = NeuralConfig {
        epochs: 12,
        hidden: 16,
        ..common::tiny(24, 4)
    };
    let mut ae = AutoencoderForecaster::new(cfg).unwrap();
    ae.fit(&clean).unwrap();
    let mut y = common::seasonal(300, 0.2, 10).values().to_vec();
    y[200] += 12.0;
    let s = Series::new(0, 60, y).unwrap();
    let a = ae.anomaly_scores(&s).unwrap();
    assert_eq!(a.scores.len(), 300 - 24 + 1);
    assert_eq!(a.timestamps[0], 23 * 60);
    // windows ending at 200..=223 contain the spike (indices 177..=200)
    let spike = |i: &usize| (177..=200).contains(i);
    let hits = a.anomalies.iter().filter(|i| spike(i)).count();
    let false_alarms = a.anomalies.len() - hits;
    assert!(
        hits >= 12,
        "{hits} of 24 spike windows flagged: {:?}",
        a.anomalies
    );
    assert!(
        false_alarms <= 5,
        "{false_alarms} false alarms: {:?}",
        a.anomalies
    );
    let argmax = (0..a.scores.len())
        .max_by(|&i, &j| a.scores[i].total_cmp(&a.scores[j]))
        .unwrap();
    assert!(spike(&argmax));
    assert!(ae.anomaly_scores_with(&s, -1.0).is_err());
    assert!(ae.anomaly_scores(&s.tail(10)).is_err());
    let unfitted = AutoencoderForecaster::new(NeuralConfig::default()).unwrap();
    assert!(unfitted.anomaly_scores(&s).is_err());
}
