//! The Prometheus text exposition format (version 0.0.4), written by hand.
//!
//! Why not `prometheus-client`: it writes OpenMetrics text only, whose counters
//! (`# TYPE x counter` with samples `x_total`) `promtool check metrics` of Prometheus 2.x
//! rejects ("no help text"); the classic text format is what every Prometheus and
//! `promtool` version reads. The rules kept here: each family's `# HELP` and `# TYPE` once,
//! before all its samples; label values escaped (`\\`, `\"`, `\n`), help text escaped
//! (`\\`, `\n`); values `NaN`, `+Inf`, `-Inf` or shortest round-trip digits.
//!
//! ```
//! use forecast_zoo::live::metrics::{Exposition, MetricType};
//! let mut e = Exposition::new();
//! e.family("forecast_zoo_fallback", "1 while the target falls back.", MetricType::Gauge);
//! e.sample("forecast_zoo_fallback", &[("target", "a\"b")], 1.0);
//! // (`concat!` keeps each line starting with `"`: rustdoc hides lines that start with `# `.)
//! let expected = concat!(
//!     "# HELP forecast_zoo_fallback 1 while the target falls back.\n",
//!     "# TYPE forecast_zoo_fallback gauge\n",
//!     "forecast_zoo_fallback{target=\"a\\\"b\"} 1\n",
//! );
//! assert_eq!(e.as_str(), expected);
//! ```

use std::fmt::Write;

use super::fetch::prom_float;

/// The `Content-Type` of [`Exposition`] output.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A metric family's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    /// A value that goes up and down.
    Gauge,
    /// A monotonically increasing total (name ends in `_total`).
    Counter,
}

/// A text exposition being written.
#[derive(Debug, Default, Clone)]
pub struct Exposition {
    buf: String,
}

impl Exposition {
    /// An empty exposition.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty exposition with room for `bytes`.
    pub fn with_capacity(bytes: usize) -> Self {
        Exposition {
            buf: String::with_capacity(bytes),
        }
    }

    /// Starts a family: its `# HELP` and `# TYPE` lines. Call once per family, then
    /// [`Exposition::sample`] for each of its series.
    pub fn family(&mut self, name: &str, help: &str, kind: MetricType) {
        let _ = write!(self.buf, "# HELP {name} ");
        for c in help.chars() {
            match c {
                '\\' => self.buf.push_str("\\\\"),
                '\n' => self.buf.push_str("\\n"),
                c => self.buf.push(c),
            }
        }
        let kind = match kind {
            MetricType::Gauge => "gauge",
            MetricType::Counter => "counter",
        };
        let _ = writeln!(self.buf, "\n# TYPE {name} {kind}");
    }

    /// One sample line `name{labels} value`.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.buf.push_str(name);
        if !labels.is_empty() {
            self.buf.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.buf.push(',');
                }
                self.buf.push_str(k);
                self.buf.push_str("=\"");
                escape_label_value(&mut self.buf, v);
                self.buf.push('"');
            }
            self.buf.push('}');
        }
        self.buf.push(' ');
        self.buf.push_str(&prom_float(value));
        self.buf.push('\n');
    }

    /// The text so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The text.
    pub fn into_string(self) -> String {
        self.buf
    }
}

fn escape_label_value(out: &mut String, v: &str) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_special_values() {
        let mut e = Exposition::with_capacity(256);
        e.family("x_total", "Help with \\ and\nnewline.", MetricType::Counter);
        e.sample("x_total", &[], 3.0);
        e.family("g", "G.", MetricType::Gauge);
        e.sample("g", &[("a", "back\\slash"), ("b", "line\nbreak")], f64::NAN);
        e.sample("g", &[("a", "x")], f64::INFINITY);
        e.sample("g", &[("a", "y")], -0.5);
        e.sample("g", &[("a", "z")], 1.5e-7);
        assert_eq!(
            e.into_string(),
            "# HELP x_total Help with \\\\ and\\nnewline.\n# TYPE x_total counter\nx_total 3\n\
             # HELP g G.\n# TYPE g gauge\n\
             g{a=\"back\\\\slash\",b=\"line\\nbreak\"} NaN\n\
             g{a=\"x\"} +Inf\ng{a=\"y\"} -0.5\ng{a=\"z\"} 1.5e-7\n"
        );
    }
}
