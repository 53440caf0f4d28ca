//! What one run learns about each host, so that a dead host costs one
//! timeout, not one per image.
//!
//! - Each name is looked up once per run; the answer, an address list or a
//!   failure, is kept (positive and negative caching). The address policy
//!   still checks every address of every request (`AddressPolicy::
//!   resolve_checked_by`), cached or not.
//! - After [`DEAD_AFTER`] resolve, connect or timeout failures in a row, a
//!   host is skipped for the rest of the run: its URLs fail at once with
//!   [`ImageError::HostSkipped`] and the fetcher goes straight to the
//!   mirrors. The first time is announced once ([`Hosts::take_notices`]).
//! - One HTTP agent per host and port keeps idle connections, so images of
//!   one CDN reuse connections.
//!
//! Nothing here prints or touches the store.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::assets::address::lookup;
use crate::assets::error::ImageError;
use crate::assets::pool::lock;

/// Failures in a row (resolve, connect, timeout) after which a host is
/// skipped for the rest of the run.
pub const DEAD_AFTER: u32 = 3;

/// What the run knows about one host.
#[derive(Debug, Default)]
struct Host {
    addrs: OnceLock<Result<Vec<SocketAddr>, ImageError>>,
    failures: AtomicU32,
    dead: AtomicBool,
    last_error: Mutex<Option<ImageError>>,
    agent: Mutex<Option<ureq::Agent>>,
}

/// The hosts of one run; see the module docs.
#[derive(Debug, Default)]
pub struct Hosts {
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    notices: Mutex<Vec<String>>,
}

/// Whether a failure says the host cannot be reached at all (as opposed to
/// a server that answered, e.g. with a 404).
fn unreachable(error: &ImageError) -> bool {
    matches!(
        error,
        ImageError::Resolve(_) | ImageError::Connect(_) | ImageError::Timeout(_)
    )
}

impl Hosts {
    pub fn new() -> Hosts {
        Hosts::default()
    }

    fn host(&self, key: &str) -> Arc<Host> {
        Arc::clone(lock(&self.hosts).entry(key.to_owned()).or_default())
    }

    /// The addresses of `name`, looked up once per run (with `timeout`).
    pub fn lookup(
        &self,
        name: &str,
        port: u16,
        timeout: Option<Duration>,
    ) -> Result<Vec<SocketAddr>, ImageError> {
        self.lookup_with(name, port, || lookup(name, port, timeout))
    }

    /// The addresses of `name`, from `resolve` the first time only.
    fn lookup_with(
        &self,
        name: &str,
        port: u16,
        resolve: impl FnOnce() -> Result<Vec<SocketAddr>, ImageError>,
    ) -> Result<Vec<SocketAddr>, ImageError> {
        let host = self.host(&format!("dns {name}:{port}"));
        host.addrs.get_or_init(resolve).clone()
    }

    /// `Err` when `key` (`host:port`) is skipped for the rest of the run.
    pub fn check_alive(&self, key: &str) -> Result<(), ImageError> {
        let host = self.host(key);
        if !host.dead.load(Ordering::SeqCst) {
            return Ok(());
        }
        let cause = lock(&host.last_error)
            .clone()
            .unwrap_or_else(|| ImageError::Connect("unreachable".into()));
        Err(ImageError::HostSkipped {
            host: key.to_owned(),
            cause: Box::new(cause),
        })
    }

    /// Counts one exchange with `key`: a failure to reach it counts towards
    /// skipping it; anything the server answered resets the count.
    pub fn record<T>(&self, key: &str, outcome: &Result<T, ImageError>) {
        let host = self.host(key);
        match outcome {
            Err(e) if unreachable(e) => {
                *lock(&host.last_error) = Some(e.clone());
                let n = host.failures.fetch_add(1, Ordering::SeqCst) + 1;
                if n >= DEAD_AFTER && !host.dead.swap(true, Ordering::SeqCst) {
                    lock(&self.notices).push(format!(
                        "{key}: {n} failures in a row (last: {e}); skipping this host for the \
                         rest of the run, trying mirrors only"
                    ));
                }
            }
            _ => host.failures.store(0, Ordering::SeqCst),
        }
    }

    /// The agent for `key`, made by `build` the first time.
    pub fn agent(&self, key: &str, build: impl FnOnce() -> ureq::Agent) -> ureq::Agent {
        let host = self.host(key);
        let mut agent = lock(&host.agent);
        agent.get_or_insert_with(build).clone()
    }

    /// Hosts newly skipped since the last call, one line each.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.notices))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_skipped_after_failures_in_a_row_and_said_once() {
        let hosts = Hosts::new();
        let refused: Result<(), ImageError> = Err(ImageError::Connect("refused".into()));
        hosts.record("a:80", &refused);
        hosts.record("a:80", &Ok::<(), ImageError>(()));
        hosts.record("a:80", &refused);
        hosts.record("a:80", &refused);
        assert!(hosts.check_alive("a:80").is_ok(), "the count was reset");
        hosts.record("a:80", &Err::<(), _>(ImageError::Status(404)));
        hosts.record("a:80", &refused);
        hosts.record("a:80", &refused);
        hosts.record("a:80", &refused);
        let skipped = hosts.check_alive("a:80").unwrap_err();
        assert_eq!(skipped.kind(), "connect");
        assert!(hosts.check_alive("b:80").is_ok());
        hosts.record("a:80", &refused);
        assert_eq!(hosts.take_notices().len(), 1);
        assert!(hosts.take_notices().is_empty());
    }

    #[test]
    fn answers_and_failures_are_looked_up_once_per_run() {
        let hosts = Hosts::new();
        let calls = AtomicU32::new(0);
        let failing = || {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ImageError::Resolve("gone.test: no such host".into()))
        };
        let first = hosts.lookup_with("gone.test", 80, failing);
        assert!(first.is_err());
        assert_eq!(hosts.lookup_with("gone.test", 80, failing), first);
        let addr: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let found = || {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(vec![addr])
        };
        assert_eq!(hosts.lookup_with("ok.test", 80, found), Ok(vec![addr]));
        assert_eq!(hosts.lookup_with("ok.test", 80, found), Ok(vec![addr]));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
