//! Durations in Prometheus notation (`15s`, `5m`, `1h30m`, `2d`, `1w`; a bare number is
//! seconds) and times for `fetch` (`now`, `now-1h`, RFC3339, Unix seconds).
//!
//! ```
//! use forecast_zoo::live::duration::{parse_duration, parse_time};
//! assert_eq!(parse_duration("1h30m").unwrap(), 5400);
//! assert_eq!(parse_duration("15").unwrap(), 15);
//! assert!(parse_duration("15x").is_err());
//! assert_eq!(parse_time("now-1h", 10_000).unwrap(), 6_400);
//! assert_eq!(parse_time("2024-01-01T00:00:00Z", 0).unwrap(), 1_704_067_200);
//! ```

use serde::{Deserialize, Deserializer};

/// Parses a duration into whole seconds (> 0). Units: `ms` (a whole number of seconds
/// only), `s`, `m`, `h`, `d`, `w`; components may be chained (`1h30m`).
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return if n > 0 {
            Ok(n)
        } else {
            Err(format!("duration `{t}` must be positive"))
        };
    }
    let bad = || format!("`{t}` is not a duration; use e.g. 15s, 5m, 1h30m, 2d");
    let mut rest = t;
    let mut millis: i128 = 0;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let n: i128 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let mult: i128 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        millis = millis.checked_add(n * mult).ok_or_else(bad)?;
    }
    if millis % 1000 != 0 {
        return Err(format!("duration `{t}` must be a whole number of seconds"));
    }
    let secs = millis / 1000;
    if secs <= 0 || secs > i64::MAX as i128 / 4 {
        return Err(format!("duration `{t}` must be positive and reasonable"));
    }
    Ok(secs as i64)
}

/// Parses a time for `fetch`: `now`, `now-<duration>`, `now+<duration>`, or anything
/// [`forecast_core::io::parse_timestamp`] reads (RFC3339, Unix seconds or milliseconds).
pub fn parse_time(s: &str, now: i64) -> Result<i64, String> {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix("now") {
        let rest = rest.trim();
        if rest.is_empty() {
            return Ok(now);
        }
        let (sign, d) = match rest.split_at(1) {
            ("-", d) => (-1, d),
            ("+", d) => (1, d),
            _ => {
                return Err(format!(
                    "`{t}`: expected now, now-<duration> or now+<duration>"
                ));
            }
        };
        return Ok(now + sign * parse_duration(d)?);
    }
    forecast_core::io::parse_timestamp(t)
}

/// Serde helper: a duration as a string (`15s`) or a number of seconds.
pub fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Str(String),
    }
    match Raw::deserialize(d)? {
        Raw::Int(n) if n > 0 => Ok(n),
        Raw::Int(n) => Err(serde::de::Error::custom(format!(
            "duration {n} must be positive"
        ))),
        Raw::Str(s) => parse_duration(&s).map_err(serde::de::Error::custom),
    }
}

/// Serde helper: an optional duration (see [`de_duration`]).
pub fn de_opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    de_duration(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15s"), Ok(15));
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("1w"), Ok(604_800));
        assert_eq!(parse_duration("2000ms"), Ok(2));
        assert_eq!(parse_duration("1m30s"), Ok(90));
        for bad in ["", "s", "0", "-5", "1.5s", "1500ms", "10y", "m5", "5 m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("now", 100), Ok(100));
        assert_eq!(parse_time("now - 30s", 100), Ok(70));
        assert_eq!(parse_time("now+1m", 100), Ok(160));
        assert_eq!(parse_time("1700000000", 0), Ok(1_700_000_000));
        assert!(parse_time("now*2", 0).is_err());
        assert!(parse_time("yesterday", 0).is_err());
    }
}
