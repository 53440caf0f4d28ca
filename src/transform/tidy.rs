//! Removes what renders as nothing: paragraphs of whitespace (NBSP and
//! U+3000 included), `<p><br></p>`, breaks at the edges of a block, empty
//! headings, quotes and HTML blocks. It never removes visible content.

use crate::md::ast::{Block, Inline};

/// Drops hard breaks at the start and end of an inline sequence.
pub fn trim_breaks(inlines: &mut Vec<Inline>) {
    loop {
        match inlines.last_mut() {
            Some(Inline::HardBreak) => {
                inlines.pop();
            }
            Some(Inline::Text(t)) if t.chars().all(char::is_whitespace) && !t.is_empty() => {
                if inlines.len() >= 2 && matches!(inlines[inlines.len() - 2], Inline::HardBreak) {
                    inlines.pop();
                } else {
                    break;
                }
            }
            Some(Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c))
                if matches!(c.last(), Some(Inline::HardBreak)) =>
            {
                c.pop();
            }
            _ => break,
        }
    }
    while matches!(inlines.first(), Some(Inline::HardBreak)) {
        inlines.remove(0);
    }
}

/// Removes empty blocks, children first.
pub fn blocks(blocks: &mut Vec<Block>) {
    for block in blocks.iter_mut() {
        match block {
            Block::Quote(children) => self::blocks(children),
            Block::List(list) => list.items.iter_mut().for_each(self::blocks),
            _ => {}
        }
    }
    blocks.retain(|b| !is_empty(b));
}

fn is_empty(block: &Block) -> bool {
    match block {
        Block::Paragraph(inlines) | Block::Heading(_, inlines) => !visible(inlines),
        Block::Quote(children) => children.is_empty(),
        Block::List(list) => list.items.is_empty(),
        Block::Html(html) => html.trim().is_empty(),
        Block::Code { .. } | Block::Rule | Block::Table(_) => false,
    }
}

/// True when something other than whitespace and breaks would show.
/// Links count even when empty: their target is content.
pub fn visible(inlines: &[Inline]) -> bool {
    inlines.iter().any(|node| match node {
        Inline::Text(t) => !t.chars().all(char::is_whitespace),
        Inline::HardBreak => false,
        Inline::Strong(c)
        | Inline::Emph(c)
        | Inline::Strike(c)
        | Inline::Tag { children: c, .. } => visible(c),
        _ => true,
    })
}
