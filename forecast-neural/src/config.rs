//! [`NeuralConfig`]: the hyper-parameters shared by the four neural forecasters, validated
//! before any training starts.
//!
//! ```
//! use forecast_neural::NeuralConfig;
//! let cfg = NeuralConfig { window: 48, horizon: 6, ..NeuralConfig::default() };
//! cfg.validate().unwrap();
//! let bad = NeuralConfig { dropout: 1.5, ..NeuralConfig::default() };
//! assert!(bad.validate().unwrap_err().to_string().contains("dropout"));
//! ```

use std::fmt;
use std::str::FromStr;

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// How a series is scaled before training (the scaler is fitted on the training part and
/// stored in the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ScalerKind {
    /// `(y − mean) / std` (population standard deviation).
    #[default]
    Standard,
    /// `(y − min) / (max − min)`, mapping the training range to `[0, 1]`.
    MinMax,
}

impl FromStr for ScalerKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "standard" => Ok(ScalerKind::Standard),
            "minmax" | "min-max" => Ok(ScalerKind::MinMax),
            other => Err(format!("`{other}` is not standard or minmax")),
        }
    }
}

impl fmt::Display for ScalerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScalerKind::Standard => "standard",
            ScalerKind::MinMax => "minmax",
        })
    }
}

/// Hyper-parameters of a neural forecaster (all four models share this struct).
///
/// `layers` and `hidden` mean, per model:
/// - LSTM/GRU: `layers` stacked recurrent layers of `hidden` units (default 1);
/// - CNN: `layers` causal convolution blocks (kernel 2, dilations 1, 2, 4, …) of `hidden`
///   channels; default: the fewest blocks whose receptive field (`2^layers`) covers the window;
/// - autoencoder: `layers` dense layers of `hidden` units in the encoder, the decoder and the
///   forecast head each (default 1), around a latent vector of `max(hidden / 4, 2)` values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NeuralConfig {
    /// Input window: the model reads the last `window` points. Default 48.
    pub window: usize,
    /// Steps the network predicts at once (direct multi-horizon). Longer forecasts feed the
    /// model's own predictions back (recursive). Default 12.
    pub horizon: usize,
    /// Hidden units (RNN), channels (CNN) or dense width (autoencoder). Default 32.
    pub hidden: usize,
    /// Depth, see the struct docs; `None` = the model's default.
    pub layers: Option<usize>,
    /// Dropout probability in `[0, 1)` during training (0 = none). Default 0.
    pub dropout: f64,
    /// Maximum number of passes over the training windows. Default 20.
    pub epochs: usize,
    /// Windows per gradient step. Default 128.
    pub batch_size: usize,
    /// Adam learning rate. Default 0.01.
    pub learning_rate: f64,
    /// Early stopping: epochs without a validation improvement before stopping (0 = never).
    /// Default 3.
    pub patience: usize,
    /// Fraction of the windows (the most recent ones) held out for validation. Default 0.2.
    pub validation_fraction: f64,
    /// Distance between consecutive training windows (1 = every window). Default 2.
    pub stride: usize,
    /// Seed of weight initialisation, shuffling and dropout. Default 42.
    pub seed: u64,
    /// Scaling of the series. Default standard.
    pub scaler: ScalerKind,
    /// Hide the progress bar (it is also hidden when stderr is not a terminal).
    pub quiet: bool,
}

impl Default for NeuralConfig {
    fn default() -> Self {
        NeuralConfig {
            window: 48,
            horizon: 12,
            hidden: 32,
            layers: None,
            dropout: 0.0,
            epochs: 20,
            batch_size: 128,
            learning_rate: 0.01,
            patience: 3,
            validation_fraction: 0.2,
            stride: 2,
            seed: 42,
            scaler: ScalerKind::Standard,
            quiet: false,
        }
    }
}

fn at_least(name: &str, v: usize, min: usize) -> Result<()> {
    if v < min {
        return Err(Error::invalid_param(
            name,
            format!("must be at least {min}, got {v}"),
        ));
    }
    Ok(())
}

fn at_most(name: &str, v: usize, max: usize) -> Result<()> {
    if v > max {
        return Err(Error::invalid_param(
            name,
            format!("must be at most {max}, got {v}"),
        ));
    }
    Ok(())
}

impl NeuralConfig {
    /// Checks every field on its own.
    ///
    /// Errors: [`Error::InvalidParameter`] naming `window` (2..=4096), `horizon` (1..=1024),
    /// `hidden` (1..=1024), `layers` (1..=16), `dropout` ([0, 1)), `epochs` (≥ 1),
    /// `batch_size` (≥ 1), `learning_rate` (finite, > 0), `validation_fraction` ([0, 0.9]) or
    /// `stride` (≥ 1).
    pub fn validate(&self) -> Result<()> {
        at_least("window", self.window, 2)?;
        at_most("window", self.window, 4096)?;
        at_least("horizon", self.horizon, 1)?;
        at_most("horizon", self.horizon, 1024)?;
        at_least("hidden", self.hidden, 1)?;
        at_most("hidden", self.hidden, 1024)?;
        if let Some(l) = self.layers {
            at_least("layers", l, 1)?;
            at_most("layers", l, 16)?;
        }
        if !(self.dropout.is_finite() && (0.0..1.0).contains(&self.dropout)) {
            return Err(Error::invalid_param(
                "dropout",
                format!("must be in [0, 1), got {}", self.dropout),
            ));
        }
        at_least("epochs", self.epochs, 1)?;
        at_least("batch_size", self.batch_size, 1)?;
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(Error::invalid_param(
                "learning_rate",
                format!("must be a positive number, got {}", self.learning_rate),
            ));
        }
        if !(self.validation_fraction.is_finite()
            && (0.0..=0.9).contains(&self.validation_fraction))
        {
            return Err(Error::invalid_param(
                "validation_fraction",
                format!("must be in [0, 0.9], got {}", self.validation_fraction),
            ));
        }
        at_least("stride", self.stride, 1)?;
        Ok(())
    }

    /// The fewest points [`fit`](forecast_core::Forecaster::fit) accepts: `window + horizon`.
    pub fn min_train_len(&self) -> usize {
        self.window + self.horizon
    }

    /// The number of CNN blocks: `layers`, else the fewest whose receptive field `2^layers`
    /// covers the window.
    pub fn cnn_layers(&self) -> usize {
        self.layers.unwrap_or_else(|| {
            let mut l = 1;
            while (1usize << l) < self.window && l < 16 {
                l += 1;
            }
            l
        })
    }

    /// The number of recurrent (LSTM/GRU) or dense (autoencoder) layers: `layers`, else 1.
    pub fn dense_layers(&self) -> usize {
        self.layers.unwrap_or(1)
    }

    /// The autoencoder's latent size: `max(hidden / 4, 2)`.
    pub fn latent(&self) -> usize {
        (self.hidden / 4).max(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_bad_fields_are_named() {
        NeuralConfig::default().validate().unwrap();
        let cases: Vec<(NeuralConfig, &str)> = vec![
            (
                NeuralConfig {
                    window: 1,
                    ..Default::default()
                },
                "window",
            ),
            (
                NeuralConfig {
                    horizon: 0,
                    ..Default::default()
                },
                "horizon",
            ),
            (
                NeuralConfig {
                    hidden: 0,
                    ..Default::default()
                },
                "hidden",
            ),
            (
                NeuralConfig {
                    layers: Some(0),
                    ..Default::default()
                },
                "layers",
            ),
            (
                NeuralConfig {
                    dropout: f64::NAN,
                    ..Default::default()
                },
                "dropout",
            ),
            (
                NeuralConfig {
                    epochs: 0,
                    ..Default::default()
                },
                "epochs",
            ),
            (
                NeuralConfig {
                    batch_size: 0,
                    ..Default::default()
                },
                "batch_size",
            ),
            (
                NeuralConfig {
                    learning_rate: -1.0,
                    ..Default::default()
                },
                "learning_rate",
            ),
            (
                NeuralConfig {
                    validation_fraction: 0.95,
                    ..Default::default()
                },
                "validation_fraction",
            ),
            (
                NeuralConfig {
                    stride: 0,
                    ..Default::default()
                },
                "stride",
            ),
        ];
        for (cfg, name) in cases {
            match cfg.validate() {
                Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn derived_sizes() {
        let c = NeuralConfig {
            window: 96,
            ..Default::default()
        };
        assert_eq!(c.cnn_layers(), 7);
        assert_eq!(c.dense_layers(), 1);
        assert_eq!(c.latent(), 8);
        let c = NeuralConfig {
            window: 8,
            hidden: 4,
            ..Default::default()
        };
        assert_eq!(c.cnn_layers(), 3);
        assert_eq!(c.latent(), 2);
        assert_eq!("minmax".parse::<ScalerKind>().unwrap(), ScalerKind::MinMax);
        assert!("log".parse::<ScalerKind>().is_err());
    }
}
