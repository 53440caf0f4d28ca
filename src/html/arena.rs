//! The tree html5ever builds into: one vector of nodes linked by index.
//!
//! A node is an entry in [`Tree::nodes`]; parent, children and siblings are
//! indices, so building allocates no node of its own, moving a subtree is a
//! few index writes, and dropping the tree is one flat free (no recursion,
//! whatever the depth). The sink never panics: a request the tree builder
//! promises not to make (an orphan sibling, a template that is none) is
//! answered harmlessly instead.
//!
//! Parse errors are not recorded: lowering never reads them.

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, QualName, local_name, ns};
use std::borrow::Cow;
use std::cell::RefCell;

/// A node's index in the tree.
pub type Id = u32;

/// The document node's index.
pub const DOCUMENT: Id = 0;

/// What a node is.
pub enum Data {
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// A `<template>`'s contents live in a fragment of their own.
        template: Option<Id>,
        mathml_annotation_xml_integration_point: bool,
    },
    Text(StrTendril),
    /// A comment, with its text (`<!--more-->` means something to a site).
    Comment(String),
    Other,
}

/// One node and its links.
pub struct Entry {
    pub data: Data,
    pub parent: Option<Id>,
    pub first_child: Option<Id>,
    pub last_child: Option<Id>,
    pub prev_sibling: Option<Id>,
    pub next_sibling: Option<Id>,
}

impl Entry {
    pub(super) fn new(data: Data) -> Entry {
        Entry {
            data,
            parent: None,
            first_child: None,
            last_child: None,
            prev_sibling: None,
            next_sibling: None,
        }
    }
}

/// A finished tree.
pub struct Tree {
    pub nodes: Vec<Entry>,
    /// Whether the markup the tree was read from holds a `[` or an `&` (a
    /// reference may stand for a `[`). When it holds neither, no text in
    /// the tree holds a `[`, nor a `[caption]` marker, and the search for
    /// one is skipped ([`may_hold_bracket`]). (The word itself may be split
    /// by tags, `[cap<b>tion</b>`: only the bracket is sure to be there.)
    pub may_hold_bracket: bool,
}

/// Whether text read from `markup` (HTML, or Markdown) can hold a `[`:
/// the markup holds one, or a reference. One pass of the memchr crate.
pub fn may_hold_bracket(markup: &str) -> bool {
    memchr::memchr2(b'[', b'&', markup.as_bytes()).is_some()
}

/// The tree while html5ever builds it.
pub struct Sink {
    nodes: RefCell<Vec<Entry>>,
}

impl Default for Sink {
    fn default() -> Self {
        Sink::for_input(0)
    }
}

/// What the tree builder holds on to: the index, and the element's name so
/// that [`TreeSink::elem_name`] can lend it without borrowing the arena.
#[derive(Clone)]
pub struct Handle {
    id: Id,
    name: QualName,
}

fn unnamed(id: Id) -> Handle {
    Handle {
        id,
        name: QualName::new(None, ns!(), local_name!("")),
    }
}

impl Sink {
    /// A sink sized for `len` bytes of HTML (about a node per 66 bytes in
    /// the median bench body, per 32 or fewer in 3% of them, counting
    /// start tags and text runs), so that the arena rarely grows by copying.
    pub fn for_input(len: usize) -> Sink {
        let mut nodes = Vec::with_capacity(len / 32 + 16);
        nodes.push(Entry::new(Data::Document));
        Sink {
            nodes: RefCell::new(nodes),
        }
    }

    fn push(&self, data: Data) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        // Inputs are capped far below 4 G nodes (see `Limits::max_bytes`).
        let id = Id::try_from(nodes.len()).unwrap_or(Id::MAX);
        nodes.push(Entry::new(data));
        id
    }

    fn new_text(&self, text: StrTendril) -> Id {
        self.push(Data::Text(text))
    }

    /// Appends `text` to node `id` when it is a text node.
    fn extend_text(&self, id: Option<Id>, text: &str) -> bool {
        let Some(id) = id else { return false };
        let mut nodes = self.nodes.borrow_mut();
        match nodes.get_mut(id as usize).map(|e| &mut e.data) {
            Some(Data::Text(t)) => {
                t.push_slice(text);
                true
            }
            _ => false,
        }
    }

    fn links(&self, id: Id) -> (Option<Id>, Option<Id>, Option<Id>) {
        let nodes = self.nodes.borrow();
        nodes.get(id as usize).map_or((None, None, None), |e| {
            (e.parent, e.prev_sibling, e.last_child)
        })
    }

    /// Unlinks `id` from its parent, if it has one.
    fn detach(&self, id: Id) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(entry) = nodes.get_mut(id as usize) else {
            return;
        };
        let (parent, prev, next) = (entry.parent, entry.prev_sibling, entry.next_sibling);
        entry.parent = None;
        entry.prev_sibling = None;
        entry.next_sibling = None;
        let Some(parent) = parent else { return };
        match prev {
            Some(p) => nodes[p as usize].next_sibling = next,
            None => nodes[parent as usize].first_child = next,
        }
        match next {
            Some(n) => nodes[n as usize].prev_sibling = prev,
            None => nodes[parent as usize].last_child = prev,
        }
    }

    /// Links the parentless `child` as the last child of `parent`.
    fn link_last(&self, parent: Id, child: Id) {
        let mut nodes = self.nodes.borrow_mut();
        if parent as usize >= nodes.len() || child as usize >= nodes.len() || parent == child {
            return;
        }
        let last = nodes[parent as usize].last_child;
        {
            let c = &mut nodes[child as usize];
            c.parent = Some(parent);
            c.prev_sibling = last;
            c.next_sibling = None;
        }
        match last {
            Some(l) => nodes[l as usize].next_sibling = Some(child),
            None => nodes[parent as usize].first_child = Some(child),
        }
        nodes[parent as usize].last_child = Some(child);
    }

    /// Links the parentless `child` right before `sibling` (which has `parent`).
    fn link_before(&self, parent: Id, sibling: Id, child: Id) {
        let mut nodes = self.nodes.borrow_mut();
        if child as usize >= nodes.len() || child == sibling {
            return;
        }
        let prev = nodes[sibling as usize].prev_sibling;
        {
            let c = &mut nodes[child as usize];
            c.parent = Some(parent);
            c.prev_sibling = prev;
            c.next_sibling = Some(sibling);
        }
        nodes[sibling as usize].prev_sibling = Some(child);
        match prev {
            Some(p) => nodes[p as usize].next_sibling = Some(child),
            None => nodes[parent as usize].first_child = Some(child),
        }
    }

    fn node_of(&self, child: NodeOrText<Handle>) -> Id {
        match child {
            NodeOrText::AppendNode(h) => {
                self.detach(h.id);
                h.id
            }
            NodeOrText::AppendText(text) => self.new_text(text),
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Tree;
    type ElemName<'a>
        = ExpandedName<'a>
    where
        Self: 'a;

    fn finish(self) -> Tree {
        Tree {
            nodes: self.nodes.into_inner(),
            // Not known here; `html::parse` reads it off the markup.
            may_hold_bracket: true,
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        unnamed(DOCUMENT)
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.name.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let template = flags.template.then(|| self.push(Data::Document));
        let id = self.push(Data::Element {
            name: name.clone(),
            attrs,
            template,
            mathml_annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
        });
        Handle { id, name }
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        unnamed(self.push(Data::Comment(text.to_string())))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        unnamed(self.push(Data::Other))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        if let NodeOrText::AppendText(text) = &child {
            let (_, _, last) = self.links(parent.id);
            if self.extend_text(last, text) {
                return;
            }
        }
        let id = self.node_of(child);
        self.link_last(parent.id, id);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let (parent, _, _) = self.links(element.id);
        if parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let id = self.push(Data::Other);
        self.link_last(DOCUMENT, id);
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let nodes = self.nodes.borrow();
        match nodes.get(target.id as usize).map(|e| &e.data) {
            Some(Data::Element {
                template: Some(contents),
                ..
            }) => unnamed(*contents),
            _ => target.clone(),
        }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        let (parent, prev, _) = self.links(sibling.id);
        let Some(parent) = parent else {
            // The tree builder never asks this of an orphan; keep the content.
            return self.append(&unnamed(DOCUMENT), child);
        };
        if let NodeOrText::AppendText(text) = &child
            && self.extend_text(prev, text)
        {
            return;
        }
        let id = self.node_of(child);
        self.link_before(parent, sibling.id, id);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Data::Element {
            attrs: existing, ..
        }) = nodes.get_mut(target.id as usize).map(|e| &mut e.data)
        {
            for attr in attrs {
                if !existing.iter().any(|e| e.name == attr.name) {
                    existing.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.detach(target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        loop {
            let first = {
                let nodes = self.nodes.borrow();
                nodes.get(node.id as usize).and_then(|e| e.first_child)
            };
            let Some(child) = first else { break };
            self.detach(child);
            self.link_last(new_parent.id, child);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        let nodes = self.nodes.borrow();
        matches!(
            nodes.get(handle.id as usize).map(|e| &e.data),
            Some(Data::Element {
                mathml_annotation_xml_integration_point: true,
                ..
            })
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(tree: &Tree, id: Id) -> String {
        let mut out = String::new();
        let mut child = tree.nodes[id as usize].first_child;
        while let Some(c) = child {
            if let Data::Text(t) = &tree.nodes[c as usize].data {
                out.push_str(t);
            }
            out.push_str(&text_of(tree, c));
            child = tree.nodes[c as usize].next_sibling;
        }
        out
    }

    #[test]
    fn links_stay_consistent_through_moves() {
        let sink = Sink::default();
        let name = |n: &str| QualName::new(None, ns!(html), n.into());
        let a = sink.create_element(name("a"), vec![], ElementFlags::default());
        let b = sink.create_element(name("b"), vec![], ElementFlags::default());
        let doc = sink.get_document();
        sink.append(&doc, NodeOrText::AppendNode(a.clone()));
        sink.append(&a, NodeOrText::AppendText("x".into()));
        sink.append(&a, NodeOrText::AppendText("y".into()));
        sink.append(&a, NodeOrText::AppendNode(b.clone()));
        sink.append_before_sibling(&b, NodeOrText::AppendText("z".into()));
        sink.append(&b, NodeOrText::AppendText("w".into()));
        sink.reparent_children(&a, &doc);
        sink.remove_from_parent(&a);
        let tree = sink.finish();
        assert_eq!(text_of(&tree, DOCUMENT), "xyzw");
        // An orphan sibling is not a panic.
        let sink = Sink::default();
        let orphan = sink.create_element(name("i"), vec![], ElementFlags::default());
        sink.append_before_sibling(&orphan, NodeOrText::AppendText("kept".into()));
        assert_eq!(text_of(&sink.finish(), DOCUMENT), "kept");
    }
}
