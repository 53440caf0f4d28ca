//! A link inside a link: HTML lets a table cell hold one (`<a><table><tr>
//! <td><a>`), Markdown does not (the outer `[...](...)` would become
//! literal text). A reader follows the innermost link, so the outer one is
//! split around it: `[a ](/x)[b](/y)[ c](/x)`.

use crate::md::ast::{Block, Inline};
use crate::transform::images::ImageMap;

/// Rewrites link targets through `map` (a moved post's relative links).
pub fn rewrite(blocks: &mut [Block], map: &ImageMap) {
    super::for_each_inlines(blocks, &mut |inlines| {
        let mut stack: Vec<&mut Inline> = inlines.iter_mut().collect();
        while let Some(node) = stack.pop() {
            if let Inline::Link { href, .. } = node
                && let Some(new) = (map.0)(href)
            {
                *href = new;
            }
            if let Some(children) = node.children_mut() {
                stack.extend(children.iter_mut());
            }
        }
    });
}

/// Splits every link around the links inside it, children first.
pub fn unnest(inlines: &mut Vec<Inline>) {
    for node in inlines.iter_mut() {
        if let Some(children) = node.children_mut() {
            unnest(children);
        }
    }
    if !inlines.iter().any(|n| is_link(n) && holds_link(n)) {
        return;
    }
    let taken = std::mem::take(inlines);
    for node in taken {
        match node {
            Inline::Link {
                href,
                title,
                children,
            } if children.iter().any(is_or_holds_link) => {
                split_around_links(inlines, &href, title.as_deref(), children)
            }
            other => inlines.push(other),
        }
    }
}

fn is_link(node: &Inline) -> bool {
    matches!(node, Inline::Link { .. })
}

/// Whether a node's children hold a link, at any depth (`<a><em><a>`).
fn holds_link(node: &Inline) -> bool {
    match node {
        Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => c.iter().any(is_or_holds_link),
        Inline::Link { children, .. } | Inline::Tag { children, .. } => {
            children.iter().any(is_or_holds_link)
        }
        _ => false,
    }
}

fn is_or_holds_link(node: &Inline) -> bool {
    is_link(node) || holds_link(node)
}

/// The stretches of a link's children outside the links among them, each
/// a link of its own; a wrapper around an inner link (`<em>`) is split the
/// same way inside it.
fn split_around_links(
    out: &mut Vec<Inline>,
    href: &str,
    title: Option<&str>,
    children: Vec<Inline>,
) {
    let mut run = Vec::new();
    let flush = |out: &mut Vec<Inline>, run: &mut Vec<Inline>| {
        let blank = run
            .iter()
            .all(|n| matches!(n, Inline::Text(t) if t.chars().all(char::is_whitespace)));
        if blank {
            // Only spaces between links: no link of their own.
            out.append(run);
        } else {
            out.push(Inline::Link {
                href: href.to_owned(),
                title: title.map(str::to_owned),
                children: std::mem::take(run),
            });
        }
    };
    for mut child in children {
        if is_link(&child) {
            flush(out, &mut run);
            out.push(child);
        } else if holds_link(&child)
            && let Some(inner) = child.children_mut()
        {
            flush(out, &mut run);
            let mut split = Vec::new();
            split_around_links(&mut split, href, title, std::mem::take(inner));
            *inner = split;
            out.push(child);
        } else {
            run.push(child);
        }
    }
    flush(out, &mut run);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, children: Vec<Inline>) -> Inline {
        Inline::Link {
            href: href.to_owned(),
            title: None,
            children,
        }
    }

    fn text(t: &str) -> Inline {
        Inline::Text(t.to_owned())
    }

    #[test]
    fn the_inner_link_is_split_out_of_the_outer() {
        let mut inlines = vec![link(
            "/x",
            vec![
                text("a "),
                link("/y", vec![text("b")]),
                text(" "),
                text("c"),
            ],
        )];
        unnest(&mut inlines);
        assert_eq!(
            inlines,
            vec![
                link("/x", vec![text("a ")]),
                link("/y", vec![text("b")]),
                link("/x", vec![text(" "), text("c")]),
            ]
        );
    }

    #[test]
    fn a_link_inside_emphasis_inside_a_link_is_split_out_too() {
        let mut inlines = vec![link(
            "/x",
            vec![
                text("a "),
                Inline::Emph(vec![text("b "), link("/y", vec![text("c")])]),
            ],
        )];
        unnest(&mut inlines);
        assert_eq!(
            inlines,
            vec![
                link("/x", vec![text("a ")]),
                Inline::Emph(vec![
                    link("/x", vec![text("b ")]),
                    link("/y", vec![text("c")])
                ]),
            ]
        );
    }
}
