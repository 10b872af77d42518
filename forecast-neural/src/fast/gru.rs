//! [`FastGru`]: stacked GRU layers (reset gate applied after the recurrent product, burn's
//! default `reset_after = true`) and a dense head.

use serde::{Deserialize, Serialize};

use super::math::{affine, sigmoid_in_place, tanh_in_place};
use super::{Dense, FastForward, check_len};

/// One GRU layer with the gates fused: columns `[update z, reset r, new n]`, each `hidden`
/// wide.
///
/// Per step: `a = b_ih + x·w_ih`, `u = b_hh + h·w_hh`; `z = σ(a_z + u_z)`, `r = σ(a_r + u_r)`,
/// `n = tanh(a_n + r·u_n)`; `h = (1 − z)·n + z·h`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GruLayer {
    /// Input features per step.
    pub n_in: usize,
    /// Hidden units.
    pub hidden: usize,
    /// Input weights, `n_in × 3·hidden`, row-major.
    pub w_ih: Vec<f32>,
    /// Input bias, `3·hidden`.
    pub b_ih: Vec<f32>,
    /// Recurrent weights, `hidden × 3·hidden`, row-major.
    pub w_hh: Vec<f32>,
    /// Recurrent bias, `3·hidden` (kept apart: the reset gate scales the `n` part).
    pub b_hh: Vec<f32>,
}

impl GruLayer {
    fn check(&self) -> Result<(), String> {
        let g = 3 * self.hidden;
        if self.n_in == 0 || self.hidden == 0 {
            return Err("GRU layer with a zero width".into());
        }
        check_len("GRU w_ih", &self.w_ih, self.n_in * g)?;
        check_len("GRU b_ih", &self.b_ih, g)?;
        check_len("GRU w_hh", &self.w_hh, self.hidden * g)?;
        check_len("GRU b_hh", &self.b_hh, g)
    }
}

/// A GRU encoder over the window whose last hidden state feeds a dense head predicting every
/// step of the horizon at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastGru {
    /// Input window length.
    pub window: usize,
    /// The layers, bottom to top.
    pub layers: Vec<GruLayer>,
    /// `hidden → horizon`.
    pub head: Dense,
}

impl FastGru {
    fn hidden(&self) -> usize {
        self.layers[0].hidden
    }
}

impl FastForward for FastGru {
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
        seq + 3 * h + 3 * h + h
    }

    fn forward(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        super::dispatch(self, x, scratch, out);
    }

    fn check(&self) -> Result<(), String> {
        let hidden = self.layers.first().map_or(0, |l| l.hidden);
        super::check_recurrent_stack(
            "GRU",
            self.window,
            hidden,
            self.layers.iter().map(|l| (l.n_in, l.hidden, l.check())),
            &self.head,
        )
    }
}

impl super::Kernel for FastGru {
    #[inline(always)]
    fn forward_kernel(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        assert_eq!(x.len(), self.window, "input length");
        assert_eq!(out.len(), self.head.n_out, "output length");
        let h_dim = self.hidden();
        let w = self.window;
        let seq_len = if self.layers.len() > 1 { w * h_dim } else { 0 };
        let (seq0, rest) = scratch.split_at_mut(seq_len);
        let (seq1, rest) = rest.split_at_mut(seq_len);
        let (a, rest) = rest.split_at_mut(3 * h_dim);
        let (u, rest) = rest.split_at_mut(3 * h_dim);
        let h = &mut rest[..h_dim];
        let last = self.layers.len() - 1;
        for (li, layer) in self.layers.iter().enumerate() {
            let (input, output): (&[f32], &mut [f32]) = match li {
                0 => (x, &mut *seq0),
                _ if li % 2 == 1 => (&*seq0, &mut *seq1),
                _ => (&*seq1, &mut *seq0),
            };
            h.fill(0.0);
            let n_in = layer.n_in;
            for t in 0..w {
                affine(
                    &layer.w_ih,
                    &layer.b_ih,
                    &input[t * n_in..(t + 1) * n_in],
                    a,
                );
                affine(&layer.w_hh, &layer.b_hh, h, u);
                let (zr, a_n) = a.split_at_mut(2 * h_dim);
                let (u_zr, u_n) = u.split_at(2 * h_dim);
                for j in 0..2 * h_dim {
                    zr[j] += u_zr[j];
                }
                sigmoid_in_place(zr);
                let (z, r) = zr.split_at(h_dim);
                for j in 0..h_dim {
                    a_n[j] += r[j] * u_n[j];
                }
                tanh_in_place(a_n);
                for j in 0..h_dim {
                    h[j] = a_n[j] * (1.0 - z[j]) + z[j] * h[j];
                }
                if li < last {
                    output[t * h_dim..(t + 1) * h_dim].copy_from_slice(h);
                }
            }
        }
        self.head.forward(h, out);
    }
}
