//! [`History`]: the bounded, regular history of one target (a ring of the newest values).
//!
//! ```
//! use forecast_zoo::live::history::History;
//! let mut h = History::new(3, 15);
//! h.push(0, 1.0).unwrap();
//! h.push(15, 2.0).unwrap();
//! h.push(30, 3.0).unwrap();
//! h.push(45, 4.0).unwrap(); // the oldest value is dropped
//! let s = h.series().unwrap();
//! assert_eq!((s.start(), s.values()), (15, &[2.0, 3.0, 4.0][..]));
//! assert!(h.push(75, 5.0).is_err()); // not the next step
//! ```

use std::collections::VecDeque;

use forecast_core::{Error, Result, Series};

/// At most `capacity` values at a fixed step; the oldest value drops out when full.
#[derive(Debug, Clone)]
pub struct History {
    values: VecDeque<f64>,
    capacity: usize,
    step: i64,
    /// Timestamp of `values[0]`.
    start: i64,
}

impl History {
    /// An empty history of at most `capacity` (≥ 1) values `step` seconds apart.
    pub fn new(capacity: usize, step: i64) -> Self {
        History {
            values: VecDeque::with_capacity(capacity.max(1)),
            capacity: capacity.max(1),
            step,
            start: 0,
        }
    }

    /// Number of values held.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The most values held.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The step in seconds.
    pub fn step(&self) -> i64 {
        self.step
    }

    /// The newest `(timestamp, value)`.
    pub fn last(&self) -> Option<(i64, f64)> {
        let v = *self.values.back()?;
        Some((self.start + (self.values.len() as i64 - 1) * self.step, v))
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.values.clear();
    }

    /// Appends the value at `ts`, which must be the next step after the newest value (any
    /// step-aligned time when empty). Errors: [`Error::IrregularStep`]-like
    /// [`Error::InvalidParameter`] naming the timestamps; [`Error::NonFinite`] for NaN/inf.
    pub fn push(&mut self, ts: i64, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::NonFinite {
                row: self.values.len(),
                timestamp: ts,
                value: v,
            });
        }
        match self.last() {
            None => self.start = ts,
            Some((last, _)) if ts == last + self.step => {}
            Some((last, _)) => {
                return Err(Error::invalid_param(
                    "timestamp",
                    format!(
                        "{ts} does not follow the newest point {last} by one {} s step",
                        self.step
                    ),
                ));
            }
        }
        if self.values.len() == self.capacity {
            self.values.pop_front();
            self.start += self.step;
        }
        self.values.push_back(v);
        Ok(())
    }

    /// Appends every point of `s` (same step) that is newer than the newest value.
    pub fn extend(&mut self, s: &Series) -> Result<usize> {
        let after = match self.last() {
            Some((last, _)) => s.after(last),
            None => s.clone(),
        };
        let mut n = 0;
        for (t, v) in after.iter() {
            self.push(t, v)?;
            n += 1;
        }
        Ok(n)
    }

    /// The history as a [`Series`] (a copy). Errors: [`Error::Empty`] when empty.
    pub fn series(&self) -> Result<Series> {
        let (a, b) = self.values.as_slices();
        let mut v = Vec::with_capacity(self.values.len());
        v.extend_from_slice(a);
        v.extend_from_slice(b);
        Series::new(self.start, self.step, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_regular() {
        let mut h = History::new(100, 60);
        let s = Series::new(600, 60, (0..250).map(f64::from).collect()).unwrap();
        assert_eq!(h.extend(&s).unwrap(), 250);
        assert_eq!(h.len(), 100);
        assert_eq!(h.last(), Some((600 + 249 * 60, 249.0)));
        let s2 = Series::new(600 + 240 * 60, 60, (240..260).map(f64::from).collect()).unwrap();
        assert_eq!(h.extend(&s2).unwrap(), 10);
        let y = h.series().unwrap();
        assert_eq!(y.len(), 100);
        assert_eq!(y.start(), 600 + 160 * 60);
        assert_eq!(y.values()[99], 259.0);
        assert!(h.push(0, f64::NAN).is_err());
        h.clear();
        assert!(h.series().is_err());
    }
}
