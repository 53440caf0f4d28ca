//! The canonical form both sides are read into: blocks of inline runs.
//!
//! Only what Markdown can carry survives: paragraphs, headings, lists,
//! quotes, code, rules and tables, with text, emphasis, code, links, images
//! and breaks inside. Containers such as `div` vanish but still end a
//! paragraph; inline wrappers around blocks are re-opened in every
//! paragraph they cover (as a browser shows them). The walk is iterative;
//! closing a frame never recurses.
//!
//! What an element is comes from the one table of element meanings
//! (`html::elements`), the same rows lowering reads, so the two cannot
//! drift. Things the converter does on purpose are read here the same way
//! on both sides (lazy images, embeds as links, captions, project links in
//! `text` mode, a code block's links after it, layout tables, styled spans,
//! `[caption]` text, double breaks), so they never count as loss.

mod markup;

pub(super) use markup::MarkupReader;

use super::VerifyOptions;
use crate::html::elements::{
    Becomes, CodeMarkup, Reader, TableLayout, code_markup, element, holds_code_block, script_link,
    style_marks, table_layout,
};
use crate::html::serialize::is_script_url;
use crate::html::{Node, NodeKind};
use crate::lower::media;
use crate::lower::site::{Action, fill};
use crate::lower::wordpress::{Piece, caption_pieces, holds_caption_shortcode, is_more_divider};

/// An inline wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrap {
    Em,
    Strong,
    Del,
    /// A link, its target already normalized.
    Link(String),
}

/// An inline run.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    Wrap(Wrap, Vec<Run>),
    /// Inline code, with the targets of any links and images inside it.
    Code(Leaf),
    /// An image, by its normalized source (alt text is never compared).
    Img(String),
    Br,
}

/// The text of a code span or block and what else it held.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Leaf {
    pub text: String,
    pub links: Vec<String>,
    pub images: Vec<String>,
}

/// A block.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Vec<Run>),
    Heading(u8, Vec<Run>),
    Pre(Leaf),
    Hr,
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// Rows of cells; a cell holds blocks (a GFM cell one paragraph).
    Table(Vec<Vec<Vec<Block>>>),
}

/// Trims and percent-decodes a URL, as `fidelity.py`'s `norm_url` does, so
/// that the renderer's escaping of a destination is not a change.
pub fn norm_url(url: &str) -> String {
    let url = url.trim();
    // Nothing to decode (most URLs): the trimmed text as it is.
    if !url.contains(['%', '&']) {
        return url.to_owned();
    }
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("&amp;", "&")
}

/// True for the whitespace that never counts as content.
pub fn is_space(c: char) -> bool {
    // No Unicode whitespace lies above U+3000: CJK text skips the lookup.
    if c > '\u{3000}' {
        return c == '\u{feff}';
    }
    c.is_whitespace()
}

/// Reads the children of `root` into canonical blocks.
pub fn canonicalize(root: &Node, options: &VerifyOptions) -> Vec<Block> {
    let mut builder = Builder {
        captions: holds_caption_shortcode(root),
        ..Builder::default()
    };
    // Deep enough for most bodies without growing.
    let mut stack: Vec<Step> = Vec::with_capacity(64);
    stack.extend(root.child_nodes().rev().map(Step::Visit));
    while let Some(step) = stack.pop() {
        match step {
            Step::Visit(node) => visit(&mut builder, node, options, &mut stack),
            Step::CloseInline => builder.close_inline(),
            Step::CloseBlock => builder.close_block(),
            Step::Boundary => builder.boundary(),
        }
    }
    builder.finish()
}

enum Step {
    Visit(Node),
    CloseInline,
    CloseBlock,
    Boundary,
}

/// What an element is, canonically.
enum Rule {
    Drop,
    Transparent,
    Boundary,
    Inline(Wrap),
    /// Several wrappers, outermost first (a styled `span`).
    Inlines(Vec<Wrap>),
    Block(Kind),
    Run(Run),
    /// A run that is a paragraph of its own (a video player).
    Alone(Run),
    LeafBlock(Block),
    /// A code block and the paragraph of what it held that code cannot.
    CodeBlock(Vec<Block>),
}

fn visit(builder: &mut Builder, node: Node, options: &VerifyOptions, stack: &mut Vec<Step>) {
    let rule = match node.kind() {
        NodeKind::Text(text) => {
            builder.caption_text(text);
            return;
        }
        NodeKind::Element(_) => rule_for(&node, options, builder.in_table_cell()),
        // The summary divider the converter keeps ends a paragraph.
        NodeKind::Comment if node.comment_text().is_some_and(is_more_divider) => {
            builder.boundary();
            return;
        }
        NodeKind::Comment | NodeKind::Other => return,
    };
    let mut children = |close: Option<Step>| {
        stack.extend(close);
        stack.extend(node.child_nodes().rev().map(Step::Visit));
    };
    match rule {
        Rule::Drop => {}
        Rule::Transparent => children(None),
        Rule::Boundary => {
            builder.boundary();
            children(Some(Step::Boundary));
        }
        Rule::Inline(wrap) => {
            builder.open_inline(wrap);
            children(Some(Step::CloseInline));
        }
        Rule::Inlines(wraps) => {
            for wrap in wraps {
                builder.open_inline(wrap);
                stack.push(Step::CloseInline);
            }
            stack.extend(node.child_nodes().rev().map(Step::Visit));
        }
        Rule::Block(kind) => {
            builder.open_block(kind);
            children(Some(Step::CloseBlock));
        }
        Rule::Run(run) => builder.run(run),
        Rule::Alone(run) => {
            builder.boundary();
            builder.run(run);
            builder.boundary();
        }
        Rule::LeafBlock(block) => builder.leaf_block(block),
        Rule::CodeBlock(blocks) => blocks.into_iter().for_each(|b| builder.leaf_block(b)),
    }
}

/// What the converter made of an element a site rule matched.
fn site_rule(action: &Action, node: &Node, options: &VerifyOptions) -> Rule {
    match action {
        Action::Unwrap | Action::Text => Rule::Transparent,
        Action::Remove | Action::Shortcode { .. } => Rule::Drop,
        Action::Link { href: Some(t) } => Rule::Inline(Wrap::Link(norm_url(&fill(t, node)))),
        Action::Link { href: None } | Action::KeepHtml => match node.attr("href") {
            Some(href) if !href.trim().is_empty() => {
                Rule::Inline(Wrap::Link(link_target(href, options)))
            }
            _ => Rule::Transparent,
        },
    }
}

/// A link's target as the converter writes it: through the map of a moved
/// post's relative links, normalized.
fn link_target(href: &str, options: &VerifyOptions) -> String {
    let mapped = options.links.as_ref().and_then(|m| (m.0)(href.trim()));
    norm_url(mapped.as_deref().unwrap_or(href))
}

/// What an element reads as: site rules first, then its row in the one
/// table of element meanings (`html::elements`), the same row lowering
/// reads. Content no reader sees, or that the converter drops on purpose
/// (the row says which), is not read.
fn rule_for(node: &Node, options: &VerifyOptions, in_cell: bool) -> Rule {
    let tag = node.tag();
    let row = element(tag);
    let caption = options.captions_as_alt;
    if let Some(page) = script_link(node) {
        let label = vec![Run::Text(page.clone())];
        return Rule::Run(Run::Wrap(Wrap::Link(norm_url(&page)), label));
    }
    match row.becomes {
        Becomes::Embed => return embed(node, options),
        _ if row.reader != Reader::Sees => return Rule::Drop,
        _ => {}
    }
    // An image's source, read once for both questions below.
    let img_src = (tag == "img").then(|| image_source(node, options));
    match tag {
        // Script URLs are dropped on purpose (their text stays).
        "a" if node.attr("href").is_some_and(is_script_url) => {
            return Rule::Transparent;
        }
        "img" if img_src.as_deref().is_some_and(is_script_url) => return Rule::Drop,
        _ if let Some(rule) = options.rules.iter().find(|r| r.selector.matches(node)) => {
            return site_rule(&rule.action, node, options);
        }
        "p" if caption && node.has_class("img-desc") => return Rule::Block(Kind::Caption),
        _ => {}
    }
    match table_layout(node, in_cell) {
        TableLayout::OneCell => return Rule::Boundary,
        TableLayout::Code { pre, .. } => return Rule::CodeBlock(code_block(&pre, options)),
        TableLayout::Data => {}
    }
    match row.becomes {
        Becomes::Caption if caption => Rule::Block(Kind::Caption),
        Becomes::Figure if caption => Rule::Block(Kind::Figure),
        Becomes::Caption | Becomes::Figure | Becomes::Boundary => Rule::Boundary,
        Becomes::Heading => Rule::Block(Kind::Heading(tag[1..].parse().unwrap_or(1))),
        Becomes::Quote => Rule::Block(Kind::Quote),
        Becomes::List { ordered } => Rule::Block(Kind::List {
            ordered,
            items: Vec::new(),
        }),
        Becomes::Item => Rule::Block(Kind::Item),
        Becomes::Table => Rule::Block(Kind::Table { rows: Vec::new() }),
        Becomes::Row => Rule::Block(Kind::Row { cells: Vec::new() }),
        Becomes::Cell => Rule::Block(Kind::Cell),
        mark @ (Becomes::Strong | Becomes::Emph | Becomes::Strike) => {
            emphasis(mark).map_or(Rule::Transparent, Rule::Inline)
        }
        Becomes::Link => match node.attr("href") {
            Some(href) if !href.trim().is_empty() => {
                Rule::Inline(Wrap::Link(link_target(href, options)))
            }
            _ => Rule::Transparent,
        },
        Becomes::Image => match img_src.unwrap_or_else(|| image_source(node, options)) {
            src if src.is_empty() => Rule::Drop,
            src => Rule::Run(Run::Img(src)),
        },
        Becomes::Break => Rule::Run(Run::Br),
        Becomes::Rule => Rule::LeafBlock(Block::Hr),
        Becomes::CodeBlock => Rule::CodeBlock(code_block(node, options)),
        // `<code><pre>`: a box around the block, not inline code.
        Becomes::CodeSpan if holds_code_block(node) => Rule::Transparent,
        Becomes::CodeSpan | Becomes::KeptTag { code: true } => code_span(node, options),
        Becomes::Transparent => styled(node),
        Becomes::KeptTag { code: false } => Rule::Transparent,
        Becomes::Dropped(_) | Becomes::Embed => Rule::Drop,
    }
}

/// A code block reads as its lines, followed by a paragraph of the links
/// and images it held, as the converter writes them (Markdown code holds
/// neither): nothing a reader had is counted lost.
fn code_block(node: &Node, options: &VerifyOptions) -> Vec<Block> {
    let mut text = leaf(node, true, options);
    text.links.clear();
    text.images.clear();
    let mut runs = Vec::new();
    for markup in code_markup(node) {
        if !runs.is_empty() {
            runs.push(Run::Text(" ".to_owned()));
        }
        match markup {
            CodeMarkup::Link {
                href,
                label,
                images,
            } => {
                let mut kids: Vec<Run> = images
                    .iter()
                    .map(|img| image_source(img, options))
                    .filter(|src| !src.is_empty())
                    .map(Run::Img)
                    .collect();
                kids.push(Run::Text(label));
                runs.push(Run::Wrap(Wrap::Link(link_target(&href, options)), kids));
            }
            CodeMarkup::Image(img) => match image_source(&img, options) {
                src if src.is_empty() => {}
                src => runs.push(Run::Img(src)),
            },
        }
    }
    let mut out = vec![Block::Pre(text)];
    if visible(&runs) {
        out.push(Block::Para(runs));
    }
    out
}

/// The emphasis an element (or a style mark) reads as.
fn emphasis(becomes: Becomes) -> Option<Wrap> {
    match becomes {
        Becomes::Strong => Some(Wrap::Strong),
        Becomes::Emph => Some(Wrap::Em),
        Becomes::Strike => Some(Wrap::Del),
        _ => None,
    }
}

/// A box whose style shows emphasis reads as that emphasis.
fn styled(node: &Node) -> Rule {
    let wraps: Vec<Wrap> = style_marks(node).into_iter().filter_map(emphasis).collect();
    if wraps.is_empty() {
        Rule::Transparent
    } else {
        Rule::Inlines(wraps)
    }
}

/// Inline code; code with nothing but whitespace in it reads as nothing.
fn code_span(node: &Node, options: &VerifyOptions) -> Rule {
    match leaf(node, false, options) {
        code if code.text.chars().all(is_space)
            && code.links.is_empty()
            && code.images.is_empty() =>
        {
            Rule::Drop
        }
        code => Rule::Run(Run::Code(code)),
    }
}

/// An embed reads as the link the converter writes for it (a video
/// shortcode as its player link, in a paragraph of its own, as the player
/// shows): its label and target are not "added".
fn embed(node: &Node, options: &VerifyOptions) -> Rule {
    let shortcode = options.embeds == media::Embeds::Shortcode;
    let Some(embed) = media::embed(node, shortcode) else {
        return Rule::Drop;
    };
    let (href, label) = media::embed_reading(&embed);
    let link = Run::Wrap(Wrap::Link(norm_url(&href)), vec![Run::Text(label)]);
    if embed.shortcode {
        Rule::Alone(link)
    } else {
        Rule::Run(link)
    }
}

/// The source the converter would pick for an image.
fn image_source(img: &Node, options: &VerifyOptions) -> String {
    match img.attrs() {
        Some(attrs) => image_source_by(|name| attrs.get(name), options),
        None => image_source_by(|_| None, options),
    }
}

/// [`image_source`] of an image whose attributes `attr` gives by name.
fn image_source_by<'a>(attr: impl Fn(&str) -> Option<&'a str>, options: &VerifyOptions) -> String {
    let src = if options.lazy_images {
        media::image_source_by(attr)
    } else {
        attr("src").unwrap_or_default().to_owned()
    };
    let src = options
        .images
        .as_ref()
        .and_then(|m| (m.0)(&src))
        .unwrap_or(src);
    norm_url(&src)
}

/// A code span or block: its text, and the links and images inside it
/// (which Markdown code cannot hold, so losing them is a loss).
fn leaf(node: &Node, keep_lines: bool, options: &VerifyOptions) -> Leaf {
    let text = if keep_lines {
        // The same lines the converter writes.
        crate::html::elements::code_text(node)
    } else {
        node.text_content(false)
    };
    let mut out = Leaf {
        text,
        ..Leaf::default()
    };
    let mut stack = node.children();
    while let Some(n) = stack.pop() {
        match n.tag() {
            "a" => {
                if let Some(href) = n.attr("href").filter(|h| !h.trim().is_empty()) {
                    out.links.push(link_target(href, options));
                }
            }
            "img" => {
                let src = image_source(&n, options);
                if !src.is_empty() {
                    out.images.push(src);
                }
            }
            _ => {}
        }
        stack.extend(n.child_nodes());
    }
    if keep_lines && out.text.trim().is_empty() {
        out.text.clear();
    }
    out
}

/// A block container being read.
enum Kind {
    Root,
    Quote,
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Item,
    Heading(u8),
    Table {
        rows: Vec<Vec<Vec<Block>>>,
    },
    Row {
        cells: Vec<Vec<Block>>,
    },
    Cell,
    Caption,
    Figure,
}

/// The open paragraph: a root run list plus one per open wrapper.
type Para = Vec<(Option<Wrap>, Vec<Run>)>;

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    para: Option<Para>,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame {
            kind,
            blocks: Vec::new(),
            para: None,
        }
    }
}

struct Builder {
    frames: Vec<Frame>,
    /// Open wrappers, outermost first.
    fmt: Vec<Wrap>,
    /// Whether `[caption]` markers are a shortcode here (a pair exists).
    captions: bool,
    /// An open WordPress `[caption]`, with its `caption="..."` text.
    caption: Option<Option<String>>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            frames: vec![Frame::new(Kind::Root)],
            fmt: Vec::new(),
            captions: false,
            caption: None,
        }
    }
}

impl Builder {
    fn in_table_cell(&self) -> bool {
        self.frames.iter().any(|f| matches!(f.kind, Kind::Cell))
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("root frame")
    }

    fn run(&mut self, run: Run) {
        if matches!(run, Run::Br) && self.after_break() {
            // Two breaks in a row, outside emphasis and links, show a
            // paragraph gap; the converter ends the paragraph there.
            self.boundary();
            return;
        }
        let fmt = &self.fmt;
        let frame = self.frames.last_mut().expect("root frame");
        let para = frame.para.get_or_insert_with(|| {
            let mut p = vec![(None, Vec::new())];
            p.extend(fmt.iter().map(|w| (Some(w.clone()), Vec::new())));
            p
        });
        if let Some((_, runs)) = para.last_mut() {
            runs.push(run);
        }
    }

    /// Whether the open paragraph, outside any wrapper, ends with a break
    /// (and whitespace).
    fn after_break(&self) -> bool {
        let Some(frame) = self.frames.last() else {
            return false;
        };
        // A heading's breaks are spaces; a cell or caption is one line.
        if matches!(frame.kind, Kind::Heading(_) | Kind::Cell | Kind::Caption) {
            return false;
        }
        let Some(para) = frame.para.as_ref() else {
            return false;
        };
        let [(_, runs)] = para.as_slice() else {
            return false;
        };
        runs.iter()
            .rev()
            .find(|r| !matches!(r, Run::Text(t) if t.chars().all(is_space)))
            .is_some_and(|r| matches!(r, Run::Br))
    }

    /// Text, with `[caption]` markers read as the converter reads them
    /// (`lower::wordpress`): the image, then the caption's paragraph.
    fn caption_text(&mut self, text: &str) {
        if !self.captions {
            self.text(text);
            return;
        }
        let pieces = caption_pieces(text);
        if let [Piece::Text(t)] = pieces.as_slice() {
            self.text(t);
            return;
        }
        if self.caption.is_some() && pieces.contains(&Piece::Close) {
            self.boundary();
        }
        let mut said = false;
        for piece in pieces {
            match piece {
                Piece::Text(t) => {
                    said |= !t.trim().is_empty();
                    self.text(t);
                }
                Piece::Open(attr) => {
                    self.boundary();
                    self.caption = Some(attr);
                    said = false;
                }
                Piece::Close => {
                    if let Some(Some(attr)) = self.caption.take()
                        && !said
                    {
                        self.boundary();
                        self.text(&attr);
                    }
                    self.boundary();
                }
            }
        }
    }

    /// Whitespace between blocks is layout, not content.
    fn text(&mut self, text: &str) {
        let outside = self.frames.last().is_none_or(|f| f.para.is_none());
        if text.is_empty() || (outside && text.chars().all(is_space)) {
            return;
        }
        self.run(Run::Text(text.to_owned()));
    }

    fn open_inline(&mut self, wrap: Wrap) {
        if let Some(para) = self.frame().para.as_mut() {
            para.push((Some(wrap.clone()), Vec::new()));
        }
        self.fmt.push(wrap);
    }

    fn close_inline(&mut self) {
        self.fmt.pop();
        if let Some(para) = self.frame().para.as_mut()
            && para.len() >= 2
            && let Some((Some(w), runs)) = para.pop()
            && let Some((_, parent)) = para.last_mut()
        {
            parent.push(Run::Wrap(w, runs));
        }
    }

    fn boundary(&mut self) {
        let frame = self.frame();
        let Some(mut para) = frame.para.take() else {
            return;
        };
        while para.len() > 1 {
            if let Some((Some(w), runs)) = para.pop()
                && let Some((_, parent)) = para.last_mut()
            {
                parent.push(Run::Wrap(w, runs));
            }
        }
        if let Some((_, runs)) = para.pop()
            && visible(&runs)
        {
            // Most paragraphs hold no link in a link: kept as they are.
            let runs = if runs.iter().any(nests_links) {
                unnest_links(runs)
            } else {
                runs
            };
            frame.blocks.push(Block::Para(runs));
        }
    }

    fn leaf_block(&mut self, block: Block) {
        self.boundary();
        if !matches!(&block, Block::Pre(l) if l.text.is_empty() && l.links.is_empty()) {
            self.frame().blocks.push(block);
        }
    }

    fn open_block(&mut self, kind: Kind) {
        self.boundary();
        if matches!(kind, Kind::Item) {
            self.flush_stray_list_content();
        }
        self.frames.push(Frame::new(kind));
    }

    /// Content directly in a list, outside any `<li>`, reads as an item.
    fn flush_stray_list_content(&mut self) {
        let frame = self.frame();
        if let Kind::List { items, .. } = &mut frame.kind
            && !frame.blocks.is_empty()
        {
            items.push(std::mem::take(&mut frame.blocks));
        }
    }

    fn close_block(&mut self) {
        self.boundary();
        self.flush_stray_list_content();
        if self.frames.len() < 2 {
            return;
        }
        let Frame { kind, blocks, .. } = self.frames.pop().expect("checked above");
        let parent = self.frame();
        match (kind, &mut parent.kind) {
            (Kind::Item, Kind::List { items, .. }) => items.push(blocks),
            (Kind::Cell, Kind::Row { cells }) => cells.push(blocks),
            (Kind::Row { cells }, Kind::Table { rows }) => {
                parent.blocks.extend(blocks);
                rows.push(cells);
            }
            (Kind::Row { cells }, _) => {
                parent.blocks.extend(blocks);
                parent.blocks.extend(cells.into_iter().flatten());
            }
            (kind, _) => {
                let done = finish(kind, blocks);
                parent.blocks.extend(done);
            }
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            self.close_block();
        }
        self.boundary();
        self.frames.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

/// Turns a closed container into the blocks it stands for.
fn finish(kind: Kind, blocks: Vec<Block>) -> Vec<Block> {
    match kind {
        Kind::Quote if blocks.is_empty() => Vec::new(),
        Kind::Quote => vec![Block::Quote(blocks)],
        Kind::List { items, .. } if items.is_empty() => Vec::new(),
        Kind::List { ordered, items } => vec![Block::List { ordered, items }],
        Kind::Table { rows } => table(rows, blocks),
        Kind::Heading(level) => heading(level, blocks),
        Kind::Caption => caption(blocks),
        Kind::Figure => figure(blocks),
        // An `<li>` outside any list still shows as a list item.
        Kind::Item => vec![Block::List {
            ordered: false,
            items: vec![blocks],
        }],
        Kind::Root | Kind::Row { .. } | Kind::Cell => blocks,
    }
}

/// Stray content of a table shows before it; rows with nothing in them
/// (padding a GFM table adds or drops) do not count.
fn table(rows: Vec<Vec<Vec<Block>>>, mut stray: Vec<Block>) -> Vec<Block> {
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect();
    if !rows.is_empty() {
        stray.push(Block::Table(rows));
    }
    stray
}

/// A heading holds one line; each paragraph inside it shows as a line of
/// its own in the heading's style, so each reads as a heading.
fn heading(level: u8, blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Para(mut runs) | Block::Heading(_, mut runs) => {
                breaks_to_spaces(&mut runs);
                if visible(&runs) {
                    out.push(Block::Heading(level, runs));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A heading is one line in Markdown: its breaks read as spaces.
fn breaks_to_spaces(runs: &mut [Run]) {
    for run in runs {
        match run {
            Run::Br => *run = Run::Text(" ".into()),
            Run::Wrap(_, kids) => breaks_to_spaces(kids),
            _ => {}
        }
    }
}

/// A caption reads as an italic paragraph, as the converter writes it.
fn caption(blocks: Vec<Block>) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Para(runs) => Block::Para(vec![Run::Wrap(Wrap::Em, runs)]),
            other => other,
        })
        .collect()
}

/// In a figure, the caption goes under what it describes.
fn figure(blocks: Vec<Block>) -> Vec<Block> {
    let (captions, mut rest): (Vec<Block>, Vec<Block>) = blocks.into_iter().partition(
        |b| matches!(b, Block::Para(r) if r.len() == 1 && matches!(r[0], Run::Wrap(Wrap::Em, _))),
    );
    rest.extend(captions);
    rest
}

/// A link inside a link (HTML lets a table cell inside a link hold one):
/// a reader follows the innermost link, so the outer one covers only what
/// lies outside the inner ones, one link per stretch, as the converter
/// splits it (`transform::links`). Recursion follows the run tree, whose
/// depth the parser's depth guard bounds.
fn unnest_links(runs: Vec<Run>) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        match run {
            Run::Wrap(wrap, kids) => {
                let kids = unnest_links(kids);
                match wrap {
                    Wrap::Link(href) if kids.iter().any(holds_link) => {
                        split_link(&href, kids, &mut out)
                    }
                    wrap => out.push(Run::Wrap(wrap, kids)),
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether a link lies in a link anywhere in `run` ([`unnest_links`]
/// leaves runs without one as they are).
fn nests_links(run: &Run) -> bool {
    match run {
        Run::Wrap(Wrap::Link(_), kids) => kids.iter().any(holds_link),
        Run::Wrap(_, kids) => kids.iter().any(nests_links),
        _ => false,
    }
}

/// Whether a run is or holds a link.
fn holds_link(run: &Run) -> bool {
    match run {
        Run::Wrap(Wrap::Link(_), _) => true,
        Run::Wrap(_, kids) => kids.iter().any(holds_link),
        _ => false,
    }
}

/// The runs of a link to `href` whose `kids` hold links: each stretch
/// outside them links to `href`, the inner links stay theirs, and a
/// wrapper around an inner link (`<em>`) is split the same way inside.
fn split_link(href: &str, kids: Vec<Run>, out: &mut Vec<Run>) {
    let mut stretch = Vec::new();
    let flush = |out: &mut Vec<Run>, stretch: &mut Vec<Run>| {
        if visible(stretch) {
            out.push(Run::Wrap(
                Wrap::Link(href.to_owned()),
                std::mem::take(stretch),
            ));
        } else {
            // Only spaces between links: no link of their own.
            out.append(stretch);
        }
    };
    for kid in kids {
        match kid {
            Run::Wrap(Wrap::Link(_), _) => {
                flush(out, &mut stretch);
                out.push(kid);
            }
            Run::Wrap(wrap, inner) if inner.iter().any(holds_link) => {
                flush(out, &mut stretch);
                let mut split = Vec::new();
                split_link(href, inner, &mut split);
                out.push(Run::Wrap(wrap, split));
            }
            other => stretch.push(other),
        }
    }
    flush(out, &mut stretch);
}

/// True when a reader would see something: text, an image, code. A link
/// around nothing shows nothing (and is often the parser's re-opening of a
/// misnested `<a>`), so it is not content. Recursion follows the run tree,
/// whose depth the parser's depth guard bounds.
pub fn visible(runs: &[Run]) -> bool {
    runs.iter().any(|r| match r {
        Run::Text(t) => !t.chars().all(is_space),
        Run::Br => false,
        Run::Code(_) | Run::Img(_) => true,
        Run::Wrap(_, kids) => visible(kids),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_space_shortcut_agrees_with_unicode_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_space(c), c.is_whitespace() || c == '\u{feff}', "{c:?}");
        }
    }

    #[test]
    fn urls_without_escapes_are_only_trimmed() {
        assert_eq!(norm_url("  https://a.test/x?y=1 "), "https://a.test/x?y=1");
        assert_eq!(
            norm_url("https://a.test/%E4%B8%AD?a=1&amp;b=2"),
            "https://a.test/中?a=1&b=2"
        );
        assert_eq!(norm_url("%zz&"), "%zz&");
    }

    #[test]
    fn only_a_link_in_a_link_is_unnested() {
        let text = |t: &str| Run::Text(t.into());
        let link = |to: &str, kids: Vec<Run>| Run::Wrap(Wrap::Link(to.into()), kids);
        let em = |kids: Vec<Run>| Run::Wrap(Wrap::Em, kids);
        let flat = vec![
            text("a "),
            link("/x", vec![em(vec![text("b")]), Run::Img("i.png".into())]),
            em(vec![link("/y", vec![text("c")]), Run::Br]),
        ];
        assert!(!flat.iter().any(nests_links));
        assert_eq!(unnest_links(flat.clone()), flat);
        let nested = vec![em(vec![link(
            "/x",
            vec![text("d "), em(vec![link("/y", vec![text("e")])])],
        )])];
        assert!(nested.iter().any(nests_links));
        assert_eq!(
            unnest_links(nested),
            vec![em(vec![
                link("/x", vec![text("d ")]),
                em(vec![link("/y", vec![text("e")])]),
            ])]
        );
    }
}
