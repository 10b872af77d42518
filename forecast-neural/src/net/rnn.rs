//! [`LstmNet`] and [`GruNet`]: burn's `Lstm`/`Gru` layers, last hidden state, linear head.
//!
//! burn keeps one `GateController` (an input and a hidden `Linear`, each `[in][hidden]`) per
//! gate; the fast path fuses them column-wise: LSTM `[input, forget, output, cell]`, GRU
//! `[update, reset, new]`.

use burn::nn::{GateController, Gru, GruConfig, Linear, Lstm, LstmConfig};
use burn::prelude::*;

use super::dense::{from_dense, init_linear, linear, linear_values, to_dense};
use super::{BurnNet, Dropout, NetRng};
use crate::config::NeuralConfig;
use crate::fast::{FastGru, FastLstm, GruLayer, LstmLayer};

/// Concatenates per-gate `[rows][h]` matrices column-wise into `[rows][g·h]`.
fn fuse(mats: &[Vec<f32>], rows: usize, h: usize) -> Vec<f32> {
    let g = mats.len();
    let mut out = vec![0.0; rows * g * h];
    for r in 0..rows {
        for (k, m) in mats.iter().enumerate() {
            out[r * g * h + k * h..r * g * h + (k + 1) * h].copy_from_slice(&m[r * h..(r + 1) * h]);
        }
    }
    out
}

/// Splits a fused `[rows][g·h]` matrix back into `g` matrices `[rows][h]`.
fn split(fused: &[f32], rows: usize, h: usize, g: usize) -> Vec<Vec<f32>> {
    (0..g)
        .map(|k| {
            (0..rows)
                .flat_map(|r| {
                    fused[r * g * h + k * h..r * g * h + (k + 1) * h]
                        .iter()
                        .copied()
                })
                .collect()
        })
        .collect()
}

/// A gate with Xavier-uniform weights and the given input bias (hidden bias zero).
fn init_gate(
    n_in: usize,
    h: usize,
    bias: f32,
    rng: &mut NetRng,
    device: &Device,
) -> GateController {
    let wi = rng.uniform(n_in * h, (6.0 / (n_in + h) as f32).sqrt());
    let wh = rng.uniform(h * h, (6.0 / (2 * h) as f32).sqrt());
    GateController {
        input_transform: linear(wi, vec![bias; h], n_in, h, device),
        hidden_transform: linear(wh, vec![0.0; h], h, h, device),
    }
}

/// A gate from fused-layout slices: input weights and bias, hidden weights and bias.
fn gate_from(
    wi: Vec<f32>,
    bi: Vec<f32>,
    wh: Vec<f32>,
    bh: Vec<f32>,
    n_in: usize,
    h: usize,
    device: &Device,
) -> GateController {
    GateController {
        input_transform: linear(wi, bi, n_in, h, device),
        hidden_transform: linear(wh, bh, h, h, device),
    }
}

/// Stacked LSTM layers and a linear head on the last hidden state.
#[derive(Module, Debug)]
pub(crate) struct LstmNet {
    layers: Vec<Lstm>,
    head: Linear,
}

impl LstmNet {
    fn gates(l: &Lstm) -> [&GateController; 4] {
        let forget = l.forget_gate.as_ref().unwrap_or(&l.input_gate);
        [&l.input_gate, forget, &l.output_gate, &l.cell_gate]
    }
}

impl BurnNet for LstmNet {
    type Fast = FastLstm;

    fn init(cfg: &NeuralConfig, rng: &mut NetRng, device: &Device) -> Self {
        let h = cfg.hidden;
        let layers = (0..cfg.dense_layers())
            .map(|i| {
                let n_in = if i == 0 { 1 } else { h };
                let mut l = LstmConfig::new(n_in, h, true).init(device);
                l.input_gate = init_gate(n_in, h, 0.0, rng, device);
                // Forget-gate bias 1: remember by default (Jozefowicz et al. 2015).
                l.forget_gate = Some(init_gate(n_in, h, 1.0, rng, device));
                l.output_gate = init_gate(n_in, h, 0.0, rng, device);
                l.cell_gate = init_gate(n_in, h, 0.0, rng, device);
                l
            })
            .collect();
        LstmNet {
            layers,
            head: init_linear(h, cfg.horizon, rng, device),
        }
    }

    fn forward(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2> {
        let [b, w] = x.dims();
        let mut seq = x.reshape([b, w, 1]);
        let mut last = None;
        for (i, layer) in self.layers.iter().enumerate() {
            let (out, state) = layer.forward(seq.clone(), None);
            if i + 1 < self.layers.len() {
                seq = drop.apply(out);
            } else {
                last = Some(state.hidden);
            }
        }
        let h = last.expect("at least one LSTM layer");
        self.head.forward(drop.apply(h))
    }

    fn to_fast(&self, window: usize) -> FastLstm {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                let [n_in, h] = l.input_gate.input_transform.weight.dims();
                let mut wi = Vec::new();
                let mut wh = Vec::new();
                let mut bias = Vec::new();
                for g in Self::gates(l) {
                    let (w_i, b_i) = linear_values(&g.input_transform);
                    let (w_h, b_h) = linear_values(&g.hidden_transform);
                    wi.push(w_i);
                    wh.push(w_h);
                    bias.extend(b_i.iter().zip(&b_h).map(|(a, b)| a + b));
                }
                LstmLayer {
                    n_in,
                    hidden: h,
                    w_ih: fuse(&wi, n_in, h),
                    w_hh: fuse(&wh, h, h),
                    bias,
                }
            })
            .collect();
        FastLstm {
            window,
            layers,
            head: to_dense(&self.head),
        }
    }

    fn from_fast(fast: &FastLstm, device: &Device) -> Self {
        let layers = fast
            .layers
            .iter()
            .map(|fl| {
                let (n_in, h) = (fl.n_in, fl.hidden);
                let wi = split(&fl.w_ih, n_in, h, 4);
                let wh = split(&fl.w_hh, h, h, 4);
                let bi = split(&fl.bias, 1, h, 4);
                let mut gates = (0..4).map(|k| {
                    gate_from(
                        wi[k].clone(),
                        bi[k].clone(),
                        wh[k].clone(),
                        vec![0.0; h],
                        n_in,
                        h,
                        device,
                    )
                });
                let mut l = LstmConfig::new(n_in, h, true).init(device);
                l.input_gate = gates.next().expect("4 gates");
                l.forget_gate = gates.next();
                l.output_gate = gates.next().expect("4 gates");
                l.cell_gate = gates.next().expect("4 gates");
                l
            })
            .collect();
        LstmNet {
            layers,
            head: from_dense(&fast.head, device),
        }
    }
}

/// Stacked GRU layers and a linear head on the last hidden state.
#[derive(Module, Debug)]
pub(crate) struct GruNet {
    layers: Vec<Gru>,
    head: Linear,
}

impl BurnNet for GruNet {
    type Fast = FastGru;

    fn init(cfg: &NeuralConfig, rng: &mut NetRng, device: &Device) -> Self {
        let h = cfg.hidden;
        let layers = (0..cfg.dense_layers())
            .map(|i| {
                let n_in = if i == 0 { 1 } else { h };
                let mut l = GruConfig::new(n_in, h, true).init(device);
                l.update_gate = init_gate(n_in, h, 0.0, rng, device);
                l.reset_gate = init_gate(n_in, h, 0.0, rng, device);
                l.new_gate = init_gate(n_in, h, 0.0, rng, device);
                l
            })
            .collect();
        GruNet {
            layers,
            head: init_linear(h, cfg.horizon, rng, device),
        }
    }

    fn forward(&self, x: Tensor<2>, drop: &mut Dropout) -> Tensor<2> {
        let [b, w] = x.dims();
        let mut seq = x.reshape([b, w, 1]);
        let n = self.layers.len();
        for (i, layer) in self.layers.iter().enumerate() {
            seq = layer.forward(seq, None);
            if i + 1 < n {
                seq = drop.apply(seq);
            }
        }
        let [_, _, h] = seq.dims();
        let last = seq.slice([0..b, w - 1..w, 0..h]).reshape([b, h]);
        self.head.forward(drop.apply(last))
    }

    fn to_fast(&self, window: usize) -> FastGru {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                let [n_in, h] = l.update_gate.input_transform.weight.dims();
                let (mut wi, mut wh, mut bi, mut bh) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for g in [&l.update_gate, &l.reset_gate, &l.new_gate] {
                    let (w_i, b_i) = linear_values(&g.input_transform);
                    let (w_h, b_h) = linear_values(&g.hidden_transform);
                    wi.push(w_i);
                    wh.push(w_h);
                    bi.extend(b_i);
                    bh.extend(b_h);
                }
                GruLayer {
                    n_in,
                    hidden: h,
                    w_ih: fuse(&wi, n_in, h),
                    b_ih: bi,
                    w_hh: fuse(&wh, h, h),
                    b_hh: bh,
                }
            })
            .collect();
        FastGru {
            window,
            layers,
            head: to_dense(&self.head),
        }
    }

    fn from_fast(fast: &FastGru, device: &Device) -> Self {
        let layers = fast
            .layers
            .iter()
            .map(|fl| {
                let (n_in, h) = (fl.n_in, fl.hidden);
                let wi = split(&fl.w_ih, n_in, h, 3);
                let wh = split(&fl.w_hh, h, h, 3);
                let bi = split(&fl.b_ih, 1, h, 3);
                let bh = split(&fl.b_hh, 1, h, 3);
                let gate = |k: usize| {
                    gate_from(
                        wi[k].clone(),
                        bi[k].clone(),
                        wh[k].clone(),
                        bh[k].clone(),
                        n_in,
                        h,
                        device,
                    )
                };
                let mut l = GruConfig::new(n_in, h, true).init(device);
                l.update_gate = gate(0);
                l.reset_gate = gate(1);
                l.new_gate = gate(2);
                l
            })
            .collect();
        GruNet {
            layers,
            head: from_dense(&fast.head, device),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuse_and_split_are_inverse() {
        let a: Vec<f32> = (0..6).map(|v| v as f32).collect();
        let b: Vec<f32> = (10..16).map(|v| v as f32).collect();
        let f = fuse(&[a.clone(), b.clone()], 2, 3);
        assert_eq!(
            f,
            vec![0., 1., 2., 10., 11., 12., 3., 4., 5., 13., 14., 15.]
        );
        assert_eq!(split(&f, 2, 3, 2), vec![a, b]);
    }
}
