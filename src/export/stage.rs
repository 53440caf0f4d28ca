//! Items become post files in a staging folder, ready for the folder
//! pipeline: front matter (for the target, with the item's old URL written
//! by [`crate::frontmatter::add_old_url`], the one writer of old-URL keys
//! for folders and exports alike) + the HTML body, under the output path the layout gives.
//!
//! Reading streams: each item is written and let go before the next is
//! read, so only the list of staged paths (and slugs) grows. Two items
//! with one slug, or that would land on one output path (after case
//! folding and NFC), are told apart deterministically, in file order: the
//! first keeps its slug, later ones get `-2`, `-3`...; each rename is
//! reported. An error in
//! one item (too large) skips that item; a syntax error ends the reading,
//! keeping every item staged before it. The front matter's `slug` is the
//! one the file is named with (made safe, numbered on a collision), so a
//! site's URL and file agree; the old URL is kept for redirects. Writes
//! only into the staging folder; never prints.

use super::layout::{self, Layout};
use super::{Entry, Export, ExportError, ExportItem, SkippedItem, SourceKind};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{FmFormat, Target};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// How items are written.
#[derive(Debug, Clone)]
pub struct StageOptions {
    /// Front matter names and old-URL key (Hexo's for `--target keep`).
    pub target: Target,
    pub format: FmFormat,
    pub layout: Layout,
}

/// One staged post.
#[derive(Debug, Clone)]
pub struct StagedPost {
    /// The staged file (front matter + HTML body).
    pub input: PathBuf,
    /// Its output path, relative to the output folder.
    pub rel: String,
    /// Where the item starts in the export.
    pub line: usize,
    /// What staging found about it (`unknown-shortcode` warnings, the
    /// `old-url` note), for its record in the run's reports.
    pub diagnostics: Vec<Diagnostic>,
}

/// An item whose path was taken by an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub line: usize,
    /// The path it would have had.
    pub wanted: String,
    /// The path it got.
    pub got: String,
}

/// Everything staging found.
#[derive(Debug, Default)]
pub struct Staged {
    pub kind: Option<SourceKind>,
    pub posts: Vec<StagedPost>,
    pub skipped: Vec<SkippedItem>,
    pub renamed: Vec<Renamed>,
    /// Items that could not be read (too large); the others were.
    pub item_errors: Vec<ExportError>,
    /// What ended reading early (a syntax error): items after it are lost.
    pub fatal: Option<ExportError>,
}

/// Writes every item of `export` into `dir` as a post.
pub fn stage(export: Export, options: &StageOptions, dir: &Path) -> Staged {
    let mut staged = Staged {
        kind: Some(export.kind),
        ..Staged::default()
    };
    let mut taken = Taken::default();
    for entry in export.entries {
        match entry {
            Ok(Entry::Item(item)) => {
                if let Err(e) = stage_item(&item, options, dir, &mut taken, &mut staged) {
                    staged.fatal = Some(e);
                    break;
                }
            }
            Ok(Entry::Skipped(s)) => staged.skipped.push(s),
            Err(e) if !e.is_fatal() => staged.item_errors.push(e),
            Err(e) => {
                staged.fatal = Some(e);
                break;
            }
        }
    }
    staged
}

fn stage_item(
    item: &ExportItem,
    options: &StageOptions,
    dir: &Path,
    taken: &mut Taken,
    staged: &mut Staged,
) -> Result<(), ExportError> {
    let (rel, wanted, slug) = free_path(item, &options.layout, taken);
    if rel != wanted {
        staged.renamed.push(Renamed {
            line: item.line,
            wanted,
            got: rel.clone(),
        });
    }
    // The slug names the URL too, so it is the file's: safe, and the
    // item's own when its path was taken.
    let item = ExportItem {
        slug: Some(slug),
        ..item.clone()
    };
    let (text, old_path) = item.post_text(options.target, options.format);
    let input = dir.join(format!("{:06}.html", staged.posts.len()));
    std::fs::write(&input, text).map_err(|source| ExportError::Io {
        path: input.clone(),
        source,
    })?;
    let mut diagnostics: Vec<Diagnostic> = item
        .diagnostics
        .iter()
        .map(|(code, message)| Diagnostic::warning(code, message.clone()))
        .collect();
    if let Some(path) = old_path {
        diagnostics.push(crate::post::old_url_note(&path));
    }
    staged.posts.push(StagedPost {
        input,
        rel,
        line: item.line,
        diagnostics,
    });
    Ok(())
}

/// The first free path and slug for an item, and the path it wanted: its
/// slug, then `slug-2`, `slug-3`... until both the slug and the path are
/// free. Slugs are unique in the whole export, whatever the layout: a
/// site's permalink may be made of the slug alone (Jekyll's `:title`,
/// Hugo's `:slug`), so two posts with one slug on different dates would
/// still share a URL. A template without `{slug}` numbers the file name.
fn free_path(item: &ExportItem, layout: &Layout, taken: &mut Taken) -> (String, String, String) {
    let base = layout::slug(item);
    let wanted = layout.path(item, &base);
    let mut rel = wanted.clone();
    let mut slug = base.clone();
    let mut n = 1;
    while taken.slugs.contains(&fold(&slug)) || taken.paths.contains(&fold(&rel)) {
        n += 1;
        slug = format!("{base}-{n}");
        let numbered = layout.path(item, &slug);
        rel = if numbered == wanted {
            let stem = wanted.strip_suffix(".md").unwrap_or(&wanted);
            format!("{stem}-{n}.md")
        } else {
            numbered
        };
    }
    taken.slugs.insert(fold(&slug));
    taken.paths.insert(fold(&rel));
    (rel, wanted, slug)
}

/// Slugs and output paths given so far (case-folded, NFC).
#[derive(Default)]
struct Taken {
    slugs: HashSet<String>,
    paths: HashSet<String>,
}

fn fold(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}
