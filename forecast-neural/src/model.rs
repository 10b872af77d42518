//! What the four forecasters share: the fitted state ([`Fitted`]), its checks after loading,
//! and the forecast through the fast path with recursive feedback beyond the trained horizon.

use forecast_core::{Error, Forecast, Result, Series, check_context};
use serde::{Deserialize, Serialize};

use crate::config::NeuralConfig;
use crate::fast::{FastForward, with_scratch};
use crate::scaler::Scaler;
use crate::train::TrainReport;

/// A fitted network: the scaler, the step of the training series, the weights of the fast
/// path and the training report. This is what a model file stores (with the config).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted<F> {
    /// Scaling fitted on the training series.
    pub scaler: Scaler,
    /// Step of the training series in seconds (contexts must have the same).
    pub step: i64,
    /// The trained weights.
    pub net: F,
    /// How training went.
    pub report: TrainReport,
}

/// The serialised form of a neural forecaster, checked on load.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Stored<F> {
    pub(crate) config: NeuralConfig,
    pub(crate) fitted: Option<Fitted<F>>,
}

impl<F: FastForward> Stored<F> {
    /// Checks a loaded model: a valid config and weights whose shapes match it.
    pub(crate) fn check(&self, name: &str) -> Result<()> {
        self.config.validate()?;
        let Some(f) = &self.fitted else {
            return Ok(());
        };
        let bad = |m: String| Error::Serde(format!("{name} model file: {m}"));
        f.net.check().map_err(bad)?;
        if f.net.window() != self.config.window || f.net.horizon() != self.config.horizon {
            return Err(bad(format!(
                "weights are for window {} / horizon {}, config says {} / {}",
                f.net.window(),
                f.net.horizon(),
                self.config.window,
                self.config.horizon
            )));
        }
        if !(f.scaler.scale.is_finite() && f.scaler.scale > 0.0 && f.scaler.shift.is_finite()) {
            return Err(bad("invalid scaler".into()));
        }
        if f.step <= 0 {
            return Err(bad(format!("invalid step {}", f.step)));
        }
        Ok(())
    }
}

/// Forecasts `horizon` steps after `context` with the fast path.
///
/// The network reads the last `window` points of the context (scaled with the stored scaler)
/// and predicts its trained horizon `H` at once; beyond `H` it is applied again to a window
/// that ends with its own predictions (recursive), `ceil(horizon / H)` passes in all. Scratch
/// (the extended window, the predictions, the network's buffers) is thread-local, so nothing
/// is allocated once the buffers have grown.
///
/// Errors: [`Error::NotFitted`], [`Error::InvalidParameter`] naming `levels` when levels are
/// given (no intervals of its own: wrap in `Conformal`), [`Error::ContextMismatch`] for
/// another step or fewer than `window` points, [`Error::ZeroHorizon`], [`Error::Model`] when
/// the network produces a non-finite value (inputs far outside the training range).
pub(crate) fn forecast_fast<F: FastForward>(
    name: &str,
    fitted: Option<&Fitted<F>>,
    context: &Series,
    horizon: usize,
    levels: &[f64],
    out: &mut Forecast,
) -> Result<()> {
    let f = fitted.ok_or_else(|| Error::NotFitted { model: name.into() })?;
    if !levels.is_empty() {
        return Err(Error::invalid_param(
            "levels",
            format!("{name} has no intervals of its own; wrap it in Conformal for intervals"),
        ));
    }
    check_context(name, context, f.step)?;
    let (w, h_net) = (f.net.window(), f.net.horizon());
    if context.len() < w {
        return Err(Error::ContextMismatch {
            model: name.into(),
            reason: format!(
                "the network reads the last {w} points, the context has {}",
                context.len()
            ),
        });
    }
    out.reset(context.next_timestamp(), f.step, horizon, levels)?;
    let passes = horizon.div_ceil(h_net);
    let seq_len = w + passes * h_net;
    let values = &context.values()[context.len() - w..];
    let sc = f.scaler;
    let overflow = with_scratch(seq_len + h_net + f.net.scratch_len(), |s| {
        let (seq, rest) = s.split_at_mut(seq_len);
        let (pred, scratch) = rest.split_at_mut(h_net);
        for (z, &v) in seq.iter_mut().zip(values) {
            *z = sc.scale(v) as f32;
        }
        if let Some(i) = seq[..w].iter().position(|z| !z.is_finite()) {
            return Some(i);
        }
        let mut done = 0;
        for k in 0..passes {
            let start = k * h_net;
            f.net.forward(&seq[start..start + w], scratch, pred);
            seq[start + w..start + w + h_net].copy_from_slice(pred);
            let take = h_net.min(horizon - done);
            for (o, &p) in out.point[done..done + take].iter_mut().zip(pred.iter()) {
                *o = sc.unscale(p as f64);
            }
            done += take;
        }
        None
    });
    if let Some(i) = overflow {
        let row = context.len() - w + i;
        return Err(Error::model(
            name,
            format!(
                "context value {} at row {row} is too far outside the training range to scale",
                context.values()[row]
            ),
        ));
    }
    if let Some(i) = out.point.iter().position(|v| !v.is_finite()) {
        return Err(Error::model(
            name,
            format!(
                "forecast step {} is not finite: the context is far outside the training range",
                i + 1
            ),
        ));
    }
    Ok(())
}
