//! Prometheus and Grafana exports in, forecasts out.
//!
//! One reader, [`read_bytes`] (or [`read_path`], [`load_series`] for files and folders),
//! detects the layout of what users really export and returns one [`LabeledSeries`] per
//! Prometheus series. The [`Layout`]s:
//!
//! | layout | what it looks like |
//! |---|---|
//! | [`Layout::Simple`] | `timestamp,value` rows, header optional (`time,value`, `ds,y` too) |
//! | [`Layout::Long`] | header `name,timestamp,value,<label columns…>`; one series per label set |
//! | [`Layout::GrafanaLegacy`] | Grafana's old export `"Series";"Time";"Value"`, the series column holding `up{instance="a"}` |
//! | [`Layout::Wide`] | Grafana "series joined by time": `"Time","{__name__=""up"", instance=""a:9090""}",…` |
//! | [`Layout::QueryRangeJson`] | the Prometheus HTTP API `query_range` answer (`resultType` matrix, also vector/scalar) |
//!
//! CSV details handled everywhere: an optional `sep=,` first line (Excel hint that Grafana
//! writes), delimiter `,`, `;` or TAB (detected from the first line, outside quotes; on a tie
//! TAB wins over `;` over `,`), quoted fields with `""` escapes, CRLF or LF line endings, a
//! UTF-8 byte-order mark, UTF-16 text with a byte-order mark, blank lines and `#` comment
//! lines (both skipped). Header names are matched case-insensitively: time columns are
//! `time`, `timestamp`, `ts`, `ds`, `date`, `datetime`, `_time`, `epoch`; value columns
//! `value`, `y`, `val`, `_value`; name columns (long layout) `name`, `__name__`, `metric`,
//! `metric_name`; the legacy Grafana series column is `series`.
//!
//! Timestamps are read by [`parse_timestamp`], values by [`parse_value`] (both documented
//! there). Missing values (empty cells, `NaN`, absent steps) stay missing in the
//! [`RawSeries`]; [`RawSeries::regularize`]
//! fills them according to the [`Fill`] policy, which [`load_series`] does.
//! In the wide layout an empty (or `null`, `undefined`) cell means "this series has no sample
//! at this time" and is dropped, so series sampled at different instants can share one file.
//!
//! Naming: a single-series layout ([`Layout::Simple`]) names its series after the file name
//! (`source`), e.g. `nab_ec2_cpu_utilization_77c1ca.csv`. Multi-series layouts name each series
//! Prometheus style, `up{instance="a:9090",job="x"}` (metric name, then labels sorted by
//! name), or just `{instance="a:9090"}` without a metric name. [`LabeledSeries::labels`] holds
//! every label, including `__name__` when the input had a metric name.
//!
//! Errors: a malformed row gives [`Error::Parse`] with its one-based line
//! and column; an unrecognised layout, binary data, invalid UTF-8 and structural problems in
//! JSON (with a path such as `result[1].values[4]`) give
//! [`Error::Format`]; a file with no observations gives
//! [`Error::Empty`]. No input makes the reader panic (checked by a
//! proptest and the `read_bytes` cargo-fuzz target in `fuzz/`).
//!
//! ```
//! use forecast_core::{Fill, io};
//! let csv = "\"Time\",\"{__name__=\"\"up\"\", instance=\"\"a:9090\"\"}\"\r\n\
//!            2024-01-01 00:00:00,1\r\n2024-01-01 00:01:00,\r\n2024-01-01 00:02:00,3\r\n\
//!            2024-01-01 00:03:00,4\r\n";
//! let (layout, series) = io::read_bytes(csv.as_bytes(), "export.csv").unwrap();
//! assert_eq!(layout, io::Layout::Wide);
//! assert_eq!(series[0].name, "up{instance=\"a:9090\"}");
//! let (s, report) = series[0].raw.regularize(None, Fill::Linear).unwrap();
//! assert_eq!(s.values(), &[1.0, 2.0, 3.0, 4.0]);
//! assert_eq!(report.absent, 1);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::error::{Error, Result};
use crate::raw::{Fill, FillReport, RawSeries};
use crate::series::Series;

mod cells;
mod detect;
mod labels;
mod load;
mod long;
mod query_range;
mod select;
mod simple;
mod text;
mod timestamp;
mod value;
mod wide;
mod write;

pub use labels::series_name;
pub use load::{load_series, read_input};
pub use select::{Selector, select};
pub use timestamp::parse_timestamp;
pub use value::parse_value;
pub use write::{write_forecasts_csv, write_forecasts_json, write_series_csv};

/// The input layouts the reader recognises (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// `timestamp,value` rows, with or without a header.
    Simple,
    /// `name,timestamp,value,<label columns…>`, one series per label set.
    Long,
    /// Grafana's legacy `"Series";"Time";"Value"` export.
    GrafanaLegacy,
    /// Grafana "series joined by time": a time column and one column per series.
    Wide,
    /// Prometheus HTTP API `query_range` (or `query`) JSON.
    QueryRangeJson,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Simple => "simple timestamp,value CSV",
            Layout::Long => "long name,timestamp,value,labels CSV",
            Layout::GrafanaLegacy => "legacy Grafana Series;Time;Value CSV",
            Layout::Wide => "wide Grafana CSV (series joined by time)",
            Layout::QueryRangeJson => "Prometheus query_range JSON",
        })
    }
}

/// One series as read from an input, before regularization.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledSeries {
    /// Display name: the file name for single-series layouts, else Prometheus style
    /// `metric{label="value",…}` with labels sorted by name.
    pub name: String,
    /// All labels, including `__name__` when the input gave a metric name; empty for
    /// single-series layouts.
    pub labels: BTreeMap<String, String>,
    /// The observations in input order (possibly unsorted, gappy, with NaN).
    pub raw: RawSeries,
}

/// A series after [`RawSeries::regularize`]: ready for models.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    /// Display name, as in [`LabeledSeries::name`].
    pub name: String,
    /// Labels, as in [`LabeledSeries::labels`].
    pub labels: BTreeMap<String, String>,
    /// The regular series.
    pub series: Series,
    /// What the fill policy filled (for the one-line report on stderr).
    pub fill: FillReport,
}

impl LabeledSeries {
    /// Regularizes the observations at their inferred step with `fill`.
    ///
    /// Errors are those of [`RawSeries::regularize`]; an
    /// [`Error::Empty`] or [`Error::TooShort`] names this series.
    pub fn regularize(self, fill: Fill) -> Result<NamedSeries> {
        let name = self.name;
        match self.raw.regularize(None, fill) {
            Ok((series, fill)) => Ok(NamedSeries {
                name,
                labels: self.labels,
                series,
                fill,
            }),
            Err(Error::Empty { what }) => Err(Error::Empty {
                what: format!("{what} `{name}`"),
            }),
            Err(Error::TooShort { what, needed, got }) => Err(Error::TooShort {
                what: format!("{what} of series `{name}`"),
                needed,
                got,
            }),
            Err(e) => Err(e),
        }
    }
}

/// Reads an input held in memory, detecting its [`Layout`].
///
/// `source` is the file name: it names the series of single-series layouts and appears in
/// messages. Never panics, whatever the bytes.
///
/// ```
/// use forecast_core::io::{Layout, read_bytes};
/// let (layout, series) = read_bytes(b"1700000000,1.5\n1700000060,250m\n", "cpu.csv").unwrap();
/// assert_eq!(layout, Layout::Simple);
/// assert_eq!(series[0].name, "cpu.csv");
/// assert_eq!(series[0].raw.timestamps, vec![1_700_000_000, 1_700_000_060]);
/// assert_eq!(series[0].raw.values, vec![1.5, 0.25]);
/// ```
pub fn read_bytes(bytes: &[u8], source: &str) -> Result<(Layout, Vec<LabeledSeries>)> {
    let text = text::decode(bytes, source)?;
    detect::read_text(&text, source)
}

/// Reads one file, detecting its layout; single series are named after the file name.
///
/// Errors: [`Error::Io`] when the file cannot be read, then those of [`read_bytes`].
pub fn read_path(path: &Path) -> Result<(Layout, Vec<LabeledSeries>)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    read_bytes(&bytes, &source)
}
