//! The feature builder shared by the LightGBM and XGBoost forecasters.
//!
//! # Definitions (exact)
//!
//! A feature row describes one *target* `y[t]` from the values strictly before it
//! (`y[..t]`, the *history*) and from the target's timestamp `ts[t]`. With `L = lags`,
//! windows `w_1..w_k` and `U = max(L, w_1, .., w_k)`:
//!
//! 1. **Transformed history** `u`. The target transform maps the last `U` history values
//!    to `u[t-U..t]` and the target to `z[t]`, with an affine inverse
//!    `y[t] = offset + scale·z[t]`:
//!    - `none`: `u[j] = y[j]`, `z[t] = y[t]` (offset 0, scale 1);
//!    - `difference`: `u[j] = y[j] − y[j−1]`, `z[t] = y[t] − y[t−1]` (offset `y[t−1]`,
//!      scale 1; needs `U + 1` history values);
//!    - `ratio` (to the recent level): `ℓ = (1/U)·Σ_{j=t−U}^{t−1} |y[j]|` (taken as 1 when
//!      it is below `1e-300`, i.e. an all-zero window), `u[j] = y[j]/ℓ`, `z[t] = y[t]/ℓ`
//!      (offset 0, scale `ℓ`). Every feature is then bounded by `U` in absolute value.
//! 2. **Lags** `lag_k = u[t−k]` for `k = 1..L`.
//! 3. **Rolling statistics** over each window `w` of `u[t−w..t]` (the `w` values before the
//!    target): `roll_mean_w` (mean), `roll_std_w` (sample standard deviation, divisor
//!    `w − 1`, as pandas' `rolling(w).std()`), `roll_min_w`, `roll_max_w`. Windows are at
//!    least 2.
//! 4. **Calendar** features of the target's timestamp in UTC: `minute` (minute of the hour,
//!    0..59), `hour` (hour of the day, 0..23), `dow` (day of the week, Monday = 0 ..
//!    Sunday = 6). [`Calendar::Auto`] takes `minute` for steps under an hour, `hour` for
//!    steps under a day, `dow` for steps under a week.
//!
//! Column order: `lag_1..lag_L`, then for each window in the order given
//! `roll_mean_w, roll_std_w, roll_min_w, roll_max_w`, then `hour`, `dow`, `minute` (those
//! enabled). With `lags = 24`, no window, `hour` and `dow` this is exactly the layout of the
//! reference feature files (`lag_1..lag_24, hour, dow`).
//!
//! A training series `y[0..n]` gives one row per target `t = need..n` where `need` is
//! [`FeatureLayout::history_len`]; the direct strategy's model for step `h` pairs the row
//! built from `y[..e]` with the target `y[e+h−1]` (and its timestamp).
//!
//! ```
//! use forecast_trees::features::{Calendar, FeatureConfig, Transform};
//! let cfg = FeatureConfig { lags: 3, windows: vec![2], calendar: Calendar::Off, transform: Transform::None };
//! let layout = cfg.resolve(3600).unwrap();
//! assert_eq!(layout.names(), ["lag_1", "lag_2", "lag_3", "roll_mean_2", "roll_std_2", "roll_min_2", "roll_max_2"]);
//! let mut row = vec![0.0; layout.n_features()];
//! let anchor = layout.fill_row(&[1.0, 2.0, 4.0], 0, &mut row);
//! assert_eq!(row, [4.0, 2.0, 1.0, 3.0, std::f64::consts::SQRT_2, 2.0, 4.0]);
//! assert_eq!(anchor.invert(5.0), 5.0);
//! ```

use std::fmt;
use std::str::FromStr;

use forecast_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// Levels below this are treated as an all-zero window by the `ratio` transform (level 1).
pub const MIN_LEVEL: f64 = 1e-300;

/// The target transform (see the module documentation for exact definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transform {
    /// Model the values themselves.
    #[default]
    None,
    /// Model the first differences (trees can then follow level shifts and trends).
    Difference,
    /// Model the values divided by the mean absolute value of the recent window.
    Ratio,
}

impl FromStr for Transform {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Transform::None),
            "difference" | "diff" => Ok(Transform::Difference),
            "ratio" => Ok(Transform::Ratio),
            other => Err(Error::invalid_param(
                "transform",
                format!("`{other}` is not none, difference or ratio"),
            )),
        }
    }
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transform::None => "none",
            Transform::Difference => "difference",
            Transform::Ratio => "ratio",
        })
    }
}

/// Which calendar features to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    /// Chosen from the step: `minute` under an hour, `hour` under a day, `dow` under a week.
    #[default]
    Auto,
    /// No calendar feature.
    Off,
    /// Exactly these fields.
    Fields {
        /// Hour of the day (UTC).
        hour: bool,
        /// Day of the week (UTC, Monday = 0).
        dow: bool,
        /// Minute of the hour.
        minute: bool,
    },
}

impl Calendar {
    /// The fields `(hour, dow, minute)` this choice gives for a series with `step` seconds.
    pub fn fields(self, step: i64) -> (bool, bool, bool) {
        match self {
            Calendar::Auto => (step < 86_400, step < 7 * 86_400, step < 3600),
            Calendar::Off => (false, false, false),
            Calendar::Fields { hour, dow, minute } => (hour, dow, minute),
        }
    }
}

impl FromStr for Calendar {
    type Err = Error;
    /// `auto`, `none`, or a comma-separated subset of `hour,dow,minute`.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Calendar::Auto),
            "none" | "off" | "" => Ok(Calendar::Off),
            list => {
                let (mut hour, mut dow, mut minute) = (false, false, false);
                for part in list.split(',').map(str::trim) {
                    match part {
                        "hour" => hour = true,
                        "dow" => dow = true,
                        "minute" => minute = true,
                        other => {
                            return Err(Error::invalid_param(
                                "calendar",
                                format!(
                                    "`{other}` is not a calendar field; use auto, none or a list of hour,dow,minute"
                                ),
                            ));
                        }
                    }
                }
                Ok(Calendar::Fields { hour, dow, minute })
            }
        }
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Calendar::Auto => f.write_str("auto"),
            Calendar::Off => f.write_str("none"),
            Calendar::Fields { hour, dow, minute } => {
                let parts: Vec<&str> = [(hour, "hour"), (dow, "dow"), (minute, "minute")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, n)| *n)
                    .collect();
                if parts.is_empty() {
                    f.write_str("none")
                } else {
                    f.write_str(&parts.join(","))
                }
            }
        }
    }
}

/// What features to build: the user-facing options, validated by [`FeatureConfig::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Number of lags `L` (at least 1). Default 24.
    pub lags: usize,
    /// Rolling-statistic windows (each at least 2). Default none.
    pub windows: Vec<usize>,
    /// Calendar features. Default [`Calendar::Auto`].
    pub calendar: Calendar,
    /// Target transform. Default [`Transform::None`].
    pub transform: Transform,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            lags: 24,
            windows: Vec::new(),
            calendar: Calendar::Auto,
            transform: Transform::None,
        }
    }
}

/// Largest accepted lag or window (a guard against absurd configurations).
pub const MAX_SPAN: usize = 100_000;

impl FeatureConfig {
    /// Only lags `1..=lags`: no window, no calendar, no transform (e.g. the StatuScale
    /// forecaster's five lags).
    pub fn lags_only(lags: usize) -> Self {
        FeatureConfig {
            lags,
            windows: Vec::new(),
            calendar: Calendar::Off,
            transform: Transform::None,
        }
    }

    /// Checks the options ([`Error::InvalidParameter`] naming `lags` or `windows`).
    pub fn validate(&self) -> Result<()> {
        if self.lags == 0 || self.lags > MAX_SPAN {
            return Err(Error::invalid_param(
                "lags",
                format!("lags must be between 1 and {MAX_SPAN}, got {}", self.lags),
            ));
        }
        if let Some(w) = self.windows.iter().find(|&&w| !(2..=MAX_SPAN).contains(&w)) {
            return Err(Error::invalid_param(
                "windows",
                format!("every window must be between 2 and {MAX_SPAN}, got {w}"),
            ));
        }
        Ok(())
    }

    /// The concrete layout for a series with `step` seconds (validates first).
    pub fn resolve(&self, step: i64) -> Result<FeatureLayout> {
        self.validate()?;
        let (hour, dow, minute) = self.calendar.fields(step);
        Ok(FeatureLayout {
            lags: self.lags,
            windows: self.windows.clone(),
            hour,
            dow,
            minute,
            transform: self.transform,
        })
    }
}

/// The affine map from a model output `z` back to the series scale: `offset + scale·z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Added after scaling (the last value for `difference`, else 0).
    pub offset: f64,
    /// Multiplier (the recent level for `ratio`, else 1).
    pub scale: f64,
}

impl Anchor {
    /// `offset + scale·z`: the forecast on the series scale.
    pub fn invert(&self, z: f64) -> f64 {
        self.offset + self.scale * z
    }

    /// `(y − offset)/scale`: the training target for value `y`.
    pub fn apply(&self, y: f64) -> f64 {
        (y - self.offset) / self.scale
    }
}

/// A resolved feature layout: the columns a fitted model expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureLayout {
    /// Number of lags.
    pub lags: usize,
    /// Rolling windows.
    pub windows: Vec<usize>,
    /// Hour-of-day column present.
    pub hour: bool,
    /// Day-of-week column present.
    pub dow: bool,
    /// Minute-of-hour column present.
    pub minute: bool,
    /// Target transform.
    pub transform: Transform,
}

/// Hour of the day (0..23) of UTC seconds `ts`.
pub fn hour_of_day(ts: i64) -> u32 {
    (ts.rem_euclid(86_400) / 3600) as u32
}

/// Day of the week (Monday = 0 .. Sunday = 6) of UTC seconds `ts` (1970-01-01 was a
/// Thursday).
pub fn day_of_week(ts: i64) -> u32 {
    (ts.div_euclid(86_400) + 3).rem_euclid(7) as u32
}

/// Minute of the hour (0..59) of UTC seconds `ts`.
pub fn minute_of_hour(ts: i64) -> u32 {
    (ts.rem_euclid(3600) / 60) as u32
}

impl FeatureLayout {
    /// `U = max(lags, windows)`: how many transformed values a row reads.
    pub fn span(&self) -> usize {
        self.windows.iter().copied().fold(self.lags, usize::max)
    }

    /// How many history values (before the target) a row needs: `U`, plus one for
    /// `difference`.
    pub fn history_len(&self) -> usize {
        self.span() + usize::from(self.transform == Transform::Difference)
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.lags
            + 4 * self.windows.len()
            + usize::from(self.hour)
            + usize::from(self.dow)
            + usize::from(self.minute)
    }

    /// Column names, in order.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = (1..=self.lags).map(|k| format!("lag_{k}")).collect();
        for w in &self.windows {
            for stat in ["mean", "std", "min", "max"] {
                names.push(format!("roll_{stat}_{w}"));
            }
        }
        for (on, name) in [
            (self.hour, "hour"),
            (self.dow, "dow"),
            (self.minute, "minute"),
        ] {
            if on {
                names.push(name.to_string());
            }
        }
        names
    }

    /// The target transform's anchor for a target following `hist` (see the module docs).
    ///
    /// # Panics
    /// When `hist` holds fewer than [`FeatureLayout::history_len`] values.
    pub fn anchor(&self, hist: &[f64]) -> Anchor {
        let n = hist.len();
        match self.transform {
            Transform::None => Anchor {
                offset: 0.0,
                scale: 1.0,
            },
            Transform::Difference => Anchor {
                offset: hist[n - 1],
                scale: 1.0,
            },
            Transform::Ratio => {
                let u = self.span();
                let inv = 1.0 / u as f64;
                // Each term is scaled first so the sum cannot overflow.
                let level: f64 = hist[n - u..].iter().map(|v| v.abs() * inv).sum();
                let scale = if level >= MIN_LEVEL && level.is_finite() {
                    level
                } else {
                    1.0
                };
                Anchor { offset: 0.0, scale }
            }
        }
    }

    /// Writes the feature row for the target that follows `hist` (the series values before
    /// it, oldest first; only the last [`FeatureLayout::history_len`] are read) and has
    /// timestamp `target_ts`, into `row` (length [`FeatureLayout::n_features`]). Returns the
    /// transform's anchor. Allocates nothing.
    ///
    /// # Panics
    /// When `hist` is shorter than [`FeatureLayout::history_len`] or `row` has the wrong
    /// length (both are the caller's invariants, checked by the forecasters).
    pub fn fill_row(&self, hist: &[f64], target_ts: i64, row: &mut [f64]) -> Anchor {
        assert!(
            hist.len() >= self.history_len() && row.len() == self.n_features(),
            "fill_row: history {} < {} or row {} != {}",
            hist.len(),
            self.history_len(),
            row.len(),
            self.n_features()
        );
        let anchor = self.anchor(hist);
        let n = hist.len();
        // u(k) = transformed value k steps before the target (k = 1..=U).
        let u = |k: usize| -> f64 {
            let y = hist[n - k];
            match self.transform {
                Transform::None => y,
                Transform::Difference => y - hist[n - k - 1],
                Transform::Ratio => y / anchor.scale,
            }
        };
        let mut c = 0;
        for k in 1..=self.lags {
            row[c] = u(k);
            c += 1;
        }
        for &w in &self.windows {
            let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
            for k in 1..=w {
                let v = u(k);
                sum += v;
                lo = lo.min(v);
                hi = hi.max(v);
            }
            let mean = sum / w as f64;
            let mut ss = 0.0;
            for k in 1..=w {
                let d = u(k) - mean;
                ss += d * d;
            }
            row[c] = mean;
            row[c + 1] = (ss / (w - 1) as f64).sqrt();
            row[c + 2] = lo;
            row[c + 3] = hi;
            c += 4;
        }
        if self.hour {
            row[c] = f64::from(hour_of_day(target_ts));
            c += 1;
        }
        if self.dow {
            row[c] = f64::from(day_of_week(target_ts));
            c += 1;
        }
        if self.minute {
            row[c] = f64::from(minute_of_hour(target_ts));
        }
        anchor
    }

    /// The training matrix for step `h` (1-based; 1 for the recursive strategy) of a series
    /// with values `y` and timestamps `start + i·step`: row-major features (one row per
    /// history end `e = need..=n−h`, target `y[e+h−1]`) and the transformed targets.
    ///
    /// Errors: [`Error::TooShort`] when no row fits; [`Error::Model`] naming the column and
    /// timestamp when a feature or target overflows to a non-finite value.
    pub fn training_matrix(
        &self,
        what: &str,
        y: &[f64],
        start: i64,
        step: i64,
        h: usize,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let need = self.history_len();
        let nf = self.n_features();
        if y.len() < need + h {
            return Err(Error::too_short(what, need + h, y.len()));
        }
        let rows = y.len() - need - h + 1;
        let mut x = vec![0.0; rows * nf];
        let mut target = Vec::with_capacity(rows);
        for (r, row) in x.chunks_exact_mut(nf).enumerate() {
            let e = need + r;
            let t = e + h - 1;
            let ts = start + t as i64 * step;
            let anchor = self.fill_row(&y[..e], ts, row);
            let z = anchor.apply(y[t]);
            if let Some(c) = row.iter().position(|v| !v.is_finite()) {
                return Err(Error::model(
                    what,
                    format!(
                        "feature `{}` is {} for the target at {} (values too large for the transform)",
                        self.names()[c],
                        row[c],
                        forecast_core::time::format_rfc3339(ts)
                    ),
                ));
            }
            if !z.is_finite() {
                return Err(Error::model(
                    what,
                    format!(
                        "the transformed target at {} is {z} (values too large for the transform)",
                        forecast_core::time::format_rfc3339(ts)
                    ),
                ));
            }
            target.push(z);
        }
        Ok((x, target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_by_hand() {
        // 2024-01-01T00:00:00Z was a Monday.
        let monday = 1_704_067_200;
        assert_eq!(day_of_week(monday), 0);
        assert_eq!(day_of_week(monday + 6 * 86_400 + 86_399), 6);
        assert_eq!(day_of_week(0), 3); // Thursday
        assert_eq!(day_of_week(-1), 2); // Wednesday 1969-12-31
        assert_eq!(hour_of_day(monday + 13 * 3600 + 59), 13);
        assert_eq!(minute_of_hour(monday + 13 * 3600 + 7 * 60 + 59), 7);
        assert_eq!(hour_of_day(-1), 23);
        assert_eq!(minute_of_hour(-1), 59);
    }

    #[test]
    fn auto_calendar_by_step() {
        assert_eq!(Calendar::Auto.fields(60), (true, true, true));
        assert_eq!(Calendar::Auto.fields(3600), (true, true, false));
        assert_eq!(Calendar::Auto.fields(86_400), (false, true, false));
        assert_eq!(Calendar::Auto.fields(7 * 86_400), (false, false, false));
        assert_eq!(
            "hour,minute".parse::<Calendar>().unwrap().fields(60),
            (true, false, true)
        );
        assert!("hour,week".parse::<Calendar>().is_err());
        assert_eq!("none".parse::<Calendar>().unwrap(), Calendar::Off);
    }

    #[test]
    fn difference_and_ratio_by_hand() {
        let mut cfg = FeatureConfig::lags_only(2);
        cfg.transform = Transform::Difference;
        let l = cfg.resolve(60).unwrap();
        assert_eq!(l.history_len(), 3);
        let mut row = [0.0; 2];
        let a = l.fill_row(&[10.0, 1.0, 3.0, 7.0], 0, &mut row);
        assert_eq!(row, [4.0, 2.0]);
        assert_eq!(a.invert(1.5), 8.5);
        assert_eq!(a.apply(8.5), 1.5);

        cfg.transform = Transform::Ratio;
        cfg.windows = vec![3];
        let l = cfg.resolve(60).unwrap();
        assert_eq!(l.history_len(), 3);
        let mut row = [0.0; 6];
        // level = (|2| + |-4| + |6|)/3 = 4
        let a = l.fill_row(&[2.0, -4.0, 6.0], 0, &mut row);
        assert_eq!(a.scale, 4.0);
        assert_eq!(&row[..2], &[1.5, -1.0]);
        assert_eq!(row[2], (0.5 - 1.0 + 1.5) / 3.0);
        assert_eq!(row[4], -1.0);
        assert_eq!(row[5], 1.5);
        // all-zero window: level 1
        let a = l.fill_row(&[0.0, 0.0, 0.0], 0, &mut row);
        assert_eq!(a.scale, 1.0);
    }

    #[test]
    fn training_matrix_rows_and_direct_targets() {
        let l = FeatureConfig::lags_only(2).resolve(60).unwrap();
        let y = [1.0, 2.0, 3.0, 4.0, 5.0];
        let (x, t) = l.training_matrix("m", &y, 0, 60, 1).unwrap();
        assert_eq!(x, [2.0, 1.0, 3.0, 2.0, 4.0, 3.0]);
        assert_eq!(t, [3.0, 4.0, 5.0]);
        let (x, t) = l.training_matrix("m", &y, 0, 60, 3).unwrap();
        assert_eq!(x, [2.0, 1.0]);
        assert_eq!(t, [5.0]);
        assert!(matches!(
            l.training_matrix("m", &y, 0, 60, 4),
            Err(Error::TooShort {
                needed: 6,
                got: 5,
                ..
            })
        ));
    }

    #[test]
    fn validation_names_the_parameter() {
        let e = FeatureConfig::lags_only(0).validate().unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "lags"));
        let mut c = FeatureConfig::lags_only(3);
        c.windows = vec![1];
        let e = c.validate().unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "windows"));
    }
}
