//! Issue 5: a migration of the 36kr sample whose images are served by a
//! test server on 127.0.0.1 through `--image-mirror`. Every image host of
//! the sample is pinned to 127.0.0.1 with `--resolve`, where nothing
//! listens on ports 80/443, so the originals fail at once and only
//! loopback is ever dialed.

mod support;

use assert_cmd::prelude::*;
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::image_server::{ImageServer, Reply};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive")
}

/// A valid-looking image for a path: the kind depends on the path, and two
/// paths share bytes on purpose (stored once).
fn image_for(path: &str) -> Vec<u8> {
    let tag = if path.ends_with("_img_000") {
        "shared"
    } else {
        path
    };
    match path.len() % 3 {
        0 => [
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".as_slice(),
            tag.as_bytes(),
            b"\xff\xd9",
        ]
        .concat(),
        1 => [
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".as_slice(),
            tag.as_bytes(),
        ]
        .concat(),
        _ => [b"GIF89a\x01\x00\x01\x00".as_slice(), tag.as_bytes(), b";"].concat(),
    }
}

fn hosts() -> BTreeSet<String> {
    let url = Regex::new(r#"https?://([A-Za-z0-9.-]+)"#).unwrap();
    let mut hosts = BTreeSet::new();
    for entry in walkdir::WalkDir::new(sample()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            hosts.extend(url.captures_iter(&text).map(|c| c[1].to_owned()));
        }
    }
    hosts
}

fn migrate(out: &Path, port: u16) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mdmigrate"));
    cmd.arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(out)
        .args([
            "--target",
            "hugo",
            "--images",
            "download",
            "--image-retries",
            "0",
        ])
        .arg("--image-mirror")
        .arg(format!("http://127.0.0.1:{port}/{{path}}"))
        .arg("--allow-host")
        .arg(format!("127.0.0.1:{port}"));
    for host in hosts() {
        for p in [80, 443] {
            cmd.arg("--resolve").arg(format!("{host}:{p}:127.0.0.1"));
        }
    }
    cmd
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !rel.ends_with(".jsonl") {
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out
}

#[test]
fn images_are_stored_once_referenced_and_not_downloaded_twice() {
    let server = ImageServer::start(|path, _| Reply::ok(&image_for(path)));
    let out = tempfile::tempdir().unwrap();
    migrate(out.path(), server.port()).assert().success();

    let stored: Vec<(String, Vec<u8>)> = files(&out.path().join("images"));
    assert!(!stored.is_empty());
    for (rel, bytes) in &stored {
        let ext = rel.rsplit('.').next().unwrap();
        let want = match bytes[0] {
            0xff => "jpg",
            0x89 => "png",
            b'G' => "gif",
            _ => "?",
        };
        assert_eq!(ext, want, "{rel}");
    }
    let distinct: BTreeSet<&Vec<u8>> = stored.iter().map(|(_, b)| b).collect();
    assert_eq!(distinct.len(), stored.len(), "same bytes stored twice");

    let remote_image = Regex::new(r"!\[[^\]]*\]\(https?://").unwrap();
    for (rel, bytes) in files(out.path()) {
        if rel.ends_with(".md") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                !remote_image.is_match(&text),
                "{rel} still has a remote image:\n{text}"
            );
        }
    }
    let requests = server.total_requests();
    assert!(requests > 0);

    // A second run downloads nothing.
    migrate(out.path(), server.port()).assert().success();
    assert_eq!(server.total_requests(), requests);
}

#[test]
fn a_killed_download_run_resumes_to_the_same_result() {
    let reference = tempfile::tempdir().unwrap();
    let fast = ImageServer::start(|path, _| Reply::ok(&image_for(path)));
    migrate(reference.path(), fast.port()).assert().success();

    let slow = ImageServer::start(|path, _| {
        Reply::ok(&image_for(path)).delayed(std::time::Duration::from_millis(150))
    });
    let out = tempfile::tempdir().unwrap();
    let mut child = migrate(out.path(), slow.port())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let _ = child.kill();
    let _ = child.wait();
    // Whatever was left, no image sits half-written under its final name.
    for (rel, bytes) in files(&out.path().join("images")) {
        if !rel.ends_with(".part") && !rel.ends_with(".jsonl") {
            assert_eq!(
                bytes,
                image_bytes_named(&rel, &reference.path().join("images")),
                "{rel}"
            );
        }
    }

    migrate(out.path(), slow.port()).assert().success();
    let clean = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        v.into_iter()
            .filter(|(r, _)| !r.contains(".mdmigrate-") && !r.ends_with(".part"))
            .collect()
    };
    assert_eq!(clean(files(out.path())), clean(files(reference.path())));
}

/// The bytes the reference run stored under the same name.
fn image_bytes_named(rel: &str, reference_images: &Path) -> Vec<u8> {
    std::fs::read(reference_images.join(rel)).unwrap_or_default()
}

#[test]
fn page_bundles_of_the_sample_hold_every_image_their_post_shows() {
    let server = ImageServer::start(|path, _| Reply::ok(&image_for(path)));
    let out = tempfile::tempdir().unwrap();
    let bundle = |out: &Path| {
        let mut cmd = migrate(out, server.port());
        cmd.args(["--image-layout", "bundle"]);
        cmd
    };
    bundle(out.path()).assert().success();
    assert!(!out.path().join("images").exists());

    let local_image = Regex::new(r"!\[[^\]]*\]\(([^)\s]+)\)").unwrap();
    let remote_image = Regex::new(r"!\[[^\]]*\]\(<?https?://").unwrap();
    let mut posts = 0;
    for (rel, bytes) in files(out.path()) {
        if !rel.ends_with(".md") || rel.starts_with(".mdmigrate-images") {
            continue;
        }
        posts += 1;
        assert!(rel.ends_with("/index.md"), "{rel} is not a page bundle");
        let text = String::from_utf8(bytes).unwrap();
        assert!(!remote_image.is_match(&text), "{rel}:\n{text}");
        let folder = out.path().join(&rel).parent().unwrap().to_path_buf();
        let shown: BTreeSet<String> = local_image
            .captures_iter(&text)
            .map(|c| c[1].to_owned())
            .chain(
                text.lines()
                    .filter_map(|l| l.strip_prefix("  - "))
                    .filter(|l| !l.contains('/') && l.contains('.'))
                    .map(str::to_owned),
            )
            .collect();
        let present: BTreeSet<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "index.md")
            .collect();
        for name in &shown {
            assert!(!name.contains('/'), "{rel}: {name} is not beside the post");
        }
        assert_eq!(shown, present, "{rel}");
    }
    assert!(posts >= 32, "{posts} posts");
    let requests = server.total_requests();
    bundle(out.path()).assert().success();
    assert_eq!(server.total_requests(), requests, "a rerun downloaded");
}
