//! The target site's Markdown reader, as verification reads it.
//!
//! Users read the page their site generator builds, not CommonMark. So the
//! rendered side of the round-trip check goes through what each target's
//! reader does differently (learnt by building real posts with the real
//! generators, `tests/issue_11_site_builds.rs`):
//!
//! - Hugo (goldmark) and Hexo (marked) link bare URLs, up to the next space
//!   or `<`, across any Markdown in the way (`https://x.com/a[b](c)d` is one
//!   link): emulated by making each such run an autolink.
//! - Hexo's marked (`smartypants`) and Jekyll's kramdown turn quotes, `--`
//!   and `...` into typographic characters: pulldown-cmark's smart
//!   punctuation does the same and honours the same backslash escapes.
//! - kramdown reads any paragraph line holding an unescaped `|` outside
//!   code as a table row, and a GFM header and delimiter without rows as a
//!   paragraph: both rewritten into what pulldown-cmark reads alike.
//! - kramdown reads emphasis inside emphasis of its kind, and a code span
//!   opened by a lone backtick between spaces, as text.
//! - Hugo omits raw HTML unless its config allows it (`raw_html: false`).
//!
//! What is not emulated (kramdown's `{:` attribute lists and `$$` math) the
//! writer escapes for the target. This module only renders (as HTML, or
//! straight into the tree that HTML parses to, `events`); it never fixes
//! the Markdown or reports.

use super::VerifyOptions;
use super::canon::Block;
use crate::html::Node;
use crate::md::Dialect;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How the target reads Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub dialect: Dialect,
    /// Raw HTML passes (Hugo: `markup.goldmark.renderer.unsafe`).
    pub raw_html: bool,
}

impl Default for Reader {
    /// CommonMark + GFM tables, raw HTML passing.
    fn default() -> Self {
        Reader {
            dialect: Dialect::CommonMark,
            raw_html: true,
        }
    }
}

/// What goldmark writes for raw HTML it may not pass.
pub(super) const OMITTED: &str = "<!-- raw HTML omitted -->";

/// Renders `markdown` as the target's reader would.
pub fn render(markdown: &str, reader: Reader) -> String {
    let source = source(markdown, reader.dialect);
    write_html(events(&source, reader), source.len())
}

/// The rendered side: the canonical blocks read straight from the
/// reader's events (`events::canonical`); else the tree `html::parse`
/// would build from [`render`]'s HTML, built from the events without
/// writing that HTML (`events::tree`); else that HTML, when the events
/// hold what neither mirrors.
pub(super) enum Rendered {
    /// The blocks, and the bytes of Markdown they were read from (a size
    /// hint for their text).
    Blocks(Vec<Block>, usize),
    Tree(Node),
    Html(String),
}

/// Reads `markdown` as the target's reader (`options.reader`) would, in
/// the cheapest of the three forms it can.
pub(super) fn read(markdown: &str, options: &VerifyOptions) -> Rendered {
    let (reader, limits) = (options.reader, options.limits);
    let source = source(markdown, reader.dialect);
    let events = events(&source, reader);
    if let Some(blocks) = super::events::canonical(&events, options, limits) {
        return Rendered::Blocks(blocks, source.len());
    }
    match super::events::tree(&events, &source, limits) {
        Some(root) => Rendered::Tree(root),
        None => Rendered::Html(write_html(events, source.len())),
    }
}

/// The Markdown as the target's reader sees it: bare URLs made autolinks
/// for the linkifiers, kramdown's tables in GFM form.
pub(super) fn source(markdown: &str, dialect: Dialect) -> Cow<'_, str> {
    match dialect {
        Dialect::Goldmark | Dialect::Marked => Cow::Owned(linkify(markdown, dialect)),
        Dialect::Kramdown => Cow::Owned(kramdown_tables(markdown)),
        Dialect::CommonMark => Cow::Borrowed(markdown),
    }
}

/// The events pulldown-cmark's HTML writer turns into the target's page:
/// smart punctuation, kramdown's spans, raw HTML omitted where the reader
/// omits it.
pub(super) fn events(source: &str, reader: Reader) -> Vec<Event<'_>> {
    let mut options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    if reader.dialect.smart_punctuation() {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let parser = Parser::new_ext(source, options);
    let mut events: Vec<Event> = match reader.dialect {
        Dialect::Kramdown => kramdown_spans(source, parser.into_offset_iter()),
        _ => {
            // About an event per dozen bytes of Markdown: sized so that
            // the list rarely grows by copying.
            let mut events = Vec::with_capacity(source.len() / 12 + 16);
            events.extend(parser);
            events
        }
    };
    if !reader.raw_html {
        for event in &mut events {
            if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
                *event = Event::InlineHtml(CowStr::Borrowed(OMITTED));
            }
        }
    }
    events
}

/// pulldown-cmark's HTML for `events`.
pub(super) fn write_html(events: Vec<Event<'_>>, source_len: usize) -> String {
    let mut out = String::with_capacity(source_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// What kramdown reads as text where CommonMark reads a span: emphasis
/// inside emphasis of its kind (`*a _b_*` shows `_b_`), and a code span
/// whose lone opening backtick stands between whitespace (`a ` ` b`).
fn kramdown_spans<'a>(
    source: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<Event<'a>> {
    let text = |range: std::ops::Range<usize>| {
        Event::Text(CowStr::Borrowed(source.get(range).unwrap_or_default()))
    };
    let mut out = Vec::new();
    // Per open emphasis: strong or not, and whether it reads as text.
    let mut open: Vec<(bool, bool)> = Vec::new();
    for (event, range) in events {
        match &event {
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong)) => {
                let strong = matches!(tag, Tag::Strong);
                let literal = open.iter().any(|&(s, l)| s == strong && !l);
                open.push((strong, literal));
                if literal {
                    let width = if strong { 2 } else { 1 };
                    out.push(text(range.start..range.start + width));
                    continue;
                }
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                if let Some((strong, true)) = open.pop() {
                    let width = if strong { 2 } else { 1 };
                    out.push(text(range.end.saturating_sub(width)..range.end));
                    continue;
                }
            }
            Event::Code(_) if lone_backtick_between_spaces(source, range.start) => {
                out.push(text(range));
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Whether the code span opening at `at` is one backtick with whitespace
/// (or the start of the text) before it and whitespace after it.
fn lone_backtick_between_spaces(source: &str, at: usize) -> bool {
    let bytes = source.as_bytes();
    let space = |b: Option<&u8>| b.is_some_and(u8::is_ascii_whitespace);
    let before = at.checked_sub(1).map(|i| bytes.get(i));
    bytes.get(at) == Some(&b'`') && space(bytes.get(at + 1)) && before.is_none_or(space)
}

/// Where a bare URL starts, as linkifiers find it.
static URL_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:https?://|ftp://|www\.)").expect("valid regex"));

/// Wraps every bare URL a linkifier would find in `<...>`, extended as the
/// linkifier extends it: to the next space or `<`, over any Markdown.
fn linkify(markdown: &str, dialect: Dialect) -> String {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for range in plain_text_ranges(markdown) {
        for m in URL_START.find_iter(&markdown[range.clone()]) {
            let start = range.start + m.start();
            if spans.last().is_some_and(|&(_, end)| start < end) {
                continue;
            }
            let before = markdown[..start].chars().next_back();
            // goldmark starts a link only after a space or `*_~(`.
            let may_start = dialect == Dialect::Marked
                || before.is_none_or(|c| c.is_whitespace() || "*_~(".contains(c));
            if may_start && let Some(end) = url_end(markdown, start + m.len()) {
                spans.push((start, end));
            }
        }
    }
    let mut out = String::with_capacity(markdown.len() + spans.len() * 2);
    let mut copied = 0;
    for (start, end) in spans {
        out.push_str(&markdown[copied..start]);
        out.push('<');
        out.push_str(&markdown[start..end]);
        out.push('>');
        copied = end;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// The end of a bare URL whose scheme ends at `from`: the next space, `<`
/// or `>`, less trailing punctuation and unbalanced `)` (GFM's rules).
/// `None` when nothing follows the scheme.
fn url_end(markdown: &str, from: usize) -> Option<usize> {
    let rest = &markdown[from..];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let mut url = &rest[..len];
    loop {
        let trimmed = url.trim_end_matches(['?', '!', '.', ',', ':', '*', '_', '~', '\'', '"']);
        let unbalanced =
            trimmed.ends_with(')') && trimmed.matches(')').count() > trimmed.matches('(').count();
        url = if unbalanced {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if !unbalanced {
            break;
        }
    }
    (!url.is_empty()).then_some(from + url.len())
}

/// Byte ranges of text a linkifier reads: text outside code, links,
/// images and raw HTML.
fn plain_text_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut inside = 0usize;
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1)
            }
            Event::Text(_) if inside == 0 => out.push(range),
            _ => {}
        }
    }
    out
}

/// kramdown's tables, in GFM form: a run of paragraph lines holding an
/// unescaped `|` outside code becomes a table (delimiter row added), and a
/// GFM table without body rows becomes a paragraph (pipes escaped).
fn kramdown_tables(markdown: &str) -> String {
    let mut edits: Vec<Edit> = Vec::new();
    let mut depth = 0usize;
    let mut item_opened = false;
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        // A tight list item's text comes without a paragraph.
        if std::mem::take(&mut item_opened)
            && is_inline(&event)
            && let Some(edit) = tight_item_table(markdown, range.start)
        {
            edits.push(edit);
        }
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                item_opened = true;
            }
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => edits.extend(paragraph_edit(markdown, range, depth)),
            Event::Start(Tag::Table(_)) => edits.extend(table_edit(markdown, range)),
            _ => {}
        }
    }
    let mut out = markdown.to_owned();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    out
}

/// A byte range of the Markdown and what replaces it.
type Edit = (std::ops::Range<usize>, String);

/// A paragraph with table lines, as tables. A nested paragraph's later
/// lines carry container prefixes: only a one-line one is read there.
fn paragraph_edit(markdown: &str, range: std::ops::Range<usize>, depth: usize) -> Option<Edit> {
    let text = &markdown[range.clone()];
    let single = !text.trim_end().contains('\n');
    if depth > 0 && !single {
        return None;
    }
    let prefix = container_prefix(markdown, range.start);
    paragraph_as_tables(text, &prefix).map(|text| (range, text))
}

/// A GFM table as kramdown reads it: without body rows a paragraph, else
/// with the pipes of its code spans kept in their cells.
fn table_edit(markdown: &str, range: std::ops::Range<usize>) -> Option<Edit> {
    let text = &markdown[range.clone()];
    let header_only = text.trim_end().lines().count() <= 2;
    let edited = escape_pipes(text, !header_only);
    (edited != text).then_some((range, edited))
}

/// Inline content (which a tight list item holds without a paragraph).
fn is_inline(event: &Event) -> bool {
    match event {
        Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        _ => false,
    }
}

/// The edit that makes a tight item's first line a table when kramdown
/// reads it as one.
fn tight_item_table(markdown: &str, start: usize) -> Option<Edit> {
    let end = markdown[start..]
        .find('\n')
        .map_or(markdown.len(), |i| start + i);
    let prefix = container_prefix(markdown, start);
    let text = paragraph_as_tables(&markdown[start..end], &prefix)?;
    Some((start..end, text.trim_end_matches('\n').to_owned()))
}

/// A paragraph's lines with each run of table lines set apart as a GFM
/// table; `None` when no line is a table line.
fn paragraph_as_tables(text: &str, prefix: &str) -> Option<String> {
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    if !lines.iter().any(|l| cells(l).is_some()) {
        return None;
    }
    let mut out = String::new();
    let mut in_table = false;
    for line in lines {
        match (cells(line), in_table) {
            (Some(_), true) => out.push_str(&escape_pipes(line, true)),
            (Some(n), false) => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&escape_pipes(line, true));
                out.push('\n');
                out.push_str(prefix);
                out.push_str(&"|---".repeat(n.max(1)));
                out.push('|');
                in_table = true;
            }
            (None, true) => {
                out.push_str("\n\n");
                out.push_str(line);
                in_table = false;
            }
            (None, false) => out.push_str(line),
        }
        out.push('\n');
    }
    Some(out)
}

/// The number of cells when `line` is a kramdown table line (an unescaped
/// `|` outside code spans), else `None`.
fn cells(line: &str) -> Option<usize> {
    let mut pipes = 0usize;
    let mut in_code = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => pipes += 1,
            _ => {}
        }
    }
    if pipes == 0 {
        return None;
    }
    let trimmed = line.trim();
    let edges = usize::from(trimmed.starts_with('|')) + usize::from(trimmed.ends_with('|'));
    Some((pipes + 1).saturating_sub(edges))
}

/// What stands before a block's first line on its line, as the prefix of
/// a further line: quote markers kept, list markers as spaces.
fn container_prefix(markdown: &str, start: usize) -> String {
    let line_start = markdown[..start].rfind('\n').map_or(0, |i| i + 1);
    markdown[line_start..start]
        .chars()
        .map(|c| {
            if c == '>' || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// `text` with its unescaped pipes escaped: all of them, or (`in_code`)
/// only those inside code spans, which kramdown reads as code but a GFM
/// table row would split on.
fn escape_pipes(text: &str, in_code: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut escaped = false;
    let mut code = false;
    for c in text.chars() {
        if c == '`' && !escaped {
            code = !code;
        }
        if c == '|' && !escaped && (code || !in_code) {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(markdown: &str, dialect: Dialect) -> String {
        render(
            markdown,
            Reader {
                dialect,
                raw_html: true,
            },
        )
    }

    #[test]
    fn issue_11_linkifiers_swallow_what_follows_a_bare_url() {
        let md = "see https://twitter.com/Jean[Remi](https://36kr.com/p/1)King/status/1 ok\n";
        let html = read(md, Dialect::Marked);
        assert!(
            html.contains(
                "<a href=\"https://twitter.com/Jean%5BRemi%5D(https://36kr.com/p/1)King/status/1\">"
            ),
            "{html}"
        );
        assert!(!html.contains("href=\"https://36kr.com/p/1\""), "{html}");
        // Escaped, nothing is linked but the link itself.
        let html = read(&md.replace("https://t", "https\\://t"), Dialect::Goldmark);
        assert!(
            html.contains("<a href=\"https://36kr.com/p/1\">Remi</a>"),
            "{html}"
        );
        assert!(!html.contains("twitter.com/Jean\""), "{html}");
    }

    #[test]
    fn issue_11_kramdown_reads_pipes_as_tables() {
        let html = read(
            "run svn diff | colordiff | less -R now\n",
            Dialect::Kramdown,
        );
        assert!(html.contains("<table>"), "{html}");
        let html = read("run svn diff \\| colordiff\n", Dialect::Kramdown);
        assert!(!html.contains("<table>"), "{html}");
        let html = read("code `a | b` here\n", Dialect::Kramdown);
        assert!(!html.contains("<table>"), "{html}");
        let html = read("| a | b |\n| --- | --- |\n", Dialect::Kramdown);
        assert!(!html.contains("<table>"), "{html}");
        let html = read("| a | b |\n", Dialect::Kramdown);
        assert!(html.contains("<table>"), "{html}");
        let html = read("1. x\n2. | a | b |\n", Dialect::Kramdown);
        assert!(html.contains("<li><table>"), "{html}");
        let html = read("> | a | b |\n", Dialect::Kramdown);
        assert!(html.contains("<blockquote>\n<table>"), "{html}");
        let html = read(
            "| a | `x|y` |\n| --- | --- |\n| 1 | 2 |\n",
            Dialect::Kramdown,
        );
        assert!(html.contains("<code>x|y</code>"), "{html}");
    }

    #[test]
    fn kramdown_reads_nested_emphasis_of_a_kind_and_spaced_backticks_as_text() {
        let html = read("a *The _caption_* b\n", Dialect::Kramdown);
        assert!(html.contains("<em>The _caption_</em>"), "{html}");
        let html = read("a **x *y **z** y* x** b\n", Dialect::Kramdown);
        assert!(
            html.contains("<strong>x <em>y **z** y</em> x</strong>"),
            "{html}"
        );
        let html = read("a *The <em>caption</em>* b\n", Dialect::Kramdown);
        assert!(html.contains("<em>The <em>caption</em></em>"), "{html}");
        let html = read("before ` ` after and` `this\n", Dialect::Kramdown);
        assert!(
            html.contains("before ` ` after and<code> </code>this"),
            "{html}"
        );
        let html = read("before ``   `` after\n", Dialect::Kramdown);
        assert!(html.contains("<code>"), "{html}");
        let html = read("a *The _caption_* b\n", Dialect::CommonMark);
        assert!(html.contains("<em>caption</em>"), "{html}");
    }

    #[test]
    fn issue_11_smart_punctuation_and_omitted_html() {
        assert!(read("\"a\" -- b\n", Dialect::Kramdown).contains('“'));
        assert!(!read("\\\"a\\\" \\-- b\n", Dialect::Marked).contains('“'));
        let hugo = Reader {
            dialect: Dialect::Goldmark,
            raw_html: false,
        };
        assert!(render("H<sub>2</sub>O\n", hugo).contains(OMITTED));
    }
}
