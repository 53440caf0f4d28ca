//! What is compared, read off a canonical tree: the visible text, the link
//! targets, the image sources and the block skeleton.
//!
//! Recursion here follows the canonical tree, whose depth the parser's
//! depth guard (512 levels) bounds.

use super::canon::{Block, Leaf, Run, Wrap, is_space, visible};
use crate::lower::whitespace::is_cjk;
use crate::md::flanking::is_punctuation;

/// The facets of one side.
///
/// Only what every check compares is built eagerly; what a report shows
/// (the display text with its spaces, a block's first words) is derived
/// from `text` and `spaces` when a difference is found.
#[derive(Debug, Default, Clone)]
pub struct Facets {
    /// Visible text without any whitespace (alt texts excluded).
    pub text: String,
    /// Where the display text (whitespace collapsed, blocks spaced) has a
    /// space: before the char at each byte offset of `text` here,
    /// ascending; `text.len()` for a trailing one.
    pub spaces: Vec<usize>,
    pub links: Vec<String>,
    pub images: Vec<String>,
    pub skeleton: Vec<Token>,
}

/// One step of the block skeleton: `p`, `h2`, `ul[`, `]`...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub label: &'static str,
    /// The leaf block's stretch of [`Facets::text`], in bytes (empty for
    /// others), whose first words an excerpt shows.
    pub span: std::ops::Range<usize>,
    /// The block's normalized inline content (strict mode only).
    pub inline: String,
}

/// The display text (whitespace collapsed, blocks spaced) and, for each
/// char of [`Facets::text`] (counted in chars), its index there.
pub struct Display {
    pub chars: Vec<char>,
    pub at: Vec<usize>,
}

const PREVIEW_CHARS: usize = 24;

/// Bytes that can start a char [`is_space`] holds: ASCII whitespace, and
/// the lead bytes of U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000 and
/// U+FEFF. Continuation bytes are never among them.
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x09;
    while b <= 0x0d {
        table[b] = true;
        b += 1;
    }
    table[0x20] = true;
    table[0xc2] = true;
    table[0xe1] = true;
    table[0xe2] = true;
    table[0xe3] = true;
    table[0xef] = true;
    table
};

/// Reads the facets of a canonical tree; `text_hint` is about how many
/// bytes of text it holds (the text is sized for it up front).
pub fn facets(blocks: &[Block], strict: bool, text_hint: usize) -> Facets {
    let mut f = Facets {
        text: String::with_capacity(text_hint),
        ..Facets::default()
    };
    f.blocks(blocks, strict);
    f
}

impl Facets {
    fn blocks(&mut self, blocks: &[Block], strict: bool) {
        for block in blocks {
            self.block(block, strict);
        }
    }

    fn block(&mut self, block: &Block, strict: bool) {
        match block {
            Block::Para(runs) => self.leaf("p", runs, strict),
            Block::Heading(level, runs) => {
                const H: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
                self.leaf(H[(*level as usize).clamp(1, 6) - 1], runs, strict);
            }
            Block::Pre(leaf) => {
                let start = self.text.len();
                self.code(leaf);
                let span = start..self.text.len();
                self.space();
                // A renderer ends code with a newline the source may lack.
                let inline = if strict {
                    leaf.text.trim_end_matches(['\n', '\r']).to_owned()
                } else {
                    String::new()
                };
                self.token("pre", span, inline);
            }
            Block::Hr => self.mark("hr"),
            Block::List { ordered, items } => {
                self.mark(if *ordered { "ol[" } else { "ul[" });
                for item in items {
                    self.container("li[", item, strict);
                }
                self.mark("]");
            }
            Block::Quote(children) => self.container("blockquote[", children, strict),
            Block::Table(rows) => {
                self.mark("table[");
                for row in rows {
                    self.mark("tr[");
                    for cell in row {
                        self.blocks(cell, strict);
                    }
                    self.mark("]");
                }
                self.mark("]");
            }
        }
    }

    fn container(&mut self, label: &'static str, blocks: &[Block], strict: bool) {
        self.mark(label);
        self.blocks(blocks, strict);
        self.mark("]");
    }

    fn leaf(&mut self, label: &'static str, runs: &[Run], strict: bool) {
        let start = self.text.len();
        self.runs(runs);
        let span = start..self.text.len();
        self.space();
        let inline = if strict {
            inline_key(runs)
        } else {
            String::new()
        };
        self.token(label, span, inline);
    }

    fn token(&mut self, label: &'static str, span: std::ops::Range<usize>, inline: String) {
        self.skeleton.push(Token {
            label,
            span,
            inline,
        });
    }

    /// A token without content of its own (`ul[`, `]`, `hr`).
    fn mark(&mut self, label: &'static str) {
        self.token(label, 0..0, String::new());
    }

    fn runs(&mut self, runs: &[Run]) {
        for run in runs {
            match run {
                Run::Text(t) => self.text(t),
                Run::Wrap(wrap, kids) => {
                    // A link around nothing shows nothing: not content.
                    if let Wrap::Link(href) = wrap
                        && visible(kids)
                    {
                        self.links.push(href.clone());
                    }
                    self.runs(kids);
                }
                Run::Code(leaf) => self.code(leaf),
                Run::Img(src) => self.images.push(src.clone()),
                Run::Br => self.space(),
            }
        }
    }

    fn code(&mut self, leaf: &Leaf) {
        self.text(&leaf.text);
        self.links.extend(leaf.links.iter().cloned());
        self.images.extend(leaf.images.iter().cloned());
    }

    /// Appends `t` without its whitespace, noting where spaces show. The
    /// stretches between whitespace are copied whole: only bytes that can
    /// start a whitespace char are decoded.
    fn text(&mut self, t: &str) {
        self.text.reserve(t.len());
        let bytes = t.as_bytes();
        let (mut copied, mut i) = (0, 0);
        while i < bytes.len() {
            if !MAY_START_SPACE[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let c = t[i..].chars().next().unwrap_or(' ');
            if is_space(c) {
                self.text.push_str(&t[copied..i]);
                self.space();
                copied = i + c.len_utf8();
            }
            i += c.len_utf8();
        }
        self.text.push_str(&t[copied..]);
    }

    /// A space in the display text, unless it starts the text or follows
    /// another space.
    fn space(&mut self) {
        let at = self.text.len();
        if at > 0 && self.spaces.last() != Some(&at) {
            self.spaces.push(at);
        }
    }

    /// The display text, for excerpts.
    pub fn display(&self) -> Display {
        let mut chars = Vec::with_capacity(self.text.len() + self.spaces.len());
        let mut at = Vec::with_capacity(self.text.len());
        let mut spaces = self.spaces.iter().peekable();
        for (i, c) in self.text.char_indices() {
            if spaces.next_if(|s| **s == i).is_some() {
                chars.push(' ');
            }
            at.push(chars.len());
            chars.push(c);
        }
        if spaces.next().is_some() {
            chars.push(' ');
        }
        Display { chars, at }
    }

    /// How the skeleton token reads in a report: its label, with the
    /// block's first words (or its inline content in strict mode).
    pub fn show(&self, token: &Token, strict: bool) -> String {
        const MAX: usize = 60;
        let body = if strict {
            token.inline.clone()
        } else {
            self.preview(token.span.clone())
        };
        if body.is_empty() {
            return token.label.to_owned();
        }
        let mut short: String = body.chars().take(MAX).collect();
        if body.chars().count() > MAX {
            short.push('…');
        }
        format!("{}({short})", token.label)
    }

    /// The first words of `span`: at most [`PREVIEW_CHARS`] characters
    /// with the spaces between them, `…` when cut.
    fn preview(&self, span: std::ops::Range<usize>) -> String {
        let first_space = self.spaces.partition_point(|s| *s <= span.start);
        let end = span.end;
        let mut spaces = self.spaces[first_space..]
            .iter()
            .take_while(|s| **s < end)
            .peekable();
        let mut shown = Vec::with_capacity(PREVIEW_CHARS + 1);
        for (i, c) in self.text[span.clone()].char_indices() {
            if spaces.next_if(|s| **s == span.start + i).is_some() {
                shown.push(' ');
            }
            shown.push(c);
            if shown.len() > PREVIEW_CHARS {
                break;
            }
        }
        let mut out: String = shown.iter().take(PREVIEW_CHARS).collect();
        if shown.len() > PREVIEW_CHARS {
            out.push('…');
        }
        out
    }
}

/// The inline content of a block after the normalization both sides share:
/// whitespace collapsed, spaces between CJK characters dropped, edge spaces
/// and punctuation outside emphasis (`**范围：**` reads as `**范围**：`),
/// empty, doubled and adjacent emphasis merged.
pub fn inline_key(runs: &[Run]) -> String {
    let runs = norm(runs.to_vec(), Active::default());
    let mut pieces = Vec::new();
    serialize(&runs, &mut pieces);
    settle_spaces(&pieces)
}

fn collapse(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if is_space(c) {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Emphasis kinds already open around a run: emphasis inside the same
/// emphasis says nothing more (`<b>a<i><b>b</b></i></b>`).
#[derive(Clone, Copy, Default)]
struct Active {
    em: bool,
    strong: bool,
    del: bool,
}

impl Active {
    fn slot(&mut self, wrap: &Wrap) -> Option<&mut bool> {
        match wrap {
            Wrap::Em => Some(&mut self.em),
            Wrap::Strong => Some(&mut self.strong),
            Wrap::Del => Some(&mut self.del),
            Wrap::Link(_) => None,
        }
    }
}

fn norm(runs: Vec<Run>, active: Active) -> Vec<Run> {
    let mut out = Vec::new();
    for run in runs {
        match run {
            Run::Text(t) => out.push(Run::Text(collapse(&t))),
            Run::Wrap(wrap, kids) => {
                let mut inner = active;
                match inner.slot(&wrap) {
                    Some(true) => out.extend(norm(kids, active)),
                    Some(open) => {
                        *open = true;
                        push_wrap(&mut out, wrap, norm(kids, inner));
                    }
                    None => push_wrap(&mut out, wrap, norm(kids, active)),
                }
            }
            other => out.push(other),
        }
    }
    merge_text(out)
}

fn push_wrap(out: &mut Vec<Run>, wrap: Wrap, mut kids: Vec<Run>) {
    let link = matches!(wrap, Wrap::Link(_));
    let edge = if link {
        |c: char| c == ' '
    } else {
        |c: char| c == ' ' || is_punctuation(c)
    };
    let pre = take_edge(&mut kids, true, edge);
    let post = take_edge(&mut kids, false, edge);
    kids.retain(|k| !matches!(k, Run::Text(t) if t.is_empty()));
    out.push(Run::Text(pre));
    let last_same = !link
        && matches!(out.iter().rev().find(|r| !matches!(r, Run::Text(t) if t.is_empty())), Some(Run::Wrap(w, _)) if *w == wrap);
    if !visible(&kids) {
        out.extend(kids);
    } else if last_same {
        out.retain(|r| !matches!(r, Run::Text(t) if t.is_empty()));
        if let Some(Run::Wrap(_, prev)) = out.last_mut() {
            prev.extend(kids);
            *prev = merge_text(std::mem::take(prev));
        }
    } else {
        out.push(Run::Wrap(wrap, kids));
    }
    out.push(Run::Text(post));
}

fn take_edge(kids: &mut [Run], leading: bool, pred: fn(char) -> bool) -> String {
    let node = if leading {
        kids.first_mut()
    } else {
        kids.last_mut()
    };
    let Some(Run::Text(t)) = node else {
        return String::new();
    };
    if leading {
        let cut = t.len() - t.trim_start_matches(pred).len();
        t.drain(..cut).collect()
    } else {
        let keep = t.trim_end_matches(pred).len();
        t.split_off(keep)
    }
}

fn merge_text(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for run in runs {
        match (out.last_mut(), run) {
            (_, Run::Text(t)) if t.is_empty() => {}
            (Some(Run::Text(a)), Run::Text(b)) => {
                a.push_str(&b);
                *a = collapse(a);
            }
            (_, run) => out.push(run),
        }
    }
    out
}

/// A serialized inline piece.
enum Piece {
    Char(char),
    /// Markup that is not content (`**`, `[`): invisible to spacing.
    Open(String),
    Close(&'static str),
    /// Visible content that is not text (an image, code).
    Atom(String),
    /// A break: spaces next to it vanish.
    Break,
}

fn serialize(runs: &[Run], out: &mut Vec<Piece>) {
    for run in runs {
        match run {
            Run::Text(t) => out.extend(t.chars().map(Piece::Char)),
            Run::Wrap(wrap, kids) => {
                let (open, close) = match wrap {
                    Wrap::Em => ("*".to_owned(), "*"),
                    Wrap::Strong => ("**".to_owned(), "**"),
                    Wrap::Del => ("~~".to_owned(), "~~"),
                    Wrap::Link(href) => (format!("<{href}>["), "]"),
                };
                out.push(Piece::Open(open));
                serialize(kids, out);
                out.push(Piece::Close(close));
            }
            Run::Code(leaf) => out.push(Piece::Atom(format!("`{}`", collapse(leaf.text.trim())))),
            Run::Img(src) => out.push(Piece::Atom(format!("![]({src})"))),
            Run::Br => out.push(Piece::Break),
        }
    }
}

/// Keeps a space only between two visible things, and not between two
/// CJK characters; marks are transparent; breaks at the edges vanish.
fn settle_spaces(pieces: &[Piece]) -> String {
    let mut out = String::new();
    let mut marks = String::new();
    let mut prev: Option<char> = None;
    let mut seen = false;
    let mut space = false;
    let mut breaks = 0;
    for piece in pieces {
        let next = match piece {
            Piece::Char(' ') => {
                space = prev.is_some();
                continue;
            }
            Piece::Open(m) => {
                marks.push_str(m);
                continue;
            }
            Piece::Close(m) => {
                out.push_str(&std::mem::take(&mut marks));
                out.push_str(m);
                continue;
            }
            Piece::Break => {
                breaks += usize::from(seen);
                (space, prev) = (false, None);
                continue;
            }
            Piece::Char(c) => *c,
            Piece::Atom(_) => '\u{fffc}',
        };
        for _ in 0..std::mem::take(&mut breaks) {
            out.push_str("\\n");
        }
        if space && !(prev.is_some_and(is_cjk) && is_cjk(next)) {
            out.push(' ');
        }
        out.push_str(&std::mem::take(&mut marks));
        (space, prev, seen) = (false, Some(next), true);
        match piece {
            Piece::Atom(a) => out.push_str(a),
            _ => out.push(next),
        }
    }
    out.push_str(&marks);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char reading the byte scan must equal.
    fn reference(parts: &[&str]) -> (String, Vec<usize>) {
        let (mut text, mut spaces) = (String::new(), Vec::new());
        for part in parts {
            for c in part.chars() {
                if is_space(c) {
                    if !text.is_empty() && spaces.last() != Some(&text.len()) {
                        spaces.push(text.len());
                    }
                } else {
                    text.push(c);
                }
            }
        }
        (text, spaces)
    }

    #[test]
    fn the_byte_scan_reads_text_as_char_by_char() {
        let every_space: String = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| is_space(*c))
            .collect();
        let cases: Vec<Vec<&str>> = vec![
            vec![
                "IT 之家 9 月 12 日消息，微软：（测试）。",
                "\u{3000}全角\u{feff}x",
            ],
            vec![&every_space, "a", &every_space, "b\u{a0}\u{85}c\u{2028}d"],
            vec!["  lead", "trail  ", " ", "", "é\u{2060}\u{e3}\u{3001}、end"],
            vec!["\u{ef}\u{fffd}\u{ff0c}\u{e2}\u{2010}—\u{205f}z"],
        ];
        // Every space at every offset of a word, among CJK and ASCII.
        let mut placed = Vec::new();
        for space in every_space.chars() {
            for lead in 0..17 {
                placed.push(format!(
                    "{}{space}中文字，。{}",
                    "x".repeat(lead),
                    "y".repeat(lead)
                ));
            }
        }
        // Every char after the ASCII, with a space between some of them.
        let every_char: String = (0x80..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .flat_map(|c| [c, if u32::from(c) % 7 == 0 { ' ' } else { c }])
            .collect();
        let cases: Vec<Vec<&str>> = cases
            .into_iter()
            .chain([vec![every_char.as_str()]])
            .chain(placed.iter().map(|s| vec![s.as_str()]))
            .collect();
        for parts in cases {
            let mut f = Facets::default();
            for p in &parts {
                f.text(p);
            }
            assert_eq!((f.text, f.spaces), reference(&parts), "{parts:?}");
        }
    }
}
