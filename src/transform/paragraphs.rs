//! Paragraphs written as line breaks: Blogger separates paragraphs with
//! `<br><br>` inside a `<div>`. Two breaks or more in a row, outside any
//! emphasis or link, end a paragraph, as the blank line they show does.
//! The verifier reads the source the same way (`verify::canon`).

use crate::md::ast::{Block, Inline};

/// Splits every paragraph at its runs of two or more breaks.
pub fn split_at_double_breaks(blocks: &mut Vec<Block>) {
    let mut stack: Vec<&mut Vec<Block>> = vec![blocks];
    while let Some(list) = stack.pop() {
        if list
            .iter()
            .any(|b| matches!(b, Block::Paragraph(p) if has_double_break(p)))
        {
            let taken = std::mem::take(list);
            for block in taken {
                match block {
                    Block::Paragraph(inlines) => {
                        list.extend(split(inlines).into_iter().map(Block::Paragraph))
                    }
                    other => list.push(other),
                }
            }
        }
        for block in list.iter_mut() {
            match block {
                Block::Quote(children) => stack.push(children),
                Block::List(l) => stack.extend(l.items.iter_mut()),
                _ => {}
            }
        }
    }
}

fn is_blank(node: &Inline) -> bool {
    matches!(node, Inline::Text(t) if t.chars().all(char::is_whitespace))
}

fn has_double_break(inlines: &[Inline]) -> bool {
    let mut breaks = 0;
    for node in inlines {
        match node {
            Inline::HardBreak => {
                breaks += 1;
                if breaks >= 2 {
                    return true;
                }
            }
            n if is_blank(n) => {}
            _ => breaks = 0,
        }
    }
    false
}

/// The paragraphs `inlines` holds; breaks at a split go with it.
fn split(inlines: Vec<Inline>) -> Vec<Vec<Inline>> {
    let mut out = vec![Vec::new()];
    let mut pending: Vec<Inline> = Vec::new();
    let mut breaks = 0;
    for node in inlines {
        match node {
            Inline::HardBreak => {
                breaks += 1;
                pending.push(node);
            }
            n if is_blank(&n) && breaks > 0 => pending.push(n),
            n => {
                let current = out.last_mut().expect("one paragraph");
                if breaks >= 2 {
                    out.push(Vec::new());
                } else {
                    current.append(&mut pending);
                }
                pending.clear();
                breaks = 0;
                out.last_mut().expect("one paragraph").push(n);
            }
        }
    }
    if breaks < 2 {
        out.last_mut().expect("one paragraph").append(&mut pending);
    }
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text(t.to_owned())
    }

    #[test]
    fn two_breaks_end_a_paragraph_one_does_not() {
        let mut blocks = vec![Block::Paragraph(vec![
            text("a"),
            Inline::HardBreak,
            text("b"),
            Inline::HardBreak,
            text(" "),
            Inline::HardBreak,
            text("c"),
        ])];
        split_at_double_breaks(&mut blocks);
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![text("a"), Inline::HardBreak, text("b")]),
                Block::Paragraph(vec![text("c")]),
            ]
        );
    }
}
