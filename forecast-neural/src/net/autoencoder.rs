//! [`AutoencoderNet`]: dense encoder to a latent vector, decoder back to the window, dense
//! head to the horizon; trained on forecast error plus reconstruction error.

use burn::nn::Linear;
use burn::prelude::*;

use super::dense::{from_dense, init_mlp, run_mlp, to_dense};
use super::{BurnNet, Dropout, NetRng, mse};
use crate::config::NeuralConfig;
use crate::fast::{FastAutoencoder, FastMlp};

/// Encoder, decoder and forecast head, each a stack of `Linear` layers.
#[derive(Module, Debug)]
pub(crate) struct AutoencoderNet {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
    head: Vec<Linear>,
}

impl AutoencoderNet {
    /// The latent vectors `[batch, latent]` of scaled windows `[batch, window]`.
    fn encode(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2> {
        run_mlp(&self.encoder, x, drop)
    }

    /// Reconstructions `[batch, window]` of scaled windows.
    #[cfg(test)]
    pub(crate) fn reconstruct(&self, x: Tensor<2>) -> Tensor<2> {
        let mut off = Dropout::off();
        let z = self.encode(x, &mut off);
        run_mlp(&self.decoder, z, &mut off)
    }
}

fn fast_mlp(layers: &[Linear]) -> FastMlp {
    let dense: Vec<_> = layers.iter().map(to_dense).collect();
    FastMlp {
        n_in: dense[0].n_in,
        layers: dense,
    }
}

impl BurnNet for AutoencoderNet {
    type Fast = FastAutoencoder;

    fn init(cfg: &NeuralConfig, rng: &mut NetRng, device: &Device) -> Self {
        let (w, h, l, z) = (cfg.window, cfg.hidden, cfg.dense_layers(), cfg.latent());
        AutoencoderNet {
            encoder: init_mlp(w, h, l, z, rng, device),
            decoder: init_mlp(z, h, l, w, rng, device),
            head: init_mlp(z, h, l, cfg.horizon, rng, device),
        }
    }

    fn forward(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2> {
        let z = self.encode(x, drop);
        run_mlp(&self.head, z, drop)
    }

    fn loss(&self, x: Tensor<2>, y: Tensor<2>, drop: &mut Dropout) -> Tensor<1> {
        let z = self.encode(x.clone(), drop);
        let pred = run_mlp(&self.head, z.clone(), drop);
        let recon = run_mlp(&self.decoder, z, drop);
        mse(pred, y) + mse(recon, x)
    }

    fn to_fast(&self, _window: usize) -> FastAutoencoder {
        FastAutoencoder {
            encoder: fast_mlp(&self.encoder),
            decoder: fast_mlp(&self.decoder),
            head: fast_mlp(&self.head),
        }
    }

    fn from_fast(fast: &FastAutoencoder, device: &Device) -> Self {
        let conv = |m: &FastMlp| -> Vec<Linear> {
            m.layers.iter().map(|d| from_dense(d, device)).collect()
        };
        AutoencoderNet {
            encoder: conv(&fast.encoder),
            decoder: conv(&fast.decoder),
            head: conv(&fast.head),
        }
    }
}
