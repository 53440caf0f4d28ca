//! Why an image could not be obtained.
//!
//! Every failure is a value of [`ImageError`] with a human-readable Display;
//! the caller keeps the original URL for such an image. This module only
//! describes errors: it must not do I/O.

use std::net::IpAddr;

use thiserror::Error;

use crate::assets::address::AddressClass;

/// A per-image failure reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImageError {
    /// The URL could not be parsed or has no host.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// Scheme other than http/https.
    #[error("unsupported URL scheme `{0}` (only http and https)")]
    UnsupportedScheme(String),
    /// The host resolved to an address the SSRF policy refuses.
    #[error("refused to connect to {host} ({addr}): {class:?} address")]
    Blocked {
        /// Host name or literal from the URL.
        host: String,
        /// The refused address.
        addr: IpAddr,
        /// Why it is refused.
        class: AddressClass,
    },
    /// Name resolution failed.
    #[error("could not resolve host {0}")]
    Resolve(String),
    /// TCP/TLS connection could not be established.
    #[error("connection failed: {0}")]
    Connect(String),
    /// A connect, response or overall deadline expired.
    #[error("timed out: {0}")]
    Timeout(String),
    /// Any other transport or protocol failure.
    #[error("transfer failed: {0}")]
    Transport(String),
    /// Non-success HTTP status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// A redirect without a usable Location header.
    #[error("bad redirect: {0}")]
    BadRedirect(String),
    /// More redirects than allowed.
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(u32),
    /// The body is larger than the configured cap.
    #[error("image larger than {limit} bytes")]
    TooLarge {
        /// The configured cap in bytes.
        limit: u64,
    },
    /// The server answered with no body at all.
    #[error("empty response body")]
    EmptyBody,
    /// The body is not a recognised image format (e.g. an HTML error page).
    #[error("not an image ({0})")]
    NotAnImage(String),
    /// An SVG document when SVG is not enabled.
    #[error("SVG images are not allowed (enable allow_svg)")]
    SvgNotAllowed,
    /// Local storage failed.
    #[error("storage error: {0}")]
    Storage(String),
    /// Offline mode and the URL is not in the manifest (or its file is gone).
    #[error("not in the asset cache (offline mode)")]
    NotCached,
    /// The original and every mirror failed; holds each attempt's reason.
    #[error("{}", join_attempts(.0))]
    AllFailed(Vec<(String, ImageError)>),
    /// The host failed to resolve or connect several times in a row; the
    /// run tries it no more.
    #[error("host {host} skipped for the rest of the run after repeated failures (last: {cause})")]
    HostSkipped {
        host: String,
        cause: Box<ImageError>,
    },
}

fn join_attempts(attempts: &[(String, ImageError)]) -> String {
    let parts: Vec<String> = attempts
        .iter()
        .map(|(url, err)| format!("{url}: {err}"))
        .collect();
    format!("all sources failed: {}", parts.join("; "))
}

impl ImageError {
    /// The kind of reason, as reports name it: `dns`, `refused` (by the
    /// address policy or the scheme), `http-status`, `timeout`, `connect`,
    /// `not-an-image`, `too-large`, `invalid-url`, `redirect`, `transport`,
    /// `storage`, `not-cached`. For [`ImageError::AllFailed`], the kind of
    /// the original URL's failure.
    pub fn kind(&self) -> &'static str {
        match self {
            ImageError::InvalidUrl(_) => "invalid-url",
            ImageError::UnsupportedScheme(_) | ImageError::Blocked { .. } => "refused",
            ImageError::Resolve(_) => "dns",
            ImageError::Connect(_) => "connect",
            ImageError::Timeout(_) => "timeout",
            ImageError::Transport(_) => "transport",
            ImageError::Status(_) => "http-status",
            ImageError::BadRedirect(_) | ImageError::TooManyRedirects(_) => "redirect",
            ImageError::TooLarge { .. } => "too-large",
            ImageError::EmptyBody | ImageError::NotAnImage(_) | ImageError::SvgNotAllowed => {
                "not-an-image"
            }
            ImageError::Storage(_) => "storage",
            ImageError::NotCached => "not-cached",
            ImageError::AllFailed(attempts) => {
                attempts.first().map_or("transport", |(_, e)| e.kind())
            }
            ImageError::HostSkipped { cause, .. } => cause.kind(),
        }
    }

    /// Transient failures worth another attempt: connect errors, timeouts
    /// and HTTP 408, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            ImageError::Connect(_) | ImageError::Timeout(_) => true,
            ImageError::Status(code) => matches!(code, 408 | 429 | 500..=599),
            _ => false,
        }
    }
}
