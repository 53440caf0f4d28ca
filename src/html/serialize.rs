//! Serializes a subtree back to tidy HTML, for elements kept as HTML.
//!
//! Tidy means: only structural attributes survive (no `class`, `style`,
//! `data-*` or event handlers), text is escaped, and the result holds no
//! blank line, so it stays one CommonMark HTML block. Iterative.

use super::content::closes_p;
use super::elements::{Becomes, element};
use super::{Node, NodeKind};

/// Attributes worth keeping when an element is kept as HTML.
const KEPT_ATTRS: &[&str] = &[
    "href", "src", "alt", "title", "colspan", "rowspan", "align", "scope", "start", "lang",
];

/// Whether the converter drops `tag` with its content: kept HTML leaves
/// it out too (one table, `elements`, says which). SVG and MathML would
/// not read back as the same tree anyway: the parser's rules for foreign
/// content move HTML-named children out.
fn dropped(tag: &str) -> bool {
    matches!(element(tag).becomes, Becomes::Dropped(_))
}

/// Options for [`to_html`].
#[derive(Clone, Copy)]
pub struct Tidy {
    /// Keep every attribute (for `keep` mode of project links) instead of
    /// the structural ones only.
    pub all_attrs: bool,
}

/// Serializes `node` and its descendants, as HTML that reads back the same.
///
/// Some trees cannot be written as they are: a quirks-mode page may nest a
/// table in a paragraph, a misnested list an `<li>` in an `<li>`. Parsed
/// again, such HTML makes another tree, so the next run would write other
/// bytes. The text is therefore parsed and written again (a few rounds at
/// most) until it is a fixed point: what the next run reads is what it
/// writes.
pub fn to_html(node: &Node, tidy: Tidy) -> String {
    let mut html = write(node, tidy);
    for _ in 0..3 {
        let Ok(parsed) = super::parse(&html, super::Limits::default()) else {
            break;
        };
        let again: String = parsed
            .root
            .children()
            .iter()
            .map(|child| write(child, tidy))
            .collect();
        if again == html {
            break;
        }
        html = again;
    }
    html
}

/// Writes `node` and its descendants as they are.
fn write(node: &Node, tidy: Tidy) -> String {
    enum Step {
        Visit(Node),
        Close(String),
    }
    let mut out = String::new();
    // Open `pre` elements: their whitespace is content.
    let mut pre = 0usize;
    let mut stack = vec![Step::Visit(node.clone())];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(name) => {
                pre -= usize::from(name == "pre");
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
            Step::Visit(n) => match n.kind() {
                NodeKind::Text(t) if pre > 0 => push_pre_text(&mut out, t),
                NodeKind::Text(t) => push_text(&mut out, t),
                NodeKind::Element(name) if dropped(name) => {}
                NodeKind::Element("p") if holds_p_closer(&n) => {
                    // Parsed back, such content would end the paragraph
                    // (a quirks-mode page may nest it). Settling in
                    // `to_html` would also reach a fixed point, but leave
                    // the paragraph split around it with an empty `<p></p>`:
                    // unwrapped, the content reads as it did.
                    stack.extend(n.child_nodes().rev().map(Step::Visit));
                }
                NodeKind::Element(name) => {
                    // Raw-text elements would not read their escaped text
                    // back: `xmp`/`plaintext` become `pre`, embeds lose it.
                    let name = match name {
                        "xmp" | "plaintext" | "listing" => "pre".to_owned(),
                        other => other.to_owned(),
                    };
                    open_tag(&mut out, &n, &name, tidy);
                    if element(&name).void {
                        continue;
                    }
                    pre += usize::from(name == "pre");
                    stack.push(Step::Close(name.clone()));
                    if !element(&name).raw_text {
                        stack.extend(n.child_nodes().rev().map(Step::Visit));
                    }
                }
                _ => {}
            },
        }
    }
    out
}

/// Elements that put what they hold out of a paragraph's reach.
const SCOPE: &[&str] = &[
    "button", "table", "td", "th", "caption", "object", "marquee", "applet", "template",
];

/// Whether `p` holds (outside nested scopes) an element that would close it.
fn holds_p_closer(p: &Node) -> bool {
    let mut stack = p.children();
    while let Some(node) = stack.pop() {
        let tag = node.tag();
        if closes_p(tag) {
            return true;
        }
        if !SCOPE.contains(&tag) {
            stack.extend(node.child_nodes());
        }
    }
    false
}

fn open_tag(out: &mut String, node: &Node, name: &str, tidy: Tidy) {
    out.push('<');
    out.push_str(name);
    // An image keeps the source a reader would see (lazy loaders).
    if name == "img" {
        let src = crate::lower::media::image_source(node);
        if !src.is_empty() && !is_script_url(&src) {
            out.push_str(" src=\"");
            push_attr(out, &src);
            out.push('"');
        }
    }
    if let Some(attrs) = node.attrs() {
        for (k, v) in attrs.iter() {
            if (!tidy.all_attrs && !KEPT_ATTRS.contains(&k))
                || unsafe_attr(k, v)
                || (name == "img" && k == "src")
            {
                continue;
            }
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            push_attr(out, v);
            out.push('"');
        }
    }
    out.push('>');
}

/// Event handlers and script URLs never survive, whatever is kept.
fn unsafe_attr(name: &str, value: &str) -> bool {
    name.to_ascii_lowercase().starts_with("on")
        || (matches!(
            name,
            "href" | "src" | "action" | "formaction" | "xlink:href"
        ) && is_script_url(value))
}

/// `javascript:`, `vbscript:` and `data:text/html` URLs run code when followed.
pub fn is_script_url(url: &str) -> bool {
    // Only the scheme matters: the first characters that are not
    // whitespace or control characters (which browsers skip), lower-cased,
    // compared as they come (no copy: every link and image asks).
    const SCHEMES: [&[u8]; 3] = [b"javascript:", b"vbscript:", b"data:text/html"];
    let mut alive = [true; 3];
    let seen = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control());
    for (n, c) in seen.enumerate() {
        let c = c.to_ascii_lowercase();
        for (scheme, alive) in SCHEMES.iter().zip(alive.iter_mut()) {
            if !*alive {
                continue;
            }
            if scheme.get(n).is_none_or(|&b| char::from(b) != c) {
                *alive = false;
            } else if n + 1 == scheme.len() {
                return true;
            }
        }
        if alive == [false; 3] {
            return false;
        }
    }
    false
}

/// Escapes text; whitespace runs with a newline become one space so that
/// no blank line can end the HTML block.
fn push_text(out: &mut String, text: &str) {
    let mut in_ws = out.ends_with(' ');
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
            continue;
        }
        in_ws = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

/// Escapes preformatted text: its whitespace is kept, line breaks as
/// references, so the lines survive and the block stays on one line (a
/// leading newline, which the parser would drop, is written twice).
fn push_pre_text(out: &mut String, text: &str) {
    if out.ends_with("<pre>") && text.starts_with('\n') {
        out.push_str("&#10;");
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

/// An attribute value escaped for a double-quoted attribute on one line.
pub fn attr_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_attr(&mut out, value);
    out
}

fn push_attr(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            // As references, line breaks keep the value and the tag on one line.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_script_url;

    /// The scheme test as first written: squeeze, lower-case, compare.
    fn squeezed_reading(url: &str) -> bool {
        let squeezed: String = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .take("data:text/html".len())
            .collect::<String>()
            .to_ascii_lowercase();
        ["javascript:", "vbscript:", "data:text/html"]
            .iter()
            .any(|s| squeezed.starts_with(s))
    }

    #[test]
    fn the_scheme_is_read_as_browsers_skip_and_fold_it() {
        let urls = [
            "javascript:alert(1)",
            " JaVa\tScRiPt:x",
            "java\u{0}script:x",
            "java\nscript:",
            "vbscript:msgbox",
            "VBSCRIPT:",
            "data:text/html;base64,xx",
            "DATA:TEXT/HTML,x",
            "data:text/htm",
            "data:image/png;base64,xx",
            "javascript",
            "javascrip:",
            "https://example.com/javascript:",
            "",
            "  ",
            "jävascript:",
            "\u{2003}javascript:",
            "j",
            "data:text/html",
            "vbscript",
        ];
        for url in urls {
            assert_eq!(is_script_url(url), squeezed_reading(url), "{url:?}");
        }
    }
}
