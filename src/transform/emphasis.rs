//! Emphasis that renders as emphasis.
//!
//! CommonMark only opens `**` when the run is left-flanking and closes it
//! when right-flanking, so `**统计范围：**上海` stays literal. This pass moves
//! edge spaces (NBSP and U+3000 included) and, where a delimiter would not
//! flank, edge punctuation outside the wrapper: the same words, emphasised
//! the way a reader sees them. It also removes wrappers around nothing,
//! unwraps emphasis doubled inside itself and merges neighbours of one kind.
//! The writer falls back to HTML tags for the rare case still left.

use crate::md::ast::Inline;
use crate::md::flanking::{can_close, can_open, is_punctuation};

/// Normalizes one inline sequence, children first.
pub fn normalize(inlines: &mut Vec<Inline>) {
    normalize_within(inlines, Active::default());
}

/// The emphasis kinds already open around a sequence.
#[derive(Clone, Copy, Default)]
struct Active {
    strong: bool,
    emph: bool,
    strike: bool,
}

impl Active {
    /// Whether `node` repeats emphasis already open around all it covers.
    /// Emphasis and strong emphasis nest in CommonMark (`*a *b* c*` is
    /// `<em>a <em>b</em> c</em>`), so only a doubling that covers the same
    /// content (`<b><i><b>x</b></i></b>`) goes, and strikethrough, which
    /// does not nest.
    fn has(self, node: &Inline, siblings: usize) -> bool {
        match node {
            Inline::Strong(_) => self.strong && siblings == 1,
            Inline::Emph(_) => self.emph && siblings == 1,
            Inline::Strike(_) => self.strike,
            _ => false,
        }
    }

    /// What is open for the children of `node`, one of `siblings`: an
    /// emphasis still covers them whole only through a chain of only
    /// children; strikethrough covers everything below it.
    fn with(self, node: &Inline, siblings: usize) -> Active {
        let whole = siblings == 1;
        Active {
            strong: (whole && self.strong) || matches!(node, Inline::Strong(_)),
            emph: (whole && self.emph) || matches!(node, Inline::Emph(_)),
            strike: self.strike || matches!(node, Inline::Strike(_)),
        }
    }
}

/// `<b><b>b</b></b>` says no more than `<b>b</b>`, and `~~` does not nest:
/// such emphasis already open is unwrapped wherever it appears below.
fn normalize_within(inlines: &mut Vec<Inline>, active: Active) {
    let siblings = inlines.len();
    if inlines.iter().any(|n| active.has(n, siblings)) {
        let taken = std::mem::take(inlines);
        for node in taken {
            match node {
                n if active.has(&n, siblings) => {
                    inlines.extend(n.children().cloned().unwrap_or_default())
                }
                n => inlines.push(n),
            }
        }
    }
    for node in inlines.iter_mut() {
        let inner = active.with(node, siblings);
        if let Some(children) = node.children_mut() {
            normalize_within(children, inner);
        }
    }
    // Only emphasis and links have edges to move: a sequence without them
    // is left in place rather than rebuilt.
    if inlines.iter().any(is_movable) {
        let taken = std::mem::take(inlines);
        for node in taken {
            push_moving_edges(inlines, node);
        }
    }
    merge_neighbours(inlines);
    fix_flanking(inlines);
    merge_neighbours(inlines);
}

fn is_emphasis(node: &Inline) -> bool {
    matches!(
        node,
        Inline::Strong(_) | Inline::Emph(_) | Inline::Strike(_)
    )
}

fn same_kind(a: &Inline, b: &Inline) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b) && is_emphasis(a)
}

/// Pushes `node`, first moving whitespace at its inner edges outside and
/// unwrapping an emphasis that shows nothing.
fn is_movable(node: &Inline) -> bool {
    is_emphasis(node) || matches!(node, Inline::Link { .. })
}

fn push_moving_edges(out: &mut Vec<Inline>, mut node: Inline) {
    if !is_movable(&node) {
        out.push(node);
        return;
    }
    let children = node.children_mut().expect("container");
    let lead = take_edge(children, true, char::is_whitespace);
    let trail = take_edge(children, false, char::is_whitespace);
    push_text(out, lead);
    if is_emphasis(&node) && !shows_something(node.children().expect("container")) {
        let children = std::mem::take(node.children_mut().expect("container"));
        out.extend(children);
    } else {
        out.push(node);
    }
    push_text(out, trail);
}

fn push_text(out: &mut Vec<Inline>, text: String) {
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
}

/// Removes the chars matching `pred` at one edge of a sequence's first/last
/// text leaf (looking through nested emphasis) and returns them.
fn take_edge(children: &mut [Inline], leading: bool, pred: fn(char) -> bool) -> String {
    let node = if leading {
        children.first_mut()
    } else {
        children.last_mut()
    };
    match node {
        Some(Inline::Text(t)) => {
            if leading {
                let keep = t.trim_start_matches(pred).len();
                let cut = t.len() - keep;
                t.drain(..cut).collect()
            } else {
                let keep = t.trim_end_matches(pred).len();
                t.split_off(keep)
            }
        }
        Some(n @ (Inline::Strong(_) | Inline::Emph(_) | Inline::Strike(_))) => {
            take_edge(n.children_mut().expect("container"), leading, pred)
        }
        _ => String::new(),
    }
}

/// True when the sequence has something a reader sees besides whitespace.
fn shows_something(children: &[Inline]) -> bool {
    children.iter().any(|c| match c {
        Inline::Text(t) => !t.chars().all(char::is_whitespace),
        Inline::HardBreak => false,
        other => other.children().is_none_or(|c| shows_something(c)),
    })
}

/// Merges adjacent texts, code spans and emphasis of one kind; drops empty texts.
fn merge_neighbours(inlines: &mut Vec<Inline>) {
    if !merges_anything(inlines) {
        return;
    }
    let taken = std::mem::take(inlines);
    for node in taken {
        if matches!(&node, Inline::Text(t) if t.is_empty()) {
            continue;
        }
        match (inlines.last_mut(), node) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            // Two code spans side by side cannot be written apart (their
            // backtick runs would join): one span says the same.
            (Some(Inline::Code(a)), Inline::Code(b)) => a.push_str(&b),
            (Some(prev), node) if same_kind(prev, &node) => {
                let prev_children = prev.children_mut().expect("emphasis");
                if let Some(children) = node.children() {
                    prev_children.extend(children.iter().cloned());
                }
                merge_neighbours(prev_children);
            }
            (_, node) => inlines.push(node),
        }
    }
}

/// Whether [`merge_neighbours`] would change the sequence: an empty text,
/// or two neighbours it joins.
fn merges_anything(inlines: &[Inline]) -> bool {
    inlines
        .iter()
        .any(|n| matches!(n, Inline::Text(t) if t.is_empty()))
        || inlines.windows(2).any(|w| match (&w[0], &w[1]) {
            (Inline::Text(_), Inline::Text(_)) | (Inline::Code(_), Inline::Code(_)) => true,
            (a, b) => same_kind(a, b),
        })
}

/// The first (or last) character a node shows, as far as flanking goes.
fn edge_char(node: &Inline, first: bool) -> Option<char> {
    match node {
        Inline::Text(t) if first => t.chars().next(),
        Inline::Text(t) => t.chars().next_back(),
        Inline::HardBreak => None,
        // Every other node starts and ends with ASCII punctuation.
        _ => Some('*'),
    }
}

/// Moves edge punctuation out of emphasis whose delimiters would not flank.
fn fix_flanking(inlines: &mut Vec<Inline>) {
    let mut i = 0;
    while i < inlines.len() {
        if !is_emphasis(&inlines[i]) {
            i += 1;
            continue;
        }
        let before = if i == 0 {
            None
        } else {
            edge_char(&inlines[i - 1], false)
        };
        let after = inlines.get(i + 1).and_then(|n| edge_char(n, true));
        let children = inlines[i].children_mut().expect("emphasis");
        let first = children.first().and_then(|n| edge_char(n, true));
        let last = children.last().and_then(|n| edge_char(n, false));
        let lead = if can_open(before, first) {
            String::new()
        } else {
            take_edge(children, true, is_punctuation)
        };
        let trail = if can_close(last, after) {
            String::new()
        } else {
            take_edge(children, false, is_punctuation)
        };
        let empty = !shows_something(children);
        let node = std::mem::replace(&mut inlines[i], Inline::Text(String::new()));
        let mut replacement = Vec::new();
        push_text(&mut replacement, lead);
        if empty {
            replacement.extend(node.children().cloned().unwrap_or_default());
        } else {
            replacement.push(node);
        }
        push_text(&mut replacement, trail);
        let n = replacement.len();
        inlines.splice(i..=i, replacement);
        i += n.max(1);
    }
}
