//! ARIMA/SARIMA by CSS + exact ML (Kalman filter), with auto-ARIMA (work in progress).
