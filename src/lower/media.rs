//! Images, embedded media and captions.
//!
//! Picks the real source of lazy-loaded images, turns embeds into links and
//! lets a caption stand in for a missing alt text. Never fetches anything.

use crate::html::Node;
use crate::md::ast::{Block, Inline};

/// Attributes that lazy-loading scripts read the real source from, in order.
const LAZY_ATTRS: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
];

/// The image a reader would see: `src` unless it is missing or a
/// placeholder, in which case the lazy-loading attributes, then the largest
/// `srcset` candidate, win.
pub fn image_source(img: &Node) -> String {
    let Some(attrs) = img.attrs() else {
        return String::new();
    };
    let src = attrs.get("src").map(str::trim).unwrap_or("");
    if !src.is_empty() && !is_placeholder(src) {
        return src.to_owned();
    }
    let lazy = LAZY_ATTRS
        .iter()
        .filter_map(|name| attrs.get(name).map(str::trim))
        .find(|v| !v.is_empty());
    if let Some(v) = lazy {
        return v.to_owned();
    }
    let from_set = attrs
        .get("data-srcset")
        .or_else(|| attrs.get("srcset"))
        .and_then(largest_candidate);
    from_set.unwrap_or_else(|| src.to_owned())
}

fn is_placeholder(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.starts_with("data:")
        || [
            "placeholder",
            "blank.gif",
            "spacer.gif",
            "loading.gif",
            "lazy.gif",
            "grey.gif",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// The candidate with the largest width (`800w`) or density (`2x`).
fn largest_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in srcset.split(',') {
        let mut parts = candidate.split_ascii_whitespace();
        let Some(url) = parts.next() else { continue };
        let size = parts
            .next()
            .and_then(|d| {
                // The number before the unit letter (which may be any char).
                let mut number = d.chars();
                number.next_back();
                number.as_str().parse::<f64>().ok()
            })
            .unwrap_or(1.0);
        if best.is_none_or(|(s, _)| size > s) {
            best = Some((size, url));
        }
    }
    best.map(|(_, url)| url.to_owned())
}

/// The image node for an `<img>`, or `None` when it has no source at all.
pub fn image(img: &Node) -> Option<Inline> {
    let src = image_source(img);
    if src.is_empty() {
        return None;
    }
    Some(Inline::Image {
        src,
        alt: img.attr("alt").unwrap_or_default(),
        title: img
            .attr("title")
            .map(|t| super::whitespace::collapse_all(&t))
            .filter(|t| !t.is_empty()),
    })
}

/// The source URL of an embed (`iframe`, `video`, `audio`, `embed`, `object`).
pub fn embed_source(node: &Node) -> Option<String> {
    let own = node.attr("src").or_else(|| node.attr("data"));
    if let Some(src) = own.filter(|s| !s.trim().is_empty()) {
        return Some(src.trim().to_owned());
    }
    node.children()
        .into_iter()
        .filter(|c| c.tag() == "source")
        .find_map(|c| c.attr("src").filter(|s| !s.trim().is_empty()))
}

/// A link standing in for an embed: its title, or its kind, as the text.
pub fn embed_link(node: &Node, src: String) -> Inline {
    let label = node
        .attr("title")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| node.tag().to_owned());
    Inline::Link {
        href: src,
        title: None,
        children: vec![Inline::Text(label)],
    }
}

/// True for a caption paragraph as lowering writes it (one italic run).
pub fn is_caption(block: &Block) -> bool {
    matches!(block, Block::Paragraph(p) if p.len() == 1 && matches!(p[0], Inline::Emph(_)))
}

/// The plain text of a caption paragraph.
pub fn caption_text(block: &Block) -> String {
    let mut out = String::new();
    if let Block::Paragraph(inlines) = block {
        plain_text(inlines, &mut out);
    }
    crate::lower::whitespace::collapse_all(&out)
}

fn plain_text(inlines: &[Inline], out: &mut String) {
    let mut stack: Vec<&Inline> = inlines.iter().rev().collect();
    while let Some(node) = stack.pop() {
        match node {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Image { alt, .. } => out.push_str(alt),
            other => {
                if let Some(children) = other.children() {
                    stack.extend(children.iter().rev());
                }
            }
        }
    }
}

/// Gives the images of a paragraph that have no alt text the caption's text.
pub fn fill_missing_alt(block: &mut Block, caption: &str) {
    let Block::Paragraph(inlines) = block else {
        return;
    };
    let mut stack: Vec<&mut Inline> = inlines.iter_mut().collect();
    while let Some(node) = stack.pop() {
        match node {
            Inline::Image { alt, .. } if alt.trim().is_empty() => *alt = caption.to_owned(),
            other => {
                if let Some(children) = other.children_mut() {
                    stack.extend(children.iter_mut());
                }
            }
        }
    }
}

/// True when the paragraph holds images and nothing else visible.
pub fn is_image_paragraph(block: &Block) -> bool {
    let Block::Paragraph(inlines) = block else {
        return false;
    };
    let mut seen = false;
    for node in inlines {
        match node {
            Inline::Image { .. } => seen = true,
            Inline::Link { children, .. }
                if children.iter().all(|c| matches!(c, Inline::Image { .. })) =>
            {
                seen = true
            }
            Inline::Text(t) if t.trim().is_empty() => {}
            Inline::HardBreak => {}
            _ => return false,
        }
    }
    seen
}
