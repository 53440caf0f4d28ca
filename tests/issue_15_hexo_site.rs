//! Issue 15: a WordPress export migrated for Hexo builds with the real
//! Hexo (8, from `scripts/install-test-tools.sh`), and every post keeps its
//! old WordPress URL: Hexo honours the `permalink` front matter.

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
fn a_wordpress_export_builds_with_hexo_at_its_old_urls() {
    if tools::require_hexo().is_none() {
        return;
    }
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    write(
        &root.join("_config.yml"),
        "title: t\nurl: https://example.invalid\npermalink: blog/:title/\ntheme: t\n",
    );
    write(
        &root.join("package.json"),
        r#"{"name": "site", "private": true, "hexo": {"version": "8.1.2"},
 "dependencies": {"hexo": "8.1.2", "hexo-renderer-marked": "7.0.1", "hexo-renderer-ejs": "2.0.0"}}"#,
    );
    let layout = "<h1><%= page.title %></h1><%- page.content %>";
    write(&root.join("themes/t/layout/post.ejs"), layout);
    write(&root.join("themes/t/layout/page.ejs"), layout);
    write(&root.join("themes/t/layout/index.ejs"), "index");
    std::os::unix::fs::symlink(
        tools::site_tools().join("node_modules"),
        root.join("node_modules"),
    )
    .unwrap();
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports/wxr-rules/input.xml"))
        .arg("--out")
        .arg(root.join("source"))
        .args(["--target", "hexo"])
        .assert()
        .success();

    let out = Command::new(root.join("node_modules/.bin/hexo"))
        .arg("generate")
        .current_dir(root)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "hexo failed:\n{log}");
    assert!(!log.contains("WARN") && !log.contains("ERROR"), "{log}");
    let public = root.join("public");
    let post = std::fs::read_to_string(public.join("2019/05/classic-simple/index.html")).unwrap();
    assert!(post.contains("The cat, sleeping"), "{post}");
    assert!(post.contains("<!--more-->"), "{post}");
    // Both posts titled "Blocks" keep their own old URLs.
    assert!(public.join("2020/01/blocks/index.html").is_file());
    assert!(public.join("2021/06/blocks/index.html").is_file());
    assert!(public.join("about/index.html").is_file());
    // The draft (`published: false`) is not generated.
    assert!(!public.join("blog/unfinished-thoughts").exists(), "{log}");
    assert!(!log.contains("unfinished"), "{log}");
}
