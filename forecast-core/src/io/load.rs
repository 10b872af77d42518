//! Files and folders: [`read_input`] and [`load_series`].

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::raw::Fill;

use super::{LabeledSeries, NamedSeries, Selector, read_path, select};

/// Reads a file, or every `*.csv` and `*.json` file of a folder (sorted by file name, not
/// recursive), returning all series in that order.
///
/// In a folder, `manifest.csv`, files whose name starts with `README` and hidden files are
/// skipped; any other file that fails to read is an error naming it. Errors: [`Error::Io`],
/// [`Error::Empty`] for a folder without inputs, and those of [`read_bytes`](super::read_bytes).
pub fn read_input(path: &Path) -> Result<Vec<LabeledSeries>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if !meta.is_dir() {
        return Ok(read_path(path)?.1);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, &e))? {
        let entry = entry.map_err(|e| Error::io(path, &e))?;
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let skipped = name.starts_with('.')
            || name.eq_ignore_ascii_case("manifest.csv")
            || name.to_ascii_uppercase().starts_with("README");
        if !skipped && (ext == "csv" || ext == "json") && p.is_file() {
            files.push(p);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if files.is_empty() {
        return Err(Error::Empty {
            what: format!("folder {} (no .csv or .json files)", path.display()),
        });
    }
    let mut out = Vec::new();
    for f in &files {
        out.extend(read_path(f)?.1);
    }
    Ok(out)
}

/// Reads a file or folder ([`read_input`]), keeps the series matching `selector`
/// ([`select`]) and regularizes each at its inferred step with `fill`
/// ([`LabeledSeries::regularize`]).
///
/// ```no_run
/// use std::path::Path;
/// use forecast_core::{Fill, io};
/// let sel = io::Selector::parse(r#"instance="a:9090""#).unwrap();
/// for s in io::load_series(Path::new("export.csv"), Some(&sel), Fill::Linear).unwrap() {
///     eprintln!("{}: {} points, {}", s.name, s.series.len(), s.fill);
/// }
/// ```
pub fn load_series(
    path: &Path,
    selector: Option<&Selector>,
    fill: Fill,
) -> Result<Vec<NamedSeries>> {
    select(read_input(path)?, selector)?
        .into_iter()
        .map(|s| s.regularize(fill))
        .collect()
}
