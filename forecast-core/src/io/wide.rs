//! Grafana's "series joined by time" export: a time column and one column per series,
//! headers such as `{__name__="up", instance="a:9090"}`; empty, `null` and `undefined`
//! cells are absent samples (series sampled at other instants), not NaN rows.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::raw::RawSeries;

use super::LabeledSeries;
use super::cells::{check_width, timestamp, value};
use super::labels::{parse_labels, series_name};
use super::text::Record;
use super::value::is_missing_marker;

/// Reads the data rows of a wide file whose time column is `time`.
pub(crate) fn read(
    header: &[String],
    time: usize,
    rows: &[Record],
    source: &str,
) -> Result<Vec<LabeledSeries>> {
    let cols: Vec<usize> = (0..header.len()).filter(|&i| i != time).collect();
    let mut out: Vec<LabeledSeries> = cols
        .iter()
        .map(|&i| {
            let h = header[i].trim();
            let (name, labels) = match parse_labels(h) {
                _ if h.is_empty() => (format!("column {}", i + 1), BTreeMap::new()),
                Some(l) => (series_name(&l), l),
                None => (h.to_string(), BTreeMap::new()),
            };
            LabeledSeries {
                name,
                labels,
                raw: RawSeries::new(
                    Vec::with_capacity(rows.len()),
                    Vec::with_capacity(rows.len()),
                ),
            }
        })
        .collect();
    for r in rows {
        check_width(r, header.len())?;
        let ts = timestamp(r, time, Some(header))?;
        for (s, &i) in out.iter_mut().zip(&cols) {
            if is_missing_marker(&r.fields[i]) {
                continue;
            }
            s.raw.timestamps.push(ts);
            s.raw.values.push(value(r, i, Some(header))?);
        }
    }
    if rows.is_empty() {
        return Err(Error::Empty {
            what: format!("{source} (a header but no rows)"),
        });
    }
    Ok(out)
}
