//! Helpers of the live Prometheus integration tests.

pub mod prom;
pub mod serve;
