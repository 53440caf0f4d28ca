//! Finding the posts under a source folder.
//!
//! Walks without following symbolic links (a link may loop or leave the
//! input root: it is listed as skipped, never read), filters with the
//! include and exclude globs, and sorts, so every run sees the same order.
//! [`discover_archive`] (for `migrate`) also lists the files that are not
//! posts, to be carried along, counts the dot-files and dot-folders it
//! leaves out, and leaves out the output folder when it lies inside the
//! archive. Nothing here reads a file's contents.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file to process.
#[derive(Debug, Clone)]
pub struct Job {
    pub input: PathBuf,
    /// Path relative to the source root, with `/` separators.
    pub rel: String,
}

/// A path the walk could not use.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// Include/exclude filters.
pub struct Filter {
    include: GlobSet,
    exclude: GlobSet,
}

impl Filter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        Ok(Filter {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    /// Whether a relative path is wanted.
    pub fn wants(&self, rel: &str) -> bool {
        self.include.is_match(rel) && !self.excluded(rel)
    }

    /// Whether a relative path is excluded.
    pub fn excluded(&self, rel: &str) -> bool {
        self.exclude.is_match(rel)
    }
}

fn build(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|e| format!("bad glob {g:?}: {e}"))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Every wanted file under `root`, sorted by relative path.
pub fn discover(root: &Path, filter: &Filter) -> (Vec<Job>, Vec<Skipped>) {
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    for entry in WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                skipped.push(Skipped {
                    path: e
                        .path()
                        .map(Path::to_owned)
                        .unwrap_or_else(|| root.to_owned()),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let Some(rel) = relative(root, entry.path()) else {
            continue;
        };
        if entry.path_is_symlink() {
            if filter.wants(&rel) || entry.path().is_dir() {
                skipped.push(Skipped {
                    path: entry.path().to_owned(),
                    reason: "symbolic link, not followed".into(),
                });
            }
            continue;
        }
        if entry.file_type().is_file() && filter.wants(&rel) {
            jobs.push(Job {
                input: entry.path().to_owned(),
                rel,
            });
        }
    }
    jobs.sort_by(|a, b| a.rel.cmp(&b.rel));
    (jobs, skipped)
}

/// Everything a `migrate` walk found under the archive.
#[derive(Debug, Default)]
pub struct Archive {
    /// The posts (files the include globs want), sorted.
    pub posts: Vec<Job>,
    /// Every other regular file, sorted: carried along unchanged.
    pub others: Vec<Job>,
    /// Symbolic links and unreadable entries.
    pub skipped: Vec<Skipped>,
    /// Dot-files and dot-folders left out (`.git`, `.DS_Store`), each once.
    pub hidden: usize,
}

impl Archive {
    /// An archive of these posts alone (an export file's, staged).
    pub fn of_posts(posts: Vec<Job>) -> Archive {
        Archive {
            posts,
            others: Vec::new(),
            skipped: Vec::new(),
            hidden: 0,
        }
    }
}

/// Walks the archive under `root` for `migrate`: posts, other files,
/// links. `left_out` is a folder (relative, `/`-separated) not walked: the
/// output folder when it lies inside the archive.
pub fn discover_archive(root: &Path, filter: &Filter, left_out: Option<&str>) -> Archive {
    let mut archive = Archive::default();
    let hidden = std::cell::Cell::new(0usize);
    let walk = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let Some(rel) = relative(root, e.path()) else {
                return true;
            };
            if Some(rel.as_str()) == left_out {
                return false;
            }
            if is_hidden_tail(&rel) {
                hidden.set(hidden.get() + 1);
                return false;
            }
            true
        });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                archive.skipped.push(walk_error(root, &e));
                continue;
            }
        };
        let Some(rel) = relative(root, entry.path()) else {
            continue;
        };
        sort_entry(&mut archive, &entry, rel, filter);
    }
    archive.hidden = hidden.get();
    archive.posts.sort_by(|a, b| a.rel.cmp(&b.rel));
    archive.others.sort_by(|a, b| a.rel.cmp(&b.rel));
    archive
}

/// Files one entry to posts, others or skipped.
fn sort_entry(archive: &mut Archive, entry: &walkdir::DirEntry, rel: String, filter: &Filter) {
    if filter.excluded(&rel) {
        return;
    }
    if entry.path_is_symlink() {
        archive.skipped.push(Skipped {
            path: entry.path().to_owned(),
            reason: "symbolic link, not followed".into(),
        });
        return;
    }
    if !entry.file_type().is_file() {
        return;
    }
    let job = Job {
        input: entry.path().to_owned(),
        rel,
    };
    if filter.wants(&job.rel) {
        archive.posts.push(job);
    } else {
        archive.others.push(job);
    }
}

/// Whether the last part of a relative path starts with a dot.
fn is_hidden_tail(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|p| p.starts_with('.'))
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Skipped {
    Skipped {
        path: e
            .path()
            .map(Path::to_owned)
            .unwrap_or_else(|| root.to_owned()),
        reason: e.to_string(),
    }
}

/// `path` relative to `root`, `/`-separated; `None` for the root itself.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}
