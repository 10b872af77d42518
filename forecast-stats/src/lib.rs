//! Holt-Winters/ETS, ARIMA and a Prophet-style model for forecast-zoo.
//!
//! This crate is a compiling skeleton: its models land with their own issue. It holds no
//! model yet, so nothing here is registered in the `forecast-zoo` facade.
