//! `mdmigrate convert`: the command-line contract.

use assert_cmd::Command;
use predicates::prelude::*;

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

#[test]
fn converts_an_html_file_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.html");
    std::fs::write(&file, "<p>Hello <b>world</b></p>").unwrap();
    mdmigrate()
        .args(["convert"])
        .arg(&file)
        .assert()
        .success()
        .stdout("Hello **world**\n");
}

#[test]
fn reads_stdin_with_a_dash() {
    mdmigrate()
        .args(["convert", "--body", "html", "-"])
        .write_stdin("<h2>T</h2>")
        .assert()
        .success()
        .stdout("## T\n");
}

#[test]
fn project_link_modes() {
    let html =
        r#"<p>A<a class="project-link" data-id="1" href="https://36kr.com/p/1">腾讯</a>B</p>"#;
    for (mode, expected) in [
        ("link", "A[腾讯](https://36kr.com/p/1)B\n"),
        ("text", "A腾讯B\n"),
    ] {
        mdmigrate()
            .args(["convert", "--body", "html", "--project-links", mode, "-"])
            .write_stdin(html)
            .assert()
            .success()
            .stdout(expected);
    }
    mdmigrate()
        .args(["convert", "--body", "html", "--project-links", "keep", "-"])
        .write_stdin(html)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r#"<a class="project-link" data-id="1""#,
        ));
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.html");
    std::fs::write(&file, b"<p>ok</p>\n<p>\xff</p>").unwrap();
    mdmigrate()
        .arg("convert")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.html"))
        .stderr(predicate::str::contains("byte 13"));
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    mdmigrate()
        .args(["convert", "/nonexistent/post.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/post.md"));
}

#[test]
fn the_size_cap_is_an_option() {
    mdmigrate()
        .args(["convert", "--body", "html", "--max-size", "5", "-"])
        .write_stdin("<p>too large</p>")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("limit"));
}

#[test]
fn a_post_keeps_its_front_matter() {
    let post = "\n---\ntitle: 'T'\n---\n\n<div>   \n<p>Body</p> \n</div>\n            ";
    mdmigrate()
        .args(["convert", "-"])
        .write_stdin(post)
        .assert()
        .success()
        .stdout(predicate::str::contains("Body\n"))
        .stdout(predicate::str::contains("title: 'T'"));
}
