//! Settings for `download` mode and the asset modes themselves.
//!
//! Plain data with defaults; no behaviour beyond parsing a mode name.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::assets::address::AddressPolicy;

/// How image references in a post are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// References stay remote.
    Keep,
    /// URLs are mapped by rewrite rules; no network.
    Rewrite,
    /// Images are downloaded into the content-addressed store.
    Download,
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "keep" => Ok(Mode::Keep),
            "rewrite" => Ok(Mode::Rewrite),
            "download" => Ok(Mode::Download),
            other => Err(format!(
                "unknown image mode `{other}` (expected keep, rewrite or download)"
            )),
        }
    }
}

/// Whether the manifest cache is used, bypassed or the only source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CachePolicy {
    /// Skip URLs already stored (default).
    #[default]
    Use,
    /// Fetch everything again.
    Refresh,
    /// Never touch the network; answer from the manifest only.
    Offline,
}

/// Retry backoff: `base * 2^attempt`, capped at `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay before the first retry.
    pub base: Duration,
    /// Upper bound for computed delays.
    pub max: Duration,
}

/// Everything the downloader needs.
#[derive(Debug, Clone)]
pub struct DownloadConfig {
    /// The assets directory (store and `manifest.jsonl`).
    pub assets_dir: PathBuf,
    /// Worker threads / global concurrent requests (default 8).
    pub concurrency: usize,
    /// Concurrent requests per host; 0 (the default) lets one host use the
    /// whole pool (one CDN serving every image), a small number is polite.
    pub per_host: usize,
    /// TCP + TLS connect timeout (default 10 s).
    pub connect_timeout: Duration,
    /// Time to receive response headers (default 30 s).
    pub response_timeout: Duration,
    /// Deadline for one attempt, redirects and body included (default 60 s).
    pub request_deadline: Duration,
    /// Body size cap in bytes (default 20 MiB).
    pub max_bytes: u64,
    /// Redirects followed per attempt (default 5).
    pub max_redirects: u32,
    /// Retries after the first attempt (default 3).
    pub max_retries: u32,
    /// Backoff between retries (default 500 ms doubling, max 10 s).
    pub backoff: Backoff,
    /// Cap on honoured `Retry-After` (default 10 s).
    pub max_retry_after: Duration,
    /// User-Agent header (default `mdmigrate/<version>`).
    pub user_agent: String,
    /// Store SVG documents (default false).
    pub allow_svg: bool,
    /// Mirror templates tried in order when the original fails.
    pub mirrors: Vec<String>,
    /// SSRF policy.
    pub policy: AddressPolicy,
    /// Cache behaviour.
    pub cache: CachePolicy,
}

impl DownloadConfig {
    /// The cap on concurrent requests to one host: `per_host`, or the pool.
    pub fn per_host_limit(&self) -> usize {
        match self.per_host {
            0 => self.concurrency.max(1),
            n => n,
        }
    }
}

/// Default User-Agent.
pub fn default_user_agent() -> String {
    format!("mdmigrate/{}", env!("CARGO_PKG_VERSION"))
}

/// The fixed Accept header sent with every image request.
pub const ACCEPT: &str = "image/avif,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8";

impl DownloadConfig {
    /// Defaults for storing into `assets_dir`.
    pub fn new(assets_dir: impl Into<PathBuf>) -> DownloadConfig {
        DownloadConfig {
            assets_dir: assets_dir.into(),
            concurrency: 8,
            per_host: 0,
            connect_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(30),
            request_deadline: Duration::from_secs(60),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            max_retries: 3,
            backoff: Backoff {
                base: Duration::from_millis(500),
                max: Duration::from_secs(10),
            },
            max_retry_after: Duration::from_secs(10),
            user_agent: default_user_agent(),
            allow_svg: false,
            mirrors: Vec::new(),
            policy: AddressPolicy::default(),
            cache: CachePolicy::Use,
        }
    }
}
