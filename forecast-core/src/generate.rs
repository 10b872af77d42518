//! Deterministic synthetic load traces (work in progress).
