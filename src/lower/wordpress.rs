//! WordPress markup that lives in text and comments: the `<!--more-->`
//! summary divider, and the `[caption]...[/caption]`
//! shortcode jekyll-import leaves in a post's HTML. WordPress shows it as
//! the image, then the caption as a paragraph of its own (the text after
//! the image, or the old `caption="..."` attribute); lowering and the
//! verifier both read the markers through [`caption_pieces`].

use regex::Regex;
use std::sync::LazyLock;

/// Whether a comment is the summary divider: `<!--more-->`, `<!-- more
/// -->`, WordPress's `<!--more Read on-->`.
pub fn is_more_divider(comment: &str) -> bool {
    let text = comment.trim();
    text == "more" || text.strip_prefix("more ").is_some()
}

/// A piece of a text node.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `[caption ...]`, with its `caption="..."` attribute when it has one.
    Open(Option<String>),
    /// `[/caption]`.
    Close,
}

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\[caption\b[^\]]*\]|\[/caption\]"#).expect("valid regex"));
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bcaption=(?:"([^"]*)"|'([^']*)')"#).expect("valid regex"));

/// Whether the text under `root` holds both a `[caption` and a
/// `[/caption]`: only then are the markers a shortcode. A lone
/// `[caption]` (WordPress's escaped `[[caption]]`, or prose about the
/// shortcode) is text a reader sees.
pub fn holds_caption_shortcode(root: &crate::html::Node) -> bool {
    // Both markers start with `[`: without one in any text node, neither
    // can appear in their concatenation. Most bodies have none, and the
    // arena is cheaper to scan than the tree to walk.
    let bracket = |t: &str| memchr::memchr(b'[', t.as_bytes()).is_some();
    // Nor can they without a `[` (or a reference) in the markup: one
    // search of it spares most trees their scan.
    if !root.may_hold_bracket() || !root.any_text_in_tree(bracket) || !root.any_text(bracket) {
        return false;
    }
    let text = root.text_content(false);
    text.contains("[caption") && text.contains("[/caption]")
}

/// Splits `text` at caption markers (one `Text` piece when it has none).
pub fn caption_pieces(text: &str) -> Vec<Piece<'_>> {
    if !text.contains("caption]") && !text.contains("[caption") {
        return vec![Piece::Text(text)];
    }
    let mut out = Vec::new();
    let mut at = 0;
    for m in MARKER.find_iter(text) {
        if m.start() > at {
            out.push(Piece::Text(&text[at..m.start()]));
        }
        out.push(if m.as_str() == "[/caption]" {
            Piece::Close
        } else {
            Piece::Open(
                ATTR.captures(m.as_str())
                    .and_then(|c| c.get(1).or_else(|| c.get(2)))
                    .map(|v| v.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|v| !v.is_empty()),
            )
        });
        at = m.end();
    }
    if at < text.len() {
        out.push(Piece::Text(&text[at..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_split_the_text() {
        assert_eq!(
            caption_pieces(r#"a [caption id="x" caption="Old style"]b[/caption] c"#),
            vec![
                Piece::Text("a "),
                Piece::Open(Some("Old style".into())),
                Piece::Text("b"),
                Piece::Close,
                Piece::Text(" c"),
            ]
        );
        assert_eq!(caption_pieces("plain"), vec![Piece::Text("plain")]);
    }

    #[test]
    fn the_shortcode_is_found_however_its_markup_spells_it() {
        let holds = |html: &str| {
            let parsed = crate::html::parse(html, crate::html::Limits::default());
            holds_caption_shortcode(&parsed.expect("parses").root)
        };
        assert!(holds("<p>[caption id=\"a\"]<img src=x> b[/caption]</p>"));
        assert!(holds("<p>[capt<b>ion]</b> b[/caption]</p>"));
        // The markup never spells the word whole.
        assert!(holds("<p>[cap<b>tion</b>] b[/cap<i>tion</i>]</p>"));
        // Spelled by references, brackets too.
        assert!(holds("<p>[&#99;aption] b[&#x2F;&#x63;aption]</p>"));
        assert!(holds("<p>&#91;caption] b&lsqb;/caption]</p>"));
        assert!(!holds("<p>[caption] alone</p>"));
        assert!(!holds("<p>[x] and [/y]</p>"));
        assert!(!holds("<p>no brackets &amp; no word</p>"));
    }
}
