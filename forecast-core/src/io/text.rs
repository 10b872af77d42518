//! Bytes to text (BOM, UTF-16, binary detection) and a small CSV tokenizer that keeps
//! one-based line numbers for error messages.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Decodes `bytes` as text: strips a UTF-8 byte-order mark, decodes UTF-16 with a byte-order
/// mark, rejects invalid UTF-8 and control characters (binary data) with [`Error::Format`]
/// and whitespace-only input with [`Error::Empty`].
pub(crate) fn decode<'a>(bytes: &'a [u8], source: &str) -> Result<Cow<'a, str>> {
    let text: Cow<'a, str> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(utf8(rest, source)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(utf16(rest, source, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(utf16(rest, source, u16::from_be_bytes)?)
    } else {
        Cow::Borrowed(utf8(bytes, source)?)
    };
    if let Some((pos, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        let line = 1 + text[..pos].matches('\n').count();
        return Err(Error::Format(format!(
            "{source}: control character U+{:04X} at line {line}; this looks like binary data, not a CSV or JSON export",
            c as u32
        )));
    }
    if text.trim().is_empty() {
        return Err(Error::Empty {
            what: source.to_string(),
        });
    }
    Ok(text)
}

fn utf8<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        Error::Format(format!(
            "{source}: not UTF-8 text (invalid byte at offset {}); is this a binary file?",
            e.valid_up_to()
        ))
    })
}

fn utf16(bytes: &[u8], source: &str, word: fn([u8; 2]) -> u16) -> Result<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::Format(format!(
            "{source}: UTF-16 text with an odd number of bytes"
        )));
    }
    let words = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    char::decode_utf16(words)
        .collect::<std::result::Result<String, _>>()
        .map_err(|e| {
            Error::Format(format!(
                "{source}: invalid UTF-16 text (unpaired surrogate {:04X})",
                e.unpaired_surrogate()
            ))
        })
}

/// One CSV record and the one-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// One-based line number of the record's first character.
    pub line: usize,
    /// Field texts: quotes removed, `""` unescaped, unquoted fields trimmed.
    pub fields: Vec<String>,
}

/// The text after an optional `sep=X` line, the delimiter it names, and the number of lines
/// it took (0 or 1).
pub(crate) fn sep_line(text: &str) -> (Option<char>, &str, usize) {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim();
    let first = first.trim_matches('"');
    if let Some(rest) = first.strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && matches!(c, ',' | ';' | '\t' | '|')
        {
            return (Some(c), &text[first_end..], 1);
        }
        if rest.is_empty() && text[..first_end].contains('\t') {
            return (Some('\t'), &text[first_end..], 1);
        }
    }
    (None, text, 0)
}

/// Guesses the delimiter from the first non-blank, non-comment line: the most frequent of
/// TAB, `;` and `,` outside double quotes (ties: TAB, then `;`, then `,`). `None` when the
/// line has none of them.
pub(crate) fn detect_delimiter(text: &str) -> Option<char> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let (mut tab, mut semi, mut comma) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' if !quoted => tab += 1,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    let best = tab.max(semi).max(comma);
    if best == 0 {
        None
    } else if tab == best {
        Some('\t')
    } else if semi == best {
        Some(';')
    } else {
        Some(',')
    }
}

/// Splits `text` into records on `delim`, skipping blank lines and lines starting with `#`.
/// `first_line` is the one-based number of the first line of `text` in the whole file.
///
/// Quoted fields may contain the delimiter, `""` (a quote) and line breaks. Errors:
/// [`Error::Parse`] for an unterminated quote.
pub(crate) fn split_records(text: &str, delim: char, first_line: usize) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted_field = false; // the current field started with a quote
    let mut in_quotes = false;
    let mut line = first_line;
    let mut record_line = first_line;
    let mut quote_line = first_line;
    let mut comment = false;
    let mut chars = text.chars().peekable();

    let finish_field = |field: &mut String, quoted: &mut bool, fields: &mut Vec<String>| {
        let f = std::mem::take(field);
        fields.push(if *quoted { f } else { f.trim().to_string() });
        *quoted = false;
    };

    while let Some(c) = chars.next() {
        if comment {
            if c == '\n' || c == '\r' {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                comment = false;
                line += 1;
                record_line = line;
            }
            continue;
        }
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            c if c == delim => finish_field(&mut field, &mut quoted_field, &mut fields),
            '\n' | '\r' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if !fields.is_empty() || quoted_field || !field.trim().is_empty() {
                    finish_field(&mut field, &mut quoted_field, &mut fields);
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                field.clear();
                line += 1;
                record_line = line;
            }
            '"' if !quoted_field && field.trim().is_empty() => {
                field.clear();
                quoted_field = true;
                in_quotes = true;
                quote_line = line;
            }
            '#' if fields.is_empty() && !quoted_field && field.trim().is_empty() => {
                comment = true;
            }
            _ if quoted_field => {
                // Text after a closing quote: keep non-blank characters (lenient).
                if !c.is_whitespace() {
                    field.push(c);
                }
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(Error::Parse {
            line: quote_line,
            column: Some(format!("{}", fields.len() + 1)),
            message: "unterminated quoted field (a `\"` is never closed)".into(),
        });
    }
    if !comment && (!fields.is_empty() || quoted_field || !field.trim().is_empty()) {
        finish_field(&mut field, &mut quoted_field, &mut fields);
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_crlf_comments_and_blank_lines() {
        let text = "# comment\r\n\"a,b\",\"x\"\"y\"\r\n\r\n 1 , 2 \r\n\"multi\nline\",3";
        let r = split_records(text, ',', 1).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].line, 2);
        assert_eq!(r[0].fields, vec!["a,b", "x\"y"]);
        assert_eq!(r[1].line, 4);
        assert_eq!(r[1].fields, vec!["1", "2"]);
        assert_eq!(r[2].line, 5);
        assert_eq!(r[2].fields, vec!["multi\nline", "3"]);
        let err = split_records("a,b\n\"open,1\n", ',', 1).unwrap_err();
        assert!(matches!(err, Error::Parse { line: 2, .. }), "{err}");
    }

    #[test]
    fn delimiters_and_sep_line() {
        assert_eq!(detect_delimiter("\"Series\";\"Time\";\"Value\""), Some(';'));
        assert_eq!(
            detect_delimiter("\"Time\",\"{a=\"\"1\"\", b=\"\"2\"\"}\""),
            Some(',')
        );
        assert_eq!(detect_delimiter("time\tvalue"), Some('\t'));
        assert_eq!(detect_delimiter("nothing"), None);
        let (d, rest, n) = sep_line("sep=;\r\na;b\r\n");
        assert_eq!((d, rest, n), (Some(';'), "a;b\r\n", 1));
        assert_eq!(sep_line("a,b").0, None);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b", "f").unwrap(), "a,b");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("t,v".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, "f").unwrap(), "t,v");
        assert!(matches!(
            decode(b"\xFF\x00\x01", "f"),
            Err(Error::Format(_))
        ));
        assert!(matches!(decode(b"a\x00b", "f"), Err(Error::Format(_))));
        assert!(matches!(decode(b" \r\n", "f"), Err(Error::Empty { .. })));
    }
}
