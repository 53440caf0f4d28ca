//! Relative references between files of the archive (`![](pic.png)`,
//! `[notes](files/notes.pdf)`): one that resolved in SRC must resolve in
//! `--out`.
//!
//! Where a post moves (a page bundle puts `a/foo.md` at `a/foo/index.md`)
//! its relative image references are rewritten to reach the same carried
//! file; any other reference that resolved to a file in SRC and does not
//! resolve in the output tree is a `broken-reference` warning naming the
//! reference and its target. This module only looks at names and at
//! whether a file exists in SRC: it writes nothing.

use super::discover::Job;
use super::placement::post_output_rel;
use crate::assets::Layout;
use crate::md::writer::SiteSyntax;
use crate::report::DiagnosticRecord;
use crate::transform::images::ImageMap;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// The output tree's names, planned before any post is converted.
#[derive(Debug)]
pub struct References {
    src: PathBuf,
    layout: Layout,
    /// The target, whose post names may differ (`site_names`).
    site: SiteSyntax,
    /// Source path → output path, both relative: every post and every
    /// carried file.
    outputs: HashMap<String, String>,
    /// Every output path (relative), for lookups from the output side.
    present: HashSet<String>,
}

impl References {
    /// The names of a run: its posts (moved by `layout`) and the files it
    /// carries unchanged.
    pub fn new(
        src: PathBuf,
        (layout, site): (Layout, SiteSyntax),
        posts: &[Job],
        carried: &[Job],
    ) -> References {
        let outputs: HashMap<String, String> = posts
            .iter()
            .map(|p| (p.rel.clone(), post_output_rel(&p.rel, layout, site)))
            .chain(carried.iter().map(|c| (c.rel.clone(), c.rel.clone())))
            .collect();
        let present = outputs.values().cloned().collect();
        References {
            src,
            layout,
            site,
            outputs,
            present,
        }
    }

    /// Wraps a post's image map: relative references of a moved post are
    /// rewritten to reach the carried file; the rest go to `inner`.
    pub fn image_map(
        self: &Arc<Self>,
        post_rel: &str,
        inner: Option<ImageMap>,
    ) -> Option<ImageMap> {
        let depth = self.moved_depth(post_rel);
        if depth == 0 {
            return inner;
        }
        let me = Arc::clone(self);
        let post_rel = post_rel.to_owned();
        Some(ImageMap(Arc::new(move |url| {
            if is_relative(url) {
                return me.rewritten(&post_rel, url, depth);
            }
            inner.as_ref().and_then(|m| (m.0)(url))
        })))
    }

    /// A moved post's map for relative link targets: each one that reaches
    /// a carried file is rewritten to reach it from the new folder.
    pub fn link_map(self: &Arc<Self>, post_rel: &str) -> Option<ImageMap> {
        let depth = self.moved_depth(post_rel);
        if depth == 0 {
            return None;
        }
        let me = Arc::clone(self);
        let post_rel = post_rel.to_owned();
        Some(ImageMap(Arc::new(move |url| {
            is_relative(url)
                .then(|| me.rewritten(&post_rel, url, depth))
                .flatten()
        })))
    }

    /// How many folders deeper the post's output lies than its input (0:
    /// not moved, or moved elsewhere).
    fn moved_depth(&self, post_rel: &str) -> usize {
        let from = parent(post_rel);
        let to_rel = post_output_rel(post_rel, self.layout, self.site);
        let to = parent(&to_rel);
        if from == to {
            return 0;
        }
        let prefix = if from.is_empty() {
            String::new()
        } else {
            format!("{from}/")
        };
        match to.strip_prefix(&prefix) {
            Some(extra) if !extra.is_empty() => extra.split('/').count(),
            _ if from.is_empty() => to.split('/').count(),
            _ => 0,
        }
    }

    /// `url` reaching the same carried file from `depth` folders deeper.
    fn rewritten(&self, post_rel: &str, url: &str, depth: usize) -> Option<String> {
        let target = resolve(parent(post_rel), url)?;
        let kept_name = self.outputs.get(&target).is_some_and(|out| *out == target);
        (kept_name && self.src.join(&target).is_file())
            .then(|| format!("{}{url}", "../".repeat(depth)))
    }

    /// Every relative reference in a post's output `text` that resolved to
    /// a file in SRC but reaches nothing in the output tree.
    pub fn broken(&self, post_rel: &str, text: &str) -> Vec<DiagnosticRecord> {
        if !may_hold_relative(text) {
            return Vec::new();
        }
        let out_rel = post_output_rel(post_rel, self.layout, self.site);
        let mut found = Vec::new();
        for url in destinations(text) {
            if !is_relative(&url) {
                continue;
            }
            if resolve(parent(&out_rel), &url).is_some_and(|r| self.present.contains(&r)) {
                continue;
            }
            let Some(target) = resolve(parent(post_rel), &url) else {
                continue;
            };
            if self.src.join(&target).is_file() && !found.iter().any(|(u, _)| *u == url) {
                found.push((url, target));
            }
        }
        found
            .into_iter()
            .map(|(url, target)| DiagnosticRecord {
                code: "broken-reference".into(),
                level: "warning".into(),
                message: format!("{url} reaches {target} in SRC but nothing in --out"),
            })
            .collect()
    }
}

/// Whether `text` may hold a relative link or image destination: some
/// `](` (inline link or image) or `]:` (link definition) is not followed by
/// a destination that is plainly absolute. A cheap look before parsing the
/// whole text again; `false` is certain, `true` only possible.
fn may_hold_relative(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b']', &bytes[from..]).map(|i| i + from) {
        from = i + 1;
        if !matches!(bytes.get(i + 1), Some(b'(' | b':')) {
            continue;
        }
        let rest = text[i + 2..].trim_start_matches([' ', '\t', '\n', '<']);
        let absolute = ["http://", "https://", "mailto:", "/", "#", "?"]
            .iter()
            .any(|p| rest.starts_with(p));
        if !absolute {
            return true;
        }
    }
    false
}

/// The link and image destinations of a Markdown text, in order.
fn destinations(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(text)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// Whether a reference points at a file relative to the post: no scheme,
/// not root-relative, not a bare fragment or query.
pub(crate) fn is_relative(url: &str) -> bool {
    let Some(first) = url.chars().next() else {
        return false;
    };
    if matches!(first, '/' | '#' | '?' | '\\') {
        return false;
    }
    let scheme_end = url.find(':');
    let path_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    scheme_end.is_none_or(|i| i >= path_end)
}

/// The folder part of a relative path (`""` at the root).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `url` (decoded, without query and fragment) from folder `dir`, as a
/// path relative to the root; `None` when it leaves the root.
fn resolve(dir: &str, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_decode(path);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `%XX` sequences decoded (invalid ones kept as they are; bytes that do
/// not make UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_are_told_from_urls() {
        assert!(is_relative("pic.png"));
        assert!(is_relative("../files/a%20b.pdf#p2"));
        assert!(is_relative("dir/a:b.png"));
        assert!(!is_relative("https://x/y.png"));
        assert!(!is_relative("/images/y.png"));
        assert!(!is_relative("#top"));
        assert!(!is_relative("mailto:a@b"));
        assert!(!is_relative(""));
    }

    #[test]
    fn only_absolute_destinations_skip_the_parse() {
        let absolute = "[a](https://x.com/a) ![b](http://y/b.png) [c]( </root>) [d](#top)\n\n[e]: mailto:a@b\n[f] and [g]";
        assert!(!may_hold_relative(absolute));
        assert!(destinations(absolute).iter().all(|u| !is_relative(u)));
        for relative in [
            "![p](pic.png)",
            "[a](\n  <../files/a b.pdf>)",
            "[x]\n\n[x]: dir/a.pdf \"t\"",
            "[a](https://x) [b](b.html)",
        ] {
            assert!(may_hold_relative(relative), "{relative}");
            assert!(
                destinations(relative).iter().any(|u| is_relative(u)),
                "{relative}"
            );
        }
    }

    #[test]
    fn resolution_stays_in_the_root() {
        assert_eq!(resolve("a/b", "../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(resolve("", "x/a%20b.png?v=1").as_deref(), Some("x/a b.png"));
        assert_eq!(resolve("a", "../../c.png"), None);
    }
}
