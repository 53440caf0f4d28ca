//! Fetching one image over HTTP(S) into the store.
//!
//! Per source URL: resolve and check the address (SSRF policy), connect with
//! ureq to exactly the checked addresses, follow redirects by hand (each hop
//! re-checked, at most `max_redirects`), retry transient failures with
//! backoff (honouring a capped `Retry-After`), and stream the body into a
//! store part file while enforcing the size cap and the per-attempt
//! deadline. The body must be an image by magic bytes. Mirrors are tried in
//! order after the original fails.
//!
//! Sends no Referer and no cookies, ignores proxy environment variables,
//! never prints, and never panics on server input.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::Url;

use crate::assets::config::{ACCEPT, DownloadConfig};
use crate::assets::error::ImageError;
use crate::assets::hosts::Hosts;
use crate::assets::pool::HostLimiter;
use crate::assets::rewrite::expand_mirror;
use crate::assets::sniff::{ImageKind, SNIFF_LEN, describe_non_image, sniff};
use crate::assets::store::{Committed, PartFile, Store};

/// A successfully fetched and stored image.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where and what was stored.
    pub committed: Committed,
    /// Detected format.
    pub kind: ImageKind,
    /// The source URL that served it (original or mirror), before redirects.
    pub source: String,
}

/// A retry about to happen (for progress reporting).
#[derive(Debug, Clone)]
pub struct RetryNotice {
    /// The source URL being retried.
    pub url: String,
    /// 1-based retry number.
    pub attempt: u32,
    /// Delay before it.
    pub delay: Duration,
    /// Why.
    pub error: ImageError,
}

/// Shared state for fetching.
#[derive(Debug)]
pub struct Fetcher<'a> {
    /// Settings.
    pub cfg: &'a DownloadConfig,
    /// Where bodies go.
    pub store: &'a Store,
    /// Per-host concurrency.
    pub limiter: &'a HostLimiter,
    /// What the run knows of each host: addresses, dead hosts, agents.
    pub hosts: &'a Hosts,
}

/// A failed attempt, with the server's Retry-After if it sent one.
struct Failure {
    error: ImageError,
    retry_after: Option<Duration>,
}

impl From<ImageError> for Failure {
    fn from(error: ImageError) -> Failure {
        Failure {
            error,
            retry_after: None,
        }
    }
}

enum Hop {
    Redirect(Url),
    Image(Committed, ImageKind),
}

impl Fetcher<'_> {
    /// Fetch `original`, then each mirror, until one yields a stored image.
    pub fn fetch(
        &self,
        original: &str,
        on_retry: &dyn Fn(RetryNotice),
    ) -> Result<Fetched, ImageError> {
        let url =
            Url::parse(original).map_err(|e| ImageError::InvalidUrl(format!("{original}: {e}")))?;
        let mut sources = vec![original.to_string()];
        sources.extend(self.cfg.mirrors.iter().map(|m| expand_mirror(m, &url)));
        let mut failures = Vec::new();
        for source in sources {
            match self.fetch_with_retries(&source, on_retry) {
                Ok((committed, kind)) => {
                    return Ok(Fetched {
                        committed,
                        kind,
                        source,
                    });
                }
                Err(e) => failures.push((source, e)),
            }
        }
        match failures.len() {
            1 => Err(failures.remove(0).1),
            _ => Err(ImageError::AllFailed(failures)),
        }
    }

    fn fetch_with_retries(
        &self,
        source: &str,
        on_retry: &dyn Fn(RetryNotice),
    ) -> Result<(Committed, ImageKind), ImageError> {
        let url =
            Url::parse(source).map_err(|e| ImageError::InvalidUrl(format!("{source}: {e}")))?;
        let mut attempt = 0;
        loop {
            let failure = match self.fetch_following(&url) {
                Ok(done) => return Ok(done),
                Err(f) => f,
            };
            if attempt >= self.cfg.max_retries || !failure.error.is_retryable() {
                return Err(failure.error);
            }
            let delay = self.retry_delay(attempt, failure.retry_after);
            attempt += 1;
            on_retry(RetryNotice {
                url: source.to_string(),
                attempt,
                delay,
                error: failure.error,
            });
            std::thread::sleep(delay);
        }
    }

    fn retry_delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.cfg.max_retry_after);
        }
        let factor = 2u32.saturating_pow(attempt.min(16));
        self.cfg
            .backoff
            .base
            .saturating_mul(factor)
            .min(self.cfg.backoff.max)
    }

    /// One attempt: follow redirects by hand under one deadline.
    fn fetch_following(&self, start: &Url) -> Result<(Committed, ImageKind), Failure> {
        let now = Instant::now();
        let deadline = now
            .checked_add(self.cfg.request_deadline)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
        let mut url = start.clone();
        let mut redirects = 0;
        loop {
            match self.hop(&url, deadline)? {
                Hop::Image(committed, kind) => return Ok((committed, kind)),
                Hop::Redirect(next) => {
                    redirects += 1;
                    if redirects > self.cfg.max_redirects {
                        return Err(ImageError::TooManyRedirects(self.cfg.max_redirects).into());
                    }
                    url = next;
                }
            }
        }
    }

    /// One HTTP exchange with one checked host; a host the run gave up on
    /// fails at once.
    fn hop(&self, url: &Url, deadline: Instant) -> Result<Hop, Failure> {
        let host_key = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default()
        );
        self.hosts.check_alive(&host_key)?;
        let timeout = Some(self.cfg.connect_timeout);
        let addrs = self
            .cfg
            .policy
            .resolve_checked_by(url, &|name, port| self.hosts.lookup(name, port, timeout));
        if let Err(e) = &addrs {
            self.hosts.record(&host_key, &Err::<(), _>(e.clone()));
        }
        let addrs = addrs?;
        let remaining = remaining(deadline)?;
        let _permit = self.limiter.acquire(&host_key);
        let agent = self.hosts.agent(&host_key, || self.agent(addrs));
        let response = agent
            .get(url.as_str())
            .header("Accept", ACCEPT)
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(map_ureq_error);
        self.hosts.record(&host_key, &response);
        let response = response?;
        let status = response.status().as_u16();
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            return Ok(Hop::Redirect(redirect_target(url, &response)?));
        }
        if !matches!(status, 200 | 203) {
            return Err(Failure {
                error: ImageError::Status(status),
                retry_after: retry_after(&response),
            });
        }
        let declared = response.body().content_length();
        if declared.is_some_and(|n| n > self.cfg.max_bytes) {
            return Err(ImageError::TooLarge {
                limit: self.cfg.max_bytes,
            }
            .into());
        }
        let reader = response.into_body().into_reader();
        let (committed, kind) = self.stream_body(reader, deadline)?;
        Ok(Hop::Image(committed, kind))
    }

    /// An agent for one host: it dials only the checked `addrs` and keeps
    /// idle connections for the next image of the host.
    fn agent(&self, addrs: Vec<SocketAddr>) -> ureq::Agent {
        let config = ureq::Agent::config_builder()
            .proxy(None)
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(self.cfg.user_agent.as_str())
            .accept(ACCEPT)
            .timeout_connect(Some(self.cfg.connect_timeout))
            .timeout_recv_response(Some(self.cfg.response_timeout))
            .max_idle_connections(self.cfg.concurrency.max(1))
            .max_idle_connections_per_host(self.cfg.concurrency.max(1))
            .build();
        ureq::Agent::with_parts(config, DefaultConnector::new(), PinnedResolver { addrs })
    }

    /// Read the body: sniff the head, then stream into a part file.
    fn stream_body(
        &self,
        mut reader: impl Read,
        deadline: Instant,
    ) -> Result<(Committed, ImageKind), ImageError> {
        let cap = self.cfg.max_bytes;
        let mut head = Vec::with_capacity(SNIFF_LEN);
        let eof = read_head(&mut reader, &mut head, deadline)?;
        let kind = self.accept_kind(&head)?;
        if head.len() as u64 > cap {
            return Err(ImageError::TooLarge { limit: cap });
        }
        let mut part = self.store.begin().map_err(storage)?;
        part.write(&head).map_err(storage)?;
        if !eof {
            copy_rest(&mut reader, &mut part, cap, deadline)?;
        }
        let committed = part.commit(self.store, kind.ext()).map_err(storage)?;
        Ok((committed, kind))
    }

    fn accept_kind(&self, head: &[u8]) -> Result<ImageKind, ImageError> {
        if head.is_empty() {
            return Err(ImageError::EmptyBody);
        }
        match sniff(head) {
            Some(ImageKind::Svg) if !self.cfg.allow_svg => Err(ImageError::SvgNotAllowed),
            Some(kind) => Ok(kind),
            None => Err(ImageError::NotAnImage(describe_non_image(head))),
        }
    }
}

/// Stream the rest of the body into `part`, enforcing `cap` and `deadline`.
fn copy_rest(
    reader: &mut impl Read,
    part: &mut PartFile,
    cap: u64,
    deadline: Instant,
) -> Result<(), ImageError> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = read_some(reader, &mut buf, deadline)?;
        if n == 0 {
            return Ok(());
        }
        if part.size() + n as u64 > cap {
            return Err(ImageError::TooLarge { limit: cap });
        }
        part.write(&buf[..n]).map_err(storage)?;
    }
}

/// Fill `head` up to SNIFF_LEN bytes; true when the body ended.
fn read_head(
    reader: &mut impl Read,
    head: &mut Vec<u8>,
    deadline: Instant,
) -> Result<bool, ImageError> {
    let mut buf = [0u8; SNIFF_LEN];
    while head.len() < SNIFF_LEN {
        let want = SNIFF_LEN - head.len();
        let n = read_some(reader, &mut buf[..want], deadline)?;
        if n == 0 {
            return Ok(true);
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(false)
}

fn read_some(
    reader: &mut impl Read,
    buf: &mut [u8],
    deadline: Instant,
) -> Result<usize, ImageError> {
    remaining(deadline)?;
    loop {
        match reader.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(map_io_error(e)),
        }
    }
}

fn remaining(deadline: Instant) -> Result<Duration, ImageError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(ImageError::Timeout("request deadline exceeded".into()))
    } else {
        Ok(left)
    }
}

fn storage(e: io::Error) -> ImageError {
    ImageError::Storage(e.to_string())
}

fn redirect_target(
    url: &Url,
    response: &ureq::http::Response<ureq::Body>,
) -> Result<Url, ImageError> {
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ImageError::BadRedirect("missing Location header".into()))?;
    url.join(location)
        .map_err(|e| ImageError::BadRedirect(format!("{location}: {e}")))
}

/// The server's `Retry-After`, if it sent a readable one.
fn retry_after(response: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    let header = |name: &str| response.headers().get(name)?.to_str().ok();
    parse_retry_after(
        header("retry-after")?,
        header("date"),
        jiff::Timestamp::now(),
    )
}

/// `Retry-After` as delta-seconds or as an HTTP date (RFC 9110: IMF-fixdate,
/// and the obsolete RFC 850 and asctime forms every recipient must accept).
///
/// A date is counted from the response's own `Date` header when it has a
/// readable one, so a skewed local clock does not stretch or cancel the
/// wait; otherwise from `now`. A date in the past means "now" (zero). The
/// caller applies the cap.
pub(crate) fn parse_retry_after(
    value: &str,
    date: Option<&str>,
    now: jiff::Timestamp,
) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = http_date(value)?;
    let from = date.and_then(http_date).unwrap_or(now);
    let wait = at.duration_since(from);
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// An HTTP date in any of its three forms, always GMT.
fn http_date(text: &str) -> Option<jiff::Timestamp> {
    let text = text.trim();
    static IMF: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    if let Ok(ts) = IMF.parse_timestamp(text) {
        return Some(ts);
    }
    // `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850), `Sun Nov  6 08:49:37 1994` (asctime).
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| jiff::fmt::strtime::parse(format, text).ok())
        .and_then(|tm| tm.to_datetime().ok())
        .and_then(|dt| jiff::tz::TimeZone::UTC.to_timestamp(dt).ok())
}

fn map_ureq_error(e: ureq::Error) -> ImageError {
    match e {
        ureq::Error::Timeout(t) => timeout_error(t),
        ureq::Error::ConnectionFailed => ImageError::Connect("connection failed".into()),
        ureq::Error::HostNotFound => ImageError::Resolve("host not found".into()),
        ureq::Error::Io(io) => map_io_error(io),
        other => ImageError::Transport(other.to_string()),
    }
}

fn timeout_error(t: ureq::Timeout) -> ImageError {
    let what = match t {
        ureq::Timeout::Global => "request deadline exceeded".to_string(),
        ureq::Timeout::Connect => "connect timeout".to_string(),
        ureq::Timeout::RecvResponse => "no response headers in time".to_string(),
        other => format!("{other:?} timeout"),
    };
    ImageError::Timeout(what)
}

fn map_io_error(e: io::Error) -> ImageError {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
        if let ureq::Error::Timeout(t) = inner {
            return timeout_error(*t);
        }
        return ImageError::Transport(inner.to_string());
    }
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ImageError::Timeout(e.to_string()),
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::NotConnected
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::NetworkUnreachable
        | io::ErrorKind::AddrNotAvailable => ImageError::Connect(e.to_string()),
        _ => ImageError::Transport(e.to_string()),
    }
}

/// Hands ureq exactly the addresses the SSRF policy approved, whatever host
/// it asks about: no second DNS lookup happens.
#[derive(Debug)]
struct PinnedResolver {
    addrs: Vec<SocketAddr>,
}

impl Resolver for PinnedResolver {
    fn resolve(
        &self,
        _uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut out = self.empty();
        for addr in self.addrs.iter().take(16) {
            out.push(*addr);
        }
        if out.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> jiff::Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn retry_after_as_delta_seconds() {
        let now = ts("2015-10-21T07:28:00Z");
        assert_eq!(
            parse_retry_after(" 120 ", None, now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("-1", None, now), None);
        assert_eq!(parse_retry_after("soon", None, now), None);
    }

    #[test]
    fn retry_after_as_http_date_in_every_form() {
        let now = ts("2015-10-21T07:27:30Z");
        for value in [
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Wednesday, 21-Oct-15 07:28:00 GMT",
            "Wed Oct 21 07:28:00 2015",
        ] {
            assert_eq!(
                parse_retry_after(value, None, now),
                Some(Duration::from_secs(30)),
                "{value}"
            );
        }
        assert_eq!(
            parse_retry_after("Wed Oct  7 07:28:00 2015", None, ts("2015-10-07T07:27:59Z")),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn retry_after_date_counts_from_the_servers_date_and_never_goes_negative() {
        let skewed_now = ts("2015-10-21T09:00:00Z");
        assert_eq!(
            parse_retry_after(
                "Wed, 21 Oct 2015 07:28:00 GMT",
                Some("Wed, 21 Oct 2015 07:27:58 GMT"),
                skewed_now
            ),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", None, skewed_now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(
                "Wed, 21 Oct 2015 07:28:00 GMT",
                Some("not a date"),
                ts("2015-10-21T07:27:59Z")
            ),
            Some(Duration::from_secs(1))
        );
    }
}
