//! [`BurnForward`]: burn's own forward pass over a fitted model's weights, for comparison
//! with the fast path (parity tests, latency benches).

use burn::prelude::*;
use forecast_core::{Error, Result};

use crate::net::{BurnNet, Dropout, batch_tensor, values};

trait BurnPredict {
    fn predict(&self, x: Vec<f32>, rows: usize, cols: usize, device: &Device) -> Vec<f32>;
}

impl<N: BurnNet> BurnPredict for N {
    fn predict(&self, x: Vec<f32>, rows: usize, cols: usize, device: &Device) -> Vec<f32> {
        let t = batch_tensor(x, rows, cols, device);
        values(self.forward(t, &mut Dropout::off()))
    }
}

/// A burn module rebuilt from fast-path weights on the `flex` CPU device, without autodiff.
pub struct BurnForward {
    net: Box<dyn BurnPredict + Send>,
    device: Device,
    window: usize,
    horizon: usize,
}

impl std::fmt::Debug for BurnForward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BurnForward")
            .field("window", &self.window)
            .field("horizon", &self.horizon)
            .finish()
    }
}

impl BurnForward {
    pub(crate) fn new<N: BurnNet>(fast: &N::Fast) -> BurnForward {
        use crate::fast::FastForward;
        let device = Device::flex();
        BurnForward {
            net: Box::new(N::from_fast(fast, &device)),
            device,
            window: fast.window(),
            horizon: fast.horizon(),
        }
    }

    /// Input length.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Output length.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// burn's forward on one scaled window: the scaled `horizon` predictions.
    ///
    /// Errors: [`Error::InvalidParameter`] naming `input` for a wrong length.
    pub fn forward(&self, x: &[f32]) -> Result<Vec<f32>> {
        self.forward_batch(x)
    }

    /// burn's forward on consecutive scaled windows (`x.len()` a multiple of the window):
    /// `horizon` predictions per window, window after window.
    ///
    /// Errors: [`Error::InvalidParameter`] naming `input` when `x` is empty or not a multiple
    /// of the window.
    pub fn forward_batch(&self, x: &[f32]) -> Result<Vec<f32>> {
        if x.is_empty() || !x.len().is_multiple_of(self.window) {
            return Err(Error::invalid_param(
                "input",
                format!(
                    "{} values is not a positive multiple of the window {}",
                    x.len(),
                    self.window
                ),
            ));
        }
        let rows = x.len() / self.window;
        Ok(self
            .net
            .predict(x.to_vec(), rows, self.window, &self.device))
    }
}
