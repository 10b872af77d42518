//! Registry entries ([`ModelSpec`]) for the neural models (`lstm`, `gru`, `cnn`,
//! `autoencoder`) with their documented hyper-parameters, for the `forecast-zoo` facade and
//! its `--param key=value` options.
//!
//! ```
//! use forecast_core::params::{BuildContext, Params};
//! let specs = forecast_neural::registry::model_specs();
//! let gru = specs.iter().find(|s| s.name == "gru").unwrap();
//! let mut p = Params::parse("gru", ["window=48", "hidden=16", "scaler=minmax"]).unwrap();
//! let model = (gru.build)(&mut p, &BuildContext::default()).unwrap();
//! p.finish(gru.params).unwrap();
//! assert_eq!(model.name(), "gru");
//! ```

use forecast_core::params::{ModelSpec, ParamSpec, Params};
use forecast_core::{Error, Forecaster, Result};

use crate::config::{NeuralConfig, ScalerKind};
use crate::forecasters::{AutoencoderForecaster, CnnForecaster, GruForecaster, LstmForecaster};

const WINDOW: ParamSpec = ParamSpec {
    name: "window",
    default: "48",
    help: "input window: the network reads the last `window` points",
};
const HORIZON: ParamSpec = ParamSpec {
    name: "horizon",
    default: "12",
    help: "steps predicted at once; longer forecasts feed predictions back (recursive)",
};
const HIDDEN: ParamSpec = ParamSpec {
    name: "hidden",
    default: "32",
    help: "hidden units (LSTM/GRU), channels (CNN) or dense width (autoencoder)",
};
const LAYERS: ParamSpec = ParamSpec {
    name: "layers",
    default: "auto",
    help: "stacked layers (auto: 1; CNN: enough dilated blocks to cover the window)",
};
const DROPOUT: ParamSpec = ParamSpec {
    name: "dropout",
    default: "0",
    help: "dropout probability during training, in [0, 1)",
};
const EPOCHS: ParamSpec = ParamSpec {
    name: "epochs",
    default: "20",
    help: "maximum passes over the training windows",
};
const BATCH_SIZE: ParamSpec = ParamSpec {
    name: "batch-size",
    default: "128",
    help: "windows per Adam step",
};
const LEARNING_RATE: ParamSpec = ParamSpec {
    name: "learning-rate",
    default: "0.01",
    help: "Adam learning rate",
};
const PATIENCE: ParamSpec = ParamSpec {
    name: "patience",
    default: "3",
    help: "epochs without validation improvement before early stopping (0 = never stop)",
};
const STRIDE: ParamSpec = ParamSpec {
    name: "stride",
    default: "2",
    help: "distance between training windows",
};
const SEED: ParamSpec = ParamSpec {
    name: "seed",
    default: "42",
    help: "seed of initialisation, shuffling and dropout (same data + seed = same model)",
};
const SCALER: ParamSpec = ParamSpec {
    name: "scaler",
    default: "standard",
    help: "standard | minmax",
};
const QUIET: ParamSpec = ParamSpec {
    name: "quiet",
    default: "false",
    help: "hide the training progress bar (hidden anyway when stderr is not a terminal)",
};

const PARAMS: &[ParamSpec] = &[
    WINDOW,
    HORIZON,
    HIDDEN,
    LAYERS,
    DROPOUT,
    EPOCHS,
    BATCH_SIZE,
    LEARNING_RATE,
    PATIENCE,
    STRIDE,
    SEED,
    SCALER,
    QUIET,
];

/// Reads every parameter of [`PARAMS`] into a config (defaults of [`NeuralConfig`]).
pub fn config_from_params(p: &mut Params) -> Result<NeuralConfig> {
    let layers = match p.get_raw(LAYERS.name).map(str::to_string) {
        Some(v) if v != "auto" => Some(v.parse::<usize>().map_err(|e| {
            Error::invalid_param(LAYERS.name, format!("`{v}` is not auto or a number ({e})"))
        })?),
        _ => None,
    };
    let cfg = NeuralConfig {
        window: p.get(&WINDOW)?,
        horizon: p.get(&HORIZON)?,
        hidden: p.get(&HIDDEN)?,
        layers,
        dropout: p.get(&DROPOUT)?,
        epochs: p.get(&EPOCHS)?,
        batch_size: p.get(&BATCH_SIZE)?,
        learning_rate: p.get(&LEARNING_RATE)?,
        patience: p.get(&PATIENCE)?,
        stride: p.get(&STRIDE)?,
        seed: p.get(&SEED)?,
        scaler: p.get::<ScalerKind>(&SCALER)?,
        quiet: p.get(&QUIET)?,
        ..NeuralConfig::default()
    };
    cfg.validate()?;
    Ok(cfg)
}

fn boxed<M: Forecaster + 'static>(m: Result<M>) -> Result<Box<dyn Forecaster>> {
    Ok(Box::new(m?))
}

/// The registry entries of this crate: `lstm`, `gru`, `cnn`, `autoencoder`. None has
/// intervals of its own; the facade wraps them in `Conformal` when levels are requested.
pub fn model_specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec {
            name: "lstm",
            description: "LSTM (burn-trained) with a direct multi-horizon head; fast f32 inference",
            params: PARAMS,
            build: |p, _| boxed(LstmForecaster::new(config_from_params(p)?)),
        },
        ModelSpec {
            name: "gru",
            description: "GRU (burn-trained) with a direct multi-horizon head; fast f32 inference",
            params: PARAMS,
            build: |p, _| boxed(GruForecaster::new(config_from_params(p)?)),
        },
        ModelSpec {
            name: "cnn",
            description: "causal dilated convolutions (TCN-style, burn-trained); fast f32 inference",
            params: PARAMS,
            build: |p, _| boxed(CnnForecaster::new(config_from_params(p)?)),
        },
        ModelSpec {
            name: "autoencoder",
            description: "dense autoencoder with a forecast head from the latent (burn-trained)",
            params: PARAMS,
            build: |p, _| boxed(AutoencoderForecaster::new(config_from_params(p)?)),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use forecast_core::params::BuildContext;

    fn build(name: &str, pairs: &[&str]) -> Result<Box<dyn Forecaster>> {
        let spec = model_specs().into_iter().find(|s| s.name == name).unwrap();
        let mut p = Params::parse(name, pairs.iter().copied())?;
        let m = (spec.build)(&mut p, &BuildContext::default())?;
        p.finish(spec.params)?;
        Ok(m)
    }

    #[test]
    fn builds_every_model_and_rejects_bad_values() {
        for s in model_specs() {
            let m = build(s.name, &[]).unwrap();
            assert_eq!(m.name(), s.name);
            assert!(!m.supports_intervals());
            assert_eq!(m.min_train_len(), 60);
        }
        assert!(build("cnn", &["layers=3", "scaler=minmax", "quiet=true"]).is_ok());
        assert!(matches!(
            build("lstm", &["scaler=log"]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(
            matches!(build("gru", &["dropout=1"]), Err(Error::InvalidParameter { name, .. }) if name == "dropout")
        );
        assert!(matches!(
            build("gru", &["layers=two"]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            build("autoencoder", &["hiden=3"]),
            Err(Error::UnknownParameter { .. })
        ));
    }
}
