//! Prometheus and Grafana exports in, forecasts and backtest results out (work in progress).
