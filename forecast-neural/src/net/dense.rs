//! Dense (`Linear`) helpers shared by the networks: seeded initialisation and weight copies.

use burn::nn::Linear;
use burn::prelude::*;

use super::{NetRng, param, param_values};
use crate::fast::Dense;

/// A `Linear` from row-major `[n_in][n_out]` weights and a bias.
pub(crate) fn linear(
    w: Vec<f32>,
    b: Vec<f32>,
    n_in: usize,
    n_out: usize,
    device: &Device,
) -> Linear {
    Linear {
        weight: param(w, [n_in, n_out], device),
        bias: Some(param(b, [n_out], device)),
    }
}

/// A `Linear` with LeCun-uniform weights (`±√(3/n_in)`, variance `1/n_in`) and zero bias.
pub(crate) fn init_linear(n_in: usize, n_out: usize, rng: &mut NetRng, device: &Device) -> Linear {
    let w = rng.uniform(n_in * n_out, (3.0 / n_in as f32).sqrt());
    linear(w, vec![0.0; n_out], n_in, n_out, device)
}

/// The weights `[n_in][n_out]` and bias of a `Linear` (a missing bias reads as zeros).
pub(crate) fn linear_values(l: &Linear) -> (Vec<f32>, Vec<f32>) {
    let [_, n_out] = l.weight.dims();
    let w = param_values(&l.weight);
    let b = l
        .bias
        .as_ref()
        .map_or_else(|| vec![0.0; n_out], param_values);
    (w, b)
}

/// A `Linear` as a fast [`Dense`].
pub(crate) fn to_dense(l: &Linear) -> Dense {
    let [n_in, n_out] = l.weight.dims();
    let (w, b) = linear_values(l);
    Dense { n_in, n_out, w, b }
}

/// A fast [`Dense`] as a `Linear`.
pub(crate) fn from_dense(d: &Dense, device: &Device) -> Linear {
    linear(d.w.clone(), d.b.clone(), d.n_in, d.n_out, device)
}

/// Runs `layers` with ReLU (and dropout) between them, none after the last.
pub(crate) fn run_mlp(layers: &[Linear], x: Tensor<2>, drop: &mut super::Dropout) -> Tensor<2> {
    let last = layers.len() - 1;
    let mut h = x;
    for (i, l) in layers.iter().enumerate() {
        h = l.forward(h);
        if i < last {
            h = drop.apply(burn::tensor::activation::relu(h));
        }
    }
    h
}

/// Widths `[n_in, hidden × layers, n_out]` as seeded `Linear`s.
pub(crate) fn init_mlp(
    n_in: usize,
    hidden: usize,
    layers: usize,
    n_out: usize,
    rng: &mut NetRng,
    device: &Device,
) -> Vec<Linear> {
    let mut widths = vec![n_in];
    widths.extend(std::iter::repeat_n(hidden, layers));
    widths.push(n_out);
    widths
        .windows(2)
        .map(|w| init_linear(w[0], w[1], rng, device))
        .collect()
}
