//! Forecasting from the state space of the *integrated* model.
//!
//! After the fit, the exact filtered state of the differenced ARMA model is converted into the
//! Harvey state `a*` of the full model `φ*(B) x_t = θ̃(B) ε_t` with `φ* = φ̃(B)(1−B)^d(1−B^m)^D`
//! and `x = y − Xβ` (dimension `r* = max(p*, q'+1)`), using the identity
//! `x̂_{n+h} = Σ_{k=1}^{h} φ*_k x̂_{n+h−k} + a*_h`, `x̂_n = x_n`.
//! New observations update `a*` with the steady-state recursion (the limit of the Kalman
//! filter; exact once the filter has converged): `a* ← T* a*`, `v = x_t − a*_0`,
//! `a* ← a* + R v`. The state lives in a circular buffer, so one step costs
//! `O(nnz(φ*) + nnz(θ̃))`, independent of the season length.
//! Interval variances use the ψ-weights of `θ̃(B)/φ*(B)`: `Var_h = σ² Σ_{j<h} ψ_j²`.

use serde::{Deserialize, Serialize};

use super::difference::diff_poly;
use super::polynomial::{ar_times, sparse};

/// Size of the on-stack state copy used by [`ForecastState::forecast`]; larger states
/// (seasonal models with `r* > 1024`) use one heap buffer per call.
pub const STACK_STATE: usize = 1024;

/// The forecasting state of a fitted ARIMA model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastState {
    /// Non-zero coefficients `(lag, φ*_lag)` of the integrated AR polynomial.
    pub phi_star: Vec<(usize, f64)>,
    /// Dense expanded MA coefficients `θ̃_1..θ̃_{q'}`.
    pub theta: Vec<f64>,
    /// Non-zero entries `(index, R_index)` of the disturbance loading, `R_0 = 1`.
    pub r_nz: Vec<(usize, f64)>,
    /// Harvey state `a*` of the integrated model at the end of the data seen so far.
    pub state: Vec<f64>,
}

impl ForecastState {
    /// Builds the state from the exact filtered state `a` of the differenced model.
    #[allow(clippy::needless_range_loop)]
    /// `phi` is the expanded AR polynomial, `x` the training series minus `Xβ`.
    pub fn from_filter(
        phi: &[f64],
        theta: &[f64],
        d: usize,
        sd: usize,
        m: usize,
        a: &[f64],
        x: &[f64],
    ) -> Self {
        let dpoly = diff_poly(d, sd, m);
        let phi_full = ar_times(phi, &dpoly);
        let rstar = phi_full.len().max(theta.len() + 1);
        let n = x.len();
        let nd = dpoly.len();
        // ŵ_{n+h}, h = 0..rstar-1 from the ARMA state.
        let mut what = vec![0.0; rstar];
        what[0] = a[0];
        for h in 1..rstar {
            let mut v = a.get(h).copied().unwrap_or(0.0);
            for k in 1..=h.min(phi.len()) {
                v += phi[k - 1] * what[h - k];
            }
            what[h] = v;
        }
        // x̂_{n+h} (h >= 1) by integrating; index n-1+h in an extended vector.
        let mut xe = x.to_vec();
        for h in 1..rstar {
            let t = n - 1 + h;
            let mut v = what[h];
            for k in 1..=nd {
                v -= dpoly[k - 1] * xe[t - k];
            }
            xe.push(v);
        }
        let mut state = vec![0.0; rstar];
        for (h, slot) in state.iter_mut().enumerate() {
            let t = n - 1 + h;
            let mut v = xe[t];
            for k in 1..=h.min(phi_full.len()) {
                v -= phi_full[k - 1] * xe[t - k];
            }
            *slot = v;
        }
        let mut r_nz = vec![(0usize, 1.0)];
        r_nz.extend(sparse(theta));
        ForecastState {
            phi_star: sparse(&phi_full),
            theta: theta.to_vec(),
            r_nz,
            state,
        }
    }

    /// State dimension `r*`.
    pub fn dim(&self) -> usize {
        self.state.len()
    }

    /// One steady-state filter step on a circular buffer (`head` = index of `a*_0`).
    #[inline]
    fn step(&self, buf: &mut [f64], head: &mut usize, xt: f64) {
        let r = buf.len();
        let a0 = buf[*head];
        buf[*head] = 0.0;
        *head = if *head + 1 == r { 0 } else { *head + 1 };
        for &(lag, c) in &self.phi_star {
            let i = lag - 1;
            let idx = (*head + i) % r;
            buf[idx] += c * a0;
        }
        let v = xt - buf[*head];
        for &(i, ri) in &self.r_nz {
            let idx = (*head + i) % r;
            buf[idx] += ri * v;
        }
    }

    /// Advances the stored state over new observations `x` (already minus `Xβ`).
    pub fn update(&mut self, x: &[f64]) {
        let mut head = 0;
        let mut buf = std::mem::take(&mut self.state);
        for &xt in x {
            self.step(&mut buf, &mut head, xt);
        }
        buf.rotate_left(head);
        self.state = buf;
    }

    /// Writes point forecasts of `x` for `out.len()` steps after the state updated with the
    /// new observations `x_i = new_y[i] − reg(i)`, without modifying `self`.
    pub fn forecast(&self, new_y: &[f64], reg: impl Fn(usize) -> f64, out: &mut [f64]) {
        let r = self.state.len();
        let mut stack = [0.0f64; STACK_STATE];
        let mut heap = Vec::new();
        let buf: &mut [f64] = if r <= STACK_STATE {
            &mut stack[..r]
        } else {
            heap.extend_from_slice(&self.state);
            &mut heap[..]
        };
        if r <= STACK_STATE {
            buf.copy_from_slice(&self.state);
        }
        let mut head = 0;
        for (i, &yt) in new_y.iter().enumerate() {
            self.step(buf, &mut head, yt - reg(i));
        }
        let x_last = buf[head];
        for h in 1..=out.len() {
            let mut v = if h < r { buf[(head + h) % r] } else { 0.0 };
            for &(lag, c) in &self.phi_star {
                if lag > h {
                    break;
                }
                let prev = if lag == h { x_last } else { out[h - lag - 1] };
                v += c * prev;
            }
            out[h - 1] = v;
        }
    }

    /// Cumulative forecast variances (in units of σ²) `Σ_{j<h} ψ_j²`, h = 1..len, written
    /// into `var`, using `psi` (same length) as scratch.
    pub fn variance_factors(&self, psi: &mut [f64], var: &mut [f64]) {
        let mut acc = 0.0;
        for j in 0..psi.len() {
            let mut v = if j == 0 {
                1.0
            } else {
                self.theta.get(j - 1).copied().unwrap_or(0.0)
            };
            for &(lag, c) in &self.phi_star {
                if lag > j {
                    break;
                }
                v += c * psi[j - lag];
            }
            psi[j] = v;
            acc += v * v;
            var[j] = acc;
        }
    }
}
