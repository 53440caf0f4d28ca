//! Builds the Markdown AST from a stream of walk events.
//!
//! HTML lets inline elements wrap blocks (`<b><p>x</p></b>`); Markdown does
//! not. The builder keeps the open inline wrappers in one list (`fmt`) and
//! re-opens them inside every paragraph that starts while they are open, so
//! each paragraph carries the formatting a browser would show. It never
//! looks at the DOM and never escapes.

use crate::html::Node;
use crate::md::ast::{Block, Inline, List};

/// An inline wrapper that can be open across block boundaries.
#[derive(Debug, Clone)]
pub enum InlineKind {
    Strong,
    Emph,
    Strike,
    Link {
        href: String,
        title: Option<String>,
    },
    Tag {
        name: String,
        attrs: Vec<(String, String)>,
    },
}

impl InlineKind {
    fn wrap(self, children: Vec<Inline>) -> Inline {
        match self {
            InlineKind::Strong => Inline::Strong(children),
            InlineKind::Emph => Inline::Emph(children),
            InlineKind::Strike => Inline::Strike(children),
            InlineKind::Link { href, title } => Inline::Link {
                href,
                title,
                children,
            },
            InlineKind::Tag { name, attrs } => Inline::Tag {
                name,
                attrs,
                children,
            },
        }
    }
}

/// A table cell as collected, before the table decides its form.
pub struct CellData {
    pub spans: bool,
    pub align: crate::md::ast::Align,
    pub blocks: Vec<Block>,
}

/// A table row as collected.
pub struct RowData {
    pub cells: Vec<CellData>,
}

/// A block container being built.
pub enum BlockKind {
    Root,
    Quote,
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item,
    Heading(u8),
    Table {
        node: Node,
        rows: Vec<RowData>,
    },
    Row {
        cells: Vec<CellData>,
    },
    Cell {
        spans: bool,
        align: crate::md::ast::Align,
    },
    Caption,
    Figure,
}

struct Frame {
    kind: BlockKind,
    blocks: Vec<Block>,
    /// The open paragraph: a root frame plus one frame per entry of `fmt`.
    para: Option<Vec<(Option<InlineKind>, Vec<Inline>)>>,
}

impl Frame {
    fn new(kind: BlockKind) -> Self {
        Frame {
            kind,
            blocks: Vec::new(),
            para: None,
        }
    }
}

/// What a closed block frame hands back to its parent.
pub enum Closed {
    Blocks(Vec<Block>),
    Item(Vec<Block>),
    Cell(CellData),
    Row(RowData),
    Table {
        node: Node,
        rows: Vec<RowData>,
        stray: Vec<Block>,
    },
}

pub struct Builder {
    frames: Vec<Frame>,
    fmt: Vec<InlineKind>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            frames: vec![Frame::new(BlockKind::Root)],
            fmt: Vec::new(),
        }
    }
}

impl Builder {
    /// Appends an inline leaf (text, image, break, code...).
    pub fn inline(&mut self, node: Inline) {
        let fmt = &self.fmt;
        let frame = self.frames.last_mut().expect("root frame");
        let para = frame.para.get_or_insert_with(|| {
            let mut p = vec![(None, Vec::new())];
            p.extend(fmt.iter().map(|k| (Some(k.clone()), Vec::new())));
            p
        });
        if let Some((_, children)) = para.last_mut() {
            children.push(node);
        }
    }

    /// Appends text. Whitespace outside any paragraph (between list items,
    /// table cells or blocks) is layout, not content, and is skipped.
    pub fn text(&mut self, text: String) {
        let outside = self.frames.last().is_none_or(|f| f.para.is_none());
        if text.is_empty() || (outside && text.chars().all(|c| c == ' ' || c == '\n')) {
            return;
        }
        self.inline(Inline::Text(text));
    }

    pub fn open_inline(&mut self, kind: InlineKind) {
        if let Some(para) = self.frames.last_mut().and_then(|f| f.para.as_mut()) {
            para.push((Some(kind.clone()), Vec::new()));
        }
        self.fmt.push(kind);
    }

    pub fn close_inline(&mut self) {
        self.fmt.pop();
        let Some(para) = self.frames.last_mut().and_then(|f| f.para.as_mut()) else {
            return;
        };
        if para.len() < 2 {
            return;
        }
        if let Some((Some(kind), children)) = para.pop()
            && let Some((_, parent)) = para.last_mut()
        {
            parent.push(kind.wrap(children));
        }
    }

    /// Ends the open paragraph, if any: a block boundary.
    pub fn boundary(&mut self) {
        let frame = self.frames.last_mut().expect("root frame");
        let Some(mut para) = frame.para.take() else {
            return;
        };
        while para.len() > 1 {
            if let Some((Some(kind), children)) = para.pop()
                && let Some((_, parent)) = para.last_mut()
            {
                parent.push(kind.wrap(children));
            }
        }
        if let Some((_, inlines)) = para.pop()
            && !inlines.is_empty()
        {
            frame.blocks.push(Block::Paragraph(inlines));
        }
    }

    /// Appends a leaf block (rule, code, kept HTML).
    pub fn block(&mut self, block: Block) {
        self.boundary();
        self.frames
            .last_mut()
            .expect("root frame")
            .blocks
            .push(block);
    }

    pub fn open_block(&mut self, kind: BlockKind) {
        self.boundary();
        if matches!(kind, BlockKind::Item) {
            self.flush_stray_list_content();
        }
        self.frames.push(Frame::new(kind));
    }

    /// Content found directly in a list, outside any `<li>`, becomes an item.
    fn flush_stray_list_content(&mut self) {
        if let Some(frame) = self.frames.last_mut()
            && let BlockKind::List { items, .. } = &mut frame.kind
            && !frame.blocks.is_empty()
        {
            items.push(std::mem::take(&mut frame.blocks));
        }
    }

    /// Closes the innermost block container and returns what it built.
    pub fn close_block(&mut self) -> Closed {
        self.boundary();
        self.flush_stray_list_content();
        if self.frames.len() < 2 {
            return Closed::Blocks(Vec::new());
        }
        let frame = self.frames.pop().expect("checked above");
        match frame.kind {
            BlockKind::Item => Closed::Item(frame.blocks),
            BlockKind::Cell { spans, align } => Closed::Cell(CellData {
                spans,
                align,
                blocks: frame.blocks,
            }),
            BlockKind::Row { cells } => {
                self.push_blocks(frame.blocks);
                Closed::Row(RowData { cells })
            }
            BlockKind::Table { node, rows } => Closed::Table {
                node,
                rows,
                stray: frame.blocks,
            },
            kind => Closed::Blocks(finish_container(kind, frame.blocks)),
        }
    }

    /// Hands a closed frame's result to the new innermost frame.
    pub fn accept(&mut self, closed: Closed) {
        let frame = self.frames.last_mut().expect("root frame");
        match (closed, &mut frame.kind) {
            (Closed::Item(blocks), BlockKind::List { items, .. }) => items.push(blocks),
            (Closed::Cell(cell), BlockKind::Row { cells, .. }) => cells.push(cell),
            (Closed::Row(row), BlockKind::Table { rows, .. }) => rows.push(row),
            // An `<li>` outside any list still shows as a list item.
            (Closed::Item(blocks), _) => frame.blocks.push(Block::List(List {
                start: None,
                items: vec![blocks],
            })),
            (Closed::Cell(cell), _) => frame.blocks.extend(cell.blocks),
            (Closed::Row(row), _) => {
                for cell in row.cells {
                    frame.blocks.extend(cell.blocks);
                }
            }
            (Closed::Blocks(blocks), _) => frame.blocks.extend(blocks),
            (Closed::Table { .. }, _) => {}
        }
    }

    /// Appends finished blocks to the innermost frame.
    pub fn push_blocks(&mut self, blocks: Vec<Block>) {
        self.boundary();
        self.frames
            .last_mut()
            .expect("root frame")
            .blocks
            .extend(blocks);
    }

    /// The links open around the current position, outermost first.
    pub fn open_links(&self) -> Vec<(String, Option<String>)> {
        self.fmt
            .iter()
            .filter_map(|k| match k {
                InlineKind::Link { href, title } => Some((href.clone(), title.clone())),
                _ => None,
            })
            .collect()
    }

    /// Whether a table cell is open around the current position.
    pub fn in_table_cell(&self) -> bool {
        self.frames
            .iter()
            .any(|f| matches!(f.kind, BlockKind::Cell { .. }))
    }

    /// The last block of the innermost frame (for captions).
    pub fn last_block_mut(&mut self) -> Option<&mut Block> {
        self.frames.last_mut()?.blocks.last_mut()
    }

    /// Closes everything and returns the document's blocks.
    pub fn finish(mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            let closed = self.close_block();
            if let Closed::Table { stray, .. } = closed {
                self.push_blocks(stray);
            } else {
                self.accept(closed);
            }
        }
        self.boundary();
        self.frames.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

/// Turns a closed container into the blocks it stands for.
fn finish_container(kind: BlockKind, blocks: Vec<Block>) -> Vec<Block> {
    match kind {
        BlockKind::Quote if blocks.is_empty() => Vec::new(),
        BlockKind::Quote => vec![Block::Quote(blocks)],
        BlockKind::List { start, items } if !items.is_empty() => {
            vec![Block::List(List { start, items })]
        }
        BlockKind::Heading(level) => heading(level, blocks),
        BlockKind::Caption => caption(blocks),
        BlockKind::Figure => figure(blocks),
        _ => blocks,
    }
}

/// A heading holds one line: text around its breaks stays on it, but each
/// paragraph inside it (`<h3><p>A</p><p>B</p></h3>`) is a heading of its
/// own, as a browser shows them: lines apart, in the heading's style.
fn heading(level: u8, blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) | Block::Heading(_, p) => out.push(Block::Heading(level, p)),
            other => out.push(other),
        }
    }
    if out.is_empty() {
        out.push(Block::Heading(level, Vec::new()));
    }
    out
}

/// A caption becomes an italic paragraph.
fn caption(blocks: Vec<Block>) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(inlines) => Block::Paragraph(vec![Inline::Emph(inlines)]),
            other => other,
        })
        .collect()
}

/// In a figure, the caption goes right under the image it describes.
fn figure(blocks: Vec<Block>) -> Vec<Block> {
    let (captions, mut rest): (Vec<Block>, Vec<Block>) = blocks
        .into_iter()
        .partition(crate::lower::media::is_caption);
    if let Some(first) = captions.first() {
        let text = crate::lower::media::caption_text(first);
        for block in rest.iter_mut() {
            crate::lower::media::fill_missing_alt(block, &text);
        }
    }
    rest.extend(captions);
    rest
}
