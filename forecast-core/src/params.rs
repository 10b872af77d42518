//! Hyper-parameter parsing from `key=value` strings (work in progress).
