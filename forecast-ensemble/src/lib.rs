//! # forecast-ensemble
//!
//! Meta-models over any `Box<dyn Forecaster>`:
//! - [`WeightedEnsemble`]: members fitted in parallel, weighted by their validation error
//!   ([`Weighting`]: inverse MAE/MSE, softmax with temperature, non-negative stacking), with
//!   optional [`DynamicSelection`] on the latest observations at forecast time.
//!
//! - [`Hybrid`]: a base model plus a model of its out-of-sample residuals.
//!
//! The StatuScale forecaster (it needs the LightGBM predictor of forecast-trees) is not in
//! this crate yet.

pub mod ensemble;
pub mod hybrid;
pub mod nnls;
pub mod selection;
pub mod validation;
pub mod weighting;

pub use ensemble::{EnsembleConfig, WeightedEnsemble};
pub use hybrid::{Hybrid, HybridConfig};
pub use selection::DynamicSelection;
pub use weighting::{ValidationSet, Weighting};
