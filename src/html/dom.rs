//! A small read-only view over the parsed tree.
//!
//! Lowering sees only these types, never the DOM crate's. Nothing here
//! recurses: text extraction walks with an explicit stack.

use super::arena::{DOCUMENT, Data, Id, Tree};
use std::rc::Rc;

/// A node of the parsed tree (cheap to clone: a reference count and an index).
#[derive(Clone)]
pub struct Node {
    tree: Rc<Tree>,
    id: Id,
}

/// The children of a node, from either end.
pub struct Children<'a> {
    parent: &'a Node,
    front: Option<Id>,
    back: Option<Id>,
}

impl Children<'_> {
    fn entry(&self, id: Id) -> &super::arena::Entry {
        &self.parent.tree.nodes[id as usize]
    }
}

impl Iterator for Children<'_> {
    type Item = Node;

    fn next(&mut self) -> Option<Node> {
        let id = self.front?;
        if self.front == self.back {
            (self.front, self.back) = (None, None);
        } else {
            self.front = self.entry(id).next_sibling;
        }
        Some(self.parent.at(id))
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<Node> {
        let id = self.back?;
        if self.front == self.back {
            (self.front, self.back) = (None, None);
        } else {
            self.back = self.entry(id).prev_sibling;
        }
        Some(self.parent.at(id))
    }
}

/// What a node is.
pub enum NodeKind<'a> {
    Element(&'a str),
    Text(&'a str),
    Comment,
    Other,
}

/// An element's attributes, borrowed.
pub struct Attrs<'a>(&'a [html5ever::Attribute]);

impl<'a> Attrs<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
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
    fn data(&self) -> &Data {
        &self.tree.nodes[self.id as usize].data
    }

    fn at(&self, id: Id) -> Node {
        Node {
            tree: Rc::clone(&self.tree),
            id,
        }
    }

    pub fn kind(&self) -> NodeKind<'_> {
        match self.data() {
            Data::Element { name, .. } => NodeKind::Element(&name.local),
            Data::Text(t) => NodeKind::Text(t),
            Data::Comment(_) => NodeKind::Comment,
            Data::Document | Data::Other => NodeKind::Other,
        }
    }

    /// A comment's text.
    pub fn comment_text(&self) -> Option<&str> {
        match self.data() {
            Data::Comment(text) => Some(text),
            _ => None,
        }
    }

    /// The element's local name, or `""` for other nodes.
    pub fn tag(&self) -> &str {
        match self.data() {
            Data::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    /// The element's attributes (empty for other nodes).
    pub fn attrs(&self) -> Option<Attrs<'_>> {
        match self.data() {
            Data::Element { attrs, .. } => Some(Attrs(attrs)),
            _ => None,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs().and_then(|a| a.get(name))
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attrs()
            .and_then(|a| {
                a.get("class")
                    .map(|c| c.split_ascii_whitespace().any(|c| c == class))
            })
            .unwrap_or(false)
    }

    /// The child indices, in order.
    fn child_ids(&self) -> impl Iterator<Item = Id> + '_ {
        let nodes = &self.tree.nodes;
        std::iter::successors(nodes[self.id as usize].first_child, move |c| {
            nodes[*c as usize].next_sibling
        })
    }

    pub fn children(&self) -> Vec<Node> {
        self.child_nodes().collect()
    }

    /// The children, in order, without collecting them (walks push them
    /// reversed onto their stacks: no vector per visited node).
    pub fn child_nodes(&self) -> Children<'_> {
        let entry = &self.tree.nodes[self.id as usize];
        Children {
            parent: self,
            front: entry.first_child,
            back: entry.last_child,
        }
    }

    pub fn child_count(&self) -> usize {
        self.child_ids().count()
    }

    /// The concatenated text of all descendants, in document order;
    /// `<br>` becomes a newline when `br_newline` is set.
    pub fn text_content(&self, br_newline: bool) -> String {
        let mut out = String::new();
        let mut stack = vec![self.clone()];
        while let Some(node) = stack.pop() {
            match node.kind() {
                NodeKind::Text(t) => out.push_str(t),
                NodeKind::Element("br") if br_newline => out.push('\n'),
                NodeKind::Element(_) => stack.extend(node.child_nodes().rev()),
                _ => {}
            }
        }
        out
    }

    /// Whether any text node [`Node::text_content`] would read satisfies
    /// `pred` (the same walk, without building the string).
    pub fn any_text(&self, pred: impl Fn(&str) -> bool) -> bool {
        let mut stack = vec![self.clone()];
        while let Some(node) = stack.pop() {
            match node.kind() {
                NodeKind::Text(t) if pred(t) => return true,
                NodeKind::Element(_) => stack.extend(node.child_nodes().rev()),
                _ => {}
            }
        }
        false
    }

    /// The bytes of text in the whole parsed tree: a size hint for what is
    /// read off it.
    pub fn text_len_in_tree(&self) -> usize {
        self.tree
            .nodes
            .iter()
            .map(|e| match &e.data {
                Data::Text(t) => t.len(),
                _ => 0,
            })
            .sum()
    }

    /// Whether the markup the tree was read from may yield a `[` in its
    /// text (`false` rules it out).
    pub fn may_hold_bracket(&self) -> bool {
        self.tree.may_hold_bracket
    }

    /// Whether any text node of the whole parsed tree, inside `self` or
    /// not, satisfies `pred`: one pass over the arena, no walk. `false`
    /// rules out [`Node::any_text`]; `true` only makes it possible.
    pub fn any_text_in_tree(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.tree
            .nodes
            .iter()
            .any(|e| matches!(&e.data, Data::Text(t) if pred(t)))
    }

    /// Every node below this one, one line each (test failures show
    /// trees as this).
    #[cfg(test)]
    pub(crate) fn outline(&self) -> String {
        let mut out = String::new();
        let mut stack = vec![(self.clone(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            out.push_str(&"  ".repeat(depth));
            match node.kind() {
                NodeKind::Element(tag) => {
                    out.push('<');
                    out.push_str(tag);
                    for (name, value) in node.attrs().iter().flat_map(Attrs::iter) {
                        out.push_str(&format!(" {name}={value:?}"));
                    }
                    out.push('>');
                }
                NodeKind::Text(text) => out.push_str(&format!("{text:?}")),
                NodeKind::Comment => {
                    out.push_str(&format!("<!--{:?}-->", node.comment_text().unwrap_or("")))
                }
                NodeKind::Other => out.push('?'),
            }
            out.push('\n');
            stack.extend(node.child_nodes().rev().map(|c| (c, depth + 1)));
        }
        out
    }

    /// True when `self` and `other` are the same node.
    pub fn same(&self, other: &Node) -> bool {
        Rc::ptr_eq(&self.tree, &other.tree) && self.id == other.id
    }
}

/// The node whose children are the content: `<html>` for a fragment,
/// `<body>` for a whole page.
pub fn content_root(tree: Rc<Tree>, whole_page: bool) -> Node {
    let document = Node { tree, id: DOCUMENT };
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
