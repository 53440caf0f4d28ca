//! Issue 15: a WordPress export migrated for Jekyll builds with the real
//! `jekyll`, and the posts' old WordPress URLs still answer through
//! jekyll-redirect-from's redirect pages (`redirect_from`).

#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use std::path::Path;
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_wordpress_export_builds_with_jekyll_and_old_urls_redirect() {
    let Some(jekyll) = tools::require("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from")
    else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    write(
        &root.join("_config.yml"),
        "url: https://example.invalid\npermalink: /blog/:title/\nplugins:\n  - jekyll-redirect-from\n",
    );
    write(
        &root.join("_layouts/default.html"),
        "<h1>{{ page.title }}</h1>{{ content }}",
    );
    write(
        &root.join("_layouts/redirect.html"),
        "<meta http-equiv=\"refresh\" content=\"0; url={{ page.redirect.to }}\">",
    );
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports/wxr-rules/input.xml"))
        .arg("--out")
        .arg(root)
        .args(["--target", "jekyll"])
        .assert()
        .success();

    let out = Command::new(jekyll)
        .arg("build")
        .arg("--source")
        .arg(root)
        .arg("--destination")
        .arg(root.join("_site"))
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "jekyll failed:\n{log}");
    let built = root.join("_site");
    let post = std::fs::read_to_string(built.join("blog/classic-simple/index.html")).unwrap();
    assert!(post.contains("The cat, sleeping"), "{post}");
    let old = std::fs::read_to_string(built.join("2019/05/classic-simple/index.html")).unwrap();
    assert!(
        old.contains("https://example.invalid/blog/classic-simple/"),
        "{old}"
    );
    let renamed = std::fs::read_to_string(built.join("2021/06/blocks/index.html")).unwrap();
    assert!(renamed.contains("/blog/blocks-2/"), "{renamed}");
    // Drafts (`published: false`) are not built.
    assert!(!built.join("blog/unfinished-thoughts").exists());
}
