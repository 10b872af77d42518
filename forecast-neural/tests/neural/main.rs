//! forecast-neural's integration tests, in one binary: each test binary links burn, so
//! one binary instead of seven saves most of the suite's link time.

mod common;

mod errors;
mod horizon_anomaly;
mod learns;
mod parity;
mod proptest_no_panic;
mod reproducibility;
mod save_load;
