//! Browser whitespace collapsing across element boundaries.
//!
//! Lowering left each text node with its runs already shrunk to one `' '`
//! or `'\n'` (a segment break). Here the whole inline sequence is read as
//! one stream: a run that spans nodes becomes one space, kept in the node
//! where it started; runs at the start or end of the block or next to a hard
//! break vanish; a segment break between two CJK characters vanishes too.
//! U+00A0 and U+3000 are content, never collapsed.

use crate::lower::whitespace::is_cjk;
use crate::md::ast::Inline;

/// A piece of the stream.
enum Leaf<'a> {
    Text(&'a mut String),
    /// A hard break: whitespace around it vanishes.
    Break,
    /// Visible content that is not text (image, code, HTML).
    Atom,
}

fn collect<'a>(inlines: &'a mut [Inline], out: &mut Vec<Leaf<'a>>) {
    for node in inlines {
        match node {
            Inline::Text(t) => out.push(Leaf::Text(t)),
            Inline::HardBreak => out.push(Leaf::Break),
            Inline::Code(_)
            | Inline::Image { .. }
            | Inline::Html(_)
            | Inline::Shortcode { .. }
            | Inline::Embed(_) => out.push(Leaf::Atom),
            // A link around nothing still stands where it is (`foo [](/x)`).
            Inline::Link { children, .. } if children.is_empty() => out.push(Leaf::Atom),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => collect(c, out),
            Inline::Link { children, .. } | Inline::Tag { children, .. } => collect(children, out),
        }
    }
}

/// A whitespace run waiting to learn what follows it.
struct Run {
    leaf: usize,
    broke_line: bool,
}

struct State {
    /// Each leaf's new text; `None` for a leaf without whitespace, which
    /// stays as it is (most leaves: no copy, no allocation).
    out: Vec<Option<String>>,
    run: Option<Run>,
    prev: Option<char>,
    /// True at the start of the block or right after a hard break.
    line_start: bool,
}

impl State {
    /// Settles the pending run now that `next` (None: a break or the end) follows.
    fn settle(&mut self, next: Option<char>) {
        let Some(run) = self.run.take() else { return };
        if self.line_start || next.is_none() {
            return;
        }
        let cjk_join = run.broke_line && self.prev.is_some_and(is_cjk) && next.is_some_and(is_cjk);
        if !cjk_join && let Some(out) = &mut self.out[run.leaf] {
            out.push(' ');
        }
    }
}

/// Collapses whitespace in one inline sequence.
pub fn collapse(inlines: &mut [Inline]) {
    let mut leaves = Vec::new();
    collect(inlines, &mut leaves);
    let mut st = State {
        out: leaves
            .iter()
            .map(|leaf| match leaf {
                Leaf::Text(t) if needs_rewrite(t) => Some(String::with_capacity(t.len() + 1)),
                _ => None,
            })
            .collect(),
        run: None,
        prev: None,
        line_start: true,
    };
    for (i, leaf) in leaves.iter().enumerate() {
        match leaf {
            Leaf::Text(t) => text(&mut st, i, t),
            Leaf::Break => {
                st.settle(None);
                st.line_start = true;
            }
            Leaf::Atom => {
                st.settle(Some('\u{fffc}'));
                st.prev = Some('\u{fffc}');
                st.line_start = false;
            }
        }
    }
    st.settle(None);
    for (leaf, new) in leaves.into_iter().zip(st.out) {
        if let (Leaf::Text(t), Some(new)) = (leaf, new) {
            *t = new;
        }
    }
}

/// Whether collapsing may change the leaf's own text: whitespace at an
/// edge (it may vanish or merge with a neighbour's), a segment break, or a
/// run longer than one space. Single spaces between words always stay, so
/// a leaf without any of these is read in place like one word.
fn needs_rewrite(t: &str) -> bool {
    let edge = |b: Option<&u8>| matches!(b, Some(b' ' | b'\n'));
    let bytes = t.as_bytes();
    edge(bytes.first())
        || edge(bytes.last())
        || memchr::memchr(b'\n', bytes).is_some()
        || memchr::memchr_iter(b' ', bytes).any(|i| bytes.get(i + 1) == Some(&b' '))
}

/// Feeds one text leaf: runs are held until their follower is known,
/// words are copied whole.
fn text(st: &mut State, leaf: usize, t: &str) {
    if st.out[leaf].is_none() {
        // Words with single spaces between them (or nothing), kept in place.
        if let (Some(first), Some(last)) = (t.chars().next(), t.chars().next_back()) {
            st.settle(Some(first));
            st.prev = Some(last);
            st.line_start = false;
        }
        return;
    }
    let mut rest = t;
    while !rest.is_empty() {
        let spaces = rest
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\n'))
            .count();
        for b in rest[..spaces].bytes() {
            let broke = b == b'\n';
            match &mut st.run {
                Some(run) => run.broke_line |= broke,
                None => {
                    st.run = Some(Run {
                        leaf,
                        broke_line: broke,
                    })
                }
            }
        }
        rest = &rest[spaces..];
        let len = memchr::memchr2(b' ', b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let word = &rest[..len];
        if let (Some(first), Some(last)) = (word.chars().next(), word.chars().next_back()) {
            st.settle(Some(first));
            if let Some(out) = &mut st.out[leaf] {
                out.push_str(word);
            }
            st.prev = Some(last);
            st.line_start = false;
        }
        rest = &rest[len..];
    }
}
