//! Post file names the target site can build.
//!
//! Hexo gives no page to a post whose path holds `%` (its URL helper
//! decodes the name and fails: "URI malformed", and the whole build
//! reports an error) or has a segment starting with `_` (taken for a
//! hidden file and skipped without a word). For Hexo such names change:
//! `%` becomes the fullwidth `％`, leading underscores are dropped. Every
//! other target keeps its names. The original name stays the post's
//! `path` in the ledger and reports, next to its `output`.

use crate::md::writer::SiteSyntax;
use std::borrow::Cow;

/// `rel` (a relative output path, `/`-separated) as the site can build it.
pub fn post_rel(site: SiteSyntax, rel: &str) -> Cow<'_, str> {
    if site != SiteSyntax::Hexo || !rel.split('/').any(hexo_skips) {
        return Cow::Borrowed(rel);
    }
    let segments: Vec<String> = rel.split('/').map(hexo_segment).collect();
    Cow::Owned(segments.join("/"))
}

/// Hexo cannot build a post under this path segment.
fn hexo_skips(segment: &str) -> bool {
    segment.starts_with('_') || segment.contains('%')
}

fn hexo_segment(segment: &str) -> String {
    let kept = segment.trim_start_matches('_');
    let kept = if kept.is_empty() || kept.starts_with('.') {
        format!("post{kept}")
    } else {
        kept.to_owned()
    };
    kept.replace('%', "％")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_11_hexo_names_build() {
        let hexo = |rel| post_rel(SiteSyntax::Hexo, rel).into_owned();
        assert_eq!(hexo("快讯/10%比例.md"), "快讯/10％比例.md");
        assert_eq!(hexo("a/_draft.md"), "a/draft.md");
        assert_eq!(hexo("_x/_.md"), "x/post.md");
        assert_eq!(hexo("plain/name.md"), "plain/name.md");
        assert_eq!(post_rel(SiteSyntax::Hugo, "a/_b%.md"), "a/_b%.md");
    }
}
