//! Prophet-style additive/multiplicative trend + Fourier seasonality model (work in progress).
