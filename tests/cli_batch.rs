//! `migrate` and `fmt`: modes, exit codes and safety, through the binary.

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
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read(entry.path()).unwrap()));
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

const DIRTY: &str = "\n---\ntitle: 'T'\n---\n\n<div>   \n<p>A <strong>bold</strong> post.</p> \n</div>\n            ";
const CLEAN: &str = "---\ntitle: 'T'\n---\n\nA **bold** post.\n";

#[test]
fn migrate_equals_convert_one_by_one_and_the_result_is_formatted() {
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .args(["migrate", "--jobs", "2"])
        .arg(sample())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("32 posts: 32 written"));
    let mut count = 0;
    for (rel, bytes) in tree(&sample()) {
        if !rel.ends_with(".md") {
            continue;
        }
        let converted = mdmigrate()
            .arg("convert")
            .arg(sample().join(&rel))
            .output()
            .unwrap();
        assert!(converted.status.success());
        let written = std::fs::read(out.path().join(&rel)).unwrap();
        assert_eq!(written, converted.stdout, "{rel}");
        assert_ne!(written, bytes, "{rel} was converted");
        count += 1;
    }
    assert_eq!(count, 32);
    mdmigrate()
        .args(["fmt", "--check"])
        .arg(out.path())
        .assert()
        .code(0);
}

#[test]
fn migrate_dry_run_and_diff_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    mdmigrate()
        .arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(&target)
        .arg("--dry-run")
        .assert()
        // Issue 10: a dry run exits 1 when posts would be written.
        .code(1);
    assert!(!target.exists());
    mdmigrate()
        .arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(&target)
        .arg("--diff")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+++ 新媒体/36kr/快讯/"));
    assert!(!target.exists());
}

#[test]
fn migrate_never_modifies_its_input() {
    let src = tempfile::tempdir().unwrap();
    copy_tree(&sample(), src.path());
    let before = tree(src.path());
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    assert_eq!(tree(src.path()), before);
}

#[test]
fn fmt_check_lists_changes_exits_1_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dirty.md"), DIRTY).unwrap();
    std::fs::write(dir.path().join("clean.md"), CLEAN).unwrap();
    let before = tree(dir.path());
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stdout("dirty.md\n")
        .stderr(predicate::str::contains(
            "to fix, run: mdmigrate fmt dirty.md",
        ));
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn fmt_diff_applies_with_patch_and_equals_fmt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("posts/sub dir")).unwrap();
    std::fs::write(dir.path().join("posts/sub dir/文章.md"), DIRTY).unwrap();
    std::fs::write(dir.path().join("posts/clean.md"), CLEAN).unwrap();
    let diff = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--diff", "posts"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let patched = tempfile::tempdir().unwrap();
    copy_tree(dir.path(), patched.path());
    let patch = std::process::Command::new("patch")
        .args(["-p0", "--batch", "--silent"])
        .current_dir(patched.path())
        .stdin(std::process::Stdio::piped())
        .spawn();
    let Ok(mut patch) = patch else {
        eprintln!("skipped: patch not installed");
        return;
    };
    use std::io::Write;
    patch.stdin.take().unwrap().write_all(&diff.stdout).unwrap();
    assert!(patch.wait().unwrap().success());
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "posts"])
        .assert()
        .code(0);
    assert_eq!(tree(patched.path()), tree(dir.path()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("posts/sub dir/文章.md")).unwrap(),
        CLEAN
    );
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "posts"])
        .assert()
        .code(0);
}

#[test]
fn a_bad_file_in_the_middle_fails_alone_with_its_name_and_line() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("a.md"), DIRTY).unwrap();
    std::fs::write(
        src.path().join("b.md"),
        b"---\ntitle: 'x'\n---\n<p>\xff\xfe</p>",
    )
    .unwrap();
    std::fs::write(
        src.path().join("c.md"),
        "---\ntitle: [unclosed\n---\n<p>x</p>",
    )
    .unwrap();
    std::fs::write(src.path().join("d.md"), DIRTY).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "b.md: invalid UTF-8 at byte 22 (line 4",
        ))
        .stderr(predicate::str::contains("c.md: YAML front matter"))
        .stderr(predicate::str::contains("line 2"))
        .stderr(predicate::str::contains("2 written"));
    assert_eq!(
        std::fs::read_to_string(out.path().join("a.md")).unwrap(),
        CLEAN
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("d.md")).unwrap(),
        CLEAN
    );
    assert!(!out.path().join("b.md").exists());
}

#[test]
fn an_unwritable_output_fails_every_file_clearly() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("a.md"), DIRTY).unwrap();
    let out = tempfile::tempdir().unwrap();
    // A file where the output folder should be: nothing can be written
    // below it (a permission-based read-only folder does not stop root).
    // Issue 10: the preflight finds it before any post is converted.
    let blocked = out.path().join("site");
    std::fs::write(&blocked, "not a folder").unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(&blocked)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("site: cannot write"))
        .stderr(predicate::str::contains("posts:").not());
    assert_eq!(std::fs::read_to_string(&blocked).unwrap(), "not a folder");
}

#[test]
fn colliding_output_names_are_reported_not_overwritten() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("Post.md"), DIRTY).unwrap();
    std::fs::write(src.path().join("post.html"), "<p>other</p>").unwrap();
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("collides"));
    assert!(
        tree(out.path())
            .iter()
            .all(|(rel, _)| !rel.ends_with(".md"))
    );
}

#[test]
fn symlinks_are_not_followed() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("a.md"), DIRTY).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), DIRTY).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), src.path().join("leak.md"))
        .unwrap();
    std::os::unix::fs::symlink(src.path(), src.path().join("loop")).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("leak.md: skipped: symbolic link"))
        .stderr(predicate::str::contains("1 written"));
    assert!(!out.path().join("leak.md").exists());
}

#[test]
fn reports_are_written_as_json_and_html() {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("r.json");
    let html = out.path().join("r.html");
    mdmigrate()
        .arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(out.path().join("site"))
        .arg("--dry-run")
        .arg("--report")
        .arg(&json)
        .arg("--report")
        .arg(&html)
        .assert()
        // Issue 10: a dry run exits 1 when posts would be written.
        .code(1);
    let ledger: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(ledger["totals"]["posts"], 32);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("<!DOCTYPE html>")
    );
}

#[test]
fn resume_skips_what_a_killed_run_finished_and_completes_the_rest() {
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let complete = tree(out.path());
    // Simulate a run killed half-way: some outputs missing, a torn journal
    // line and a stray temporary file.
    let journal = out.path().join(".mdmigrate-journal.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.truncate(lines.len() / 2);
    let kept: Vec<String> = lines.clone();
    std::fs::write(&journal, format!("{}\n{{\"rel\":\"torn", kept.join("\n"))).unwrap();
    let kept_rels: Vec<String> = kept
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["rel"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for (rel, _) in &complete {
        if rel.ends_with(".md") && !kept_rels.contains(rel) {
            std::fs::remove_file(out.path().join(rel)).unwrap();
        }
    }
    mdmigrate()
        .arg("migrate")
        .arg(sample())
        .arg("--out")
        .arg(out.path())
        .arg("--resume")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("{} skipped", kept.len())));
    let resumed: Vec<_> = tree(out.path())
        .into_iter()
        .filter(|(r, _)| r.ends_with(".md"))
        .collect();
    let expected: Vec<_> = complete
        .into_iter()
        .filter(|(r, _)| r.ends_with(".md"))
        .collect();
    assert_eq!(resumed, expected);
}

#[test]
fn usage_errors_exit_2_and_help_lists_exit_codes() {
    mdmigrate().args(["migrate"]).assert().code(2);
    mdmigrate()
        .args(["fmt", "--check", "--no-such-flag"])
        .assert()
        .code(2);
    mdmigrate()
        .args(["fmt", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes"));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    std::fs::write(&big, "<p>line</p>".repeat(200_000)).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' convert '{}' | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("mdmigrate").display(),
            big.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
}

#[test]
fn config_file_is_found_and_unknown_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "project_links = \"text\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.html"),
        r#"<p>A<a class="project-link" href="https://36kr.com/p/1">腾讯</a>B</p>"#,
    )
    .unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "p.html"])
        .assert()
        .success()
        .stdout("A腾讯B\n");
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "--project-links", "link", "p.html"])
        .assert()
        .success()
        .stdout("A[腾讯](https://36kr.com/p/1)B\n");
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "--dump-config", "p.html"])
        .assert()
        .success()
        .stdout(predicate::str::contains("project_links = \"text\""));
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "projct_links = \"text\"\n",
    )
    .unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["convert", "p.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("projct_links"))
        .stderr(predicate::str::contains("mdmigrate.toml"));
}
