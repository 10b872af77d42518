//! Rolling-origin backtesting (work in progress).
