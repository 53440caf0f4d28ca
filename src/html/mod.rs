//! HTML parsing with size and depth guards.
//!
//! This is the only module that names the parser crate (html5ever); the
//! tree is our own arena (`arena`), read through the small view in `dom`,
//! so it can change without touching lowering. A caller that would write
//! HTML only to parse it back builds the same tree directly (`build`).
//! It parses; it does not interpret elements (that is `lower`'s job).
//!
//! html5ever's tree builder is quadratic in nesting depth, so tags nested
//! deeper than [`Limits::max_depth`] are dropped *before* they reach the tree
//! builder ([`depth::DepthGuard`]); their text is kept, and a diagnostic says
//! how many were flattened. No setting lifts the limit above
//! [`HARD_MAX_DEPTH`]: the stages after parsing (transform passes, the
//! writer, verification) follow the tree with bounded recursion, and this
//! bound is what keeps every one of them inside a thread's stack.

mod arena;
mod build;
mod content;
mod depth;
mod dom;
pub mod elements;
pub mod serialize;

pub(crate) use build::{Builder, text_as_parsed};
pub use dom::{Attrs, Node, NodeKind};

use crate::diagnostic::Diagnostic;
use depth::DepthGuard;
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{QualName, local_name, ns};
use std::rc::Rc;

/// The deepest nesting any setting can ask for. The AST passes, the
/// writer and verification recurse along the tree; this bound keeps them
/// inside the smallest stack they run on (a test harness or `migrate`
/// worker thread, 2 MiB). Measured in a debug build on such a thread,
/// nested emphasis (the deepest chain) passes at 1024 levels and
/// overflows at 1536, so 768 leaves a margin; release frames are smaller.
/// `--max-depth` above it acts as it.
pub const HARD_MAX_DEPTH: usize = 768;

/// Bounds on what the parser accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input in bytes.
    pub max_bytes: usize,
    /// Deepest element nesting kept; deeper tags are flattened. Values
    /// over [`HARD_MAX_DEPTH`] act as it.
    pub max_depth: usize,
}

impl Limits {
    /// The nesting depth the depth guard enforces: `max_depth`, within
    /// 1..=[`HARD_MAX_DEPTH`].
    pub fn effective_depth(&self) -> usize {
        self.max_depth.clamp(1, HARD_MAX_DEPTH)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 512,
        }
    }
}

/// Why a body could not be parsed at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("input is {size} bytes, over the {limit}-byte limit (see --max-size)")]
    TooLarge { size: usize, limit: usize },
}

/// A parsed body: the root whose children are the content, plus diagnostics.
pub struct Parsed {
    pub root: Node,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses an HTML fragment (or a whole page, when it starts like one).
pub fn parse(html: &str, limits: Limits) -> Result<Parsed, ParseError> {
    if html.len() > limits.max_bytes {
        return Err(ParseError::TooLarge {
            size: html.len(),
            limit: limits.max_bytes,
        });
    }
    let whole_page = looks_like_page(html);
    let dom = arena::Sink::for_input(html.len());
    let builder = if whole_page {
        TreeBuilder::new(dom, TreeBuilderOpts::default())
    } else {
        let context = QualName::new(None, ns!(html), local_name!("body"));
        let ctx_elem = html5ever::tree_builder::create_element(&dom, context, Vec::new());
        TreeBuilder::new_for_fragment(dom, ctx_elem, None, TreeBuilderOpts::default())
    };
    let initial_state = (!whole_page).then(|| builder.tokenizer_state_for_context_elem(false));
    let max_depth = limits.effective_depth();
    let guard = DepthGuard::new(builder, max_depth);
    let opts = TokenizerOpts {
        initial_state,
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(guard, opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let flattened = tokenizer.sink.flattened();
    let mut tree = tokenizer.sink.into_inner().sink.finish();
    tree.may_hold_bracket = arena::may_hold_bracket(html);
    let tree = Rc::new(tree);
    let mut diagnostics = Vec::new();
    if flattened > 0 {
        diagnostics.push(Diagnostic::warning(
            "flattened-nesting",
            format!(
                "{flattened} tags nested deeper than {max_depth} levels were flattened; their text is kept"
            ),
        ));
    }
    let root = dom::content_root(tree, whole_page);
    Ok(Parsed { root, diagnostics })
}

fn looks_like_page(html: &str) -> bool {
    let head: String = html
        .trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r'])
        .chars()
        .take(9)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype") || head.starts_with("<html")
}
