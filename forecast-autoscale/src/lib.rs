//! Forecast-to-replicas planner, the Kubernetes HPA baseline, reactive and hybrid scalers, and trace replay.
//!
//! This crate is a compiling skeleton: its models land with their own issue. It holds no
//! model yet, so nothing here is registered in the `forecast-zoo` facade.
