//! Concurrency plumbing: a small std-thread worker pool and a per-host limit.
//!
//! [`run_pool`] runs jobs on at most `workers` scoped threads and hands each
//! message they send to a callback on the CALLING thread, so the caller's
//! progress reporting and manifest writes stay single-threaded.
//! [`HostLimiter`] caps simultaneous requests to one host. Neither knows
//! anything about HTTP or images.

use std::collections::{HashMap, VecDeque};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Lock a mutex, ignoring poisoning (a panicking worker must not cascade).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Run `work(job, send)` for every job on up to `workers` threads; every
/// message passed to `send` is delivered to `on_message` on this thread.
pub fn run_pool<J, M, W, H>(jobs: Vec<J>, workers: usize, work: W, mut on_message: H)
where
    J: Send,
    M: Send,
    W: Fn(J, &dyn Fn(M)) + Sync,
    H: FnMut(M),
{
    let workers = workers.max(1).min(jobs.len());
    let queue = Mutex::new(jobs.into_iter().collect::<VecDeque<J>>());
    let (tx, rx) = mpsc::channel::<M>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (queue, work) = (&queue, &work);
            scope.spawn(move || {
                let send = |m: M| {
                    let _ = tx.send(m);
                };
                // The queue's lock is released before the work: in a
                // `while let` the guard would live through the body and let
                // one worker run at a time.
                loop {
                    let next = lock(queue).pop_front();
                    let Some(job) = next else { break };
                    work(job, &send);
                }
            });
        }
        drop(tx);
        for message in rx {
            on_message(message);
        }
    });
}

/// Limits concurrent requests per host key (e.g. `host:port`).
#[derive(Debug)]
pub struct HostLimiter {
    max: usize,
    active: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

/// Held while a request to a host is in flight; releases the slot on drop.
#[derive(Debug)]
pub struct HostPermit<'a> {
    limiter: &'a HostLimiter,
    key: String,
}

impl HostLimiter {
    /// A limiter allowing `max` (at least 1) concurrent requests per host.
    pub fn new(max: usize) -> HostLimiter {
        HostLimiter {
            max: max.max(1),
            active: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Block until a slot for `key` is free and take it.
    pub fn acquire(&self, key: &str) -> HostPermit<'_> {
        let mut active = lock(&self.active);
        while active.get(key).copied().unwrap_or(0) >= self.max {
            active = self
                .freed
                .wait(active)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *active.entry(key.to_string()).or_insert(0) += 1;
        HostPermit {
            limiter: self,
            key: key.to_string(),
        }
    }
}

impl Drop for HostPermit<'_> {
    fn drop(&mut self) {
        let mut active = lock(&self.limiter.active);
        if let Some(n) = active.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                active.remove(&self.key);
            }
        }
        drop(active);
        self.limiter.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn pool_delivers_all_messages_and_respects_host_limit() {
        let limiter = HostLimiter::new(2);
        let current = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let mut got = Vec::new();
        run_pool(
            (0..12).collect(),
            6,
            |job: usize, send: &dyn Fn(usize)| {
                let _permit = limiter.acquire("h");
                let now = current.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
                current.fetch_sub(1, Ordering::SeqCst);
                send(job * 10);
            },
            |m| got.push(m),
        );
        got.sort_unstable();
        assert_eq!(got, (0..12).map(|j| j * 10).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 2);
    }

    #[test]
    fn workers_run_at_once() {
        let limiter = HostLimiter::new(8);
        let (current, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        run_pool(
            (0..8).collect(),
            4,
            |_job: usize, _send: &dyn Fn(())| {
                let _permit = limiter.acquire("h");
                let now = current.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                current.fetch_sub(1, Ordering::SeqCst);
            },
            |()| {},
        );
        // Four workers sleeping 50 ms each overlap, unless one lock
        // serializes them (it did: the queue's guard lived through the work).
        assert!(peak.load(Ordering::SeqCst) >= 2, "peak {peak:?}");
    }

    #[test]
    fn empty_pool_is_fine() {
        run_pool(Vec::<u8>::new(), 4, |_, _: &dyn Fn(u8)| {}, |_| {});
    }
}
