//! [`Dense`] layers and [`FastMlp`], a stack of them with ReLU in between.

use serde::{Deserialize, Serialize};

use super::math::{affine, relu_in_place};
use super::{FastForward, check_len};

/// A fully connected layer `out = b + x · W`, with `w` row-major `[n_in][n_out]` (burn's
/// `Linear` layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dense {
    /// Input width.
    pub n_in: usize,
    /// Output width.
    pub n_out: usize,
    /// Weights, `n_in × n_out`, row-major.
    pub w: Vec<f32>,
    /// Bias, `n_out` values.
    pub b: Vec<f32>,
}

impl Dense {
    /// A layer from its weights; errors (a message) when the sizes do not match.
    pub fn new(n_in: usize, n_out: usize, w: Vec<f32>, b: Vec<f32>) -> Result<Dense, String> {
        let d = Dense { n_in, n_out, w, b };
        d.check()?;
        Ok(d)
    }

    /// Checks the weight sizes and that every weight is finite.
    pub fn check(&self) -> Result<(), String> {
        if self.n_in == 0 || self.n_out == 0 {
            return Err("dense layer with a zero width".into());
        }
        check_len("dense weight", &self.w, self.n_in * self.n_out)?;
        check_len("dense bias", &self.b, self.n_out)
    }

    /// `out = b + x · W`.
    #[inline(always)]
    pub fn forward(&self, x: &[f32], out: &mut [f32]) {
        affine(&self.w, &self.b, x, out);
    }
}

/// Dense layers with ReLU after every layer but the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastMlp {
    /// Input width.
    pub n_in: usize,
    /// The layers, first to last.
    pub layers: Vec<Dense>,
}

impl FastMlp {
    /// An MLP from its layers; errors (a message) when consecutive widths do not chain.
    pub fn new(n_in: usize, layers: Vec<Dense>) -> Result<FastMlp, String> {
        let m = FastMlp { n_in, layers };
        m.check()?;
        Ok(m)
    }

    /// Output width of the last layer.
    pub fn n_out(&self) -> usize {
        self.layers.last().map_or(0, |l| l.n_out)
    }

    /// The widest layer output (the ping-pong buffer size).
    fn widest(&self) -> usize {
        self.layers.iter().map(|l| l.n_out).max().unwrap_or(0)
    }

    /// Runs the layers on `x` into `out`, using `a` and `b` (each at least the widest
    /// layer) as ping-pong buffers.
    pub(crate) fn run(&self, x: &[f32], a: &mut [f32], b: &mut [f32], out: &mut [f32]) {
        let last = self.layers.len() - 1;
        let mut cur: &mut [f32] = a;
        let mut next: &mut [f32] = b;
        for (i, layer) in self.layers.iter().enumerate() {
            let input: &[f32] = if i == 0 { x } else { &cur[..layer.n_in] };
            if i == last {
                layer.forward(input, out);
            } else {
                layer.forward(input, &mut next[..layer.n_out]);
                relu_in_place(&mut next[..layer.n_out]);
                std::mem::swap(&mut cur, &mut next);
            }
        }
    }
}

impl FastForward for FastMlp {
    fn window(&self) -> usize {
        self.n_in
    }

    fn horizon(&self) -> usize {
        self.n_out()
    }

    fn scratch_len(&self) -> usize {
        2 * self.widest()
    }

    fn forward(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        assert_eq!(x.len(), self.n_in, "input length");
        assert_eq!(out.len(), self.n_out(), "output length");
        let w = self.widest();
        let (a, rest) = scratch.split_at_mut(w);
        self.run(x, a, &mut rest[..w], out);
    }

    fn check(&self) -> Result<(), String> {
        let mut width = self.n_in;
        if self.layers.is_empty() {
            return Err("an MLP needs at least one layer".into());
        }
        for (i, l) in self.layers.iter().enumerate() {
            l.check().map_err(|e| format!("layer {i}: {e}"))?;
            if l.n_in != width {
                return Err(format!("layer {i} takes {} inputs, gets {width}", l.n_in));
            }
            width = l.n_out;
        }
        Ok(())
    }
}
