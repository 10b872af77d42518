//! The StatuScale *policy* (Wen et al., TAAS 2024; spec §1): vertical CPU quota per load
//! status ([`vertical`], with the NN-tuned incremental PID of [`pid`]) and the horizontal
//! score rule ([`score`], [`horizontal`]), plus a [`ScalingPolicy`](crate::ScalingPolicy)
//! adapter ([`policy`]). The load-status detector and the one-step predictor are inputs
//! ([`StatusSource`]); they belong to the StatuScale forecaster.
//!
//! ```
//! use forecast_autoscale::statuscale::ScoreParams;
//! let s = ScoreParams::default();
//! assert!((s.score(228.0) - 12.638460).abs() < 1e-6);
//! assert!((s.score(100.0) + 6.975757).abs() < 1e-6);
//! ```

pub mod horizontal;
pub mod pid;
pub mod policy;
pub mod score;
pub mod vertical;

pub use horizontal::{HorizontalController, HorizontalParams};
pub use pid::{NnPid, PidMode};
pub use policy::{StatuScaleConfig, StatuScalePolicy, StatusSignal, StatusSource};
pub use score::ScoreParams;
pub use vertical::{
    VerticalController, VerticalDecision, VerticalInput, VerticalMode, VerticalParams,
};
