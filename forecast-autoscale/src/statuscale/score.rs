//! StatuScale's horizontal urgency score (spec §1.6.1).
//!
//! `s(ρ) = +a^(κρ)/c` for `ρ ≥ switch`, `−a^(κ(1−ρ))/c` below, with `ρ = u/U_max`.
//! Defaults `a = 1.7, κ = 12, c = 10`, switch `ρ = 0.5` (150 m). The bug-compatible switch
//! compares raw millicores with 15 (`u ≥ 15` positive), as the released code does.

use serde::{Deserialize, Serialize};

use crate::error::{Result, check_positive};

/// Parameters of the score function.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreParams {
    /// Base `a` (1.7).
    pub a: f64,
    /// Exponent scale `κ` (12).
    pub kappa: f64,
    /// Divisor `c` (10).
    pub c: f64,
    /// Switch point as a fraction of `u_max` (0.5).
    pub switch: f64,
    /// Normalisation `U_max` in millicores (300).
    pub u_max: f64,
    /// Use the released code's switch at `u = 15` millicores instead of `switch·u_max`.
    pub bug_compatible_switch: bool,
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            a: 1.7,
            kappa: 12.0,
            c: 10.0,
            switch: 0.5,
            u_max: 300.0,
            bug_compatible_switch: false,
        }
    }
}

impl ScoreParams {
    /// Checks every value.
    pub fn validate(&self) -> Result<()> {
        check_positive("score.a", self.a)?;
        check_positive("score.kappa", self.kappa)?;
        check_positive("score.c", self.c)?;
        check_positive("score.u_max", self.u_max)?;
        crate::error::check_range("score.switch", self.switch, 0.0, 1.0)
    }

    /// The score of a sample of `u` millicores.
    pub fn score(&self, u: f64) -> f64 {
        let rho = u / self.u_max;
        let positive = if self.bug_compatible_switch {
            u >= 15.0
        } else {
            rho >= self.switch
        };
        if positive {
            self.a.powf(self.kappa * rho) / self.c
        } else {
            -self.a.powf(self.kappa * (1.0 - rho)) / self.c
        }
    }
}
