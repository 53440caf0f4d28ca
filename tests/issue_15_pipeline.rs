//! Issue 15: an export's items go through the same pipeline as a folder's
//! posts: images downloaded into page bundles (from a loopback server),
//! the JSON report, and `--resume`.

mod support;

use assert_cmd::Command;
use std::path::Path;
use support::image_server::{ImageServer, Reply};

/// A PNG-looking file whose bytes differ per path.
fn png(path: &str) -> Vec<u8> {
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".as_slice(),
        path.as_bytes(),
    ]
    .concat()
}

/// A WordPress export whose post shows an image and has a featured image,
/// both served on loopback.
fn export(dir: &Path, port: u16) -> std::path::PathBuf {
    let path = dir.join("export.xml");
    let body = format!(
        "Look at this:\n\n<img src=\"http://127.0.0.1:{port}/uploads/photo.png\" alt=\"Photo\" />\n\nNice."
    );
    let xml = format!(
        r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<item><title>With images</title><link>https://old.test/2020/05/with-images/</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-05-06 07:08:09</wp:post_date_gmt>
<wp:post_name>with-images</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>2</wp:meta_value></wp:postmeta></item>
<item><title>cover</title><wp:post_id>2</wp:post_id><wp:post_parent>1</wp:post_parent><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>http://127.0.0.1:{port}/uploads/cover.png</wp:attachment_url></item>
</channel></rss>
"#
    );
    std::fs::write(&path, xml).unwrap();
    path
}

fn migrate(input: &Path, out: &Path, port: u16, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args([
            "--target",
            "hugo",
            "--images",
            "download",
            "--image-layout",
            "bundle",
            "--image-retries",
            "0",
        ])
        .arg("--allow-host")
        .arg(format!("127.0.0.1:{port}"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn images_reports_and_resume_work_for_an_export() {
    let server = ImageServer::start(|path, _| Reply::ok(&png(path)));
    let dir = tempfile::tempdir().unwrap();
    let input = export(dir.path(), server.port());
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    let run = migrate(
        &input,
        &out,
        server.port(),
        &["--report", report.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");

    let post = std::fs::read_to_string(out.join("posts/with-images/index.md")).unwrap();
    assert!(post.contains("images:\n  - cover.png\n"), "{post}");
    assert!(post.contains("![Photo](photo.png)"), "{post}");
    assert!(
        post.contains("aliases:\n  - /2020/05/with-images/\n"),
        "{post}"
    );
    assert_eq!(
        std::fs::read(out.join("posts/with-images/photo.png")).unwrap(),
        png("/uploads/photo.png")
    );
    assert!(out.join("posts/with-images/cover.png").is_file());

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let posts = json["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["path"], "posts/with-images.md");
    assert_eq!(posts[0]["output"], "posts/with-images/index.md");

    // A second run with --resume skips the post: same input, same settings.
    let hits = server.total_requests();
    let run = migrate(&input, &out, server.port(), &["--resume"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("1 skipped"), "{stderr}");
    assert_eq!(server.total_requests(), hits, "resume downloaded again");
}
