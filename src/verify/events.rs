//! The rendered side, read from the reader's events without writing HTML
//! and parsing it back.
//!
//! `target` turns our Markdown into pulldown-cmark events as the site's
//! reader would; pulldown-cmark's HTML writer would write them out and
//! `html::parse` would read that back. This walks the events as that
//! writer does (pulldown-cmark 0.13.6, `src/html.rs`: the same elements and
//! attributes, the same `"\n"` texts between blocks, tracked by the same
//! `end_newline`) and gives each element, text and comment to a [`Markup`]:
//! `html::Builder`, which builds the tree the parser would have built
//! ([`tree`]), or `canon::MarkupReader`, which reads them straight into
//! the canonical blocks `canon` would read off that tree ([`canonical`]).
//! The differential test (`events/tests.rs`) holds all three readings to
//! one.
//!
//! It gives up (`None`: the caller writes and parses the HTML as before)
//! on anything not mirrored exactly: raw HTML that passes through (only
//! `<!-- raw HTML omitted -->` is built, as the comment it is), footnotes,
//! math, task lists, definition lists, metadata blocks, super- and
//! subscripts, heading attributes and alert quotes (no reader enables
//! them), a link inside a link (which the parser would repair), nesting
//! the parser's depth guard would flatten, and HTML that might exceed the
//! parser's size limit. It only builds; it never compares or reports.

use super::target::OMITTED;
use crate::html::{Builder, Limits, Node};
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd,
};
use pulldown_cmark_escape::{StrWrite, escape_href};
use std::convert::Infallible;

/// The tree `html::parse` would build from pulldown-cmark's HTML for
/// `events`, or `None` when they hold what is not mirrored here.
/// `markdown` is what the events were read from.
pub(super) fn tree(events: &[Event<'_>], markdown: &str, limits: Limits) -> Option<Node> {
    if html_bound(events) > limits.max_bytes {
        return None;
    }
    // About a node per event (texts, elements; the ends make none).
    let mut out = Builder::sized(limits, events.len());
    out.read_from(markdown);
    let mut writer = TreeWriter::new(events, out);
    writer.write()?;
    writer.out.finish()
}

/// More bytes than pulldown-cmark can write for `events`: no event writes
/// over 64 bytes of markup, nor escapes a byte into more than six.
fn html_bound(events: &[Event<'_>]) -> usize {
    events.iter().fold(0usize, |sum, event| {
        sum.saturating_add(64 + 6 * strings_len(event))
    })
}

/// The bytes of the strings an event carries.
fn strings_len(event: &Event<'_>) -> usize {
    match event {
        Event::Text(s)
        | Event::Code(s)
        | Event::Html(s)
        | Event::InlineHtml(s)
        | Event::InlineMath(s)
        | Event::DisplayMath(s)
        | Event::FootnoteReference(s) => s.len(),
        Event::Start(
            Tag::Link {
                dest_url, title, ..
            }
            | Tag::Image {
                dest_url, title, ..
            },
        ) => dest_url.len() + title.len(),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.len(),
        _ => 0,
    }
}

/// What pulldown-cmark's HTML writer writes, as the parser reads it:
/// elements with their attribute values decoded, text, comments.
pub(super) trait Markup {
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]);
    fn close(&mut self);
    /// An element without content (`<br>`, `<img>`).
    fn void(&mut self, tag: &str, attrs: &[(&str, &str)]);
    fn text(&mut self, text: &str);
    fn comment(&mut self, text: &str);
}

impl Markup for Builder {
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        Builder::open(self, tag, attrs);
    }
    fn close(&mut self) {
        Builder::close(self);
    }
    fn void(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        Builder::void(self, tag, attrs);
    }
    fn text(&mut self, text: &str) {
        Builder::text(self, text);
    }
    fn comment(&mut self, text: &str) {
        Builder::comment(self, text);
    }
}

/// The canonical blocks `canon::canonicalize` would read from [`tree`]'s
/// tree, read straight from the events (`canon::MarkupReader`), or `None`
/// when the events hold what is not mirrored there either.
pub(super) fn canonical(
    events: &[Event<'_>],
    options: &super::VerifyOptions,
    limits: Limits,
) -> Option<Vec<super::canon::Block>> {
    if html_bound(events) > limits.max_bytes {
        return None;
    }
    let mut writer = TreeWriter::new(events, super::canon::MarkupReader::new(options, limits)?);
    writer.write()?;
    writer.out.finish()
}

/// pulldown-cmark's `HtmlWriter`, writing into a [`Markup`].
struct TreeWriter<'e, 'a, O> {
    events: std::slice::Iter<'e, Event<'a>>,
    out: O,
    /// Whether the last thing written ended with a newline.
    end_newline: bool,
    /// Cells are `th` in the table head, `td` after it.
    in_head: bool,
    alignments: &'e [Alignment],
    /// The current cell's index in its row.
    cell: usize,
    in_link: bool,
}

impl<'e, 'a, O: Markup> TreeWriter<'e, 'a, O> {
    fn new(events: &'e [Event<'a>], out: O) -> Self {
        TreeWriter {
            events: events.iter(),
            out,
            end_newline: true,
            in_head: false,
            alignments: &[],
            cell: 0,
            in_link: false,
        }
    }

    /// Writes every event; `None` at the first that is not mirrored.
    fn write(&mut self) -> Option<()> {
        while let Some(event) = self.events.next() {
            self.event(event)?;
        }
        Some(())
    }

    fn event(&mut self, event: &'e Event<'_>) -> Option<()> {
        match event {
            Event::Start(tag) => self.start(tag)?,
            Event::End(tag) => self.end(*tag)?,
            Event::Text(text) => {
                self.out.text(text);
                self.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                self.out.open("code", &[]);
                self.out.text(text);
                self.out.close();
                self.end_newline = false;
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.out.comment(omitted(html)?);
                self.end_newline = false;
            }
            Event::SoftBreak => self.newline(),
            Event::HardBreak => {
                self.out.void("br", &[]);
                self.newline();
            }
            Event::Rule => {
                self.block_break();
                self.out.void("hr", &[]);
                self.newline();
            }
            Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => return None,
        }
        Some(())
    }

    fn start(&mut self, tag: &'e Tag<'_>) -> Option<()> {
        match tag {
            Tag::HtmlBlock => {}
            Tag::Paragraph => self.block("p", &[]),
            Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            } if classes.is_empty() && attrs.is_empty() => self.block(heading(*level), &[]),
            Tag::BlockQuote(None) => {
                self.block("blockquote", &[]);
                self.newline();
            }
            Tag::CodeBlock(kind) => self.code_block(kind),
            Tag::List(start) => self.list(*start),
            Tag::Item => self.block("li", &[]),
            Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell => self.table(tag),
            Tag::Emphasis => self.inline("em"),
            Tag::Strong => self.inline("strong"),
            Tag::Strikethrough => self.inline("del"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.link(*link_type, dest_url, title)?,
            Tag::Image {
                dest_url, title, ..
            } => self.image(dest_url, title)?,
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        match tag {
            TagEnd::HtmlBlock | TagEnd::Image => {}
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item => {
                self.out.close();
                self.newline();
            }
            TagEnd::CodeBlock => {
                self.out.close();
                self.out.close();
                self.newline();
            }
            TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell => {
                self.table_end(tag)
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.in_link &= tag != TagEnd::Link;
                self.out.close();
                self.end_newline = false;
            }
            _ => return None,
        }
        Some(())
    }

    /// `"\n"` after a block's end tag, or for a soft break.
    fn newline(&mut self) {
        self.out.text("\n");
        self.end_newline = true;
    }

    /// The `"\n"` the writer puts before a block unless it just wrote one.
    fn block_break(&mut self) {
        if !self.end_newline {
            self.out.text("\n");
        }
    }

    fn block(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.block_break();
        self.out.open(tag, attrs);
        self.end_newline = false;
    }

    fn inline(&mut self, tag: &str) {
        self.out.open(tag, &[]);
        self.end_newline = false;
    }

    fn list(&mut self, start: Option<u64>) {
        match start {
            None => self.block("ul", &[]),
            Some(1) => self.block("ol", &[]),
            Some(n) => self.block("ol", &[("start", &n.to_string())]),
        }
        self.newline();
    }

    /// `<pre><code>`, with the class the fence's first word gives.
    fn code_block(&mut self, kind: &CodeBlockKind<'_>) {
        self.block_break();
        self.out.open("pre", &[]);
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or_default(),
            CodeBlockKind::Indented => "",
        };
        if lang.is_empty() {
            self.out.open("code", &[]);
        } else {
            self.out
                .open("code", &[("class", &format!("language-{lang}"))]);
        }
        self.end_newline = false;
    }

    /// `<table>`, `<thead><tr>`, `<tr>` and cells (no newline before any).
    fn table(&mut self, tag: &'e Tag<'_>) {
        match tag {
            Tag::Table(alignments) => {
                self.alignments = alignments;
                self.out.open("table", &[]);
            }
            Tag::TableHead => {
                self.in_head = true;
                self.cell = 0;
                self.out.open("thead", &[]);
                self.out.open("tr", &[]);
            }
            Tag::TableRow => {
                self.cell = 0;
                self.out.open("tr", &[]);
            }
            _ => {
                let tag = if self.in_head { "th" } else { "td" };
                match alignment_style(self.alignments.get(self.cell)) {
                    Some(style) => self.out.open(tag, &[("style", style)]),
                    None => self.out.open(tag, &[]),
                }
            }
        }
        self.end_newline = false;
    }

    /// `</tbody></table>\n`, `</tr></thead><tbody>\n`, `</tr>\n`, a cell's end.
    fn table_end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Table => {
                self.out.close();
                self.out.close();
                self.newline();
            }
            TagEnd::TableHead => {
                self.out.close();
                self.out.close();
                self.out.open("tbody", &[]);
                self.in_head = false;
                self.newline();
            }
            TagEnd::TableRow => {
                self.out.close();
                self.newline();
            }
            _ => {
                self.out.close();
                self.cell += 1;
                self.end_newline = false;
            }
        }
    }

    fn link(&mut self, link_type: LinkType, dest: &str, title: &str) -> Option<()> {
        if std::mem::replace(&mut self.in_link, true) {
            return None;
        }
        let prefix = if link_type == LinkType::Email {
            "mailto:"
        } else {
            ""
        };
        let href = href(prefix, dest);
        let mut attrs = vec![("href", href.as_str())];
        if !title.is_empty() {
            attrs.push(("title", title));
        }
        self.out.open("a", &attrs);
        self.end_newline = false;
        Some(())
    }

    /// `<img>`, its alt the text of the events up to the image's end.
    fn image(&mut self, dest: &str, title: &str) -> Option<()> {
        let src = href("", dest);
        let alt = self.raw_text()?;
        let mut attrs = vec![("src", src.as_str()), ("alt", alt.as_str())];
        if !title.is_empty() {
            attrs.push(("title", title));
        }
        self.out.void("img", &attrs);
        self.end_newline = false;
        Some(())
    }

    /// The writer's `raw_text`: the text of the events up to the end of the
    /// current tag, which it consumes.
    fn raw_text(&mut self) -> Option<String> {
        let mut text = String::new();
        let mut nest = 0usize;
        for event in self.events.by_ref() {
            match event {
                Event::Start(_) => nest += 1,
                Event::End(_) if nest == 0 => break,
                Event::End(_) => nest -= 1,
                Event::Html(_) => {}
                Event::InlineHtml(s) | Event::Code(s) | Event::Text(s) => text.push_str(s),
                Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
                _ => return None,
            }
        }
        Some(text)
    }
}

fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn alignment_style(alignment: Option<&Alignment>) -> Option<&'static str> {
    match alignment? {
        Alignment::Left => Some("text-align: left"),
        Alignment::Center => Some("text-align: center"),
        Alignment::Right => Some("text-align: right"),
        Alignment::None => None,
    }
}

/// The comment the parser reads from goldmark's omitted-HTML marker;
/// `None` for raw HTML that passes (not mirrored).
fn omitted<'h>(html: &'h CowStr<'_>) -> Option<&'h str> {
    if &**html != OMITTED {
        return None;
    }
    OMITTED.strip_prefix("<!--")?.strip_suffix("-->")
}

/// An `href` or `src` as the parser reads it from the writer's
/// `escape_href` output.
fn href(prefix: &str, dest: &str) -> String {
    let mut out = Decoded(String::with_capacity(prefix.len() + dest.len()));
    out.0.push_str(prefix);
    match escape_href(&mut out, dest) {
        Ok(()) => out.0,
        Err(never) => match never {},
    }
}

/// Takes `escape_href`'s output as the parser decodes it: it writes `&` and
/// `'` as the references `&amp;` and `&#x27;`, each a chunk of its own, and
/// no other `&` (every `&` of the destination is escaped).
struct Decoded(String);

impl StrWrite for Decoded {
    type Error = Infallible;

    fn write_str(&mut self, s: &str) -> Result<(), Infallible> {
        match s {
            "&amp;" => self.0.push('&'),
            "&#x27;" => self.0.push('\''),
            _ => self.0.push_str(s),
        }
        Ok(())
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments) -> Result<(), Infallible> {
        self.0.push_str(&args.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
