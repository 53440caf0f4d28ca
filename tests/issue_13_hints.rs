//! Issue 13, bullet 2: the hint after a check works when pasted: paths
//! are quoted for the shell, only the files `fmt` would fix are named, the
//! flags that shaped the check are repeated; a file that would lose
//! content and one `--force-exclude` left out are named apart.

use assert_cmd::Command;

const DIRTY: &str = "---\ntitle: x\n---\n<p>Hello <b>world</b></p>\n";
const CLEAN: &str = "---\ntitle: x\n---\n\nHello **world**\n";
/// Markdown whose `<details>` block after an HTML paragraph the round-trip
/// check finds changed (as in many READMEs), so `fmt` will not write it.
const LOSSY: &str = "<p>a</p>\n\n<details>\n<summary>More</summary>\n\nhidden\n\n</details>\n";

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

/// The command after "to fix, run: " on stderr.
fn fix_command(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.split_once("to fix, run: ").map(|(_, c)| c.to_owned()))
        .unwrap_or_else(|| panic!("no fix hint in {stderr}"))
}

#[test]
fn the_pasted_hint_fixes_a_file_with_a_space_in_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("my posts");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a b.md"), DIRTY).unwrap();
    std::fs::write(folder.join("it's.md"), DIRTY).unwrap();
    std::fs::write(folder.join("clean.md"), CLEAN).unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "my posts"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let command = fix_command(&stderr);
    assert!(!command.contains("clean.md"), "{command}");
    // The hint names the binary; run it with this build's.
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let pasted = command.replacen("mdmigrate", &format!("'{}'", bin.display()), 1);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&pasted)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{pasted}");
    for name in ["a b.md", "it's.md", "clean.md"] {
        assert_eq!(
            std::fs::read_to_string(folder.join(name)).unwrap(),
            CLEAN,
            "{name}"
        );
    }
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "my posts"])
        .assert()
        .code(0);
}

#[test]
fn the_hint_repeats_the_flags_that_shaped_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let post = "---\ntitle: x\ndate: 2020-01-02\ntags: a\n---\n<p>Hi</p>\n";
    std::fs::write(dir.path().join("p.md"), post).unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "--target", "hugo", "p.md"])
        .output()
        .unwrap();
    let command = fix_command(&String::from_utf8(out.stderr).unwrap());
    assert_eq!(command, "mdmigrate fmt --target hugo p.md");
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let pasted = command.replacen("mdmigrate", &format!("'{}'", bin.display()), 1);
    let ok = std::process::Command::new("sh")
        .args(["-c", &pasted])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(ok.status.success(), "{pasted}");
    mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "--target", "hugo", "p.md"])
        .assert()
        .code(0);
}

#[test]
fn lossy_and_force_excluded_files_are_named_apart_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "exclude = [\"skip*.md\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("dirty.md"), DIRTY).unwrap();
    std::fs::write(dir.path().join("lossy.md"), LOSSY).unwrap();
    std::fs::write(dir.path().join("skip me.md"), DIRTY).unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args([
            "fmt",
            "--check",
            "--force-exclude",
            "dirty.md",
            "lossy.md",
            "skip me.md",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(fix_command(&stderr), "mdmigrate fmt dirty.md", "{stderr}");
    assert!(
        stderr.contains("lossy.md: not fixed by fmt") && stderr.contains("--allow-lossy"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skip me.md: left out by --force-exclude"),
        "{stderr}"
    );
}

#[test]
fn many_files_are_fixed_by_repeating_the_paths_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("all posts");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..25 {
        std::fs::write(folder.join(format!("p{i}.md")), DIRTY).unwrap();
    }
    std::fs::write(folder.join("lossy.md"), LOSSY).unwrap();
    let out = mdmigrate()
        .current_dir(dir.path())
        .args(["fmt", "--check", "all posts"])
        .output()
        .unwrap();
    let command = fix_command(&String::from_utf8(out.stderr).unwrap());
    assert_eq!(command, "mdmigrate fmt 'all posts'");
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let pasted = command.replacen("mdmigrate", &format!("'{}'", bin.display()), 1);
    std::process::Command::new("sh")
        .args(["-c", &pasted])
        .current_dir(dir.path())
        .output()
        .unwrap();
    for i in 0..25 {
        assert_eq!(
            std::fs::read_to_string(folder.join(format!("p{i}.md"))).unwrap(),
            CLEAN
        );
    }
    // The lossy file is left as it was.
    assert_eq!(
        std::fs::read_to_string(folder.join("lossy.md")).unwrap(),
        LOSSY
    );
}
