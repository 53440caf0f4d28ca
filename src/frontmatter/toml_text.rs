//! TOML reading (through the `toml` crate) and writing (by hand, one
//! `key = value` line per entry, nested maps as inline tables).
//!
//! TOML has no null: writing drops null values, null list items and null
//! map entries. Date-times read from TOML become their RFC 3339 text. This
//! file must not know about front-matter keys or targets.

use super::SyntaxError;
use super::value::{MAX_DEPTH, Value};

/// Parses a TOML block into a map value.
pub(super) fn parse(text: &str) -> Result<Value, SyntaxError> {
    let table = toml::from_str::<toml::Table>(text).map_err(|e| to_syntax_error(text, &e))?;
    table_value(table, 0).ok_or_else(|| SyntaxError {
        message: format!("nesting deeper than {MAX_DEPTH} levels"),
        line: 1,
        column: 1,
    })
}

fn to_syntax_error(text: &str, e: &toml::de::Error) -> SyntaxError {
    let offset = e.span().map_or(0, |s| s.start);
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    SyntaxError {
        message: e.message().trim().to_owned(),
        line: before.matches('\n').count() + 1,
        column: before.get(line_start..).map_or(0, |l| l.chars().count()) + 1,
    }
}

fn table_value(table: toml::Table, depth: usize) -> Option<Value> {
    let mut entries = Vec::with_capacity(table.len());
    for (k, v) in table {
        entries.push((k, convert(v, depth + 1)?));
    }
    Some(Value::Map(entries))
}

/// Converts a TOML value; `None` when nested deeper than [`MAX_DEPTH`].
fn convert(v: toml::Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Int(i),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::List(
            items
                .into_iter()
                .map(|i| convert(i, depth + 1))
                .collect::<Option<_>>()?,
        ),
        toml::Value::Table(t) => table_value(t, depth)?,
    })
}

/// Writes `key = value\n`, or nothing for a null value.
pub(super) fn entry(key: &str, value: &Value) -> String {
    match inline(value, 0) {
        Some(v) => format!("{} = {v}\n", key_text(key)),
        None => String::new(),
    }
}

/// Writes `key = text\n` with `text` as a bare TOML literal (a date-time).
pub(super) fn literal_entry(key: &str, text: &str) -> String {
    format!("{} = {text}\n", key_text(key))
}

/// Writes a `[name]` table header line.
pub(super) fn header(name: &str) -> String {
    format!("[{}]\n", key_text(name))
}

fn key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_owned() } else { quoted(key) }
}

/// A value in inline syntax; `None` for null (and beyond [`MAX_DEPTH`]).
fn inline(value: &Value, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(float_text(*f)),
        Value::String(s) => Some(quoted(s)),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().filter_map(|i| inline(i, depth + 1)).collect();
            Some(format!("[{}]", parts.join(", ")))
        }
        Value::Map(entries) => Some(inline_table(entries, depth)),
    }
}

fn inline_table(entries: &[(String, Value)], depth: usize) -> String {
    let parts: Vec<String> = entries
        .iter()
        .filter_map(|(k, v)| Some(format!("{} = {}", key_text(k), inline(v, depth + 1)?)))
        .collect();
    if parts.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else {
        format!("{f:?}")
    }
}

/// A TOML basic string: `"` and `\` escaped, control characters as escapes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_awkward_values() {
        let v = Value::Map(vec![
            (
                "a b".into(),
                Value::String("x\"\\\n\u{1}\u{7f}\u{85}".into()),
            ),
            ("f".into(), Value::Float(1e20)),
            ("n".into(), Value::Null),
            (
                "m".into(),
                Value::Map(vec![("k".into(), Value::List(vec![Value::Int(1)]))]),
            ),
        ]);
        let Value::Map(entries) = &v else { return };
        let text: String = entries.iter().map(|(k, v)| entry(k, v)).collect();
        let back = parse(&text).unwrap();
        let mut want = entries.clone();
        want.retain(|(_, v)| *v != Value::Null);
        assert_eq!(back, Value::Map(want));
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a = 1\nb = \n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }
}
