//! Post file names the target site can build.
//!
//! Hexo gives no page to a post whose path holds `%` (its URL helper
//! decodes the name and fails: "URI malformed", and the whole build
//! reports an error) or has a segment starting with `_` (taken for a
//! hidden file and skipped without a word); Jekyll skips a name starting
//! with `_`, `#` or `~`. For these targets such names change: `%` becomes
//! the fullwidth `％` (Hexo), the leading characters are dropped. Hugo and
//! Zola keep their names. The original name stays the post's `path` in
//! the ledger and reports, next to its `output`.

use crate::md::writer::SiteSyntax;
use std::borrow::Cow;

/// `rel` (a relative output path, `/`-separated) as the site can build it.
pub fn post_rel(site: SiteSyntax, rel: &str) -> Cow<'_, str> {
    let hidden: &[char] = match site {
        SiteSyntax::Hexo => &['_'],
        SiteSyntax::Jekyll => &['_', '#', '~'],
        _ => return Cow::Borrowed(rel),
    };
    let percent = site == SiteSyntax::Hexo;
    // The generators' own folders stay. Any other folder counts: `--out`
    // is usually the folder posts are read from (`_posts`, a collection),
    // where Jekyll skips a sub-folder starting with `_` as it skips a file.
    let renamed = |s: &str| !SPECIAL_FOLDERS.contains(&s);
    let skipped = |s: &str| renamed(s) && (s.starts_with(hidden) || (percent && s.contains('%')));
    if !rel.split('/').any(skipped) {
        return Cow::Borrowed(rel);
    }
    let segments: Vec<String> = rel
        .split('/')
        .map(|s| {
            if renamed(s) {
                buildable(s, hidden, percent)
            } else {
                s.to_owned()
            }
        })
        .collect();
    Cow::Owned(segments.join("/"))
}

/// Folders whose leading `_` is the generator's own (Hexo and Jekyll).
const SPECIAL_FOLDERS: &[&str] = &["_posts", "_drafts"];

/// `segment` without its leading `hidden` characters (and, with
/// `percent`, with `％` for `%`); `post` stands for an empty stem.
fn buildable(segment: &str, hidden: &[char], percent: bool) -> String {
    let kept = segment.trim_start_matches(hidden);
    let kept = if kept.is_empty() || kept.starts_with('.') {
        format!("post{kept}")
    } else {
        kept.to_owned()
    };
    if percent {
        kept.replace('%', "％")
    } else {
        kept
    }
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
        assert_eq!(hexo("_posts/_x.md"), "_posts/x.md");
        assert_eq!(hexo("_drafts/a%b.md"), "_drafts/a％b.md");
        let jekyll = |rel| post_rel(SiteSyntax::Jekyll, rel).into_owned();
        assert_eq!(jekyll("_posts/_x.md"), "_posts/x.md");
        assert_eq!(jekyll("_notes/#x.md"), "notes/x.md");
        assert_eq!(post_rel(SiteSyntax::Hugo, "a/_b%.md"), "a/_b%.md");
        let jekyll = |rel| post_rel(SiteSyntax::Jekyll, rel).into_owned();
        assert_eq!(jekyll("a/_b%.md"), "a/b%.md");
        assert_eq!(jekyll("#x.md"), "x.md");
    }
}
