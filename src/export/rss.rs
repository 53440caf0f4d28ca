//! RSS 2.0 feeds: each `<item>` is a post. The body is `content:encoded`
//! when the feed has it (the description is then the excerpt), else the
//! description. A feed's HTML is shown as it is: no autop.

use super::xml::{Record, Records};
use super::{Entry, ExportError, ExportItem, ItemKind, date, slug_from_url};
use std::path::Path;

/// The entries of an RSS file, in file order.
pub fn entries(
    path: &Path,
    max_size: usize,
) -> Result<impl Iterator<Item = Result<Entry, ExportError>> + use<>, ExportError> {
    let records = Records::open(path, &["item"], max_size)?;
    Ok(records.map(|r| r.map(|record| entry(&record)).map_err(ExportError::from)))
}

/// One `<item>`.
pub fn entry(record: &Record) -> Entry {
    let node = &record.node;
    let content = node.child_text("content:encoded");
    let description = node.child_text("description");
    let (body, excerpt) = match content {
        Some(c) => (c, description),
        None => (description.unwrap_or(""), None),
    };
    let link = node
        .child_text("link")
        .or_else(|| {
            node.child("guid")
                .filter(|g| g.attr("isPermaLink") != Some("false"))
                .map(|g| g.text.trim())
        })
        .filter(|l| l.starts_with("http"));
    let mut categories = Vec::new();
    for c in node.all("category") {
        let name = c.text.trim().to_owned();
        if !name.is_empty() && !categories.contains(&name) {
            categories.push(name);
        }
    }
    Entry::Item(Box::new(ExportItem {
        kind: ItemKind::Post,
        line: record.line,
        title: node.child_text("title").map(str::to_owned),
        date: date(node.child_text("pubDate")).or_else(|| date(node.child_text("dc:date"))),
        updated: None,
        author: node
            .child_text("dc:creator")
            .or_else(|| node.child_text("author"))
            .map(str::to_owned),
        categories,
        tags: Vec::new(),
        slug: link.and_then(slug_from_url),
        draft: false,
        excerpt: excerpt.map(str::to_owned),
        cover: cover(node),
        old_url: link.map(str::to_owned),
        body: body.to_owned(),
        diagnostics: Vec::new(),
    }))
}

/// An image enclosure, or Media RSS's thumbnail or image content.
fn cover(node: &super::xml::Node) -> Option<String> {
    let enclosure = node
        .all("enclosure")
        .find(|e| e.attr("type").is_some_and(|t| t.starts_with("image/")))
        .and_then(|e| e.attr("url"));
    let media = || {
        node.child("media:thumbnail")
            .and_then(|m| m.attr("url"))
            .or_else(|| {
                node.all("media:content")
                    .find(|m| m.attr("medium") == Some("image"))
                    .and_then(|m| m.attr("url"))
            })
    };
    enclosure.or_else(media).map(str::to_owned)
}
