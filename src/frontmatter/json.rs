//! Hexo JSON front matter reading (`{ ... }` or bare `"key": value` pairs,
//! closed by `;;;` in the source). Reading only: this crate never writes
//! JSON front matter. Must not know about front-matter keys.

use super::SyntaxError;
use super::value::Value;
use serde::Deserialize;

/// Parses a JSON block; bare key/value pairs are read as one object.
pub(super) fn parse(text: &str) -> Result<Value, SyntaxError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return parse_object(text, 0);
    }
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    parse_object(&format!("{{{text}\n}}"), 1)
}

/// Parses `text`; `shift` is how many characters were added before line 1.
fn parse_object(text: &str, shift: usize) -> Result<Value, SyntaxError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Value::deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| SyntaxError {
        message: bare_message(&e),
        line: e.line(),
        column: if e.line() == 1 {
            e.column().saturating_sub(shift)
        } else {
            e.column()
        },
    })
}

/// serde_json's message without its ` at line L column C` suffix.
fn bare_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_owned(),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_pairs_are_an_object() {
        let v = parse("\"title\": \"x\",\n\"n\": 1\n").unwrap();
        assert_eq!(
            v,
            Value::Map(vec![
                ("title".into(), Value::String("x".into())),
                ("n".into(), Value::Int(1)),
            ])
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("{\"a\": 1,\n\"b\": }\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("\"a\": ]").unwrap_err();
        assert_eq!((e.line, e.column), (1, 6));
    }
}
