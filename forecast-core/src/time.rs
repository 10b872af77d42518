//! Timestamp helpers: formatting UTC seconds as RFC3339.
//!
//! Parsing of the many timestamp spellings found in exports lives in [`crate::io`].

use chrono::{DateTime, SecondsFormat};

/// Formats UTC seconds as RFC3339 with a `Z` suffix, e.g. `2024-01-01T00:00:00Z`.
///
/// Out-of-range values (beyond year ±262143) fall back to the plain number.
///
/// ```
/// assert_eq!(forecast_core::time::format_rfc3339(0), "1970-01-01T00:00:00Z");
/// ```
pub fn format_rfc3339(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| ts.to_string())
}
