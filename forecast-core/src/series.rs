//! [`Series`]: a validated, regular time series, and cheap windows over it.
//!
//! A `Series` holds UTC timestamps in whole seconds at a fixed step and finite `f64` values.
//! Timestamps are implied by `start + i·step`, so a series costs one `f64` per point, and the
//! values live behind an `Arc` so that [`Series::tail`], [`Series::window`] and friends are
//! O(1) views that copy nothing (the online forecast path slices a context per decision).
//!
//! Gappy or unvalidated input (what a Prometheus export really looks like) goes through
//! [`RawSeries`](crate::RawSeries) and its `regularize` method first.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A regular, finite, univariate time series with UTC timestamps in seconds.
///
/// Invariants (checked by every constructor): `step > 0`, every value finite.
/// A series may be empty only when it is a window of length zero.
///
/// ```
/// use forecast_core::Series;
/// let s = Series::new(1_700_000_000, 60, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// assert_eq!(s.len(), 4);
/// assert_eq!(s.timestamp(1), 1_700_000_060);
/// let tail = s.tail(2); // a view, no copy
/// assert_eq!(tail.values(), &[3.0, 4.0]);
/// assert_eq!(tail.start(), 1_700_000_120);
/// ```
#[derive(Clone)]
pub struct Series {
    data: Arc<[f64]>,
    offset: usize,
    len: usize,
    /// Timestamp of `data[0]` (not of the view's first point).
    origin: i64,
    step: i64,
}

impl Series {
    /// Builds a series starting at `start` (UTC seconds) with the given `step` (seconds).
    ///
    /// Errors: [`Error::Empty`] for no values, [`Error::InvalidParameter`] for `step <= 0`,
    /// [`Error::NonFinite`] for a NaN or infinite value (naming its row and timestamp).
    pub fn new(start: i64, step: i64, values: Vec<f64>) -> Result<Self> {
        if step <= 0 {
            return Err(Error::invalid_param(
                "step",
                format!("step must be a positive number of seconds, got {step}"),
            ));
        }
        if values.is_empty() {
            return Err(Error::Empty {
                what: "series".into(),
            });
        }
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                row,
                timestamp: start + row as i64 * step,
                value: values[row],
            });
        }
        let len = values.len();
        Ok(Series {
            data: values.into(),
            offset: 0,
            len,
            origin: start,
            step,
        })
    }

    /// Builds a series from explicit timestamps and values, checking that the timestamps are
    /// sorted, unique and exactly one step apart, and that every value is finite.
    ///
    /// `step` is inferred from the first two timestamps when `None`; a single point needs an
    /// explicit step.
    pub fn from_pairs(timestamps: &[i64], values: &[f64], step: Option<i64>) -> Result<Self> {
        if timestamps.len() != values.len() {
            return Err(Error::invalid_param(
                "values",
                format!(
                    "{} timestamps but {} values",
                    timestamps.len(),
                    values.len()
                ),
            ));
        }
        if timestamps.is_empty() {
            return Err(Error::Empty {
                what: "series".into(),
            });
        }
        for row in 1..timestamps.len() {
            let (prev, cur) = (timestamps[row - 1], timestamps[row]);
            if cur < prev {
                return Err(Error::Unsorted {
                    row,
                    timestamp: cur,
                    previous: prev,
                });
            }
            if cur == prev {
                return Err(Error::DuplicateTimestamp {
                    row,
                    timestamp: cur,
                });
            }
        }
        let step = match step {
            Some(s) => s,
            None if timestamps.len() >= 2 => timestamps[1] - timestamps[0],
            None => {
                return Err(Error::invalid_param(
                    "step",
                    "a series of one point needs an explicit step",
                ));
            }
        };
        for row in 1..timestamps.len() {
            let actual = timestamps[row] - timestamps[row - 1];
            if actual != step {
                return Err(Error::IrregularStep {
                    row,
                    timestamp: timestamps[row],
                    expected: step,
                    actual,
                });
            }
        }
        Series::new(timestamps[0], step, values.to_vec())
    }

    /// Number of points in this view.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the view holds no points.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The step between points, in seconds.
    pub fn step(&self) -> i64 {
        self.step
    }

    /// Timestamp of the first point (UTC seconds). For an empty view, the timestamp the
    /// first point would have.
    pub fn start(&self) -> i64 {
        self.origin + self.offset as i64 * self.step
    }

    /// Timestamp of the last point, or `None` for an empty view.
    pub fn end(&self) -> Option<i64> {
        (self.len > 0).then(|| self.timestamp(self.len - 1))
    }

    /// Timestamp of the point after the last one: where a forecast starts.
    pub fn next_timestamp(&self) -> i64 {
        self.start() + self.len as i64 * self.step
    }

    /// Timestamp of point `i` of this view (`i` may be past the end: future timestamps).
    pub fn timestamp(&self, i: usize) -> i64 {
        self.start() + i as i64 * self.step
    }

    /// The values of this view.
    pub fn values(&self) -> &[f64] {
        &self.data[self.offset..self.offset + self.len]
    }

    /// The last value, or `None` for an empty view.
    pub fn last(&self) -> Option<f64> {
        self.values().last().copied()
    }

    /// Iterator over the timestamps of this view.
    pub fn timestamps(&self) -> impl ExactSizeIterator<Item = i64> + '_ {
        let (start, step) = (self.start(), self.step);
        (0..self.len).map(move |i| start + i as i64 * step)
    }

    /// Iterator over `(timestamp, value)` pairs.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i64, f64)> + '_ {
        self.timestamps().zip(self.values().iter().copied())
    }

    /// The `n` timestamps following the last point.
    pub fn future_timestamps(&self, n: usize) -> impl ExactSizeIterator<Item = i64> {
        let (next, step) = (self.next_timestamp(), self.step);
        (0..n).map(move |i| next + i as i64 * step)
    }

    /// A view of points `range` (indices relative to this view). No copy.
    ///
    /// # Panics
    /// When the range is out of bounds, like slice indexing.
    pub fn window(&self, range: Range<usize>) -> Series {
        assert!(
            range.start <= range.end && range.end <= self.len,
            "window {range:?} out of bounds for series of length {}",
            self.len
        );
        Series {
            data: Arc::clone(&self.data),
            offset: self.offset + range.start,
            len: range.end - range.start,
            origin: self.origin,
            step: self.step,
        }
    }

    /// A view of the last `n` points (all of them when `n >= len`). No copy.
    pub fn tail(&self, n: usize) -> Series {
        let n = n.min(self.len);
        self.window(self.len - n..self.len)
    }

    /// A view of the first `n` points (all of them when `n >= len`). No copy.
    pub fn head(&self, n: usize) -> Series {
        self.window(0..n.min(self.len))
    }

    /// Index in this view of the point with timestamp `ts`, if it lies on the grid and inside.
    pub fn index_of(&self, ts: i64) -> Option<usize> {
        let d = ts - self.start();
        if d < 0 || d % self.step != 0 {
            return None;
        }
        let i = (d / self.step) as usize;
        (i < self.len).then_some(i)
    }

    /// The points of this view strictly after timestamp `ts` (a view; empty when none).
    ///
    /// This is how a stateful model finds the observations in a forecast context that are
    /// newer than its training data.
    pub fn after(&self, ts: i64) -> Series {
        let first_after = if ts < self.start() {
            0
        } else {
            (((ts - self.start()) / self.step) + 1).min(self.len as i64) as usize
        };
        self.window(first_after..self.len)
    }

    /// A new series with the same timestamps and different values (checked like [`Series::new`]).
    pub fn with_values(&self, values: Vec<f64>) -> Result<Series> {
        if values.len() != self.len {
            return Err(Error::invalid_param(
                "values",
                format!("expected {} values, got {}", self.len, values.len()),
            ));
        }
        Series::new(self.start(), self.step, values)
    }

    /// True when every value equals the first (a constant series).
    pub fn is_constant(&self) -> bool {
        let v = self.values();
        v.iter().all(|x| *x == v[0])
    }
}

impl std::fmt::Debug for Series {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Series")
            .field("start", &self.start())
            .field("step", &self.step)
            .field("len", &self.len)
            .finish()
    }
}

impl PartialEq for Series {
    fn eq(&self, other: &Self) -> bool {
        self.step == other.step
            && self.len == other.len
            && (self.len == 0 || self.start() == other.start())
            && self.values() == other.values()
    }
}

#[derive(Serialize, Deserialize)]
struct SeriesRepr {
    start: i64,
    step: i64,
    values: Vec<f64>,
}

impl Serialize for Series {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        SeriesRepr {
            start: self.start(),
            step: self.step,
            values: self.values().to_vec(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Series {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let r = SeriesRepr::deserialize(d)?;
        if r.values.is_empty() && r.step > 0 {
            return Ok(Series {
                data: Arc::from(Vec::new()),
                offset: 0,
                len: 0,
                origin: r.start,
                step: r.step,
            });
        }
        Series::new(r.start, r.step, r.values).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_share_storage_and_keep_timestamps() {
        let s = Series::new(100, 10, vec![1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        let w = s.window(1..4);
        assert_eq!(w.values(), &[2.0, 3.0, 4.0]);
        assert_eq!(w.start(), 110);
        assert_eq!(w.end(), Some(130));
        assert_eq!(w.next_timestamp(), 140);
        assert_eq!(w.tail(2).values(), &[3.0, 4.0]);
        assert_eq!(w.tail(2).start(), 120);
        assert!(Arc::ptr_eq(&s.data, &w.data));
        assert_eq!(s.index_of(130), Some(3));
        assert_eq!(s.index_of(135), None);
        assert_eq!(s.after(120).values(), &[4.0, 5.0]);
        assert_eq!(s.after(50).len(), 5);
        assert_eq!(s.after(500).len(), 0);
        assert_eq!(s.future_timestamps(2).collect::<Vec<_>>(), vec![150, 160]);
    }

    #[test]
    fn constructors_reject_bad_input_with_rows() {
        assert!(matches!(
            Series::new(0, 1, vec![1.0, f64::NAN]),
            Err(Error::NonFinite {
                row: 1,
                timestamp: 1,
                ..
            })
        ));
        assert!(matches!(
            Series::new(0, 0, vec![1.0]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            Series::new(0, 1, vec![]),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Series::from_pairs(&[0, 10, 5], &[1.0, 2.0, 3.0], None),
            Err(Error::Unsorted {
                row: 2,
                timestamp: 5,
                previous: 10
            })
        ));
        assert!(matches!(
            Series::from_pairs(&[0, 10, 10], &[1.0, 2.0, 3.0], None),
            Err(Error::DuplicateTimestamp {
                row: 2,
                timestamp: 10
            })
        ));
        assert!(matches!(
            Series::from_pairs(&[0, 10, 30], &[1.0, 2.0, 3.0], None),
            Err(Error::IrregularStep {
                row: 2,
                expected: 10,
                actual: 20,
                ..
            })
        ));
    }

    #[test]
    fn serde_round_trip_of_a_view() {
        let s = Series::new(0, 60, vec![1.0, 2.0, 3.0]).unwrap().tail(2);
        let json = serde_json::to_string(&s).unwrap();
        let back: Series = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.start(), 60);
    }
}
