//! HTML blocks inside a Markdown body, converted in place.
//!
//! The Markdown around them is kept byte for byte; only the byte ranges
//! pulldown-cmark reports as HTML blocks are replaced. Blocks that are only
//! comments (Hexo's `<!-- more -->`) are kept: they mean something to the
//! site. Inline HTML is left as it is.

use crate::convert::{Options, convert_html};
use crate::diagnostic::Diagnostic;
use crate::html::ParseError;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub struct Converted {
    pub markdown: String,
    pub source_html: String,
    pub converted_markdown: String,
    pub diagnostics: Vec<Diagnostic>,
    pub images: Vec<String>,
}

/// Replaces every HTML block of `body` with its Markdown.
pub fn convert_html_blocks(body: &str, options: &Options) -> Result<Converted, ParseError> {
    let mut out = Converted {
        markdown: String::with_capacity(body.len()),
        source_html: String::new(),
        converted_markdown: String::new(),
        diagnostics: Vec::new(),
        images: Vec::new(),
    };
    let mut copied = 0;
    for range in html_blocks(body) {
        let html = &body[range.clone()];
        if is_only_comments(html) {
            continue;
        }
        let conversion = convert_html(html, options)?;
        out.markdown.push_str(&body[copied..range.start]);
        out.markdown.push_str(&conversion.markdown);
        if body[range.end..].starts_with(|c: char| c != '\n') && !conversion.markdown.is_empty() {
            out.markdown.push('\n');
        }
        out.source_html.push_str(html);
        out.source_html.push('\n');
        out.converted_markdown.push_str(&conversion.markdown);
        out.diagnostics.extend(conversion.diagnostics);
        out.images.extend(conversion.images);
        copied = range.end;
    }
    out.markdown.push_str(&body[copied..]);
    Ok(out)
}

fn html_blocks(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => start = Some(range.start),
            Event::End(TagEnd::HtmlBlock) if depth == 0 => {
                if let Some(s) = start.take() {
                    ranges.push(s..range.end);
                }
            }
            // Only top-level blocks: HTML inside lists or quotes stays.
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
    }
    ranges
}

/// True when every top-level block of the body is an HTML block: a scraped
/// HTML body, not Markdown that merely starts with one (a kept table).
pub fn only_html_blocks(body: &str) -> bool {
    let mut depth = 0usize;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => depth += 1,
            Event::End(TagEnd::HtmlBlock) => depth = depth.saturating_sub(1),
            Event::Start(_) if depth == 0 => return false,
            _ => {}
        }
    }
    true
}

fn is_only_comments(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}
