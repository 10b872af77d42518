//! Accuracy and interval metrics (work in progress).
