//! Images in a batch: keep, rewrite, or download once and point at the
//! stored copy.
//!
//! Downloads happen between two passes: the first converts every post only
//! to learn which images it shows; the downloader fetches each URL once (on
//! its own small thread pool); the second pass writes posts whose image
//! references point at the stored files. A failed image keeps its URL and
//! is recorded with the reason. Nothing here prints.

use crate::assets::{self, DownloadConfig, Downloader, Origin, RewriteRule, StoredImage};
use crate::report::ImageRecord;
use crate::transform::images::ImageMap;
use std::collections::{HashMap, HashSet};
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
    },
}

/// What the download pass settled, per original URL.
pub enum Resolved {
    Keep,
    Rewrite(Vec<RewriteRule>),
    Stored {
        results: HashMap<String, Result<StoredImage, String>>,
        assets_dir: PathBuf,
        assets_url: Option<String>,
        /// URLs already counted as downloaded (each counts once).
        counted: Mutex<HashSet<String>>,
    },
}

/// Fetches every URL of `urls` (deduplicated) for the second pass.
pub fn download(
    config: Box<DownloadConfig>,
    assets_url: Option<String>,
    urls: &[String],
    progress: &dyn assets::Progress,
) -> Result<Resolved, String> {
    let assets_dir = config.assets_dir.clone();
    let downloader =
        Downloader::new(*config).map_err(|e| format!("{}: {e}", assets_dir.display()))?;
    let results = downloader
        .fetch_all(urls, progress)
        .into_iter()
        .map(|(url, r)| (url, r.map_err(|e| e.to_string())))
        .collect();
    Ok(Resolved::Stored {
        results,
        assets_dir,
        assets_url,
        counted: Mutex::new(HashSet::new()),
    })
}

/// Every URL failed for one reason (the store could not be opened).
pub fn all_failed(urls: &[String], reason: &str) -> Resolved {
    Resolved::Stored {
        results: urls
            .iter()
            .map(|u| (u.clone(), Err(reason.to_owned())))
            .collect(),
        assets_dir: PathBuf::new(),
        assets_url: None,
        counted: Mutex::new(HashSet::new()),
    }
}

impl Resolved {
    /// The map a post written at `post_path` uses for its references.
    pub fn map_for(self: &Arc<Self>, post_path: &Path) -> Option<ImageMap> {
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
                Some(ImageMap(Arc::new(move |url| {
                    me.stored_reference(url, &post)
                })))
            }
        }
    }

    fn stored_reference(&self, url: &str, post: &Path) -> Option<String> {
        let Resolved::Stored {
            results,
            assets_dir,
            assets_url,
            ..
        } = self
        else {
            return None;
        };
        let stored = results.get(url)?.as_ref().ok()?;
        Some(assets::reference_for(
            &stored.path,
            assets_dir,
            post,
            assets_url.as_deref(),
        ))
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
                Some(Err(reason)) => {
                    record.status = "failed".into();
                    record.reason = Some(reason.clone());
                }
                None => {}
            },
        }
        record
    }
}
