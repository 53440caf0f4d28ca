//! A small read-only view over the parsed tree.
//!
//! Lowering sees only these types, never the DOM crate's. Nothing here
//! recurses: text extraction walks with an explicit stack.

use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::cell::Ref;

/// A node of the parsed tree (cheap to clone: a reference count).
#[derive(Clone)]
pub struct Node(Handle);

/// What a node is.
pub enum NodeKind<'a> {
    Element(&'a str),
    Text(Ref<'a, str>),
    Comment,
    Other,
}

/// An element's attributes, borrowed.
pub struct Attrs<'a>(Ref<'a, Vec<html5ever::Attribute>>);

impl Attrs<'_> {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|a| (&*a.name.local, &*a.value))
    }
}

impl Node {
    pub fn kind(&self) -> NodeKind<'_> {
        match &self.0.data {
            NodeData::Element { name, .. } => NodeKind::Element(&name.local),
            NodeData::Text { contents } => NodeKind::Text(Ref::map(contents.borrow(), |t| &**t)),
            NodeData::Comment { .. } => NodeKind::Comment,
            _ => NodeKind::Other,
        }
    }

    /// The element's local name, or `""` for other nodes.
    pub fn tag(&self) -> &str {
        match &self.0.data {
            NodeData::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    /// The element's attributes (empty for other nodes).
    pub fn attrs(&self) -> Option<Attrs<'_>> {
        match &self.0.data {
            NodeData::Element { attrs, .. } => Some(Attrs(attrs.borrow())),
            _ => None,
        }
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs().and_then(|a| a.get(name).map(str::to_owned))
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attrs()
            .and_then(|a| {
                a.get("class")
                    .map(|c| c.split_ascii_whitespace().any(|c| c == class))
            })
            .unwrap_or(false)
    }

    pub fn children(&self) -> Vec<Node> {
        self.0.children.borrow().iter().cloned().map(Node).collect()
    }

    pub fn child_count(&self) -> usize {
        self.0.children.borrow().len()
    }

    /// The concatenated text of all descendants, in document order;
    /// `<br>` becomes a newline when `br_newline` is set.
    pub fn text_content(&self, br_newline: bool) -> String {
        let mut out = String::new();
        let mut stack = vec![self.clone()];
        while let Some(node) = stack.pop() {
            match node.kind() {
                NodeKind::Text(t) => out.push_str(&t),
                NodeKind::Element("br") if br_newline => out.push('\n'),
                NodeKind::Element(_) => stack.extend(node.children().into_iter().rev()),
                _ => {}
            }
        }
        out
    }

    /// True when `self` and `other` are the same node.
    pub fn same(&self, other: &Node) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The node whose children are the content: `<html>` for a fragment,
/// `<body>` for a whole page.
pub fn content_root(dom: &RcDom, whole_page: bool) -> Node {
    let document = Node(dom.document.clone());
    let html = document
        .children()
        .into_iter()
        .find(|n| n.tag() == "html")
        .unwrap_or(document);
    if !whole_page {
        return html;
    }
    html.children()
        .into_iter()
        .find(|n| n.tag() == "body")
        .unwrap_or(html)
}
