//! The fast path against burn's own forward over the same trained weights: within 1e-5
//! absolute on random scaled inputs, for all four models.

use crate::common;

use forecast_core::Forecaster;
use forecast_neural::fast::FastForward;
use forecast_neural::{
    AutoencoderForecaster, BurnForward, CnnForecaster, GruForecaster, LstmForecaster,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOL: f32 = 1e-5;

fn check<F: FastForward>(name: &str, fast: &F, burn: &BurnForward) {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let (w, h) = (fast.window(), fast.horizon());
    let rows = 16;
    let x: Vec<f32> = (0..rows * w)
        .map(|_| rng.random::<f32>() * 6.0 - 3.0)
        .collect();
    let burn_out = burn.forward_batch(&x).unwrap();
    assert_eq!(burn_out.len(), rows * h);
    let mut worst = 0.0f32;
    let mut out = vec![0.0; h];
    for r in 0..rows {
        fast.predict(&x[r * w..(r + 1) * w], &mut out).unwrap();
        for j in 0..h {
            worst = worst.max((out[j] - burn_out[r * h + j]).abs());
        }
    }
    assert!(
        worst <= TOL,
        "{name}: fast path differs from burn by {worst}"
    );
    // one window through the single-window API agrees with the batch
    let one = burn.forward(&x[..w]).unwrap();
    assert!(
        one.iter()
            .zip(&burn_out[..h])
            .all(|(a, b)| (a - b).abs() <= TOL)
    );
}

#[test]
fn fast_path_matches_burn_forward_for_all_four_models() {
    let s = common::seasonal(400, 0.3, 1);
    let cfg = common::tiny(32, 6);
    let cfg2 = forecast_neural::NeuralConfig {
        layers: Some(2),
        hidden: 12,
        ..cfg.clone()
    };

    let mut lstm = LstmForecaster::new(cfg2.clone()).unwrap();
    lstm.fit(&s).unwrap();
    check(
        "lstm",
        &lstm.fitted().unwrap().net,
        &lstm.burn_forward().unwrap(),
    );

    let mut gru = GruForecaster::new(cfg2).unwrap();
    gru.fit(&s).unwrap();
    check(
        "gru",
        &gru.fitted().unwrap().net,
        &gru.burn_forward().unwrap(),
    );

    let mut cnn = CnnForecaster::new(cfg.clone()).unwrap();
    cnn.fit(&s).unwrap();
    check(
        "cnn",
        &cnn.fitted().unwrap().net,
        &cnn.burn_forward().unwrap(),
    );

    let mut ae = AutoencoderForecaster::new(cfg).unwrap();
    ae.fit(&s).unwrap();
    check(
        "autoencoder",
        &ae.fitted().unwrap().net,
        &ae.burn_forward().unwrap(),
    );
}

#[test]
fn burn_forward_is_none_before_fit_and_checks_lengths() {
    let m = GruForecaster::new(common::tiny(16, 4)).unwrap();
    assert!(m.burn_forward().is_none());
    let s = common::seasonal(120, 0.3, 2);
    let mut m = m;
    m.fit(&s).unwrap();
    let b = m.burn_forward().unwrap();
    assert_eq!((b.window(), b.horizon()), (16, 4));
    assert!(b.forward(&[0.0; 15]).is_err());
    assert!(b.forward_batch(&[]).is_err());
    let fast = &m.fitted().unwrap().net;
    assert!(fast.predict(&[0.0; 3], &mut [0.0; 4]).is_err());
    assert!(fast.predict(&[0.0; 16], &mut [0.0; 3]).is_err());
}
