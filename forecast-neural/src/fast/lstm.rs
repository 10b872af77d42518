//! [`FastLstm`]: stacked LSTM layers and a dense head, gates fused into one `[i, f, o, g]`
//! block per step.

use serde::{Deserialize, Serialize};

use super::math::{affine, matvec_acc, sigmoid_in_place, tanh_in_place};
use super::{Dense, FastForward, check_len};

/// One LSTM layer with the four gates fused: columns `[input, forget, output, cell]`, each
/// `hidden` wide.
///
/// Per step: `g = bias + x·w_ih + h·w_hh`; `i, f, o = σ(g_i, g_f, g_o)`, `c̃ = tanh(g_c)`;
/// `c = f·c + i·c̃`; `h = o·tanh(c)` (burn's `Lstm` with sigmoid gates and tanh activations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LstmLayer {
    /// Input features per step.
    pub n_in: usize,
    /// Hidden units.
    pub hidden: usize,
    /// Input weights, `n_in × 4·hidden`, row-major.
    pub w_ih: Vec<f32>,
    /// Recurrent weights, `hidden × 4·hidden`, row-major.
    pub w_hh: Vec<f32>,
    /// Input bias plus recurrent bias, `4·hidden`.
    pub bias: Vec<f32>,
}

impl LstmLayer {
    fn check(&self) -> Result<(), String> {
        let g = 4 * self.hidden;
        if self.n_in == 0 || self.hidden == 0 {
            return Err("LSTM layer with a zero width".into());
        }
        check_len("LSTM w_ih", &self.w_ih, self.n_in * g)?;
        check_len("LSTM w_hh", &self.w_hh, self.hidden * g)?;
        check_len("LSTM bias", &self.bias, g)
    }
}

/// An LSTM encoder over the window (one input feature per step) whose last hidden state feeds
/// a dense head that predicts every step of the horizon at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastLstm {
    /// Input window length.
    pub window: usize,
    /// The layers, bottom to top.
    pub layers: Vec<LstmLayer>,
    /// `hidden → horizon`.
    pub head: Dense,
}

impl FastLstm {
    fn hidden(&self) -> usize {
        self.layers[0].hidden
    }
}

impl FastForward for FastLstm {
    fn window(&self) -> usize {
        self.window
    }

    fn horizon(&self) -> usize {
        self.head.n_out
    }

    fn scratch_len(&self) -> usize {
        let h = self.hidden();
        let seq = if self.layers.len() > 1 {
            2 * self.window * h
        } else {
            0
        };
        seq + 4 * h + 3 * h
    }

    fn forward(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        super::dispatch(self, x, scratch, out);
    }

    fn check(&self) -> Result<(), String> {
        let hidden = self.layers.first().map_or(0, |l| l.hidden);
        super::check_recurrent_stack(
            "LSTM",
            self.window,
            hidden,
            self.layers.iter().map(|l| (l.n_in, l.hidden, l.check())),
            &self.head,
        )
    }
}

impl super::Kernel for FastLstm {
    #[inline(always)]
    fn forward_kernel(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        assert_eq!(x.len(), self.window, "input length");
        assert_eq!(out.len(), self.head.n_out, "output length");
        let h_dim = self.hidden();
        let w = self.window;
        let seq_len = if self.layers.len() > 1 { w * h_dim } else { 0 };
        let (seq0, rest) = scratch.split_at_mut(seq_len);
        let (seq1, rest) = rest.split_at_mut(seq_len);
        let (gates, rest) = rest.split_at_mut(4 * h_dim);
        let (h, rest) = rest.split_at_mut(h_dim);
        let (c, rest) = rest.split_at_mut(h_dim);
        let tmp = &mut rest[..h_dim];
        let last = self.layers.len() - 1;
        for (li, layer) in self.layers.iter().enumerate() {
            let (input, output): (&[f32], &mut [f32]) = match li {
                0 => (x, &mut *seq0),
                _ if li % 2 == 1 => (&*seq0, &mut *seq1),
                _ => (&*seq1, &mut *seq0),
            };
            h.fill(0.0);
            c.fill(0.0);
            let n_in = layer.n_in;
            for t in 0..w {
                affine(
                    &layer.w_ih,
                    &layer.bias,
                    &input[t * n_in..(t + 1) * n_in],
                    gates,
                );
                matvec_acc(&layer.w_hh, h, gates);
                let (ifo, g) = gates.split_at_mut(3 * h_dim);
                sigmoid_in_place(ifo);
                tanh_in_place(g);
                let (i_g, fo) = ifo.split_at(h_dim);
                let (f_g, o_g) = fo.split_at(h_dim);
                for j in 0..h_dim {
                    c[j] = f_g[j] * c[j] + i_g[j] * g[j];
                    tmp[j] = c[j];
                }
                tanh_in_place(tmp);
                for j in 0..h_dim {
                    h[j] = o_g[j] * tmp[j];
                }
                if li < last {
                    output[t * h_dim..(t + 1) * h_dim].copy_from_slice(h);
                }
            }
        }
        self.head.forward(h, out);
    }
}
