//! Issue 13, bullet 5: errors a person can act on: what is wrong, with
//! which path, and the flag that fixes it when there is one.

use assert_cmd::Command;
use predicates::prelude::*;

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

#[test]
fn migrate_of_one_post_points_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["p.md", "p.markdown", "p.html", "P.HTM"] {
        let post = dir.path().join(name);
        std::fs::write(&post, "<p>x</p>\n").unwrap();
        mdmigrate()
            .arg("migrate")
            .arg(&post)
            .arg("--out")
            .arg(dir.path().join("out"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is one post, not an archive folder",
            ))
            .stderr(predicate::str::contains("mdmigrate convert"));
    }
}

#[test]
fn migrate_of_another_file_does_not_suggest_convert() {
    // Other files are taken for exports (WordPress, Blogger, RSS, Atom):
    // whatever their reader makes of them, `convert` is not suggested.
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("export.xml", "<rss/>"), ("notes.txt", "not an export\n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = mdmigrate()
            .arg("migrate")
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("mdmigrate convert"), "{name}: {stderr}");
        assert!(!stderr.contains("is one post"), "{name}: {stderr}");
    }
}

#[test]
fn migrate_of_a_missing_folder_says_it_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nonexistent");
    mdmigrate()
        .arg("migrate")
        .arg(&missing)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: does not exist",
            missing.display()
        )));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn invalid_utf8_suggests_encoding_auto_and_it_works() {
    let dir = tempfile::tempdir().unwrap();
    // "中文" in GB18030.
    let post = [
        &b"---\ntitle: x\n---\n<p>"[..],
        &[0xd6, 0xd0, 0xce, 0xc4],
        b"</p>\n",
    ]
    .concat();
    std::fs::write(dir.path().join("gbk.md"), &post).unwrap();
    for command in ["convert", "fmt"] {
        mdmigrate()
            .current_dir(dir.path())
            .args([command, "gbk.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("gbk.md"))
            .stderr(predicate::str::contains("invalid UTF-8"))
            .stderr(predicate::str::contains("--encoding auto"));
    }
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "--encoding", "auto", "gbk.md"])
        .assert()
        .success()
        .stdout(predicate::str::contains("中文"));
}

#[test]
fn a_config_error_keeps_its_caret_display() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "target = \"hugo\"\nimages = 3\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("p.md"), "x\n").unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "p.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("mdmigrate.toml"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    // The offending line, and a caret under it on a line of its own.
    assert!(stderr.lines().any(|l| l.contains("images = 3")), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with('|') && l.contains('^')),
        "{stderr}"
    );
}

#[test]
fn verbose_lists_every_file_with_its_status() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dirty.md"),
        "---\ntitle: x\n---\n<p>a <b>b</b></p>\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("clean.md"), "---\ntitle: x\n---\n\nclean\n").unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "-v", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("clean.md: unchanged"))
        .stderr(predicate::str::contains("dirty.md: converted"));
    // Without -v, files are not listed one by one on stderr.
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("clean.md: unchanged").not());
}
