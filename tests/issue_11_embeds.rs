//! Issues 11 (item 4) and 12 (item 3): embeds become the target's video
//! shortcode or a link that says what it is, never the word "iframe"; an
//! old Flash `<object>` is not dropped; verification reads a shortcode as
//! the embed it stands for; Hexo gets `{% youtube %}` only with
//! `hexo-tag-embed`; Hugo renders the shortcode as the player.

#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use mdmigrate::config::Config;
use mdmigrate::post::{BodyKind, convert_post};
use mdmigrate::verify::{VerifyOptions, verify};
use std::path::Path;
use std::process::Command;

const EMBEDS: &str = r#"<p>A talk:</p>
<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0" allowfullscreen></iframe>
<p><iframe src="https://player.vimeo.com/video/76979871" title="The New Vimeo Player"></iframe></p>
<object width="425" height="344"><param name="movie" value="http://www.youtube.com/v/oHg5SJYRHA0&amp;hl=en"></object>
<iframe src="//player.bilibili.com/player.html?aid=170001&amp;bvid=BV17x411w7KC"></iframe>
<iframe src="https://maps.example.org/embed/v1/place?q=Berlin"></iframe>
"#;

/// Converts `html` with an `mdmigrate.toml` text; the Markdown and whether
/// the round-trip check found it clean.
fn convert(html: &str, toml_text: &str) -> (String, Vec<String>, bool) {
    let config = Config::defaults().merge(toml::from_str(toml_text).unwrap());
    let mut options = config.post_options();
    options.body = BodyKind::Html;
    let post = convert_post(html, &options).unwrap();
    let v = verify(
        &post.source_html,
        &post.converted_markdown,
        &VerifyOptions::from(&options.convert),
    );
    let codes = post.diagnostics.iter().map(|d| d.code.to_owned()).collect();
    (post.text, codes, v.is_clean())
}

#[test]
fn hugo_gets_video_shortcodes_and_others_a_link_that_says_what_it_is() {
    let (md, codes, clean) = convert(EMBEDS, "target = \"hugo\"");
    assert!(md.contains("{{< youtube dQw4w9WgXcQ >}}"), "{md}");
    assert!(md.contains("{{< vimeo 76979871 >}}"), "{md}");
    assert!(md.contains("{{< youtube oHg5SJYRHA0 >}}"), "{md}");
    assert!(md.contains("[Bilibili video BV17x411w7KC](//player.bilibili.com/"));
    assert!(md.contains("[Embedded content: maps.example.org/embed/v1/place]("));
    assert!(!md.to_lowercase().contains("iframe"), "{md}");
    assert!(codes.contains(&"embed-as-shortcode".to_owned()));
    assert!(clean, "a shortcode keeps its embed:\n{md}");
}

#[test]
fn targets_without_a_video_shortcode_get_links_and_verify_clean() {
    for toml_text in [
        "target = \"jekyll\"",
        "target = \"zola\"",
        "target = \"hexo\"",
        "target = \"hugo\"\nembeds = \"link\"",
    ] {
        let (md, codes, clean) = convert(EMBEDS, toml_text);
        assert!(
            !md.contains("{{<") && !md.contains("{%"),
            "{toml_text}:\n{md}"
        );
        assert!(
            md.contains(
                "[YouTube video dQw4w9WgXcQ](https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0)"
            ),
            "{toml_text}:\n{md}"
        );
        assert!(md.contains("[The New Vimeo Player](https://player.vimeo.com/video/76979871)"));
        assert!(
            md.contains("[YouTube video oHg5SJYRHA0](http://www.youtube.com/v/oHg5SJYRHA0&hl=en)")
        );
        assert!(!codes.contains(&"embed-as-shortcode".to_owned()));
        assert!(clean, "{toml_text}:\n{md}");
    }
}

#[test]
fn html_mode_keeps_the_element() {
    let (md, codes, clean) = convert(EMBEDS, "target = \"hugo\"\nembeds = \"html\"");
    assert!(md.contains(r#"<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0""#));
    assert!(codes.contains(&"embed-as-html".to_owned()));
    assert!(clean, "{md}");
}

#[test]
fn an_object_without_any_url_is_reported_not_dropped_silently() {
    let html = "<p>x</p><object width=\"1\"><param name=\"quality\" value=\"high\"></object>";
    let (_, codes, _) = convert(html, "target = \"hugo\"");
    assert!(codes.contains(&"dropped-embed".to_owned()), "{codes:?}");
}

#[test]
fn verification_sees_a_shortcode_for_another_video() {
    let config = Config::defaults().merge(toml::from_str("target = \"hugo\"").unwrap());
    let options = config.post_options();
    let html = r#"<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>"#;
    let verify_options = VerifyOptions::from(&options.convert);
    assert!(verify(html, "{{< youtube dQw4w9WgXcQ >}}\n", &verify_options).is_clean());
    let wrong = verify(html, "{{< youtube AAAAAAAAAAA >}}\n", &verify_options);
    assert!(!wrong.is_clean());
    let gone = verify(html, "\n", &verify_options);
    assert!(!gone.is_clean());
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `migrate` into a Hexo site root: tags only where package.json names
/// hexo-tag-embed, and the run says which.
#[test]
fn hexo_uses_tags_only_with_hexo_tag_embed() {
    for (with_plugin, expected) in [
        (true, "{% youtube dQw4w9WgXcQ %}"),
        (false, "[YouTube video dQw4w9WgXcQ]("),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("in");
        write(&src.join("post.html"), EMBEDS);
        let site = dir.path().join("site");
        let deps = if with_plugin {
            r#"{"dependencies": {"hexo": "8.1.2", "hexo-tag-embed": "1.0.0"}}"#
        } else {
            r#"{"dependencies": {"hexo": "8.1.2"}}"#
        };
        write(&site.join("package.json"), deps);
        let out = Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(site.join("source/_posts"))
            .arg("--site-root")
            .arg(&site)
            .args(["--target", "hexo"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("hexo-tag-embed"), "{stderr}");
        let md = std::fs::read_to_string(site.join("source/_posts/post.md")).unwrap();
        assert!(md.contains(expected), "with plugin {with_plugin}:\n{md}");
    }
}

/// Hugo 0.111 renders the written shortcodes as the players.
#[test]
fn hugo_builds_the_shortcodes_into_players() {
    let Some(hugo) = tools::require("hugo", "apt-get install hugo") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    write(&src.join("talk.html"), EMBEDS);
    let root = dir.path().join("site");
    write(
        &root.join("hugo.toml"),
        "baseURL = \"https://example.invalid/\"\ntitle = \"t\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    );
    write(&root.join("layouts/_default/single.html"), "{{ .Content }}");
    write(&root.join("layouts/_default/list.html"), "");
    write(&root.join("layouts/index.html"), "");
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(root.join("content/posts"))
        .arg("--site-root")
        .arg(&root)
        .args(["--target", "hugo"])
        .assert()
        .success();
    tools::hugo_build(&hugo, &root);
    let page = std::fs::read_to_string(root.join("public/posts/talk/index.html")).unwrap();
    assert!(
        page.contains("youtube") && page.contains("dQw4w9WgXcQ"),
        "{page}"
    );
    assert!(page.contains("player.vimeo.com/video/76979871"), "{page}");
    assert!(page.contains("oHg5SJYRHA0"), "{page}");
    assert!(page.contains("Bilibili video BV17x411w7KC"), "{page}");
}

/// Hexo 8 with hexo-tag-embed renders the written tags as the players.
#[test]
fn hexo_with_hexo_tag_embed_builds_the_tags_into_players() {
    let Some(hexo) = tools::require_hexo() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    write(
        &src.join("talk.md"),
        &format!("---\ntitle: Talk\ndate: 2020-01-02 10:00:00\n---\n{EMBEDS}"),
    );
    let site = dir.path().join("site");
    write(
        &site.join("package.json"),
        r#"{"name": "s", "version": "0.0.0", "private": true, "hexo": {"version": "8.1.2"},
  "dependencies": {"hexo": "8.1.2", "hexo-renderer-marked": "7.0.1", "hexo-renderer-ejs": "2.0.0", "hexo-tag-embed": "1.0.0"}}"#,
    );
    write(
        &site.join("_config.yml"),
        "title: t\nurl: https://example.invalid\ntheme: min\n",
    );
    write(
        &site.join("themes/min/layout/post.ejs"),
        "<main><%- page.content %></main>",
    );
    write(&site.join("themes/min/layout/index.ejs"), "index");
    std::os::unix::fs::symlink(
        tools::site_tools().join("node_modules"),
        site.join("node_modules"),
    )
    .unwrap();
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(site.join("source/_posts"))
        .arg("--site-root")
        .arg(&site)
        .args(["--target", "hexo"])
        .assert()
        .success();
    let out = Command::new(&hexo)
        .arg("generate")
        .current_dir(&site)
        .output()
        .unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !log.contains("ERROR"), "{log}");
    let page = std::fs::read_to_string(site.join("public/2020/01/02/talk/index.html")).unwrap();
    assert!(
        page.contains("<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\""),
        "{page}"
    );
    assert!(page.contains("player.vimeo.com/video/76979871"), "{page}");
    assert!(page.contains("Bilibili video BV17x411w7KC"), "{page}");
}
