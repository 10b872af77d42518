//! Holt-Winters and ETS (innovations state space) with AutoETS (work in progress).
