//! Where each post's output goes, decided from names alone.
//!
//! [`post_output_rel`] is the one place that maps a post's path under SRC
//! to its path under `--out` (extension, page bundle); everything else asks
//! it. [`collisions`] finds posts that must not be written because their
//! outputs would clash. Nothing here touches the file system.

use super::Destination;
use super::discover::Job;
use crate::assets::Layout;
use crate::md::writer::SiteSyntax;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// A post's output path relative to `--out`, from its path relative to
/// SRC: `.html` becomes `.md`, and the image layout may move it into a
/// page bundle (`a/foo.md` → `a/foo/index.md`); a name the target site
/// cannot build is changed (`site_names`).
pub fn post_output_rel(rel: &str, layout: Layout, site: SiteSyntax) -> String {
    layout.post_rel(&crate::site_names::post_rel(site, &output_rel(rel)))
}

/// Where a job's output goes: the input itself, or the mirror with `.md`
/// (in its page bundle with that layout).
pub fn output_path(
    job: &Job,
    dest: &Destination,
    layout: Layout,
    site: SiteSyntax,
) -> Option<PathBuf> {
    match dest {
        Destination::InPlace => Some(job.input.clone()),
        Destination::Mirror { out_dir, .. } => {
            Some(out_dir.join(post_output_rel(&job.rel, layout, site)))
        }
    }
}

/// `a/b.html` → `a/b.md`; Markdown names stay.
pub fn output_rel(rel: &str) -> String {
    for ext in [".html", ".htm", ".HTML", ".HTM"] {
        if let Some(stem) = rel.strip_suffix(ext) {
            return format!("{stem}.md");
        }
    }
    rel.to_owned()
}

/// [`collisions`] found among `all` posts, for the `jobs` that are a part
/// of them (a shard), by index in `jobs`.
pub(crate) fn collisions_among(
    jobs: &[Job],
    all: &[Job],
    dest: &Destination,
    layout: Layout,
    site: SiteSyntax,
) -> HashMap<usize, String> {
    let found = collisions(all, dest, layout, site);
    let by_rel: HashMap<&str, &String> = found
        .iter()
        .map(|(i, reason)| (all[*i].rel.as_str(), reason))
        .collect();
    jobs.iter()
        .enumerate()
        .filter_map(|(i, job)| by_rel.get(job.rel.as_str()).map(|r| (i, (*r).clone())))
        .collect()
}

/// Jobs whose outputs would land on one file on a case-insensitive or
/// normalizing file system, and posts a page bundle would swallow (a leaf
/// bundle's folder holds no other page): each is mapped to why.
pub(crate) fn collisions(
    jobs: &[Job],
    dest: &Destination,
    layout: Layout,
    site: SiteSyntax,
) -> HashMap<usize, String> {
    if matches!(dest, Destination::InPlace) {
        return HashMap::new();
    }
    let outs: Vec<String> = jobs
        .iter()
        .map(|job| fold(&post_output_rel(&job.rel, layout, site)))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = HashMap::new();
    let collides =
        |other: &str| format!("output name collides with {other} (after case folding and NFC)");
    for (i, key) in outs.iter().enumerate() {
        if let Some(&first) = seen.get(key.as_str()) {
            out.insert(i, collides(&jobs[first].rel));
            out.entry(first).or_insert_with(|| collides(&jobs[i].rel));
        } else {
            seen.insert(key, i);
        }
    }
    swallowed_posts(jobs, &outs, layout, site, &mut out);
    shared_folders(jobs, &outs, layout, &mut out);
    out
}

/// A leaf bundle (`index.*`, where a page bundle moves `foo.md` too) holds
/// no other page: a post fails when another post's output lies inside its
/// folder (`foo/index.md` next to `foo/bar.md`), since Hugo would take that
/// post for a resource of the bundle. `outs` are the folded output names.
fn swallowed_posts(
    jobs: &[Job],
    outs: &[String],
    layout: Layout,
    site: SiteSyntax,
    reasons: &mut HashMap<usize, String>,
) {
    if layout != Layout::PageBundle {
        return;
    }
    let sorted: std::collections::BTreeMap<&str, usize> = outs
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (i, job) in jobs.iter().enumerate() {
        let (folder, file) = outs[i].rsplit_once('/').unwrap_or(("", &outs[i]));
        if reasons.contains_key(&i) || !file.starts_with("index.") {
            continue;
        }
        let key = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let inside = sorted
            .range(key.as_str()..)
            .take_while(|(k, _)| k.starts_with(&key))
            .find(|(_, j)| **j != i);
        if let Some((_, &j)) = inside {
            let moved = post_output_rel(&job.rel, layout, site);
            let bundle = moved.rsplit_once('/').map_or("", |(d, _)| d);
            let other = &jobs[j].rel;
            reasons.insert(
                i,
                format!("its page bundle {bundle}/ would also hold {other}; rename one of them"),
            );
        }
    }
}

/// With a per-post layout, two posts whose images would go to one folder
/// (`foo.md` and `foo.markdown`, or `index.md` and `_index.md` as page
/// bundles) could overwrite each other's images: the second one fails.
fn shared_folders(
    jobs: &[Job],
    outs: &[String],
    layout: Layout,
    reasons: &mut HashMap<usize, String>,
) {
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for (i, out) in outs.iter().enumerate() {
        let Some(folder) = layout.folder(Path::new(out)) else {
            return;
        };
        if reasons.contains_key(&i) {
            continue;
        }
        match seen.get(&folder) {
            Some(&first) => {
                let folder = folder.display();
                let other = &jobs[first].rel;
                reasons.insert(
                    i,
                    format!("its image folder {folder}/ is also {other}'s; rename one of them"),
                );
            }
            None => {
                seen.insert(folder, i);
            }
        }
    }
}

/// A name as a case-insensitive, normalizing file system sees it.
pub(crate) fn fold(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase()
}
