//! [`CnnNet`]: causal dilated `Conv1d` blocks (kernel 2, dilation `2^l`, left padding `d`),
//! ReLU, residual connections from the second block on, linear head on the last time step.

use burn::module::Param;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::nn::{Linear, PaddingConfig1d};
use burn::prelude::*;

use super::dense::{from_dense, init_linear, to_dense};
use super::{BurnNet, Dropout, NetRng, param, param_values};
use crate::config::NeuralConfig;
use crate::fast::{ConvLayer, FastCnn};

/// Causal TCN-style convolutions and a linear head.
#[derive(Module, Debug)]
pub(crate) struct CnnNet {
    convs: Vec<Conv1d>,
    head: Linear,
}

/// A causal conv block with weights `[c_out][c_in][2]` and bias.
fn conv(
    c_in: usize,
    c_out: usize,
    dilation: usize,
    w: Vec<f32>,
    b: Vec<f32>,
    device: &Device,
) -> Conv1d {
    let mut c = Conv1dConfig::new(c_in, c_out, 2)
        .with_dilation(dilation)
        .with_padding(PaddingConfig1d::Explicit(dilation, 0))
        .init(device);
    c.weight = param(w, [c_out, c_in, 2], device);
    c.bias = Some(param(b, [c_out], device));
    c
}

fn bias_values(b: &Option<Param<Tensor<1>>>, n: usize) -> Vec<f32> {
    b.as_ref().map_or_else(|| vec![0.0; n], param_values)
}

impl BurnNet for CnnNet {
    type Fast = FastCnn;

    fn init(cfg: &NeuralConfig, rng: &mut NetRng, device: &Device) -> Self {
        let c = cfg.hidden;
        let convs = (0..cfg.cnn_layers())
            .map(|l| {
                let c_in = if l == 0 { 1 } else { c };
                let w = rng.uniform(c_out_len(c, c_in), (3.0 / (2 * c_in) as f32).sqrt());
                conv(c_in, c, 1 << l, w, vec![0.0; c], device)
            })
            .collect();
        CnnNet {
            convs,
            head: init_linear(c, cfg.horizon, rng, device),
        }
    }

    fn forward(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2> {
        let [b, w] = x.dims();
        let mut h = x.reshape([b, 1, w]);
        for (l, c) in self.convs.iter().enumerate() {
            let y = burn::tensor::activation::relu(c.forward(h.clone()));
            h = drop.apply(if l > 0 { y + h } else { y });
        }
        let [_, ch, _] = h.dims();
        let last = h.slice([0..b, 0..ch, w - 1..w]).reshape([b, ch]);
        self.head.forward(last)
    }

    fn to_fast(&self, window: usize) -> FastCnn {
        let layers = self
            .convs
            .iter()
            .enumerate()
            .map(|(l, c)| {
                let [c_out, c_in, k] = c.weight.dims();
                let wb = param_values(&c.weight);
                // burn [c_out][c_in][tap] -> fast [tap][c_in][c_out]
                let mut w = vec![0.0; k * c_in * c_out];
                for o in 0..c_out {
                    for i in 0..c_in {
                        for t in 0..k {
                            w[(t * c_in + i) * c_out + o] = wb[(o * c_in + i) * k + t];
                        }
                    }
                }
                ConvLayer {
                    c_in,
                    c_out,
                    dilation: c.dilation,
                    w,
                    b: bias_values(&c.bias, c_out),
                    residual: l > 0,
                }
            })
            .collect();
        FastCnn {
            window,
            layers,
            head: to_dense(&self.head),
        }
    }

    fn from_fast(fast: &FastCnn, device: &Device) -> Self {
        let convs = fast
            .layers
            .iter()
            .map(|fl| {
                let (c_in, c_out) = (fl.c_in, fl.c_out);
                let mut w = vec![0.0; 2 * c_in * c_out];
                for o in 0..c_out {
                    for i in 0..c_in {
                        for t in 0..2 {
                            w[(o * c_in + i) * 2 + t] = fl.w[(t * c_in + i) * c_out + o];
                        }
                    }
                }
                conv(c_in, c_out, fl.dilation, w, fl.b.clone(), device)
            })
            .collect();
        CnnNet {
            convs,
            head: from_dense(&fast.head, device),
        }
    }
}

fn c_out_len(c_out: usize, c_in: usize) -> usize {
    c_out * c_in * 2
}
