//! Issue 10, bullet 6: failures are visible. Every failed image (URL, post,
//! kind of reason) is in the JSON ledger and the HTML report; stderr lists
//! the first ones with a count of the rest, all of them with `-v`. A resume
//! journal that cannot be written is an error. Only loopback is dialed.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use support::image_server::{Body, ImageServer, Reply};

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRok";

fn server() -> ImageServer {
    ImageServer::start(|path, _| {
        if path.starts_with("/ok") {
            Reply::ok(PNG)
        } else if path.starts_with("/html") {
            Reply::status(200).body(Body::Bytes(b"<!DOCTYPE html><p>login</p>".to_vec()))
        } else {
            Reply::status(404)
        }
    })
}

/// Eight posts: one good image, five missing (404), one HTML page, and one
/// image on a loopback literal the address policy refuses.
fn archive(src: &Path, port: u16) {
    std::fs::create_dir_all(src).unwrap();
    let mut posts = vec![
        ("good.md", format!("http://img.test:{port}/ok.png")),
        ("page.md", format!("http://img.test:{port}/html.png")),
        ("local.md", format!("http://127.0.0.1:{port}/ok2.png")),
    ];
    for i in 0..5 {
        posts.push(("", format!("http://img.test:{port}/gone{i}.png")));
    }
    for (i, (name, url)) in posts.into_iter().enumerate() {
        let name = if name.is_empty() {
            format!("missing{i}.md")
        } else {
            name.to_owned()
        };
        std::fs::write(
            src.join(name),
            format!("---\ntitle: p{i}\n---\n<p>x <img src=\"{url}\" alt=\"i\"></p>\n"),
        )
        .unwrap();
    }
}

fn run(src: &Path, out: &Path, port: u16, extra: &[&str]) -> assert_cmd::assert::Assert {
    mdmigrate()
        .arg("migrate")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args([
            "--images",
            "download",
            "--image-retries",
            "0",
            "--jobs",
            "2",
        ])
        .arg("--resolve")
        .arg(format!("img.test:{port}:127.0.0.1"))
        .args(extra)
        .assert()
}

#[test]
fn every_failed_image_is_in_the_ledger_the_report_and_stderr() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    archive(&src, server.port());
    let json = dir.path().join("r.json");
    let html = dir.path().join("r.html");
    let reports = [
        "--report",
        json.to_str().unwrap(),
        "--report",
        html.to_str().unwrap(),
    ];
    let assert = run(&src, &out, server.port(), &reports).success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let listed = stderr.matches(": image failed (").count();
    assert_eq!(listed, 5, "the first five: {stderr}");
    assert!(stderr.contains("… and 2 more failed images"), "{stderr}");
    assert!(
        stderr.contains("images: 1 downloaded, 0 reused, 7 failed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("image failed (http-status): http://img.test"),
        "{stderr}"
    );

    let ledger: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let failed = ledger["failed_images"].as_array().unwrap();
    assert_eq!(failed.len(), 7);
    let kind_of = |post: &str| {
        failed
            .iter()
            .find(|f| f["post"] == post)
            .map(|f| f["kind"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind_of("page.md").as_deref(), Some("not-an-image"));
    assert_eq!(kind_of("local.md").as_deref(), Some("refused"));
    assert_eq!(kind_of("missing3.md").as_deref(), Some("http-status"));
    assert!(
        failed
            .iter()
            .all(|f| f["url"].as_str().unwrap().starts_with("http://"))
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h2>Failed images (7)</h2>"));
    assert!(page.contains("not-an-image"));

    // With -v every one is listed.
    let out2 = dir.path().join("out2");
    run(&src, &out2, server.port(), &["-v"])
        .success()
        .stderr(predicate::str::contains(": image failed (").count(7))
        .stderr(predicate::str::contains("more failed images").not());
    // With -q, errors only.
    run(&src, &dir.path().join("out3"), server.port(), &["-q"])
        .success()
        .stderr("");
}

#[test]
fn an_unwritable_resume_journal_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "<p>a</p>\n").unwrap();
    // A folder where the journal file should be: it cannot be opened for
    // appending, even by root.
    std::fs::create_dir_all(out.join(".mdmigrate-journal.jsonl")).unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot use the resume journal"))
        .stderr(predicate::str::contains(".mdmigrate-journal.jsonl"))
        .stderr(predicate::str::contains("posts:").not());
    assert!(
        !out.join("a.md").exists(),
        "found before any post was written"
    );
}

/// A journal that can be read but not appended to fails each post it
/// cannot record (the library's own check, past the preflight).
#[cfg(unix)]
#[test]
fn a_journal_that_cannot_be_appended_fails_the_post() {
    use mdmigrate::batch::discover::{Filter, discover};
    use mdmigrate::batch::images::ImagePlan;
    use mdmigrate::batch::{Destination, Mode, Settings, Silent, run};
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "<p>a</p>\n").unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let (jobs, _) = discover(&src, &Filter::new(&["**/*.md".into()], &[]).unwrap());
    let settings = Settings {
        post: Default::default(),
        mode: Mode::Write,
        allow_lossy: false,
        jobs: 1,
        resume: false,
        config_hash: String::new(),
        images: ImagePlan::Keep,
        keep_records: true,
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    let journal = out.join(".mdmigrate-journal.jsonl");
    // A dangling link into a folder that does not exist: nothing to read,
    // and appending cannot create it, even as root.
    std::os::unix::fs::symlink(dir.path().join("gone/journal"), &journal).unwrap();
    let finished = run(
        &jobs,
        &Destination::mirror(out.clone()),
        &settings,
        &Silent,
        &stop,
    );
    assert_eq!(finished.totals.failed, 1, "{:?}", finished.records);
    let error = finished.records[0].error.as_deref().unwrap();
    assert!(error.contains("cannot use the resume journal"), "{error}");
}
