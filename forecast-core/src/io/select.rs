//! [`Selector`]: picking series by name or Prometheus label matchers, and [`select`].

use std::fmt;

use regex::Regex;

use crate::error::{Error, Result};

use super::LabeledSeries;
use super::labels::{Op, parse_selector};

/// Picks series out of an input.
///
/// Accepted forms:
/// - a **plain name**: matches a series whose name is exactly that (e.g. the file name
///   `cpu.csv`, or the file name without its extension, `cpu`), or whose `__name__` label is
///   that (e.g. `up`);
/// - the **exact series name** as printed by the reader, e.g. `up{instance="a:9090",job="x"}`;
/// - **label matchers** in PromQL syntax, with or without braces and metric name:
///   `instance="a:9090"`, `{job="api",instance=~"a.*"}`, `up{job!="batch"}`.
///   Operators `=`, `!=`, `=~`, `!~`; the regular expressions use the `regex` crate's syntax
///   (RE2-like, as Prometheus) and are anchored at both ends, as in Prometheus. Values are
///   double-, single- or back-quoted. A missing label matches like the empty string (so
///   `job!="x"` matches series without `job`). `__name__` matches the metric name; for a
///   series without labels (a single-series file) it is the series name.
///
/// ```
/// use forecast_core::io::{Selector, read_bytes};
/// let json = r#"{"status":"success","data":{"resultType":"matrix","result":[
///   {"metric":{"__name__":"up","instance":"a:9090"},"values":[[1700000000,"1"]]},
///   {"metric":{"__name__":"up","instance":"b:9090"},"values":[[1700000000,"0"]]}]}}"#;
/// let (_, series) = read_bytes(json.as_bytes(), "q.json").unwrap();
/// let sel = Selector::parse(r#"instance=~"b.*""#).unwrap();
/// let hits: Vec<_> = series.iter().filter(|s| sel.matches(s)).collect();
/// assert_eq!(hits.len(), 1);
/// assert_eq!(hits[0].name, r#"up{instance="b:9090"}"#);
/// assert!(Selector::parse("up").unwrap().matches(&series[0]));
/// ```
#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    plain: Option<String>,
    matchers: Vec<Matcher>,
}

#[derive(Debug, Clone)]
struct Matcher {
    name: String,
    op: Op,
    value: String,
    regex: Option<Regex>,
}

impl Matcher {
    fn matches(&self, actual: &str) -> bool {
        match (self.op, &self.regex) {
            (Op::Eq, _) => actual == self.value,
            (Op::Ne, _) => actual != self.value,
            (Op::Re, Some(re)) => re.is_match(actual),
            (Op::Nre, Some(re)) => !re.is_match(actual),
            _ => false,
        }
    }
}

impl Selector {
    /// Parses a selector (see the type's docs). Errors: [`Error::InvalidParameter`] for the
    /// parameter `series`, naming what is wrong (empty text, bad syntax, invalid regex).
    pub fn parse(s: &str) -> Result<Selector> {
        let text = s.trim();
        let bad = |reason: String| Error::invalid_param("series", reason);
        if text.is_empty() {
            return Err(bad("the series selector is empty".into()));
        }
        let operator_chars = ['{', '}', '=', '~', '"', '\'', '`'];
        if !text.contains(operator_chars) {
            return Ok(Selector {
                text: text.to_string(),
                plain: Some(text.to_string()),
                matchers: Vec::new(),
            });
        }
        let parsed = parse_selector(text, false)
            .map_err(|e| bad(format!("invalid selector `{text}`: {e}")))?;
        let mut matchers = Vec::with_capacity(parsed.matchers.len());
        for m in parsed.matchers {
            let regex = match m.op {
                Op::Re | Op::Nre => {
                    Some(Regex::new(&format!("^(?:{})$", m.value)).map_err(|e| {
                        bad(format!("invalid regular expression `{}`: {e}", m.value))
                    })?)
                }
                _ => None,
            };
            matchers.push(Matcher {
                name: m.name,
                op: m.op,
                value: m.value,
                regex,
            });
        }
        Ok(Selector {
            text: text.to_string(),
            plain: None,
            matchers,
        })
    }

    /// True when the series matches.
    pub fn matches(&self, s: &LabeledSeries) -> bool {
        if s.name == self.text {
            return true;
        }
        if let Some(p) = &self.plain {
            return s.labels.get("__name__") == Some(p)
                || s.name.rsplit_once('.').is_some_and(|(stem, _)| stem == p);
        }
        self.matchers.iter().all(|m| {
            let actual = match s.labels.get(&m.name) {
                Some(v) => v.as_str(),
                None if m.name == "__name__" && s.labels.is_empty() => s.name.as_str(),
                None => "",
            };
            m.matches(actual)
        })
    }

    /// The selector as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Selector {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Selector::parse(s)
    }
}

/// Keeps the series that match `selector` (all of them for `None`), in input order.
///
/// Errors: [`Error::SeriesNotFound`] naming the available series when nothing matches,
/// [`Error::Empty`] when there are no series at all.
pub fn select(
    series: Vec<LabeledSeries>,
    selector: Option<&Selector>,
) -> Result<Vec<LabeledSeries>> {
    if series.is_empty() {
        return Err(Error::Empty {
            what: "input (no series)".into(),
        });
    }
    let Some(sel) = selector else {
        return Ok(series);
    };
    let available = available(&series);
    let hits: Vec<_> = series.into_iter().filter(|s| sel.matches(s)).collect();
    if hits.is_empty() {
        return Err(Error::SeriesNotFound {
            selector: sel.to_string(),
            available,
        });
    }
    Ok(hits)
}

/// The names of `series` for messages: comma-separated, at most 20, then a count.
pub(crate) fn available(series: &[LabeledSeries]) -> String {
    const SHOWN: usize = 20;
    let mut s = series
        .iter()
        .take(SHOWN)
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if series.len() > SHOWN {
        s.push_str(&format!(" … and {} more", series.len() - SHOWN));
    }
    s
}
