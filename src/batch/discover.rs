//! Finding the posts under a source folder.
//!
//! Walks without following symbolic links (a link may loop or leave the
//! input root: it is listed as skipped, never read), filters with the
//! include and exclude globs, and sorts, so every run sees the same order.

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

/// `path` relative to `root`, `/`-separated; `None` for the root itself.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}
