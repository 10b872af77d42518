//! [`RawSeries`]: observations as they come out of an export (possibly gappy, with NaN), and
//! [`RawSeries::regularize`], which turns them into a regular [`Series`] under a [`Fill`]
//! policy and reports what it filled.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::series::Series;

/// How missing points (absent steps, NaN or ±inf values) are handled by
/// [`RawSeries::regularize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// Linear interpolation between the neighbouring observed points (the default). Missing
    /// points before the first or after the last observation take the nearest observed value.
    #[default]
    Linear,
    /// Carry the previous observed value forward (leading gaps take the first observed value).
    Previous,
    /// Refuse: any gap or non-finite value is an error naming its row and timestamp.
    Error,
}

impl FromStr for Fill {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "linear" => Ok(Fill::Linear),
            "previous" | "ffill" => Ok(Fill::Previous),
            "error" => Ok(Fill::Error),
            other => Err(Error::invalid_param(
                "fill",
                format!("`{other}` is not a fill policy; use linear, previous or error"),
            )),
        }
    }
}

impl fmt::Display for Fill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fill::Linear => "linear",
            Fill::Previous => "previous",
            Fill::Error => "error",
        })
    }
}

/// What [`RawSeries::regularize`] filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillReport {
    /// Steps that had no row at all in the input.
    pub absent: usize,
    /// Rows whose value was NaN or ±inf.
    pub non_finite: usize,
    /// The first filled timestamp, if any.
    pub first_filled: Option<i64>,
    /// The policy that filled them.
    pub policy: Fill,
}

impl FillReport {
    /// Total number of filled points.
    pub fn filled(&self) -> usize {
        self.absent + self.non_finite
    }
}

impl fmt::Display for FillReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.filled() == 0 {
            return f.write_str("no gaps");
        }
        write!(
            f,
            "filled {} point(s) by {} fill ({} absent step(s), {} NaN/inf value(s)); first at {}",
            self.filled(),
            self.policy,
            self.absent,
            self.non_finite,
            self.first_filled
                .map(crate::time::format_rfc3339)
                .unwrap_or_default()
        )
    }
}

/// Observations as read from a file: timestamps (UTC seconds) and values that may be NaN,
/// with possible gaps. Not yet validated; see [`RawSeries::regularize`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawSeries {
    /// Timestamps in UTC seconds, one per row.
    pub timestamps: Vec<i64>,
    /// Values, one per row; NaN marks a missing value.
    pub values: Vec<f64>,
}

impl RawSeries {
    /// Wraps parallel vectors of timestamps and values.
    pub fn new(timestamps: Vec<i64>, values: Vec<f64>) -> Self {
        RawSeries { timestamps, values }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.timestamps.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.timestamps.is_empty()
    }

    /// Infers the step: the most frequent positive difference between consecutive timestamps
    /// (ties go to the smaller step). `None` with fewer than two rows.
    pub fn infer_step(&self) -> Option<i64> {
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for w in self.timestamps.windows(2) {
            let d = w[1] - w[0];
            if d > 0 {
                *counts.entry(d).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(d, _)| d)
    }

    /// Turns the rows into a regular [`Series`] at `step` seconds (inferred when `None`).
    ///
    /// Checks, in row order: timestamps sorted ([`Error::Unsorted`]) and unique
    /// ([`Error::DuplicateTimestamp`]); every timestamp on the grid `first + k·step`
    /// ([`Error::IrregularStep`]). Absent steps and NaN/±inf values are then filled by `fill`,
    /// or rejected with [`Error::Gap`] / [`Error::NonFinite`] under [`Fill::Error`].
    /// A series with no finite value at all is [`Error::Empty`].
    pub fn regularize(&self, step: Option<i64>, fill: Fill) -> Result<(Series, FillReport)> {
        if self.timestamps.len() != self.values.len() {
            return Err(Error::invalid_param(
                "values",
                format!(
                    "{} timestamps but {} values",
                    self.timestamps.len(),
                    self.values.len()
                ),
            ));
        }
        if self.is_empty() {
            return Err(Error::Empty {
                what: "series".into(),
            });
        }
        let ts = &self.timestamps;
        for row in 1..ts.len() {
            if ts[row] < ts[row - 1] {
                return Err(Error::Unsorted {
                    row,
                    timestamp: ts[row],
                    previous: ts[row - 1],
                });
            }
            if ts[row] == ts[row - 1] {
                return Err(Error::DuplicateTimestamp {
                    row,
                    timestamp: ts[row],
                });
            }
        }
        let step = match step.or_else(|| self.infer_step()) {
            Some(s) if s > 0 => s,
            Some(s) => {
                return Err(Error::invalid_param(
                    "step",
                    format!("step must be positive, got {s}"),
                ));
            }
            None => {
                return Err(Error::too_short("inferring the step", 2, self.len()));
            }
        };
        let start = ts[0];
        for row in 1..ts.len() {
            let d = ts[row] - ts[row - 1];
            if d % step != 0 {
                return Err(Error::IrregularStep {
                    row,
                    timestamp: ts[row],
                    expected: step,
                    actual: d,
                });
            }
        }
        let n = ((ts[ts.len() - 1] - start) / step) as usize + 1;
        // Guard against absurd grids (e.g. a millisecond timestamp among second ones).
        let limit = 16 * ts.len() + 1_000_000;
        if n > limit {
            return Err(Error::Format(format!(
                "timestamps span {n} steps of {step} s for only {} rows; are the timestamps in mixed units?",
                ts.len()
            )));
        }

        let mut grid = vec![f64::NAN; n];
        let mut report = FillReport {
            policy: fill,
            ..Default::default()
        };
        let mut prev_idx: Option<usize> = None;
        for (row, (&t, &v)) in ts.iter().zip(&self.values).enumerate() {
            let idx = ((t - start) / step) as usize;
            if let Some(p) = prev_idx
                && idx > p + 1
            {
                let missing = idx - p - 1;
                if fill == Fill::Error {
                    return Err(Error::Gap {
                        row: row - 1,
                        timestamp: start + (p as i64 + 1) * step,
                        missing,
                    });
                }
                report.absent += missing;
                report
                    .first_filled
                    .get_or_insert(start + (p as i64 + 1) * step);
            }
            if !v.is_finite() {
                if fill == Fill::Error {
                    return Err(Error::NonFinite {
                        row,
                        timestamp: t,
                        value: v,
                    });
                }
                report.non_finite += 1;
                report.first_filled = Some(report.first_filled.map_or(t, |f| f.min(t)));
            } else {
                grid[idx] = v;
            }
            prev_idx = Some(idx);
        }

        let Some(first_ok) = grid.iter().position(|v| v.is_finite()) else {
            return Err(Error::Empty {
                what: "series (no finite value)".into(),
            });
        };
        fill_missing(&mut grid, first_ok, fill);
        Ok((Series::new(start, step, grid)?, report))
    }
}

fn fill_missing(grid: &mut [f64], first_ok: usize, fill: Fill) {
    let lead = grid[first_ok];
    grid[..first_ok].fill(lead);
    let mut last_ok = first_ok;
    let mut i = first_ok + 1;
    while i < grid.len() {
        if grid[i].is_finite() {
            let gap = i - last_ok;
            if gap > 1 {
                let (a, b) = (grid[last_ok], grid[i]);
                for k in 1..gap {
                    grid[last_ok + k] = match fill {
                        Fill::Previous => a,
                        _ => a + (b - a) * (k as f64 / gap as f64),
                    };
                }
            }
            last_ok = i;
        }
        i += 1;
    }
    let trail = grid[last_ok];
    grid[last_ok + 1..].fill(trail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(ts: &[i64], vs: &[f64]) -> RawSeries {
        RawSeries::new(ts.to_vec(), vs.to_vec())
    }

    #[test]
    fn linear_fill_interpolates_absent_steps_and_nan() {
        let r = raw(&[0, 10, 40, 50], &[1.0, f64::NAN, 4.0, 5.0]);
        let (s, rep) = r.regularize(Some(10), Fill::Linear).unwrap();
        assert_eq!(s.values(), &[1.0, 1.75, 2.5, 3.25, 4.0, 5.0]);
        assert_eq!(rep.absent, 2);
        assert_eq!(rep.non_finite, 1);
        assert_eq!(rep.filled(), 3);
        assert_eq!(rep.first_filled, Some(10));
    }

    #[test]
    fn previous_fill_and_edges() {
        let r = raw(&[0, 10, 20, 30], &[f64::NAN, 2.0, f64::NAN, 4.0]);
        let (s, _) = r.regularize(None, Fill::Previous).unwrap();
        assert_eq!(s.values(), &[2.0, 2.0, 2.0, 4.0]);
        let r = raw(&[0, 10, 20], &[1.0, 2.0, f64::INFINITY]);
        let (s, rep) = r.regularize(None, Fill::Linear).unwrap();
        assert_eq!(s.values(), &[1.0, 2.0, 2.0]);
        assert_eq!(rep.non_finite, 1);
    }

    #[test]
    fn error_policy_names_the_gap() {
        let r = raw(&[0, 10, 40], &[1.0, 2.0, 3.0]);
        assert_eq!(
            r.regularize(Some(10), Fill::Error),
            Err(Error::Gap {
                row: 1,
                timestamp: 20,
                missing: 2
            })
        );
        let r = raw(&[0, 10, 20], &[1.0, f64::NAN, 3.0]);
        assert!(matches!(
            r.regularize(None, Fill::Error),
            Err(Error::NonFinite {
                row: 1,
                timestamp: 10,
                ..
            })
        ));
    }

    #[test]
    fn step_inference_and_off_grid_points() {
        let r = raw(&[0, 60, 120, 240, 300], &[1.0; 5]);
        assert_eq!(r.infer_step(), Some(60));
        let r = raw(&[0, 60, 130], &[1.0; 3]);
        assert!(matches!(
            r.regularize(None, Fill::Linear),
            Err(Error::IrregularStep { row: 2, .. })
        ));
        let r = raw(&[0], &[1.0]);
        assert!(matches!(
            r.regularize(None, Fill::Linear),
            Err(Error::TooShort { .. })
        ));
        assert_eq!(r.regularize(Some(5), Fill::Linear).unwrap().0.len(), 1);
    }

    #[test]
    fn all_nan_is_empty() {
        let r = raw(&[0, 10], &[f64::NAN, f64::NAN]);
        assert!(matches!(
            r.regularize(None, Fill::Linear),
            Err(Error::Empty { .. })
        ));
    }
}
