//! Live Prometheus: fetch history with `query_range`, and serve forecasts and recommended
//! replicas as Prometheus metrics for KEDA or the HPA.
//!
//! The loop (`forecast-zoo serve`, see `deploy/README.md`):
//!
//! 1. each target backfills its history from Prometheus ([`client::PromClient`], range
//!    split into chunks below 11,000 points per series) and fits its model, built by name
//!    through the [`Registry`](crate::registry::Registry);
//! 2. every interval it pulls the newest points, forecasts from the updated context
//!    without refitting (refits run in the background on a slower schedule) and runs the
//!    [planner](crate::autoscale::planner);
//! 3. `/metrics` publishes `forecast_zoo_recommended_replicas{target}` and the forecasts;
//!    Prometheus scrapes it, and KEDA's prometheus trigger or the HPA (external metrics
//!    through prometheus-adapter) scales the workload to that count;
//! 4. when Prometheus is unreachable, answers errors or stale data, or the model fails or
//!    drifts past its error bound, the recommendation falls back to the HPA-equivalent
//!    count of the newest observation and `forecast_zoo_fallback{target}` is 1.
//!
//! Modules: [`client`] (HTTP, chunking, [`auth`], TLS), [`fetch`] (output layouts),
//! [`duration`], [`metrics`] (text exposition), [`process`] (process metrics),
//! [`history`], [`model_error`], and with the `autoscale` feature `target`, `config`,
//! `server`, `serve`.

pub mod auth;
pub mod client;
#[cfg(feature = "autoscale")]
pub mod config;
pub mod duration;
pub mod error;
pub mod fetch;
pub mod history;
pub mod metrics;
pub mod model_error;
pub mod process;
#[cfg(feature = "autoscale")]
pub mod serve;
#[cfg(feature = "autoscale")]
pub mod server;
#[cfg(feature = "autoscale")]
pub mod target;

pub use client::{ClientConfig, PromClient, RangeSource};
pub use error::{LiveError, Result};
