//! # forecast-ensemble
//!
//! Meta-models over any `Box<dyn Forecaster>`:
//! - [`WeightedEnsemble`]: members fitted in parallel, weighted by their validation error
//!   ([`Weighting`]: inverse MAE/MSE, softmax with temperature, non-negative stacking), with
//!   optional [`DynamicSelection`] on the latest observations at forecast time.
//!
//! - [`Hybrid`]: a base model plus a model of its out-of-sample residuals.
//! - [`StatuScale`]: the StatuScale load-status detector choosing between an injected
//!   one-step predictor (LightGBM on 5 lags in the reference, [`LagRegression`] as fallback)
//!   and the burst estimate.

pub mod ensemble;
pub mod hybrid;
pub mod nnls;
pub mod selection;
pub mod statuscale;
pub mod validation;
pub mod weighting;

pub use ensemble::{EnsembleConfig, WeightedEnsemble};
pub use hybrid::{Hybrid, HybridConfig};
pub use selection::DynamicSelection;
pub use statuscale::{LagRegression, LoadStatus, StatuScale, StatuScaleConfig};
pub use weighting::{ValidationSet, Weighting};
