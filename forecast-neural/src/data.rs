//! Sliding windows over a scaled series and their time-ordered train/validation split.

use crate::config::NeuralConfig;

/// The windows of one series: window `i` reads `y[i .. i + window]` and predicts
/// `y[i + window .. i + window + horizon]`.
#[derive(Debug, Clone)]
pub(crate) struct Windows {
    scaled: Vec<f32>,
    window: usize,
    horizon: usize,
    /// Start indices of the training windows (every `stride`-th).
    pub(crate) train: Vec<usize>,
    /// Start indices of the validation windows: the most recent ones, whose targets all lie
    /// after every training target (no overlap).
    pub(crate) val: Vec<usize>,
}

impl Windows {
    /// Splits the `n − window − horizon + 1` windows of `scaled` (which holds at least
    /// `window + horizon` points): the last `validation_fraction` of them validate, the
    /// `horizon − 1` windows before those are dropped so that no training target overlaps a
    /// validation target, the rest train. With fewer than 2 windows left for training, or a
    /// fraction giving no validation window, every window trains (early stopping then
    /// watches the training loss).
    pub(crate) fn new(scaled: Vec<f32>, cfg: &NeuralConfig) -> Windows {
        let (w, h, stride) = (cfg.window, cfg.horizon, cfg.stride);
        let n_win = scaled.len() + 1 - w - h;
        let n_val = (n_win as f64 * cfg.validation_fraction).floor() as usize;
        let first_val = n_win - n_val;
        let train_end = first_val.saturating_sub(h - 1);
        let (train, val) = if n_val == 0 || train_end < 2 {
            ((0..n_win).step_by(stride).collect(), Vec::new())
        } else {
            (
                (0..train_end).step_by(stride).collect(),
                (first_val..n_win).step_by(stride).collect(),
            )
        };
        Windows {
            scaled,
            window: w,
            horizon: h,
            train,
            val,
        }
    }

    /// Inputs `[len][window]` and targets `[len][horizon]` of the windows starting at `idx`,
    /// written into `x` and `y` (cleared first).
    pub(crate) fn batch(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
        x.clear();
        y.clear();
        for &i in idx {
            x.extend_from_slice(&self.scaled[i..i + self.window]);
            y.extend_from_slice(&self.scaled[i + self.window..i + self.window + self.horizon]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_time_ordered_without_target_overlap() {
        let cfg = NeuralConfig {
            window: 4,
            horizon: 3,
            stride: 1,
            validation_fraction: 0.25,
            ..Default::default()
        };
        let w = Windows::new((0..26).map(|v| v as f32).collect(), &cfg);
        // 20 windows: 5 validate (15..20), 2 dropped (13, 14), 13 train.
        assert_eq!(w.val, vec![15, 16, 17, 18, 19]);
        assert_eq!(w.train, (0..13).collect::<Vec<_>>());
        let last_train_target = w.train.last().unwrap() + 4 + 3 - 1;
        assert!(last_train_target < w.val[0] + 4);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        w.batch(&[0, 2], &mut x, &mut y);
        assert_eq!(x, vec![0., 1., 2., 3., 2., 3., 4., 5.]);
        assert_eq!(y, vec![4., 5., 6., 6., 7., 8.]);
    }

    #[test]
    fn tiny_series_trains_on_everything() {
        let cfg = NeuralConfig {
            window: 4,
            horizon: 2,
            stride: 2,
            ..Default::default()
        };
        let w = Windows::new(vec![0.0; 6], &cfg);
        assert_eq!((w.train.clone(), w.val.clone()), (vec![0], vec![]));
        let w = Windows::new(vec![0.0; 9], &cfg);
        assert_eq!(w.train, vec![0, 2]);
        assert!(w.val.is_empty());
    }
}
