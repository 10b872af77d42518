//! The neural-network-tuned incremental PID of StatuScale's BURST mode (spec §1.5.3).
//!
//! A 4-5-3 network maps `[r*, y, e, 5]` to the gains (Kp, Ki, Kd) ∈ (0, 1)³ of an incremental
//! PID driving a pure integrator from the cap-relative utilisation `u_t/U_max` toward the
//! set-point 0.8; after 10 inner iterations the reached value `r` becomes the target
//! utilisation and the quota is `mean(u_{t−2..t})/r`.
//!
//! [`PidMode::BugCompatible`] reproduces the reference class bit for bit, quirks included
//! (`de1` never updated, only the last output-weight increment kept, `dK` on the
//! post-activation gains); [`PidMode::Clean`] uses standard back-propagation and updates `de1`.
//!
//! ```
//! use forecast_autoscale::statuscale::{NnPid, PidMode};
//! let mut pid = NnPid::new(PidMode::BugCompatible);
//! let (quota, r) = pid.output([30.0, 30.0, 30.0]);
//! assert!((quota - 90.324264).abs() < 1e-5 && (r - 0.332137).abs() < 1e-6);
//! ```

// Index loops mirror the matrix formulas of the spec one to one.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

/// Quirk handling of the NN-PID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PidMode {
    /// Reproduce the reference implementation exactly (default).
    BugCompatible,
    /// Standard back-propagation in the output layer and an updated `de1`.
    Clean,
}

const WI0: [[f64; 4]; 5] = [
    [-0.6394, -0.2696, -0.3756, -0.7023],
    [-0.8603, -0.2013, -0.5024, -0.2596],
    [-1.0000, 0.5543, -1.0000, -0.5437],
    [-0.3625, -0.0724, 0.6463, -0.2859],
    [0.1425, 0.0279, -0.5406, -0.7660],
];
const WO0: [[f64; 5]; 3] = [
    [0.7576, 0.2616, 0.5820, -0.1416, -0.1325],
    [-0.1146, 0.2949, 0.8352, 0.2205, 0.4508],
    [0.7201, 0.4566, 0.7672, 0.4962, 0.3632],
];

/// The set-point (target utilisation) of the PID.
pub const PID_SETPOINT: f64 = 0.8;
/// Inner iterations per call.
pub const PID_ITERATIONS: usize = 10;
/// The quota cap `U_max` in millicores used to normalise utilisation.
pub const U_MAX: f64 = 300.0;

/// The NN-PID state (persists across ticks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NnPid {
    mode: PidMode,
    wi: [[f64; 4]; 5],
    wi1: [[f64; 4]; 5],
    wi2: [[f64; 4]; 5],
    wo: [[f64; 5]; 3],
    wo1: [[f64; 5]; 3],
    wo2: [[f64; 5]; 3],
    eta1: f64,
    alpha: f64,
    y: f64,
    y1: f64,
    e1: f64,
    e2: f64,
    u1: f64,
    du: f64,
    de1: f64,
}

impl NnPid {
    /// A fresh PID with the reference's initial weights, η = 0.2, α = 0.95.
    pub fn new(mode: PidMode) -> Self {
        NnPid {
            mode,
            wi: WI0,
            wi1: WI0,
            wi2: WI0,
            wo: WO0,
            wo1: WO0,
            wo2: WO0,
            eta1: 0.2,
            alpha: 0.95,
            y: 0.0,
            y1: 0.0,
            e1: 0.0,
            e2: 0.0,
            u1: 0.0,
            du: 0.0,
            de1: 0.0,
        }
    }

    /// Resets to the fresh state (keeping the mode).
    pub fn reset(&mut self) {
        *self = NnPid::new(self.mode);
    }

    /// One PID iteration toward `setpoint`; returns `y` after the plant update.
    pub fn step(&mut self, setpoint: f64) -> f64 {
        self.y += self.du;
        let y = self.y;
        let e = setpoint - y;
        let x = [setpoint, y, e, 5.0];
        let eps = [e - self.e1, e, e - 2.0 * self.e1 + self.e2];
        let mut i_in = [0.0; 5];
        let mut o = [0.0; 5];
        for h in 0..5 {
            i_in[h] = (0..4).map(|j| self.wi[h][j] * x[j]).sum();
            o[h] = i_in[h].tanh();
        }
        let mut k = [0.0; 3];
        for (i, ki) in k.iter_mut().enumerate() {
            let z: f64 = (0..5).map(|h| self.wo[i][h] * o[h]).sum();
            *ki = z.exp() / (z.exp() + (-z).exp());
        }
        let du: f64 = (0..3).map(|i| k[i] * eps[i]).sum();
        self.du = du;
        let u = self.u1 + du;
        let de = e - self.e1;
        let eta = if de > 1.04 * self.de1 {
            0.7 * self.eta1
        } else if de < self.de1 {
            1.05 * self.eta1
        } else {
            self.eta1
        };
        let g = ((y - self.y1) / (u - self.u1 + 1e-7)).sin();
        let mut delta3 = [0.0; 3];
        for i in 0..3 {
            let dk = 2.0 / (k[i].exp() + (-k[i]).exp()).powi(2);
            delta3[i] = e * g * eps[i] * dk;
        }
        let a = self.alpha;
        let mut wo_new = [[0.0; 5]; 3];
        match self.mode {
            PidMode::BugCompatible => {
                let c = (1.0 - a) * eta * delta3[2] * o[4];
                for i in 0..3 {
                    for h in 0..5 {
                        wo_new[i][h] = self.wo1[i][h] + c + a * (self.wo1[i][h] - self.wo2[i][h]);
                    }
                }
            }
            PidMode::Clean => {
                for i in 0..3 {
                    for h in 0..5 {
                        wo_new[i][h] = self.wo1[i][h]
                            + (1.0 - a) * eta * delta3[i] * o[h]
                            + a * (self.wo1[i][h] - self.wo2[i][h]);
                    }
                }
            }
        }
        let mut wi_new = [[0.0; 4]; 5];
        for h in 0..5 {
            let d_o = 4.0 / (i_in[h].exp() + (-i_in[h]).exp()).powi(2);
            let sigma: f64 = (0..3).map(|i| delta3[i] * wo_new[i][h]).sum();
            let delta2 = d_o * sigma;
            for j in 0..4 {
                wi_new[h][j] = self.wi1[h][j]
                    + (1.0 - a) * eta * delta2 * x[j]
                    + a * (self.wi1[h][j] - self.wi2[h][j]);
            }
        }
        self.u1 = u;
        self.y1 = y;
        self.wo2 = self.wo1;
        self.wo1 = wo_new;
        self.wo = wo_new;
        self.wi2 = self.wi1;
        self.wi1 = wi_new;
        self.wi = wi_new;
        self.e2 = self.e1;
        self.e1 = e;
        self.eta1 = eta;
        if self.mode == PidMode::Clean {
            self.de1 = de;
        }
        y
    }

    /// One `pid_output` call on the last three samples `[u_{t−2}, u_{t−1}, u_t]` (millicores):
    /// returns `(quota, r)` with `quota = mean/r` (unclamped). On a numeric failure the
    /// state is reset and `r = 0.8`.
    pub fn output(&mut self, recent: [f64; 3]) -> (f64, f64) {
        self.y = recent[2] / U_MAX;
        let mut r = PID_SETPOINT;
        for _ in 0..PID_ITERATIONS {
            r = self.step(PID_SETPOINT);
        }
        if !(r.is_finite() && r > 0.0 && self.is_finite()) {
            self.reset();
            r = PID_SETPOINT;
        }
        let mean = (recent[0] + recent[1] + recent[2]) / 3.0;
        (mean / r, r)
    }

    fn is_finite(&self) -> bool {
        self.wi.iter().flatten().all(|v| v.is_finite())
            && self.wo.iter().flatten().all(|v| v.is_finite())
            && [self.y, self.du, self.u1, self.e1, self.eta1]
                .iter()
                .all(|v| v.is_finite())
    }
}
