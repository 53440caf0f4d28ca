//! Issue 10, bullet 1: `migrate` never harms its source. `--out` equal to
//! SRC (by path or through a symbolic link), or an output that would land
//! on an input, is refused before anything is read; `--out` inside SRC is
//! left out of discovery, so reruns find the same posts.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive")
}

/// Every file under `dir`, relative, sorted, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.push((
                rel.to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    out
}

fn copy_sample(to: &Path) {
    for (rel, bytes) in tree(&sample()) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn out_equal_to_src_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_sample(&src);
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&src)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out is the source archive"))
        .stderr(predicate::str::contains("posts:").not());
    assert_eq!(tree(&src), before);
}

#[cfg(unix)]
#[test]
fn out_reaching_src_through_a_symlink_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_sample(&src);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&src, &link).unwrap();
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("symbolic link"));
    // SRC named through the link, --out named directly: the same folder.
    mdmigrate()
        .arg("migrate")
        .arg(&link)
        .arg("--out")
        .arg(&src)
        .assert()
        .code(2);
    assert_eq!(tree(&src), before);
}

#[test]
fn out_inside_src_is_left_out_so_reruns_find_the_same_posts() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_sample(&src);
    let before = tree(&src);
    for run in 0..3 {
        let expected = if run == 0 {
            "32 posts: 32 written"
        } else {
            "32 posts: 0 written, 32 unchanged"
        };
        mdmigrate()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(src.join("out"))
            .assert()
            .success()
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("out/ is left out").count(1));
    }
    let after: Vec<_> = tree(&src)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("out/"))
        .collect();
    assert_eq!(after, before, "SRC outside out/ is untouched");
}

#[test]
fn src_inside_out_is_refused_when_an_output_would_land_on_an_input() {
    let dir = tempfile::tempdir().unwrap();
    // SRC = site/posts, and SRC itself holds a folder `posts/`: the output
    // of `posts/a.md` would be site/posts/a.md, an input.
    let site = dir.path().join("site");
    let src = site.join("posts");
    std::fs::create_dir_all(src.join("posts")).unwrap();
    std::fs::write(src.join("posts/a.md"), "<p>inner</p>\n").unwrap();
    std::fs::write(src.join("a.md"), "<p>outer</p>\n").unwrap();
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would land on an input"));
    assert_eq!(tree(&src), before);
    assert_eq!(tree(&site).len(), before.len(), "nothing written");
}

#[test]
fn src_inside_out_is_allowed_when_no_output_lands_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let src = site.join("old");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "<p>a <b>post</b></p>\n").unwrap();
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&site)
        .assert()
        .success();
    assert_eq!(tree(&src), before);
    assert_eq!(
        std::fs::read_to_string(site.join("a.md")).unwrap(),
        "a **post**\n"
    );
}

#[test]
fn an_assets_dir_inside_src_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "<p>x</p>\n").unwrap();
    let out = dir.path().join("out");
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--images", "download", "--offline", "--assets-dir"])
        .arg(src.join("img"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--assets-dir lies in the source archive",
        ));
    assert!(!out.exists());
    assert!(!src.join("img").exists());
}

/// Defence in depth: the write layer itself refuses to replace an input,
/// whatever the caller planned.
#[test]
fn the_write_layer_refuses_an_input_of_the_run() {
    use mdmigrate::batch::write::{Guard, write_guarded};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("post.md");
    std::fs::write(&input, "original").unwrap();
    let guard = Guard::over([input.as_path()]);
    let through_dot = dir.path().join(".").join("post.md");
    let err = write_guarded(&through_dot, b"harm", false, &guard).unwrap_err();
    assert!(err.to_string().contains("input of this run"), "{err}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "original");
    #[cfg(unix)]
    {
        let link = dir.path().join("alias");
        std::os::unix::fs::symlink(dir.path(), &link).unwrap();
        assert!(write_guarded(&link.join("post.md"), b"harm", false, &guard).is_err());
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "original");
    }
    write_guarded(&dir.path().join("other.md"), b"fine", false, &guard).unwrap();
}

#[test]
fn src_inside_out_is_refused_when_a_posts_image_folder_would_be_src() {
    let dir = tempfile::tempdir().unwrap();
    // Post `a/foo.md` is written at site/a/foo.md; with the post-folder
    // layout its images would go to site/a/foo/, which is SRC.
    let site = dir.path().join("site");
    let src = site.join("a/foo");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("a/foo.md"), "<p>x</p>\n").unwrap();
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&site)
        .args([
            "--images",
            "download",
            "--offline",
            "--image-layout",
            "post-folder",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would land on an input"));
    assert_eq!(tree(&src), before);
    assert!(!site.join("a/foo.md").exists());
}

/// A symbolic link inside an existing `--out` that leads into SRC: the
/// write layer refuses to create files through it.
#[cfg(unix)]
#[test]
fn a_link_inside_out_cannot_lead_a_write_into_src() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/a.html"), "<p>a</p>\n").unwrap();
    std::fs::write(src.join("sub/pic.png"), "png").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(src.join("sub"), out.join("sub")).unwrap();
    let before = tree(&src);
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "lies in SRC; refusing to write it",
        ));
    assert_eq!(tree(&src), before, "no file created or changed in SRC");
}
