//! Issue 5: per-post image layouts of `migrate --images download` (Hugo
//! page bundles, Hexo post asset folders, a folder beside the post),
//! against a real HTTP server on 127.0.0.1 (the only address dialed): the
//! files on disk, the references in the Markdown, the cover, reruns that
//! download nothing, and a Hugo build of the bundles when `hugo` is there.

mod support;
#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::image_server::{ImageServer, Reply};

fn png(tag: &str) -> Vec<u8> {
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".as_slice(),
        tag.as_bytes(),
    ]
    .concat()
}

fn jpeg(tag: &str) -> Vec<u8> {
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".as_slice(),
        tag.as_bytes(),
        b"\xff\xd9",
    ]
    .concat()
}

fn gif(tag: &str) -> Vec<u8> {
    [b"GIF89a\x01\x00\x01\x00".as_slice(), tag.as_bytes(), b";"].concat()
}

fn server() -> ImageServer {
    ImageServer::start(|path, _| match path {
        // The same bytes under two URLs.
        "/img/a_img_000" | "/mirror/same-as-a" => Reply::ok(&png("a")),
        "/img/b_img_000" => Reply::ok(&gif("b")),
        "/covers/one" => Reply::ok(&jpeg("cover")),
        "/section/pic" => Reply::ok(&gif("section")),
        _ => Reply::status(404),
    })
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `posts/first.md` (cover, two images with equal bytes, one 404),
/// `posts/second.html` (an image `first` shows too), `posts/section/index.md`.
fn archive(root: &Path, port: u16) {
    let u = |p: &str| format!("http://127.0.0.1:{port}{p}");
    write(
        &root.join("posts/first.md"),
        &format!(
            "---\ntitle: First\ndate: 2022-03-21 07:18:00\nheadimg: '{}'\n---\n\n<div><p>Intro</p>\
             <p><img src=\"{}\"></p><p><img src=\"{}\"></p><p><img src=\"{}\"></p>\
             <p><img src=\"{}\"></p></div>\n",
            u("/covers/one"),
            u("/img/a_img_000"),
            u("/mirror/same-as-a"),
            u("/img/b_img_000"),
            u("/missing"),
        ),
    );
    write(
        &root.join("posts/second.html"),
        &format!(
            "<p>Second</p><p><img src=\"{}\"></p>\n",
            u("/img/b_img_000")
        ),
    );
    write(
        &root.join("posts/section/index.md"),
        &format!(
            "---\ntitle: Section\n---\n\n<p>Here</p><p><img src=\"{}\"></p>\n",
            u("/section/pic")
        ),
    );
}

fn migrate(src: &Path, out: &Path, port: u16, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").unwrap();
    cmd.arg("migrate")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args(["--images", "download", "--image-retries", "0"])
        .arg("--allow-host")
        .arg(format!("127.0.0.1:{port}"))
        .args(args);
    cmd
}

/// Every file under `dir` (relative, `/`), but the journal, manifest and
/// leftover temporaries.
fn tree(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|r| {
            let name = r.rsplit('/').next().unwrap_or(r);
            let temporary = name.starts_with(".mdmigrate-") && name.ends_with(".tmp");
            !r.ends_with(".jsonl") && !temporary
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Runs twice more: the second run downloads nothing and writes the same
/// bytes; a deleted copy comes back from the store, still offline.
fn assert_reruns_download_nothing(src: &Path, out: &Path, server: &ImageServer, args: &[&str]) {
    let requests = server.total_requests();
    let before: Vec<(String, Vec<u8>)> = tree(out)
        .into_iter()
        .map(|r| (r.clone(), std::fs::read(out.join(&r)).unwrap()))
        .collect();
    let rerun = migrate(src, out, server.port(), args).assert().success();
    let stderr = String::from_utf8_lossy(&rerun.get_output().stderr).into_owned();
    assert!(stderr.contains("images: 0 downloaded"), "{stderr}");
    only_the_failed_url_again(server, requests);
    let after: Vec<(String, Vec<u8>)> = tree(out)
        .into_iter()
        .map(|r| (r.clone(), std::fs::read(out.join(&r)).unwrap()))
        .collect();
    assert_eq!(before, after);

    let (first_image, _) = before
        .iter()
        .find(|(r, _)| r.ends_with(".png") && !r.starts_with(".mdmigrate-images"))
        .expect("a bundled png");
    std::fs::remove_file(out.join(first_image)).unwrap();
    migrate(src, out, server.port(), &[args, &["--offline"]].concat())
        .assert()
        .success();
    assert!(
        out.join(first_image).is_file(),
        "{first_image} not restored"
    );
}

/// Requests since `since` were for the failing URL only (a failed image is
/// tried again on the next online run, by design).
fn only_the_failed_url_again(server: &ImageServer, since: usize) {
    let requests = server.requests();
    let new: Vec<&str> = requests[since..].iter().map(|r| r.path.as_str()).collect();
    assert!(
        new.iter().all(|p| *p == "/missing"),
        "a stored image was fetched again: {new:?}"
    );
}

#[test]
fn hugo_page_bundles_hold_each_posts_images_and_build() {
    let server = server();
    let site = tempfile::tempdir().unwrap();
    let src = site.path().join("archive");
    archive(&src, server.port());
    let content = site.path().join("site/content");
    let args = ["--target", "hugo", "--image-layout", "bundle"];
    migrate(&src, &content, server.port(), &args)
        .assert()
        .success();

    let files = tree(&content);
    let store: BTreeSet<String> = files
        .iter()
        .filter(|f| f.starts_with(".mdmigrate-images/"))
        .cloned()
        .collect();
    assert_eq!(store.len(), 4, "each distinct image stored once: {store:?}");
    let site_files: BTreeSet<String> = files.difference(&store).cloned().collect();
    assert_eq!(
        site_files,
        set(&[
            "posts/first/a_img_000.png",
            "posts/first/b_img_000.gif",
            "posts/first/index.md",
            "posts/first/one.jpg",
            "posts/second/b_img_000.gif",
            "posts/second/index.md",
            "posts/section/index.md",
            "posts/section/pic.gif",
        ])
    );
    assert_eq!(
        std::fs::read(content.join("posts/first/a_img_000.png")).unwrap(),
        png("a")
    );

    let first = read(&content.join("posts/first/index.md"));
    assert!(first.contains("images:\n  - one.jpg\n"), "{first}");
    assert_eq!(first.matches("](a_img_000.png)").count(), 2, "{first}");
    assert!(first.contains("](b_img_000.gif)"), "{first}");
    let missing = format!("](http://127.0.0.1:{}/missing)", server.port());
    assert!(
        first.contains(&missing),
        "a failed image keeps its URL:\n{first}"
    );
    assert!(read(&content.join("posts/second/index.md")).contains("](b_img_000.gif)"));
    assert!(read(&content.join("posts/section/index.md")).contains("](pic.gif)"));
    for path in [
        "/img/a_img_000",
        "/mirror/same-as-a",
        "/img/b_img_000",
        "/covers/one",
    ] {
        assert_eq!(server.hits(path), 1, "{path}");
    }

    build_with_hugo(&site.path().join("site"));
    assert_reruns_download_nothing(&src, &content, &server, &args);
}

/// The bundles publish with the real `hugo`: each image next to its page.
fn build_with_hugo(root: &Path) {
    let Some(hugo) = tools::require("hugo", "apt-get install hugo") else {
        return;
    };
    write(
        &root.join("hugo.toml"),
        "baseURL = \"https://example.invalid/\"\ntitle = \"t\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    );
    write(
        &root.join("layouts/_default/single.html"),
        "<h1>{{ .Title }}</h1>{{ .Content }}{{ range .Resources.ByType \"image\" }}<i>{{ .Name }}</i>{{ end }}",
    );
    write(
        &root.join("layouts/_default/list.html"),
        "{{ range .Pages }}{{ .Title }}{{ end }}",
    );
    write(&root.join("layouts/index.html"), "home");
    let log = tools::hugo_build(&hugo, root);
    let public = root.join("public/posts/first");
    for name in ["a_img_000.png", "b_img_000.gif", "one.jpg"] {
        assert!(public.join(name).is_file(), "{name} not published:\n{log}");
    }
    let html = read(&public.join("index.html"));
    assert!(html.contains("src=\"a_img_000.png\""), "{html}");
    assert!(
        html.contains("<i>one.jpg</i>"),
        "the cover is a page resource:\n{html}"
    );
    assert!(!root.join("public/.mdmigrate-images").exists());
}

/// The test archive migrated as a Hexo site with per-post asset folders
/// (plus `extra` flags), served by `server`: (temp dir, source, output).
fn hexo_bundles(server: &ImageServer, extra: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("archive");
    archive(&src, server.port());
    let out = dir.path().join("source/_posts");
    migrate(&src, &out, server.port(), &[HEXO_BUNDLE, extra].concat())
        .assert()
        .success();
    (dir, src, out)
}

const HEXO_BUNDLE: &[&str] = &["--target", "hexo", "--image-layout", "bundle"];

#[test]
fn hexo_asset_folders_sit_beside_the_post_with_bare_names() {
    let server = server();
    let (_dir, src, out) = hexo_bundles(&server, &[]);

    let site_files: BTreeSet<String> = tree(&out)
        .into_iter()
        .filter(|f| !f.starts_with(".mdmigrate-images/"))
        .collect();
    assert_eq!(
        site_files,
        set(&[
            "posts/first.md",
            "posts/first/a_img_000.png",
            "posts/first/b_img_000.gif",
            "posts/first/one.jpg",
            "posts/second.md",
            "posts/second/b_img_000.gif",
            "posts/section/index.md",
            "posts/section/index/pic.gif",
        ])
    );
    let first = read(&out.join("posts/first.md"));
    assert!(first.contains("cover: one.jpg\n"), "{first}");
    assert_eq!(first.matches("](a_img_000.png)").count(), 2, "{first}");
    assert!(read(&out.join("posts/section/index.md")).contains("](pic.gif)"));
    assert_reruns_download_nothing(&src, &out, &server, HEXO_BUNDLE);
}

/// Review of issue 5: a copy whose bytes are not the image's (edited by
/// the user, or named for another image in an earlier run) is never
/// overwritten; the image takes another name and the post points to it.
#[test]
fn issue_5_a_copy_with_other_bytes_is_never_overwritten() {
    let server = server();
    let (_dir, src, out) = hexo_bundles(&server, &[]);
    let edited = out.join("posts/first/a_img_000.png");
    std::fs::write(&edited, b"the user's own edit").unwrap();

    migrate(
        &src,
        &out,
        server.port(),
        &[HEXO_BUNDLE, &["--offline"]].concat(),
    )
    .assert()
    .success();
    assert_eq!(std::fs::read(&edited).unwrap(), b"the user's own edit");
    let first = read(&out.join("posts/first.md"));
    assert!(!first.contains("](a_img_000.png)"), "{first}");
    let renamed = first
        .split("](")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
        .find(|r| r.starts_with("a_img_000-") && r.ends_with(".png"))
        .unwrap_or_else(|| panic!("no renamed copy in {first}"));
    let copy = std::fs::read(out.join("posts/first").join(renamed)).unwrap();
    assert!(
        copy.starts_with(b"\x89PNG"),
        "the renamed copy holds the image"
    );
}

/// Review of issue 5: `--resume` skips a finished post only while its
/// image copies are there too.
#[test]
fn issue_5_resume_puts_back_a_deleted_copy() {
    let server = server();
    let (_dir, src, out) = hexo_bundles(&server, &["--resume"]);
    let copy = out.join("posts/second/b_img_000.gif");
    let bytes = std::fs::read(&copy).unwrap();
    std::fs::remove_file(&copy).unwrap();
    let flags = [HEXO_BUNDLE, &["--resume", "--offline"]].concat();
    let rerun = migrate(&src, &out, server.port(), &flags)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&rerun.get_output().stderr).into_owned();
    assert_eq!(std::fs::read(&copy).unwrap(), bytes, "{stderr}");
    assert!(stderr.contains("skipped"), "{stderr}");
}

#[test]
fn post_folders_are_referenced_relative_to_the_post_file() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("archive");
    archive(&src, server.port());
    let out = dir.path().join("out");
    let args = ["--target", "jekyll", "--image-layout", "bundle"];
    migrate(&src, &out, server.port(), &args).assert().success();

    let first = read(&out.join("posts/first.md"));
    assert!(first.contains("image: first/one.jpg\n"), "{first}");
    assert_eq!(
        first.matches("](first/a_img_000.png)").count(),
        2,
        "{first}"
    );
    assert!(read(&out.join("posts/second.md")).contains("](second/b_img_000.gif)"));
    assert!(read(&out.join("posts/section/index.md")).contains("](index/pic.gif)"));
    assert!(out.join("posts/first/one.jpg").is_file());
    assert!(out.join("posts/section/index/pic.gif").is_file());
    assert_reruns_download_nothing(&src, &out, &server, &args);
}

#[test]
fn a_kept_front_matter_keeps_its_cover_url_and_gets_no_copy() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("archive");
    archive(&src, server.port());
    let out = dir.path().join("out");
    migrate(
        &src,
        &out,
        server.port(),
        &["--image-layout", "asset-folder"],
    )
    .assert()
    .success();
    let first = read(&out.join("posts/first.md"));
    assert!(
        first.contains(&format!(
            "headimg: 'http://127.0.0.1:{}/covers/one'",
            server.port()
        )),
        "{first}"
    );
    assert!(first.contains("](a_img_000.png)"), "{first}");
    assert!(out.join("posts/first/a_img_000.png").is_file());
    assert!(!out.join("posts/first/one.jpg").exists());
}

#[test]
fn a_page_bundle_never_swallows_another_post() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("archive");
    write(&src.join("foo.md"), "---\ntitle: Foo\n---\n\nfoo\n");
    write(&src.join("Foo/bar.md"), "---\ntitle: Bar\n---\n\nbar\n");
    write(&src.join("baz.md"), "---\ntitle: Baz\n---\n\nbaz\n");
    let out = dir.path().join("out");
    let run = Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--images", "download", "--image-layout", "page-bundle"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("foo.md") && stderr.contains("would also hold Foo/bar.md"),
        "{stderr}"
    );
    assert!(!out.join("foo/index.md").exists());
    assert!(out.join("Foo/bar/index.md").is_file());
    assert!(out.join("baz/index.md").is_file());
}

/// Review of issue 5: two posts must never share one image folder (their
/// images could overwrite each other), and a post already named `index.md`
/// is a leaf bundle that swallows its neighbours too.
#[test]
fn issue_5_posts_never_share_an_image_folder() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("archive");
    write(&src.join("foo.md"), "---\ntitle: Foo\n---\n\nfoo\n");
    write(
        &src.join("foo.markdown"),
        "---\ntitle: Foo 2\n---\n\nfoo 2\n",
    );
    write(&src.join("b/index.md"), "---\ntitle: B\n---\n\nb\n");
    write(&src.join("b/c.md"), "---\ntitle: C\n---\n\nc\n");
    let out = dir.path().join("out");
    let run_with = |layout: &str, out: &Path| {
        let run = Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(out)
            .args(["--include", "**/*.md", "--include", "**/*.markdown"])
            .args(["--images", "download", "--image-layout", layout])
            .assert()
            .code(2);
        String::from_utf8_lossy(&run.get_output().stderr).into_owned()
    };
    let stderr = run_with("asset-folder", &out);
    assert!(
        stderr.contains("foo.md") && stderr.contains("image folder"),
        "{stderr}"
    );
    assert_eq!(
        [out.join("foo.md"), out.join("foo.markdown")]
            .iter()
            .filter(|p| p.is_file())
            .count(),
        1
    );
    let out = dir.path().join("bundles");
    let stderr = run_with("page-bundle", &out);
    assert!(stderr.contains("would also hold b/c.md"), "{stderr}");
    assert!(!out.join("b/index.md").exists());
    assert!(out.join("b/c/index.md").is_file());
}

#[test]
fn layout_options_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.md"), "a\n");
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(dir.path())
            .arg("--out")
            .arg(dir.path().join("out"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["--image-layout", "bundle"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--image-layout applies to --images download"),
        "{err}"
    );
    let (code, err) = run(&[
        "--images",
        "download",
        "--image-layout",
        "bundle",
        "--assets-url",
        "/images",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("per-post image layout"), "{err}");
}
