//! Weight-copy tests: a freshly initialised burn network and its fast copy agree on random
//! inputs, and copying back and forth preserves the function.

use burn::prelude::*;

use super::*;
use crate::fast::{FastForward, with_scratch};

fn random_rows(rows: usize, cols: usize, seed: u64) -> Vec<f32> {
    NetRng::new(seed, 9).uniform(rows * cols, 2.0)
}

fn max_diff<N: BurnNet>(cfg: &NeuralConfig) -> (f32, f32) {
    let device = Device::flex();
    let net = N::init(cfg, &mut NetRng::new(7, 0), &device);
    let fast = net.to_fast(cfg.window);
    fast.check().unwrap();
    let rows = 5;
    let x = random_rows(rows, cfg.window, 3);
    let burn_out = values(net.forward(
        batch_tensor(x.clone(), rows, cfg.window, &device),
        &mut Dropout::off(),
    ));
    let back = N::from_fast(&fast, &device);
    let back_out = values(back.forward(
        batch_tensor(x.clone(), rows, cfg.window, &device),
        &mut Dropout::off(),
    ));
    let h = cfg.horizon;
    let (mut d_fast, mut d_back) = (0.0f32, 0.0f32);
    let mut out = vec![0.0; h];
    for r in 0..rows {
        with_scratch(fast.scratch_len(), |s| {
            fast.forward(&x[r * cfg.window..(r + 1) * cfg.window], s, &mut out)
        });
        for j in 0..h {
            d_fast = d_fast.max((out[j] - burn_out[r * h + j]).abs());
            d_back = d_back.max((back_out[r * h + j] - burn_out[r * h + j]).abs());
        }
    }
    (d_fast, d_back)
}

fn configs() -> Vec<NeuralConfig> {
    vec![
        NeuralConfig {
            window: 20,
            horizon: 5,
            hidden: 8,
            ..Default::default()
        },
        NeuralConfig {
            window: 13,
            horizon: 3,
            hidden: 6,
            layers: Some(3),
            ..Default::default()
        },
        NeuralConfig {
            window: 40,
            horizon: 7,
            hidden: 17,
            layers: Some(2),
            ..Default::default()
        },
    ]
}

#[test]
fn fresh_networks_match_their_fast_copies() {
    for cfg in configs() {
        for (name, (d_fast, d_back)) in [
            ("lstm", max_diff::<LstmNet>(&cfg)),
            ("gru", max_diff::<GruNet>(&cfg)),
            ("cnn", max_diff::<CnnNet>(&cfg)),
            ("autoencoder", max_diff::<AutoencoderNet>(&cfg)),
        ] {
            assert!(d_fast < 1e-5, "{name} {cfg:?}: fast vs burn {d_fast}");
            assert!(d_back < 1e-5, "{name} {cfg:?}: rebuilt vs burn {d_back}");
        }
    }
}

#[test]
fn init_is_deterministic_per_seed() {
    let cfg = NeuralConfig {
        window: 10,
        horizon: 2,
        hidden: 4,
        ..Default::default()
    };
    let device = Device::flex();
    let a = LstmNet::init(&cfg, &mut NetRng::new(1, 0), &device).to_fast(10);
    let b = LstmNet::init(&cfg, &mut NetRng::new(1, 0), &device).to_fast(10);
    let c = LstmNet::init(&cfg, &mut NetRng::new(2, 0), &device).to_fast(10);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn autoencoder_reconstruction_matches_burn() {
    let cfg = NeuralConfig {
        window: 24,
        horizon: 4,
        hidden: 12,
        layers: Some(2),
        ..Default::default()
    };
    let device = Device::flex();
    let net = AutoencoderNet::init(&cfg, &mut NetRng::new(5, 0), &device);
    let fast = net.to_fast(cfg.window);
    let x = random_rows(1, cfg.window, 11);
    let burn_rec = values(net.reconstruct(batch_tensor(x.clone(), 1, cfg.window, &device)));
    let mut rec = vec![0.0; cfg.window];
    with_scratch(fast.scratch_len(), |s| fast.reconstruct(&x, s, &mut rec));
    for (a, b) in rec.iter().zip(&burn_rec) {
        assert!((a - b).abs() < 1e-5);
    }
}
