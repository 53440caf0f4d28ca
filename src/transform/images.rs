//! Image references: collected for the download plan, and rewritten
//! through the caller's map (rewrite rules, or stored files). Runs last, so
//! it sees every image the document shows. No network, no file system.

use crate::md::ast::{Block, Inline};
use std::sync::Arc;

/// The function behind an [`ImageMap`].
pub type MapFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Maps an image URL to the reference to write instead (`None`: keep it).
#[derive(Clone)]
pub struct ImageMap(pub Arc<MapFn>);

impl std::fmt::Debug for ImageMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImageMap(..)")
    }
}

/// Drops the first image whose source is `src` (a body image repeating the
/// cover); true when one was dropped.
pub fn drop_first(blocks: &mut [Block], src: &str) -> bool {
    let mut dropped = false;
    super::for_each_inlines(blocks, &mut |inlines| {
        if !dropped
            && let Some(i) = inlines
                .iter()
                .position(|n| matches!(n, Inline::Image { src: s, .. } if s == src))
        {
            inlines.remove(i);
            dropped = true;
        }
    });
    dropped
}

/// Rewrites image sources through `map` and returns every original source,
/// in document order, once each.
pub fn apply(blocks: &mut [Block], map: Option<&ImageMap>) -> Vec<String> {
    let mut seen = Vec::new();
    super::for_each_inlines(blocks, &mut |inlines| visit(inlines, map, &mut seen));
    seen
}

fn visit(inlines: &mut [Inline], map: Option<&ImageMap>, seen: &mut Vec<String>) {
    let mut stack: Vec<&mut Inline> = inlines.iter_mut().rev().collect();
    while let Some(node) = stack.pop() {
        match node {
            Inline::Image { src, .. } => {
                if !seen.contains(src) {
                    seen.push(src.clone());
                }
                if let Some(new) = map.and_then(|m| (m.0)(src)) {
                    *src = new;
                }
            }
            other => {
                if let Some(children) = other.children_mut() {
                    stack.extend(children.iter_mut().rev());
                }
            }
        }
    }
}
