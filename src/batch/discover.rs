//! Finding the posts under a source folder.
//!
//! Walks without following symbolic links (a link may loop or leave the
//! input root: it is listed as skipped, never read), filters with the
//! include and exclude globs, and sorts, so every run sees the same order.
//! [`discover_archive`] (for `migrate`) also lists the files that are not
//! posts, to be carried along, counts the dot-files and dot-folders it
//! leaves out, and leaves out the output folder when it lies inside the
//! archive. Nothing here reads a file's contents.
//!
//! A [`Selection`] (`--shard K/N`, `--files-from`) then picks the part of
//! the archive one process runs, so that N processes together run exactly
//! the archive: a file's shard depends on its relative path alone.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file to process.
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub input: PathBuf,
    /// Path relative to the source root, with `/` separators.
    pub rel: String,
    /// What was found about the post before it was read (an export's
    /// staging: unknown shortcodes, its old URL), added to its record.
    pub notes: Vec<crate::diagnostic::Diagnostic>,
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
                notes: Vec::new(),
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
    /// Their relative paths (so that a shard counts only its own).
    pub hidden_paths: Vec<String>,
}

impl Archive {
    /// An archive of these posts alone (an export file's, staged).
    pub fn of_posts(posts: Vec<Job>) -> Archive {
        Archive {
            posts,
            others: Vec::new(),
            skipped: Vec::new(),
            hidden: 0,
            hidden_paths: Vec::new(),
        }
    }
}

/// Walks the archive under `root` for `migrate`: posts, other files,
/// links. `left_out` is a folder (relative, `/`-separated) not walked: the
/// output folder when it lies inside the archive.
pub fn discover_archive(root: &Path, filter: &Filter, left_out: Option<&str>) -> Archive {
    let mut archive = Archive::default();
    let hidden = std::cell::RefCell::new(Vec::new());
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
                hidden.borrow_mut().push(rel);
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
    archive.hidden_paths = hidden.into_inner();
    archive.hidden = archive.hidden_paths.len();
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
        notes: Vec::new(),
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

/// One of N equal parts of an archive: `--shard K/N`, K counted from 0
/// (as Kubernetes' `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N` with `0 <= K < N`.
    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("bad shard {text:?}: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the file at `rel` (relative to SRC, `/`-separated) is in
    /// this shard: the first 8 bytes of the SHA-256 of `rel`, big-endian,
    /// modulo N. It depends on nothing else, so every process agrees.
    pub fn takes(&self, rel: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index
    }
}

/// The part of an archive one process runs.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub shard: Option<Shard>,
    /// Only these relative paths (`--files-from`).
    pub listed: Option<std::collections::HashSet<String>>,
}

impl Selection {
    /// Whether the file at `rel` is run by this process.
    pub fn takes(&self, rel: &str) -> bool {
        self.shard.is_none_or(|s| s.takes(rel))
            && self.listed.as_ref().is_none_or(|l| l.contains(rel))
    }

    /// Whether this is the whole archive.
    pub fn is_all(&self) -> bool {
        self.shard.is_none() && self.listed.is_none()
    }
}

impl Archive {
    /// The part of the archive `selection` picks (posts, other files and
    /// the count of dot-entries left out); symbolic links stay listed.
    pub fn select(&self, selection: &Selection) -> Archive {
        let pick = |jobs: &[Job]| -> Vec<Job> {
            jobs.iter()
                .filter(|j| selection.takes(&j.rel))
                .cloned()
                .collect()
        };
        let hidden_paths: Vec<String> = self
            .hidden_paths
            .iter()
            .filter(|rel| selection.takes(rel))
            .cloned()
            .collect();
        Archive {
            posts: pick(&self.posts),
            others: pick(&self.others),
            skipped: self.skipped.clone(),
            hidden: hidden_paths.len(),
            hidden_paths,
        }
    }

    /// The listed paths that name no post or other file of the archive.
    pub fn unknown<'a>(&self, listed: &'a std::collections::HashSet<String>) -> Vec<&'a str> {
        let known: std::collections::HashSet<&str> = self
            .posts
            .iter()
            .chain(&self.others)
            .map(|j| j.rel.as_str())
            .collect();
        let mut unknown: Vec<&str> = listed
            .iter()
            .map(String::as_str)
            .filter(|rel| !known.contains(rel))
            .collect();
        unknown.sort_unstable();
        unknown
    }
}

/// A `--files-from` line as a path relative to SRC: `./` and a leading
/// `SRC/` (as `find SRC -type f` prints) are taken off.
pub fn listed_rel(line: &str, src: &Path) -> String {
    let line = line.trim_end_matches('\r');
    let src = src.to_string_lossy();
    let src = src.trim_end_matches('/');
    let rel = line
        .strip_prefix(src)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|_| !src.is_empty())
        .unwrap_or(line);
    let mut rel = rel;
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    rel.to_owned()
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn shards_split_every_path_exactly_once_and_stably() {
        let shards: Vec<Shard> = (0..4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let mut per_shard = [0usize; 4];
        for i in 0..1000 {
            let rel = format!("posts/{i}.md");
            let owners: Vec<usize> = (0..4).filter(|&k| shards[k].takes(&rel)).collect();
            assert_eq!(owners.len(), 1, "{rel}");
            per_shard[owners[0]] += 1;
        }
        assert!(per_shard.iter().all(|&n| n > 180), "{per_shard:?}");
        // Fixed by the path alone (python3: int.from_bytes(sha256(b"a.md")
        // .digest()[:8], "big") % 4 == 1): this value must never change.
        let owner = (0..4).find(|&k| shards[k].takes("a.md")).unwrap();
        assert_eq!(owner, 1);
    }

    #[test]
    fn bad_shards_are_refused() {
        for bad in ["4/4", "1", "a/2", "0/0", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn listed_lines_become_relative_paths() {
        let src = Path::new("arch");
        assert_eq!(listed_rel("arch/a/b.md", src), "a/b.md");
        assert_eq!(listed_rel("./a/b.md", src), "a/b.md");
        assert_eq!(listed_rel("a/b.md", src), "a/b.md");
        assert_eq!(listed_rel("archive/b.md", src), "archive/b.md");
    }
}
