//! # forecast-neural
//!
//! Four neural forecasters, trained on the CPU with [burn](https://burn.dev) 0.22 (its
//! pure-Rust `flex` backend with autodiff), each a [`forecast_core::Forecaster`]:
//!
//! | type | registry name | network |
//! |---|---|---|
//! | [`LstmForecaster`] | `lstm` | LSTM, last hidden state → linear head (all `H` steps at once) |
//! | [`GruForecaster`] | `gru` | GRU, last hidden state → linear head |
//! | [`CnnForecaster`] | `cnn` | causal dilated convolutions (TCN-style) → linear head |
//! | [`AutoencoderForecaster`] | `autoencoder` | dense encoder → latent → decoder and head; [`anomaly_scores`](AutoencoderForecaster::anomaly_scores) |
//!
//! **Training** ([`Forecaster::fit`](forecast_core::Forecaster::fit)): the series is scaled
//! ([`Scaler`], stored in the model), cut into sliding windows (`window` inputs, `horizon`
//! targets, every `stride`-th), split in time order into training and validation windows,
//! and trained with Adam on the mean squared error, with early stopping on the validation
//! loss. Every random number (initialisation, shuffling, dropout) comes from a seeded
//! ChaCha RNG, so the same data and seed give bit-identical weights and forecasts. A progress
//! bar shows epoch and losses on a terminal unless [`NeuralConfig::quiet`] is set.
//!
//! **Inference** ([`fast`]): after training, the weights are copied into plain `f32`
//! structures and forecasts run through a forward pass of our own, without burn and without
//! allocation per call; [`LstmForecaster::burn_forward`] (and the same method on the other
//! models) rebuilds burn's module over the same weights for comparison.
//!
//! **Horizon**: a model predicts its configured `horizon` at once; a longer forecast applies
//! it again on a window ending with its own predictions (recursive). The forecast reads the
//! last `window` points of the context, without refitting.
//!
//! **Intervals**: none of their own (`supports_intervals` is false); the facade wraps the
//! models in [`forecast_core::conformal::Conformal`].
//!
//! **Save/load**: through the trait's typetag serialisation
//! ([`forecast_core::save_model`]): config, scaler and weights in one JSON file, checked on
//! load; the loaded model forecasts identically.
//!
//! ```no_run
//! use forecast_core::{Forecaster, Series, model_from_json, model_to_json};
//! use forecast_neural::{GruForecaster, NeuralConfig};
//! let y: Vec<f64> = (0..800).map(|t| 10.0 + (t as f64 * 0.1).sin()).collect();
//! let s = Series::new(0, 60, y).unwrap();
//! let mut m = GruForecaster::new(NeuralConfig { window: 48, epochs: 5, ..Default::default() }).unwrap();
//! m.fit(&s).unwrap();
//! let f = m.forecast(&s, 12, &[]).unwrap();
//! let back = model_from_json(&model_to_json(&m).unwrap()).unwrap();
//! assert_eq!(back.forecast(&s, 12, &[]).unwrap(), f);
//! ```

pub mod anomaly;
mod burn_forward;
pub mod config;
mod data;
pub mod fast;
mod forecasters;
pub mod model;
mod net;
mod progress;
pub mod registry;
pub mod scaler;
pub mod train;

pub use anomaly::{AnomalyScores, DEFAULT_MAD_K};
pub use burn_forward::BurnForward;
pub use config::{NeuralConfig, ScalerKind};
pub use forecasters::{AutoencoderForecaster, CnnForecaster, GruForecaster, LstmForecaster};
pub use model::Fitted;
pub use progress::set_quiet;
pub use scaler::Scaler;
pub use train::TrainReport;
