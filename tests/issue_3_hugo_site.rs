//! Issue 3: the converted sample archive builds as a real Hugo site, with
//! the real `hugo` binary, without any error or warning: front matter,
//! shortcodes (and the template `migrate` writes for them) included.

#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use std::path::Path;
use std::process::Command;

#[test]
fn the_sample_archive_builds_with_hugo_without_warnings() {
    let Some(hugo) = tools::require("hugo", "apt-get install hugo") else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    tools::lay_out_hugo_site(root);
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive"))
        .arg("--out")
        .arg(root.join("content/posts"))
        .arg("--site-root")
        .arg(root)
        .args(["--target", "hugo", "--project-links", "shortcode"])
        .assert()
        .success();
    assert!(root.join("layouts/shortcodes/company.html").is_file());

    let log = tools::hugo_build(&hugo, root);
    assert!(
        !log.contains("WARN") && !log.contains("ERROR"),
        "hugo warned:\n{log}"
    );

    let mut pages = 0;
    let mut company_links = 0;
    for entry in walkdir::WalkDir::new(root.join("public/posts")) {
        let entry = entry.unwrap();
        if entry.file_name() == "index.html" {
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).unwrap();
            company_links += html.matches("https://36kr.com/projectDetails/").count();
            assert!(
                !html.contains("{{"),
                "template syntax leaked into {}",
                entry.path().display()
            );
        }
    }
    assert!(pages >= 32, "only {pages} pages built:\n{log}");
    assert!(company_links > 0, "no shortcode rendered");
}
