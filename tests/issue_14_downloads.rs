//! Issue 14, item 2: downloads that fail fast. A host that cannot be
//! reached (its port refuses, or it accepts and never answers) is tried a
//! few times, then skipped for the rest of the run, said once, and every
//! other image goes straight to the mirror. Only loopback is dialed: the
//! dead and the mirror host are names pinned with `--resolve`.

mod support;

use assert_cmd::Command;
use mdmigrate::report::ledger::Ledger;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use support::image_server::{ImageServer, Reply};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRok";
const POSTS: usize = 12;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn mirror() -> ImageServer {
    ImageServer::start(|path, _| {
        if path.starts_with("/m/") {
            Reply::ok(&[PNG, path.as_bytes()].concat())
        } else {
            Reply::status(404)
        }
    })
}

/// `POSTS` posts, each with one image on `dead.test:dead_port`.
fn archive(src: &Path, dead_port: u16) {
    std::fs::create_dir_all(src).unwrap();
    for i in 0..POSTS {
        let body = format!(
            "---\ntitle: p{i}\n---\n<p>x <img src=\"http://dead.test:{dead_port}/img{i}.png\" alt=\"i\"></p>\n"
        );
        std::fs::write(src.join(format!("p{i:02}.md")), body).unwrap();
    }
}

/// Runs the migration; returns stderr and the ledger.
fn run(dir: &Path, dead_port: u16, mirror_port: u16) -> (String, Ledger) {
    let (src, out, json) = (dir.join("src"), dir.join("out"), dir.join("r.json"));
    archive(&src, dead_port);
    let assert = mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args([
            "--images",
            "download",
            "--image-retries",
            "1",
            "--image-timeout",
            "1",
        ])
        .args(["--image-concurrency", "2"])
        .arg("--image-mirror")
        .arg(format!("http://mirror.test:{mirror_port}/m/{{path}}"))
        .arg("--resolve")
        .arg(format!("dead.test:{dead_port}:127.0.0.1"))
        .arg("--resolve")
        .arg(format!("mirror.test:{mirror_port}:127.0.0.1"))
        .arg("--report")
        .arg(&json)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let ledger = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (stderr, ledger)
}

fn check(stderr: &str, ledger: &Ledger) {
    assert_eq!(
        stderr
            .matches("skipping this host for the rest of the run")
            .count(),
        1,
        "said once: {stderr}"
    );
    assert!(stderr.contains("dead.test:"), "{stderr}");
    assert_eq!(
        ledger.totals.images_downloaded, POSTS,
        "all through the mirror"
    );
    assert_eq!(ledger.totals.images_failed, 0);
}

#[test]
fn a_refusing_host_is_skipped_and_the_mirror_serves_every_image() {
    let dead_port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // closed again: connecting is refused
    let mirror = mirror();
    let dir = tempfile::tempdir().unwrap();
    let (stderr, ledger) = run(dir.path(), dead_port, mirror.port());
    check(&stderr, &ledger);
    assert_eq!(mirror.total_requests(), POSTS);
}

#[test]
fn a_host_that_accepts_and_never_answers_costs_a_few_timeouts_not_one_per_image() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let (accepted, done) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let holder = {
        let (accepted, done) = (Arc::clone(&accepted), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut held = Vec::new();
            // Bounded: the test sets `done` when the run is over.
            while !done.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        held.push(stream);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        })
    };
    let mirror = mirror();
    let dir = tempfile::tempdir().unwrap();
    let (stderr, ledger) = run(dir.path(), dead_port, mirror.port());
    done.store(true, Ordering::SeqCst);
    holder.join().unwrap();
    check(&stderr, &ledger);
    // Two workers: at most the failures that mark it dead plus the ones
    // already in flight then, never one per image.
    let tried = accepted.load(Ordering::SeqCst);
    assert!(tried <= 4, "{tried} connections to the silent host");
    let kinds: Vec<_> = ledger
        .failed_images
        .iter()
        .map(|f| f.kind.clone())
        .collect();
    assert!(kinds.is_empty(), "{kinds:?}");
}
