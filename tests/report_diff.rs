//! `report::diff::unified` must produce diffs that real tools apply:
//! each case is applied with `patch -p0` and with `git apply -p0` in a
//! fresh temp dir, and the patched file must equal the new text byte for
//! byte.

use std::fs;
use std::path::Path;
use std::process::Command;

use mdmigrate::report::diff::unified;

#[derive(Clone, Copy, Debug)]
enum Tool {
    Patch,
    GitApply,
}

/// Writes `old` at `dir/path`, applies the diff from `dir`, returns the file.
fn apply(tool: Tool, path: &str, old: &str, new: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = root.join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(&file, old).unwrap();
    let diff = unified(path, path, old, new);
    let diff_file = dir.path().join("change.diff");
    fs::write(&diff_file, &diff).unwrap();
    let output = command(tool, root, &diff_file).output().unwrap();
    assert!(
        output.status.success(),
        "{tool:?} failed on {path:?}\n--- diff ---\n{diff}\n--- stderr ---\n{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout),
    );
    fs::read_to_string(&file).unwrap()
}

fn command(tool: Tool, root: &Path, diff_file: &Path) -> Command {
    match tool {
        Tool::Patch => {
            let mut patch = Command::new("patch");
            patch
                .args(["-p0", "--batch", "--forward", "-i"])
                .arg(diff_file);
            patch.current_dir(root);
            patch
        }
        Tool::GitApply => {
            // A repository of its own, so a temp dir inside some other
            // checkout cannot change what the paths are relative to.
            let init = Command::new("git")
                .args(["init", "-q"])
                .current_dir(root)
                .status();
            assert!(init.unwrap().success());
            let mut git = Command::new("git");
            git.args(["apply", "-p0"]).arg(diff_file).current_dir(root);
            git
        }
    }
}

fn round_trip(path: &str, old: &str, new: &str) {
    for tool in [Tool::Patch, Tool::GitApply] {
        let patched = apply(tool, path, old, new);
        assert_eq!(patched, new, "{tool:?} on {path:?}");
    }
}

#[test]
fn equal_texts_give_an_empty_diff() {
    assert_eq!(unified("a.md", "a.md", "same\n", "same\n"), "");
    assert_eq!(unified("a.md", "a.md", "", ""), "");
}

#[test]
fn headers_and_three_lines_of_context() {
    let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    let expected = "\
--- posts/a.md
+++ posts/a.md
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
";
    assert_eq!(unified("posts/a.md", "posts/a.md", old, new), expected);
}

#[test]
fn simple_edit_applies() {
    round_trip("posts/a.md", "a\nb\nc\n", "a\nB\nc\n");
}

#[test]
fn distant_changes_make_separate_hunks_that_apply() {
    let old: String = (1..=40).map(|n| format!("line {n}\n")).collect();
    let new = old
        .replace("line 3\n", "line three\n")
        .replace("line 35\n", "");
    let diff = unified("a.md", "a.md", &old, &new);
    assert_eq!(diff.matches("\n@@ ").count(), 2, "{diff}");
    round_trip("a.md", &old, &new);
}

#[test]
fn missing_final_newline_in_old_new_or_both() {
    round_trip("a.md", "a\nb", "a\nb\n");
    round_trip("a.md", "a\nb\n", "a\nb");
    // Neither side ends with a newline: the marker must still be written.
    round_trip("a.md", "a\nb", "a\nc");
    let diff = unified("a.md", "a.md", "a\nb", "a\nc");
    assert!(
        diff.ends_with("+c\n\\ No newline at end of file\n"),
        "{diff}"
    );
}

#[test]
fn crlf_content_survives_byte_for_byte() {
    round_trip("a.md", "one\r\ntwo\r\nthree\r\n", "one\r\n2\r\nthree\r\n");
    round_trip("a.md", "one\r\ntwo\r\nthree", "one\ntwo\nthree\n");
    round_trip("a.md", "lone\rcarriage\nreturn\n", "lone\rcarriage\nturn\n");
}

#[test]
fn empty_old_or_new_and_unicode_content() {
    round_trip("a.md", "", "# 标题\n\n正文 ✓\n");
    // Both tools keep a file that a diff empties; neither deletes it.
    round_trip("a.md", "a\n", "");
    round_trip("a.md", "# 标题\n正文\n", "# 标题\n\n正文，改了\n");
}

#[test]
fn path_with_spaces_ends_with_a_tab() {
    let diff = unified("my posts/a b.md", "my posts/a b.md", "a\n", "b\n");
    assert!(
        diff.starts_with("--- my posts/a b.md\t\n+++ my posts/a b.md\t\n"),
        "{diff}"
    );
    round_trip("my posts/a b.md", "a\nb\n", "a\nc\n");
}

#[test]
fn chinese_paths_stay_readable() {
    let diff = unified("文章/中文.md", "文章/中文.md", "a\n", "b\n");
    assert!(diff.starts_with("--- 文章/中文.md\n"), "{diff}");
    round_trip("文章/中文.md", "a\nb\n", "a\nc\n");
    round_trip("文章/中文 标题.md", "a\nb\n", "a\nc\n");
}

#[test]
fn quotes_and_backslashes_are_c_quoted() {
    let path = "posts/say \"hi\" & 'bye' \\o.md";
    let diff = unified(path, path, "a\n", "b\n");
    assert!(
        diff.starts_with("--- \"posts/say \\\"hi\\\" & 'bye' \\\\o.md\"\n"),
        "{diff}"
    );
    round_trip(path, "a\nb\n", "a\nc\n");
}

#[test]
fn different_old_and_new_paths_are_both_named() {
    let diff = unified("posts/a.html", "out/posts/a.md", "<p>a</p>\n", "a\n");
    assert!(
        diff.starts_with("--- posts/a.html\n+++ out/posts/a.md\n"),
        "{diff}"
    );
}
