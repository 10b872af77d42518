//! The fast inference path: the trained weights copied into plain `f32` structures and a
//! forward pass of our own, without burn and without allocation per call.
//!
//! Every network implements [`FastForward`]: `forward(x, scratch, out)` reads a scaled input
//! window `x`, writes the scaled `horizon` predictions into `out` and keeps every intermediate
//! value in `scratch` (at least [`FastForward::scratch_len`] floats), so a caller that owns
//! its buffers allocates nothing.
//!
//! The [`Forecaster`](forecast_core::Forecaster) implementations take `&self`, so they borrow
//! their scratch from a thread-local buffer ([`with_scratch`]): it grows on the first call on
//! each thread (or when a larger network runs) and is reused afterwards, which keeps
//! `forecast_into` allocation-free in steady state and safe to call from many threads.
//!
//! ```
//! use forecast_neural::fast::{Dense, FastForward, FastMlp};
//! // A one-layer "network": out = 2·x0 + x1 + 0.5.
//! let net = FastMlp::new(2, vec![Dense::new(2, 1, vec![2.0, 1.0], vec![0.5]).unwrap()]).unwrap();
//! let mut scratch = vec![0.0; net.scratch_len()];
//! let mut out = [0.0f32];
//! net.forward(&[1.0, 3.0], &mut scratch, &mut out);
//! assert_eq!(out[0], 5.5);
//! ```

use std::cell::RefCell;

mod autoencoder;
mod cnn;
mod dense;
mod gru;
mod lstm;
pub mod math;

pub use autoencoder::FastAutoencoder;
pub use cnn::{ConvLayer, FastCnn};
pub use dense::{Dense, FastMlp};
pub use gru::{FastGru, GruLayer};
pub use lstm::{FastLstm, LstmLayer};

/// Checks a recurrent stack (LSTM, GRU) named `kind`: a window and at least one layer; each
/// layer `(n_in, hidden, its own size check)` reading 1 input (the first) or `hidden`, and
/// giving `hidden`; a head reading `hidden`.
pub(crate) fn check_recurrent_stack(
    kind: &str,
    window: usize,
    hidden: usize,
    layers: impl ExactSizeIterator<Item = (usize, usize, Result<(), String>)>,
    head: &Dense,
) -> Result<(), String> {
    if window == 0 || layers.len() == 0 {
        return Err(format!("{kind} without window or layers"));
    }
    for (i, (n_in, h, own)) in layers.enumerate() {
        own.map_err(|e| format!("layer {i}: {e}"))?;
        let expected_in = if i == 0 { 1 } else { hidden };
        if n_in != expected_in || h != hidden {
            return Err(format!("layer {i} has shape {n_in}→{h}"));
        }
    }
    head.check()?;
    if head.n_in != hidden {
        return Err(format!(
            "head takes {} inputs, {kind} gives {hidden}",
            head.n_in
        ));
    }
    Ok(())
}

/// The forward pass as a kernel that [`dispatch`] compiles once per instruction set.
pub(crate) trait Kernel {
    /// The forward pass; implementations are `#[inline(always)]` so that the whole pass is
    /// inlined into each instruction-set variant.
    fn forward_kernel(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]);
}

/// One forward call handed to [`pulp`].
struct Run<'a, K> {
    net: &'a K,
    x: &'a [f32],
    scratch: &'a mut [f32],
    out: &'a mut [f32],
}

impl<K: Kernel> pulp::WithSimd for Run<'_, K> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        self.net.forward_kernel(self.x, self.scratch, self.out);
    }
}

/// Runs `net`'s forward pass compiled for the best instruction set of this CPU (AVX2 where
/// present, detected once and cached by `std`), so LLVM vectorises the plain loops 8 lanes
/// wide instead of SSE2's 4. No fused multiply-add is introduced (Rust does not contract
/// `a * b + c`), so every variant computes the same `f32` values.
#[inline]
pub(crate) fn dispatch<K: Kernel>(net: &K, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
    pulp::Arch::new().dispatch(Run {
        net,
        x,
        scratch,
        out,
    });
}

/// A network with an allocation-free `f32` forward pass.
pub trait FastForward {
    /// Input length (the window).
    fn window(&self) -> usize;

    /// Output length (the trained horizon).
    fn horizon(&self) -> usize;

    /// Floats of scratch space [`FastForward::forward`] needs.
    fn scratch_len(&self) -> usize;

    /// Runs the network on the scaled window `x`, writing the scaled predictions into `out`.
    ///
    /// # Panics
    ///
    /// When `x.len() != window()`, `out.len() != horizon()` or
    /// `scratch.len() < scratch_len()` (a programming error, not bad data); see
    /// [`FastForward::predict`] for a checked call.
    fn forward(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]);

    /// Checks that the weights have the sizes the structure claims (used after loading a
    /// model file). Returns a description of the first inconsistency.
    fn check(&self) -> Result<(), String>;

    /// [`FastForward::forward`] with length checks and the thread-local scratch.
    ///
    /// Errors: [`forecast_core::Error::InvalidParameter`] naming `input` or `output` when a
    /// slice has the wrong length.
    fn predict(&self, x: &[f32], out: &mut [f32]) -> forecast_core::Result<()> {
        if x.len() != self.window() {
            return Err(forecast_core::Error::invalid_param(
                "input",
                format!("expected {} values, got {}", self.window(), x.len()),
            ));
        }
        if out.len() != self.horizon() {
            return Err(forecast_core::Error::invalid_param(
                "output",
                format!("expected {} values, got {}", self.horizon(), out.len()),
            ));
        }
        with_scratch(self.scratch_len(), |s| self.forward(x, s, out));
        Ok(())
    }
}

thread_local! {
    static SCRATCH: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a thread-local scratch slice of `len` floats (contents unspecified).
///
/// The buffer grows when a call needs more than any earlier call on this thread and is reused
/// otherwise. A nested call (from inside `f`) gets a fresh allocation instead of panicking.
pub fn with_scratch<R>(len: usize, f: impl FnOnce(&mut [f32]) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < len {
                buf.resize(len, 0.0);
            }
            f(&mut buf[..len])
        }
        Err(_) => f(&mut vec![0.0; len]),
    })
}

/// Checks that `v` holds `n` values; `what` names it in the message.
pub(crate) fn check_len(what: &str, v: &[f32], n: usize) -> Result<(), String> {
    if v.len() != n {
        return Err(format!("{what} has {} values, expected {n}", v.len()));
    }
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        return Err(format!("{what}[{i}] is {}", v[i]));
    }
    Ok(())
}
