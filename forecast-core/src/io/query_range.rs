//! The Prometheus HTTP API answer of `query_range` (and `query`):
//! `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`.
//!
//! Also accepted: the `data` object alone, or the `result` array alone (what
//! `promtool query range -o json` prints); result types `matrix`, `vector` (one sample per
//! series) and `scalar`. Sample values are strings (`"1.5"`, `"NaN"`, `"+Inf"`) or numbers;
//! timestamps are numbers or strings in any form [`parse_timestamp`](super::parse_timestamp)
//! accepts. Steps absent from `values` are gaps for the fill policy.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::raw::RawSeries;

use super::LabeledSeries;
use super::labels::series_name;

/// Parses the JSON text. Errors: [`Error::Parse`] for invalid JSON (line and column),
/// [`Error::Format`] for an API error answer or an unexpected structure (with its path),
/// [`Error::Empty`] when the query returned no series.
pub(crate) fn read(text: &str, source: &str) -> Result<Vec<LabeledSeries>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| Error::Parse {
        line: e.line(),
        column: Some(e.column().to_string()),
        message: format!("invalid JSON: {e}"),
    })?;
    let fmt = |msg: String| Error::Format(format!("{source}: {msg}"));
    if let Some(status) = doc.get("status").and_then(Value::as_str)
        && status != "success"
    {
        let kind = doc
            .get("errorType")
            .and_then(Value::as_str)
            .unwrap_or("unknown");
        let msg = doc
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no message");
        return Err(fmt(format!(
            "the Prometheus API answered status `{status}` ({kind}): {msg}"
        )));
    }
    let data = doc.get("data").unwrap_or(&doc);
    let (kind, result) = match data {
        Value::Array(_) => ("matrix", data),
        Value::Object(o) => {
            let kind = o
                .get("resultType")
                .and_then(Value::as_str)
                .unwrap_or("matrix");
            let result = o.get("result").ok_or_else(|| {
                fmt("JSON without `data.result`; expected a Prometheus query_range answer".into())
            })?;
            (kind, result)
        }
        _ => return Err(fmt("expected a JSON object or array".into())),
    };
    let series = match kind {
        "matrix" | "vector" => {
            let items = result
                .as_array()
                .ok_or_else(|| fmt(format!("`result` of a {kind} must be an array")))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(series(item, &format!("result[{i}]")).map_err(fmt)?);
            }
            out
        }
        "scalar" => {
            let (t, v) = sample(result, "result").map_err(fmt)?;
            vec![LabeledSeries {
                name: "scalar".into(),
                labels: BTreeMap::new(),
                raw: RawSeries::new(vec![t], vec![v]),
            }]
        }
        other => {
            return Err(fmt(format!(
                "result type `{other}` is not a time series (expected matrix)"
            )));
        }
    };
    if series.is_empty() {
        return Err(Error::Empty {
            what: format!("{source} (the query returned no series)"),
        });
    }
    Ok(series)
}

fn series(item: &Value, path: &str) -> Result<LabeledSeries, String> {
    let mut labels = BTreeMap::new();
    match item.get("metric") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let v = v
                    .as_str()
                    .ok_or_else(|| format!("{path}.metric.{k}: label values must be strings"))?;
                if !v.is_empty() {
                    labels.insert(k.clone(), v.to_string());
                }
            }
        }
        Some(_) => return Err(format!("{path}.metric must be an object of labels")),
    }
    let mut raw = RawSeries::default();
    if let Some(values) = item.get("values") {
        let values = values
            .as_array()
            .ok_or_else(|| format!("{path}.values must be an array of [time, value] pairs"))?;
        raw.timestamps.reserve(values.len());
        raw.values.reserve(values.len());
        for (j, s) in values.iter().enumerate() {
            let (t, v) = sample(s, &format!("{path}.values[{j}]"))?;
            raw.timestamps.push(t);
            raw.values.push(v);
        }
    } else if let Some(s) = item.get("value") {
        let (t, v) = sample(s, &format!("{path}.value"))?;
        raw.timestamps.push(t);
        raw.values.push(v);
    } else if item.get("histograms").is_some() || item.get("histogram").is_some() {
        return Err(format!(
            "{path}: native histogram samples are not supported; query a float series such as histogram_quantile(...)"
        ));
    } else {
        return Err(format!("{path} has neither `values` nor `value`"));
    }
    Ok(LabeledSeries {
        name: series_name(&labels),
        labels,
        raw,
    })
}

fn sample(s: &Value, path: &str) -> Result<(i64, f64), String> {
    let pair = s
        .as_array()
        .filter(|a| a.len() == 2)
        .ok_or_else(|| format!("{path} must be a [time, value] pair"))?;
    let t = match &pair[0] {
        Value::Number(n) => super::parse_timestamp(&n.to_string()),
        Value::String(s) => super::parse_timestamp(s),
        _ => Err("the time must be a number".to_string()),
    }
    .map_err(|e| format!("{path}: {e}"))?;
    let v = match &pair[1] {
        Value::String(s) => super::parse_value(s),
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("`{n}` is not a number")),
        Value::Null => Ok(f64::NAN),
        _ => Err("the value must be a string such as \"1.5\"".to_string()),
    }
    .map_err(|e| format!("{path}: {e}"))?;
    Ok((t, v))
}
