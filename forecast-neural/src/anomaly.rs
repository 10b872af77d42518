//! Anomaly scores from the autoencoder's reconstruction error, with a robust (MAD) threshold.
//!
//! Every window of `window` consecutive points is encoded and decoded; its score is the root
//! mean squared reconstruction error in the series' units. A window is anomalous when its
//! score exceeds `median + k · 1.4826 · MAD` of all scores (the MAD scaled to a standard
//! deviation under normality; `k = 3.5` by default, Iglewicz and Hoaglin's cut-off).

use forecast_core::{Error, Result, Series, check_context};
use serde::{Deserialize, Serialize};

use crate::fast::{FastForward, with_scratch};
use crate::forecasters::AutoencoderForecaster;

/// Default number of scaled MADs above the median for [`AutoencoderForecaster::anomaly_scores`].
pub const DEFAULT_MAD_K: f64 = 3.5;

/// Reconstruction-error scores of every window of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnomalyScores {
    /// Timestamp of each window's last point.
    pub timestamps: Vec<i64>,
    /// RMS reconstruction error of each window, in the series' units.
    pub scores: Vec<f64>,
    /// `median + k · 1.4826 · MAD` of the scores.
    pub threshold: f64,
    /// Indices (into `scores`) of the windows above the threshold.
    pub anomalies: Vec<usize>,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `(median, median + k · 1.4826 · MAD)` of `scores` (non-empty).
pub fn mad_threshold(scores: &[f64], k: f64) -> (f64, f64) {
    let mut v = scores.to_vec();
    let med = median(&mut v);
    for x in &mut v {
        *x = (*x - med).abs();
    }
    let mad = median(&mut v);
    (med, med + k * 1.4826 * mad)
}

impl AutoencoderForecaster {
    /// Scores every window of `series` with the default threshold `k =` [`DEFAULT_MAD_K`].
    ///
    /// Errors: see [`AutoencoderForecaster::anomaly_scores_with`].
    pub fn anomaly_scores(&self, series: &Series) -> Result<AnomalyScores> {
        self.anomaly_scores_with(series, DEFAULT_MAD_K)
    }

    /// Scores every window of `series` (`len − window + 1` of them) and flags those above
    /// `median + k · 1.4826 · MAD`.
    ///
    /// Errors: [`Error::NotFitted`], [`Error::InvalidParameter`] naming `k` unless it is
    /// finite and ≥ 0, [`Error::ContextMismatch`] for another step or a series shorter than
    /// the window.
    pub fn anomaly_scores_with(&self, series: &Series, k: f64) -> Result<AnomalyScores> {
        let name = "autoencoder";
        let f = self
            .fitted()
            .ok_or_else(|| Error::NotFitted { model: name.into() })?;
        if !(k.is_finite() && k >= 0.0) {
            return Err(Error::invalid_param(
                "k",
                format!("must be finite and ≥ 0, got {k}"),
            ));
        }
        check_context(name, series, f.step)?;
        let w = f.net.window();
        if series.len() < w {
            return Err(Error::ContextMismatch {
                model: name.into(),
                reason: format!(
                    "scoring needs windows of {w} points, the series has {}",
                    series.len()
                ),
            });
        }
        let sc = f.scaler;
        let scaled: Vec<f32> = series
            .values()
            .iter()
            .map(|&v| sc.scale(v) as f32)
            .collect();
        let n_win = series.len() - w + 1;
        let mut scores = Vec::with_capacity(n_win);
        with_scratch(w + f.net.scratch_len(), |s| {
            let (recon, scratch) = s.split_at_mut(w);
            for i in 0..n_win {
                let x = &scaled[i..i + w];
                f.net.reconstruct(x, scratch, recon);
                let sse: f64 = x
                    .iter()
                    .zip(recon.iter())
                    .map(|(&a, &b)| ((a - b) as f64).powi(2))
                    .sum();
                scores.push((sse / w as f64).sqrt() * sc.scale);
            }
        });
        if let Some(i) = scores.iter().position(|v| !v.is_finite()) {
            return Err(Error::model(
                name,
                format!(
                    "window ending at row {} gives a non-finite score",
                    i + w - 1
                ),
            ));
        }
        let (_, threshold) = mad_threshold(&scores, k);
        let anomalies = (0..n_win).filter(|&i| scores[i] > threshold).collect();
        Ok(AnomalyScores {
            timestamps: (0..n_win).map(|i| series.timestamp(i + w - 1)).collect(),
            scores,
            threshold,
            anomalies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mad_threshold_by_hand() {
        // median 3, deviations [2, 1, 0, 1, 97] -> MAD 1.
        let (med, thr) = mad_threshold(&[1.0, 2.0, 3.0, 4.0, 100.0], 3.5);
        assert_eq!(med, 3.0);
        assert!((thr - (3.0 + 3.5 * 1.4826)).abs() < 1e-12);
        let (med, _) = mad_threshold(&[1.0, 2.0, 3.0, 4.0], 1.0);
        assert_eq!(med, 2.5);
    }
}
