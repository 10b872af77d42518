//! Layout detection: JSON or CSV, the delimiter, and which CSV layout the header describes.

use crate::error::{Error, Result};

use super::text::{Record, detect_delimiter, sep_line, split_records};
use super::{LabeledSeries, Layout, long, query_range, simple, wide};

/// Header names of the time column.
const TIME_NAMES: &[&str] = &[
    "time",
    "timestamp",
    "ts",
    "ds",
    "date",
    "datetime",
    "_time",
    "epoch",
];
/// Header names of the value column.
const VALUE_NAMES: &[&str] = &["value", "y", "val", "_value"];
/// Header names of the metric-name column of the long layout.
const NAME_NAMES: &[&str] = &["name", "__name__", "metric", "metric_name"];
/// Header name of the legacy Grafana series column.
const SERIES_NAME: &str = "series";

/// Which column plays which part in a CSV with a header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Columns {
    /// Index of the time column.
    pub time: usize,
    /// Index of the value column (simple, long, legacy layouts).
    pub value: Option<usize>,
    /// Index of the metric-name column (long layout) or series column (legacy layout).
    pub name: Option<usize>,
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// Reads decoded text, detecting JSON or one of the CSV layouts.
pub(crate) fn read_text(text: &str, source: &str) -> Result<(Layout, Vec<LabeledSeries>)> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Ok((Layout::QueryRangeJson, query_range::read(text, source)?));
    }
    let (sep, body, skipped) = sep_line(text);
    let delim = match sep.or_else(|| detect_delimiter(body)) {
        Some(d) => d,
        None => {
            return Err(Error::Format(format!(
                "{source}: the first line has a single column (no `,`, `;` or tab delimiter); \
                 expected CSV such as `timestamp,value` or Prometheus query_range JSON"
            )));
        }
    };
    let records = split_records(body, delim, 1 + skipped)?;
    let Some(first) = records.first() else {
        return Err(Error::Empty {
            what: source.to_string(),
        });
    };
    let data = &records[1..];
    if first.fields.len() >= 2 && looks_like_data(first) {
        if first.fields.len() != 2 {
            return Err(Error::Format(format!(
                "{source}: line {} has {} columns and no header; a file without a header must \
                 have exactly two columns, timestamp and value (add a header such as \
                 `time,<series>,<series>` for several series)",
                first.line,
                first.fields.len()
            )));
        }
        let cols = Columns {
            time: 0,
            value: Some(1),
            name: None,
        };
        return Ok((Layout::Simple, simple::read(&records, None, &cols, source)?));
    }
    let header = &first.fields;
    let Some(time) = find(header, TIME_NAMES) else {
        return Err(Error::Format(format!(
            "{source}: the header `{}` has no time column (expected one of {}), and the first \
             line is not a timestamp,value row",
            super::value::clip(&header.join(&delim.to_string())),
            TIME_NAMES.join(", ")
        )));
    };
    if header.len() < 2 {
        return Err(Error::Format(format!(
            "{source}: the header has only the time column"
        )));
    }
    let value = find(header, VALUE_NAMES);
    if let (Some(series), Some(_)) = (find(header, &[SERIES_NAME]), value)
        && find(header, NAME_NAMES).is_none()
    {
        let cols = Columns {
            time,
            value,
            name: Some(series),
        };
        let out = long::read(header, data, &cols, true, source)?;
        return Ok((Layout::GrafanaLegacy, out));
    }
    if let Some(v) = value {
        let cols = Columns {
            time,
            value: Some(v),
            name: find(header, NAME_NAMES),
        };
        if header.len() == 2 {
            return Ok((
                Layout::Simple,
                simple::read(data, Some(header), &cols, source)?,
            ));
        }
        return Ok((
            Layout::Long,
            long::read(header, data, &cols, false, source)?,
        ));
    }
    // A time column and one other column that is not a series label set: a single series.
    if header.len() == 2 && !header[1 - time].contains('{') {
        let cols = Columns {
            time,
            value: Some(1 - time),
            name: None,
        };
        return Ok((
            Layout::Simple,
            simple::read(data, Some(header), &cols, source)?,
        ));
    }
    Ok((Layout::Wide, wide::read(header, time, data, source)?))
}

/// A headerless first row starts with a timestamp (a header starts with a column name).
fn looks_like_data(r: &Record) -> bool {
    super::parse_timestamp(&r.fields[0]).is_ok()
}
