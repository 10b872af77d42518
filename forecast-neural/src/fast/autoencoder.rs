//! [`FastAutoencoder`]: dense encoder to a small latent vector, a decoder reconstructing the
//! window and a head predicting the horizon from the latent.

use serde::{Deserialize, Serialize};

use super::{FastForward, FastMlp};

/// Encoder `window → … → latent`, decoder `latent → … → window`, head
/// `latent → … → horizon`; ReLU between dense layers, none on the latent or the outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastAutoencoder {
    /// `window → latent`.
    pub encoder: FastMlp,
    /// `latent → window`.
    pub decoder: FastMlp,
    /// `latent → horizon`.
    pub head: FastMlp,
}

impl FastAutoencoder {
    fn widest(&self) -> usize {
        [&self.encoder, &self.decoder, &self.head]
            .iter()
            .flat_map(|m| m.layers.iter().map(|l| l.n_out))
            .max()
            .unwrap_or(0)
    }

    /// Reconstructs the scaled window `x` into `recon` (both `window` long), with `scratch`
    /// of at least [`FastForward::scratch_len`] floats.
    ///
    /// # Panics
    ///
    /// On wrong slice lengths, like [`FastForward::forward`].
    pub fn reconstruct(&self, x: &[f32], scratch: &mut [f32], recon: &mut [f32]) {
        assert_eq!(x.len(), self.encoder.n_in, "input length");
        assert_eq!(recon.len(), self.decoder.n_out(), "output length");
        let w = self.widest();
        let (latent, rest) = scratch.split_at_mut(self.encoder.n_out());
        let (a, rest) = rest.split_at_mut(w);
        let b = &mut rest[..w];
        self.encoder.run(x, a, b, latent);
        self.decoder.run(latent, a, b, recon);
    }
}

impl FastForward for FastAutoencoder {
    fn window(&self) -> usize {
        self.encoder.n_in
    }

    fn horizon(&self) -> usize {
        self.head.n_out()
    }

    fn scratch_len(&self) -> usize {
        self.encoder.n_out() + 2 * self.widest()
    }

    fn forward(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        super::dispatch(self, x, scratch, out);
    }

    fn check(&self) -> Result<(), String> {
        self.encoder.check().map_err(|e| format!("encoder: {e}"))?;
        self.decoder.check().map_err(|e| format!("decoder: {e}"))?;
        self.head.check().map_err(|e| format!("head: {e}"))?;
        let latent = self.encoder.n_out();
        if self.decoder.n_in != latent || self.head.n_in != latent {
            return Err(format!(
                "decoder/head do not read the {latent}-value latent"
            ));
        }
        if self.decoder.n_out() != self.encoder.n_in {
            return Err("decoder does not reconstruct the window".into());
        }
        Ok(())
    }
}

impl super::Kernel for FastAutoencoder {
    #[inline(always)]
    fn forward_kernel(&self, x: &[f32], scratch: &mut [f32], out: &mut [f32]) {
        assert_eq!(x.len(), self.encoder.n_in, "input length");
        assert_eq!(out.len(), self.head.n_out(), "output length");
        let w = self.widest();
        let (latent, rest) = scratch.split_at_mut(self.encoder.n_out());
        let (a, rest) = rest.split_at_mut(w);
        let b = &mut rest[..w];
        self.encoder.run(x, a, b, latent);
        self.head.run(latent, a, b, out);
    }
}
