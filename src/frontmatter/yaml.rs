//! YAML reading and writing: the only file that uses the YAML crate
//! (`serde-saphyr`).
//!
//! Reading rejects duplicate keys, bounds nesting, anchors/aliases
//! ("billion laughs") and size through the crate's budgets, and reports
//! positions relative to the block's text. Writing quotes every scalar that a
//! YAML 1.1 or 1.2 reader could take for something other than a string
//! (`no`, `on`, `null`, `2021-10-21`, `1e3`, ...). This file must not know
//! about front-matter keys or targets.

use super::SyntaxError;
use super::value::Value;
use serde::ser::SerializeMap;

/// Alias replays allowed in one front-matter block: far above any real post,
/// far below what an alias bomb needs.
const MAX_REPLAYED_EVENTS: usize = 10_000;

fn read_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
        // YAML 1.2, as Hexo's js-yaml reads it: `no` and `on` are strings.
        strict_booleans: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_alias_expansions_per_anchor: 1_000,
        },
        budget: serde_saphyr::budget! {
            max_depth: super::value::MAX_DEPTH,
            max_nodes: 100_000,
            max_aliases: 1_000,
            max_documents: 1,
        },
    }
}

/// Parses a YAML block into a value (`Value::Null` for an empty block).
pub(super) fn parse(text: &str) -> Result<Value, SyntaxError> {
    serde_saphyr::from_str_with_options::<Option<Value>>(text, read_options())
        .map(Option::unwrap_or_default)
        .map_err(|e| to_syntax_error(&e))
}

fn to_syntax_error(e: &serde_saphyr::Error) -> SyntaxError {
    let (line, column) = e
        .location()
        .map_or((0, 0), |l| (to_usize(l.line()), to_usize(l.column())));
    SyntaxError {
        message: bare_message(&e.to_string()),
        line,
        column,
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The crate's message without its positions (block-relative, so
/// misleading next to file lines) or advice about the crate's options.
fn bare_message(display: &str) -> String {
    let first = display.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((pos, rest)) if pos.contains("column") => rest,
        _ => first,
    };
    let cut = [" at line ", ", set DuplicateKeyPolicy"]
        .iter()
        .filter_map(|m| first.find(m))
        .min()
        .unwrap_or(first.len());
    first.get(..cut).unwrap_or(first).to_owned()
}

fn write_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! {
        compact_list_indent: false,
        prefer_block_scalars: false,
    }
}

struct Entry<'a>(&'a str, &'a Value);

impl serde::Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

/// Writes `key: value` (one or more lines, ending in a newline).
pub(super) fn entry(key: &str, value: &Value) -> String {
    serde_saphyr::to_string_with_options(&Entry(key, value), write_options())
        .unwrap_or_else(|_| json_fallback(key, value))
}

/// JSON is YAML 1.2 flow syntax: a safe fallback should the writer refuse.
fn json_fallback(key: &str, value: &Value) -> String {
    let k = serde_json::to_string(key).unwrap_or_else(|_| "\"\"".to_owned());
    let v = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    format!("{k}: {v}\n")
}

/// Writes `key: text` with `text` as a plain scalar. Only for text known to
/// be a safe plain scalar (the date forms this crate writes).
pub(super) fn plain_entry(key: &str, text: &str) -> String {
    format!("{key}: {text}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_position_prefix_from_messages() {
        assert_eq!(
            bare_message("error: line 3 column 1: duplicate mapping key: a\n --> x"),
            "duplicate mapping key: a"
        );
        assert_eq!(bare_message("boom"), "boom");
        assert_eq!(
            bare_message(
                "duplicate mapping key: a, set DuplicateKeyPolicy in Options if acceptable at line 2, column 1"
            ),
            "duplicate mapping key: a"
        );
        assert_eq!(
            bare_message(
                "alias replay limit exceeded: n > 1 at line 1, column 38 (defined at line 4, column 7)"
            ),
            "alias replay limit exceeded: n > 1"
        );
    }

    #[test]
    fn duplicate_key_has_position() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err:?}");
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in ["no", "on", "2021-10-21", "null", "~", "1e3"] {
            let out = entry("k", &Value::String(s.into()));
            assert_ne!(out, format!("k: {s}\n"));
            assert_eq!(
                parse(&out).unwrap(),
                Value::Map(vec![("k".into(), Value::String(s.into()))])
            );
        }
    }
}
