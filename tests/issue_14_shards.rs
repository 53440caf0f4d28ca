//! Issue 14, item 3: shards on an existing engine. Four `migrate --shard
//! K/4` processes under GNU parallel, writing into one `--out` and one
//! image store, produce the tree one process produces, byte for byte, and
//! their ledgers merge into the totals of one run. Images come from a
//! loopback server only.
//!
//! The two append-only logs in the tree (the resume journal and the image
//! manifest) list the same lines in finishing order, which differs between
//! any two runs with more than one worker; they are compared as sets of
//! lines (the manifest: two shards that fetched one URL both record it,
//! with the same contents). Every other file is compared byte for byte.

mod support;
#[path = "support/tools.rs"]
mod tools;

use assert_cmd::Command;
use mdmigrate::report::ledger::Ledger;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;
use support::image_server::{Body, ImageServer, Reply};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRok";

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Posts in nested folders, posts with images (shared between posts, and
/// missing ones), two posts whose outputs collide, carried and hidden
/// files. Every image URL names the loopback server.
fn archive(src: &Path, port: u16) {
    for i in 0..40 {
        let folder = src.join(format!("{}/{}", ["a", "b", "c/d"][i % 3], i % 4));
        std::fs::create_dir_all(&folder).unwrap();
        let body =
            format!("---\ntitle: t{i}\n---\n<h2>Post {i}</h2>\n<p>Some <b>text</b> {i}.</p>\n");
        std::fs::write(folder.join(format!("post-{i}.html")), body).unwrap();
    }
    let pics = src.join("pics");
    std::fs::create_dir_all(&pics).unwrap();
    for i in 0..24 {
        let url = |n: usize| format!("http://img.test:{port}/ok{n}.png");
        let body = format!(
            "---\ntitle: p{i}\n---\n<p>x <img src=\"{}\" alt=\"a\"> <img src=\"{}\" alt=\"b\"> \
             <img src=\"http://img.test:{port}/gone{}.png\" alt=\"c\"></p>\n",
            url(i % 7),
            url(100 + i),
            i % 3
        );
        std::fs::write(pics.join(format!("post-{i:02}.md")), body).unwrap();
    }
    std::fs::write(src.join("Clash.md"), "<p>upper</p>\n").unwrap();
    std::fs::write(src.join("clash.md"), "<p>lower</p>\n").unwrap();
    std::fs::write(pics.join("photo.png"), PNG).unwrap();
    std::fs::write(src.join("data.json"), "{}\n").unwrap();
    std::fs::write(src.join(".DS_Store"), "x").unwrap();
    std::fs::write(pics.join(".hidden"), "x").unwrap();
}

fn migrate_args(src: &Path, out: &Path, port: u16) -> Vec<String> {
    let mut args: Vec<String> = vec!["migrate".into(), src.display().to_string()];
    args.extend(["--out".into(), out.display().to_string()]);
    args.extend(
        [
            "--images",
            "download",
            "--image-retries",
            "0",
            "--jobs",
            "2",
            "-q",
        ]
        .map(String::from),
    );
    args.extend(["--resolve".into(), format!("img.test:{port}:127.0.0.1")]);
    args
}

/// Every file under `root`: contents, or for the two logs the set of lines.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        let bytes = std::fs::read(entry.path()).unwrap();
        let bytes = if rel.ends_with(".jsonl") {
            let lines: BTreeSet<&[u8]> = bytes.split(|b| *b == b'\n').collect();
            lines.into_iter().collect::<Vec<_>>().join(&b'\n')
        } else {
            bytes
        };
        files.insert(rel, bytes);
    }
    files
}

#[test]
fn four_shards_under_gnu_parallel_equal_one_run() {
    let Some(parallel) = tools::require("parallel", "apt-get install -y parallel") else {
        return;
    };
    let server = ImageServer::start(|path, _| {
        if path.starts_with("/ok") {
            // Slow enough that a shard starting later finds downloads of
            // the others in flight in the shared store.
            Reply::status(200).body(Body::Drip {
                chunk: [PNG, path.as_bytes()].concat(),
                count: 4,
                interval: Duration::from_millis(60),
            })
        } else {
            Reply::status(404)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    archive(&src, server.port());
    let (one, sharded) = (dir.path().join("one"), dir.path().join("sharded"));
    let one_json = dir.path().join("one.json");

    let single = mdmigrate()
        .args(migrate_args(&src, &one, server.port()))
        .arg("--report")
        .arg(&one_json)
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(2), "the clashing posts fail");

    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let status = std::process::Command::new(parallel)
        .args(["--will-cite", "-j", "4", "--delay", "0.15"])
        .arg(&bin)
        .args(migrate_args(&src, &sharded, server.port()))
        .args(["--shard", "{}/4", "--report"])
        .arg(dir.path().join("shard-{}.json"))
        .args([":::", "0", "1", "2", "3"])
        .status()
        .unwrap();
    assert!(status.code().is_some(), "parallel ran to the end");

    let (a, b) = (tree(&one), tree(&sharded));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (rel, bytes) in &a {
        assert!(
            bytes == &b[rel],
            "{rel} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[rel])
        );
    }
    assert!(a.keys().any(|k| k.ends_with(".png")), "images were stored");

    let merged = dir.path().join("merged.json");
    let mut merge = mdmigrate();
    merge.args(["report", "merge"]);
    for k in 0..4 {
        merge.arg(dir.path().join(format!("shard-{k}.json")));
    }
    merge
        .arg("--out")
        .arg(&merged)
        .arg("--out")
        .arg(dir.path().join("merged.html"));
    merge.assert().success();
    let read = |p: &Path| -> Ledger {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let (one_ledger, merged_ledger) = (read(&one_json), read(&merged));
    let mut want = one_ledger.totals.clone();
    let mut got = merged_ledger.totals.clone();
    (want.seconds, got.seconds) = (0.0, 0.0);
    assert_eq!(got, want);
    assert!(want.images_downloaded > 0 && want.images_reused > 0 && want.images_failed > 0);
    assert_eq!((want.failed, want.hidden_skipped), (2, 2));
    let paths = |l: &Ledger| l.posts.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&merged_ledger), paths(&one_ledger));
}

#[test]
fn files_from_runs_only_the_listed_files_and_refuses_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    for name in ["a/one.md", "a/two.md", "three.md"] {
        std::fs::write(src.join(name), "<p>x</p>\n").unwrap();
    }
    let out = dir.path().join("out");
    let list = format!("{}/a/one.md\n./three.md\n", src.display());
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--files-from", "-"])
        .write_stdin(list)
        .assert()
        .success();
    assert!(out.join("a/one.md").is_file() && out.join("three.md").is_file());
    assert!(!out.join("a/two.md").exists());

    let assert = mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(dir.path().join("out2"))
        .args(["--files-from", "-"])
        .write_stdin("a/missing.md\n")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("a/missing.md: not a post or file of"),
        "{stderr}"
    );
    assert!(!dir.path().join("out2").exists());
}
