//! The rendered side read straight into canonical blocks, without the tree.
//!
//! `events` writes pulldown-cmark's markup into a [`Markup`]: the html
//! builder makes of it the tree the parser would build, and
//! [`canonicalize`](super::canonicalize) reads that tree. This reader takes
//! the same calls and feeds the canonical builder as that walk would: each
//! element read by its row in the one table of element meanings, text
//! merged into one node as the tree merges it. It reads only the elements
//! the writer makes of plain Markdown (paragraphs, headings, quotes, lists,
//! emphasis, links, images, breaks, rules, code spans); anything else (code
//! blocks, tables, a site rule that could match, a `[` in the text, where
//! caption markers may be, nesting the parser would flatten) makes it give
//! up, and the caller builds the tree. The differential test (`events/tests.rs`) holds it to the tree's
//! reading. It only reads; it never compares or reports.

use super::super::VerifyOptions;
use super::super::events::Markup;
use super::{Block, Builder, Kind, Run, Wrap, emphasis, image_source_by, is_space, link_target};
use crate::html::Limits;
use crate::html::elements::{Becomes, Reader, element};
use crate::html::serialize::is_script_url;
use crate::lower::wordpress::is_more_divider;

/// What an open element does at its end.
enum Close {
    Nothing,
    Boundary,
    Inline,
    Block,
    /// A code span: its text becomes the run.
    Code,
}

/// Reads [`Markup`] into canonical blocks; see the module docs.
pub(in crate::verify) struct MarkupReader<'o> {
    builder: Builder,
    options: &'o VerifyOptions,
    max_depth: usize,
    /// The open elements' ends, outermost first.
    open: Vec<Close>,
    /// The text since the last element or comment: one text node.
    text: String,
    /// The last text ended in `\r` (see `html::Builder::text`).
    after_cr: bool,
    /// The text of the open code span.
    code: Option<String>,
    /// Something the tree's reading reads otherwise was met: an element
    /// not mirrored, nesting the parser flattens, or a `[` in the text
    /// (`[caption]` markers are read against the whole text first).
    gave_up: bool,
}

impl<'o> MarkupReader<'o> {
    /// A reader, or `None` when the tree's reading is needed from the
    /// start: a site rule could match an element the writer makes (one
    /// that asks for a class cannot: it writes classes only on code
    /// blocks).
    pub(in crate::verify) fn new(
        options: &'o VerifyOptions,
        limits: Limits,
    ) -> Option<MarkupReader<'o>> {
        if !options.rules.iter().all(|r| r.selector.needs_class()) {
            return None;
        }
        Some(MarkupReader {
            builder: Builder::default(),
            options,
            max_depth: limits.effective_depth(),
            open: Vec::with_capacity(16),
            text: String::new(),
            after_cr: false,
            code: None,
            gave_up: false,
        })
    }

    /// The blocks, or `None` if it gave up.
    pub(in crate::verify) fn finish(mut self) -> Option<Vec<Block>> {
        self.flush();
        (!self.gave_up).then(|| self.builder.finish())
    }

    /// Hands the text node read so far to the builder, as the tree's
    /// walk visits it.
    fn flush(&mut self) {
        self.after_cr = false;
        if self.text.is_empty() {
            return;
        }
        self.gave_up |= memchr::memchr(b'[', self.text.as_bytes()).is_some();
        match &mut self.code {
            Some(code) => code.push_str(&self.text),
            None => self.builder.caption_text(&self.text),
        }
        self.text.clear();
    }

    /// What element `tag` reads as (`rule_for`'s reading of the writer's
    /// elements), done at its start; its end is returned.
    fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) -> Close {
        let attr = |name: &str| attr_value(attrs, name);
        let row = element(tag);
        if row.reader != Reader::Sees || self.code.is_some() {
            self.gave_up = true;
            return Close::Nothing;
        }
        match row.becomes {
            Becomes::Boundary => {
                self.builder.boundary();
                Close::Boundary
            }
            Becomes::Heading => {
                let level = tag[1..].parse().unwrap_or(1);
                self.builder.open_block(Kind::Heading(level));
                Close::Block
            }
            Becomes::Quote => {
                self.builder.open_block(Kind::Quote);
                Close::Block
            }
            Becomes::List { ordered } => {
                self.builder.open_block(Kind::List {
                    ordered,
                    items: Vec::new(),
                });
                Close::Block
            }
            Becomes::Item => {
                self.builder.open_block(Kind::Item);
                Close::Block
            }
            mark @ (Becomes::Strong | Becomes::Emph | Becomes::Strike) => match emphasis(mark) {
                Some(wrap) => {
                    self.builder.open_inline(wrap);
                    Close::Inline
                }
                None => Close::Nothing,
            },
            Becomes::Link => match attr("href") {
                Some(href) if is_script_url(href) || href.trim().is_empty() => Close::Nothing,
                Some(href) => {
                    let target = link_target(href, self.options);
                    self.builder.open_inline(Wrap::Link(target));
                    Close::Inline
                }
                None => Close::Nothing,
            },
            Becomes::CodeSpan if attrs.is_empty() => {
                self.code = Some(String::new());
                Close::Code
            }
            _ => {
                self.gave_up = true;
                Close::Nothing
            }
        }
    }

    /// A void element: `rule_for`'s reading of `br`, `hr` and `img`.
    fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        let attr = |name: &str| attr_value(attrs, name);
        if self.code.is_some() {
            self.gave_up = true;
            return;
        }
        match element(tag).becomes {
            Becomes::Break => self.builder.run(Run::Br),
            Becomes::Rule => self.builder.leaf_block(Block::Hr),
            Becomes::Image => {
                let src = image_source_by(attr, self.options);
                if !src.is_empty() && !is_script_url(&src) {
                    self.builder.run(Run::Img(src));
                }
            }
            _ => self.gave_up = true,
        }
    }

    /// A code span's end: `code_span`'s reading (no links or images: the
    /// writer puts none in one).
    fn end_code(&mut self) {
        let Some(text) = self.code.take() else { return };
        if !text.chars().all(is_space) {
            self.builder.run(Run::Code(super::Leaf {
                text,
                ..super::Leaf::default()
            }));
        }
    }
}

/// The value of attribute `name` among the writer's `attrs`.
fn attr_value<'a>(attrs: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

impl Markup for MarkupReader<'_> {
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.flush();
        let close = self.start(tag, attrs);
        self.open.push(close);
        // As the parser's depth guard counts (`html::Builder::open`).
        if self.open.len() > self.max_depth {
            self.gave_up = true;
        }
    }

    fn close(&mut self) {
        self.flush();
        match self.open.pop() {
            Some(Close::Boundary) => self.builder.boundary(),
            Some(Close::Inline) => self.builder.close_inline(),
            Some(Close::Block) => self.builder.close_block(),
            Some(Close::Code) => self.end_code(),
            Some(Close::Nothing) | None => {}
        }
    }

    fn void(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.flush();
        self.empty(tag, attrs);
    }

    /// Text as `html::Builder::text` takes it.
    fn text(&mut self, text: &str) {
        self.text
            .push_str(&crate::html::text_as_parsed(text, &mut self.after_cr));
    }

    fn comment(&mut self, text: &str) {
        self.flush();
        if is_more_divider(text) {
            self.builder.boundary();
        }
    }
}
