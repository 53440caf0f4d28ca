//! Issue 13, bullet 1: `fmt -` and `convert -` read stdin and write
//! stdout; `--stdin-filename` names the input for config lookup, excludes
//! and messages; `convert` with nothing to read on a terminal prints its
//! usage and exits 2.

use assert_cmd::Command;
use predicates::prelude::*;

const DIRTY: &str = "---\ntitle: x\n---\n<p>Hello <b>world</b></p>\n";
const CLEAN: &str = "---\ntitle: x\n---\n\nHello **world**\n";

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

#[test]
fn fmt_dash_formats_stdin_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "-"])
        .write_stdin(DIRTY)
        .assert()
        .success()
        .stdout(CLEAN);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn fmt_dash_uses_the_config_above_the_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("posts")).unwrap();
    std::fs::write(site.join("mdmigrate.toml"), "target = \"hugo\"\n").unwrap();
    let post = "---\ntitle: x\ndate: 2020-01-02\ntags: a\n---\n\nHi\n";
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "-", "--stdin-filename", "site/posts/p.md"])
        .write_stdin(post)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Hugo's front matter: a typed date and a list of tags.
    assert!(
        text.contains("date: 2020-01-02T00:00:00+00:00\ntags:\n  - a\n"),
        "{text}"
    );
    // Without the name, no config is found and the front matter is kept.
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "-"])
        .write_stdin(post)
        .assert()
        .success()
        .stdout(post);
}

#[test]
fn fmt_check_and_diff_on_stdin_name_the_stdin_filename() {
    mdmigrate()
        .args(["fmt", "--check", "-", "--stdin-filename", "posts/p.md"])
        .write_stdin(DIRTY)
        .assert()
        .code(1)
        .stdout("posts/p.md\n");
    mdmigrate()
        .args(["fmt", "--check", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .stdout("");
    mdmigrate()
        .args(["fmt", "--diff", "-", "--stdin-filename", "posts/p.md"])
        .write_stdin(DIRTY)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "--- posts/p.md\n+++ posts/p.md\n",
        ))
        .stdout(predicate::str::contains("+Hello **world**"));
}

#[test]
fn fmt_force_exclude_passes_an_excluded_stdin_through_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "exclude = [\"drafts/**\"]\n",
    )
    .unwrap();
    let run = |force: bool| {
        let mut cmd = mdmigrate();
        cmd.current_dir(dir.path())
            .args(["fmt", "-", "--stdin-filename", "drafts/p.md"]);
        if force {
            cmd.arg("--force-exclude");
        }
        cmd.write_stdin(DIRTY).output().unwrap()
    };
    let forced = run(true);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(String::from_utf8(forced.stdout).unwrap(), DIRTY);
    let named = run(false);
    assert_eq!(String::from_utf8(named.stdout).unwrap(), CLEAN);
}

#[test]
fn convert_dash_reads_stdin_as_the_stdin_filename_says() {
    // `.html` makes the whole input HTML, as for a file of that name.
    mdmigrate()
        .args(["convert", "-", "--stdin-filename", "page.html"])
        .write_stdin("<h2>T</h2><p>a <i>b</i></p>")
        .assert()
        .success()
        .stdout("## T\n\na *b*\n");
    mdmigrate()
        .args([
            "convert",
            "-",
            "--stdin-filename",
            "bad.md",
            "--encoding",
            "utf8",
        ])
        .write_stdin(&b"---\ntitle: x\n---\n\xff\n"[..])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.md: invalid UTF-8"));
}

#[test]
fn stdin_filename_without_a_dash_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), CLEAN).unwrap();
    for command in ["convert", "fmt"] {
        mdmigrate()
            .current_dir(dir.path())
            .args([command, "a.md", "--stdin-filename", "b.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--stdin-filename names stdin"));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        CLEAN
    );
}

/// Runs `command` with a pseudo-terminal as stdin and stdout (util-linux
/// `script`); `None` when `script` is not installed.
fn on_a_terminal(command: &str) -> Option<(i32, String)> {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is needed under CI"
        );
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let out = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

#[test]
fn convert_with_no_input_on_a_terminal_prints_usage_and_exits_2() {
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let command = format!("timeout 20 '{}' convert", bin.display());
    let Some((code, text)) = on_a_terminal(&command) else {
        return;
    };
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("Usage: mdmigrate convert"), "{text}");
    assert!(text.contains("`-` to read stdin"), "{text}");
}
