//! Issue 15: a WordPress export migrated for Hugo builds with the real
//! `hugo`, and the posts' old WordPress URLs still answer (as the redirect
//! pages Hugo writes for `aliases`).

#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use std::path::Path;
use std::process::Command;

#[test]
fn a_wordpress_export_builds_with_hugo_and_old_urls_redirect() {
    let Some(hugo) = tools::require("hugo", "apt-get install hugo") else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    tools::lay_out_hugo_site(root);
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports/wxr-rules/input.xml"))
        .arg("--out")
        .arg(root.join("content"))
        .args(["--target", "hugo"])
        .assert()
        .success();

    let log = tools::hugo_build(&hugo, root);
    assert!(
        !log.contains("WARN") && !log.contains("ERROR"),
        "hugo warned:\n{log}"
    );
    let public = root.join("public");
    let post = std::fs::read_to_string(public.join("posts/classic-simple/index.html")).unwrap();
    assert!(post.contains("The cat, sleeping"), "{post}");
    // The old WordPress path is a redirect page to the new one.
    let old = std::fs::read_to_string(public.join("2019/05/classic-simple/index.html")).unwrap();
    assert!(
        old.contains("https://example.invalid/posts/classic-simple/"),
        "{old}"
    );
    let old = std::fs::read_to_string(public.join("2020/01/blocks/index.html")).unwrap();
    assert!(
        old.contains("https://example.invalid/posts/blocks/"),
        "{old}"
    );
    let renamed = std::fs::read_to_string(public.join("2021/06/blocks/index.html")).unwrap();
    assert!(
        renamed.contains("https://example.invalid/posts/blocks-2/"),
        "{renamed}"
    );
    // The page keeps its own URL; drafts are not published.
    assert!(public.join("about/index.html").is_file());
    assert!(!public.join("posts/unfinished-thoughts").exists());
    // `<!--more-->` cut the summary on the list page.
    let list = std::fs::read_to_string(public.join("posts/index.html")).unwrap();
    assert!(list.contains("A block paragraph."), "{list}");
    assert!(!list.contains("After the fold."), "{list}");
}
