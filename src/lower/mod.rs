//! Lowering: the parsed DOM becomes our Markdown AST.
//!
//! The walk is iterative (an explicit stack of visit/close steps), so no
//! input depth can overflow the stack. Each element is looked up once in the
//! rule table (`rules`), which says what it becomes; the `Builder` assembles
//! blocks. Lowering decides structure only: it never escapes, spaces or
//! prints, and every element it drops is reported as a diagnostic.

mod builder;
pub mod media;
mod rules;
pub mod site;
mod table;
pub mod whitespace;
pub mod wordpress;

pub use rules::{Captions, ProjectLinks};

use crate::diagnostic::Diagnostic;
use crate::html::serialize::{Tidy, to_html};
use crate::html::{Node, NodeKind};
use crate::md::ast::{Block, Document, Inline};
use builder::{BlockKind, Builder, Closed};
use rules::{Leaf, Rule};
use std::collections::{BTreeMap, HashSet};
use wordpress::{Piece, is_more_divider};

/// What lowering needs to know from the user.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Site rules in order, the built-in preset last.
    pub rules: std::sync::Arc<Vec<site::SiteRule>>,
    pub captions: Captions,
    /// What embeds become; `Shortcode` only where the target has one.
    pub embeds: media::Embeds,
}

/// One step of the walk.
enum Step {
    Visit(Node),
    CloseInline,
    CloseBlock,
    /// A `p.img-desc` caption closes: its text may fill the image's alt.
    CloseCaption,
    Boundary,
}

/// Lowers the children of `root` into a document.
pub fn lower(root: &Node, options: &Options) -> (Document, Vec<Diagnostic>) {
    let mut walk = Walk {
        builder: Builder::default(),
        options,
        linked: visibly_linked(root),
        captions: wordpress::holds_caption_shortcode(root),
        caption: None,
        dropped: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    // Deep enough for most bodies without growing.
    let mut stack: Vec<Step> = Vec::with_capacity(64);
    stack.extend(root.child_nodes().rev().map(Step::Visit));
    while let Some(step) = stack.pop() {
        walk.step(step, &mut stack);
    }
    let Walk {
        builder,
        dropped,
        mut diagnostics,
        ..
    } = walk;
    for ((code, what), count) in dropped {
        diagnostics.push(Diagnostic::info(code, format!("dropped {count} × {what}")));
    }
    let blocks = builder.finish();
    (Document { blocks }, diagnostics)
}

struct Walk<'a> {
    builder: Builder,
    options: &'a Options,
    /// Targets some link with visible content points to.
    linked: HashSet<String>,
    /// Whether `[caption]` markers are a shortcode here (a pair exists).
    captions: bool,
    /// An open `[caption]` shortcode, with its `caption="..."` text.
    caption: Option<Option<String>>,
    /// Dropped elements by (code, element name), reported once each.
    dropped: BTreeMap<(&'static str, String), usize>,
    diagnostics: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn step(&mut self, step: Step, stack: &mut Vec<Step>) {
        match step {
            Step::Visit(node) => self.visit(node, stack),
            Step::CloseInline => self.builder.close_inline(),
            Step::CloseBlock => self.close_block(),
            Step::CloseCaption => self.close_caption(),
            Step::Boundary => self.builder.boundary(),
        }
    }

    fn visit(&mut self, node: Node, stack: &mut Vec<Step>) {
        let rule = match node.kind() {
            NodeKind::Text(text) => {
                self.text(text);
                return;
            }
            // WordPress's and Hugo's summary divider (Hexo's reads it too).
            NodeKind::Comment if node.comment_text().is_some_and(is_more_divider) => {
                self.builder.block(Block::Html("<!--more-->".to_owned()));
                return;
            }
            NodeKind::Comment => {
                *self
                    .dropped
                    .entry(("dropped-comment", "comment".into()))
                    .or_default() += 1;
                return;
            }
            NodeKind::Other => return,
            NodeKind::Element(_) => match rules::site_rule(&node, self.options) {
                Some((name, rule)) => {
                    if let Some(name) = name {
                        self.diagnostics.push(Diagnostic::info("rule-fired", name));
                    }
                    rule
                }
                None => rules::rule_for(&node, self.builder.in_table_cell()),
            },
        };
        let children = |stack: &mut Vec<Step>, node: &Node| {
            stack.extend(node.child_nodes().rev().map(Step::Visit));
        };
        match rule {
            Rule::Drop(code) => {
                *self
                    .dropped
                    .entry((code, node.tag().to_owned()))
                    .or_default() += 1;
            }
            Rule::Transparent => children(stack, &node),
            Rule::Unwrapped(code) => {
                *self
                    .dropped
                    .entry((code, node.tag().to_owned()))
                    .or_default() += 1;
                children(stack, &node);
            }
            Rule::Boundary => {
                self.builder.boundary();
                stack.push(Step::Boundary);
                children(stack, &node);
            }
            Rule::Inline(kind) => {
                self.builder.open_inline(kind);
                stack.push(Step::CloseInline);
                children(stack, &node);
            }
            Rule::Inlines(kinds) => {
                for kind in kinds {
                    self.builder.open_inline(kind);
                    stack.push(Step::CloseInline);
                }
                children(stack, &node);
            }
            Rule::Block(kind) => {
                let caption = matches!(kind, BlockKind::Caption) && node.tag() == "p";
                self.builder.open_block(kind);
                stack.push(if caption {
                    Step::CloseCaption
                } else {
                    Step::CloseBlock
                });
                children(stack, &node);
            }
            Rule::Leaf(leaf) => self.leaf(leaf, &node),
        }
    }

    /// Text, with WordPress `[caption]` markers read as the image, then
    /// the caption as a paragraph of its own.
    fn text(&mut self, text: &str) {
        if !self.captions {
            self.builder.text(whitespace::collapse_runs(text));
            return;
        }
        let pieces = wordpress::caption_pieces(text);
        if let [Piece::Text(t)] = pieces.as_slice() {
            self.builder.text(whitespace::collapse_runs(t));
            return;
        }
        if self.caption.is_some() && pieces.contains(&Piece::Close) {
            // This node's text before the marker is the caption.
            self.builder.boundary();
        }
        let mut said = false;
        for piece in pieces {
            match piece {
                Piece::Text(t) => {
                    said |= !t.trim().is_empty();
                    self.builder.text(whitespace::collapse_runs(t));
                }
                Piece::Open(attr) => {
                    self.builder.boundary();
                    self.caption = Some(attr);
                    said = false;
                }
                Piece::Close => self.close_caption_shortcode(said),
            }
        }
    }

    fn close_caption_shortcode(&mut self, said: bool) {
        if let Some(Some(attr)) = self.caption.take()
            && !said
        {
            self.builder.boundary();
            self.builder.text(attr);
        }
        self.builder.boundary();
        *self
            .dropped
            .entry(("dropped-caption-shortcode", "[caption]".into()))
            .or_default() += 1;
    }

    fn leaf(&mut self, leaf: Leaf, node: &Node) {
        match leaf {
            Leaf::Inline(inline) => self.builder.inline(inline),
            Leaf::Block(block) => self.builder.block(block),
            Leaf::Kept(html, what) => {
                self.diagnostics.push(Diagnostic::info(
                    "kept-html",
                    format!("kept <{what}> as HTML"),
                ));
                self.builder.inline(crate::md::ast::Inline::Html(html));
            }
            Leaf::Embed => self.embed(node),
            Leaf::ScriptLink(link) => {
                self.diagnostics.push(Diagnostic::info(
                    "embed-as-link",
                    "<script> became a link to its source",
                ));
                self.builder.inline(link);
            }
            Leaf::Code { block, markup } => {
                self.builder.block(block);
                if !markup.is_empty() {
                    self.diagnostics.push(Diagnostic::info(
                        "code-links-listed",
                        "links or images inside a code block follow it as a paragraph",
                    ));
                    self.builder.push_blocks(vec![Block::Paragraph(markup)]);
                }
            }
            Leaf::EmptyLink(crate::md::ast::Inline::Link { href, .. })
                if self.linked.contains(&href) =>
            {
                // The parser's split of a misnested anchor (`<a><div>`):
                // a visible link keeps the target.
                *self
                    .dropped
                    .entry(("dropped-empty-link", "a".into()))
                    .or_default() += 1;
            }
            Leaf::EmptyLink(link) => {
                self.diagnostics.push(Diagnostic::info(
                    "empty-link",
                    "a link around nothing visible was kept for its target as [](url)",
                ));
                self.builder.inline(link);
            }
            Leaf::Nothing(code) => {
                *self
                    .dropped
                    .entry((code, node.tag().to_owned()))
                    .or_default() += 1;
            }
        }
    }

    /// An embed as `--embeds` asks: the target's video shortcode, a link
    /// that says what it is, or the element kept as HTML; reported either way.
    fn embed(&mut self, node: &Node) {
        let shortcode = self.options.embeds == media::Embeds::Shortcode;
        let Some(embed) = media::embed(node, shortcode) else {
            *self
                .dropped
                .entry(("dropped-embed", node.tag().to_owned()))
                .or_default() += 1;
            return;
        };
        let tag = node.tag();
        if self.options.embeds == media::Embeds::Html {
            self.diagnostics.push(Diagnostic::info(
                "embed-as-html",
                format!("kept <{tag}> ({}) as HTML", embed.url),
            ));
            // In a `<span>`: an `<iframe>` starting a line would start an
            // HTML block and take the paragraph's other lines with it.
            let html = to_html(node, Tidy { all_attrs: true });
            self.builder
                .inline(Inline::Html(format!("<span>{html}</span>")));
            return;
        }
        let (code, what) = if embed.shortcode {
            ("embed-as-shortcode", "the target's video shortcode")
        } else if embed.video.is_some() {
            (
                "embed-as-link",
                "a link: no video shortcode here (Hugo has them; Hexo with hexo-tag-embed; or --embeds link)",
            )
        } else {
            ("embed-as-link", "a link to its source")
        };
        self.diagnostics.push(Diagnostic::info(
            code,
            format!("<{tag}> ({}) became {what}", embed.label),
        ));
        let alone = embed.shortcode;
        if alone {
            // The player is a block on the page (Hugo's and Hexo's are a
            // `<div>`; Hexo expands its tag before reading Markdown, so a
            // line starting with it would be an HTML block taking the rest
            // of the paragraph as raw text): a paragraph of its own.
            self.builder.boundary();
        }
        self.builder.inline(Inline::Embed(embed));
        if alone {
            self.builder.boundary();
        }
    }

    fn close_block(&mut self) {
        match self.builder.close_block() {
            Closed::Table { node, rows, stray } => {
                let (block, kept) = table::finish(&node, rows, &self.builder.open_links());
                // Kept HTML holds the caption and any stray content itself.
                if !kept {
                    self.builder.push_blocks(stray);
                }
                if kept {
                    self.diagnostics.push(Diagnostic::info(
                        "kept-html",
                        "kept a table as HTML: it has spans or block content",
                    ));
                }
                self.builder.block(block);
            }
            closed => self.builder.accept(closed),
        }
    }

    /// 36kr writes `p.image-wrapper > img` then `p.img-desc`: the caption
    /// goes under the image and names it when it has no alt text.
    fn close_caption(&mut self) {
        let Closed::Blocks(blocks) = self.builder.close_block() else {
            return;
        };
        if let Some(first) = blocks.first() {
            let text = media::caption_text(first);
            if let Some(prev) = self.builder.last_block_mut()
                && media::is_image_paragraph(prev)
            {
                media::fill_missing_alt(prev, &text);
            }
        }
        self.builder.push_blocks(blocks);
    }
}

/// The targets of links that show something, for empty links that
/// repeat one.
fn visibly_linked(root: &Node) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stack = root.children();
    while let Some(node) = stack.pop() {
        if node.tag() == "a"
            && let Some(href) = node.attr("href")
            && crate::html::elements::shows_content(&node)
        {
            out.insert(href.trim().to_owned());
        }
        stack.extend(node.child_nodes());
    }
    out
}

/// True when `blocks` hold nothing but paragraphs (for table cells).
fn only_paragraphs(blocks: &[Block]) -> bool {
    blocks.iter().all(|b| matches!(b, Block::Paragraph(_)))
}
