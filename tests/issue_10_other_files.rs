//! Issue 10, bullet 2: the whole archive. Every file that is not a post is
//! carried to the same relative path (same bytes), counted as `copied`;
//! dot-files are skipped with a count; symbolic links are reported, not
//! followed; relative references that resolved in SRC resolve in `--out`
//! (rewritten for posts a page bundle moves) or are reported as
//! `broken-reference`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRpicture";

/// A Hexo archive: a post with its asset folder, an attachment, a data
/// file and the junk of a working copy.
fn hexo_archive(src: &Path) {
    write(
        &src.join("_posts/hello.md"),
        b"---\ntitle: Hello\n---\n<p>Look: <img src=\"hello/pic.png\" alt=\"pic\"></p>\n<p><a href=\"../files/notes.pdf\">notes</a></p>\n",
    );
    write(&src.join("_posts/hello/pic.png"), PNG);
    write(&src.join("files/notes.pdf"), b"%PDF-1.4 notes");
    write(&src.join("_data/menu.yml"), b"- home\n");
    write(&src.join(".git/HEAD"), b"ref: refs/heads/main\n");
    write(&src.join(".DS_Store"), b"junk");
}

#[test]
fn a_hexo_asset_folder_and_attachments_are_carried_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    hexo_archive(&src);
    let json = dir.path().join("r.json");
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(&json)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "other files: 3 copied, 0 failed; 2 dot-files",
        ))
        .stderr(predicate::str::contains("broken-reference").not());
    assert_eq!(
        std::fs::read(out.join("_posts/hello/pic.png")).unwrap(),
        PNG
    );
    assert_eq!(
        std::fs::read(out.join("files/notes.pdf")).unwrap(),
        b"%PDF-1.4 notes"
    );
    assert_eq!(
        std::fs::read(out.join("_data/menu.yml")).unwrap(),
        b"- home\n"
    );
    assert!(!out.join(".git").exists());
    assert!(!out.join(".DS_Store").exists());
    let post = std::fs::read_to_string(out.join("_posts/hello.md")).unwrap();
    assert!(post.contains("![pic](hello/pic.png)"), "{post}");
    let ledger: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(ledger["totals"]["copied"], 3);
    assert_eq!(ledger["totals"]["hidden_skipped"], 2);
    assert_eq!(ledger["files"].as_array().unwrap().len(), 3);
    // A second run copies nothing again.
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("other files: 0 copied"));
}

#[test]
fn other_files_skip_leaves_them_out_and_says_what_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    hexo_archive(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--other-files", "skip"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "_posts/hello.md: broken-reference: hello/pic.png reaches _posts/hello/pic.png in SRC but nothing in --out",
        ))
        .stderr(predicate::str::contains("../files/notes.pdf reaches files/notes.pdf"));
    assert!(out.join("_posts/hello.md").is_file());
    assert!(!out.join("_posts/hello/pic.png").exists());
    assert!(!out.join("files").exists());
}

#[test]
fn a_page_bundle_rewrites_relative_images_and_reports_what_cannot_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    write(
        &src.join("posts/trip.md"),
        b"---\ntitle: Trip\n---\n<p><img src=\"trip-pics/a.png\" alt=\"a\"> <a href=\"other.html\">other</a> <a href=\"https://example.com/x\">web</a></p>\n",
    );
    write(&src.join("posts/trip-pics/a.png"), PNG);
    write(&src.join("posts/other.html"), b"<p>other post</p>\n");
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--images", "download", "--offline", "--image-layout", "page-bundle"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "posts/trip.md: broken-reference: other.html reaches posts/other.html in SRC but nothing in --out",
        ))
        // A file of the archive is carried, not downloaded.
        .stderr(predicate::str::contains("image failed").not());
    let post = std::fs::read_to_string(out.join("posts/trip/index.md")).unwrap();
    assert!(post.contains("![a](../trip-pics/a.png)"), "{post}");
    assert_eq!(
        std::fs::read(out.join("posts/trip-pics/a.png")).unwrap(),
        PNG
    );
}

/// A link to a carried file follows a post that a page bundle moves, and
/// verification reads the source link through the same rewrite.
#[test]
fn issue_10_a_page_bundle_rewrites_relative_links_to_carried_files() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    write(
        &src.join("posts/trip.md"),
        b"---\ntitle: Trip\n---\n<p>Read <a href=\"files/notes.pdf#p2\">the notes</a> and <a href=\"../top.txt\">top</a>.</p>\n",
    );
    write(&src.join("posts/files/notes.pdf"), b"%PDF-1.4 notes");
    write(&src.join("top.txt"), b"top");
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args([
            "--images",
            "download",
            "--offline",
            "--image-layout",
            "page-bundle",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("broken-reference").not())
        .stderr(
            predicate::str::contains("lossy")
                .not()
                .or(predicate::str::contains("0 lossy")),
        );
    let post = std::fs::read_to_string(out.join("posts/trip/index.md")).unwrap();
    assert!(
        post.contains("[the notes](../files/notes.pdf#p2)"),
        "{post}"
    );
    assert!(post.contains("[top](../../top.txt)"), "{post}");
    assert!(out.join("posts/files/notes.pdf").is_file());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_and_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    write(&src.join("a.md"), b"<p>a</p>\n");
    let secret = dir.path().join("secret.txt");
    write(&secret, b"secret");
    std::os::unix::fs::symlink(&secret, src.join("leak.txt")).unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("leak.txt: skipped: symbolic link"));
    assert!(!out.join("leak.txt").exists());
}

#[test]
fn a_file_where_a_post_is_written_is_not_copied_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    write(&src.join("a.html"), b"<p>the post</p>\n");
    write(&src.join("a.md"), b"not a post here");
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--include", "**/*.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a.md: not copied: the post output a.md",
        ));
    assert_eq!(
        std::fs::read_to_string(out.join("a.md")).unwrap(),
        "the post\n"
    );
}
