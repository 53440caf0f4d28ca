//! Issue 6, the bad-input matrix through the binary: every row gives a
//! clear error naming the file (and line or byte when known) or a correct
//! output, and the rest of the batch goes on. (HTML rows live in
//! `issue_2_bad_input.rs`, front-matter rows in `frontmatter_errors.rs`.)

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

const POST: &str = "---\ntitle: 中文\n---\n\n<div><p>你好，<b>世界</b></p></div>\n";
const CONVERTED: &str = "---\ntitle: 中文\n---\n\n你好，**世界**\n";

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

#[test]
fn gbk_is_an_error_without_encoding_and_converts_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gbk.md");
    std::fs::write(&file, gbk(POST)).unwrap();
    mdmigrate()
        .arg("convert")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("gbk.md: invalid UTF-8 at byte"));
    for enc in ["gb18030", "auto"] {
        mdmigrate()
            .args(["convert", "--encoding", enc])
            .arg(&file)
            .assert()
            .success()
            .stdout(CONVERTED);
    }
}

#[test]
fn boms_and_line_endings_are_normalized() {
    let dir = tempfile::tempdir().unwrap();
    let utf8_bom = [b"\xEF\xBB\xBF".as_slice(), POST.as_bytes()].concat();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(POST.encode_utf16().flat_map(u16::to_le_bytes));
    let crlf = POST.replace('\n', "\r\n").into_bytes();
    let mixed = "---\r\ntitle: 中文\r---\n\r\n<div><p>你好，<b>世界</b></p></div>\r"
        .as_bytes()
        .to_vec();
    for (name, bytes) in [
        ("bom.md", utf8_bom),
        ("utf16.md", utf16),
        ("crlf.md", crlf),
        ("mixed.md", mixed),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        mdmigrate()
            .arg("convert")
            .arg(&file)
            .assert()
            .success()
            .stdout(CONVERTED);
    }
    mdmigrate()
        .args(["convert", "--eol", "crlf"])
        .arg(dir.path().join("bom.md"))
        .assert()
        .success()
        .stdout(CONVERTED.replace('\n', "\r\n"));
}

#[test]
fn binary_files_and_nul_bytes_fail_alone() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("a.md"), POST).unwrap();
    std::fs::write(
        src.path().join("b.md"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    std::fs::write(src.path().join("c.html"), b"<p>before\x00after</p>").unwrap();
    std::fs::write(src.path().join("d.md"), POST).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.md: "))
        .stderr(predicate::str::contains(
            "c.html: binary file: NUL byte at byte 9",
        ))
        .stderr(predicate::str::contains("2 written"));
    assert_eq!(
        std::fs::read_to_string(out.path().join("d.md")).unwrap(),
        CONVERTED
    );
}

#[test]
fn front_matter_problems_name_file_and_line() {
    let src = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unterminated.md",
            "---\ntitle: x\n\n<p>x</p>\n",
            "never closed",
        ),
        ("broken.md", "---\ntitle: [x\n---\n<p>x</p>\n", "line 2"),
        (
            "duplicate.md",
            "---\ntitle: a\ntitle: b\n---\n<p>x</p>\n",
            "duplicate",
        ),
        (
            "bomb.md",
            "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n<p>x</p>\n",
            "alias",
        ),
    ];
    for (name, text, _) in &cases {
        std::fs::write(src.path().join(name), text).unwrap();
    }
    std::fs::write(src.path().join("fine.md"), POST).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut assert = mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .args(["--target", "hugo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1 written"));
    for (name, _, needle) in &cases {
        assert = assert.stderr(
            predicate::str::contains(format!("{name}: ")).and(predicate::str::contains(*needle)),
        );
    }
    // Inputs are untouched.
    for (name, text, _) in &cases {
        assert_eq!(
            std::fs::read_to_string(src.path().join(name)).unwrap(),
            *text
        );
    }
}

#[test]
fn a_file_over_the_size_cap_fails_alone() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("big.html"),
        format!("<p>{}</p>", "x".repeat(10_000)),
    )
    .unwrap();
    std::fs::write(src.path().join("small.md"), POST).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .args(["--max-size", "1000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "big.html: body (line 1): input is 10007 bytes, over the 1000-byte limit",
        ));
    assert!(out.path().join("small.md").exists());
}

/// A full disk: an output folder on a tiny tmpfs. No file may be left
/// truncated under its final name. Needs `mount` (root); skipped otherwise.
#[test]
fn a_full_disk_leaves_no_truncated_file() {
    let mnt = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24k", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    let src = tempfile::tempdir().unwrap();
    let big = format!(
        "---\ntitle: t\n---\n<div>{}</div>\n",
        "<p>这是一段很长的文字。</p>".repeat(300)
    );
    for i in 0..20 {
        std::fs::write(src.path().join(format!("{i:02}.md")), &big).unwrap();
    }
    let result = mdmigrate()
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(mnt.path())
        .args(["--jobs", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
    let expected = mdmigrate()
        .arg("convert")
        .arg(src.path().join("00.md"))
        .output()
        .unwrap()
        .stdout;
    let mut complete = 0;
    for entry in std::fs::read_dir(mnt.path()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                expected,
                "{name} truncated"
            );
            complete += 1;
        }
        assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
    }
    drop(result);
    let _ = std::process::Command::new("umount")
        .arg(mnt.path())
        .status();
    assert!(complete < 20);
}

#[test]
fn template_syntax_in_text_never_runs_per_target() {
    let html = "<p>{{ site.secret }} {% include evil %} {{< shortcode >}}</p>";
    for (target, forbidden) in [
        ("hugo", "{{<"),
        ("hexo", "{{"),
        ("jekyll", "{%"),
        ("zola", "{{"),
    ] {
        let out = mdmigrate()
            .args(["convert", "--body", "html", "--target", target, "-"])
            .write_stdin(html)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(forbidden), "{target}: {text}");
        assert!(text.contains("&#123;"), "{target}: {text}");
    }
}

#[test]
fn the_fixture_path_helper_is_sane() {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .is_dir()
    );
}
