//! `fetch`: query_range history written in the project's layouts.
//!
//! CSV: one series without labels is written in the simple `timestamp,value` layout; else
//! the long layout `__name__,timestamp,value,<label columns…>` (one row per sample, labels
//! sorted by name, an empty cell for a label a series lacks). JSON: the Prometheus
//! `query_range` answer (`{"status":"success","data":{"resultType":"matrix",…}}`) with the
//! chunks merged. Both read back with [`forecast_core::io::read_bytes`] into the same
//! series.
//!
//! ```
//! use std::collections::BTreeMap;
//! use forecast_core::RawSeries;
//! use forecast_core::io::{LabeledSeries, read_bytes};
//! use forecast_zoo::live::fetch::write_csv;
//! let labels: BTreeMap<String, String> =
//!     [("__name__", "up"), ("job", "api")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//! let s = LabeledSeries { name: "up{job=\"api\"}".into(), labels, raw: RawSeries::new(vec![0, 15], vec![1.0, 0.0]) };
//! let mut out = Vec::new();
//! write_csv(&mut out, &[s.clone()]).unwrap();
//! assert_eq!(
//!     String::from_utf8(out.clone()).unwrap(),
//!     "__name__,timestamp,value,job\nup,1970-01-01T00:00:00Z,1,api\nup,1970-01-01T00:00:15Z,0,api\n"
//! );
//! let (_, back) = read_bytes(&out, "up.csv").unwrap();
//! assert_eq!(back, vec![s]);
//! ```

use std::collections::BTreeSet;
use std::io::Write;

use forecast_core::io::LabeledSeries;
use forecast_core::time::format_rfc3339;
use serde_json::{Map, Value, json};

use super::error::{LiveError, Result};

fn io_err(e: std::io::Error) -> LiveError {
    LiveError::Io {
        what: "writing the output".into(),
        message: e.to_string(),
    }
}

/// Quotes a CSV field when needed (`,`, `"`, `;`, TAB, line breaks, surrounding blanks).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r', ';', '\t']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A sample value as Prometheus writes it (`NaN`, `+Inf`, `-Inf`, shortest round-trip
/// digits otherwise).
pub fn prom_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        let a = v.abs();
        if v == 0.0 || (1e-6..1e16).contains(&a) {
            format!("{v}")
        } else {
            format!("{v:e}")
        }
    }
}

/// Writes the series as CSV (see the [module docs](self)).
pub fn write_csv<W: Write>(w: W, series: &[LabeledSeries]) -> Result<()> {
    let mut w = std::io::BufWriter::new(w);
    if let [one] = series
        && one.labels.is_empty()
    {
        writeln!(w, "timestamp,value").map_err(io_err)?;
        for (&t, &v) in one.raw.timestamps.iter().zip(&one.raw.values) {
            writeln!(w, "{},{}", format_rfc3339(t), prom_float(v)).map_err(io_err)?;
        }
        return w.flush().map_err(io_err);
    }
    let names: BTreeSet<&str> = series
        .iter()
        .flat_map(|s| s.labels.keys().map(String::as_str))
        .filter(|k| *k != "__name__")
        .collect();
    let mut head = String::from("__name__,timestamp,value");
    for n in &names {
        head.push(',');
        head.push_str(&csv_field(n));
    }
    writeln!(w, "{head}").map_err(io_err)?;
    for s in series {
        let metric = csv_field(s.labels.get("__name__").map_or("", String::as_str));
        let mut tail = String::new();
        for n in &names {
            tail.push(',');
            tail.push_str(&csv_field(s.labels.get(*n).map_or("", String::as_str)));
        }
        for (&t, &v) in s.raw.timestamps.iter().zip(&s.raw.values) {
            writeln!(w, "{metric},{},{}{tail}", format_rfc3339(t), prom_float(v))
                .map_err(io_err)?;
        }
    }
    w.flush().map_err(io_err)
}

/// Writes the series as a Prometheus `query_range` JSON answer (see the [module docs](self)).
pub fn write_json<W: Write>(w: W, series: &[LabeledSeries]) -> Result<()> {
    let result: Vec<Value> = series
        .iter()
        .map(|s| {
            let metric: Map<String, Value> = s
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let values: Vec<Value> = s
                .raw
                .timestamps
                .iter()
                .zip(&s.raw.values)
                .map(|(&t, &v)| json!([t, prom_float(v)]))
                .collect();
            json!({ "metric": metric, "values": values })
        })
        .collect();
    let doc = json!({
        "status": "success",
        "data": { "resultType": "matrix", "result": result }
    });
    let mut w = std::io::BufWriter::new(w);
    serde_json::to_writer(&mut w, &doc).map_err(|e| LiveError::Io {
        what: "writing JSON".into(),
        message: e.to_string(),
    })?;
    writeln!(w).map_err(io_err)?;
    w.flush().map_err(io_err)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use forecast_core::RawSeries;
    use forecast_core::io::{Layout, read_bytes};

    use super::*;

    fn series(labels: &[(&str, &str)], ts: Vec<i64>, vs: Vec<f64>) -> LabeledSeries {
        let labels: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        LabeledSeries {
            name: forecast_core::io::series_name(&labels),
            labels,
            raw: RawSeries::new(ts, vs),
        }
    }

    #[test]
    fn csv_and_json_round_trip_through_the_project_reader() {
        let input = vec![
            series(
                &[
                    ("__name__", "http_requests"),
                    ("code", "200"),
                    ("name", "a,b"),
                ],
                vec![1_700_000_000, 1_700_000_015, 1_700_000_045],
                vec![1.5, 2.25e-9, 3e20],
            ),
            series(
                &[
                    ("__name__", "http_requests"),
                    ("code", "500"),
                    ("time", "x"),
                ],
                vec![1_700_000_000, 1_700_000_015],
                vec![0.0, -4.0],
            ),
        ];
        let mut csv = Vec::new();
        write_csv(&mut csv, &input).unwrap();
        let (layout, back) = read_bytes(&csv, "out.csv").unwrap();
        assert_eq!(layout, Layout::Long);
        assert_eq!(back, input, "{}", String::from_utf8_lossy(&csv));

        let mut js = Vec::new();
        write_json(&mut js, &input).unwrap();
        let (layout, back) = read_bytes(&js, "out.json").unwrap();
        assert_eq!(layout, Layout::QueryRangeJson);
        assert_eq!(back, input);
    }

    #[test]
    fn one_unlabelled_series_uses_the_simple_layout() {
        let s = series(&[], vec![0, 60], vec![1.0, f64::NAN]);
        let mut csv = Vec::new();
        write_csv(&mut csv, std::slice::from_ref(&s)).unwrap();
        let text = String::from_utf8(csv.clone()).unwrap();
        assert_eq!(
            text,
            "timestamp,value\n1970-01-01T00:00:00Z,1\n1970-01-01T00:01:00Z,NaN\n"
        );
        let (layout, back) = read_bytes(&csv, "x.csv").unwrap();
        assert_eq!(layout, Layout::Simple);
        assert_eq!(back[0].raw.timestamps, s.raw.timestamps);
        assert!(back[0].raw.values[1].is_nan());
        assert_eq!(prom_float(f64::INFINITY), "+Inf");
        assert_eq!(prom_float(f64::NEG_INFINITY), "-Inf");
    }
}
