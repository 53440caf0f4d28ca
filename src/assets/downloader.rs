//! `download` mode front end: cache lookups, the worker pool, the manifest.
//!
//! [`Downloader::fetch_all`] deduplicates the input URLs, answers what it can
//! from the manifest (unless refreshing), fetches the rest on a small pool of
//! std threads, records every outcome in the manifest, reports progress
//! through the caller's [`Progress`], and returns one result per input URL in
//! input order. It never prints and never panics; a failed image is an
//! [`ImageError`] and the caller keeps the original URL.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::assets::config::{CachePolicy, DownloadConfig};
use crate::assets::error::ImageError;
use crate::assets::fetch::{Fetched, Fetcher, RetryNotice};
use crate::assets::hosts::Hosts;
use crate::assets::manifest::{Entry, EntryStatus, Manifest};
use crate::assets::pool::{HostLimiter, lock, run_pool};
use crate::assets::sniff::ImageKind;
use crate::assets::store::Store;

/// An image available in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// `assets_dir/ab/abcd….ext`.
    pub path: PathBuf,
    /// Hex SHA-256.
    pub sha256: String,
    /// Extension from magic bytes (no dot).
    pub ext: String,
    /// MIME type from magic bytes.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// Whether this run downloaded it.
    pub origin: Origin,
}

/// Where a [`StoredImage`] came from in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Already stored by an earlier run (manifest hit, no network).
    Cache,
    /// Downloaded now from this source URL (original or a mirror).
    Fetched(String),
}

/// The outcome for one URL.
pub type ImageResult = Result<StoredImage, ImageError>;

/// Something the caller may want to show.
#[derive(Debug)]
pub enum ProgressEvent<'a> {
    /// A network fetch for `url` is starting.
    Started {
        /// Original URL.
        url: &'a str,
    },
    /// A transient failure; retrying after `delay`.
    Retrying {
        /// The source URL being retried (original or mirror).
        url: &'a str,
        /// 1-based retry number.
        attempt: u32,
        /// Wait before the retry.
        delay: Duration,
        /// The failure.
        error: &'a ImageError,
    },
    /// `url` is settled (from cache, network or failure).
    Finished {
        /// Original URL.
        url: &'a str,
        /// Its result.
        result: &'a ImageResult,
        /// Distinct URLs finished so far.
        done: usize,
        /// Distinct URLs in this batch.
        total: usize,
    },
    /// Non-fatal trouble (e.g. the manifest could not be written).
    Warning(String),
}

/// Progress sink supplied by the caller; called on the caller's thread.
pub trait Progress {
    /// Receive one event. The default ignores it.
    fn event(&self, event: &ProgressEvent<'_>) {
        let _ = event;
    }
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Downloads images into a content-addressed store with a manifest.
#[derive(Debug)]
pub struct Downloader {
    cfg: DownloadConfig,
    store: Store,
    manifest: Mutex<Manifest>,
    limiter: HostLimiter,
    hosts: Hosts,
}

enum Msg {
    Started(usize),
    Retry(RetryNotice),
    Done(usize, Result<Fetched, ImageError>),
}

impl Downloader {
    /// Open the store in `cfg.assets_dir` (creating it, removing leftover
    /// `.part` files) and load its manifest.
    pub fn new(cfg: DownloadConfig) -> Result<Downloader, ImageError> {
        let store = Store::open(&cfg.assets_dir).map_err(|e| ImageError::Storage(e.to_string()))?;
        let manifest =
            Manifest::load(&cfg.assets_dir).map_err(|e| ImageError::Storage(e.to_string()))?;
        Ok(Downloader {
            limiter: HostLimiter::new(cfg.per_host_limit()),
            hosts: Hosts::new(),
            cfg,
            store,
            manifest: Mutex::new(manifest),
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &DownloadConfig {
        &self.cfg
    }

    /// The assets directory.
    pub fn assets_dir(&self) -> &Path {
        self.store.root()
    }

    /// Manifest lines skipped as unreadable when loading.
    pub fn manifest_skipped_lines(&self) -> usize {
        lock(&self.manifest).skipped_lines()
    }

    /// The stored image for `url` per the manifest, if its file still exists.
    pub fn cached(&self, url: &str) -> Option<StoredImage> {
        let manifest = lock(&self.manifest);
        let entry = manifest.get(url)?;
        if entry.status != EntryStatus::Ok {
            return None;
        }
        let (sha, ext) = (entry.sha256.as_deref()?, entry.ext.as_deref()?);
        let kind = ImageKind::from_ext(ext)?;
        let path = self.store.path_for(sha, ext);
        let size = std::fs::metadata(&path).ok().filter(|m| m.is_file())?.len();
        if entry.size.is_some_and(|s| s != size) {
            return None;
        }
        Some(StoredImage {
            path,
            sha256: sha.to_string(),
            ext: ext.to_string(),
            mime: kind.mime().to_string(),
            size,
            origin: Origin::Cache,
        })
    }

    /// Fetch every URL (each distinct URL once) and return `(url, result)`
    /// pairs in input order.
    pub fn fetch_all(
        &self,
        urls: &[String],
        progress: &dyn Progress,
    ) -> Vec<(String, ImageResult)> {
        let unique = dedupe(urls);
        let total = unique.len();
        let mut results: Vec<Option<ImageResult>> = vec![None; total];
        let mut done = 0;
        let mut jobs = Vec::new();
        for (i, url) in unique.iter().enumerate() {
            match self.answer_without_network(url) {
                Some(result) => {
                    done += 1;
                    report_finished(progress, url, &result, done, total);
                    results[i] = Some(result);
                }
                None => jobs.push(i),
            }
        }
        let fetcher = Fetcher {
            cfg: &self.cfg,
            store: &self.store,
            limiter: &self.limiter,
            hosts: &self.hosts,
        };
        let work = |i: usize, send: &dyn Fn(Msg)| {
            send(Msg::Started(i));
            let on_retry = |n: RetryNotice| send(Msg::Retry(n));
            send(Msg::Done(i, fetcher.fetch(&unique[i], &on_retry)));
        };
        run_pool(jobs, self.cfg.concurrency, work, |msg| match msg {
            Msg::Started(i) => progress.event(&ProgressEvent::Started { url: &unique[i] }),
            Msg::Retry(n) => report_retry(progress, &n),
            Msg::Done(i, fetched) => {
                for notice in self.hosts.take_notices() {
                    progress.event(&ProgressEvent::Warning(notice));
                }
                let result = self.settle(&unique[i], fetched, progress);
                done += 1;
                report_finished(progress, &unique[i], &result, done, total);
                results[i] = Some(result);
            }
        });
        assemble(urls, &unique, results)
    }

    /// Cache hit, or an offline miss; `None` means "fetch it".
    fn answer_without_network(&self, url: &str) -> Option<ImageResult> {
        match self.cfg.cache {
            CachePolicy::Refresh => None,
            CachePolicy::Use => self.cached(url).map(Ok),
            CachePolicy::Offline => Some(self.cached(url).ok_or(ImageError::NotCached)),
        }
    }

    /// Turn a fetch outcome into a result and record it in the manifest.
    fn settle(
        &self,
        url: &str,
        fetched: Result<Fetched, ImageError>,
        progress: &dyn Progress,
    ) -> ImageResult {
        let result = fetched.map(stored_from);
        let entry = entry_for(url, &result);
        let mut manifest = lock(&self.manifest);
        let keep_old = result.is_err()
            && manifest
                .get(url)
                .is_some_and(|e| e.status == EntryStatus::Ok);
        if keep_old {
            return result;
        }
        if let Err(e) = manifest.append(entry) {
            progress.event(&ProgressEvent::Warning(format!(
                "could not write {}: {e}",
                manifest.path().display()
            )));
        }
        result
    }
}

fn dedupe(urls: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    urls.iter()
        .filter(|u| seen.insert(u.as_str()))
        .cloned()
        .collect()
}

fn assemble(
    urls: &[String],
    unique: &[String],
    results: Vec<Option<ImageResult>>,
) -> Vec<(String, ImageResult)> {
    let by_url: HashMap<&str, ImageResult> = unique
        .iter()
        .zip(results)
        .map(|(u, r)| {
            (
                u.as_str(),
                r.unwrap_or(Err(ImageError::Transport("worker did not report".into()))),
            )
        })
        .collect();
    urls.iter()
        .map(|u| {
            let r = by_url
                .get(u.as_str())
                .cloned()
                .unwrap_or(Err(ImageError::Transport("missing result".into())));
            (u.clone(), r)
        })
        .collect()
}

fn stored_from(f: Fetched) -> StoredImage {
    StoredImage {
        path: f.committed.path,
        sha256: f.committed.sha256,
        ext: f.kind.ext().to_string(),
        mime: f.kind.mime().to_string(),
        size: f.committed.size,
        origin: Origin::Fetched(f.source),
    }
}

fn entry_for(url: &str, result: &ImageResult) -> Entry {
    match result {
        Ok(img) => Entry {
            url: url.to_string(),
            status: EntryStatus::Ok,
            sha256: Some(img.sha256.clone()),
            ext: Some(img.ext.clone()),
            mime: Some(img.mime.clone()),
            size: Some(img.size),
            fetched_from: match &img.origin {
                Origin::Fetched(src) if src != url => Some(src.clone()),
                _ => None,
            },
            error: None,
        },
        Err(e) => Entry {
            url: url.to_string(),
            status: EntryStatus::Failed,
            sha256: None,
            ext: None,
            mime: None,
            size: None,
            fetched_from: None,
            error: Some(e.to_string()),
        },
    }
}

fn report_finished(
    progress: &dyn Progress,
    url: &str,
    result: &ImageResult,
    done: usize,
    total: usize,
) {
    progress.event(&ProgressEvent::Finished {
        url,
        result,
        done,
        total,
    });
}

fn report_retry(progress: &dyn Progress, n: &RetryNotice) {
    progress.event(&ProgressEvent::Retrying {
        url: &n.url,
        attempt: n.attempt,
        delay: n.delay,
        error: &n.error,
    });
}
