//! The StatuScale forecaster (Wen et al., ACM TAAS 2024; spec `algorithms.md` §1): a
//! load-status [detector] (resistance line from a least-squares fit over the stable window
//! plus `λ·CV + c`, warm-up, 40 s burst hold) choosing between a one-step predictor in STABLE
//! status and the burst estimate in BURST status ([`StatuScale`]), with [`LagRegression`] as
//! the fallback AR(5) predictor when no LightGBM model is linked.

pub mod ar;
pub mod detector;
pub mod forecaster;

pub use ar::LagRegression;
pub use detector::{DetectorConfig, LoadStatus, ResistanceLine, StatusDetector, replay, statuses};
pub use forecaster::{StatuScale, StatuScaleConfig};
