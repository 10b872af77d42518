//! Prometheus series notation: parsing `up{instance="a:9090", job="x"}` (in Grafana headers,
//! legacy series columns and selectors) and printing label sets back in that notation.

use std::collections::BTreeMap;

/// A label matcher operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `=~` (anchored regular expression)
    Re,
    /// `!~`
    Nre,
}

/// One `name op "value"` item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawMatcher {
    pub name: String,
    pub op: Op,
    pub value: String,
}

/// A parsed `metric{matchers}`; the metric name is also in `matchers` as `__name__ =`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ParsedSelector {
    pub matchers: Vec<RawMatcher>,
}

/// Prints a label set in Prometheus notation: `metric{a="1",b="2"}` with the metric name
/// taken from `__name__` and the other labels sorted by name; `{a="1"}` without a metric
/// name; just `metric` without other labels. Values are escaped (`\\`, `\"`, `\n`); label
/// names that are not plain identifiers are quoted.
///
/// ```
/// use std::collections::BTreeMap;
/// use forecast_core::io::series_name;
/// let mut labels = BTreeMap::new();
/// labels.insert("job".to_string(), "api".to_string());
/// labels.insert("__name__".to_string(), "up".to_string());
/// labels.insert("instance".to_string(), "a:9090".to_string());
/// assert_eq!(series_name(&labels), r#"up{instance="a:9090",job="api"}"#);
/// ```
pub fn series_name(labels: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let metric = labels.get("__name__");
    if let Some(m) = metric {
        if is_metric_name(m) {
            out.push_str(m);
        } else {
            out.push('{');
            quote_into(&mut out, m);
        }
    }
    let rest: Vec<_> = labels.iter().filter(|(k, _)| *k != "__name__").collect();
    if rest.is_empty() {
        if metric.is_none() {
            out.push_str("{}");
        } else if !out.starts_with('{') {
            return out;
        } else {
            out.push('}');
        }
        return out;
    }
    if out.is_empty() || !out.starts_with('{') {
        out.push('{');
    } else {
        out.push(',');
    }
    for (i, (k, v)) in rest.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if is_label_name(k) {
            out.push_str(k);
        } else {
            quote_into(&mut out, k);
        }
        out.push('=');
        quote_into(&mut out, v);
    }
    out.push('}');
    out
}

fn quote_into(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`
pub(crate) fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`
fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses a series written in Prometheus notation into its labels (`__name__` included),
/// accepting only `=` matchers. `None` when the text is not in that notation (a Grafana
/// alias such as `A-series`).
pub(crate) fn parse_labels(s: &str) -> Option<BTreeMap<String, String>> {
    let parsed = parse_selector(s, true).ok()?;
    let mut labels = BTreeMap::new();
    for m in parsed.matchers {
        if m.op != Op::Eq {
            return None;
        }
        // Prometheus drops labels with empty values.
        if !m.value.is_empty() {
            labels.insert(m.name, m.value);
        }
    }
    Some(labels)
}

/// Parses `metric`, `metric{…}`, `{…}` or a bare matcher list `a="1", b=~"x.*"`.
///
/// Inside braces, items are `label op value` with `op` one of `=`, `!=`, `=~`, `!~`, or a
/// lone quoted string (a UTF-8 metric name, Prometheus 3 style). Label names may be quoted.
/// Values are double-quoted, single-quoted or backquoted; with `lenient`, also unquoted (up
/// to the next `,` or `}`), as some Grafana versions print them.
pub(crate) fn parse_selector(s: &str, lenient: bool) -> Result<ParsedSelector, String> {
    let mut p = Parser {
        chars: s.chars().collect(),
        pos: 0,
    };
    let mut out = ParsedSelector::default();
    p.skip_ws();
    let metric = p.ident(true);
    if !metric.is_empty() {
        out.matchers.push(RawMatcher {
            name: "__name__".into(),
            op: Op::Eq,
            value: metric.clone(),
        });
    }
    p.skip_ws();
    let braced = p.eat('{');
    if !braced && !metric.is_empty() && p.at_end() {
        return Ok(out);
    }
    if !braced && !metric.is_empty() {
        // Bare matcher list: `instance="a", job="b"`; restart and read it as one.
        p.pos = 0;
        out.matchers.clear();
    }
    loop {
        p.skip_ws();
        if braced && p.eat('}') {
            break;
        }
        if p.at_end() {
            if braced {
                return Err("missing `}`".into());
            }
            break;
        }
        let name = match p.peek() {
            Some(q @ ('"' | '\'' | '`')) => {
                p.pos += 1;
                p.quoted(q)?
            }
            _ => {
                let id = p.ident(false);
                if id.is_empty() {
                    return Err(format!(
                        "expected a label name at character {}, found `{}`",
                        p.pos + 1,
                        p.peek().map(String::from).unwrap_or_default()
                    ));
                }
                id
            }
        };
        p.skip_ws();
        let op = if p.eat_str("=~") {
            Op::Re
        } else if p.eat_str("!~") {
            Op::Nre
        } else if p.eat_str("!=") {
            Op::Ne
        } else if p.eat('=') {
            Op::Eq
        } else if matches!(p.peek(), Some(',' | '}') | None) {
            // A lone quoted string is the metric name.
            out.matchers.push(RawMatcher {
                name: "__name__".into(),
                op: Op::Eq,
                value: name,
            });
            p.skip_ws();
            if !(p.eat(',') || p.at_end() || braced && p.peek() == Some('}')) {
                return Err("expected `,` between matchers".into());
            }
            continue;
        } else {
            return Err(format!(
                "expected `=`, `!=`, `=~` or `!~` after label `{name}`"
            ));
        };
        p.skip_ws();
        let value = match p.peek() {
            Some(q @ ('"' | '\'' | '`')) => {
                p.pos += 1;
                p.quoted(q)?
            }
            _ if lenient => p.until_separator(),
            _ => return Err(format!("the value of label `{name}` must be quoted")),
        };
        out.matchers.push(RawMatcher { name, op, value });
        p.skip_ws();
        if !p.eat(',') {
            p.skip_ws();
            if braced && p.peek() == Some('}') || !braced && p.at_end() {
                continue;
            }
            return Err(format!(
                "expected `,` or `}}` at character {}, found `{}`",
                p.pos + 1,
                p.peek().map(String::from).unwrap_or_default()
            ));
        }
    }
    p.skip_ws();
    if !p.at_end() {
        return Err(format!(
            "unexpected text after `}}` at character {}",
            p.pos + 1
        ));
    }
    Ok(out)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n
            && s.chars()
                .eq(self.chars[self.pos..self.pos + n].iter().copied())
        {
            self.pos += n;
            true
        } else {
            false
        }
    }
    /// A metric (`colon` true) or label identifier; empty when none.
    fn ident(&mut self, colon: bool) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ok = c.is_ascii_alphabetic()
                || c == '_'
                || (colon && c == ':')
                || (self.pos > start && c.is_ascii_digit());
            if !ok {
                break;
            }
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }
    /// The rest of a quoted string after its opening quote `q`.
    fn quoted(&mut self, q: char) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == q {
                return Ok(out);
            }
            if c == '\\' && q != '`' {
                match self.peek() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(e @ ('\\' | '"' | '\'')) => out.push(e),
                    Some(e) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => break,
                }
                self.pos += 1;
            } else {
                out.push(c);
            }
        }
        Err(format!("unterminated string (missing closing {q})"))
    }
    /// Unquoted value up to `,` or `}` (trimmed).
    fn until_separator(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != ',' && c != '}') {
            self.pos += 1;
        }
        self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parse_grafana_headers_and_print_back() {
        let l = parse_labels(r#"{__name__="up", instance="a:9090", job="prometheus"}"#).unwrap();
        assert_eq!(
            l,
            labels(&[
                ("__name__", "up"),
                ("instance", "a:9090"),
                ("job", "prometheus")
            ])
        );
        assert_eq!(series_name(&l), r#"up{instance="a:9090",job="prometheus"}"#);
        let l = parse_labels(r#"up{instance="a:9090"}"#).unwrap();
        assert_eq!(series_name(&l), r#"up{instance="a:9090"}"#);
        let l = parse_labels("{instance=a:9090, job=node}").unwrap();
        assert_eq!(l, labels(&[("instance", "a:9090"), ("job", "node")]));
        assert_eq!(series_name(&l), r#"{instance="a:9090",job="node"}"#);
        assert_eq!(series_name(&parse_labels("up").unwrap()), "up");
        let l = parse_labels(r#"{"my.metric", "my.label"="x\"y"}"#).unwrap();
        assert_eq!(series_name(&l), r#"{"my.metric","my.label"="x\"y"}"#);
        assert_eq!(series_name(&BTreeMap::new()), "{}");
        assert_eq!(parse_labels("A-series"), None);
        assert_eq!(parse_labels("a:9090 (prod)"), None);
        assert_eq!(parse_labels(r#"{a="1""#), None);
    }

    #[test]
    fn selectors() {
        let p = parse_selector(r#"up{job="api",instance=~"a.*"}"#, false).unwrap();
        assert_eq!(p.matchers.len(), 3);
        assert_eq!(p.matchers[2].op, Op::Re);
        let p = parse_selector(r#"instance!="a:9090", job!~'x|y'"#, false).unwrap();
        assert_eq!(p.matchers.len(), 2);
        assert_eq!(p.matchers[0].op, Op::Ne);
        assert_eq!(p.matchers[1].op, Op::Nre);
        assert_eq!(p.matchers[1].value, "x|y");
        assert!(parse_selector("job=api", false).is_err());
        assert!(parse_selector("{job=\"a\"", false).is_err());
    }
}
