//! Issue 10, bullets 4 and 5: file modes as users expect (new files 0666
//! minus the umask, `fmt` keeps a file's mode) and one mode model for `fmt`
//! and `migrate`: write, check, diff, check+diff. `migrate --dry-run` and
//! `--diff` compare with what is already in `--out`: 0 nothing would
//! change, 1 something would, 2 an error.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

const DIRTY: &str = "---\ntitle: T\n---\n<p>A <strong>bold</strong> post.</p>\n";

fn archive(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("a.md"), DIRTY).unwrap();
    std::fs::write(src.join("sub/b.html"), "<p>b <em>c</em></p>\n").unwrap();
    std::fs::write(src.join("sub/data.csv"), "x,y\n").unwrap();
    src
}

/// `migrate` run through `sh` under `umask`.
#[cfg(unix)]
fn migrate_with_umask(umask: &str, src: &Path, out: &Path) {
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask {umask}; exec '{}' migrate '{}' --out '{}'",
            bin.display(),
            src.display(),
            out.display()
        ))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
        .status;
    assert!(status.success());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn new_files_get_0666_minus_the_umask() {
    for (umask, expected) in [("022", 0o644), ("002", 0o664), ("077", 0o600)] {
        let dir = tempfile::tempdir().unwrap();
        let src = archive(dir.path());
        let out = dir.path().join("out");
        migrate_with_umask(umask, &src, &out);
        for rel in [
            "a.md",
            "sub/b.md",
            "sub/data.csv",
            ".mdmigrate-journal.jsonl",
        ] {
            assert_eq!(mode(&out.join(rel)), expected, "{rel} under umask {umask}");
        }
    }
}

#[cfg(unix)]
#[test]
fn fmt_keeps_a_files_own_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    std::fs::write(&post, DIRTY).unwrap();
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o640)).unwrap();
    mdmigrate().arg("fmt").arg(&post).assert().success();
    assert_eq!(mode(&post), 0o640);
    assert!(std::fs::read_to_string(&post).unwrap().contains("**bold**"));
}

fn migrate(src: &Path, out: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    mdmigrate()
        .arg("migrate")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args(flags)
        .assert()
}

#[test]
fn migrate_dry_run_proves_a_migrated_tree_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let src = archive(dir.path());
    let out = dir.path().join("out");
    // Nothing there yet: everything would be written.
    migrate(&src, &out, &["--dry-run"])
        .code(1)
        .stdout("a.md\nsub/b.html\n")
        .stderr(predicate::str::contains("2 would be written"))
        .stderr(predicate::str::contains("1 would be copied"));
    assert!(!out.exists());
    migrate(&src, &out, &[]).code(0);
    // Up to date: exit 0, nothing listed, nothing printed as a diff.
    migrate(&src, &out, &["--dry-run"]).code(0).stdout("");
    migrate(&src, &out, &["--diff"]).code(0).stdout("");
    // An output edited by hand: it would be rewritten.
    std::fs::write(out.join("sub/b.md"), "edited\n").unwrap();
    migrate(&src, &out, &["--dry-run"])
        .code(1)
        .stdout("sub/b.html\n");
    migrate(&src, &out, &["--diff"])
        .code(1)
        .stdout(predicate::str::contains("+b *c*"));
    // A carried file that differs also counts.
    migrate(&src, &out, &[]).code(0);
    std::fs::write(out.join("sub/data.csv"), "changed").unwrap();
    migrate(&src, &out, &["--dry-run"])
        .code(1)
        .stderr(predicate::str::contains("1 would be copied"));
    assert_eq!(
        std::fs::read_to_string(out.join("sub/data.csv")).unwrap(),
        "changed"
    );
}

#[test]
fn migrate_check_and_diff_together_print_a_diff_and_list_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let src = archive(dir.path());
    let out = dir.path().join("out");
    migrate(&src, &out, &["--dry-run", "--diff"])
        .code(1)
        .stdout(predicate::str::contains("+++ a.md"))
        .stderr(predicate::str::contains("would change: a.md"))
        .stderr(predicate::str::contains("would change: sub/b.html"));
    assert!(!out.exists());
}

#[test]
fn migrate_dry_run_exits_2_on_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = archive(dir.path());
    std::fs::write(src.join("bad.md"), b"<p>\xff</p>\n").unwrap();
    migrate(&src, &dir.path().join("out"), &["--dry-run"])
        .code(2)
        .stderr(predicate::str::contains("bad.md"));
}

#[test]
fn fmt_check_and_diff_together_like_ruff() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dirty.md"), DIRTY).unwrap();
    std::fs::write(
        dir.path().join("clean.md"),
        "---\ntitle: T\n---\n\nClean.\n",
    )
    .unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "--diff", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.starts_with("--- dirty.md"), "{stdout}");
    assert!(stderr.contains("would change: dirty.md"), "{stderr}");
    assert!(!stderr.contains("clean.md"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dirty.md")).unwrap(),
        DIRTY,
        "nothing written"
    );
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "--diff", "clean.md"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn help_states_the_mode_model() {
    mdmigrate()
        .args(["migrate", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exit 0 when nothing would change, 1 when something would",
        ))
        .stdout(predicate::str::contains("--other-files"))
        .stdout(predicate::str::contains("--dry-run or --diff found files"));
}

/// With `--images download`, a dry run looks up what the last run stored
/// (no network): a tree that is up to date compares equal, for the shared
/// store and for page bundles.
#[test]
fn a_dry_run_with_downloads_needs_no_network_to_say_up_to_date() {
    use support::image_server::{ImageServer, Reply};
    let server = ImageServer::start(|_, _| Reply::ok(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRok"));
    for layout in ["shared", "page-bundle"] {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        let url = format!("http://img.test:{}/a.png", server.port());
        std::fs::write(
            src.join("p.md"),
            format!("---\ntitle: p\n---\n<p>x <img src=\"{url}\" alt=\"a\"></p>\n"),
        )
        .unwrap();
        let out = dir.path().join("out");
        let resolve = format!("img.test:{}:127.0.0.1", server.port());
        let flags = [
            "--images",
            "download",
            "--image-layout",
            layout,
            "--resolve",
            &resolve,
        ];
        let before = server.total_requests();
        migrate(&src, &out, &[&flags[..], &["--dry-run"]].concat())
            .code(1)
            .stdout("p.md\n");
        assert_eq!(
            server.total_requests(),
            before,
            "a dry run downloads nothing"
        );
        migrate(&src, &out, &flags).code(0);
        let fetched = server.total_requests();
        assert!(fetched > before);
        migrate(&src, &out, &[&flags[..], &["--dry-run"]].concat())
            .code(0)
            .stdout("");
        assert_eq!(server.total_requests(), fetched, "{layout}: no network");
        if layout == "page-bundle" {
            // A deleted image copy: a write would put it back.
            std::fs::remove_file(out.join("p/a.png")).unwrap();
            migrate(&src, &out, &[&flags[..], &["--dry-run"]].concat())
                .code(1)
                .stdout("p.md\n");
            migrate(&src, &out, &flags).code(0);
            assert!(out.join("p/a.png").is_file());
        }
    }
}
