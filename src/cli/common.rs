//! What several subcommands share: errors and exit codes, input options, `--season`,
//! output files and progress bars.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use forecast_core::io::{NamedSeries, Selector, load_series};
use forecast_core::params::Params;
use forecast_core::season::detect_season_for;
use forecast_core::{Error, Fill, Series};
use forecast_zoo::Registry;
use forecast_zoo::zoo::Zoo;
use indicatif::{ProgressBar, ProgressStyle};

/// A failure of a subcommand: an input/usage problem (exit 2) or an internal one (exit 1).
#[derive(Debug)]
pub enum CliError {
    /// Bad input or options.
    Input(String),
    /// A model or internal failure.
    Internal(String),
}

impl CliError {
    /// The one-line message.
    pub fn message(&self) -> &str {
        match self {
            CliError::Input(m) | CliError::Internal(m) => m,
        }
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Internal(_) => 1,
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        if e.is_input_error() {
            CliError::Input(e.to_string())
        } else {
            CliError::Internal(e.to_string())
        }
    }
}

/// Result of a subcommand.
pub type CliResult<T = ()> = Result<T, CliError>;

/// An input error with a message.
pub fn input_err(msg: impl Into<String>) -> CliError {
    CliError::Input(msg.into())
}

/// `--input`, `--series`, `--fill`.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Input file (CSV or Prometheus query_range JSON) or folder of such files.
    #[arg(long, short)]
    pub input: PathBuf,
    /// Select series by name or label matchers, e.g. 'up{instance="a:9090"}' or
    /// 'instance="a:9090"'.
    #[arg(long)]
    pub series: Option<String>,
    /// Gap policy: linear (interpolate), previous (carry forward) or error (reject gaps,
    /// NaN/inf and irregular steps).
    #[arg(long, default_value = "linear")]
    pub fill: Fill,
}

impl InputArgs {
    /// Loads and regularizes the selected series, printing a fill report per filled series
    /// on stderr unless `quiet`.
    pub fn load(&self, quiet: bool) -> CliResult<Vec<NamedSeries>> {
        let selector = self.series.as_deref().map(Selector::parse).transpose()?;
        let series = load_series(&self.input, selector.as_ref(), self.fill)?;
        if series.is_empty() {
            return Err(input_err(format!(
                "no series found in {}",
                self.input.display()
            )));
        }
        if !quiet {
            for s in series.iter().filter(|s| s.fill.filled() > 0) {
                eprintln!("{}: {}", s.name, s.fill);
            }
        }
        Ok(series)
    }
}

/// `--season`: a number of steps, `auto`, or a duration (`1d`, `24h`, `30m`, `600s`, `1w`)
/// converted by the series step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeasonArg {
    /// Detect per series (fall back to 1).
    #[default]
    Auto,
    /// A number of steps.
    Steps(usize),
    /// A duration in seconds.
    Seconds(i64),
}

impl FromStr for SeasonArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("auto") {
            return Ok(SeasonArg::Auto);
        }
        if let Ok(n) = s.parse::<usize>() {
            return if n == 0 {
                Err("season must be at least 1".into())
            } else {
                Ok(SeasonArg::Steps(n))
            };
        }
        let unit_at = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(unit_at);
        let mult = match unit {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            "w" => 604_800,
            _ => 0,
        };
        match num.parse::<i64>() {
            Ok(n) if n > 0 && mult > 0 => Ok(SeasonArg::Seconds(n * mult)),
            _ => Err(format!(
                "`{s}` is not a season: use auto, a number of steps, or a duration such as 1d, 24h, 30m"
            )),
        }
    }
}

impl SeasonArg {
    /// The season length in steps for `series`.
    pub fn resolve(self, series: &Series) -> CliResult<usize> {
        match self {
            SeasonArg::Auto => Ok(detect_season_for(series).unwrap_or(1)),
            SeasonArg::Steps(n) => Ok(n),
            SeasonArg::Seconds(secs) => {
                let step = series.step();
                if secs % step != 0 {
                    return Err(input_err(format!(
                        "--season of {secs} s is not a whole number of {step} s steps"
                    )));
                }
                Ok((secs / step) as usize)
            }
        }
    }
}

/// Reads the `--config` zoo file, if given (errors name the line and key; exit code 2).
pub fn load_zoo(path: Option<&Path>) -> CliResult<Option<Zoo>> {
    path.map(|p| Zoo::from_config(p).map_err(|e| input_err(format!("{}: {e}", p.display()))))
        .transpose()
}

/// The models to run: `--models` with `all` expanded (every registered model, the ensemble
/// included); with a zoo, its models when `--models` is empty, else the requested subset
/// (each must be in the zoo).
pub fn select_models(
    registry: &Registry,
    zoo: Option<&Zoo>,
    requested: &[String],
) -> CliResult<Vec<String>> {
    let Some(zoo) = zoo else {
        return Ok(registry.expand_models(requested));
    };
    let names = zoo.model_names();
    if requested.is_empty() || requested.iter().any(|m| m.trim() == "all") {
        return Ok(names);
    }
    for m in requested {
        if !names.contains(m) {
            return Err(input_err(format!(
                "model `{m}` is not in the config (it has: {})",
                names.join(", ")
            )));
        }
    }
    Ok(requested.to_vec())
}

/// `base` with the `key=value` pairs of `pairs` set on top (later pairs win).
pub fn with_overrides<'a>(mut base: Params, pairs: impl IntoIterator<Item = &'a String>) -> Params {
    for pair in pairs {
        if let Some((k, v)) = pair.split_once('=') {
            base.set(k.trim(), v.trim());
        }
    }
    base
}

/// Checks `--level` values (percent strictly between 0 and 100).
pub fn check_levels(levels: &[f64]) -> CliResult {
    forecast_core::validate_levels(levels).map_err(CliError::from)
}

/// Creates the output file `path` (with a buffered writer); an error names the path.
pub fn create(path: &Path) -> CliResult<BufWriter<File>> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| Error::io(path, &e).into())
}

/// Flushes a writer, naming `what` on failure.
pub fn finish<W: Write>(mut w: W, what: &Path) -> CliResult {
    w.flush().map_err(|e| Error::io(what, &e).into())
}

/// True when `path` ends in `.json`.
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// A progress bar over `len` jobs on stderr; hidden with `quiet` or when stderr is not a
/// terminal.
pub fn progress(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} backtests ({elapsed}) {msg}")
    {
        pb.set_style(style);
    }
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn season_arg_forms() {
        assert_eq!("auto".parse(), Ok(SeasonArg::Auto));
        assert_eq!("24".parse(), Ok(SeasonArg::Steps(24)));
        assert_eq!("1d".parse(), Ok(SeasonArg::Seconds(86_400)));
        assert_eq!("30m".parse(), Ok(SeasonArg::Seconds(1800)));
        assert!("0".parse::<SeasonArg>().is_err());
        assert!("1y".parse::<SeasonArg>().is_err());
        assert!("h".parse::<SeasonArg>().is_err());
        let s = Series::new(0, 300, vec![1.0; 10]).unwrap();
        assert_eq!(SeasonArg::Seconds(86_400).resolve(&s).unwrap(), 288);
        assert!(SeasonArg::Seconds(100).resolve(&s).is_err());
        assert_eq!(SeasonArg::Auto.resolve(&s).unwrap(), 1);
    }
}
