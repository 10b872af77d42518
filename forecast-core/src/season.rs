//! Season-length detection (work in progress).
