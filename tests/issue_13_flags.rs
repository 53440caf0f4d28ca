//! Issue 13, bullet 4: flag combinations that would do nothing are
//! errors (exit 2, nothing written) or warnings, never silent.

use assert_cmd::Command;
use predicates::prelude::*;

const POST: &str = "---\ntitle: x\n---\n<p>Hi <img src=\"https://img.test/a.jpg\"></p>\n";

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

/// An archive with one post, and where `--out` would go.
fn archive() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("p.md"), POST).unwrap();
    let out = dir.path().join("out");
    (dir, src, out)
}

#[test]
fn download_options_without_downloads_are_errors() {
    let (_dir, src, out) = archive();
    let cases: &[&[&str]] = &[
        &["--assets-url", "/images"],
        &["--assets-dir", "img"],
        &["--image-mirror", "https://web.archive.org/web/0id_/{url}"],
        &["--allow-host", "127.0.0.1"],
        &["--allow-svg"],
        &["--image-retries", "1"],
        &["--offline"],
        &["--resolve", "img.test:443:127.0.0.1"],
        &[
            "--images",
            "rewrite",
            "--image-rewrite",
            "a=b",
            "--assets-url",
            "/x",
        ],
    ];
    for args in cases {
        let flag = args.iter().rev().find(|a| a.starts_with("--")).unwrap();
        mdmigrate()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(&out)
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{flag} applies to --images download"
            )));
        assert!(!out.exists(), "{args:?} wrote something");
    }
}

#[test]
fn image_rewrite_without_the_rewrite_mode_is_an_error() {
    let (_dir, src, out) = archive();
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--image-rewrite", "https://img.test/{path}=/i/{path}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--image-rewrite applies to --images rewrite",
        ));
    // With the mode, the same rule applies.
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args([
            "--images",
            "rewrite",
            "--image-rewrite",
            "https://img.test/{path}=/i/{path}",
        ])
        .assert()
        .success();
    let written = std::fs::read_to_string(out.join("p.md")).unwrap();
    assert!(written.contains("](/i/a.jpg)"), "{written}");
}

#[test]
fn fmt_and_convert_refuse_images_download() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), POST).unwrap();
    for command in ["fmt", "convert"] {
        mdmigrate()
            .current_dir(dir.path())
            .args([command, "--images", "download", "p.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--images download applies to `migrate` only",
            ));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        POST
    );
}

#[test]
fn front_matter_without_a_target_warns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), POST).unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "--front-matter", "toml", "p.md"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: --front-matter has no effect with --target keep",
        ));
    mdmigrate()
        .current_dir(dir.path())
        .args([
            "convert",
            "--front-matter",
            "yaml",
            "--target",
            "zola",
            "p.md",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("has no effect with --target zola"));
    mdmigrate()
        .current_dir(dir.path())
        .args([
            "convert",
            "--front-matter",
            "toml",
            "--target",
            "hugo",
            "p.md",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    mdmigrate()
        .args(["fmt", "-q", "-v", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn image_rewrite_mode_without_rules_is_an_error_for_fmt_and_convert() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), POST).unwrap();
    for command in ["fmt", "convert"] {
        mdmigrate()
            .current_dir(dir.path())
            .args([command, "--images", "rewrite", "p.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("needs rules"));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        POST
    );
}

#[test]
fn resume_with_a_dry_run_warns() {
    let (_dir, src, out) = archive();
    mdmigrate()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--dry-run", "--resume"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "warning: --resume has no effect with --dry-run or --diff",
        ));
}

#[test]
fn allow_lossy_without_writing_warns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), POST).unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "--allow-lossy", "p.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "warning: --allow-lossy has no effect with --check",
        ));
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--allow-lossy", "p.md"])
        .assert()
        .success()
        .stderr(predicate::str::contains("--allow-lossy has no effect").not());
}
