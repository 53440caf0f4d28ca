//! WordPress's automatic paragraphs for classic-editor bodies: text the
//! author separated by a blank line is a paragraph, a single newline is a
//! line break.
//!
//! The rules follow what WordPress shows (our own implementation, written
//! from its documented behaviour):
//! - a blank line, the start of a block element and the end of one end a
//!   run of inline content;
//! - a run becomes a `<p>` at the top level and directly in a
//!   `<blockquote>`; inside other blocks (`div`, `li`, `td`...) only when a
//!   blank line splits that block's content, and never inside a `<p>`,
//!   heading or caption (a paragraph cannot hold one);
//! - a newline inside a run becomes `<br />`, but not at a run's edges,
//!   not right after the author's own `<br>`, not inside a tag, and never inside `<pre>`, `<script>`, `<style>`,
//!   `<textarea>`, `<svg>` or `<math>`, whose content is kept byte for
//!   byte;
//! - two `<br>` in a row (white space between) are a paragraph break;
//! - white space between the parts of a media or form element (`<video>`
//!   and its `<source>`s, `<select>` and its `<option>`s) stays white space;
//! - `<!--more-->` stands between blocks, never in a paragraph.
//!
//! The output is always balanced as far as the input was: we only add
//! `<p>`/`</p>` pairs around a run and `<br />` inside one. This module
//! never parses HTML into a tree.

/// Block elements: a run of inline content ends before and after them.
const BLOCKS: &[&str] = &[
    "address",
    "area",
    "article",
    "aside",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "map",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Blocks that cannot hold a paragraph.
const NO_PARAGRAPH: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "caption",
    "figcaption",
    "legend",
    "summary",
    "address",
];

/// Elements whose content is kept as it is; the first three end a run.
const VERBATIM: &[&str] = &["pre", "script", "style", "textarea", "svg", "math"];

/// A piece of the body.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    /// A tag, with its lower-cased name and whether it closes.
    Tag {
        raw: &'a str,
        name: String,
        closing: bool,
    },
    Comment(&'a str),
    /// A verbatim element, start to end tag.
    Verbatim {
        raw: &'a str,
        name: String,
    },
}

/// Adds paragraphs and line breaks to a classic WordPress body.
pub fn autop(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return String::new();
    }
    let mut state = State::default();
    for token in tokenize(&body) {
        state.feed(token);
    }
    state.flush(false);
    state.out.join("\n") + "\n"
}

#[derive(Default)]
struct State<'a> {
    out: Vec<String>,
    run: Vec<Token<'a>>,
    /// Open block elements.
    stack: Vec<String>,
    /// The current run began after a blank line.
    split_before: bool,
}

impl<'a> State<'a> {
    fn feed(&mut self, token: Token<'a>) {
        match token {
            Token::Text(text) => self.text(text),
            Token::Tag { raw, name, closing } if BLOCKS.contains(&name.as_str()) => {
                self.flush(false);
                self.out.push(raw.to_owned());
                self.block_tag(name, closing, raw.ends_with("/>"));
            }
            Token::Verbatim { raw, name }
                if ["pre", "script", "style"].contains(&name.as_str()) =>
            {
                self.flush(false);
                self.out.push(raw.to_owned());
            }
            Token::Comment(raw) if raw == "<!--more-->" => {
                self.flush(true);
                self.out.push(raw.to_owned());
                self.split_before = true;
            }
            Token::Tag { ref name, .. } if name == "br" && self.ends_with_break() => {
                // Two line breaks in a row are a paragraph break.
                let at = self.run.iter().rposition(is_break).unwrap_or(0);
                self.run.truncate(at);
                self.flush(true);
                self.split_before = true;
            }
            other => self.run.push(other),
        }
    }

    /// Whether the run ends in `<br>` (white space after it aside).
    fn ends_with_break(&self) -> bool {
        self.run
            .iter()
            .rev()
            .find(|t| !matches!(t, Token::Text(s) if s.trim().is_empty()))
            .is_some_and(is_break)
    }

    fn block_tag(&mut self, name: String, closing: bool, self_closed: bool) {
        if closing {
            if let Some(at) = self.stack.iter().rposition(|n| *n == name) {
                self.stack.truncate(at);
            }
        } else if name != "hr" && name != "col" && name != "area" && !self_closed {
            self.stack.push(name);
        }
        self.split_before = false;
    }

    /// Text: every blank line ends the run.
    fn text(&mut self, text: &'a str) {
        let mut rest = text;
        while let Some((before, after)) = split_blank(rest) {
            self.run.push(Token::Text(before));
            self.flush(true);
            self.split_before = true;
            rest = after;
        }
        self.run.push(Token::Text(rest));
    }

    /// Ends the current run; `split_after` when a blank line ended it.
    fn flush(&mut self, split_after: bool) {
        let run = std::mem::take(&mut self.run);
        let split = self.split_before || split_after;
        self.split_before = false;
        let html = render_run(&run);
        if html.is_empty() {
            return;
        }
        let wrap = match self.stack.last().map(String::as_str) {
            None | Some("blockquote") => true,
            Some(name) if NO_PARAGRAPH.contains(&name) => false,
            Some(_) => split,
        };
        self.out
            .push(if wrap { format!("<p>{html}</p>") } else { html });
    }
}

/// `text` split at its first blank line (a newline, blanks, a newline).
fn split_blank(text: &str) -> Option<(&str, &str)> {
    let mut search = 0;
    while let Some(at) = text[search..].find('\n') {
        let start = search + at;
        let after = &text[start + 1..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t', '\r']).len();
        if after[blanks..].starts_with('\n') {
            let mut end = start + 1 + blanks + 1;
            end += text[end..].len() - text[end..].trim_start().len();
            return Some((&text[..start], &text[end..]));
        }
        search = start + 1;
    }
    None
}

fn is_break(token: &Token<'_>) -> bool {
    matches!(token, Token::Tag { name, closing: false, .. } if name == "br")
}

/// Tags next to which a newline is layout, not a line break: the parts of
/// a media or form element (`<source>` in a `<video>`, `<option>`s).
fn is_quiet(token: Option<&Token<'_>>) -> bool {
    const PARTS: &[&str] = &["option", "param", "embed", "source", "track"];
    const HOLDERS: &[&str] = &["object", "video", "audio", "select"];
    matches!(token, Some(Token::Tag { name, .. })
        if PARTS.contains(&name.as_str()) || HOLDERS.contains(&name.as_str()))
}

/// A run's HTML: trimmed at its edges, inner newlines of its text made
/// `<br />` (but for white space between the parts of a media or form
/// element); empty when it holds only white space.
fn render_run(run: &[Token<'_>]) -> String {
    let mut html = String::new();
    for (i, token) in run.iter().enumerate() {
        match token {
            Token::Text(t)
                if t.trim().is_empty()
                    && (is_quiet(i.checked_sub(1).and_then(|p| run.get(p)))
                        || is_quiet(run.get(i + 1))) =>
            {
                html.push_str(t)
            }
            Token::Text(t) if i > 0 && is_break(&run[i - 1]) => {
                // The newline right after an author's `<br>` is its line
                // break already (WordPress adds none there either).
                let first = t.find('\n').filter(|&at| t[..at].trim().is_empty());
                let (layout, rest) = first.map_or(("", *t), |at| t.split_at(at + 1));
                html.push_str(layout);
                html.push_str(&line_breaks(rest));
            }
            Token::Text(t) => html.push_str(&line_breaks(t)),
            Token::Tag { raw, .. } | Token::Comment(raw) | Token::Verbatim { raw, .. } => {
                html.push_str(raw)
            }
        }
    }
    let trimmed = trim_breaks(&html);
    if run.iter().all(|t| matches!(t, Token::Text(_))) && trimmed.trim().is_empty() {
        return String::new();
    }
    trimmed
}

/// Newlines (with the blanks around them) → `<br />` + newline.
fn line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.truncate(out.trim_end_matches([' ', '\t']).len());
            out.push_str("<br />\n");
            out.push_str(line.trim_start_matches([' ', '\t']));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Drops white space and breaks our own line-break pass put at the edges.
fn trim_breaks(html: &str) -> String {
    let mut s = html.trim();
    loop {
        let before = s;
        s = s.strip_prefix("<br />").unwrap_or(s).trim_start();
        s = s.strip_suffix("<br />").unwrap_or(s).trim_end();
        if s == before {
            return s.to_owned();
        }
    }
}

/// Splits the body into text, tags, comments and verbatim elements.
fn tokenize(body: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some((token, len)) = markup_at(body, i) else {
            i += 1;
            continue;
        };
        if text_start < i {
            tokens.push(Token::Text(&body[text_start..i]));
        }
        tokens.push(token);
        i += len;
        text_start = i;
    }
    if text_start < body.len() {
        tokens.push(Token::Text(&body[text_start..]));
    }
    tokens
}

/// The markup token at byte `at` (a `<`) and its length.
fn markup_at(body: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let rest = &body[at..];
    if rest.starts_with("<!--") {
        let len = rest.find("-->").map_or(rest.len(), |e| e + 3);
        return Some((Token::Comment(&rest[..len]), len));
    }
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name: String = rest[name_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let len = tag_end(rest)?;
    let raw = &rest[..len];
    if !closing && VERBATIM.contains(&name.as_str()) && !raw.ends_with("/>") {
        let close = format!("</{name}");
        let end = find_ci(&rest[len..], &close)
            .and_then(|e| rest[len + e..].find('>').map(|g| len + e + g + 1))
            .unwrap_or(rest.len());
        return Some((
            Token::Verbatim {
                raw: &rest[..end],
                name,
            },
            end,
        ));
    }
    Some((Token::Tag { raw, name, closing }, len))
}

/// The length of a tag up to its `>`, quotes respected.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') if i > 0 => return None,
            _ => {}
        }
    }
    None
}

/// Case-insensitive ASCII search.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len()) + 1)
        .find(|&i| h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::autop;

    #[test]
    fn blank_lines_make_paragraphs_and_newlines_breaks() {
        assert_eq!(
            autop("One\ntwo\n\nThree"),
            "<p>One<br />\ntwo</p>\n<p>Three</p>\n"
        );
    }

    #[test]
    fn pre_is_kept() {
        assert_eq!(
            autop("a\n\n<pre>x\n\ny\n</pre>\nb"),
            "<p>a</p>\n<pre>x\n\ny\n</pre>\n<p>b</p>\n"
        );
    }

    #[test]
    fn blocks_end_runs_and_hold_no_stray_breaks() {
        assert_eq!(
            autop("<ul>\n<li>a</li>\n<li>b\nc</li>\n</ul>\nafter"),
            "<ul>\n<li>\na\n</li>\n<li>\nb<br />\nc\n</li>\n</ul>\n<p>after</p>\n"
        );
        assert_eq!(
            autop("<blockquote>quoted</blockquote>"),
            "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        );
        assert_eq!(autop("<div>x</div>"), "<div>\nx\n</div>\n");
        assert_eq!(
            autop("<div>x\n\ny</div>"),
            "<div>\n<p>x</p>\n<p>y</p>\n</div>\n"
        );
        assert_eq!(autop("<h2>T</h2>\ntext"), "<h2>\nT\n</h2>\n<p>text</p>\n");
    }

    #[test]
    fn tags_keep_their_newlines() {
        assert_eq!(
            autop("<a\nhref=\"x\">l</a> and\nmore"),
            "<p><a\nhref=\"x\">l</a> and<br />\nmore</p>\n"
        );
    }

    #[test]
    fn more_stands_alone() {
        assert_eq!(
            autop("intro\n<!--more-->\nrest"),
            "<p>intro</p>\n<!--more-->\n<p>rest</p>\n"
        );
    }

    #[test]
    fn a_newline_after_an_authors_break_adds_none() {
        assert_eq!(autop("Text<br>\nafter"), "<p>Text<br>\nafter</p>\n");
        assert_eq!(autop("a<br />  \nb\nc"), "<p>a<br />  \nb<br />\nc</p>\n");
        // Two newlines after it are still a paragraph break.
        assert_eq!(autop("a<br>\n\nb"), "<p>a<br></p>\n<p>b</p>\n");
    }

    #[test]
    fn double_breaks_and_media_parts() {
        assert_eq!(autop("a<br />\n<br>b"), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(
            autop("<video controls>\n<source src=\"a.mp4\">\n</video>"),
            "<p><video controls>\n<source src=\"a.mp4\">\n</video></p>\n"
        );
    }

    #[test]
    fn empty() {
        assert_eq!(autop("  \n\n "), "");
    }
}
