//! Shared fixtures: a synthetic seasonal series and small, quick configs.

#![allow(dead_code)]

use forecast_core::{Forecaster, Series};
use forecast_neural::{
    AutoencoderForecaster, CnnForecaster, GruForecaster, LstmForecaster, NeuralConfig,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `10 + 3·sin(2πt/24) + 1.5·sin(2πt/8) + noise(σ)` at a 60 s step.
pub fn seasonal(n: usize, sigma: f64, seed: u64) -> Series {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let y = (0..n)
        .map(|t| {
            let t = t as f64;
            let noise: f64 = (0..4).map(|_| rng.random::<f64>() - 0.5).sum::<f64>() * sigma * 1.732;
            10.0 + 3.0 * (2.0 * std::f64::consts::PI * t / 24.0).sin()
                + 1.5 * (2.0 * std::f64::consts::PI * t / 8.0).cos()
                + noise
        })
        .collect();
    Series::new(1_700_000_000, 60, y).unwrap()
}

/// A small, quick config.
pub fn tiny(window: usize, horizon: usize) -> NeuralConfig {
    NeuralConfig {
        window,
        horizon,
        hidden: 8,
        epochs: 3,
        batch_size: 32,
        stride: 2,
        quiet: true,
        ..NeuralConfig::default()
    }
}

/// The four models, unfitted, with `cfg`.
pub fn all_models(cfg: &NeuralConfig) -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(LstmForecaster::new(cfg.clone()).unwrap()),
        Box::new(GruForecaster::new(cfg.clone()).unwrap()),
        Box::new(CnnForecaster::new(cfg.clone()).unwrap()),
        Box::new(AutoencoderForecaster::new(cfg.clone()).unwrap()),
    ]
}
