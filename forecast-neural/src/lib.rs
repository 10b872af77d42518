//! GRU, LSTM, CNN and autoencoder forecasters trained with burn.
//!
//! This crate is a compiling skeleton: its models land with their own issue. It holds no
//! model yet, so nothing here is registered in the `forecast-zoo` facade.
