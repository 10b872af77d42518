//! Writers: forecasts as CSV or JSON, and a series in the simple `timestamp,value` layout.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::forecast::Forecast;
use crate::series::Series;
use crate::time::format_rfc3339;

fn io_err(e: std::io::Error) -> Error {
    Error::Io {
        path: "output".into(),
        message: e.to_string(),
    }
}

/// Quotes a CSV field when it holds a comma, quote, line break or surrounding blanks.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r', ';', '\t']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// Formats a value so that it reads back to the same `f64` (shortest round-trip digits;
/// exponent notation for very large or small magnitudes).
fn number(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || (1e-6..1e16).contains(&a) || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Writes forecasts as CSV: columns `series,timestamp,point`, then `lower_<level>` and
/// `upper_<level>` for every level (the union over all items, in order of first
/// appearance, printed like `80` or `97.5`; an item without that level leaves the cells
/// empty). Timestamps are RFC3339 UTC; series names are quoted when they hold commas or quotes.
///
/// ```
/// use forecast_core::{Forecast, io::write_forecasts_csv};
/// let mut f = Forecast::default();
/// f.reset(0, 60, 2, &[80.0]).unwrap();
/// f.point.copy_from_slice(&[1.0, 2.5]);
/// f.set_normal_intervals(|_| 0.0).unwrap();
/// let mut out = Vec::new();
/// write_forecasts_csv(&mut out, &[("cpu.csv", &f)]).unwrap();
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "series,timestamp,point,lower_80,upper_80\n\
///      cpu.csv,1970-01-01T00:00:00Z,1,1,1\n\
///      cpu.csv,1970-01-01T00:01:00Z,2.5,2.5,2.5\n"
/// );
/// ```
pub fn write_forecasts_csv<W: Write>(w: W, items: &[(&str, &Forecast)]) -> Result<()> {
    let mut w = std::io::BufWriter::new(w);
    let mut levels: Vec<f64> = Vec::new();
    for (_, f) in items {
        for iv in &f.intervals {
            if !levels.iter().any(|l| (l - iv.level).abs() < 1e-9) {
                levels.push(iv.level);
            }
        }
    }
    let mut head = String::from("series,timestamp,point");
    for l in &levels {
        head.push_str(&format!(",lower_{l},upper_{l}"));
    }
    writeln!(w, "{head}").map_err(io_err)?;
    for (name, f) in items {
        let name = csv_field(name);
        for (h, (&t, &p)) in f.timestamps.iter().zip(&f.point).enumerate() {
            let mut line = format!("{name},{},{}", format_rfc3339(t), number(p));
            for &l in &levels {
                match f.interval(l) {
                    Some(iv) => {
                        let lo = iv.lower.get(h).map_or(String::new(), |&v| number(v));
                        let hi = iv.upper.get(h).map_or(String::new(), |&v| number(v));
                        line.push_str(&format!(",{lo},{hi}"));
                    }
                    None => line.push_str(",,"),
                }
            }
            writeln!(w, "{line}").map_err(io_err)?;
        }
    }
    w.flush().map_err(io_err)
}

#[derive(Serialize)]
struct Item<'a> {
    series: &'a str,
    forecast: &'a Forecast,
}

/// Writes forecasts as a pretty-printed JSON array
/// `[{"series": "<name>", "forecast": <Forecast>}, …]`, where the forecast is serialized as
/// [`Forecast`] (`timestamps` in UTC seconds, `point`, `intervals` with `level`, `lower`,
/// `upper`).
pub fn write_forecasts_json<W: Write>(w: W, items: &[(&str, &Forecast)]) -> Result<()> {
    let list: Vec<Item<'_>> = items
        .iter()
        .map(|(series, forecast)| Item { series, forecast })
        .collect();
    let mut w = std::io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &list)?;
    writeln!(w).map_err(io_err)?;
    w.flush().map_err(io_err)
}

/// Writes a series in the simple layout: header `timestamp,value`, RFC3339 timestamps and
/// values that read back exactly ([`read_bytes`](super::read_bytes) returns the same points).
pub fn write_series_csv<W: Write>(w: W, series: &Series) -> Result<()> {
    let mut w = std::io::BufWriter::new(w);
    writeln!(w, "timestamp,value").map_err(io_err)?;
    for (t, v) in series.iter() {
        writeln!(w, "{},{}", format_rfc3339(t), number(v)).map_err(io_err)?;
    }
    w.flush().map_err(io_err)
}
