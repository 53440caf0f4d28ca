//! Normalization: an ordered key/value map → the typed [`FrontMatter`].
//!
//! Recognises the known keys (and their aliases across Hexo, Hugo, Jekyll
//! and Zola), turns scalars into one-element lists for `tags`/`categories`,
//! collapses repeated cover URLs, lifts Zola's `[taxonomies]` and `[extra]`
//! tables, and keeps every other key, in order, in `extra`. Values of the
//! wrong shape, and second spellings of a field already set, are kept in
//! `extra`; wrong shapes are reported as [`Diagnostic`]s. This stage never
//! fails, never prints, and drops only what says nothing: unset model keys
//! (null, or no names) and repeated cover URLs.
//!
//! The rules (in the module above) are chosen so that the emitter can always
//! write the model back: a table entry is held back only by a top-level key
//! of the same field or name, and every emit writes such a key again.

use super::date::{FmDate, parse_date};
use super::value::Value;
use super::{Diagnostic, FrontMatter, ParseOptions};
use std::collections::HashSet;

/// Keys whose string value is a cover image URL (`images` may also be a list).
pub(super) const COVER_KEYS: &[&str] =
    &["cover", "image", "thumbnail", "headimg", "banner", "images"];
/// Keys read as the `updated` date.
pub(super) const UPDATED_KEYS: &[&str] = &["updated", "lastmod", "last_modified_at"];
/// Keys read as `draft` (`published` inverted).
pub(super) const DRAFT_KEYS: &[&str] = &["draft", "published"];
/// Zola's tables: their entries are lifted, and they are never lifted themselves.
pub(super) const ZOLA_TABLES: &[&str] = &["taxonomies", "extra"];

/// Builds the typed model; returns it with the warnings met on the way.
pub(super) fn normalize(
    entries: Vec<(String, Value)>,
    opts: &ParseOptions,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut b = Builder {
        fm: FrontMatter::default(),
        diagnostics: Vec::new(),
        seen: HashSet::new(),
        opts,
    };
    for (key, value) in flatten_zola(entries) {
        if let Some(kept) = b.take(key, value) {
            b.fm.extra.push(kept);
        }
    }
    (b.fm, b.diagnostics)
}

/// Lifts `taxonomies.{tags,categories}` and `extra.*` to the top level
/// (see "Zola tables" in the module docs for when an entry stays put).
fn flatten_zola(entries: Vec<(String, Value)>) -> Vec<(String, Value)> {
    let mut held = Held::default();
    for (k, v) in &entries {
        if !is_unset(k, v) {
            held.add(k);
        }
    }
    let mut out = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let lifted = match (key.as_str(), value) {
            ("taxonomies", Value::Map(inner)) => {
                let want = |k: &str| k == "tags" || k == "categories";
                lift(&mut out, &held, "taxonomies", inner, want)
            }
            ("extra", Value::Map(inner)) => {
                let want = |k: &str| !ZOLA_TABLES.contains(&k);
                lift(&mut out, &held, "extra", inner, want)
            }
            (_, value) => {
                out.push((key, value));
                continue;
            }
        };
        for k in &lifted {
            held.add(k);
        }
    }
    out
}

/// What the top level already says: model fields (under any spelling) and
/// other keys. A lifted entry must not say it a second time.
#[derive(Default)]
struct Held {
    fields: HashSet<&'static str>,
    keys: HashSet<String>,
}

impl Held {
    fn add(&mut self, key: &str) {
        match field_of(key) {
            Some(field) => self.fields.insert(field),
            None => self.keys.insert(key.to_owned()),
        };
    }

    fn holds(&self, key: &str) -> bool {
        match field_of(key) {
            Some(field) => self.fields.contains(field),
            None => self.keys.contains(key),
        }
    }
}

/// Moves the wanted entries of one table to `out` unless the top level
/// already holds them; the others stay in the table, which follows the
/// lifted entries when anything is left in it. Returns the keys lifted
/// with a value, which later tables cannot lift again.
fn lift(
    out: &mut Vec<(String, Value)>,
    held: &Held,
    container: &str,
    inner: Vec<(String, Value)>,
    want: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut kept = Vec::new();
    let mut lifted = Vec::new();
    for (k, v) in inner {
        if want(&k) && !held.holds(&k) {
            if !is_unset(&k, &v) {
                lifted.push(k.clone());
            }
            out.push((k, v));
        } else {
            kept.push((k, v));
        }
    }
    if !kept.is_empty() {
        out.push((container.to_owned(), Value::Map(kept)));
    }
    lifted
}

struct Builder<'o> {
    fm: FrontMatter,
    diagnostics: Vec<Diagnostic>,
    /// Model fields already filled (the first key for a field wins).
    seen: HashSet<&'static str>,
    opts: &'o ParseOptions,
}

impl Builder<'_> {
    /// Consumes a known key, or hands the pair back for `extra`.
    fn take(&mut self, key: String, value: Value) -> Option<(String, Value)> {
        let Some(field) = field_of(&key) else {
            return Some((key, value));
        };
        if is_unset(&key, &value) {
            return None;
        }
        if self.seen.contains(field) && field != "cover" {
            return Some((key, value));
        }
        let kept = match field {
            "title" | "slug" => self.text(field, &key, value),
            "date" | "updated" => self.date(field, &key, value),
            "draft" => self.draft(&key, value),
            "tags" | "categories" => self.list(field, &key, value),
            _ => self.cover(key, value),
        };
        if kept.is_none() {
            self.seen.insert(field);
        }
        kept
    }

    fn warn(&mut self, code: &'static str, message: String) {
        self.diagnostics.push(Diagnostic { code, message });
    }

    fn wrong_type(&mut self, key: String, value: Value, wanted: &str) -> Option<(String, Value)> {
        self.warn(
            "fm-wrong-type",
            format!("`{key}` is not {wanted}; kept as an extra key"),
        );
        Some((key, value))
    }

    fn text(&mut self, field: &str, key: &str, value: Value) -> Option<(String, Value)> {
        match value {
            Value::Null => None,
            Value::List(_) | Value::Map(_) => self.wrong_type(key.to_owned(), value, "text"),
            scalar => {
                let text = scalar.scalar_text();
                if field == "title" {
                    self.fm.title = text;
                } else {
                    self.fm.slug = text;
                }
                None
            }
        }
    }

    fn date(&mut self, field: &str, key: &str, value: Value) -> Option<(String, Value)> {
        let text = match value {
            Value::Null => return None,
            Value::List(_) | Value::Map(_) => {
                return self.wrong_type(key.to_owned(), value, "a date");
            }
            scalar => scalar.scalar_text().unwrap_or_default(),
        };
        let date = parse_date(&text, self.opts.default_offset).unwrap_or_else(|| {
            self.warn(
                "fm-bad-date",
                format!("`{key}` value `{text}` is not a known date form; kept as written"),
            );
            FmDate::Raw(text)
        });
        if field == "date" {
            self.fm.date = Some(date);
        } else {
            self.fm.updated = Some(date);
        }
        None
    }

    fn draft(&mut self, key: &str, value: Value) -> Option<(String, Value)> {
        match value {
            Value::Null => None,
            Value::Bool(b) => {
                self.fm.draft = Some(if key == "published" { !b } else { b });
                None
            }
            other => self.wrong_type(key.to_owned(), other, "true or false"),
        }
    }

    fn list(&mut self, field: &str, key: &str, value: Value) -> Option<(String, Value)> {
        let items = match value {
            Value::Null => Vec::new(),
            Value::List(items) if items.iter().all(is_scalar_or_null) => {
                items.iter().filter_map(Value::scalar_text).collect()
            }
            Value::List(_) | Value::Map(_) => {
                return self.wrong_type(key.to_owned(), value, "a list of names");
            }
            scalar => scalar.scalar_text().into_iter().collect(),
        };
        if field == "tags" {
            self.fm.tags = items;
        } else {
            self.fm.categories = items;
        }
        None
    }

    /// Collapses cover-like keys: the first URL becomes `cover`, repeats of
    /// it disappear, other URLs stay in `extra` under their own key.
    fn cover(&mut self, key: String, value: Value) -> Option<(String, Value)> {
        match value {
            Value::String(url) => self.cover_url(url).map(|u| (key, Value::String(u))),
            Value::List(items) if key == "images" && is_string_list(&items) => {
                let rest = self.cover_list(items);
                (!rest.is_empty()).then_some((key, Value::List(rest)))
            }
            other => Some((key, other)),
        }
    }

    /// Takes `url` as the cover if there is none; returns it if it must be kept.
    fn cover_url(&mut self, url: String) -> Option<String> {
        match &self.fm.cover {
            None => {
                self.fm.cover = Some(url);
                None
            }
            Some(cover) if *cover == url => None,
            Some(_) => Some(url),
        }
    }

    fn cover_list(&mut self, items: Vec<Value>) -> Vec<Value> {
        items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(url) => self.cover_url(url).map(Value::String),
                other => Some(other),
            })
            .collect()
    }
}

/// The model field a key feeds, if any.
pub(super) fn field_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "title" => "title",
        "slug" => "slug",
        "date" => "date",
        k if DRAFT_KEYS.contains(&k) => "draft",
        "tags" => "tags",
        "categories" => "categories",
        k if UPDATED_KEYS.contains(&k) => "updated",
        k if COVER_KEYS.contains(&k) => "cover",
        _ => return None,
    })
}

/// A model key with no value: null, or `tags`/`categories` with no names.
/// It sets nothing and is dropped, as if it were not there.
fn is_unset(key: &str, value: &Value) -> bool {
    match (field_of(key), value) {
        (None, _) => false,
        (Some(_), Value::Null) => true,
        (Some("tags" | "categories"), Value::List(items)) => {
            items.iter().all(|v| matches!(v, Value::Null))
        }
        _ => false,
    }
}

fn is_scalar_or_null(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Map(_))
}

fn is_string_list(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|v| matches!(v, Value::String(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    fn norm(entries: Vec<(&str, Value)>) -> (FrontMatter, Vec<Diagnostic>) {
        let entries = entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        normalize(entries, &ParseOptions::default())
    }

    #[test]
    fn scalar_tags_become_lists() {
        let (fm, d) = norm(vec![("tags", s("rust")), ("categories", Value::Int(36))]);
        assert_eq!(fm.tags, vec!["rust"]);
        assert_eq!(fm.categories, vec!["36"]);
        assert!(d.is_empty());
    }

    #[test]
    fn covers_collapse_and_differing_ones_stay() {
        let (fm, _) = norm(vec![
            ("headimg", s("a")),
            ("thumbnail", s("a")),
            ("banner", s("b")),
            ("images", Value::List(vec![s("a"), s("c")])),
        ]);
        assert_eq!(fm.cover.as_deref(), Some("a"));
        assert_eq!(
            fm.extra,
            vec![
                ("banner".into(), s("b")),
                ("images".into(), Value::List(vec![s("c")]))
            ]
        );
    }

    #[test]
    fn bad_date_is_kept_raw_with_a_warning() {
        let (fm, d) = norm(vec![("date", s("last tuesday"))]);
        assert_eq!(fm.date, Some(FmDate::Raw("last tuesday".into())));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "fm-bad-date");
    }

    #[test]
    fn wrong_shapes_go_to_extra() {
        let (fm, d) = norm(vec![("title", Value::List(vec![])), ("draft", s("yes"))]);
        assert_eq!(fm.title, None);
        assert_eq!(fm.extra.len(), 2);
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn published_false_is_draft() {
        let (fm, _) = norm(vec![("published", Value::Bool(false))]);
        assert_eq!(fm.draft, Some(true));
    }

    #[test]
    fn zola_tables_are_lifted() {
        let (fm, _) = norm(vec![
            ("title", s("t")),
            (
                "taxonomies",
                Value::Map(vec![
                    ("tags".into(), Value::List(vec![s("x")])),
                    ("authors".into(), Value::List(vec![s("me")])),
                ]),
            ),
            (
                "extra",
                Value::Map(vec![("cover".into(), s("c")), ("title".into(), s("dup"))]),
            ),
        ]);
        assert_eq!(fm.tags, vec!["x"]);
        assert_eq!(fm.cover.as_deref(), Some("c"));
        assert_eq!(fm.title.as_deref(), Some("t"));
        let keys: Vec<&str> = fm.extra.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["taxonomies", "extra"]);
    }
}
