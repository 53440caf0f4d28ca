//! Issue 5: `Retry-After` given as an HTTP date is honoured (counted from
//! the response's `Date`, capped), against a real server on 127.0.0.1.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use jiff::fmt::rfc2822::DateTimePrinter;
use jiff::{SignedDuration, Timestamp};
use mdmigrate::assets::{Backoff, DownloadConfig, Downloader, Progress, ProgressEvent};
use support::image_server::{ImageServer, Reply};

fn png(tag: &str) -> Vec<u8> {
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".as_slice(),
        tag.as_bytes(),
    ]
    .concat()
}

fn http_date(ts: Timestamp) -> String {
    DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&ts)
        .unwrap()
}

/// A 429 whose `Retry-After` is `Date` plus `secs` (both as HTTP dates).
fn busy_for(secs: i64) -> Reply {
    let now = Timestamp::now();
    Reply::status(429).header("Date", &http_date(now)).header(
        "Retry-After",
        &http_date(now + SignedDuration::from_secs(secs)),
    )
}

struct Delays(Mutex<Vec<(String, Duration)>>);

impl Progress for Delays {
    fn event(&self, e: &ProgressEvent<'_>) {
        if let ProgressEvent::Retrying { url, delay, .. } = e {
            let path = url.rsplit('/').next().unwrap_or_default().to_owned();
            self.0.lock().unwrap().push((path, *delay));
        }
    }
}

#[test]
fn retry_after_http_dates_are_honoured_and_capped() {
    let server = ImageServer::start(|path, nth| match (path, nth) {
        ("/in-one-second", 0) => busy_for(1),
        ("/in-an-hour", 0) => busy_for(3600),
        ("/in-the-past", 0) => busy_for(-3600),
        _ => Reply::ok(&png(path)),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = DownloadConfig::new(dir.path());
    cfg.policy.allow_hosts = vec![("127.0.0.1".into(), Some(server.port()))];
    cfg.max_retries = 1;
    cfg.backoff = Backoff {
        base: Duration::from_secs(5),
        max: Duration::from_secs(5),
    };
    cfg.max_retry_after = Duration::from_millis(1500);
    let urls: Vec<String> = ["/in-one-second", "/in-an-hour", "/in-the-past"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let delays = Delays(Mutex::new(Vec::new()));
    let started = std::time::Instant::now();
    let results = Downloader::new(cfg).unwrap().fetch_all(&urls, &delays);
    for (url, r) in &results {
        assert!(r.is_ok(), "{url}: {r:?}");
    }
    let mut delays = delays.0.into_inner().unwrap();
    delays.sort();
    // The server's own Date is the base: exactly one second; an hour is
    // capped; a past date means now (not the 5 s backoff).
    assert_eq!(
        delays,
        [
            ("in-an-hour".to_owned(), Duration::from_millis(1500)),
            ("in-one-second".to_owned(), Duration::from_secs(1)),
            ("in-the-past".to_owned(), Duration::ZERO),
        ]
    );
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert!(started.elapsed() < Duration::from_secs(5));
    for path in ["/in-one-second", "/in-an-hour", "/in-the-past"] {
        assert_eq!(server.hits(path), 2, "{path}");
    }
}
