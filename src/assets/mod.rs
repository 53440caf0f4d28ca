//! Image assets for migrated posts: keep, rewrite or download references.
//!
//! - [`config`]: modes and download settings (plain data).
//! - [`rewrite`]: `rewrite` mode rules, mirror templates, post references (pure).
//! - [`address`]: SSRF policy — which hosts/addresses may be dialed.
//! - [`sniff`]: image type from magic bytes.
//! - [`store`]: content-addressed files written via `.part` + rename.
//! - [`manifest`]: `manifest.jsonl`, URL → stored image, crash tolerant.
//! - [`fetch`]: one image over HTTP: checked addresses, manual redirects,
//!   retries, size cap, deadline, mirrors.
//! - [`hosts`]: per-run host knowledge: one lookup, dead-host skip, agents.
//! - [`pool`]: std-thread worker pool and per-host limiter.
//! - [`downloader`]: the `download` front end tying these together.
//! - [`layout`]: shared store or a folder per post; names and references (pure).
//!
//! The module never prints (progress goes to a caller-supplied [`Progress`])
//! and never panics on any input; it refers to itself only as
//! `crate::assets::…` so the directory can be moved between crates.

pub mod address;
pub mod config;
pub mod downloader;
pub mod error;
pub mod fetch;
pub mod hosts;
pub mod layout;
pub mod manifest;
pub mod pool;
pub mod rewrite;
pub mod sniff;
pub mod store;

pub use address::{AddressClass, AddressPolicy};
pub use config::{ACCEPT, Backoff, CachePolicy, DownloadConfig, Mode, default_user_agent};
pub use downloader::{
    Downloader, ImageResult, NoProgress, Origin, Progress, ProgressEvent, StoredImage,
};
pub use error::ImageError;
pub use layout::Layout;
pub use rewrite::{RewriteRule, expand_mirror, reference_for, rewrite_url};
pub use sniff::ImageKind;
