//! The simple layout: `timestamp,value` rows with or without a header; one series named
//! after the file.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::raw::RawSeries;

use super::LabeledSeries;
use super::cells::{check_width, timestamp, value};
use super::detect::Columns;
use super::text::Record;

/// Reads the data records of a two-column file (`header` is `None` without a header).
pub(crate) fn read(
    rows: &[Record],
    header: Option<&[String]>,
    cols: &Columns,
    source: &str,
) -> Result<Vec<LabeledSeries>> {
    let v = cols.value.unwrap_or(1 - cols.time);
    let mut raw = RawSeries::new(
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    for r in rows {
        check_width(r, 2)?;
        raw.timestamps.push(timestamp(r, cols.time, header)?);
        raw.values.push(value(r, v, header)?);
    }
    if raw.is_empty() {
        return Err(Error::Empty {
            what: format!("{source} (a header but no rows)"),
        });
    }
    Ok(vec![LabeledSeries {
        name: source.to_string(),
        labels: BTreeMap::new(),
        raw,
    }])
}
