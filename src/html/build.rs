//! Builds the tree [`super::parse`] would build, without markup to parse.
//!
//! A caller that would otherwise write HTML only to parse it back (the
//! rendered side of verification) says what it would write: open an
//! element, text, a comment, close. The result is the same arena, viewed
//! through the same [`Node`], rooted as a parsed fragment is (the `<html>`
//! element whose children are the content), with text as html5ever leaves
//! it: `\r\n` and a lone `\r` read as `\n` (its input stream does that),
//! NUL dropped from text and read as U+FFFD in attributes and comments,
//! and adjacent texts merged into one node.
//!
//! It does not run the HTML tree-construction rules. The caller vouches
//! that its markup is what html5ever keeps as written: every element
//! closed in the order opened, nothing the parser would imply, close,
//! move or foster-parent (so no text directly inside a table but
//! whitespace, no block inside `<p>`, no link inside a link), no raw text
//! or template elements. It mirrors the one parser guard that changes
//! such markup: nesting deeper than [`Limits::effective_depth`] would be
//! flattened, so [`Builder::finish`] then builds nothing and the caller
//! parses its markup instead.

use super::Limits;
use super::arena::{DOCUMENT, Data, Entry, Id, Tree};
use super::dom::{Node, content_root};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, QualName, ns};
use std::borrow::Cow;
use std::rc::Rc;

/// A tree under construction.
pub struct Builder {
    nodes: Vec<Entry>,
    /// The open elements, the `<html>` root first.
    open: Vec<Id>,
    max_depth: usize,
    too_deep: bool,
    /// The last thing written was text ending in `\r`: a `\n` right after
    /// it belongs to the same line break.
    after_cr: bool,
    /// See [`Tree::may_hold_bracket`]; true until [`Builder::read_from`]
    /// says otherwise.
    may_hold_bracket: bool,
}

impl Builder {
    /// An empty fragment, nesting bounded as `limits` bound a parse.
    #[cfg(test)]
    pub fn new(limits: Limits) -> Builder {
        Builder::sized(limits, 0)
    }

    /// [`Builder::new`], with room for about `nodes` nodes (so that the
    /// arena rarely grows by copying).
    pub fn sized(limits: Limits, nodes: usize) -> Builder {
        let mut arena = Vec::with_capacity(nodes + 2);
        arena.push(Entry::new(Data::Document));
        let mut builder = Builder {
            nodes: arena,
            open: Vec::new(),
            max_depth: limits.effective_depth(),
            too_deep: false,
            after_cr: false,
            may_hold_bracket: true,
        };
        let root = builder.append(Data::Element {
            name: html_name("html"),
            attrs: Vec::new(),
            template: None,
            mathml_annotation_xml_integration_point: false,
        });
        builder.open.push(root);
        builder
    }

    /// Opens element `tag` with `attrs` (name, value), in order.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        let id = self.element(tag, attrs);
        self.open.push(id);
        // The depth guard counts the elements open around a start tag and
        // drops it at the limit; the root is no tag of the markup.
        if self.open.len() - 1 > self.max_depth {
            self.too_deep = true;
        }
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if self.open.len() > 1 {
            self.open.pop();
        }
        self.after_cr = false;
    }

    /// An element without content (`<br>`, `<img>`): opened and closed.
    pub fn void(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.element(tag, attrs);
    }

    /// Text, merged into the text node before it when there is one.
    pub fn text(&mut self, text: &str) {
        let text = text_as_parsed(text, &mut self.after_cr);
        if text.is_empty() {
            return;
        }
        let parent = self.current();
        let last = self.nodes[parent as usize].last_child;
        if let Some(last) = last
            && let Data::Text(t) = &mut self.nodes[last as usize].data
        {
            t.push_slice(&text);
            return;
        }
        self.append(Data::Text(StrTendril::from_slice(&text)));
    }

    /// A comment, `text` being what stands between `<!--` and `-->`.
    pub fn comment(&mut self, text: &str) {
        self.append(Data::Comment(attribute_value(text).into_owned()));
        self.after_cr = false;
    }

    /// Notes the markup the tree's text is read from (see
    /// [`Tree::may_hold_bracket`]).
    pub fn read_from(&mut self, markup: &str) {
        self.may_hold_bracket = super::arena::may_hold_bracket(markup);
    }

    /// The content root, or `None` when the markup nests deeper than a
    /// parse would keep (the caller parses it then).
    pub fn finish(self) -> Option<Node> {
        if self.too_deep {
            return None;
        }
        let tree = Tree {
            nodes: self.nodes,
            may_hold_bracket: self.may_hold_bracket,
        };
        Some(content_root(Rc::new(tree), false))
    }

    fn current(&self) -> Id {
        self.open.last().copied().unwrap_or(DOCUMENT)
    }

    fn element(&mut self, tag: &str, attrs: &[(&str, &str)]) -> Id {
        let attrs = attrs
            .iter()
            .map(|&(name, value)| Attribute {
                name: QualName::new(None, ns!(), LocalName::from(name)),
                value: StrTendril::from_slice(&attribute_value(value)),
            })
            .collect();
        self.after_cr = false;
        self.append(Data::Element {
            name: html_name(tag),
            attrs,
            template: None,
            mathml_annotation_xml_integration_point: false,
        })
    }

    /// Adds a node as the last child of the current element.
    fn append(&mut self, data: Data) -> Id {
        let parent = self.current();
        // Inputs are capped far below 4 G nodes (see `Limits::max_bytes`).
        let id = Id::try_from(self.nodes.len()).unwrap_or(Id::MAX);
        let mut entry = Entry::new(data);
        entry.parent = Some(parent);
        entry.prev_sibling = self.nodes[parent as usize].last_child;
        if let Some(prev) = entry.prev_sibling {
            self.nodes[prev as usize].next_sibling = Some(id);
        } else {
            self.nodes[parent as usize].first_child = Some(id);
        }
        self.nodes[parent as usize].last_child = Some(id);
        self.nodes.push(entry);
        id
    }
}

fn html_name(tag: &str) -> QualName {
    QualName::new(None, ns!(html), LocalName::from(tag))
}

/// A piece of text as the parser reads it: a `\n` right after a `\r`
/// that ended the piece before (`after_cr`, updated here) belongs to the
/// same line break; line breaks read as `\n`; NULs are dropped.
pub(crate) fn text_as_parsed<'t>(text: &'t str, after_cr: &mut bool) -> Cow<'t, str> {
    if text.is_empty() {
        return Cow::Borrowed(text);
    }
    let joined = match *after_cr {
        true => text.strip_prefix('\n').unwrap_or(text),
        false => text,
    };
    *after_cr = text.ends_with('\r');
    without_nul(lines(joined))
}

/// Line breaks as the parser's input stream reads them.
fn lines(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Text as the tree builder inserts it: a NUL in body text is ignored.
fn without_nul(text: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memchr(0, text.as_bytes()).is_some() {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    }
}

/// An attribute value or comment as the tokenizer reads it.
fn attribute_value(value: &str) -> Cow<'_, str> {
    let value = lines(value);
    if memchr::memchr(0, value.as_bytes()).is_some() {
        Cow::Owned(value.replace('\0', "\u{FFFD}"))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse;

    #[test]
    fn builds_what_the_parser_builds_from_the_same_markup() {
        let html = "<p>a\r\nb\rc<em>d</em>\0e</p>\n<!-- x\0y -->\
            <ol start=\"3\">\n<li><a href=\"u?a&amp;b\" title=\"t\r\nq\">l</a><br />\n\r\nz</li>\n</ol>\n";
        let mut b = Builder::new(Limits::default());
        b.open("p", &[]);
        b.text("a\r");
        b.text("");
        b.text("\nb\rc");
        b.open("em", &[]);
        b.text("d");
        b.close();
        b.text("\0e");
        b.close();
        b.text("\n");
        b.comment(" x\0y ");
        b.open("ol", &[("start", "3")]);
        b.text("\n");
        b.open("li", &[]);
        b.open("a", &[("href", "u?a&b"), ("title", "t\r\nq")]);
        b.text("l");
        b.close();
        b.void("br", &[]);
        b.text("\n");
        b.text("\r");
        b.text("\nz");
        b.close();
        b.text("\n");
        b.close();
        b.text("\n");
        let built = b.finish().expect("shallow");
        let parsed = parse(html, Limits::default()).unwrap().root;
        assert_eq!(built.outline(), parsed.outline());
    }

    #[test]
    fn nesting_the_depth_guard_would_flatten_builds_nothing() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let mut b = Builder::new(limits);
        b.open("blockquote", &[]);
        b.open("p", &[]);
        b.void("br", &[]);
        assert!(b.finish().is_some());
        let mut b = Builder::new(limits);
        b.open("blockquote", &[]);
        b.open("blockquote", &[]);
        b.open("p", &[]);
        assert!(b.finish().is_none());
    }
}
