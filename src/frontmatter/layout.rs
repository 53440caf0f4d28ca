//! Emit planning: the typed model → an ordered list of keys and values for
//! one target, independent of YAML or TOML syntax.
//!
//! Order: title, date, updated, slug, draft, tags, categories, cover, then
//! `extra` in its original order. Key names follow the target (see the
//! table in the module above). When a target's preferred key is already used
//! by an `extra` entry, another spelling that `parse` reads as the same field
//! is used instead, so that nothing collides and the document reads back
//! the same. Zola's tables are used only when `parse` would lift every entry
//! back out of them. This stage must not format text.

use super::date::FmDate;
use super::normalize::{COVER_KEYS, DRAFT_KEYS, UPDATED_KEYS, ZOLA_TABLES, field_of};
use super::value::Value;
use super::{FrontMatter, Target};
use std::collections::HashSet;

/// One value to write.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field {
    /// An ordinary value.
    Value(Value),
    /// A date written as a bare scalar; `toml_native` if it is also a TOML date-time.
    Date { text: String, toml_native: bool },
}

/// What to write: top-level keys, then named tables (Zola's `taxonomies`, `extra`).
#[derive(Debug, Default)]
pub(super) struct Layout {
    pub top: Vec<(String, Field)>,
    pub tables: Vec<(String, Vec<(String, Value)>)>,
}

/// Keys Zola reads at the top level of a page's front matter.
const ZOLA_NATIVE: &[&str] = &[
    "description",
    "weight",
    "aliases",
    "authors",
    "template",
    "path",
    "in_search_index",
    "render",
];

/// Plans the keys for `target`.
pub(super) fn layout(fm: &FrontMatter, target: Target) -> Layout {
    let taken: HashSet<&str> = fm.extra.iter().map(|(k, _)| k.as_str()).collect();
    let mut top = Vec::new();
    push_text(&mut top, "title", fm.title.as_ref());
    push_date(&mut top, "date".to_owned(), fm.date.as_ref(), target);
    let updated_key = pick(updated_key(target), UPDATED_KEYS, &taken);
    push_date(&mut top, updated_key, fm.updated.as_ref(), target);
    push_text(&mut top, "slug", fm.slug.as_ref());
    push_draft(&mut top, fm.draft, target, &taken);
    let lists = [("tags", &fm.tags), ("categories", &fm.categories)];
    let lists: Vec<(String, Value)> = lists
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(k, items)| (k.to_owned(), string_list(items)))
        .collect();
    let cover = fm
        .cover
        .as_ref()
        .map(|url| cover_entry(url, target, &taken));
    let named_like_a_table = fm
        .extra
        .iter()
        .any(|(k, _)| ZOLA_TABLES.contains(&k.as_str()));
    if target == Target::Zola && !named_like_a_table {
        return zola_layout(top, lists, cover, fm);
    }
    top.extend(lists.into_iter().map(|(k, v)| (k, Field::Value(v))));
    top.extend(cover.map(|(k, v)| (k, Field::Value(v))));
    top.extend(
        fm.extra
            .iter()
            .map(|(k, v)| (k.clone(), Field::Value(v.clone()))),
    );
    Layout {
        top,
        tables: Vec::new(),
    }
}

fn zola_layout(
    mut top: Vec<(String, Field)>,
    taxonomies: Vec<(String, Value)>,
    cover: Option<(String, Value)>,
    fm: &FrontMatter,
) -> Layout {
    let (native, other): (Vec<_>, Vec<_>) = fm
        .extra
        .iter()
        .cloned()
        .partition(|(k, _)| zola_top_level(k, fm));
    top.extend(native.into_iter().map(|(k, v)| (k, Field::Value(v))));
    let extra_table: Vec<_> = cover.into_iter().chain(other).collect();
    let tables = [("taxonomies", taxonomies), ("extra", extra_table)]
        .into_iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(k, t)| (k.to_owned(), t))
        .collect();
    Layout { top, tables }
}

/// Keys a Zola emit writes at the top level rather than under `[extra]`:
/// Zola's own, and other spellings of a field the model sets (`published`
/// next to `draft`, `lastmod` next to `updated`), which `parse` would not
/// lift out of `[extra]` next to the field. Cover spellings stay under
/// `[extra]`, after the cover, so that the cover is still read first.
fn zola_top_level(key: &str, fm: &FrontMatter) -> bool {
    ZOLA_NATIVE.contains(&key)
        || match field_of(key) {
            Some("title") => fm.title.is_some(),
            Some("date") => fm.date.is_some(),
            Some("updated") => fm.updated.is_some(),
            Some("slug") => fm.slug.is_some(),
            Some("draft") => fm.draft.is_some(),
            Some("tags") => !fm.tags.is_empty(),
            Some("categories") => !fm.categories.is_empty(),
            _ => false,
        }
}

fn push_text(top: &mut Vec<(String, Field)>, key: &str, text: Option<&String>) {
    if let Some(t) = text {
        top.push((key.to_owned(), Field::Value(Value::String(t.clone()))));
    }
}

fn push_date(top: &mut Vec<(String, Field)>, key: String, date: Option<&FmDate>, target: Target) {
    let field = match date {
        None => return,
        Some(FmDate::Raw(s)) => Field::Value(Value::String(s.clone())),
        Some(d) if target == Target::Jekyll => Field::Date {
            text: d.to_jekyll(),
            toml_native: false,
        },
        Some(d) => Field::Date {
            text: d.to_rfc3339(),
            toml_native: d.is_toml_datetime(),
        },
    };
    top.push((key, field));
}

/// Hexo and Jekyll read `published: false`; the others read `draft: true`.
/// When `extra` holds that key (a second spelling, or a value that is not a
/// boolean), the other one is written: both read back as the same field.
fn push_draft(
    top: &mut Vec<(String, Field)>,
    draft: Option<bool>,
    target: Target,
    taken: &HashSet<&str>,
) {
    let Some(draft) = draft else { return };
    let preferred = match target {
        Target::Hexo | Target::Jekyll => "published",
        Target::Hugo | Target::Zola | Target::Plain => "draft",
    };
    let key = pick(preferred, DRAFT_KEYS, taken);
    let value = if key == "published" { !draft } else { draft };
    top.push((key, Field::Value(Value::Bool(value))));
}

fn updated_key(target: Target) -> &'static str {
    match target {
        Target::Hugo => "lastmod",
        Target::Jekyll => "last_modified_at",
        Target::Hexo | Target::Zola | Target::Plain => "updated",
    }
}

/// `preferred` unless `extra` already has it; then the first free alias.
fn pick(preferred: &str, aliases: &[&str], taken: &HashSet<&str>) -> String {
    std::iter::once(preferred)
        .chain(aliases.iter().copied())
        .find(|k| !taken.contains(k))
        .unwrap_or(preferred)
        .to_owned()
}

fn cover_entry(url: &str, target: Target, taken: &HashSet<&str>) -> (String, Value) {
    let preferred = match target {
        Target::Hugo => "images",
        Target::Jekyll => "image",
        Target::Hexo | Target::Zola | Target::Plain => "cover",
    };
    let key = pick(preferred, COVER_KEYS, taken);
    let url = Value::String(url.to_owned());
    let value = if key == "images" {
        Value::List(vec![url])
    } else {
        url
    };
    (key, value)
}

fn string_list(items: &[String]) -> Value {
    Value::List(items.iter().cloned().map(Value::String).collect())
}
