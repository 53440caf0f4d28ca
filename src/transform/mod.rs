//! Passes over the AST, in a fixed order:
//!
//! 0. `links`: a link inside a link is split out of it.
//! 1. `whitespace`: collapse spaces across element boundaries as a browser
//!    does (with the CJK segment-break rule), trim block edges and breaks.
//! 2. `emphasis`: spaces and edge punctuation out of emphasis so that every
//!    delimiter renders; empty and doubled wrappers go.
//! 3. `tidy`: empty paragraphs, quotes and stray breaks go.
//! 4. `paragraphs`: two line breaks in a row end a paragraph.
//! 5. `images`: every image source collected, and rewritten through the
//!    caller's map (see `convert`).
//!
//! Passes change the tree only; they never produce Markdown text. Recursion
//! here follows the AST, whose depth the parser's depth guard bounds.

mod emphasis;
pub mod images;
mod links;
mod paragraphs;
mod tidy;
mod whitespace;

use crate::md::ast::{Block, Document, Inline};

/// What the passes report back.
pub struct Outcome {
    /// The image sources the document had, once each.
    pub images: Vec<String>,
    /// Whether the image repeating the cover was dropped.
    pub dropped_cover: bool,
}

/// Where references point instead: image sources and link targets.
#[derive(Clone, Copy, Default)]
pub struct Maps<'a> {
    pub images: Option<&'a images::ImageMap>,
    pub links: Option<&'a images::ImageMap>,
}

/// Runs every pass, in order. `drop_image` is a source whose first image
/// goes (the cover's duplicate, when asked).
pub fn run(doc: &mut Document, maps: Maps<'_>, drop_image: Option<&str>) -> Outcome {
    for_each_inlines(&mut doc.blocks, &mut |inlines| {
        links::unnest(inlines);
        whitespace::collapse(inlines);
        emphasis::normalize(inlines);
        tidy::trim_breaks(inlines);
    });
    let dropped_cover = drop_image.is_some_and(|src| images::drop_first(&mut doc.blocks, src));
    tidy::blocks(&mut doc.blocks);
    paragraphs::split_at_double_breaks(&mut doc.blocks);
    if let Some(map) = maps.links {
        links::rewrite(&mut doc.blocks, map);
    }
    Outcome {
        images: images::apply(&mut doc.blocks, maps.images),
        dropped_cover,
    }
}

/// Calls `f` on every inline sequence (paragraphs, headings, table cells).
pub fn for_each_inlines(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    // Pushed in reverse so they pop in document order.
    let mut stack: Vec<&mut Block> = blocks.iter_mut().rev().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Paragraph(inlines) | Block::Heading(_, inlines) => f(inlines),
            Block::Quote(children) => stack.extend(children.iter_mut().rev()),
            Block::List(list) => {
                for item in list.items.iter_mut().rev() {
                    stack.extend(item.iter_mut().rev());
                }
            }
            Block::Table(table) => {
                for cell in table.header.iter_mut() {
                    f(cell);
                }
                for row in table.rows.iter_mut() {
                    for cell in row.iter_mut() {
                        f(cell);
                    }
                }
            }
            Block::Code { .. } | Block::Rule | Block::Html(_) => {}
        }
    }
}
