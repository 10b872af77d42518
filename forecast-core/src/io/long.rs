//! The long layout (`name,timestamp,value,<label columns…>`) and Grafana's legacy
//! `"Series";"Time";"Value"` export: one row per sample, one series per label set.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::raw::RawSeries;

use super::LabeledSeries;
use super::cells::{check_width, timestamp, value};
use super::detect::Columns;
use super::labels::{parse_labels, series_name};
use super::text::Record;

/// Reads the data rows. With `legacy`, `cols.name` is the Grafana series column whose cells
/// hold `metric{label="value"}` (or an alias); otherwise `cols.name` is the optional metric
/// name column and every other column is a label. Series come out in order of first
/// appearance; empty label cells mean "no such label".
pub(crate) fn read(
    header: &[String],
    rows: &[Record],
    cols: &Columns,
    legacy: bool,
    source: &str,
) -> Result<Vec<LabeledSeries>> {
    let v = cols.value.unwrap_or(1);
    let label_cols: Vec<usize> = if legacy {
        Vec::new()
    } else {
        (0..header.len())
            .filter(|&i| i != cols.time && i != v && Some(i) != cols.name)
            .collect()
    };
    let mut out: Vec<LabeledSeries> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in rows {
        check_width(r, header.len())?;
        let (name, labels) = if legacy {
            let cell = cols.name.map_or("", |i| r.fields[i].trim());
            match parse_labels(cell) {
                Some(l) if !cell.is_empty() => (series_name(&l), l),
                _ => (cell.to_string(), BTreeMap::new()),
            }
        } else {
            let mut labels = BTreeMap::new();
            if let Some(i) = cols.name {
                let m = r.fields[i].trim();
                if !m.is_empty() {
                    labels.insert("__name__".to_string(), m.to_string());
                }
            }
            for &i in &label_cols {
                let val = r.fields[i].trim();
                if !val.is_empty() {
                    labels.insert(header[i].trim().to_string(), val.to_string());
                }
            }
            (series_name(&labels), labels)
        };
        let ts = timestamp(r, cols.time, Some(header))?;
        let val = value(r, v, Some(header))?;
        let k = *index.entry(name).or_insert_with_key(|name| {
            out.push(LabeledSeries {
                name: name.clone(),
                labels,
                raw: RawSeries::default(),
            });
            out.len() - 1
        });
        out[k].raw.timestamps.push(ts);
        out[k].raw.values.push(val);
    }
    if out.is_empty() {
        return Err(Error::Empty {
            what: format!("{source} (a header but no rows)"),
        });
    }
    Ok(out)
}
