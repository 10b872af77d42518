//! The burn side: the four networks as burn modules (trained with autodiff on the pure-Rust
//! `flex` CPU backend), with deterministic initialisation from our own seeded RNG and the
//! copies of their weights to and from the [`fast`](crate::fast) structures.
//!
//! burn's own random initialisers and dropout draw from one process-wide RNG, which parallel
//! fits (a backtest fits segments on rayon threads) would interleave; so every random number
//! here comes from a `ChaCha8Rng` seeded by the model's `seed`.

use burn::module::Param;
use burn::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::NeuralConfig;
use crate::fast::FastForward;

mod autoencoder;
mod cnn;
pub(crate) mod dense;
mod rnn;

pub(crate) use autoencoder::AutoencoderNet;
pub(crate) use cnn::CnnNet;
pub(crate) use rnn::{GruNet, LstmNet};

/// A trainable network: a burn module with a batched forward, its loss and weight copies.
pub(crate) trait BurnNet: Module + Clone + std::fmt::Debug + Send + 'static {
    /// The matching fast-path structure.
    type Fast: FastForward + Clone;

    /// A freshly initialised network for `cfg` on `device`.
    fn init(cfg: &NeuralConfig, rng: &mut NetRng, device: &Device) -> Self;

    /// Scaled windows `[batch, window]` to scaled predictions `[batch, horizon]`.
    fn forward(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2>;

    /// The training loss: mean squared error of the predictions (the autoencoder adds its
    /// reconstruction error).
    fn loss(&self, x: Tensor<2>, y: Tensor<2>, drop: &mut Dropout) -> Tensor<1> {
        mse(self.forward(x, drop), y)
    }

    /// Copies the weights into the fast structure.
    fn to_fast(&self, window: usize) -> Self::Fast;

    /// Rebuilds the burn network from fast weights (for burn's forward on a loaded model).
    fn from_fast(fast: &Self::Fast, device: &Device) -> Self;
}

/// Mean of squared differences.
pub(crate) fn mse<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> Tensor<1> {
    let d = a - b;
    (d.clone() * d).mean()
}

/// The seeded RNG of initialisation, shuffling and dropout.
pub(crate) struct NetRng(pub(crate) ChaCha8Rng);

impl NetRng {
    /// An RNG for `seed` and a purpose tag (so init, shuffling and dropout draw independent
    /// streams).
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        NetRng(r)
    }

    /// `n` values uniform in `[−bound, bound)`.
    pub(crate) fn uniform(&mut self, n: usize, bound: f32) -> Vec<f32> {
        (0..n)
            .map(|_| (self.0.random::<f32>() * 2.0 - 1.0) * bound)
            .collect()
    }
}

/// Dropout with our own RNG (inactive when `p == 0` or outside training).
pub(crate) struct Dropout {
    p: f64,
    rng: Option<NetRng>,
}

impl Dropout {
    /// Active dropout with probability `p` drawing from `rng`.
    pub(crate) fn train(p: f64, rng: NetRng) -> Self {
        Dropout { p, rng: Some(rng) }
    }

    /// Inactive dropout (inference, validation).
    pub(crate) fn off() -> Self {
        Dropout { p: 0.0, rng: None }
    }

    /// Zeroes each element with probability `p` and scales the rest by `1/(1−p)`.
    pub(crate) fn apply<const D: usize>(&mut self, x: Tensor<D>) -> Tensor<D> {
        let Some(rng) = self.rng.as_mut().filter(|_| self.p > 0.0) else {
            return x;
        };
        let shape = x.shape();
        let n = shape.num_elements();
        let keep = 1.0 / (1.0 - self.p) as f32;
        let mask: Vec<f32> = (0..n)
            .map(|_| {
                if rng.0.random::<f64>() < self.p {
                    0.0
                } else {
                    keep
                }
            })
            .collect();
        let mask = Tensor::<D>::from_data(TensorData::new(mask, shape), &x.device());
        x * mask
    }
}

/// A parameter from a flat vector and its shape.
pub(crate) fn param<const D: usize>(
    v: Vec<f32>,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::<D>::from_data(TensorData::new(v, shape), device))
}

/// The values of a tensor as `f32`, row-major.
pub(crate) fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().iter::<f32>().collect()
}

/// The values of a parameter as `f32`, row-major.
pub(crate) fn param_values<const D: usize>(p: &Param<Tensor<D>>) -> Vec<f32> {
    values(p.val())
}

/// Builds a `[batch, n]` tensor from rows.
pub(crate) fn batch_tensor(data: Vec<f32>, rows: usize, cols: usize, device: &Device) -> Tensor<2> {
    Tensor::<2>::from_data(TensorData::new(data, [rows, cols]), device)
}

#[cfg(test)]
mod tests;
