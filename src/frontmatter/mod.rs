//! Front matter: parse a raw block (YAML, TOML or Hexo JSON) into a typed,
//! format-neutral [`FrontMatter`], and emit it for a target site generator.
//!
//! Stages: a reader (`yaml`, `toml_text`, `json`) turns text into an ordered
//! [`Value`] map; [`normalize`] turns that map into [`FrontMatter`] plus
//! warnings; `layout` plans keys for a [`Target`]; a writer prints them.
//! This module must not print, panic, touch the body, or know file paths.
//! Only `yaml.rs` uses the YAML crate.
//!
//! # Reading
//!
//! * `date` and `updated` (aliases `lastmod`, `last_modified_at`) accept
//!   RFC 2822, RFC 3339, `YYYY-MM-DD HH:MM:SS +0000`, `YYYY-MM-DD HH:MM[:SS]`,
//!   `YYYY-MM-DD`, `YYYY/MM/DD HH:MM[:SS]`; naive forms take
//!   [`ParseOptions::default_offset`] (UTC by default). Other text is kept as
//!   [`FmDate::Raw`] with an `fm-bad-date` warning.
//! * `tags` / `categories`: a scalar becomes a one-element list; nulls are
//!   dropped; nested lists (Hexo's hierarchical categories) stay in `extra`
//!   with an `fm-wrong-type` warning.
//! * `draft`, or `published` (inverted).
//! * Cover: `cover`, `image`, `thumbnail`, `headimg`, `banner` (string) and
//!   `images` (list of strings). The first URL in document order becomes
//!   `cover`; repeats of it vanish; other URLs stay in `extra`.
//! * Unset: a model key (any spelling) whose value is null, or `tags` /
//!   `categories` naming nothing (`[]`, `[~]`), says nothing: it is dropped
//!   and does not stop another spelling or a Zola entry from setting the
//!   field. Keys the model does not know keep their nulls.
//! * Two spellings of one field (`updated` and `lastmod`, `draft` and
//!   `published`, two cover keys): the first that sets the field wins; the
//!   others stay in `extra` under their own names, values untouched. A value
//!   of the wrong type (`draft: hello`) stays in `extra` with a warning.
//! * Zola tables: `taxonomies.tags`, `taxonomies.categories` and the
//!   entries of `extra` are lifted to the top level, unless the top level
//!   already holds that field (under any spelling) or that key, or an
//!   earlier table lifted it; `extra.extra` and `extra.taxonomies` are never
//!   lifted. What is not lifted stays in its table, which follows the lifted
//!   entries in `extra`; a table left empty vanishes.
//! * Every other key goes to `extra`, in order. Duplicate keys are errors.
//!
//! # Writing
//!
//! Key order: title, date, updated, slug, draft, tags, categories, cover,
//! then `extra`. Per target:
//!
//! | target | date | updated | draft | cover | notes |
//! | --- | --- | --- | --- | --- | --- |
//! | Hexo | RFC 3339 | `updated` | `published: !draft` | `cover` | Hexo themes read `cover` (some `thumbnail`) |
//! | Hugo | RFC 3339 | `lastmod` | `draft` | `images: [url]` | Hugo's opengraph/twitter templates read `images` |
//! | Jekyll | `YYYY-MM-DD HH:MM:SS +0000` | `last_modified_at` | `published: !draft` | `image` | jekyll-seo-tag reads `image` |
//! | Zola | RFC 3339 | `updated` | `draft` | `extra.cover` | tags/categories under `taxonomies`; keys Zola does not know go under `extra` |
//! | Plain | RFC 3339 | `updated` | `draft` | `cover` | the model's own names |
//!
//! If `extra` already holds the preferred key, another spelling read as the
//! same field is written instead (`cover`, `thumbnail`, ... / `updated`,
//! `lastmod`, ... / `draft` or `published`, inverted). A parsed model always
//! has one free: the key the field was read from. Fields come before
//! `extra`, so they are read first again.
//!
//! Zola: besides its own keys, other spellings of a field the model sets
//! (`published` next to `draft`, `lastmod` next to `updated`) stay at the
//! top level, since `parse` would not lift them out of `[extra]` next to
//! their field. When `extra` holds a key named
//! `extra` or `taxonomies` (a table that could not be lifted, or a scalar),
//! Zola's tables cannot be written without mixing the two, so the Zola emit
//! writes the plain layout (`tags`, `cover` and `extra` at the top level):
//! lossless, though not what Zola expects.
//!
//! Old URLs ([`add_old_url`]) are recorded in the model's `extra` under
//! the target's key (`aliases`, `redirect_from`, `permalink`) before the
//! emit, so they are written like any other key and read back the same.
//!
//! Strings are quoted only when a YAML 1.1 or 1.2 reader could misread
//! them. In TOML, dates are native offset date-times and null values are
//! dropped before the keys are planned (TOML has no null).
//!
//! So `parse(emit(fm)) == fm` for every model `parse` returns, every target
//! and YAML; and for TOML when `extra` holds no null. Known limits: a Zola
//! emit moves the keys it writes at the top level before the others; TOML
//! cannot keep nulls (dropping one can change what is left, as in
//! `images: [~, url]`).

mod date;
mod json;
mod layout;
mod normalize;
mod toml_text;
mod value;
mod yaml;

pub use date::{FmDate, parse_date};
pub use value::{MAX_DEPTH, Value};

use crate::source::{FrontMatterFormat, RawFrontMatter};
use layout::Field;

/// The typed, format-neutral front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `date`.
    pub date: Option<FmDate>,
    /// `updated` / `lastmod` / `last_modified_at`.
    pub updated: Option<FmDate>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `categories`.
    pub categories: Vec<String>,
    /// The cover image URL.
    pub cover: Option<String>,
    /// `draft` (or the inverse of `published`).
    pub draft: Option<bool>,
    /// `slug`.
    pub slug: Option<String>,
    /// Every other key, in original order.
    pub extra: Vec<(String, Value)>,
}

/// A site generator to write front matter for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Hexo.
    Hexo,
    /// Hugo.
    Hugo,
    /// Jekyll.
    Jekyll,
    /// Zola.
    Zola,
    /// No generator: the model's own key names.
    Plain,
}

/// The syntax to write front matter in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FmFormat {
    /// `---` … `---`.
    Yaml,
    /// `+++` … `+++`.
    Toml,
}

/// How to read front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Offset given to dates written without one.
    pub default_offset: jiff::tz::Offset,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            default_offset: jiff::tz::Offset::UTC,
        }
    }
}

/// A warning met while normalizing; never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable code: `fm-bad-date`, `fm-wrong-type`.
    pub code: &'static str,
    /// A short human-readable message.
    pub message: String,
}

/// Why front matter could not be read. Lines are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The text is not valid in its format (also: duplicate keys, alias bombs, too deep).
    #[error("{format} front matter: {message} (line {line}, column {column})")]
    Syntax {
        /// The block's format.
        format: FrontMatterFormat,
        /// What is wrong.
        message: String,
        /// 1-based line in the file.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The block is valid but is not a key/value mapping.
    #[error("{format} front matter is not a key/value mapping (line {line})")]
    NotAMapping {
        /// The block's format.
        format: FrontMatterFormat,
        /// 1-based line in the file where the block starts.
        line: usize,
    },
}

/// A reader's error, with a position relative to the block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SyntaxError {
    message: String,
    line: usize,
    column: usize,
}

/// Parses and normalizes a raw block, dropping warnings (see [`parse_with`]).
pub fn parse(raw: &RawFrontMatter) -> Result<FrontMatter, FrontMatterError> {
    parse_with(raw, &ParseOptions::default()).map(|(fm, _)| fm)
}

/// Parses and normalizes a raw block, returning the model and its warnings.
pub fn parse_with(
    raw: &RawFrontMatter,
    opts: &ParseOptions,
) -> Result<(FrontMatter, Vec<Diagnostic>), FrontMatterError> {
    parse_entries(raw).map(|entries| normalize(entries, opts))
}

/// Parses a raw block into its top-level keys and values, in order.
pub fn parse_entries(raw: &RawFrontMatter) -> Result<Vec<(String, Value)>, FrontMatterError> {
    let parsed = match raw.format {
        FrontMatterFormat::Yaml => yaml::parse(raw.text),
        FrontMatterFormat::Toml => toml_text::parse(raw.text),
        FrontMatterFormat::Json => json::parse(raw.text),
    };
    match parsed.map_err(|e| locate(raw, e))? {
        Value::Map(entries) => Ok(entries),
        Value::Null => Ok(Vec::new()),
        _ => Err(FrontMatterError::NotAMapping {
            format: raw.format,
            line: raw.line,
        }),
    }
}

/// Turns a block-relative error into a file-relative one.
fn locate(raw: &RawFrontMatter, e: SyntaxError) -> FrontMatterError {
    FrontMatterError::Syntax {
        format: raw.format,
        message: e.message,
        line: raw.line.saturating_add(e.line.max(1)) - 1,
        column: e.column.max(1),
    }
}

/// Normalizes top-level entries into the typed model (see the module docs).
pub fn normalize(
    entries: Vec<(String, Value)>,
    opts: &ParseOptions,
) -> (FrontMatter, Vec<Diagnostic>) {
    normalize::normalize(entries, opts)
}

/// Writes the whole front-matter block for `target`, delimiters included
/// (`---\n…---\n` or `+++\n…+++\n`).
pub fn emit(fm: &FrontMatter, target: Target, format: FmFormat) -> String {
    match format {
        FmFormat::Yaml => emit_yaml(&layout::layout(fm, target)),
        FmFormat::Toml => {
            // Planned without the nulls TOML cannot write, so that the plan
            // (Zola's tables, key choices) is the one the output reads as.
            let fm = FrontMatter {
                extra: value::without_null_entries(&fm.extra),
                ..fm.clone()
            };
            emit_toml(&layout::layout(&fm, target))
        }
    }
}

/// Records the old URL `path` (from the site's root) a post must keep
/// answering at, the target's way: Hugo and Zola `aliases`, Jekyll
/// `redirect_from` (jekyll-redirect-from), Hexo `permalink` (the post itself
/// moves to its old URL). A list the post already has is extended (each
/// path once). A Hexo or Jekyll post whose own `permalink` is that path is
/// served there already; a Hexo post whose own `permalink` differs gets the
/// old path, its own value kept as `source_permalink`. Returns whether the
/// front matter changed.
pub fn add_old_url(fm: &mut FrontMatter, path: &str, target: Target) -> bool {
    let own = fm
        .extra
        .iter()
        .position(|(k, _)| k == "permalink")
        .and_then(|i| fm.extra[i].1.scalar_text().map(|t| (i, t)));
    let served_there = own
        .as_ref()
        .is_some_and(|(_, p)| format!("/{}", p.trim_start_matches('/')) == path);
    let url = Value::String(path.to_owned());
    let key = match target {
        Target::Hugo | Target::Zola => "aliases",
        Target::Jekyll if !served_there => "redirect_from",
        Target::Hexo if !served_there => {
            match own {
                Some((i, _)) => {
                    let original = std::mem::replace(&mut fm.extra[i].1, url);
                    fm.extra.push(("source_permalink".to_owned(), original));
                }
                None => fm.extra.push(("permalink".to_owned(), url)),
            }
            return true;
        }
        Target::Jekyll | Target::Hexo | Target::Plain => return false,
    };
    let Some(at) = fm.extra.iter().position(|(k, _)| k == key) else {
        fm.extra.push((key.to_owned(), Value::List(vec![url])));
        return true;
    };
    let entry = &mut fm.extra[at].1;
    match entry {
        Value::List(items) if items.contains(&url) => false,
        Value::List(items) => {
            items.push(url);
            true
        }
        Value::String(_) if *entry == url => false,
        Value::String(one) => {
            *entry = Value::List(vec![Value::String(one.clone()), url]);
            true
        }
        _ => false,
    }
}

fn emit_yaml(plan: &layout::Layout) -> String {
    let mut out = String::from("---\n");
    for (key, field) in &plan.top {
        out.push_str(&match field {
            Field::Value(v) => yaml::entry(key, v),
            Field::Date { text, .. } => yaml::plain_entry(key, text),
        });
    }
    for (name, entries) in &plan.tables {
        out.push_str(&yaml::entry(name, &Value::Map(entries.clone())));
    }
    out.push_str("---\n");
    out
}

fn emit_toml(plan: &layout::Layout) -> String {
    let mut out = String::from("+++\n");
    for (key, field) in &plan.top {
        out.push_str(&match field {
            Field::Value(v) => toml_text::entry(key, v),
            Field::Date {
                text,
                toml_native: true,
            } => toml_text::literal_entry(key, text),
            Field::Date { text, .. } => toml_text::entry(key, &Value::String(text.clone())),
        });
    }
    for (name, entries) in &plan.tables {
        out.push_str(&toml_text::header(name));
        for (key, value) in entries {
            out.push_str(&toml_text::entry(key, value));
        }
    }
    out.push_str("+++\n");
    out
}

#[cfg(test)]
mod old_url_tests {
    use super::*;

    fn with_permalink(p: &str) -> FrontMatter {
        FrontMatter {
            extra: vec![("permalink".into(), Value::String(p.into()))],
            ..FrontMatter::default()
        }
    }

    #[test]
    fn a_post_already_served_at_its_old_path_gets_nothing() {
        for target in [Target::Jekyll, Target::Hexo] {
            let mut fm = with_permalink("about/me/");
            assert!(!add_old_url(&mut fm, "/about/me/", target));
            assert_eq!(fm, with_permalink("about/me/"));
        }
    }

    #[test]
    fn hexo_moves_the_post_and_keeps_its_own_permalink_by_name() {
        let mut fm = with_permalink("about/me/");
        assert!(add_old_url(&mut fm, "/blog/about/me/", Target::Hexo));
        assert_eq!(
            fm.extra,
            vec![
                ("permalink".into(), Value::String("/blog/about/me/".into())),
                ("source_permalink".into(), Value::String("about/me/".into())),
            ]
        );
    }

    #[test]
    fn jekyll_redirects_and_hugo_aliases_extend_what_is_there_once() {
        let mut fm = with_permalink("about/me/");
        assert!(add_old_url(&mut fm, "/blog/about/me/", Target::Jekyll));
        assert!(!add_old_url(&mut fm, "/blog/about/me/", Target::Jekyll));
        let mut fm = FrontMatter {
            extra: vec![("aliases".into(), Value::String("/a/".into()))],
            ..FrontMatter::default()
        };
        assert!(add_old_url(&mut fm, "/b/", Target::Hugo));
        assert_eq!(
            fm.extra[0].1,
            Value::List(vec![
                Value::String("/a/".into()),
                Value::String("/b/".into())
            ])
        );
        assert!(!add_old_url(&mut fm, "/b/", Target::Plain));
    }
}
