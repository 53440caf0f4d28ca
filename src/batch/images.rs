//! Images in a batch: keep, rewrite, or download once and point at the
//! stored copy.
//!
//! Downloads happen between two passes: the first converts every post only
//! to learn which images it shows; the downloader fetches each URL once (on
//! its own small thread pool); the second pass writes posts whose image
//! references point at the stored files. A failed image keeps its URL and
//! is recorded with the reason. Nothing here prints.
//!
//! With a per-post [`Layout`], the store stays the cache (each URL is
//! fetched once, keyed by URL in its manifest) and every post gets copies
//! of the images it refers to in its own folder, named once per post
//! before any post is written, and placed (atomically) just before the
//! post itself is written.

use super::error::BatchError;
use super::write::{Guard, holds};
use crate::assets::layout::{BundleImage, bundle_names};
use crate::assets::manifest::{EntryStatus, Manifest};
use crate::assets::store::stored_path;
use crate::assets::{self, DownloadConfig, Downloader, Layout, Origin, RewriteRule, StoredImage};
use crate::report::ImageRecord;
use crate::transform::images::ImageMap;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What to do with images, as configured.
#[derive(Debug, Clone, Default)]
pub enum ImagePlan {
    #[default]
    Keep,
    Rewrite(Vec<RewriteRule>),
    Download {
        config: Box<DownloadConfig>,
        /// Root-relative prefix for references (else relative to the post).
        assets_url: Option<String>,
        /// Shared store, or a folder per post.
        layout: Layout,
    },
}

impl ImagePlan {
    /// Where downloaded images go (shared unless downloading).
    pub fn layout(&self) -> Layout {
        match self {
            ImagePlan::Download { layout, .. } => *layout,
            _ => Layout::Shared,
        }
    }
}

/// The URLs a post's image map handed a local reference for: what must be
/// placed beside it (a kept front matter's cover, for one, is not).
#[derive(Debug, Clone, Default)]
pub struct Used(Arc<Mutex<BTreeSet<String>>>);

impl Used {
    fn insert(&self, url: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(url.to_owned());
    }

    fn urls(&self) -> Vec<String> {
        let set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.iter().cloned().collect()
    }
}

/// Why an image could not be obtained, as a record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// See [`crate::assets::ImageError::kind`].
    pub kind: &'static str,
    pub reason: String,
}

impl Failure {
    fn of(e: &crate::assets::ImageError) -> Failure {
        Failure {
            kind: e.kind(),
            reason: e.to_string(),
        }
    }
}

/// What the download pass settled, per original URL.
pub enum Resolved {
    Keep,
    Rewrite(Vec<RewriteRule>),
    Stored {
        results: HashMap<String, Result<StoredImage, Failure>>,
        assets_dir: PathBuf,
        assets_url: Option<String>,
        layout: Layout,
        /// Per-post layouts: each post's file name per URL, by post path.
        names: HashMap<PathBuf, HashMap<String, String>>,
        /// URLs already counted as downloaded (each counts once).
        counted: Mutex<HashSet<String>>,
    },
}

/// The images one post shows (cover first), by the path it is written to.
pub struct PostImages<'a> {
    pub post: &'a Path,
    pub urls: &'a [String],
}

/// Fetches every URL the posts show (each once) for the second pass and,
/// with a per-post layout, names each post's images in its folder.
pub fn download(
    config: Box<DownloadConfig>,
    assets_url: Option<String>,
    layout: Layout,
    posts: &[PostImages<'_>],
    progress: &dyn assets::Progress,
) -> Result<Resolved, String> {
    let assets_dir = config.assets_dir.clone();
    let downloader =
        Downloader::new(*config).map_err(|e| format!("{}: {e}", assets_dir.display()))?;
    let urls: Vec<String> = posts.iter().flat_map(|p| p.urls.iter().cloned()).collect();
    let results: HashMap<String, Result<StoredImage, Failure>> = downloader
        .fetch_all(&urls, progress)
        .into_iter()
        .map(|(url, r)| (url, r.map_err(|e| Failure::of(&e))))
        .collect();
    Ok(stored(results, assets_dir, assets_url, layout, posts))
}

/// What a dry run can know without touching the network or the disk: the
/// images an earlier run stored (read from the manifest, checked on disk),
/// named per post as a write would name them. An image not stored yet is
/// left out, so its post keeps the URL and shows as changed.
pub fn look_up(
    config: &DownloadConfig,
    assets_url: Option<String>,
    layout: Layout,
    posts: &[PostImages<'_>],
) -> Result<Resolved, String> {
    let assets_dir = config.assets_dir.clone();
    let manifest =
        Manifest::load(&assets_dir).map_err(|e| format!("{}: {e}", assets_dir.display()))?;
    let results: HashMap<String, Result<StoredImage, Failure>> = posts
        .iter()
        .flat_map(|p| p.urls.iter())
        .filter_map(|url| Some((url.clone(), Ok(stored_in(&manifest, &assets_dir, url)?))))
        .collect();
    Ok(stored(results, assets_dir, assets_url, layout, posts))
}

/// The store's answers for a run, with each post's image names when the
/// layout gives every post a folder of its own.
fn stored(
    results: HashMap<String, Result<StoredImage, Failure>>,
    assets_dir: PathBuf,
    assets_url: Option<String>,
    layout: Layout,
    posts: &[PostImages<'_>],
) -> Resolved {
    let names = if layout.is_per_post() {
        posts
            .iter()
            .map(|p| {
                let folder = layout.folder(p.post);
                (p.post.to_owned(), names_for(p.urls, &results, folder))
            })
            .collect()
    } else {
        HashMap::new()
    };
    Resolved::Stored {
        results,
        assets_dir,
        assets_url,
        layout,
        names,
        counted: Mutex::new(HashSet::new()),
    }
}

/// The stored image the manifest names for `url`, if its file is there.
fn stored_in(manifest: &Manifest, assets_dir: &Path, url: &str) -> Option<StoredImage> {
    let entry = manifest.get(url).filter(|e| e.status == EntryStatus::Ok)?;
    let (sha, ext) = (entry.sha256.as_deref()?, entry.ext.as_deref()?);
    let kind = assets::ImageKind::from_ext(ext)?;
    let path = stored_path(assets_dir, sha, ext);
    let size = std::fs::metadata(&path).ok().filter(|m| m.is_file())?.len();
    if entry.size.is_some_and(|s| s != size) {
        return None;
    }
    Some(StoredImage {
        path,
        sha256: sha.to_owned(),
        ext: ext.to_owned(),
        mime: kind.mime().to_owned(),
        size,
        origin: Origin::Cache,
    })
}

/// A post's folder names for the images it shows that were stored.
fn names_for(
    urls: &[String],
    results: &HashMap<String, Result<StoredImage, Failure>>,
    folder: Option<PathBuf>,
) -> HashMap<String, String> {
    let stored: Vec<BundleImage<'_>> = urls
        .iter()
        .filter_map(|url| {
            let s = results.get(url)?.as_ref().ok()?;
            Some(BundleImage {
                url,
                sha256: &s.sha256,
                ext: &s.ext,
            })
        })
        .collect();
    let occupied = |name: &str, image: &BundleImage<'_>| match (&folder, results.get(image.url)) {
        (Some(folder), Some(Ok(stored))) => holds_other_bytes(&folder.join(name), stored),
        _ => false,
    };
    bundle_names(&stored, &occupied)
}

/// Whether a file stands at `path` with other bytes than `stored`'s.
fn holds_other_bytes(path: &Path, stored: &StoredImage) -> bool {
    if !path.exists() {
        return false;
    }
    match std::fs::read(&stored.path) {
        Ok(ours) => !holds(path, &ours),
        Err(_) => true,
    }
}

/// Every URL failed for one reason (the store could not be opened).
pub fn all_failed(posts: &[PostImages<'_>], reason: &str) -> Resolved {
    Resolved::Stored {
        results: posts
            .iter()
            .flat_map(|p| p.urls.iter())
            .map(|u| {
                let failure = Failure {
                    kind: "storage",
                    reason: reason.to_owned(),
                };
                (u.clone(), Err(failure))
            })
            .collect(),
        assets_dir: PathBuf::new(),
        assets_url: None,
        layout: Layout::Shared,
        names: HashMap::new(),
        counted: Mutex::new(HashSet::new()),
    }
}

impl Resolved {
    /// Whether every copy the post written at `post` keeps in its own
    /// folder is there (always true for the shared store).
    pub fn copies_present(&self, post: &Path) -> bool {
        let Resolved::Stored { layout, names, .. } = self else {
            return true;
        };
        let (Some(folder), Some(names)) = (layout.folder(post), names.get(post)) else {
            return true;
        };
        names.values().all(|name| folder.join(name).is_file())
    }

    /// The map a post written at `post_path` uses for its references; the
    /// URLs it gives a stored reference for are noted in `used`.
    pub fn map_for(self: &Arc<Self>, post_path: &Path, used: &Used) -> Option<ImageMap> {
        match self.as_ref() {
            Resolved::Keep => None,
            Resolved::Rewrite(rules) => {
                let rules = rules.clone();
                Some(ImageMap(Arc::new(move |url| {
                    assets::rewrite_url(url, &rules)
                })))
            }
            Resolved::Stored { .. } => {
                let me = Arc::clone(self);
                let post = post_path.to_owned();
                let used = used.clone();
                Some(ImageMap(Arc::new(move |url| {
                    let reference = me.stored_reference(url, &post);
                    if reference.is_some() {
                        used.insert(url);
                    }
                    reference
                })))
            }
        }
    }

    fn stored_reference(&self, url: &str, post: &Path) -> Option<String> {
        let Resolved::Stored {
            results,
            assets_dir,
            assets_url,
            layout,
            names,
            ..
        } = self
        else {
            return None;
        };
        let stored = results.get(url)?.as_ref().ok()?;
        if layout.is_per_post() {
            let name = names.get(post)?.get(url)?;
            return Some(layout.reference(post, name));
        }
        Some(assets::reference_for(
            &stored.path,
            assets_dir,
            post,
            assets_url.as_deref(),
        ))
    }

    /// Copies the images `used` by the post written at `post` into its
    /// folder (per-post layouts only), each atomically, skipping files
    /// already there with the same bytes, never over a file `guard`
    /// protects. The error names the file.
    pub fn place(&self, post: &Path, used: &Used, guard: &Guard) -> Result<(), BatchError> {
        let Resolved::Stored {
            results,
            layout,
            names,
            ..
        } = self
        else {
            return Ok(());
        };
        let Some(folder) = layout.folder(post) else {
            return Ok(());
        };
        for url in used.urls() {
            let (Some(Ok(stored)), Some(name)) =
                (results.get(&url), names.get(post).and_then(|n| n.get(&url)))
            else {
                continue;
            };
            let target = folder.join(name);
            copy_if_changed(&stored.path, &target, guard).map_err(|source| BatchError::Write {
                path: target,
                source,
            })?;
        }
        Ok(())
    }

    /// What happened to each image of a post, for its record.
    pub fn records(&self, urls: &[String], post: &Path) -> Vec<ImageRecord> {
        urls.iter().map(|url| self.record(url, post)).collect()
    }

    fn record(&self, url: &str, post: &Path) -> ImageRecord {
        let mut record = ImageRecord {
            url: url.to_owned(),
            status: "kept".into(),
            local: None,
            reason: None,
            kind: None,
        };
        match self {
            Resolved::Keep => {}
            Resolved::Rewrite(rules) => {
                if let Some(new) = assets::rewrite_url(url, rules) {
                    record.status = "rewritten".into();
                    record.local = Some(new);
                }
            }
            Resolved::Stored {
                results, counted, ..
            } => match results.get(url) {
                Some(Ok(stored)) => {
                    let first = counted
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(url.to_owned());
                    let fetched = matches!(stored.origin, Origin::Fetched(_));
                    record.status = if fetched && first {
                        "downloaded"
                    } else {
                        "reused"
                    }
                    .into();
                    record.local = self.stored_reference(url, post);
                }
                Some(Err(failure)) => {
                    record.status = "failed".into();
                    record.reason = Some(failure.reason.clone());
                    record.kind = Some(failure.kind.to_owned());
                }
                None => {}
            },
        }
        record
    }
}

/// Writes a copy of `from` at `to` unless `to` already holds the same bytes.
fn copy_if_changed(from: &Path, to: &Path, guard: &Guard) -> std::io::Result<()> {
    let bytes = std::fs::read(from)?;
    if holds(to, &bytes) {
        return Ok(());
    }
    super::write::write_guarded(to, &bytes, false, guard)
}
