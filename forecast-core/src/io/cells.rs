//! Reading typed cells out of CSV records, with errors that name the line and column.

use crate::error::{Error, Result};

use super::text::Record;

/// Checks that `r` has `n` fields (extra trailing empty fields are tolerated).
pub(crate) fn check_width(r: &Record, n: usize) -> Result<()> {
    let m = r.fields.len();
    if m < n || r.fields[n..].iter().any(|f| !f.trim().is_empty()) {
        return Err(Error::Parse {
            line: r.line,
            column: None,
            message: format!("expected {n} fields like the header, found {m}"),
        });
    }
    Ok(())
}

/// The name of column `i` for messages: the header text, else its one-based number.
pub(crate) fn column_name(header: Option<&[String]>, i: usize) -> String {
    match header.and_then(|h| h.get(i)) {
        Some(h) if !h.trim().is_empty() => super::value::clip(h.trim()),
        _ => format!("{}", i + 1),
    }
}

/// Parses the timestamp in column `i` of `r`.
pub(crate) fn timestamp(r: &Record, i: usize, header: Option<&[String]>) -> Result<i64> {
    super::parse_timestamp(&r.fields[i]).map_err(|message| Error::Parse {
        line: r.line,
        column: Some(column_name(header, i)),
        message,
    })
}

/// Parses the value in column `i` of `r` (empty = NaN).
pub(crate) fn value(r: &Record, i: usize, header: Option<&[String]>) -> Result<f64> {
    super::parse_value(&r.fields[i]).map_err(|message| Error::Parse {
        line: r.line,
        column: Some(column_name(header, i)),
        message,
    })
}
