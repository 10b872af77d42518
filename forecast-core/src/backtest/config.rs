//! [`BacktestConfig`] and the origin grid it implies ([`OriginGrid`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::validate_levels;

/// Options of a rolling-origin backtest (see the [module docs](super) for the protocol).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestConfig {
    /// Horizons to score (steps ahead); every origin forecasts the largest one. Default `[1]`.
    pub horizons: Vec<usize>,
    /// Size of the test region; `None` = `floor(0.2·n)`.
    pub test_size: Option<usize>,
    /// Distance between origins; `None` = `max(Hmax, ceil(L / max_origins))` (or `Hmax`).
    pub stride: Option<usize>,
    /// Cap on the number of origins (through the stride); `None` = no cap.
    pub max_origins: Option<usize>,
    /// Refit at every `refit_every`-th origin; in between the model forecasts from the updated
    /// context without refitting. Default 1 (refit at every origin).
    pub refit_every: usize,
    /// Fit on the last `window` points before each refit origin (sliding); `None` = all of
    /// them (expanding).
    pub window: Option<usize>,
    /// Seasonal lag `m` of the MASE/RMSSE scale. Default 1 (naive scale).
    pub season: usize,
    /// Interval levels (percent) to score. Default `[80, 95]`.
    pub levels: Vec<f64>,
}

impl Default for BacktestConfig {
    fn default() -> Self {
        BacktestConfig {
            horizons: vec![1],
            test_size: None,
            stride: None,
            max_origins: None,
            refit_every: 1,
            window: None,
            season: 1,
            levels: vec![80.0, 95.0],
        }
    }
}

/// The forecast origins of a backtest on a series of `n` points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginGrid {
    /// Length of the series.
    pub n: usize,
    /// First test index `T0 = n − test_size`.
    pub t0: usize,
    /// Largest requested horizon; every origin forecasts this many steps.
    pub hmax: usize,
    /// Distance between consecutive origins.
    pub stride: usize,
    /// The origins: the model sees `y[..o]` and forecasts `y[o..o + hmax]`.
    pub origins: Vec<usize>,
}

fn positive(name: &str, v: Option<usize>) -> Result<()> {
    if v == Some(0) {
        return Err(Error::invalid_param(name, "must be at least 1, got 0"));
    }
    Ok(())
}

impl BacktestConfig {
    /// The largest requested horizon (0 when none is given).
    pub fn hmax(&self) -> usize {
        self.horizons.iter().copied().max().unwrap_or(0)
    }

    /// Checks the options on their own (not against a series).
    ///
    /// Errors: [`Error::ZeroHorizon`] for a horizon of 0, [`Error::InvalidParameter`] naming
    /// `horizons`, `test_size`, `stride`, `max_origins`, `refit_every`, `window` or `season`
    /// for an empty list or a zero, [`Error::InvalidLevel`] for a level outside (0, 100).
    pub fn validate(&self) -> Result<()> {
        if self.horizons.is_empty() {
            return Err(Error::invalid_param(
                "horizons",
                "give at least one horizon",
            ));
        }
        if self.horizons.contains(&0) {
            return Err(Error::ZeroHorizon);
        }
        positive("test_size", self.test_size)?;
        positive("stride", self.stride)?;
        positive("max_origins", self.max_origins)?;
        positive("refit_every", Some(self.refit_every))?;
        positive("window", self.window)?;
        positive("season", Some(self.season))?;
        validate_levels(&self.levels)
    }

    /// The origin grid for a series of `n` points.
    ///
    /// Errors: those of [`BacktestConfig::validate`]; [`Error::TooShort`] (naming `backtest`)
    /// when the test region cannot hold the largest horizon or leaves no training data;
    /// [`Error::InvalidParameter`] when an explicit `test_size` is below the largest horizon.
    pub fn grid(&self, n: usize) -> Result<OriginGrid> {
        self.validate()?;
        let hmax = self.hmax();
        let test = match self.test_size {
            Some(t) => {
                if t < hmax {
                    return Err(Error::invalid_param(
                        "test_size",
                        format!(
                            "the test region ({t} points) must hold the largest horizon ({hmax})"
                        ),
                    ));
                }
                if t >= n {
                    return Err(Error::too_short(
                        format!("backtest with a test region of {t} points"),
                        t + 1,
                        n,
                    ));
                }
                t
            }
            None => {
                // floor(0.2·n) == n / 5 exactly for every usize n.
                let t = n / 5;
                if t < hmax || t >= n {
                    return Err(Error::too_short(
                        format!(
                            "backtest with horizon {hmax} (the test region, the last 20% of the series, must hold it)"
                        ),
                        5 * hmax.max(1),
                        n,
                    ));
                }
                t
            }
        };
        let t0 = n - test;
        let span = n - t0 - hmax + 1; // L: number of admissible origins at stride 1
        let stride = match (self.stride, self.max_origins) {
            (Some(s), _) => s,
            (None, Some(cap)) => hmax.max(span.div_ceil(cap)),
            (None, None) => hmax,
        };
        let origins = (t0..=n - hmax).step_by(stride).collect();
        Ok(OriginGrid {
            n,
            t0,
            hmax,
            stride,
            origins,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_grids() {
        // nab_ec2_cpu_utilization_77c1ca: n 4032, T0 3226, stride 12, 67 origins.
        let cfg = BacktestConfig {
            horizons: vec![1, 12],
            max_origins: Some(100),
            ..Default::default()
        };
        let g = cfg.grid(4032).unwrap();
        assert_eq!((g.t0, g.stride, g.origins.len()), (3226, 12, 67));
        // nab_twitter_volume_aapl: n 15902, T0 12722, stride 32, 100 origins.
        let g = cfg.grid(15902).unwrap();
        assert_eq!((g.t0, g.stride, g.origins.len()), (12722, 32, 100));
        // alibaba 1-min: n 8640, T0 6912, stride 18, 96 origins.
        let g = cfg.grid(8640).unwrap();
        assert_eq!((g.t0, g.stride, g.origins.len()), (6912, 18, 96));
        assert!(g.origins.iter().all(|&o| o + 12 <= 8640));
    }

    #[test]
    fn floor_of_a_fifth_is_integer_division() {
        for n in 0..100_000usize {
            assert_eq!((0.2 * n as f64).floor() as usize, n / 5);
        }
    }

    #[test]
    fn bad_options() {
        let base = BacktestConfig::default();
        let cfg = BacktestConfig {
            horizons: vec![0],
            ..base.clone()
        };
        assert_eq!(cfg.grid(100), Err(Error::ZeroHorizon));
        for (name, cfg) in [
            (
                "stride",
                BacktestConfig {
                    stride: Some(0),
                    ..base.clone()
                },
            ),
            (
                "refit_every",
                BacktestConfig {
                    refit_every: 0,
                    ..base.clone()
                },
            ),
            (
                "horizons",
                BacktestConfig {
                    horizons: vec![],
                    ..base.clone()
                },
            ),
            (
                "test_size",
                BacktestConfig {
                    test_size: Some(0),
                    ..base.clone()
                },
            ),
        ] {
            match cfg.validate() {
                Err(Error::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        let cfg = BacktestConfig {
            horizons: vec![3],
            ..base
        };
        match cfg.grid(14) {
            Err(Error::TooShort { what, needed, got }) => {
                assert!(what.starts_with("backtest"));
                assert_eq!((needed, got), (15, 14));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(cfg.grid(15).unwrap().origins, vec![12]);
    }
}
