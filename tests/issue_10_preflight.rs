//! Issue 10, bullet 3: everything that can be checked before work is
//! checked first (report names, config, templates, mirrors, whether `--out`
//! can be created and written). A bad one exits 2 with nothing written and
//! no post converted.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn archive(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "<p>a <b>b</b></p>\n").unwrap();
    std::fs::write(
        src.join("p.html"),
        r#"<p><a class="project-link" data-id="1" href="https://36kr.com/p/1">腾讯</a></p>"#,
    )
    .unwrap();
    src
}

/// Runs migrate with `extra` and asserts exit 2, `message` on stderr, no
/// summary (no post was converted) and no `--out`.
fn refused(dir: &Path, extra: &[&str], message: &str) {
    let src = archive(dir);
    let out = dir.join("out");
    mdmigrate()
        .current_dir(dir)
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("posts:").not());
    assert!(!out.exists(), "nothing written for {extra:?}");
}

#[test]
fn a_bad_report_name_is_refused_before_any_post() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &["--report", "x.txt"],
        "x.txt: a report must end in .json or .html",
    );
}

#[test]
fn a_report_into_src_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &["--report", "src/report.json"],
        "must not be written into the source archive",
    );
}

#[test]
fn a_report_whose_folder_cannot_be_made_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blocker"), "a file").unwrap();
    refused(
        dir.path(),
        &["--report", "blocker/r.json"],
        "blocker is not a folder",
    );
}

#[test]
fn a_bad_mirror_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &[
            "--images",
            "download",
            "--image-mirror",
            "https://mirror.example/static",
        ],
        "names neither {url} nor {path}",
    );
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &["--images", "download", "--image-mirror", "ftp://m/{path}"],
        "scheme ftp",
    );
}

#[test]
fn a_bad_config_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "projct_links = 1\n").unwrap();
    refused(dir.path(), &["--config", "bad.toml"], "projct_links");
}

#[test]
fn templates_that_would_land_in_src_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &[
            "--target",
            "hugo",
            "--project-links",
            "shortcode",
            "--site-root",
            "src",
        ],
        "the template would be written into the source archive",
    );
}

#[test]
fn an_out_below_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = archive(dir.path());
    std::fs::write(dir.path().join("file"), "x").unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(dir.path().join("file/out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"))
        .stderr(predicate::str::contains("is not a folder"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("file")).unwrap(),
        "x"
    );
}

/// A read-only `--out` is found by the preflight's probe. Permission bits
/// do not stop root, so the test skips when its own probe can write there
/// (a `--out` below a file, above, is the case root cannot escape).
#[cfg(unix)]
#[test]
fn a_read_only_out_is_refused_before_work_unless_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let src = archive(dir.path());
    let out = dir.path().join("ro");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = tempfile::tempfile_in(&out);
    if probe.is_ok() {
        eprintln!("skipped: permission bits do not stop this user (root)");
        return;
    }
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"))
        .stderr(predicate::str::contains("posts:").not());
}
