//! Archives that are one file: WordPress WXR exports, Blogger Atom exports,
//! RSS 2.0 and Atom 1.0 feeds.
//!
//! Stages: [`detect`] the kind from the content; [`xml`] streams one record
//! (`<item>`, `<entry>`) at a time; [`wxr`], [`rss`] and [`atom`] (Atom and
//! Blogger) map a record to an [`ExportItem`] (front matter fields, an HTML
//! body, the old URL), WordPress bodies going through [`wordpress`]
//! (shortcodes, block comments) and [`autop`] (paragraphs and line breaks);
//! [`layout`] names each item's output file; [`stage`] writes each item as
//! a post (front matter + HTML body) into a staging folder, so the folder
//! pipeline (conversion, verification, targets, images, reports) takes it
//! as it takes any post.
//!
//! Memory stays flat: one record is held at a time (and, for WXR, the
//! attachment id → URL map a featured image needs). Nothing here converts
//! HTML to Markdown, prints, or writes outside the staging folder.

pub mod atom;
pub mod autop;
pub mod detect;
pub mod layout;
pub mod rss;
pub mod stage;
pub mod wordpress;
pub mod wxr;
pub mod xml;

use crate::frontmatter::{FmDate, FmFormat, FrontMatter, Target, Value};
use std::path::{Path, PathBuf};
pub use xml::XmlError;

/// The four kinds of export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A WordPress export (WXR: RSS 2.0 with `wp:` elements).
    Wxr,
    /// A Blogger export (Atom with Blogger's kinds).
    Blogger,
    /// An RSS 2.0 feed.
    Rss,
    /// An Atom 1.0 feed.
    Atom,
}

impl std::str::FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "wxr" => Ok(SourceKind::Wxr),
            "blogger" => Ok(SourceKind::Blogger),
            "rss" => Ok(SourceKind::Rss),
            "atom" => Ok(SourceKind::Atom),
            _ => Err(format!(
                "unknown source {s:?}: expected wxr, blogger, rss or atom"
            )),
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SourceKind::Wxr => "wxr",
            SourceKind::Blogger => "blogger",
            SourceKind::Rss => "rss",
            SourceKind::Atom => "atom",
        })
    }
}

/// A post or a page (what a layout's `{type}` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Post,
    Page,
}

/// One item of an export, ready to become a post.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportItem {
    pub kind: ItemKind,
    /// 1-based line of the item's start tag in the export.
    pub line: usize,
    pub title: Option<String>,
    pub date: Option<FmDate>,
    pub updated: Option<FmDate>,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The slug as the source gave it (`wp:post_name`), or one from its URL.
    pub slug: Option<String>,
    /// Anything not published.
    pub draft: bool,
    pub excerpt: Option<String>,
    /// The featured image's URL.
    pub cover: Option<String>,
    /// The item's URL on the old site (`link`).
    pub old_url: Option<String>,
    /// The body as HTML (WordPress bodies already through autop).
    pub body: String,
    /// Notes about the body (`unknown-shortcode`...): code and message.
    pub diagnostics: Vec<(&'static str, String)>,
}

/// An item that is not a post or page (attachments, menus, comments...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedItem {
    pub line: usize,
    /// Its type (`attachment`, `nav_menu_item`, `comment`...).
    pub kind: String,
    pub title: String,
}

/// What a record becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Item(Box<ExportItem>),
    Skipped(SkippedItem),
}

/// Why an export (or one of its items) could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error(
        "{path}: not a WordPress, Blogger, RSS or Atom export (use --source to say which)",
        path = path.display()
    )]
    Unknown { path: PathBuf },
    #[error("{path}: cannot read: {source}", path = path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ExportError {
    /// Whether reading stops here (the items after it are lost), as
    /// opposed to one item skipped.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, ExportError::Xml(XmlError::TooLarge { .. }))
    }
}

/// How to read an export.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The kind, when not detected.
    pub source: Option<SourceKind>,
    /// Largest item (its text) accepted, in bytes.
    pub max_size: usize,
}

/// An export being read: its kind and its entries, in file order.
pub struct Export {
    pub kind: SourceKind,
    pub entries: Box<dyn Iterator<Item = Result<Entry, ExportError>>>,
}

/// Opens an export and streams its entries.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Export, ExportError> {
    let kind = match options.source {
        Some(kind) => kind,
        None => detect::detect(path)
            .map_err(|source| ExportError::Io {
                path: path.to_owned(),
                source,
            })?
            .ok_or_else(|| ExportError::Unknown {
                path: path.to_owned(),
            })?,
    };
    let max = options.max_size;
    let entries: Box<dyn Iterator<Item = Result<Entry, ExportError>>> = match kind {
        SourceKind::Wxr => Box::new(wxr::entries(path, max)?),
        SourceKind::Rss => Box::new(rss::entries(path, max)?),
        SourceKind::Atom => Box::new(atom::entries(path, max, false)?),
        SourceKind::Blogger => Box::new(atom::entries(path, max, true)?),
    };
    Ok(Export { kind, entries })
}

/// The path of a URL (or of a root-relative path, as newer Blogger
/// exports give); `None` for the site root (`/?p=12`: a site generator's
/// redirect page cannot answer a query) or a non-URL.
pub(crate) fn url_path(url: &str) -> Option<String> {
    if url.starts_with('/') && !url.starts_with("//") {
        let path = url.split(['?', '#']).next().unwrap_or("");
        return (path != "/").then(|| path.to_owned());
    }
    let parsed = url::Url::parse(url).ok()?;
    let path = parsed.path().to_owned();
    (path != "/" && !path.is_empty()).then_some(path)
}

impl ExportItem {
    /// The front matter model, without the old URL (see
    /// [`ExportItem::old_path`]).
    pub fn front_matter(&self) -> FrontMatter {
        let mut extra = Vec::new();
        if let Some(a) = &self.author {
            extra.push(("author".to_owned(), Value::String(a.clone())));
        }
        if let Some(e) = &self.excerpt {
            extra.push(("excerpt".to_owned(), Value::String(e.clone())));
        }
        FrontMatter {
            title: self.title.clone(),
            date: self.date.clone(),
            updated: self.updated.clone(),
            tags: self.tags.clone(),
            categories: self.categories.clone(),
            cover: self.cover.clone(),
            draft: self.draft.then_some(true),
            slug: self.slug.clone(),
            extra,
        }
    }

    /// The path the old site served the item at (its `link`), as the one
    /// old-URL writer takes it ([`crate::frontmatter::add_old_url`]).
    pub fn old_path(&self) -> Option<String> {
        self.old_url.as_deref().and_then(url_path)
    }

    /// The post as a file: front matter (with the old URL the target's
    /// way, when it has one), then the HTML body; and the old path written.
    pub fn post_text(&self, target: Target, format: FmFormat) -> (String, Option<String>) {
        let mut fm = self.front_matter();
        let written = self
            .old_path()
            .filter(|path| crate::frontmatter::add_old_url(&mut fm, path, target));
        let mut out = crate::frontmatter::emit(&fm, target, format);
        out.push('\n');
        out.push_str(&self.body);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        (out, written)
    }
}

/// A date as an export writes it; unreadable text is kept raw.
pub(crate) fn date(text: Option<&str>) -> Option<FmDate> {
    let text = text?.trim();
    if text.is_empty() || text.starts_with("0000-00-00") {
        return None;
    }
    Some(
        crate::frontmatter::parse_date(text, jiff::tz::Offset::UTC)
            .unwrap_or_else(|| FmDate::Raw(text.to_owned())),
    )
}

/// Extensions of dynamic and static pages, which are no part of a slug.
const PAGE_EXTENSIONS: &[&str] = &[
    ".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm",
];

/// The last path segment of a URL without its page extension (`.html`,
/// `.php`...), as a slug; `None` when there is none.
pub(crate) fn slug_from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let last = parsed.path_segments()?.rev().find(|s| !s.is_empty())?;
    let stem = PAGE_EXTENSIONS
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last);
    let decoded = percent_decode(stem);
    (!decoded.is_empty()).then_some(decoded)
}

/// `%e4%bd%a0` → `你` (WordPress stores non-ASCII slugs encoded); bytes
/// that do not make UTF-8 stay encoded.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_owned(), |d| d.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_of_links() {
        let path = |u: &str| url_path(u);
        assert_eq!(
            path("https://example.com/2020/01/hello-world/").as_deref(),
            Some("/2020/01/hello-world/")
        );
        assert_eq!(
            path("/2020/01/x.html?m=1").as_deref(),
            Some("/2020/01/x.html")
        );
        assert_eq!(path("https://example.com/"), None);
        assert_eq!(path("https://example.com/?p=12"), None);
        assert_eq!(path("/"), None);
    }

    #[test]
    fn slugs_from_urls() {
        assert_eq!(
            slug_from_url("https://b.blogspot.com/2020/01/my-post.html").as_deref(),
            Some("my-post")
        );
        assert_eq!(
            slug_from_url("https://x.org/%e4%bd%a0%e5%a5%bd/").as_deref(),
            Some("你好")
        );
        assert_eq!(slug_from_url("https://x.org/"), None);
        assert_eq!(percent_decode("a%zzb%"), "a%zzb%");
    }
}
