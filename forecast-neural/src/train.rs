//! The training loop shared by the four networks: scaling, sliding windows, shuffled
//! mini-batches, Adam, early stopping on the validation loss, fixed seeds.

use burn::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use forecast_core::{Error, Result, Series};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::config::NeuralConfig;
use crate::data::Windows;
use crate::net::{BurnNet, Dropout, NetRng, batch_tensor, mse};
use crate::progress::epoch_bar;
use crate::scaler::Scaler;

/// What a fit did: epochs, losses (mean squared error on the scaled series) and window counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Epochs run (early stopping may end before `epochs`).
    pub epochs_run: usize,
    /// The epoch (1-based) whose weights were kept.
    pub best_epoch: usize,
    /// Training loss of the last epoch.
    pub train_loss: f64,
    /// Best validation loss (the training loss when there is no validation window).
    pub best_loss: f64,
    /// Training windows per epoch.
    pub n_train: usize,
    /// Validation windows.
    pub n_val: usize,
}

/// Checks a training series for `name`: at least `window + horizon` points, finite values.
pub(crate) fn check_train(name: &str, cfg: &NeuralConfig, series: &Series) -> Result<()> {
    cfg.validate()?;
    let need = cfg.min_train_len();
    if series.len() < need {
        return Err(Error::too_short(
            format!("{name} (window {} + horizon {})", cfg.window, cfg.horizon),
            need,
            series.len(),
        ));
    }
    if let Some(row) = series.values().iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            row,
            timestamp: series.timestamp(row),
            value: series.values()[row],
        });
    }
    Ok(())
}

/// Fisher–Yates shuffle with our RNG.
fn shuffle(v: &mut [usize], rng: &mut NetRng) {
    for i in (1..v.len()).rev() {
        let j = rng.0.random_range(0..=i);
        v.swap(i, j);
    }
}

/// Mean squared forecast error of `net` (a validation copy) over the windows `idx`.
fn evaluate<N: BurnNet>(
    net: &N,
    w: &Windows,
    idx: &[usize],
    cfg: &NeuralConfig,
    device: &Device,
) -> f64 {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut total = 0.0;
    for chunk in idx.chunks(256) {
        w.batch(chunk, &mut x, &mut y);
        let xt = batch_tensor(x.clone(), chunk.len(), cfg.window, device);
        let yt = batch_tensor(y.clone(), chunk.len(), cfg.horizon, device);
        let loss = mse(net.forward(xt, &mut Dropout::off()), yt);
        total += loss.into_scalar::<f32>() as f64 * chunk.len() as f64;
    }
    total / idx.len() as f64
}

/// Trains a network of type `N` on `series`; returns the scaler, the best weights copied into
/// the fast structure, and a report.
///
/// Errors: [`Error::InvalidParameter`] from the config, [`Error::TooShort`] below
/// `window + horizon` points, [`Error::NonFinite`], [`Error::Constant`] for a zero-variance
/// series, [`Error::Model`] when the loss diverges.
pub(crate) fn train<N: BurnNet>(
    name: &str,
    cfg: &NeuralConfig,
    series: &Series,
) -> Result<(Scaler, N::Fast, TrainReport)> {
    check_train(name, cfg, series)?;
    let scaler = Scaler::fit(cfg.scaler, series.values(), name)?;
    let scaled: Vec<f32> = series
        .values()
        .iter()
        .map(|&v| scaler.scale(v) as f32)
        .collect();
    let windows = Windows::new(scaled, cfg);

    let plain = Device::flex();
    let device = plain.clone().autodiff();
    let mut net = N::init(cfg, &mut NetRng::new(cfg.seed, 0), &device);
    let mut optim = AdamConfig::new()
        .with_grad_clipping(Some(GradientClippingConfig::Norm(1.0)))
        .init();
    let mut order_rng = NetRng::new(cfg.seed, 1);
    let mut drop = Dropout::train(cfg.dropout, NetRng::new(cfg.seed, 2));

    let bar = epoch_bar(name, cfg.epochs, cfg.quiet);
    let mut best: Option<N::Fast> = None;
    let (mut best_loss, mut best_epoch, mut stale) = (f64::INFINITY, 0, 0);
    let mut report = TrainReport {
        epochs_run: 0,
        best_epoch: 0,
        train_loss: f64::NAN,
        best_loss: f64::NAN,
        n_train: windows.train.len(),
        n_val: windows.val.len(),
    };
    let mut order = windows.train.clone();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for epoch in 1..=cfg.epochs {
        shuffle(&mut order, &mut order_rng);
        let mut sum = 0.0;
        for chunk in order.chunks(cfg.batch_size) {
            windows.batch(chunk, &mut x, &mut y);
            let xt = batch_tensor(x.clone(), chunk.len(), cfg.window, &device);
            let yt = batch_tensor(y.clone(), chunk.len(), cfg.horizon, &device);
            let loss = net.loss(xt, yt, &mut drop);
            sum += loss.clone().into_scalar::<f32>() as f64 * chunk.len() as f64;
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = optim.step(cfg.learning_rate, net, grads);
        }
        let train_loss = sum / order.len() as f64;
        let valid = net.valid();
        let score = if windows.val.is_empty() {
            train_loss
        } else {
            evaluate(&valid, &windows, &windows.val, cfg, &plain)
        };
        report.epochs_run = epoch;
        report.train_loss = train_loss;
        if !(score.is_finite() && train_loss.is_finite()) {
            bar.finish_and_clear();
            return Err(Error::model(
                name,
                format!(
                    "training diverged at epoch {epoch} (loss {train_loss}); lower learning_rate"
                ),
            ));
        }
        bar.set_message(format!("loss {train_loss:.4} val {score:.4}"));
        bar.inc(1);
        if score < best_loss {
            best_loss = score;
            best_epoch = epoch;
            best = Some(valid.to_fast(cfg.window));
            stale = 0;
        } else {
            stale += 1;
            if cfg.patience > 0 && stale >= cfg.patience {
                break;
            }
        }
    }
    bar.finish_and_clear();
    report.best_epoch = best_epoch;
    report.best_loss = best_loss;
    let fast = best.ok_or_else(|| Error::model(name, "no epoch produced a finite loss"))?;
    Ok((scaler, fast, report))
}
