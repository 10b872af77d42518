//! [`parse_value`]: sample values as exported, including Grafana's formatted units.

/// Parses a sample value.
///
/// - Numbers as Rust/Prometheus write them: `42`, `-1.5`, `.5`, `1e-3`, `2.5E+6`.
/// - Missing values, returned as NaN: the empty string, `NaN` (any case), `null` and
///   `undefined` (old Grafana exports write these for absent points).
/// - Infinities: `+Inf`, `Inf`, `-Inf`, `Infinity` (any case).
/// - Unit suffixes, optionally after a space, converted to the base unit:
///   `%` keeps the number as given (`45%` → 45);
///   `n`, `u`, `m` are ×10⁻⁹, ×10⁻⁶, ×10⁻³ (Kubernetes quantities: `250m` millicores → 0.25);
///   `k` (or `K`), `M`, `G`, `T`, `P`, `E` are ×1000ᵏ; `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei` are
///   ×1024ᵏ; a trailing `B` (bytes) is allowed after any multiplier or alone (`1.5 MiB`,
///   `2 kB`, `512 B`).
///
/// Anything else (time units such as `ms`, thousands separators, decimal commas, words) is an
/// error whose text names the offending input and lists what is accepted.
///
/// ```
/// use forecast_core::io::parse_value;
/// assert_eq!(parse_value("45%"), Ok(45.0));
/// assert_eq!(parse_value("250m"), Ok(0.25));
/// assert_eq!(parse_value("2Ki"), Ok(2048.0));
/// assert_eq!(parse_value("1.5 MiB"), Ok(1_572_864.0));
/// assert_eq!(parse_value("3k"), Ok(3000.0));
/// assert!(parse_value("").unwrap().is_nan());
/// assert_eq!(parse_value("+Inf"), Ok(f64::INFINITY));
/// assert!(parse_value("12ms").is_err());
/// ```
pub fn parse_value(s: &str) -> Result<f64, String> {
    let t = s.trim();
    if is_missing_marker(t) {
        return Ok(f64::NAN);
    }
    match t.to_ascii_lowercase().as_str() {
        "nan" | "+nan" | "-nan" => return Ok(f64::NAN),
        "inf" | "+inf" | "infinity" | "+infinity" => return Ok(f64::INFINITY),
        "-inf" | "-infinity" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    let end = number_prefix_len(t);
    if end == 0 {
        return Err(format!(
            "`{}` is not a number (expected e.g. 42, 1.5e3, NaN, +Inf, 45%, 250m, 2Gi)",
            clip(t)
        ));
    }
    let number: f64 = t[..end]
        .parse()
        .map_err(|_| format!("`{}` is not a number", clip(t)))?;
    let suffix = t[end..].trim_start();
    let factor = multiplier(suffix).ok_or_else(|| {
        if suffix.starts_with([',', '.']) {
            format!(
                "`{}` is not a number: use `.` as the decimal point and no thousands separator",
                clip(t)
            )
        } else {
            format!(
                "`{}`: unknown unit `{}`; accepted suffixes: % (kept as is), n, u, m (10^-9, 10^-6, 10^-3), \
                 k, M, G, T, P, E (1000^k), Ki, Mi, Gi, Ti, Pi, Ei (1024^k), optionally followed by B",
                clip(t),
                clip(suffix)
            )
        }
    })?;
    Ok(number * factor)
}

/// True for cells that mean "no sample here": empty, `null`, `undefined` (any case).
pub(crate) fn is_missing_marker(t: &str) -> bool {
    let t = t.trim();
    t.is_empty() || t.eq_ignore_ascii_case("null") || t.eq_ignore_ascii_case("undefined")
}

/// The factor a unit suffix stands for, `None` when unknown.
fn multiplier(suffix: &str) -> Option<f64> {
    let base = match suffix {
        "" | "%" | "B" => return Some(1.0),
        _ => suffix.strip_suffix('B').unwrap_or(suffix),
    };
    let bytes = base.len() != suffix.len();
    Some(match base {
        "n" if !bytes => 1e-9,
        "u" | "µ" if !bytes => 1e-6,
        "m" if !bytes => 1e-3,
        "k" | "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        _ => return None,
    })
}

/// Length of the longest prefix of `t` of the form `[+-]digits[.digits][(e|E)[+-]digits]`
/// with at least one mantissa digit; 0 when there is none. An `e` not followed by digits is
/// not part of the number (so `2E` is 2 with the suffix `E`).
pub(crate) fn number_prefix_len(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        digits += j - frac_start;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    i
}

/// `t` cut to at most 40 characters for messages.
pub(crate) fn clip(t: &str) -> String {
    match t.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_specials() {
        assert_eq!(parse_value("42"), Ok(42.0));
        assert_eq!(parse_value(" -1.5 "), Ok(-1.5));
        assert_eq!(parse_value(".5"), Ok(0.5));
        assert_eq!(parse_value("5."), Ok(5.0));
        assert_eq!(parse_value("1e-3"), Ok(0.001));
        assert_eq!(parse_value("2.5E+6"), Ok(2.5e6));
        assert!(parse_value("NaN").unwrap().is_nan());
        assert!(parse_value("null").unwrap().is_nan());
        assert_eq!(parse_value("-Inf"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_value("Inf"), Ok(f64::INFINITY));
    }

    #[test]
    fn units() {
        assert_eq!(parse_value("45%"), Ok(45.0));
        assert_eq!(parse_value("45 %"), Ok(45.0));
        assert_eq!(parse_value("123456789n"), Ok(123456789.0 * 1e-9));
        assert_eq!(parse_value("1Mi"), Ok(1_048_576.0));
        assert_eq!(parse_value("1Gi"), Ok(1_073_741_824.0));
        assert_eq!(parse_value("1.5G"), Ok(1.5e9));
        assert_eq!(parse_value("2M"), Ok(2e6));
        assert_eq!(parse_value("2E"), Ok(2e18));
        assert_eq!(parse_value("2 GB"), Ok(2e9));
        assert_eq!(parse_value("512 B"), Ok(512.0));
        assert_eq!(parse_value("1 KiB"), Ok(1024.0));
    }

    #[test]
    fn rejections_name_the_input() {
        for bad in [
            "abc", "12ms", "1,5", "1,234", "0x10", "mB", "-", ".", "e5", "1e",
        ] {
            let e = parse_value(bad).unwrap_err();
            assert!(e.contains(bad), "{bad}: {e}");
        }
        assert!(parse_value("1,5").unwrap_err().contains("decimal point"));
        assert!(
            parse_value("12ms")
                .unwrap_err()
                .contains("unknown unit `ms`")
        );
    }
}
