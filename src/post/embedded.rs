//! HTML inside a Markdown body, converted in place.
//!
//! The Markdown around it is kept byte for byte; only the byte ranges
//! pulldown-cmark reports as HTML blocks, and top-level paragraphs holding
//! inline HTML that Markdown can say, are replaced. Such a paragraph is
//! rendered to HTML and converted whole, so its Markdown and its HTML end
//! up in one consistent form. Blocks that are only comments (Hexo's
//! `<!-- more -->`) are kept: they mean something to the site; so are
//! paragraphs whose inline HTML is only what the converter keeps anyway
//! (`<sup>`, `<kbd>`...).

use crate::convert::{Options, convert_html};
use crate::diagnostic::Diagnostic;
use crate::html::ParseError;
use crate::html::elements::{Becomes, element};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// A converted body: the Markdown, and the HTML converted for it (for
/// verification).
pub struct Body {
    pub markdown: String,
    pub source_html: String,
    pub converted_markdown: String,
    pub diagnostics: Vec<Diagnostic>,
    pub images: Vec<String>,
    /// The source side of the round-trip check, when it was read while
    /// parsing (an HTML body); `None` for a Markdown body.
    pub source: Option<crate::verify::Source>,
}

/// Replaces every HTML block of `body` with its Markdown.
pub fn convert_html_blocks(body: &str, options: &Options) -> Result<Body, ParseError> {
    // Blocks are verified together, from `source_html`: none is read alone.
    let options = &Options {
        read_source: false,
        ..options.clone()
    };
    let mut out = Body {
        markdown: String::with_capacity(body.len()),
        source_html: String::new(),
        converted_markdown: String::new(),
        diagnostics: Vec::new(),
        images: Vec::new(),
        source: None,
    };
    let mut copied = 0;
    for (range, kind) in html_blocks(body) {
        let source = &body[range.clone()];
        if kind == Kind::HtmlBlock && is_only_comments(source) {
            continue;
        }
        let rendered;
        let html = match kind {
            Kind::HtmlBlock => source,
            Kind::Mixed => {
                rendered = render(source);
                rendered.as_str()
            }
        };
        let conversion = convert_html(html, options)?;
        let conversion = crate::convert::Conversion {
            markdown: match conversion.markdown.trim_end_matches('\n') {
                "" => String::new(),
                text => format!("{text}\n"),
            },
            ..conversion
        };
        out.markdown.push_str(&body[copied..range.start]);
        if !conversion.markdown.is_empty() && ends_with_text_line(&out.markdown) {
            // An HTML block may interrupt a paragraph; its Markdown may not
            // (it would continue that paragraph, `<l` + `r>` reading as a tag).
            out.markdown.push('\n');
        }
        out.markdown.push_str(&conversion.markdown);
        let rest = &body[range.end..];
        if ends_in_list(&conversion.markdown) && next_text_is_indented(rest) {
            // The list would take the indented lines after it as its own
            // (they were not in the source): a comment ends the list.
            out.markdown.push_str("\n<!-- -->\n");
        }
        if rest.starts_with(|c: char| c != '\n') && !conversion.markdown.is_empty() {
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

/// Whether Markdown ends inside a list: its last line is a list item's
/// (a marker, or indented as an item's continuation).
fn ends_in_list(md: &str) -> bool {
    static MARKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)").expect("valid"));
    let Some(last) = md.lines().rev().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    last.starts_with([' ', '\t']) || MARKER.is_match(last)
}

/// Whether the first line of `rest` that is not blank is indented.
fn next_text_is_indented(rest: &str) -> bool {
    rest.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with([' ', '\t']))
}

/// Whether `md` ends with a whole line that is not blank.
fn ends_with_text_line(md: &str) -> bool {
    let Some(text) = md.strip_suffix('\n') else {
        return false;
    };
    let last = text.rsplit('\n').next().unwrap_or(text);
    !last.trim().is_empty()
}

/// What a replaced range holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    HtmlBlock,
    /// A paragraph of Markdown with inline HTML.
    Mixed,
}

/// Tags the writer itself falls back to for emphasis whose delimiters
/// cannot flank: its own output, which needs no conversion.
const WRITER_FALLBACK: &[&str] = &["strong", "em", "del"];

fn html_blocks(body: &str) -> Vec<(std::ops::Range<usize>, Kind)> {
    let mut ranges = Vec::new();
    let mut start = None;
    let mut paragraph: Option<(usize, bool)> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, gfm()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => paragraph = Some((range.start, false)),
            Event::InlineHtml(ref tag) if depth == 0 && !is_kept_inline(tag) => {
                if let Some((_, mixed)) = paragraph.as_mut() {
                    *mixed = true;
                }
            }
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                if let Some((s, true)) = paragraph.take() {
                    ranges.push((s..range.end, Kind::Mixed));
                }
            }
            Event::Start(Tag::HtmlBlock) if depth == 0 => start = Some(range.start),
            Event::End(TagEnd::HtmlBlock) if depth == 0 => {
                if let Some(s) = start.take() {
                    ranges.push((s..range.end, Kind::HtmlBlock));
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
    for event in Parser::new_ext(body, gfm()) {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => depth += 1,
            Event::End(TagEnd::HtmlBlock) => depth = depth.saturating_sub(1),
            Event::Start(_) if depth == 0 => return false,
            _ => {}
        }
    }
    true
}

/// Whether an inline HTML tag is one the converter keeps (its row in
/// `html::elements` says so), the writer's own fallback, or a comment.
fn is_kept_inline(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    tag.starts_with("<!--")
        || WRITER_FALLBACK.contains(&name.as_str())
        || matches!(element(&name).becomes, Becomes::KeptTag { .. })
}

/// The Markdown the writer produces: CommonMark with GFM tables and strikethrough.
fn gfm() -> pulldown_cmark::Options {
    pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
}

fn render(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, gfm()));
    html
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
