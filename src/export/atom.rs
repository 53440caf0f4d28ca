//! Atom 1.0 feeds and Blogger exports: each `<entry>` is a post.
//!
//! Blogger's export is Atom with every kind of thing in it: posts, pages,
//! comments, settings and the template, told apart by a `kind` category
//! (older exports) or `blogger:type` (newer ones); only posts and pages
//! become items, the rest is counted and skipped. Anything not published
//! is a draft: `app:control/app:draft` = yes, or a `blogger:status` other
//! than LIVE (DRAFT, SOFT_TRASHED...), as WordPress's trashed posts are. Newer exports name a post's old path (`blogger:filename`)
//! rather than its URL. `xhtml` content is written back as markup.

use super::xml::{Node, Record, Records};
use super::{Entry, ExportError, ExportItem, ItemKind, SkippedItem, date, slug_from_url};
use std::path::Path;

const KIND_SCHEME: &str = "http://schemas.google.com/g/2005#kind";

/// The entries of an Atom file, in file order.
pub fn entries(
    path: &Path,
    max_size: usize,
    blogger: bool,
) -> Result<impl Iterator<Item = Result<Entry, ExportError>> + use<>, ExportError> {
    let records = Records::open(path, &["entry"], max_size)?;
    Ok(records.map(move |r| {
        r.map(|record| entry(&record, blogger))
            .map_err(ExportError::from)
    }))
}

/// One `<entry>`.
pub fn entry(record: &Record, blogger: bool) -> Entry {
    let node = &record.node;
    let kind = if blogger {
        match blogger_kind(node) {
            Ok(kind) => kind,
            Err(other) => {
                return Entry::Skipped(SkippedItem {
                    line: record.line,
                    kind: other,
                    title: text(node, "title").unwrap_or_default(),
                });
            }
        }
    } else {
        ItemKind::Post
    };
    let link = alternate(node);
    let body = content(node, "content").or_else(|| content(node, "summary"));
    let excerpt = body
        .is_some()
        .then(|| content(node, "summary"))
        .flatten()
        .filter(|s| Some(s) != body.as_ref());
    let (tags, categories) = terms(node, blogger);
    Entry::Item(Box::new(ExportItem {
        kind,
        line: record.line,
        title: text(node, "title"),
        date: date(text(node, "published").as_deref())
            .or_else(|| date(text(node, "updated").as_deref())),
        updated: date(text(node, "updated").as_deref()),
        author: node
            .child_local("author")
            .and_then(|a| a.child_local("name"))
            .map(|n| n.text.trim().to_owned())
            .filter(|n| !n.is_empty()),
        categories,
        tags,
        slug: blogger_filename(node)
            .or(link.as_deref())
            .and_then(|l| slug_from_url(&absolute(l))),
        draft: is_draft(node),
        excerpt,
        cover: node
            .child_local("thumbnail")
            .and_then(|t| t.attr("url"))
            .map(str::to_owned),
        old_url: link.or_else(|| blogger_filename(node).map(str::to_owned)),
        body: body.unwrap_or_default(),
        diagnostics: Vec::new(),
    }))
}

/// A child's trimmed text, by local name.
fn text(node: &Node, local: &str) -> Option<String> {
    node.child_local(local)
        .map(|c| c.text.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// A text construct's HTML: `html` as it is, `xhtml` written back, `text`
/// escaped.
fn content(node: &Node, local: &str) -> Option<String> {
    let c = node.child_local(local)?;
    let html = match c.attr("type") {
        Some("xhtml") => c
            .child_local("div")
            .map_or_else(|| c.inner_xml(), Node::inner_xml),
        Some("html") | Some("text/html") => c.text.clone(),
        _ => c
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    };
    let html = html.trim().to_owned();
    (!html.is_empty()).then_some(html)
}

/// The entry's page: `link rel="alternate"` (or a link with no `rel`).
fn alternate(node: &Node) -> Option<String> {
    node.children
        .iter()
        .filter(|c| c.local() == "link")
        .find(|l| matches!(l.attr("rel"), None | Some("alternate")))
        .and_then(|l| l.attr("href"))
        .map(str::to_owned)
}

/// Newer Blogger exports name the post's path, not its URL.
fn blogger_filename(node: &Node) -> Option<&str> {
    node.child("blogger:filename")
        .map(|f| f.text.trim())
        .filter(|f| !f.is_empty())
}

/// Paths become URLs on a placeholder host, for the slug only.
fn absolute(link: &str) -> String {
    if link.starts_with('/') {
        format!("http://localhost{link}")
    } else {
        link.to_owned()
    }
}

/// A post, a page, or what else the entry is (`comment`, `settings`...).
fn blogger_kind(node: &Node) -> Result<ItemKind, String> {
    let kind = node
        .children
        .iter()
        .filter(|c| c.local() == "category")
        .find(|c| c.attr("scheme") == Some(KIND_SCHEME))
        .and_then(|c| c.attr("term"))
        .and_then(|t| t.rsplit_once('#'))
        .map(|(_, k)| k.to_ascii_lowercase())
        .or_else(|| text(node, "type").map(|t| t.to_ascii_lowercase()))
        .unwrap_or_else(|| "unknown".into());
    match kind.as_str() {
        "post" => Ok(ItemKind::Post),
        "page" => Ok(ItemKind::Page),
        _ => Err(kind),
    }
}

/// Atom categories are tags; Blogger's labels too (not its kinds). Atom
/// has no second taxonomy, so categories stay empty.
fn terms(node: &Node, blogger: bool) -> (Vec<String>, Vec<String>) {
    let mut tags = Vec::new();
    for c in node.children.iter().filter(|c| c.local() == "category") {
        if blogger && c.attr("scheme") == Some(KIND_SCHEME) {
            continue;
        }
        let Some(term) = c.attr("term").map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        if !tags.iter().any(|t: &String| t == term) {
            tags.push(term.to_owned());
        }
    }
    (tags, Vec::new())
}

fn is_draft(node: &Node) -> bool {
    let app_draft = node
        .child_local("control")
        .and_then(|c| c.child_local("draft"))
        .is_some_and(|d| d.text.trim().eq_ignore_ascii_case("yes"));
    let status = node
        .child("blogger:status")
        .is_some_and(|s| !s.text.trim().eq_ignore_ascii_case("live"));
    app_draft || status
}
