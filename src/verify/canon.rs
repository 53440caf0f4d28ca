//! The canonical form both sides are read into: blocks of inline runs.
//!
//! Only what Markdown can carry survives: paragraphs, headings, lists,
//! quotes, code, rules and tables, with text, emphasis, code, links, images
//! and breaks inside. Containers such as `div` vanish but still end a
//! paragraph; inline wrappers around blocks are re-opened in every
//! paragraph they cover (as a browser shows them). The walk is iterative;
//! closing a frame never recurses.
//!
//! Things the converter does on purpose are read here the same way on both
//! sides (lazy images, embeds as links, captions, project links in `text`
//! mode), so they never count as loss.

use super::VerifyOptions;
use crate::html::serialize::is_script_url;
use crate::html::{Node, NodeKind};
use crate::lower::media;
use crate::lower::site::{Action, fill};

/// Elements that show nothing a Markdown reader could keep.
const DROP: &[&str] = &[
    "script", "style", "noscript", "noembed", "noframes", "template", "head", "title", "meta",
    "link", "iframe", "video", "audio", "object", "embed", "svg", "canvas", "button", "input",
    "select", "textarea", "source", "track", "math",
];

/// Containers whose box vanishes but which start and end a paragraph.
const BOUNDARY: &[&str] = &[
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
    "address", "hgroup", "details", "summary", "dl", "dt", "dd", "fieldset", "legend", "form",
    "dialog", "body", "html", "caption",
];

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
    let bytes = url.trim().as_bytes();
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
    c.is_whitespace() || c == '\u{feff}'
}

/// Reads the children of `root` into canonical blocks.
pub fn canonicalize(root: &Node, options: &VerifyOptions) -> Vec<Block> {
    let mut builder = Builder::default();
    let mut stack: Vec<Step> = root.children().into_iter().rev().map(Step::Visit).collect();
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
    Block(Kind),
    Run(Run),
    LeafBlock(Block),
}

fn visit(builder: &mut Builder, node: Node, options: &VerifyOptions, stack: &mut Vec<Step>) {
    let rule = match node.kind() {
        NodeKind::Text(text) => {
            builder.text(text);
            return;
        }
        NodeKind::Element(_) => rule_for(&node, options),
        NodeKind::Comment | NodeKind::Other => return,
    };
    let mut children = |close: Option<Step>| {
        stack.extend(close);
        stack.extend(node.children().into_iter().rev().map(Step::Visit));
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
        Rule::Block(kind) => {
            builder.open_block(kind);
            children(Some(Step::CloseBlock));
        }
        Rule::Run(run) => builder.run(run),
        Rule::LeafBlock(block) => builder.leaf_block(block),
    }
}

/// What the converter made of an element a site rule matched.
fn site_rule(action: &Action, node: &Node) -> Rule {
    match action {
        Action::Unwrap | Action::Text => Rule::Transparent,
        Action::Remove | Action::Shortcode { .. } => Rule::Drop,
        Action::Link { href: Some(t) } => Rule::Inline(Wrap::Link(norm_url(&fill(t, node)))),
        Action::Link { href: None } | Action::KeepHtml => match node.attr("href") {
            Some(href) if !href.trim().is_empty() => Rule::Inline(Wrap::Link(norm_url(&href))),
            _ => Rule::Transparent,
        },
    }
}

/// The one table of element meanings, site rules first.
fn rule_for(node: &Node, options: &VerifyOptions) -> Rule {
    let tag = node.tag();
    let caption = options.captions_as_alt;
    match tag {
        "iframe" | "video" | "audio" | "embed" | "object" => embed(node, options),
        _ if DROP.contains(&tag) => Rule::Drop,
        // Script URLs are dropped on purpose (their text stays).
        "a" if node.attr("href").is_some_and(|h| is_script_url(&h)) => Rule::Transparent,
        "img" if is_script_url(&image_source(node, options)) => Rule::Drop,
        _ if let Some(rule) = options.rules.iter().find(|r| r.selector.matches(node)) => {
            site_rule(&rule.action, node)
        }
        "a" => match node.attr("href") {
            Some(href) if !href.trim().is_empty() => Rule::Inline(Wrap::Link(norm_url(&href))),
            _ => Rule::Transparent,
        },
        "p" if caption && node.has_class("img-desc") => Rule::Block(Kind::Caption),
        "figcaption" if caption => Rule::Block(Kind::Caption),
        "figure" if caption => Rule::Block(Kind::Figure),
        "figure" | "figcaption" => Rule::Boundary,
        _ if BOUNDARY.contains(&tag) => Rule::Boundary,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            Rule::Block(Kind::Heading(tag[1..].parse().unwrap_or(1)))
        }
        "blockquote" => Rule::Block(Kind::Quote),
        "ul" | "menu" | "ol" => Rule::Block(Kind::List {
            ordered: tag == "ol",
            items: Vec::new(),
        }),
        "li" => Rule::Block(Kind::Item),
        "table" => Rule::Block(Kind::Table { rows: Vec::new() }),
        "tr" => Rule::Block(Kind::Row { cells: Vec::new() }),
        "td" | "th" => Rule::Block(Kind::Cell),
        "strong" | "b" => Rule::Inline(Wrap::Strong),
        "em" | "i" | "cite" | "dfn" | "var" => Rule::Inline(Wrap::Em),
        "del" | "s" | "strike" => Rule::Inline(Wrap::Del),
        "img" => match image_source(node, options) {
            src if src.is_empty() => Rule::Drop,
            src => Rule::Run(Run::Img(src)),
        },
        "br" => Rule::Run(Run::Br),
        "hr" => Rule::LeafBlock(Block::Hr),
        // Browsers show xmp, plaintext and listing preformatted, as pre.
        "pre" | "xmp" | "plaintext" | "listing" => {
            Rule::LeafBlock(Block::Pre(leaf(node, true, options)))
        }
        "code" | "tt" | "kbd" | "samp" => match leaf(node, false, options) {
            code if code.text.chars().all(is_space)
                && code.links.is_empty()
                && code.images.is_empty() =>
            {
                Rule::Drop
            }
            code => Rule::Run(Run::Code(code)),
        },
        _ => Rule::Transparent,
    }
}

/// An embed reads as the link the converter writes for it (a video
/// shortcode as its player link): its label and target are not "added".
fn embed(node: &Node, options: &VerifyOptions) -> Rule {
    let shortcode = options.embeds == media::Embeds::Shortcode;
    let Some(embed) = media::embed(node, shortcode) else {
        return Rule::Drop;
    };
    let (href, label) = media::embed_reading(&embed);
    Rule::Run(Run::Wrap(
        Wrap::Link(norm_url(&href)),
        vec![Run::Text(label)],
    ))
}

/// The source the converter would pick for an image.
fn image_source(img: &Node, options: &VerifyOptions) -> String {
    let src = if options.lazy_images {
        media::image_source(img)
    } else {
        img.attr("src").unwrap_or_default()
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
    let mut out = Leaf {
        text: node.text_content(keep_lines),
        ..Leaf::default()
    };
    let mut stack = node.children();
    while let Some(n) = stack.pop() {
        match n.tag() {
            "a" => {
                if let Some(href) = n.attr("href").filter(|h| !h.trim().is_empty()) {
                    out.links.push(norm_url(&href));
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
        stack.extend(n.children());
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
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            frames: vec![Frame::new(Kind::Root)],
            fmt: Vec::new(),
        }
    }
}

impl Builder {
    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("root frame")
    }

    fn run(&mut self, run: Run) {
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

/// A heading holds one line: paragraphs inside it join with a space.
fn heading(level: u8, blocks: Vec<Block>) -> Vec<Block> {
    let mut runs = Vec::new();
    let mut others = Vec::new();
    for block in blocks {
        match block {
            Block::Para(mut p) | Block::Heading(_, mut p) => {
                if !runs.is_empty() {
                    runs.push(Run::Text(" ".into()));
                }
                runs.append(&mut p);
            }
            other => others.push(other),
        }
    }
    breaks_to_spaces(&mut runs);
    let mut out = Vec::new();
    if visible(&runs) {
        out.push(Block::Heading(level, runs));
    }
    out.extend(others);
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
