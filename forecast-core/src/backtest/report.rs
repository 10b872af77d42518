//! Backtest results as flat rows ([`BacktestRow`]), and their CSV and JSON writers.

use std::io::Write;

use serde::{Serialize, Serializer};

use super::run::BacktestResult;
use crate::error::{Error, Result};
use crate::metrics::{IntervalMetrics, Metrics};

/// One line of a backtest report: one model on one series at one horizon, pooled over the
/// horizon's steps (`step = None`) or for one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestRow {
    /// Series name.
    pub series: String,
    /// Model name.
    pub model: String,
    /// Horizon `h`.
    pub horizon: usize,
    /// `None` for the row pooled over steps `1..=h` (printed `all`), else the step.
    #[serde(serialize_with = "step_label")]
    pub step: Option<usize>,
    /// Number of (actual, forecast) pairs scored.
    pub n: usize,
    /// Mean absolute error.
    pub mae: f64,
    /// Mean squared error.
    pub mse: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// MAPE (percent).
    pub mape: f64,
    /// sMAPE (percent).
    pub smape: f64,
    /// MASE.
    pub mase: f64,
    /// RMSSE.
    pub rmsse: f64,
    /// Mean of forecast minus actual.
    pub bias: f64,
    /// Interval scores per level (empty for a model without intervals).
    pub intervals: Vec<IntervalMetrics>,
    /// Total fit wall time of the backtest, seconds (same on every row of a result).
    pub fit_seconds: f64,
    /// Mean forecast wall time per call, milliseconds (same on every row of a result).
    pub forecast_ms_per_call: f64,
    /// Number of origins.
    pub n_origins: usize,
    /// Origin stride.
    pub stride: usize,
}

fn step_label<S: Serializer>(step: &Option<usize>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match step {
        None => s.serialize_str("all"),
        Some(k) => s.serialize_u64(*k as u64),
    }
}

impl BacktestRow {
    fn new(
        series: &str,
        r: &BacktestResult,
        horizon: usize,
        step: Option<usize>,
        m: &Metrics,
    ) -> Self {
        BacktestRow {
            series: series.to_string(),
            model: r.model.clone(),
            horizon,
            step,
            n: m.n,
            mae: m.mae,
            mse: m.mse,
            rmse: m.rmse,
            mape: m.mape,
            smape: m.smape,
            mase: m.mase,
            rmsse: m.rmsse,
            bias: m.bias,
            intervals: m.intervals.clone(),
            fit_seconds: r.fit_seconds,
            forecast_ms_per_call: r.forecast_ms_per_call,
            n_origins: r.grid.origins.len(),
            stride: r.grid.stride,
        }
    }

    /// The interval scores at `level` percent, if computed.
    pub fn interval(&self, level: f64) -> Option<&IntervalMetrics> {
        self.intervals
            .iter()
            .find(|i| (i.level - level).abs() < 1e-9)
    }
}

/// The rows of one result: per horizon, the pooled row then one row per step.
pub fn rows(series: &str, r: &BacktestResult) -> Vec<BacktestRow> {
    let mut out = Vec::new();
    for h in &r.horizons {
        out.push(BacktestRow::new(series, r, h.horizon, None, &h.pooled));
        for (k, m) in h.per_step.iter().enumerate() {
            out.push(BacktestRow::new(series, r, h.horizon, Some(k + 1), m));
        }
    }
    out
}

fn io_err(e: std::io::Error) -> Error {
    Error::Io {
        path: "backtest report".into(),
        message: e.to_string(),
    }
}

/// Quotes a CSV field when it holds a delimiter, quote or line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn level_label(level: f64) -> String {
    format!("{level}")
}

/// Writes `rows` as CSV.
///
/// Columns, in this order:
/// `series,model,horizon,step,mae,rmse,mase,smape,coverage_80,coverage_95,fit_seconds,
/// forecast_ms_per_call,mse,mape,rmsse,bias,n_origins,stride,n`, then `coverage_<L>` for
/// every other level `L` present in the rows (ascending), then `winkler_<L>`,
/// `pinball_lower_<L>`, `pinball_upper_<L>` for 80, 95 and every other level. `step` is `all`
/// on the row pooled over the horizon's steps, else the step number. A level that was not
/// computed for a row (a model without intervals) leaves its cells empty. Numbers use Rust's
/// shortest round-trip formatting (`NaN` and `inf` for undefined values); a series or model
/// name holding a comma, quote or line break is quoted (RFC 4180).
pub fn write_csv<W: Write>(mut w: W, rows: &[BacktestRow]) -> Result<()> {
    // Levels: 80 and 95 always, then every other level present, ascending.
    let mut extra: Vec<f64> = Vec::new();
    for iv in rows.iter().flat_map(|r| &r.intervals) {
        let l = iv.level;
        let known = [80.0, 95.0]
            .iter()
            .chain(extra.iter())
            .any(|&k| (k - l).abs() < 1e-9);
        if !known {
            extra.push(l);
        }
    }
    extra.sort_by(f64::total_cmp);
    let all_levels: Vec<f64> = [80.0, 95.0]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();

    let mut header: Vec<String> = [
        "series",
        "model",
        "horizon",
        "step",
        "mae",
        "rmse",
        "mase",
        "smape",
        "coverage_80",
        "coverage_95",
        "fit_seconds",
        "forecast_ms_per_call",
        "mse",
        "mape",
        "rmsse",
        "bias",
        "n_origins",
        "stride",
        "n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(
        extra
            .iter()
            .map(|&l| format!("coverage_{}", level_label(l))),
    );
    for &l in &all_levels {
        let l = level_label(l);
        header.push(format!("winkler_{l}"));
        header.push(format!("pinball_lower_{l}"));
        header.push(format!("pinball_upper_{l}"));
    }
    writeln!(w, "{}", header.join(",")).map_err(io_err)?;

    let cov = |r: &BacktestRow, l: f64| {
        r.interval(l)
            .map(|i| i.coverage.to_string())
            .unwrap_or_default()
    };
    for r in rows {
        let mut f: Vec<String> = vec![
            csv_field(&r.series),
            csv_field(&r.model),
            r.horizon.to_string(),
            r.step.map_or_else(|| "all".to_string(), |k| k.to_string()),
            r.mae.to_string(),
            r.rmse.to_string(),
            r.mase.to_string(),
            r.smape.to_string(),
            cov(r, 80.0),
            cov(r, 95.0),
            r.fit_seconds.to_string(),
            r.forecast_ms_per_call.to_string(),
            r.mse.to_string(),
            r.mape.to_string(),
            r.rmsse.to_string(),
            r.bias.to_string(),
            r.n_origins.to_string(),
            r.stride.to_string(),
            r.n.to_string(),
        ];
        f.extend(extra.iter().map(|&l| cov(r, l)));
        for &l in &all_levels {
            match r.interval(l) {
                Some(i) => {
                    f.push(i.winkler.to_string());
                    f.push(i.pinball_lower.to_string());
                    f.push(i.pinball_upper.to_string());
                }
                None => f.extend(std::iter::repeat_n(String::new(), 3)),
            }
        }
        writeln!(w, "{}", f.join(",")).map_err(io_err)?;
    }
    w.flush().map_err(io_err)
}

/// Writes `rows` as a pretty-printed JSON array of row objects with the fields of
/// [`BacktestRow`]; `step` is `"all"` or a number, `intervals` a list of
/// `{level, coverage, winkler, pinball_lower, pinball_upper}`; undefined numbers become `null`.
pub fn write_json<W: Write>(mut w: W, rows: &[BacktestRow]) -> Result<()> {
    serde_json::to_writer_pretty(&mut w, rows)?;
    writeln!(w).map_err(io_err)?;
    w.flush().map_err(io_err)
}
