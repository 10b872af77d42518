//! [`parse_timestamp`]: the timestamp spellings found in Prometheus and Grafana exports.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Earliest accepted timestamp: 0000-01-01T00:00:00Z.
const MIN_TS: i64 = -62_167_219_200;
/// Latest accepted timestamp: 9999-12-31T23:59:59Z.
const MAX_TS: i64 = 253_402_300_799;

/// Parses a timestamp into UTC seconds, rounded to the nearest second (halves away from zero).
///
/// Accepted spellings:
/// - **Epoch numbers**, integer or decimal (`1700000000`, `1700000000.5`, `1.7e9`). The unit
///   follows from the magnitude `|x|`: below 10¹¹ seconds, below 10¹⁴ milliseconds (13-digit
///   values such as Grafana's `1700000000000`), below 10¹⁷ microseconds, else nanoseconds.
///   So seconds cover the years up to 5138 and milliseconds every date after 1973-03-03.
/// - **RFC3339** with any offset, converted to UTC: `2024-01-01T00:00:00Z`,
///   `2024-01-01T01:00:00.250+01:00`, also with a space instead of `T` and offsets written
///   `+0100`.
/// - **Without a zone, taken as UTC**: `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (optional
///   fractional seconds), `YYYY-MM-DD HH:MM`, `YYYY-MM-DD` (midnight), and the same with `/`
///   between date parts. A trailing ` UTC` or ` GMT` is accepted.
///
/// Results must lie between the years 0 and 9999. The error is a sentence naming the text.
///
/// ```
/// use forecast_core::io::parse_timestamp;
/// assert_eq!(parse_timestamp("1700000000"), Ok(1_700_000_000));
/// assert_eq!(parse_timestamp("1700000000.5"), Ok(1_700_000_001));
/// assert_eq!(parse_timestamp("1700000000499"), Ok(1_700_000_000)); // milliseconds
/// assert_eq!(parse_timestamp("2023-11-14T23:13:20+01:00"), Ok(1_700_000_000));
/// assert_eq!(parse_timestamp("2023-11-14 22:13:20"), Ok(1_700_000_000));
/// assert!(parse_timestamp("yesterday").is_err());
/// ```
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty timestamp".into());
    }
    let ts = if is_numeric(t) {
        epoch(t)?
    } else {
        datetime(t).ok_or_else(|| {
            format!(
                "`{}` is not a timestamp: expected epoch seconds or milliseconds, RFC3339 \
                 (2024-01-01T00:00:00Z) or YYYY-MM-DD HH:MM:SS (UTC)",
                super::value::clip(t)
            )
        })?
    };
    if !(MIN_TS..=MAX_TS).contains(&ts) {
        return Err(format!(
            "timestamp `{}` is out of range (years 0 to 9999)",
            super::value::clip(t)
        ));
    }
    Ok(ts)
}

/// `[+-]digits[.digits][e[+-]digits]` with at least one mantissa digit.
fn is_numeric(t: &str) -> bool {
    super::value::number_prefix_len(t) == t.len()
}

/// Epoch number in seconds, milliseconds, microseconds or nanoseconds by magnitude.
fn epoch(t: &str) -> Result<i64, String> {
    let too_big = || format!("timestamp `{}` is out of range", super::value::clip(t));
    let is_int = !t.contains(['.', 'e', 'E']);
    if is_int {
        let digits = t.trim_start_matches(['+', '-']).trim_start_matches('0');
        if digits.len() > 30 {
            return Err(too_big());
        }
        let v: i128 = t.parse().map_err(|_| too_big())?;
        let div = divisor(v.unsigned_abs() as f64);
        // Round half away from zero.
        let q = v / div;
        let r = v % div;
        let q = if 2 * r.abs() >= div {
            q + r.signum()
        } else {
            q
        };
        i64::try_from(q).map_err(|_| too_big())
    } else {
        let v: f64 = t.parse().map_err(|_| too_big())?;
        if !v.is_finite() {
            return Err(too_big());
        }
        let secs = (v / divisor(v.abs()) as f64).round();
        if secs.abs() > 1e15 {
            return Err(too_big());
        }
        Ok(secs as i64)
    }
}

fn divisor(magnitude: f64) -> i128 {
    if magnitude < 1e11 {
        1
    } else if magnitude < 1e14 {
        1_000
    } else if magnitude < 1e17 {
        1_000_000
    } else {
        1_000_000_000
    }
}

fn round_nanos(secs: i64, nanos: u32) -> i64 {
    secs + i64::from(nanos >= 500_000_000)
}

fn datetime(t: &str) -> Option<i64> {
    let mut t = t;
    let mut utc_suffix = false;
    for suffix in [" UTC", " GMT", " utc", " gmt"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end();
            utc_suffix = true;
        }
    }
    if !utc_suffix {
        if let Ok(d) = DateTime::parse_from_rfc3339(t) {
            return Some(round_nanos(d.timestamp(), d.timestamp_subsec_nanos()));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f %z",
            "%Y-%m-%dT%H:%M:%S%.f%:z",
            "%Y-%m-%d %H:%M:%S%.f %:z",
        ] {
            if let Ok(d) = DateTime::parse_from_str(t, fmt) {
                return Some(round_nanos(d.timestamp(), d.timestamp_subsec_nanos()));
            }
        }
    }
    let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, fmt) {
            let d = d.and_utc();
            return Some(round_nanos(d.timestamp(), d.timestamp_subsec_nanos()));
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_units_and_rounding() {
        assert_eq!(parse_timestamp(" 1700000000 "), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("1700000000.4999"), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("1.7e9"), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("1700000000500"), Ok(1_700_000_001));
        assert_eq!(parse_timestamp("1700000000000.0"), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("1700000000000000"), Ok(1_700_000_000)); // µs
        assert_eq!(parse_timestamp("1700000000000000000"), Ok(1_700_000_000)); // ns
        assert_eq!(parse_timestamp("99999999999"), Ok(99_999_999_999)); // below 1e11: s
        assert_eq!(parse_timestamp("100000000000"), Ok(100_000_000)); // 1e11: ms
        assert_eq!(parse_timestamp("-1500"), Ok(-1500));
        assert_eq!(parse_timestamp("-100000000500000"), Ok(-100_000_001)); // µs, half away
        assert_eq!(parse_timestamp("0"), Ok(0));
        assert!(parse_timestamp("1e400").is_err());
        assert!(parse_timestamp("99999999999999999999999999999999999999999").is_err());
        assert!(parse_timestamp("").is_err());
    }

    #[test]
    fn calendar_forms() {
        let t = 1_704_067_200; // 2024-01-01T00:00:00Z
        for s in [
            "2024-01-01T00:00:00Z",
            "2024-01-01t00:00:00z",
            "2024-01-01T01:00:00+01:00",
            "2023-12-31T19:00:00-05:00",
            "2024-01-01 01:00:00+01:00",
            "2024-01-01T01:00:00+0100",
            "2024-01-01 01:00:00 +0100",
            "2024-01-01 00:00:00",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.000",
            "2023-12-31 23:59:59.5",
            "2024-01-01 00:00:00 UTC",
            "2024-01-01 00:00",
            "2024-01-01",
            "2024/01/01 00:00:00",
        ] {
            assert_eq!(parse_timestamp(s), Ok(t), "{s}");
        }
        assert_eq!(parse_timestamp("2024-01-01T00:00:00.499Z"), Ok(t));
        assert!(parse_timestamp("2024-13-01 00:00:00").is_err());
        assert!(parse_timestamp("01/02/2024").is_err());
        assert!(parse_timestamp("+10000-01-01T00:00:00Z").is_err());
    }
}
