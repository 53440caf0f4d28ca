//! WordPress exports (WXR): each `<item>` is a post, a page, an attachment
//! or some other post type (menus, blocks, revisions...).
//!
//! A first streaming pass collects the attachments (id → URL and parent),
//! which a featured image (`_thumbnail_id`) and a `[gallery]` need and
//! which WordPress may export after the posts that show them; the second
//! pass hands out the entries. Only that map is held across items.

use super::wordpress::{self, Attachment, Attachments};
use super::xml::{Node, Record, Records};
use super::{Entry, ExportError, ExportItem, ItemKind, SkippedItem, date, percent_decode};
use std::path::Path;

const RECORDS: &[&str] = &["item"];

/// The entries of a WXR file, in file order.
pub fn entries(
    path: &Path,
    max_size: usize,
) -> Result<impl Iterator<Item = Result<Entry, ExportError>> + use<>, ExportError> {
    let attachments = attachments(path, max_size)?;
    let records = Records::open(path, RECORDS, max_size)?;
    Ok(records.map(move |r| {
        r.map(|record| entry(&record, &attachments))
            .map_err(ExportError::from)
    }))
}

/// Every attachment of the file; a record that cannot be read is left to
/// the second pass to report.
fn attachments(path: &Path, max_size: usize) -> Result<Attachments, ExportError> {
    let mut out = Attachments::default();
    for record in Records::open(path, RECORDS, max_size)?.flatten() {
        let node = &record.node;
        if node.child_text("wp:post_type") != Some("attachment") {
            continue;
        }
        let (Some(id), Some(url)) = (
            node.child_text("wp:post_id"),
            node.child_text("wp:attachment_url"),
        ) else {
            continue;
        };
        out.by_id.insert(
            id.to_owned(),
            Attachment {
                url: url.to_owned(),
                parent: node.child_text("wp:post_parent").unwrap_or("0").to_owned(),
                title: node.child_text("title").unwrap_or("").to_owned(),
            },
        );
    }
    Ok(out)
}

/// One `<item>`.
pub fn entry(record: &Record, attachments: &Attachments) -> Entry {
    let node = &record.node;
    let post_type = node.child_text("wp:post_type").unwrap_or("post");
    let kind = match post_type {
        "post" => ItemKind::Post,
        "page" => ItemKind::Page,
        other => {
            return Entry::Skipped(SkippedItem {
                line: record.line,
                kind: other.to_owned(),
                title: node.child_text("title").unwrap_or("").to_owned(),
            });
        }
    };
    let id = node.child_text("wp:post_id").unwrap_or("");
    let body = node
        .child("content:encoded")
        .map_or("", |c| c.text.as_str());
    let prepared = wordpress::prepare(body, id, attachments);
    let (categories, tags) = terms(node);
    Entry::Item(Box::new(ExportItem {
        kind,
        line: record.line,
        title: node.child_text("title").map(str::to_owned),
        date: date(node.child_text("wp:post_date_gmt"))
            .or_else(|| date(node.child_text("wp:post_date")))
            .or_else(|| date(node.child_text("pubDate"))),
        updated: date(node.child_text("wp:post_modified_gmt")),
        author: node.child_text("dc:creator").map(str::to_owned),
        categories,
        tags,
        slug: node.child_text("wp:post_name").map(percent_decode),
        draft: node.child_text("wp:status").unwrap_or("publish") != "publish",
        excerpt: node.child_text("excerpt:encoded").map(str::to_owned),
        cover: featured_image(node, attachments),
        old_url: node.child_text("link").map(str::to_owned),
        body: prepared.html,
        diagnostics: prepared.diagnostics,
    }))
}

/// Categories and tags, from `<category domain="…">` (other taxonomies,
/// such as `post_format`, are left out).
fn terms(node: &Node) -> (Vec<String>, Vec<String>) {
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for c in node.all("category") {
        let name = c.text.trim().to_owned();
        if name.is_empty() {
            continue;
        }
        let list = match c.attr("domain") {
            Some("category") | None => &mut categories,
            Some("post_tag") => &mut tags,
            Some(_) => continue,
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }
    (categories, tags)
}

/// The URL of the attachment `_thumbnail_id` names.
fn featured_image(node: &Node, attachments: &Attachments) -> Option<String> {
    node.all("wp:postmeta")
        .find(|m| m.child_text("wp:meta_key") == Some("_thumbnail_id"))
        .and_then(|m| m.child_text("wp:meta_value"))
        .and_then(|id| attachments.by_id.get(id))
        .map(|a| a.url.clone())
}
