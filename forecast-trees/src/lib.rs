//! XGBoost and LightGBM forecasters on a shared lag/calendar feature builder.
//!
//! This crate is a compiling skeleton: its models land with their own issue. It holds no
//! model yet, so nothing here is registered in the `forecast-zoo` facade.
