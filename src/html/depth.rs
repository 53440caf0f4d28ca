//! A token filter in front of html5ever's tree builder that bounds nesting.
//!
//! It keeps an approximate stack of open elements (the tree builder's own
//! stack is private). A start tag that would open an element deeper than
//! the limit is dropped together with its matching end tag; text always
//! passes. It must never drop character tokens or change their order.

use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{LocalName, local_name};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::content::closes_p;

pub struct DepthGuard<S> {
    inner: S,
    max_depth: usize,
    open: RefCell<Vec<LocalName>>,
    dropped_open: RefCell<HashMap<LocalName, usize>>,
    flattened: Cell<usize>,
}

impl<S> DepthGuard<S> {
    pub fn new(inner: S, max_depth: usize) -> Self {
        DepthGuard {
            inner,
            max_depth,
            open: RefCell::new(Vec::new()),
            dropped_open: RefCell::new(HashMap::new()),
            flattened: Cell::new(0),
        }
    }

    pub fn flattened(&self) -> usize {
        self.flattened.get()
    }

    pub fn into_inner(self) -> S {
        self.inner
    }

    /// Decides whether a tag reaches the tree builder.
    fn admit(&self, tag: &Tag) -> bool {
        match tag.kind {
            TagKind::StartTag => self.admit_start(tag),
            TagKind::EndTag => self.admit_end(&tag.name),
        }
    }

    fn admit_start(&self, tag: &Tag) -> bool {
        if tag.self_closing || is_void(&tag.name) {
            return true;
        }
        let mut open = self.open.borrow_mut();
        // At the cap nothing new opens, not even a sibling that would close
        // its predecessor: its parent may have been one of the dropped tags.
        if open.len() < self.max_depth {
            close_implied(&mut open, &tag.name);
        }
        if open.len() >= self.max_depth {
            // A dropped raw-text element leaves the tokenizer reading its
            // content as markup, so its end tag may never come; counting it
            // would swallow the end tag of a later one that is open, and the
            // tree builder cannot leave raw text without it (it panics).
            // Uncounted, its own end tag passes as a stray one, ignored.
            if !is_raw_text(&tag.name) {
                *self
                    .dropped_open
                    .borrow_mut()
                    .entry(tag.name.clone())
                    .or_default() += 1;
            }
            self.flattened.set(self.flattened.get() + 1);
            return false;
        }
        open.push(tag.name.clone());
        true
    }

    fn admit_end(&self, name: &LocalName) -> bool {
        if let Some(n) = self.dropped_open.borrow_mut().get_mut(name)
            && *n > 0
        {
            *n -= 1;
            return false;
        }
        let mut open = self.open.borrow_mut();
        if let Some(pos) = open.iter().rposition(|n| n == name) {
            open.truncate(pos);
        }
        true
    }
}

/// Mirrors the tree builder's commonest implied end tags, so that runs of
/// unclosed `<p>` or `<li>` do not count as nesting.
fn close_implied(open: &mut Vec<LocalName>, name: &LocalName) {
    let Some(top) = open.last() else { return };
    let same_closes = matches!(
        *name,
        local_name!("p")
            | local_name!("li")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("option")
    );
    if (same_closes && top == name) || (*top == local_name!("p") && closes_p(name.as_ref())) {
        open.pop();
    }
}

/// Elements whose content the tokenizer reads as text (the tree builder
/// switches it, scripting on), up to their own end tag.
fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("param")
            | local_name!("keygen")
    )
}

impl<S: TokenSink> TokenSink for DepthGuard<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<S::Handle> {
        if let Token::TagToken(tag) = &token
            && !self.admit(tag)
        {
            return TokenSinkResult::Continue;
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}
