//! Line numbers for configuration errors that serde cannot locate (a model's parameter with an
//! invalid value, an unknown model name): a light scan of the YAML text for the key.

use forecast_core::Error;

/// The 1-based lines on which `key:` occurs as a mapping key (block or flow style), one entry
/// per occurrence.
fn occurrences(text: &str, key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let bytes = code.as_bytes();
        let mut from = 0;
        while let Some(pos) = code[from..].find(key) {
            let at = from + pos;
            let before_ok = at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'{' | b',' | b'-');
            let rest = code[at + key.len()..].trim_start();
            if before_ok && rest.starts_with(':') {
                out.push(i + 1);
            }
            from = at + key.len();
        }
    }
    out
}

/// The line of the `index`-th model entry (its `name:` key); 1 when not found.
pub fn model_line(text: &str, _name: &str, index: usize) -> usize {
    occurrences(text, "name").get(index).copied().unwrap_or(1)
}

/// The first line at or after `from` (1-based; 0 = the start) holding `key:`; `from` (at least
/// 1) when there is none.
pub fn key_line(text: &str, from: usize, key: &str) -> usize {
    occurrences(text, key)
        .into_iter()
        .find(|&l| l >= from)
        .unwrap_or(from.max(1))
}

/// The first line of `key:` within the block that starts at `from` and ends before the next
/// model entry or the `ensemble:` section; `from` when the key is not written there.
fn key_line_in_block(text: &str, from: usize, key: &str) -> usize {
    let end = occurrences(text, "name")
        .into_iter()
        .chain(occurrences(text, "ensemble"))
        .filter(|&l| l > from)
        .min()
        .unwrap_or(usize::MAX);
    occurrences(text, key)
        .into_iter()
        .find(|&l| l >= from && (l < end || l == from))
        .unwrap_or(from.max(1))
}

/// A configuration error at `line`, naming `key`.
pub fn error(_text: &str, line: usize, key: &str, message: impl Into<String>) -> Error {
    Error::Parse {
        line: line.max(1),
        column: Some(key.to_string()),
        message: format!("zoo config: {}", message.into()),
    }
}

/// The configuration key a registry parameter is written as.
fn yaml_key(param: &str) -> &str {
    match param {
        "dynamic-window" => "window",
        other => other,
    }
}

/// Turns a model-building error of the entry starting at `block` into a located one: an
/// invalid or unknown parameter points at its key's line, anything else at the entry.
pub fn param_error(text: &str, block: usize, err: Error) -> Error {
    let key = match &err {
        Error::InvalidParameter { name, .. } | Error::UnknownParameter { name, .. } => {
            Some(yaml_key(name).to_string())
        }
        _ => None,
    };
    match key {
        Some(k) => {
            let line = key_line_in_block(text, block, &k);
            error(text, line, &k, err.to_string())
        }
        None => error(text, block, "name", err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_block_and_flow_style() {
        let t = "models:\n  - name: naive\n  - {name: moving-average, params: {window: 0}}\n  - name: drift\n    params:\n      window: 3 # comment\n";
        assert_eq!(occurrences(t, "name"), vec![2, 3, 4]);
        assert_eq!(model_line(t, "drift", 2), 4);
        assert_eq!(key_line_in_block(t, 3, "window"), 3);
        assert_eq!(key_line_in_block(t, 4, "window"), 6);
        assert_eq!(key_line_in_block(t, 2, "window"), 2);
        assert_eq!(key_line(t, 0, "models"), 1);
    }
}
